// Package jobtest is a fake mknimimage for tests of processes that run it.
// The fake is a Perl script (fake.pl), because what the job runner must
// cope with is how the real xCAT client behaves as a Perl process: STDOUT
// block-buffered on a pipe unless nimwiz's live module is loaded through
// PERL5OPT, STDERR unbuffered, INT and TERM answered with a pause and exit
// 0. It prints the real message sequence of a fresh diskless run, can stop
// at the lpp_source and SPOT holds until the test lets it go (with a child
// process titled like NIM's define command, which ps shows), and records
// every signal it receives.
package jobtest

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

//go:embed fake.pl
var script []byte

// Environment of the fake (pass it through nim.Executor.Env).
const (
	EnvDir   = "FAKE_MKNIM_DIR"        // control directory (required)
	EnvHold  = "FAKE_MKNIM_HOLD"       // comma list of "lpp", "spot": wait there until go-<point> exists
	EnvExit  = "FAKE_MKNIM_EXIT"       // exit status (default 0)
	EnvNoise = "FAKE_MKNIM_NOISE"      // lines of extra output after the lpp_source (default 0)
	EnvNoInt = "FAKE_MKNIM_NOINT"      // "1": record SIGINT but go on, like a command stuck in a system call
	EnvNoDef = "FAKE_MKNIM_NODEF"      // "1": print the summary but leave no osimage for lsdef to find
	EnvSpot  = "FAKE_MKNIM_SPOT_STATE" // the SPOT's Rstate lsnim shows afterwards (default "ready for use")
	EnvAbort = "FAKE_MKNIM_ABORT"      // seconds the client pauses after INT or TERM (default 0.05; the real one: 2)
)

// Files in the control directory.
const (
	SignalsFile = "signals" // one signal name per line, as received: interrupt, terminated, hangup, quit
	PIDFile     = "pid"
)

// AtFile is created when the fake reaches a hold point; GoFile lets it go on.
func AtFile(point string) string { return "at-" + point }
func GoFile(point string) string { return "go-" + point }

// Output is everything the fake prints for osimage name (stdout and stderr
// in the order written), with -V when verbose.
func Output(name string, noise int, verbose bool) string {
	var b strings.Builder
	v := func(cmd string) {
		if verbose {
			b.WriteString("Running command on mn01: " + cmd + " 2>&1\n\n")
		}
	}
	v("/usr/sbin/lsnim -l >/dev/null")
	fmt.Fprintf(&b, "Creating a NIM lpp_source resource called '%s_lpp_source'.  This could take a while.\n\n", name)
	v(fmt.Sprintf("/usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/%s_lpp_source -a source=%s %s_lpp_source", name, "/export/aix71", name))
	b.WriteString("Warning: Could not find openssh file sets in source location.\n")
	for i := 0; i < noise; i++ {
		fmt.Fprintf(&b, "noise %d\tcolumn\r progress %d%%\n", i, i%100)
	}
	v("/usr/bin/mkdir -p /install/nim/spot")
	b.WriteString("Creating a NIM SPOT resource. This could take a while.\n\n")
	v(fmt.Sprintf("/usr/sbin/nim -Fo define -t spot -a server=master -a source=%s_lpp_source -a location=/install/nim/spot  %s ", name, name))
	fmt.Fprintf(&b, "Updating the NIM spot resource named '%s'. This could take a while.\n\n", name)
	b.WriteString("The following xCAT osimage definition was created. Use the xCAT lsdef command \n" +
		"to view the xCAT definition and the AIX lsnim command to view the individual \n" +
		"NIM resources that are included in this definition.\n\n" +
		"Object name: " + name + "\n" +
		"\timagetype=NIM\n\tlpp_source=" + name + "_lpp_source\n\tnimtype=diskless\n\tosname=AIX\n" +
		"\tpaging=" + name + "_paging\n\tshared_root=" + name + "_shared_root\n\tspot=" + name + "\n\n")
	return b.String()
}

// Source is the source the fake's Output assumes (-s).
const Source = "/export/aix71"

// ConfigFile, in $HOME, holds the fake's environment as KEY=VALUE lines,
// for runs whose caller cannot pass it through (nimwiz in real mode run by
// a test).
const ConfigFile = ".fake-mknimimage"

// WriteConfig writes the fake's environment into home's ConfigFile.
func WriteConfig(t testing.TB, home string, env ...string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(home, ConfigFile), []byte(strings.Join(env, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Bin makes a directory holding the fake as "mknimimage" (and as "lsdef"
// and "lsnim", which answer what the fake left) and the system's ps (nimwiz
// asks ps whether NIM still works for a job), and returns it.
func Bin(t testing.TB) string {
	t.Helper()
	bin := t.TempDir()
	for _, name := range []string{"mknimimage", "lsdef", "lsnim"} {
		if err := os.WriteFile(filepath.Join(bin, name), script, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := exec.LookPath("ps")
	if err != nil {
		t.Fatalf("the tests need ps: %v", err)
	}
	if err := os.Symlink(ps, filepath.Join(bin, "ps")); err != nil {
		t.Fatal(err)
	}
	return bin
}

// LiveDir installs nimwiz's live module in a new directory and returns it,
// for nim.Executor.LiveDir.
func LiveDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "perl")
	if err := nim.InstallLiveModule(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Let lets the fake go on from a hold point.
func Let(t testing.TB, dir, point string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, GoFile(point)), nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Signals returns the signals the fake received.
func Signals(dir string) []string {
	data, _ := os.ReadFile(filepath.Join(dir, SignalsFile))
	return strings.Fields(string(data))
}

// Eventually polls cond until it holds or the deadline passes.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
