// Package testutil holds helpers that tests in several packages share:
// a buffer a goroutine writes while the test reads, and a pseudo-terminal
// that hangs up when closed. Only tests import it.
package testutil

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/creack/pty"
)

// SyncBuffer is a bytes.Buffer safe for one writer and one reader.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// StartPTY starts cmd on a new pseudo-terminal of rows x cols and returns
// its master side. pty leaves the master in blocking mode, where Close
// waits for the pending Read and the terminal never hangs up; the master
// returned is a non-blocking duplicate, so closing it hangs up at once (a
// terminal window closed).
func StartPTY(cmd *exec.Cmd, rows, cols uint16) (*os.File, error) {
	master, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
	if err != nil {
		return nil, err
	}
	defer master.Close()
	fd, err := syscall.Dup(int(master.Fd()))
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), "ptmx"), nil
}
