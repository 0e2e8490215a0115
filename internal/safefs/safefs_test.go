package safefs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// otherUID is "another user" for ownership cases (nobody).
const otherUID = 65534

// chownOther makes path belong to another user; only root can.
func chownOther(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("giving a directory to another user needs root (the suite runs as root in CI)")
	}
	if err := os.Lchown(path, otherUID, otherUID); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, path string, mode os.FileMode) string {
	t.Helper()
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // Mkdir's mode is cut by the umask
		t.Fatal(err)
	}
	return path
}

// unsafe asserts err is an *UnsafeError about path whose message says each
// of want (why, and the exact fix).
func unsafe(t *testing.T, err error, path string, want ...string) {
	t.Helper()
	var ue *UnsafeError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want an UnsafeError about %s", err, path)
	}
	if ue.Path != path {
		t.Fatalf("refused %s, want %s: %v", ue.Path, path, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks %q:\n%v", w, err)
		}
	}
	for _, bad := range []string{"rm ", "rmdir", "chmod 7", "chmod 6"} {
		if strings.Contains(ue.Fix, bad) {
			t.Errorf("the fix removes what the admin had (%q): %s", bad, ue.Fix)
		}
	}
}

func TestCheckPrivateDir(t *testing.T) {
	base := t.TempDir()
	ok := mkdir(t, filepath.Join(base, "ok"), 0o700)
	if err := CheckPrivateDir(ok); err != nil {
		t.Fatalf("0700 own directory refused: %v", err)
	}
	readable := mkdir(t, filepath.Join(base, "readable"), 0o755)
	if err := CheckPrivateDir(readable); err != nil {
		t.Fatalf("0755 own directory refused: %v", err)
	}
	for _, tc := range []struct {
		name string
		mode os.FileMode
		want []string
	}{
		{"group", 0o770, []string{"writable by its group", "chmod go-w "}},
		{"others", 0o703, []string{"writable by others", "chmod go-w "}},
		{"world", 0o777, []string{"writable by group and others", "drwxrwxrwx", "chmod go-w "}},
		{"sticky", 0o777 | os.ModeSticky, []string{"sticky bit does not stop", "chmod go-w "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := mkdir(t, filepath.Join(base, tc.name), tc.mode.Perm())
			if tc.mode&os.ModeSticky != 0 {
				if err := os.Chmod(d, tc.mode); err != nil {
					t.Fatal(err)
				}
			}
			unsafe(t, CheckPrivateDir(d), d, append(tc.want, d)...)
		})
	}
	t.Run("other owner", func(t *testing.T) {
		d := mkdir(t, filepath.Join(base, "theirs"), 0o700)
		chownOther(t, d)
		unsafe(t, CheckPrivateDir(d), d, "owned by uid 65534", "chown 0 "+d)
	})
	t.Run("symlink to own directory", func(t *testing.T) {
		l := filepath.Join(base, "link")
		if err := os.Symlink(ok, l); err != nil {
			t.Fatal(err)
		}
		unsafe(t, CheckPrivateDir(l), l, "symbolic link (to "+ok+")", "mv "+l+" "+l+".link")
	})
	t.Run("file", func(t *testing.T) {
		f := filepath.Join(base, "file")
		os.WriteFile(f, nil, 0o600)
		unsafe(t, CheckPrivateDir(f), f, "not a directory (a regular file)", "mv "+f)
	})
	if err := CheckPrivateDir(filepath.Join(base, "absent")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("absent: %v", err)
	}
}

