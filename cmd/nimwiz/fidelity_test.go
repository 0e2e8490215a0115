package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/internal/testutil"
)

// The tests in this file prove issue #15's "Done when" against the demo's
// simulated master, whose xCAT clients are Perl processes that buffer,
// abort and die as the real ones do (internal/sim).

// demoApply runs nimwiz --demo apply PLAN --yes as a real process.
func demoApply(t *testing.T, state, plan string, env ...string) (*exec.Cmd, *testutil.SyncBuffer, chan struct{}) {
	t.Helper()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "--demo", "--state-dir", state, "apply", plan, "--yes")
	cmd.Env = append(append(os.Environ(), "NIMWIZ_TEST_MAIN=1", "NIMWIZ_SIM_LPP_SECONDS=0.3"), env...)
	var stderr testutil.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	return cmd, &stderr, done
}

func waitDone(t *testing.T, done chan struct{}, stderr *testutil.SyncBuffer) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		t.Fatalf("apply did not end:\n%s", stderr.String())
	}
}

// With the client's output block-buffered (NIMWIZ_LIVE=off: nimwiz sees
// nothing until mknimimage exits) the whole run is protected: SIGINT,
// SIGTERM, SIGQUIT and SIGHUP to apply are refused, never reach the
// client, and the job ends succeeded.
func TestBufferedOutputApplyRefusesEverySignal(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	cmd, stderr, done := demoApply(t, state, demoPlan(t, "buf15", false), "NIMWIZ_LIVE=off", "NIMWIZ_SIM_SPOT_SECONDS=5")
	jobtest.Eventually(t, "the job to start", func() bool { return strings.Contains(stderr.String(), "started job") })
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP} {
		for i := 1; i <= 2; i++ {
			cmd.Process.Signal(sig)
			jobtest.Eventually(t, job.SignalName(sig)+" refused", func() bool {
				return strings.Count(stderr.String(), job.SignalName(sig)+" refused") == i
			})
		}
	}
	jobtest.Eventually(t, "the not-live warning", func() bool { return strings.Contains(stderr.String(), "not reaching nimwiz as it is printed") })
	waitDone(t, done, stderr)
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	r := onlyJob(t, state)
	if r.State != job.StateSucceeded || r.Live {
		t.Fatalf("job %s live %v", r.State, r.Live)
	}
	if s := simSignals(state); s != "" {
		t.Errorf("signals reached the simulated client:\n%s", s)
	}
}

