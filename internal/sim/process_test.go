package sim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

func TestSignalDuringSpotLeavesItBroken(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		name string
		rc   int
	}{
		{syscall.SIGINT, "SIGINT", 0}, // the xCAT client aborts, pauses, exits 0
		{syscall.SIGTERM, "SIGTERM", 0},
		{syscall.SIGHUP, "SIGHUP", 128 + int(syscall.SIGHUP)},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := simtest.New(t, simtest.SpotSeconds(20))
			cmd, out, errb := start(t, w, "-t", "diskless", "-s", "/dev/cd0", "sig")
			waitFor(t, "the SPOT being built", func() bool { return strings.Contains(lsnimL(w, "sig"), "unavailable for use") })
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			if rc := exitCode(cmd.Wait()); rc != c.rc {
				t.Errorf("exit %d, want %d", rc, c.rc)
			}
			if strings.Contains(out.String(), "Object name") || errb.Len() != 0 {
				t.Errorf("an aborted run prints nothing more: %q %q", out, errb)
			}
			l := lsnimL(w, "sig")
			if !rstateUnavailable.MatchString(l) {
				t.Errorf("the SPOT must stay broken: %q", l)
			}
			sigs := w.Signals()
			if len(sigs) != 1 || !strings.Contains(sigs[0], " "+c.name+" mknimimage spot ") {
				t.Errorf("signal log = %q", sigs)
			}
			res, err := w.Exec.Query(context.Background(), "nim", "-Fo", "check", "sig")
			if err == nil || !strings.Contains(string(res.Stderr), "0042-") {
				t.Errorf("check of the interrupted SPOT: %v %q", err, res.Stderr)
			}
		})
	}
}

func TestHangUntilKilled(t *testing.T) {
	w := simtest.New(t, simtest.Hang("update"))
	cmd, out, _ := start(t, w, "-t", "dataless", "-s", "aix7302_lpp", "hung")
	// The definition is written just before the update phase.
	waitFor(t, "the update phase", func() bool {
		_, err := w.Exec.Query(context.Background(), "lsdef", "-t", "osimage", "hung")
		return err == nil
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if rc := exitCode(cmd.Wait()); rc != 0 {
		t.Errorf("exit %d", rc)
	}
	if strings.Contains(out.String(), "Object name") {
		t.Error("a hung run never reaches the summary")
	}
	if s := w.Signals(); len(s) != 1 || !strings.Contains(s[0], "SIGTERM mknimimage") {
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
	if res.ExitCode != 1 || !strings.HasSuffix(string(res.Stderr), "Error: [xcatmn]: Return=1.\n") {
		t.Errorf("existing definition: %+v", res)
	}
	res, _ = w.Exec.Query(ctx, "mknimimage", "-t", "diskless", "-s", "/dev/cd0", "x", "=bad")
	if res.ExitCode != 3 {
		t.Errorf("bad attr=val exit %d", res.ExitCode)
	}
	res, err = w.Exec.Query(ctx, "mknimimage", "--nosuch")
	if err != nil || !strings.Contains(string(res.Stdout), "Usage:") {
		t.Errorf("unknown option: %v %+v", err, res)
	}
}
