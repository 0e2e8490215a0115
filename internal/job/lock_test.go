package job

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// A NAME.lock planted as a link must not make nimwiz, as root, truncate or
// write the file it points to; a FIFO there must not hang it.
func TestLockNeverFollowsALink(t *testing.T) {
	state := t.TempDir()
	s := NewStore(state)
	if err := s.init(); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "shadow")
	os.WriteFile(victim, []byte("root:$6$secret:19000::::::\n"), 0o600)
	if err := os.Symlink(victim, s.lockPath("71cosi")); err != nil {
		t.Fatal(err)
	}
	f, err := s.acquireLock("71cosi", "job-1")
	if err == nil {
		f.Close()
		t.Fatal("acquireLock took a lock through a planted link")
	}
	var ue *safefs.UnsafeError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("acquireLock: %v; want a refusal naming the link", err)
	}
	if _, err := s.probeLock("71cosi"); err == nil {
		t.Fatal("probeLock followed the link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "root:$6$secret:19000::::::\n" {
		t.Fatalf("the link's target was written: %q", b)
	}

	// A dangling link: nothing may be created at its target either.
	target := filepath.Join(t.TempDir(), "created")
	os.Symlink(target, s.lockPath("72cosi"))
	if f, err := s.acquireLock("72cosi", "job-2"); err == nil {
		f.Close()
		t.Fatal("acquireLock through a dangling link")
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was created at the link's target: %v", err)
	}

	// A FIFO: refused at once, not a hang.
	if err := syscall.Mkfifo(s.lockPath("73cosi"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.probeLock("73cosi"); err == nil || !strings.Contains(err.Error(), "FIFO") {
		t.Fatalf("probeLock of a FIFO: %v", err)
	}

	// A hard link to a file elsewhere is not written through.
	if err := os.Link(victim, s.lockPath("74cosi")); err == nil {
		if f, err := s.acquireLock("74cosi", "job-4"); err == nil {
			f.Close()
			t.Fatal("acquireLock wrote through a hard link")
		}
		if b, _ := os.ReadFile(victim); !strings.HasPrefix(string(b), "root:") {
			t.Fatalf("hard link's file written: %q", b)
		}
	}

	// An ordinary name still locks, and says who holds it.
	f, err = s.acquireLock("75cosi", "job-5")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := os.Lstat(s.lockPath("75cosi"))
	if !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file %v", fi.Mode())
	}
}

// A locks directory someone else can write is refused before any lock.
func TestLockRefusesAnOpenLocksDirectory(t *testing.T) {
	s := NewStore(t.TempDir())
	if err := s.init(); err != nil {
		t.Fatal(err)
	}
	os.Chmod(s.lockDir(), 0o777|os.ModeSticky)
	if f, err := s.acquireLock("71cosi", "job-1"); err == nil {
		f.Close()
		t.Fatal("lock taken in a world-writable locks directory")
	} else if !strings.Contains(err.Error(), "chmod go-w "+s.lockDir()) {
		t.Fatalf("acquireLock: %v; want the fix", err)
	}
}

// Start refuses at once, runs nothing, and leaves the link's target alone.
func TestStartRefusesAPlantedLockLink(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(victim, []byte("keep\n"), 0o644)
	os.Symlink(victim, e.store.lockPath("71cosi"))
	j, err := Start(e.store, e.exec, plan("71cosi"), e.self)
	if err == nil {
		t.Fatalf("Start ran job %s through a planted lock link", j.ID)
	}
	if !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("Start: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep\n" {
		t.Fatalf("target written: %q", b)
	}
	if all, _ := e.store.List(); len(all) != 0 {
		t.Fatalf("%d jobs recorded", len(all))
	}
}
