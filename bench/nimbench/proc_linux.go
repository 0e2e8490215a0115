//go:build linux

package main

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// becomeSubreaper makes orphaned descendants (a job supervisor whose
// starter exited first) our children, so their CPU time reaches our
// RUSAGE_CHILDREN once we reap them.
func becomeSubreaper() bool {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == nil
}

// peakRSSKB is a running process's peak resident set (VmHWM), or 0.
func peakRSSKB(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// reap waits until pid is gone, reaping it if it became our child.
func reap(pid int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
		if got == pid {
			return nil
		}
		if errors.Is(err, syscall.ECHILD) && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("process %d still there after %s", pid, timeout)
}

// growPipe makes a pipe hold size bytes, as the job supervisor does.
func growPipe(f *os.File, size int) { unix.FcntlInt(f.Fd(), unix.F_SETPIPE_SZ, size) }
