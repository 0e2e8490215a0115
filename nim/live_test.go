package nim

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The live module runs as root in every xCAT client: its directory must be
// nimwiz's own, and the module is never written through a link.
func TestInstallLiveModuleTrustsOnlyItsOwnDirectory(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "state", "perl")
	if err := InstallLiveModule(dir); err != nil {
		t.Fatal(err)
	}
	pm := filepath.Join(dir, LiveModule+".pm")
	b, err := os.ReadFile(pm)
	if err != nil || string(b) != liveModuleText {
		t.Fatalf("module: %q, %v", b, err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, pm: 0o600} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
	}

	// The module planted as a link to a file root would overwrite.
	victim := filepath.Join(base, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	os.Remove(pm)
	os.Symlink(victim, pm)
	if err := InstallLiveModule(dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Fatalf("written through the link: %q", b)
	}
	if fi, _ := os.Lstat(pm); !fi.Mode().IsRegular() {
		t.Fatalf("module is %v", fi.Mode())
	}

	for _, tc := range []struct {
		name  string
		setup func(d string)
		want  string
	}{
		{"world-writable", func(d string) { os.Chmod(d, 0o777) }, "chmod go-w "},
		{"sticky", func(d string) { os.Chmod(d, 0o777|os.ModeSticky) }, "chmod go-w "},
		{"group-writable", func(d string) { os.Chmod(d, 0o770) }, "chmod go-w "},
		{"another user's", func(d string) {
			if err := os.Chown(d, 65534, 65534); err != nil {
				t.Skip("needs root to give a directory away")
			}
		}, "owned by uid 65534"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), "perl")
			os.Mkdir(d, 0o700)
			tc.setup(d)
			err := InstallLiveModule(d)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), d) {
				t.Fatalf("InstallLiveModule in a %s directory: %v; want a refusal naming it and %q", tc.name, err, tc.want)
			}
			if _, err := os.Lstat(filepath.Join(d, LiveModule+".pm")); err == nil {
				t.Fatal("the module was written there anyway")
			}
		})
	}
	link := filepath.Join(base, "perl-link")
	os.Symlink(dir, link)
	if err := InstallLiveModule(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("a link as the module directory: %v", err)
	}
}
