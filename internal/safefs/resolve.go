package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinks bounds the links followed in one resolution (Linux's is 40).
const maxLinks = 40

// ResolveIn resolves the symbolic links in the absolute path p as seen from
// a host whose "/" is root ("" for this machine's own): an absolute link
// target starts again from root, so a simulated host's links never lead
// out of it. The part of p that does not exist yet is kept as written. The
// result is in the host's terms (without root).
func ResolveIn(root, p string) (string, error) {
	if !path.IsAbs(p) {
		return "", fmt.Errorf("%q is not an absolute path", p)
	}
	host := func(s string) string {
		if root == "" {
			return s
		}
		return filepath.Join(root, filepath.FromSlash(s))
	}
	parts := strings.Split(p, "/")
	resolved, links := "/", 0
	for len(parts) > 0 {
		c := parts[0]
		parts = parts[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, c)
		fi, err := os.Lstat(host(next))
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			// Not there (yet): the rest is as written.
			return path.Join(append([]string{next}, parts...)...), nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("%s: too many levels of symbolic links", p)
		}
		to, err := os.Readlink(host(next))
		if err != nil {
			return "", err
		}
		if path.IsAbs(to) {
			resolved = "/"
		}
		parts = append(strings.Split(to, "/"), parts...)
	}
	return resolved, nil
}
