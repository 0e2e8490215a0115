package job

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// One job at a time per osimage name. The supervisor holds an fcntl write
// lock on <store>/locks/<name>.lock for its whole life. The kernel drops the
// lock when the supervisor dies however it dies, so a lock can never go
// stale: the file may stay, but nobody holds it. (fcntl, not flock: AIX has
// no flock.) Caveat of fcntl locks: closing ANY descriptor of the file drops
// the process's lock, so the supervisor never probes its own lock.
//
// The lock file is opened without following a link (safefs.OpenNoFollow):
// a NAME.lock planted as a link to /etc/shadow must not make nimwiz, as
// root, truncate and write the file it points to; nor may a FIFO there hang
// it. The locks directory must be nimwiz's own (safefs.MkdirPrivate).

// BusyError says that another job holds the osimage name.
type BusyError struct {
	Name  string
	JobID string // "" when the holder did not record it yet
	PID   int    // supervisor pid, or the process that keeps the name busy
	Why   string // when the job's supervisor is not what keeps it: why the name is still busy
}

func (e *BusyError) Error() string {
	who := fmt.Sprintf("job %s", e.JobID)
	if e.JobID == "" {
		who = "another job"
	}
	if e.Why != "" {
		return fmt.Sprintf("osimage %q is still in the hands of %s: %s; wait until 'nimwiz jobs %s' says it has settled, or choose another name", e.Name, who, e.Why, e.JobID)
	}
	return fmt.Sprintf("osimage %q is held by %s (supervisor pid %d), which creates, copies or updates it: wait for it to end (see 'nimwiz jobs') or choose another name", e.Name, who, e.PID)
}

func (s *Store) lockDir() string { return filepath.Join(s.Dir, "locks") }

func (s *Store) lockPath(name string) string { return filepath.Join(s.lockDir(), name+".lock") }

// probeLock reports who holds the lock of name, or nil when nobody does.
func (s *Store) probeLock(name string) (*BusyError, error) {
	f, err := safefs.OpenNoFollow(s.lockPath(name), os.O_RDONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock of %s: %w", name, err)
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_GETLK, &lk); err != nil {
		return nil, fmt.Errorf("lock of %s: %w", name, err)
	}
	if lk.Type == unix.F_UNLCK {
		return nil, nil
	}
	b := &BusyError{Name: name, PID: int(lk.Pid)}
	b.JobID = readLockOwner(f)
	return b, nil
}

func readLockOwner(f *os.File) string {
	buf := make([]byte, 256)
	n, _ := f.ReadAt(buf, 0)
	fields := strings.Fields(string(buf[:n]))
	if len(fields) > 0 {
		return fields[0]
	}
	return ""
}

// acquireLock takes the lock of name for job id and keeps it until the
// returned file is closed (or the process ends).
func (s *Store) acquireLock(name, id string) (*os.File, error) {
	if err := safefs.CheckPrivateDir(s.Dir); err != nil {
		return nil, fmt.Errorf("job store: %w", err)
	}
	if err := safefs.MkdirPrivate(s.lockDir()); err != nil {
		return nil, fmt.Errorf("lock directory: %w", err)
	}
	f, err := safefs.OpenNoFollow(s.lockPath(name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock of %s: %w", name, err)
	}
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
	if err := unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk); err != nil {
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EACCES) {
			b := &BusyError{Name: name, JobID: readLockOwner(f)}
			probe := unix.Flock_t{Type: unix.F_WRLCK, Whence: 0}
			if unix.FcntlFlock(f.Fd(), unix.F_GETLK, &probe) == nil {
				b.PID = int(probe.Pid)
			}
			f.Close()
			return nil, b
		}
		f.Close()
		return nil, fmt.Errorf("lock of %s: %w", name, err)
	}
	// Say who holds it, for the error of the next one who tries.
	owner := id + " " + strconv.Itoa(os.Getpid()) + "\n"
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(owner), 0) // not synced: after a crash the lock is free anyway
	}
	return f, nil
}
