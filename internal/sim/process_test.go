package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// The test binary answers as the simulated commands: these tests run them
// as real processes, the way nimwiz does.
func TestMain(m *testing.M) { simtest.Main(m) }

// waitFor polls cond until it holds or the deadline passes (a condition,
// not a timed expectation).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var rstateUnavailable = regexp.MustCompile(`(?m)^   Rstate += unavailable for use$`)

func lsnimL(w *simtest.World, name string) string {
	res, err := w.Exec.Query(context.Background(), "lsnim", "-l", name)
	if err != nil {
		return ""
	}
	return string(res.Stdout)
}

func defined(w *simtest.World, name string) bool {
	_, err := w.Exec.Query(context.Background(), "lsdef", "-t", "osimage", "-o", name, "-l")
	return err == nil
}

func start(t *testing.T, w *simtest.World, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd, err := w.Exec.Command("mknimimage", args...)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out, &errb
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// waitStatus is how a finished command ended.
func waitStatus(cmd *exec.Cmd) syscall.WaitStatus {
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ws
}

// procWith returns the world's live process whose args start with prefix.
func procWith(w *simtest.World, prefix string) (pid, ppid int, ok bool) {
	for _, p := range w.Processes() {
		if strings.HasPrefix(p.Args, prefix) {
			return p.PID, p.PPID, true
		}
	}
	return 0, 0, false
}

// idle reports whether the world has no process left.
func idle(w *simtest.World) bool { return len(w.Processes()) == 0 }

// signalsMatching returns the signal log lines containing s.
func signalsMatching(w *simtest.World, s string) []string {
	var out []string
	for _, l := range w.Signals() {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return out
}

func TestRunSeenByAnotherProcess(t *testing.T) {
	w := simtest.New(t, simtest.SpotSeconds(1.5))
	cmd, out, _ := start(t, w, "-t", "diskless", "-s", "/dev/cd0", "conc")
	// While the SPOT is built, another process's lsnim sees it, not ready.
	waitFor(t, "the SPOT being built", func() bool {
		return rstateUnavailable.MatchString(lsnimL(w, "conc"))
	})
	res, err := w.Exec.Query(context.Background(), "lsdef", "-t", "osimage", "conc")
	if err == nil || !strings.Contains(string(res.Stderr), "Could not find an object named 'conc' of type 'osimage'.") {
		t.Errorf("no definition may exist before the NIM resources: %v %q", err, res.Stderr)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("mknimimage: %v", err)
	}
	if !strings.Contains(out.String(), "Object name: conc\n") {
		t.Errorf("no summary: %q", out)
	}
	if l := lsnimL(w, "conc"); !strings.Contains(l, "Rstate        = ready for use") {
		t.Errorf("after the run: %q", l)
	}
	if s := w.Signals(); len(s) != 0 {
		t.Errorf("signals recorded without any sent: %q", s)
	}
}

func TestConcurrentInvocationsKeepTheWorld(t *testing.T) {
	w := simtest.New(t)
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := w.Exec.Query(context.Background(), "chdef", "-t", "osimage", "-o", fmt.Sprintf("c%02d", i), "imagetype=NIM", "osname=AIX")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	res, err := w.Exec.Query(context.Background(), "lsdef", "-t", "osimage", "-w", "imagetype==NIM")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if !strings.Contains(string(res.Stdout), fmt.Sprintf("c%02d  (osimage)\n", i)) {
			t.Errorf("lost update c%02d: %q", i, res.Stdout)
		}
	}
}

// SIGINT and SIGTERM to the client: it asks xcatd to abort, pauses, exits
// 0 printing nothing more; the SPOT is left half-built. xCAT 2.16.5 kills
// the plugin's whole process group (the nim define dies of the SIGINT at
// once); 2.9.3 only the plugin, and the nim define dies of SIGPIPE at its
// next write to the pipe the plugin no longer reads.
func TestAbortDuringSpot(t *testing.T) {
	for _, v := range []struct {
		version, nimDeath string
	}{{"2.16.5", "SIGINT"}, {"2.9.3", "SIGPIPE"}} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
			sigName := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
			t.Run(v.version+"/"+sigName, func(t *testing.T) {
				t.Parallel()
				w := simtest.New(t, simtest.XCAT(v.version), simtest.SpotSeconds(20), simtest.Env("NIMWIZ_SIM_LPP_SECONDS", "0.1"),
					simtest.Env("NIMWIZ_SIM_ABORT_SECONDS", "0.5"))
				cmd, out, errb := start(t, w, "-t", "diskless", "-s", "/dev/cd0", "sig")
				var nimPID int
				waitFor(t, "the SPOT's nim define", func() bool {
					var ok bool
					nimPID, _, ok = procWith(w, "/usr/sbin/nim -Fo define -t spot ")
					return ok && strings.Contains(lsnimL(w, "sig"), "unavailable for use")
				})
				sent := time.Now()
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				err := cmd.Wait()
				if rc := exitCode(err); rc != 0 {
					t.Errorf("exit %d, want 0", rc)
				}
				if d := time.Since(sent); d < 500*time.Millisecond {
					t.Errorf("the client ended %s after the signal, before its pause", d)
				}
				if strings.Contains(out.String(), "Object name") || strings.Contains(out.String(), "Updating") || errb.Len() != 0 {
					t.Errorf("an aborted run prints nothing more: %q %q", out, errb)
				}
				waitFor(t, "the nim define to end", func() bool { _, _, ok := procWith(w, "/usr/sbin/nim "); return !ok })
				waitFor(t, "every process of the run to end", func() bool { return idle(w) })
				if got := signalsMatching(w, " mknimimage client "); len(got) != 1 || !strings.Contains(got[0], sigName+" ") {
					t.Errorf("client's signals %q, want one %s", got, sigName)
				}
				if got := signalsMatching(w, " mknimimage spot "); len(got) != 1 || !strings.Contains(got[0], "SIGINT ") {
					t.Errorf("plugin's signals %q, want one SIGINT in the spot phase", got)
				}
				if got := signalsMatching(w, " nim spot "); len(got) != 1 || !strings.Contains(got[0], v.nimDeath+" ") || !strings.HasSuffix(got[0], fmt.Sprintf(" %d", nimPID)) {
					t.Errorf("nim's signals %q, want %s to pid %d", got, v.nimDeath, nimPID)
				}
				l := lsnimL(w, "sig")
				if !rstateUnavailable.MatchString(l) {
					t.Errorf("the SPOT must stay broken: %q", l)
				}
				if defined(w, "sig") {
					t.Error("an aborted run left an osimage definition")
				}
				res, err := w.Exec.Query(context.Background(), "nim", "-Fo", "check", "sig")
				if err == nil || !strings.Contains(string(res.Stderr), "0042-") {
					t.Errorf("check of the interrupted SPOT: %v %q", err, res.Stderr)
				}
			})
		}
	}
}