// The run screen, block-buffered: Ctrl+C, Ctrl+\, Ctrl+Z and SIGINT are
// refused all through; SIGHUP (the terminal gone) detaches; the job ends
// succeeded with no signal at the client.
func TestBufferedOutputRunScreenRefuses(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	u := startTUI(t, state, []string{"NIMWIZ_LIVE=off", "NIMWIZ_SIM_SPOT_SECONDS=5"}, "create", "--plan", demoPlan(t, "buf15tui", false))
	u.create()
	u.until("interrupts refused")
	for _, k := range []struct {
		b    byte
		name string
	}{{0x03, "ctrl+c"}, {0x1c, `ctrl+\`}, {0x1a, "ctrl+z"}} {
		u.keys(k.b)
		u.until(k.name + " refused: nothing has shown yet")
	}
	u.cmd.Process.Signal(syscall.SIGINT)
	u.until("SIGINT refused: nothing has shown yet")
	rec := onlyJob(t, state)
	u.cmd.Process.Signal(syscall.SIGHUP)
	u.exit()
	if r := waitJob(t, state, rec.ID); r.State != job.StateSucceeded {
		t.Fatalf("job: %s", r.State)
	}
	if s := simSignals(state); s != "" {
		t.Errorf("signals reached the simulated client:\n%s", s)
	}
}

// A SIGINT straight to the client during SPOT creation (not through
// nimwiz) makes it abort and exit 0 without its summary: the job ends
// interrupted, never succeeded, and apply says so with status 1.
func TestClientInterruptedFromOutsideIsNotSuccess(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	cmd, stderr, done := demoApply(t, state, demoPlan(t, "int15", false), "NIMWIZ_SIM_SPOT_SECONDS=8")
	var r job.Record
	jobtest.Eventually(t, "SPOT creation", func() bool {
		all, _ := job.NewStore(state).List()
		if len(all) == 1 {
			r = all[0]
		}
		return r.Phase.String() == "SPOT creation" && r.ChildPID > 0
	})
	if err := syscall.Kill(r.ChildPID, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitDone(t, done, stderr)
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("apply exit %d, want 1\n%s", code, stderr.String())
	}
	r = waitJob(t, state, r.ID)
	if r.State != job.StateInterrupted || !r.Interrupted.IsZero() {
		t.Fatalf("job %s (interrupted by nimwiz: %v, exit %d %s)\n%s", r.State, !r.Interrupted.IsZero(), r.ExitCode, r.ExitSig, stderr.String())
	}
	if !strings.Contains(stderr.String(), "not by nimwiz") || strings.Contains(stderr.String(), "succeeded") {
		t.Errorf("apply's ending:\n%s", stderr.String())
	}
	// NIM's define outlives the abort (2.9.x signals only the plugin) and
	// writes in the demo world until it ends: the supervisor settles until
	// NIM is quiet, and the test waits for that before its directory goes.
	jobtest.Eventually(t, "NIM quiet after the abort", func() bool {
		r, err := job.NewStore(state).Load(r.ID)
		return err == nil && !r.Busy()
	})
}

// Killing the client (KILL: HUP, QUIT and PIPE are ignored by the client
// nimwiz starts, so they no longer cut it off) leaves xcatd's plugin
// building the SPOT: the job ends "contact lost", the name stays locked
// while NIM works, and a second apply of it is refused naming the job.
func TestClientKilledLeavesTheNameLocked(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	plan := demoPlan(t, "lost15", false)
	_, stderr, done := demoApply(t, state, plan, "NIMWIZ_SIM_SPOT_SECONDS=6")
	var r job.Record
	jobtest.Eventually(t, "SPOT creation", func() bool {
		all, _ := job.NewStore(state).List()
		if len(all) == 1 {
			r = all[0]
		}
		return r.Phase.String() == "SPOT creation" && r.ChildPID > 0
	})
	syscall.Kill(r.ChildPID, syscall.SIGHUP) // ignored
	if err := syscall.Kill(r.ChildPID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitDone(t, done, stderr)
	r = waitJob(t, state, r.ID)
	if r.State != job.StateContactLost || r.ExitSig != "SIGKILL" {
		t.Fatalf("job %s %s", r.State, r.ExitSig)
	}
	if !strings.Contains(stderr.String(), "lost contact with xCAT") || !strings.Contains(stderr.String(), "Do not clean up") {
		t.Errorf("apply's ending:\n%s", stderr.String())
	}
	// While the simulated plugin goes on building the SPOT, the name is taken.
	var errb bytes.Buffer
	code := run([]string{"--demo", "--state-dir", state, "apply", plan, "--yes"}, nil, &bytes.Buffer{}, &errb)
	if code != exitFail || !strings.Contains(errb.String(), r.ID) {
		t.Errorf("second apply while NIM works: exit %d\n%s", code, errb.String())
	}
	// xcatd finishes unseen: the osimage exists once NIM is quiet.
	jobtest.Eventually(t, "NIM quiet", func() bool {
		r, _ = job.NewStore(state).Load(r.ID)
		return !r.Busy()
	})
	if !strings.Contains(r.After, "osimage lost15 defined") || !strings.Contains(r.After, "ready for use") {
		t.Errorf("after settling NIM shows %q; want the osimage xcatd finished unseen", r.After)
	}
	if s := simSignals(state); strings.Contains(s, "SIGHUP") && !strings.Contains(s, "SIGKILL") {
		t.Logf("signal log:\n%s", s)
	}
}

// A fresh master (no osimage: lsdef says "Could not get objects of type
// 'osimage'." and exits 1) lists none without an error and creates its
// first one.
func TestFreshMasterListsNothingAndCreatesTheFirst(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	if code := run([]string{"--demo", "--state-dir", state, "jobs"}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != exitOK {
		t.Fatal("seed")
	}
	path := filepath.Join(state, "demo", "world", "var", "sim", "state.json")
	var w map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	w["osimages"] = []any{}
	data, _ = json.Marshal(w)
	os.WriteFile(path, data, 0o644)

	var out, errb bytes.Buffer
	if code := run([]string{"--demo", "--state-dir", state, "list"}, nil, &out, &errb); code != exitOK || strings.Contains(errb.String(), "rror") {
		t.Fatalf("list: %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run([]string{"--demo", "--state-dir", state, "list", "--json"}, nil, &out, &errb); code != exitOK || strings.TrimSpace(out.String()) != "[]" {
		t.Fatalf("list --json: %d %q", code, out.String())
	}
	cmd, stderr, done := demoApply(t, state, demoPlan(t, "first15", false), "NIMWIZ_SIM_SPOT_SECONDS=0.3")
	waitDone(t, done, stderr)
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("apply: %d\n%s", code, stderr.String())
	}
	out.Reset()
	if code := run([]string{"--demo", "--state-dir", state, "list"}, nil, &out, &errb); code != exitOK || !strings.Contains(out.String(), "first15") {
		t.Fatalf("list after: %d\n%s", code, out.String())
	}
}
