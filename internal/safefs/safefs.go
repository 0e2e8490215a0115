// Package safefs is how nimwiz, which runs as root on the NIM master, uses
// the directories and files it keeps: only directories that the effective
// user owns and nobody else can write, never through a symbolic link, and
// never a file that is not a regular one. Whoever could write in nimwiz's
// state could make it run or overwrite what they choose, as root.
//
// The rules:
//   - A directory nimwiz writes in (CheckPrivateDir): a real directory, not a
//     link to one; owned by the effective user; not writable by group or
//     others. The sticky bit is no excuse: it stops others removing entries,
//     not planting new ones.
//   - Each directory above it (CheckParents): owned by root or the effective
//     user; not writable by group or others unless the sticky bit is set
//     (/tmp), where nobody can rename or remove what another owns, so the
//     private directory below cannot be swapped. Links above it are
//     resolved and the directories they lead to checked the same way.
//   - New directories are made 0700 (MkdirPrivate), new files 0600;
//     files are opened with O_NOFOLLOW (and O_NONBLOCK, so a FIFO cannot
//     hang nimwiz) and used only when fstat says they are regular
//     (OpenNoFollow); a file that must be new is opened with O_EXCL
//     (CreateExcl); a file is replaced by a rename from a new temporary
//     file beside it (WriteFileAtomic), which replaces a link rather than
//     writing through it.
//
// Every refusal is an *UnsafeError naming the path, why, and the command
// that fixes it without removing anything the admin had.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// UnsafeError says why nimwiz refuses a path and how to fix it.
type UnsafeError struct {
	Path string
	Why  string // "is writable by group and others (mode drwxrwxrwx)"
	Risk string // what someone could do through it
	Fix  string // the commands that fix it, or what else to do
}

func (e *UnsafeError) Error() string {
	return fmt.Sprintf("%s %s: %s. To fix it: %s", e.Path, e.Why, e.Risk, e.Fix)
}

const riskPrivate = "whoever can write there can make nimwiz, running as root, run or overwrite what they choose"

// euid is the effective user id; a variable so tests can pretend.
var euid = os.Geteuid

// CheckPrivateDir refuses dir unless it is a directory (not a link to
// one) that the effective user owns and neither group nor others can write.
func CheckPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	return checkPrivate(dir, fi)
}

func checkPrivate(dir string, fi fs.FileInfo) error {
	me := euid()
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		to, _ := os.Readlink(dir)
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is a symbolic link (to %s)", to),
			Risk: "nimwiz never follows a link inside the directories it writes in, as whoever can change the link chooses where root writes",
			Fix:  fmt.Sprintf("replace it with a directory of its own, keeping the link aside: mv %s %s.link && mkdir -m 700 %s", q(dir), q(dir), q(dir))}
	case !fi.IsDir():
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is not a directory (%s)", typeName(fi.Mode())),
			Risk: "nimwiz keeps its state in directories of its own",
			Fix:  fmt.Sprintf("move it aside: mv %s %s.aside", q(dir), q(dir))}
	}
	if uid, ok := owner(fi); ok && uid != me {
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is owned by %s, not by %s who runs nimwiz", userName(uid), userName(me)),
			Risk: "its owner can put there what nimwiz, running as root, will run or overwrite",
			Fix:  fmt.Sprintf("if you trust what is in it: chown %d %s && chmod go-w %s; otherwise move it aside (mv %s %s.untrusted) and nimwiz makes a new one", me, q(dir), q(dir), q(dir), q(dir))}
	}
	if p := fi.Mode().Perm(); p&0o022 != 0 {
		why := fmt.Sprintf("is writable by %s (mode %s)", writers(p), fi.Mode())
		if fi.Mode()&fs.ModeSticky != 0 {
			why += "; the sticky bit does not stop others from adding files"
		}
		return &UnsafeError{Path: dir, Why: why, Risk: riskPrivate,
			Fix: fmt.Sprintf("chmod go-w %s", q(dir))}
	}
	return nil
}