// HUP, QUIT and KILL end the client by that signal without an abort; xcatd
// carries on unseen: the osimage gets defined and its SPOT is ready.
func TestClientDeathLeavesTheServerWorking(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			w := simtest.New(t, simtest.SpotSeconds(1.5))
			cmd, _, _ := start(t, w, "-t", "diskless", "-s", "/dev/cd0", "orphan")
			waitFor(t, "the SPOT's nim define", func() bool {
				_, _, ok := procWith(w, "/usr/sbin/nim -Fo define -t spot ")
				return ok
			})
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if ws := waitStatus(cmd); !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("client ended %v, want killed by %v", ws, sig)
			}
			waitFor(t, "the server to finish", func() bool { return idle(w) })
			if !defined(w, "orphan") {
				t.Error("no osimage definition after the client's death")
			}
			if l := lsnimL(w, "orphan"); !strings.Contains(l, "Rstate        = ready for use") {
				t.Errorf("SPOT after the client's death: %q", l)
			}
			sigs := w.Signals()
			if sig == syscall.SIGKILL {
				if len(sigs) != 0 {
					t.Errorf("signal log %q", sigs)
				}
			} else if len(sigs) != 1 || !strings.Contains(sigs[0], " mknimimage client ") {
				t.Errorf("signal log %q, want the client's line only", sigs)
			}
		})
	}
}

