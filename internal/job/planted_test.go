package job

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Files planted in the job store by someone else are never followed or
// waited on: a job.json that is a symlink (to a record that would pass),
// a FIFO or a hard link (a record of another job), and a job directory
// that is a symlink, are each listed as unreadable with their path, and
// listing does not hang.
func TestPlantedJobFilesAreNotFollowed(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	// A record that would read well, kept outside the store.
	elsewhere := t.TempDir()
	rf, err := createRecordFile(elsewhere, &Record{ID: "x", Name: "planted", State: StateSucceeded, Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	good := filepath.Join(elsewhere, recordName)

	mk := func(id string) string {
		d := filepath.Join(e.store.Dir, id)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if err := os.Symlink(good, filepath.Join(mk("20261204-000001-symlink"), recordName)); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(mk("20261204-000002-fifo"), recordName), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(good, filepath.Join(mk("20261204-000003-hardlink"), recordName)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(e.store.Dir, "20261204-000004-dirlink")); err != nil {
		t.Fatal(err)
	}

	done := make(chan []Record, 1)
	go func() {
		all, err := e.store.List()
		if err != nil {
			t.Error(err)
		}
		done <- all
	}()
	var all []Record
	select {
	case all = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("List hangs on a planted job file")
	}
	seen := map[string]bool{}
	for _, r := range all {
		seen[r.ID] = true
		if r.Name == "planted" {
			t.Errorf("%s: a planted record was read through a link: %+v", r.ID, r)
		}
		if r.State != StateUnreadable {
			t.Errorf("%s: state %s, want unreadable", r.ID, r.State)
		}
		if !strings.Contains(r.Error, r.ID) {
			t.Errorf("%s: the error does not name its path: %q", r.ID, r.Error)
		}
	}
	for _, id := range []string{"20261204-000001-symlink", "20261204-000002-fifo", "20261204-000003-hardlink", "20261204-000004-dirlink"} {
		if !seen[id] {
			t.Errorf("%s is not listed (an admin must see what is there)", id)
		}
	}
}
