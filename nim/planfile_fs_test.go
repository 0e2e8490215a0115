package nim

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO as the plan file hung plan and apply: it is refused before it is
// opened for reading, directly or through a link. A link to a regular file
// is read (the admin named it).
func TestLoadPlanRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "plan.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.toml")
	os.Symlink(fifo, link)
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte(`name = "aix73"`+"\n"+`source = "/dev/cd0"`+"\n"), 0o600)
	goodLink := filepath.Join(dir, "good-link.toml")
	os.Symlink(good, goodLink)
	dangling := filepath.Join(dir, "dangling.toml")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, tc := range []struct{ path, want string }{
			{fifo, "is not a regular file (it is a FIFO)"},
			{link, "is not a regular file (it is a symbolic link to " + fifo + ", which is a FIFO)"},
			{"/dev/null", "is not a regular file (it is a character device)"},
			{dir, "is not a regular file (it is a directory)"},
		} {
			_, err := LoadPlan(tc.path)
			var pe *PlanFileError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.path+": ") {
				t.Errorf("LoadPlan(%s): %v; want %q", tc.path, err, tc.want)
			}
		}
		if p, err := LoadPlan(goodLink); err != nil || p.Name != "aix73" {
			t.Errorf("a link to a regular plan file: %v", err)
		}
		if _, err := LoadPlan(dangling); err == nil || !strings.Contains(err.Error(), "leads nowhere") {
			t.Errorf("dangling link: %v", err)
		}
	}()
	// If LoadPlan opened the FIFO for reading it would wait for a writer
	// for ever: after a generous bound, give it one so the test ends and
	// says so, rather than hanging the suite.
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("LoadPlan blocked opening a FIFO")
	}
}