// perlAtLeast reports whether /usr/bin/perl is at least version v ($]).
func perlAtLeast(t *testing.T, v float64) bool {
	t.Helper()
	out, err := exec.Command("/usr/bin/perl", "-e", "print $]").Output()
	if err != nil {
		t.Fatal(err)
	}
	var have float64
	if _, err := fmt.Sscan(string(out), &have); err != nil {
		t.Fatal(err)
	}
	return have >= v
}

// A client started with SIGPIPE ignored whose stdout reader is gone lives
// to the end (its prints fail with EPIPE) and exits with xcatd's error
// code. But from Perl 5.24 on (perl.c perl_destruct, commit 8abddda39a,
// 2015) a failed final flush of STDOUT prints "Unable to flush stdout:
// Broken pipe" and turns exit 0 into 1; the Perl of an AIX 7.1 master
// (5.8.8, 5.10.1) exits 0.
func TestClientWithSigpipeIgnored(t *testing.T) {
	newPerl := perlAtLeast(t, 5.024)
	for _, tc := range []struct {
		fault string
		code  int
	}{{"", 0}, {"update", 1}} {
		t.Run("fault="+tc.fault, func(t *testing.T) {
			t.Parallel()
			w := simtest.New(t, simtest.SpotSeconds(0.2), simtest.Fail(tc.fault))
			path, err := w.Exec.LookPath("mknimimage")
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("/bin/sh", "-c", `trap "" PIPE; exec "$0" "$@"`, path, "-t", "diskless", "-s", "/dev/cd0", "ign")
			cmd.Env = w.Exec.Environ()
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Stdout = pw
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			pr.Close() // nobody reads the client's stdout
			err = cmd.Wait()
			want := tc.code
			if newPerl {
				if want == 0 {
					want = 1
				}
				if !strings.HasSuffix(errb.String(), "Unable to flush stdout: Broken pipe\n") {
					t.Errorf("stderr %q, want Perl's complaint at the end", errb.String())
				}
			}
			if ws := waitStatus(cmd); ws.Signaled() || ws.ExitStatus() != want {
				t.Errorf("client ended %v (%v), want exit %d; stderr %q", ws, err, want, errb.String())
			}
			if s := signalsMatching(w, "SIGPIPE"); len(s) != 0 {
				t.Errorf("an ignored SIGPIPE was logged: %q", s)
			}
			if tc.code == 0 && !defined(w, "ign") {
				t.Error("no definition")
			}
		})
	}
}

// The signal logging the client does changes no exit status: a client with
// it and one without (NIMWIZ_SIM_CLIENT_SIGLOG=0) end the same way.
func TestClientSignalLoggingKeepsExitStatuses(t *testing.T) {
	run := func(t *testing.T, log bool, sig syscall.Signal) syscall.WaitStatus {
		spot := 30.0
		if sig == 0 {
			spot = 0.1 // the client writes only when it exits: a short run
		}
		opts := []simtest.Option{simtest.SpotSeconds(spot), simtest.Env("NIMWIZ_SIM_LPP_SECONDS", "0.05")}
		if !log {
			opts = append(opts, simtest.Env("NIMWIZ_SIM_CLIENT_SIGLOG", "0"))
		}
		w := simtest.New(t, opts...)
		cmd, err := w.Exec.Command("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "st")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Dir = t.TempDir() // a core dump, if any, lands here
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = pw, pw
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pw.Close()
		if sig == 0 {
			pr.Close() // the reader goes away: SIGPIPE at the client's first write
		} else {
			defer pr.Close()
			waitFor(t, "the SPOT's nim define", func() bool {
				_, _, ok := procWith(w, "/usr/sbin/nim -Fo define -t spot ")
				return ok
			})
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
		}
		_ = cmd.Wait()
		logged := len(signalsMatching(w, " mknimimage client ")) > 0
		if want := log && sig != syscall.SIGKILL; logged != want {
			t.Errorf("logging %v, signal %v: logged %v", log, sig, logged)
		}
		return waitStatus(cmd)
	}
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE, syscall.SIGKILL, 0} {
		name := "reader gone"
		if sig != 0 {
			name = sig.String()
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			with, without := run(t, true, sig), run(t, false, sig)
			if with != without {
				t.Errorf("with logging %v (%#x), without %v (%#x)", with, uint32(with), without, uint32(without))
			}
			want := sig
			if sig == 0 {
				want = syscall.SIGPIPE
			}
			if !with.Signaled() || with.Signal() != want {
				t.Errorf("client ended %v, want killed by %v", with, want)
			}
		})
	}
}