// CheckParents checks every directory above path up to /, after resolving
// links: each must be owned by root or the effective user and not writable
// by group or others unless it has the sticky bit. path itself need not
// exist. It returns the resolved path, which the caller should use from
// then on (so a link changed later does not matter).
func CheckParents(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := ResolveIn("", abs)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", abs, err)
	}
	me := euid()
	for dir := filepath.Dir(real); ; dir = filepath.Dir(dir) {
		fi, err := os.Lstat(dir)
		if err == nil {
			if err := checkParent(dir, fi, me, abs); err != nil {
				return "", err
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if dir == "/" || dir == "." {
			break
		}
	}
	return real, nil
}

func checkParent(dir string, fi fs.FileInfo, me int, below string) error {
	elsewhere := "or choose a directory elsewhere with --state-dir or NIMWIZ_STATE_DIR"
	risk := fmt.Sprintf("it is above %s, so whoever can write it can swap that directory for one of their own", below)
	if !fi.IsDir() {
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is not a directory (%s)", typeName(fi.Mode())), Risk: "it is on the way to " + below, Fix: elsewhere}
	}
	if uid, ok := owner(fi); ok && uid != 0 && uid != me {
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is owned by %s, neither root nor %s who runs nimwiz", userName(uid), userName(me)), Risk: risk,
			Fix: fmt.Sprintf("chown %d %s, %s", me, q(dir), elsewhere)}
	}
	if p := fi.Mode().Perm(); p&0o022 != 0 && fi.Mode()&fs.ModeSticky == 0 {
		who := "go-w"
		if p&0o022 == 0o020 {
			who = "g-w"
		} else if p&0o022 == 0o002 {
			who = "o-w"
		}
		return &UnsafeError{Path: dir, Why: fmt.Sprintf("is writable by %s without the sticky bit (mode %s)", writers(p), fi.Mode()), Risk: risk,
			Fix: fmt.Sprintf("chmod %s %s, %s", who, q(dir), elsewhere)}
	}
	return nil
}

// MkdirPrivate makes dir (and any missing parent) with mode 0700 where it
// does not exist, and then checks it with CheckPrivateDir: an existing
// directory is used only if it passes.
func MkdirPrivate(dir string) error {
	err := os.Mkdir(dir, 0o700)
	if errors.Is(err, fs.ErrNotExist) {
		if parent := filepath.Dir(dir); parent != dir {
			if err := MkdirPrivate(parent); err != nil {
				return err
			}
		}
		err = os.Mkdir(dir, 0o700)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return CheckPrivateDir(dir)
}

// OpenNoFollow opens the regular file at path without following a link
// there (O_NOFOLLOW) and without blocking on a FIFO or device (O_NONBLOCK),
// then checks with fstat that it is a regular file. Opened for writing, it
// must also be owned by the effective user and have one link, so a hard
// link to a file elsewhere is not written through.
func OpenNoFollow(path string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, perm)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			to, _ := os.Readlink(path)
			return nil, &UnsafeError{Path: path, Why: fmt.Sprintf("is a symbolic link (to %s)", to),
				Risk: "nimwiz never follows a link in its state, as whoever made it chooses what root reads or writes",
				Fix:  fmt.Sprintf("look at it, then move it aside: mv %s %s.link", q(path), q(path))}
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &UnsafeError{Path: path, Why: fmt.Sprintf("is not a regular file (%s)", typeName(fi.Mode())),
			Risk: "nimwiz reads and writes only regular files (a FIFO would hang it, a device would be read or written as root)",
			Fix:  fmt.Sprintf("give a regular file, or move this one aside: mv %s %s.aside", q(path), q(path))}
	}
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			if int(st.Uid) != euid() {
				f.Close()
				return nil, &UnsafeError{Path: path, Why: fmt.Sprintf("is owned by %s, not by %s who runs nimwiz", userName(int(st.Uid)), userName(euid())),
					Risk: "nimwiz writes only files it made", Fix: fmt.Sprintf("move it aside: mv %s %s.aside", q(path), q(path))}
			}
			if st.Nlink != 1 {
				f.Close()
				return nil, &UnsafeError{Path: path, Why: fmt.Sprintf("has %d hard links", st.Nlink),
					Risk: "writing it would write the same file elsewhere", Fix: fmt.Sprintf("move it aside: mv %s %s.aside", q(path), q(path))}
			}
		}
	}
	return f, nil
}

// CreateExcl creates a new file at path with perm (0600 unless there is a
// reason), failing if anything, a link included, is there already.
func CreateExcl(path string, perm os.FileMode) (*os.File, error) {
	return OpenNoFollow(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
}

// ReadFile reads the regular file at path without following a link there,
// up to max bytes (a longer file is an error).
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := OpenNoFollow(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, max)
	}
	return data, nil
}

// WriteFileAtomic replaces path with data: a new temporary file beside it
// (O_EXCL, mode perm), optionally synced, renamed over path. The rename
// replaces whatever is at path, a link included, and never writes through
// it; a reader sees the old content or the new. durable also syncs the
// directory so the rename survives a crash of the machine.
func WriteFileAtomic(path string, data []byte, perm os.FileMode, durable bool) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*") // O_EXCL, 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if perm != 0o600 {
		if err := f.Chmod(perm); err != nil {
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if durable {
		if d, err := os.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW, 0); err == nil {
			d.Sync() // best effort: not every file system syncs directories
			d.Close()
		}
	}
	return nil
}

func owner(fi fs.FileInfo) (int, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(st.Uid), true
}

func writers(p fs.FileMode) string {
	switch p & 0o022 {
	case 0o020:
		return "its group"
	case 0o002:
		return "others"
	}
	return "group and others"
}

func typeName(m fs.FileMode) string {
	switch t := m.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	}
	return m.Type().String()
}

// q quotes a path for a shell command line when it needs it.
func q(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
