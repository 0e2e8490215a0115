//go:build !(aix || linux || darwin || freebsd || netbsd || openbsd)

package wizard

import (
	"errors"
)

// FreeSpace is not available on this system; the location step then says
// it could not check.
func FreeSpace(path string) (uint64, error) {
	return 0, errors.New("free space cannot be checked on this system")
}