func TestHangUntilKilled(t *testing.T) {
	w := simtest.New(t, simtest.Hang("update"))
	cmd, out, _ := start(t, w, "-t", "dataless", "-s", "aix7302_lpp", "hung")
	// The definition is written just before the update phase.
	waitFor(t, "the update phase", func() bool { return defined(w, "hung") })
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if rc := exitCode(cmd.Wait()); rc != 0 {
		t.Errorf("exit %d", rc)
	}
	if strings.Contains(out.String(), "Object name") {
		t.Error("a hung run never reaches the summary")
	}
	waitFor(t, "the plugin to die", func() bool { return idle(w) })
	if s := signalsMatching(w, " mknimimage "); len(s) != 2 || !strings.Contains(s[0], "SIGTERM mknimimage client") ||
		!strings.Contains(s[1], "SIGINT mknimimage update") {
		t.Errorf("signals %q", s)
	}
}

func TestHangQueryTimesOut(t *testing.T) {
	w := simtest.New(t, simtest.HangQuery("lsnim"))
	e := *w.Exec
	e.Timeout = 300 * time.Millisecond
	_, err := e.Query(context.Background(), "lsnim", "-t", "spot")
	if !errors.Is(err, nim.ErrTimeout) {
		t.Errorf("err = %v, want a timeout", err)
	}
	if _, err := w.Exec.Query(context.Background(), "lsdef", "-t", "osimage"); err != nil {
		t.Errorf("other commands still answer: %v", err)
	}
}

func TestProcessExitCodesAndStreams(t *testing.T) {
	w := simtest.New(t)
	ctx := context.Background()
	res, err := w.Exec.Query(ctx, "lsnim", "nosuch")
	if err == nil || res.ExitCode == 0 || len(res.Stdout) != 0 ||
		string(res.Stderr) != "0042-053 lsnim: there is no NIM object named \"nosuch\"\n" {
		t.Errorf("lsnim nosuch: %v %+v", err, res)
	}
	res, _ = w.Exec.Query(ctx, "mknimimage", "-t", "diskless", "-s", "/dev/cd0", "aix73_full")
	if res.ExitCode != 1 || string(res.Stderr) != "Error: The osimage definition 'aix73_full' already exists.\n\nError: Return=1.\n" {
		t.Errorf("existing definition: %q %+v", res.Stderr, res)
	}
	w2 := simtest.New(t, simtest.Head())
	res, _ = w2.Exec.Query(ctx, "mknimimage", "-t", "diskless", "-s", "/dev/cd0", "aix73_full")
	if res.ExitCode != 1 || !strings.HasSuffix(string(res.Stderr), "Error: [xcatmn]: Return=1.\n") {
		t.Errorf("existing definition, 2.16.5: %q", res.Stderr)
	}
	res, _ = w.Exec.Query(ctx, "mknimimage", "-t", "diskless", "-s", "/dev/cd0", "x", "=bad")
	if res.ExitCode != 3 {
		t.Errorf("bad attr=val exit %d", res.ExitCode)
	}
	res, err = w.Exec.Query(ctx, "mknimimage", "--nosuch")
	if err != nil || !strings.Contains(string(res.Stdout), "Usage:") {
		t.Errorf("unknown option: %v %+v", err, res)
	}
	// An image named 0 is never seen (aixinstall.pm's operand loop).
	res, _ = w.Exec.Query(ctx, "mknimimage", "-t", "diskless", "-s", "/dev/cd0", "0")
	if res.ExitCode != 1 || !strings.HasPrefix(string(res.Stderr), "Error: The image name and either the -s or -i option are required.\n") {
		t.Errorf("image named 0: %+v", res)
	}
}
