// Package jobtest is a fake mknimimage for tests of processes that run it:
// the test binary links itself as "mknimimage" and its TestMain calls Main.
// The fake prints the real message sequence of a fresh diskless run, can
// stop at the lpp_source and SPOT phases until the test lets it go, and
// records every signal it receives.
package jobtest

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment of the fake (pass it through nim.Executor.Env).
const (
	EnvDir   = "FAKE_MKNIM_DIR"   // control directory (required)
	EnvHold  = "FAKE_MKNIM_HOLD"  // comma list of "lpp", "spot": wait there until go-<point> exists
	EnvExit  = "FAKE_MKNIM_EXIT"  // exit status (default 0)
	EnvNoise = "FAKE_MKNIM_NOISE" // lines of extra output after the lpp_source (default 0)
	EnvNoInt = "FAKE_MKNIM_NOINT" // "1": record SIGINT but go on, like a command stuck in a system call
)

// Files in the control directory.
const (
	SignalsFile = "signals" // one signal name per line, as received
	PIDFile     = "pid"
)

// AtFile is created when the fake reaches a hold point; GoFile lets it go on.
func AtFile(point string) string { return "at-" + point }
func GoFile(point string) string { return "go-" + point }

type piece struct {
	stderr bool
	text   string
	hold   string // wait at this point before printing
}

func pieces(name string, noise int) []piece {
	ps := []piece{
		{text: fmt.Sprintf("Creating a NIM lpp_source resource called '%s_lpp_source'.  This could take a while.\n\n", name)},
		{stderr: true, text: "Warning: Could not find openssh file sets in source location.\n"},
	}
	for i := 0; i < noise; i++ {
		ps = append(ps, piece{stderr: i%7 == 3, text: fmt.Sprintf("noise %d\tcolumn\r progress %d%%\n", i, i%100)})
	}
	ps = append(ps,
		piece{hold: "lpp", text: "Creating a NIM SPOT resource. This could take a while.\n\n"},
		piece{hold: "spot", text: fmt.Sprintf("Updating the NIM spot resource named '%s'. This could take a while.\n\n", name)},
		piece{text: "The following xCAT osimage definition was created. Use the xCAT lsdef command \n" +
			"to view the xCAT definition and the AIX lsnim command to view the individual \n" +
			"NIM resources that are included in this definition.\n\n" +
			"Object name: " + name + "\n" +
			"\timagetype=NIM\n\tlpp_source=" + name + "_lpp_source\n\tnimmethod=rte\n" +
			"\tnimtype=diskless\n\tosname=AIX\n\tpaging=" + name + "_paging\n" +
			"\tshared_root=" + name + "_shared_root\n\tspot=" + name + "\n\n"},
	)
	return ps
}

// Output is everything the fake prints for osimage name, stdout and stderr
// in the order written.
func Output(name string, noise int) string {
	var b strings.Builder
	for _, p := range pieces(name, noise) {
		b.WriteString(p.text)
	}
	return b.String()
}

// Main runs the fake and exits when the process was started as
// "mknimimage"; otherwise it returns.
func Main() {
	if filepath.Base(os.Args[0]) != "mknimimage" {
		return
	}
	if os.Getenv(EnvDir) == "" {
		loadConfig()
	}
	os.Exit(fake(os.Args[1:]))
}

// ConfigFile, in $HOME, holds the fake's environment as KEY=VALUE lines,
// for runs where the caller's executor passes only PATH and HOME through
// (nimwiz itself, not in demo mode).
const ConfigFile = ".fake-mknimimage"

func loadConfig() {
	data, err := os.ReadFile(filepath.Join(os.Getenv("HOME"), ConfigFile))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			os.Setenv(k, v)
		}
	}
}

// WriteConfig writes the fake's environment into home's ConfigFile.
func WriteConfig(t testing.TB, home string, env ...string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(home, ConfigFile), []byte(strings.Join(env, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fake(args []string) int {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		fmt.Fprintln(os.Stderr, "Error: fake mknimimage: "+EnvDir+" not set")
		return 1
	}
	sigc := make(chan os.Signal, 8)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	noInt := os.Getenv(EnvNoInt) == "1"
	go func() {
		for sig := range sigc {
			f, err := os.OpenFile(filepath.Join(dir, SignalsFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
			if err == nil {
				fmt.Fprintln(f, sig.String())
				f.Close()
			}
			if sig == syscall.SIGINT && noInt {
				continue
			}
			os.Exit(128 + int(sig.(syscall.Signal)))
		}
	}()
	os.WriteFile(filepath.Join(dir, PIDFile), []byte(strconv.Itoa(os.Getpid())), 0o600)

	name := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-t" || a == "-l" || a == "-s" || a == "-i":
			i++
		case strings.HasPrefix(a, "-") || strings.Contains(a, "="):
		default:
			name = a
		}
	}
	holds := map[string]bool{}
	for _, h := range strings.Split(os.Getenv(EnvHold), ",") {
		holds[strings.TrimSpace(h)] = true
	}
	noise, _ := strconv.Atoi(os.Getenv(EnvNoise))
	for _, p := range pieces(name, noise) {
		if p.hold != "" && holds[p.hold] {
			os.WriteFile(filepath.Join(dir, AtFile(p.hold)), nil, 0o600)
			for {
				if _, err := os.Stat(filepath.Join(dir, GoFile(p.hold))); err == nil {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		w := os.Stdout
		if p.stderr {
			w = os.Stderr
		}
		w.WriteString(p.text)
	}
	code, _ := strconv.Atoi(os.Getenv(EnvExit))
	return code
}

// Bin makes a directory holding "mknimimage", a link to the running test
// binary, and returns it.
func Bin(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(bin, "mknimimage")); err != nil {
		t.Fatal(err)
	}
	return bin
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
