package job

import (
	"os"

	"golang.org/x/sys/unix"
)

// growPipe asks for a pipe buffer of n bytes (Linux: F_SETPIPE_SZ), so a
// flooding mknimimage blocks, and wakes us, less often. Best effort.
func growPipe(f *os.File, n int) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		unix.FcntlInt(fd, unix.F_SETPIPE_SZ, n)
	})
}
