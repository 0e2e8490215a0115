package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every start checks the state directory and every directory nimwiz writes
// in: refused with exit 2, a message naming the directory, why, and the
// exact command that fixes it, and nothing run.
func TestStateDirectoryNobodyElseControls(t *testing.T) {
	type setup func(t *testing.T, state string) (bad string)
	chmod := func(rel string, mode os.FileMode) setup {
		return func(t *testing.T, state string) string {
			p := filepath.Join(state, rel)
			if err := os.MkdirAll(p, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(p, mode); err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	for _, tc := range []struct {
		name  string
		setup setup
		want  []string
	}{
		{"state world-writable", chmod(".", 0o777), []string{"is writable by group and others (mode drwxrwxrwx)", "chmod go-w STATE\n"}},
		{"state sticky and world-writable", chmod(".", 0o777|os.ModeSticky), []string{"the sticky bit does not stop others", "chmod go-w STATE\n"}},
		{"jobs group-writable", chmod("jobs", 0o770), []string{"STATE/jobs is writable by its group", "chmod go-w STATE/jobs\n"}},
		{"locks writable by others", chmod("jobs/locks", 0o703), []string{"STATE/jobs/locks is writable by others", "chmod go-w STATE/jobs/locks"}},
		{"a job directory writable", chmod("jobs/20260101-000000-x", 0o777), []string{"STATE/jobs/20260101-000000-x is writable", "chmod go-w STATE/jobs/20260101-000000-x"}},
		{"perl module directory", chmod("perl", 0o777), []string{"STATE/perl is writable", "chmod go-w STATE/perl"}},
		{"demo world deep inside", chmod("demo/world/install/nim", 0o777), []string{"STATE/demo/world/install/nim is writable", "chmod go-w STATE/demo/world/install/nim"}},
		{"jobs owned by another user", func(t *testing.T, state string) string {
			p := filepath.Join(state, "jobs")
			os.MkdirAll(p, 0o700)
			if os.Geteuid() != 0 {
				t.Skip("giving a directory to another user needs root (CI runs as root)")
			}
			if err := os.Chown(p, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return p
		}, []string{"STATE/jobs is owned by uid 65534", "not by uid 0", "chown 0 STATE/jobs && chmod go-w STATE/jobs"}},
		{"a job directory that is a link", func(t *testing.T, state string) string {
			os.MkdirAll(filepath.Join(state, "jobs"), 0o700)
			other := t.TempDir()
			p := filepath.Join(state, "jobs", "20260101-000000-x")
			os.Symlink(other, p)
			return p
		}, []string{"STATE/jobs/20260101-000000-x is a symbolic link (to ", "never follows a link", "mv STATE/jobs/20260101-000000-x STATE/jobs/20260101-000000-x.link"}},
		{"demo is a file", func(t *testing.T, state string) string {
			p := filepath.Join(state, "demo")
			os.WriteFile(p, nil, 0o600)
			return p
		}, []string{"STATE/demo is not a directory (a regular file)", "mv STATE/demo STATE/demo.aside"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state")
			os.Mkdir(state, 0o700)
			tc.setup(t, state)
			for _, args := range [][]string{{"list"}, {"jobs"}, {"plan", "x.toml"}, {"--demo", "list"}} {
				var out, errb bytes.Buffer
				code := run(append([]string{"--state-dir", state}, args...), strings.NewReader(""), &out, &errb)
				msg := errb.String()
				if code != exitUsage || out.Len() != 0 {
					t.Fatalf("%v: exit %d, stdout %q; want 2 and nothing\n%s", args, code, out.String(), msg)
				}
				for _, w := range append(tc.want, "refusing to use the state directory "+state, "nothing was run") {
					if w = strings.ReplaceAll(w, "STATE", state); !strings.Contains(msg, w) {
						t.Errorf("%v: message lacks %q:\n%s", args, w, msg)
					}
				}
				if strings.Contains(msg, "rm ") {
					t.Errorf("the advice removes something: %s", msg)
				}
			}
			if _, err := os.Lstat(filepath.Join(state, "demo", "world", "var", "sim", "state.json")); err == nil && tc.name != "demo world deep inside" {
				t.Error("the demo was set up in a refused state directory")
			}
		})
	}
}

// A parent of the state directory that others can write without the
// sticky bit could swap it; a sticky one (like /tmp) cannot.
func TestStateDirectoryParents(t *testing.T) {
	base := t.TempDir()
	open := filepath.Join(base, "open")
	os.Mkdir(open, 0o700)
	os.Chmod(open, 0o777)
	var out, errb bytes.Buffer
	code := run([]string{"--state-dir", filepath.Join(open, "nimwiz"), "jobs"}, nil, &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), open+" is writable by group and others without the sticky bit") ||
		!strings.Contains(errb.String(), "chmod go-w "+open) || !strings.Contains(errb.String(), "--state-dir") {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
	os.Chmod(open, 0o777|os.ModeSticky)
	out.Reset()
	errb.Reset()
	if code := run([]string{"--state-dir", filepath.Join(open, "nimwiz"), "jobs"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("under a sticky parent: exit %d: %s", code, errb.String())
	}
	// Through a link: the directory it leads to is what counts.
	link := filepath.Join(base, "link")
	os.Symlink(open, link)
	os.Chmod(open, 0o777)
	errb.Reset()
	if code := run([]string{"--state-dir", filepath.Join(link, "nimwiz"), "jobs"}, nil, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "chmod go-w "+open) {
		t.Fatalf("through a link: exit %d: %s", code, errb.String())
	}
}

// A private state directory (0700 by nimwiz, or 0755 by the admin) passes,
// and what nimwiz makes in it is 0700.
func TestStateDirectoryMadePrivate(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state")
	var out, errb bytes.Buffer
	if code := run([]string{"--demo", "--state-dir", state, "list"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, d := range []string{state, filepath.Join(state, "demo")} {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", d, fi.Mode(), err)
		}
	}
	os.Chmod(state, 0o755)
	if code := run([]string{"--demo", "--state-dir", state, "list"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("0755 state: exit %d: %s", code, errb.String())
	}
}

// BenchmarkCheckState is what every start pays: the demo's world (about a
// hundred directories) and 500 job directories.
func BenchmarkCheckState(b *testing.B) {
	state := filepath.Join(b.TempDir(), "state")
	var out, errb bytes.Buffer
	if code := run([]string{"--demo", "--state-dir", state, "help"}, nil, &out, &errb); code != exitOK {
		b.Fatal(errb.String())
	}
	for i := range 500 {
		os.MkdirAll(filepath.Join(state, "jobs", fmt.Sprintf("20260101-%06d-x", i)), 0o700)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := checkState(state); err != nil {
			b.Fatal(err)
		}
	}
}