func TestCheckParents(t *testing.T) {
	base := t.TempDir() // under /tmp: sticky and world-writable, which is allowed above
	own := mkdir(t, filepath.Join(base, "own"), 0o755)
	if got, err := CheckParents(filepath.Join(own, "state", "not", "yet")); err != nil || got != filepath.Join(own, "state", "not", "yet") {
		t.Fatalf("CheckParents = %q, %v", got, err)
	}
	open := mkdir(t, filepath.Join(base, "open"), 0o777)
	unsafe(t, firstErr(CheckParents(filepath.Join(open, "state"))), open, "without the sticky bit", "chmod go-w "+open, "--state-dir")
	group := mkdir(t, filepath.Join(base, "group"), 0o775)
	unsafe(t, firstErr(CheckParents(filepath.Join(group, "a", "state"))), group, "chmod g-w "+group)
	sticky := mkdir(t, filepath.Join(base, "sticky"), 0o777)
	os.Chmod(sticky, 0o777|os.ModeSticky)
	if _, err := CheckParents(filepath.Join(sticky, "state")); err != nil {
		t.Fatalf("a sticky parent (like /tmp) refused: %v", err)
	}
	t.Run("link resolved and checked", func(t *testing.T) {
		l := filepath.Join(own, "via")
		os.Symlink(open, l)
		unsafe(t, firstErr(CheckParents(filepath.Join(l, "state"))), open, "chmod go-w "+open)
		l2 := filepath.Join(own, "good")
		os.Symlink(own, l2)
		got, err := CheckParents(filepath.Join(l2, "state"))
		if err != nil || got != filepath.Join(own, "state") {
			t.Fatalf("CheckParents through a good link = %q, %v; want the resolved path", got, err)
		}
	})
	t.Run("other owner", func(t *testing.T) {
		theirs := mkdir(t, filepath.Join(base, "theirs"), 0o755)
		chownOther(t, theirs)
		unsafe(t, firstErr(CheckParents(filepath.Join(theirs, "state"))), theirs, "owned by uid 65534", "chown 0 "+theirs)
	})
}

func firstErr(_ string, err error) error { return err }

func TestMkdirPrivate(t *testing.T) {
	base := t.TempDir()
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	d := filepath.Join(base, "a", "b", "c")
	if err := MkdirPrivate(d); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(base, "a"), filepath.Join(base, "a", "b"), d} {
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want 0700 even with umask 0", p, fi.Mode())
		}
	}
	if err := MkdirPrivate(d); err != nil {
		t.Fatalf("again: %v", err)
	}
	wide := mkdir(t, filepath.Join(base, "wide"), 0o777)
	unsafe(t, MkdirPrivate(wide), wide, "chmod go-w")
	l := filepath.Join(base, "l")
	os.Symlink(d, l)
	unsafe(t, MkdirPrivate(l), l, "symbolic link")
}

