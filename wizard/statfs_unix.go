//go:build aix || linux || darwin || freebsd || netbsd || openbsd

package wizard

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// FreeSpace returns the bytes available to unprivileged users on the
// filesystem holding path (statfs; Bsize has a different type on AIX and
// Linux, hence the conversions).
func FreeSpace(path string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, fmt.Errorf("statfs %s: %w", path, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
