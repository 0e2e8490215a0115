//go:build !linux

package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Elsewhere (AIX, macOS) there is no subreaper and no /proc status: the
// front end's peak memory is its wait4 figure, which includes what it reaped.
func becomeSubreaper() bool   { return false }
func peakRSSKB(pid int) int64 { return 0 }

// reap waits until pid is gone (whoever reaps it).
func reap(pid int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("process %d still there after %s", pid, timeout)
}

// growPipe: pipes keep their default size here.
func growPipe(f *os.File, size int) {}
