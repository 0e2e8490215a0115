package nim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A synclists file must be a readable regular file on the master.
func TestCheckHostSynclists(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "install/custom/dir"), 0o755)
	os.WriteFile(filepath.Join(root, "install/custom/synclist"), []byte("/etc/hosts -> /etc/hosts\n"), 0o644)
	os.Symlink("synclist", filepath.Join(root, "install/custom/link"))
	for _, tc := range []struct{ file, want string }{
		{"/install/custom/synclist", ""},
		{"/install/custom/link", ""},
		{"/install/custom/nothere", "options.synclists: /install/custom/nothere does not exist on this NIM master"},
		{"/install/custom/synclist/x", "does not exist on this NIM master"},
		{"/install/custom/dir", "options.synclists: /install/custom/dir is not a regular file (a directory)"},
		{"relative", ""}, // Validate's business
	} {
		probs := Plan{Name: "x", Source: "lpp", Extra: map[string]string{"synclists": tc.file}}.CheckHost(root)
		got := fmt.Sprint(probs)
		if tc.want == "" && len(probs) > 0 || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("synclists %s: %s; want %q", tc.file, got, tc.want)
		}
		if strings.Contains(got, root) {
			t.Errorf("the message shows the demo root: %s", got)
		}
	}

}

func TestCheckHost(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"export/images/7200", "install/nim"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "export/afile"), nil, 0o644)
	os.Symlink("loop", filepath.Join(root, "export/loop"))
	for _, tc := range []struct {
		source, location, want string
	}{
		{"/export/images/7200", "", ""},
		{"/export/images/7200", "/install/nim/new/deeper", ""},
		{"/dev/cd0", "", ""}, // devices are lsdev's business
		{"aix7302_lpp", "", ""},
		{"/export/nothere", "", "does not exist on this NIM master"},
		{"/export/afile", "", "is a file, not a directory"},
		{"/export/loop", "", "cannot be read"},
		{"/export/images/7200", "/export/afile", "is a file, not a directory"},
		{"/export/images/7200", "/export/afile/nim", "lies under /export/afile, which is a file"},
	} {
		probs := Plan{Name: "x", Source: tc.source, Location: tc.location}.CheckHost(root)
		got := fmt.Sprint(probs)
		if tc.want == "" && len(probs) > 0 || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("source %s location %s: %s; want %q", tc.source, tc.location, got, tc.want)
		}
		if strings.Contains(got, root) {
			t.Errorf("the message shows the demo root: %s", got)
		}
	}
}
