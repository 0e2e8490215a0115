package job

import (
	"errors"
	"syscall"
)

// pidAlive reports whether a process with that pid exists (it may belong to
// someone else: callers that need "is it our supervisor" use the lock).
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