func TestOpenNoFollow(t *testing.T) {
	base := t.TempDir()
	secret := filepath.Join(base, "secret")
	os.WriteFile(secret, []byte("root's\n"), 0o600)
	link := filepath.Join(base, "NAME.lock")
	os.Symlink(secret, link)
	for _, flag := range []int{os.O_RDONLY, os.O_RDWR | os.O_CREATE, os.O_WRONLY | os.O_TRUNC} {
		f, err := OpenNoFollow(link, flag, 0o600)
		if err == nil {
			f.Close()
		}
		unsafe(t, err, link, "symbolic link (to "+secret+")")
	}
	if b, _ := os.ReadFile(secret); string(b) != "root's\n" {
		t.Fatalf("written through the link: %q", b)
	}
	dangling := filepath.Join(base, "dangling")
	target := filepath.Join(base, "created-through-link")
	os.Symlink(target, dangling)
	if f, err := CreateExcl(dangling, 0o600); err == nil {
		f.Close()
		t.Fatal("CreateExcl created through a dangling link")
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a file was created at the link's target")
	}

	fifo := filepath.Join(base, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Without O_NONBLOCK this open would hang: there is no writer.
	f, err := OpenNoFollow(fifo, os.O_RDONLY, 0)
	if err == nil {
		f.Close()
	}
	unsafe(t, err, fifo, "not a regular file (a FIFO)")
	if _, err := ReadFile(fifo, 10); err == nil {
		t.Fatal("ReadFile read a FIFO")
	}

	hard := filepath.Join(base, "hard")
	if err := os.Link(secret, hard); err != nil {
		t.Fatal(err)
	}
	f, err = OpenNoFollow(hard, os.O_RDWR, 0)
	if err == nil {
		f.Close()
	}
	unsafe(t, err, hard, "2 hard links")

	t.Run("other owner", func(t *testing.T) {
		theirs := filepath.Join(base, "theirs")
		os.WriteFile(theirs, nil, 0o600)
		chownOther(t, theirs)
		f, err := OpenNoFollow(theirs, os.O_WRONLY, 0)
		if err == nil {
			f.Close()
		}
		unsafe(t, err, theirs, "owned by uid 65534")
		if f, err := OpenNoFollow(theirs, os.O_RDONLY, 0); err != nil {
			t.Fatalf("reading another's regular file: %v", err)
		} else {
			f.Close()
		}
	})

	n := filepath.Join(base, "new")
	f, err = CreateExcl(n, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := CreateExcl(n, 0o600); !errors.Is(err, os.ErrExist) {
		t.Fatalf("CreateExcl of an existing file: %v", err)
	}
	if b, err := ReadFile(secret, 100); err != nil || string(b) != "root's\n" {
		t.Fatalf("ReadFile = %q, %v", b, err)
	}
	if _, err := ReadFile(secret, 3); err == nil {
		t.Fatal("ReadFile past max")
	}
}

func TestWriteFileAtomicReplacesALinkNotItsTarget(t *testing.T) {
	base := t.TempDir()
	secret := filepath.Join(base, "secret")
	os.WriteFile(secret, []byte("keep"), 0o644)
	p := filepath.Join(base, "job.json")
	os.Symlink(secret, p)
	for _, durable := range []bool{false, true} {
		if err := WriteFileAtomic(p, []byte("new"), 0o600, durable); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(secret); string(b) != "keep" {
			t.Fatalf("written through the link: %q", b)
		}
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
			t.Fatalf("job.json: %v %v", fi.Mode(), err)
		}
	}
	ents, _ := os.ReadDir(base)
	if len(ents) != 2 {
		t.Fatalf("temporary files left: %v", ents)
	}
}

func TestResolveIn(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"install/nim", "data/real", "etc"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.Symlink("/", filepath.Join(root, "install", "toroot"))
	os.Symlink("../data/real", filepath.Join(root, "install", "rel"))
	os.Symlink("/install/rel/..", filepath.Join(root, "install", "up"))
	os.Symlink("loop2", filepath.Join(root, "loop1"))
	os.Symlink("loop1", filepath.Join(root, "loop2"))
	os.WriteFile(filepath.Join(root, "etc", "file"), nil, 0o644)
	for _, tc := range []struct{ in, want string }{
		{"/install/nim", "/install/nim"},
		{"/install/toroot", "/"},
		{"/install/toroot/etc", "/etc"},
		{"/install/rel", "/data/real"},
		{"/install/rel/new/deeper", "/data/real/new/deeper"},
		{"/install/up", "/data"},
		{"/install/nope/x", "/install/nope/x"},
		{"/etc/file/under", "/etc/file/under"},
	} {
		got, err := ResolveIn(root, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ResolveIn(%s) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := ResolveIn(root, "/loop1/x"); err == nil || !strings.Contains(err.Error(), "too many levels") {
		t.Errorf("loop: %v", err)
	}
	if _, err := ResolveIn(root, "rel"); err == nil {
		t.Error("a relative path was resolved")
	}
	// On this machine's own root.
	l := filepath.Join(root, "toslash")
	os.Symlink("/", l)
	if got, err := ResolveIn("", l); err != nil || got != "/" {
		t.Errorf("ResolveIn(\"\", %s) = %q, %v", l, got, err)
	}
}
