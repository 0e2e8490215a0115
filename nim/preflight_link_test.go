package nim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A location (or source directory) that is a symbolic link to "/" passed,
// checked as text only: it is resolved on the master (inside the demo's
// host root) and the result checked against the same rules.
func TestCheckHostResolvesLinks(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"export/images/7200", "install/nim", "data/nim"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.Symlink("/", filepath.Join(root, "install", "img"))
	os.Symlink("../..", filepath.Join(root, "install", "up"))
	os.Symlink("/install/img", filepath.Join(root, "install", "twice"))
	os.Symlink("/data/nim", filepath.Join(root, "install", "fine"))
	os.Symlink("/", filepath.Join(root, "export", "all"))
	for _, tc := range []struct{ source, location, want string }{
		{"/export/images/7200", "/install/img", "location: /install/img leads through symbolic links to /, so: \"/\" would put lpp_source"},
		{"/export/images/7200", "/install/up", "/install/up leads through symbolic links to /"},
		{"/export/images/7200", "/install/twice", "/install/twice leads through symbolic links to /"},
		{"/export/all", "/install/nim", "source: /export/all leads through symbolic links to /, so: \"/\" is the root file system"},
		{"/export/images/7200", "/install/fine", ""},
		{"/export/images/7200", "/install/fine/new/deeper", ""},
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
	// On the master's own root ("" as in real mode): a link to / under a
	// temporary directory.
	dir := t.TempDir()
	os.Symlink("/", filepath.Join(dir, "nim"))
	loc := filepath.Join(dir, "nim")
	probs := Plan{Name: "x", Source: "/dev/cd0", Location: loc}.CheckHost("")
	if !strings.Contains(fmt.Sprint(probs), loc+" leads through symbolic links to /") {
		t.Errorf("real root: %v", probs)
	}
}
