package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/testutil"
	"github.com/nimwiz/nimwiz/nim"
)

// tui is nimwiz (the test binary re-executed as nimwiz) on a pseudo
// terminal in demo mode: the wizard, the run screen and the simulated NIM
// master all as real processes.
type tui struct {
	t      *testing.T
	state  string
	cmd    *exec.Cmd
	tty    *os.File
	screen testutil.SyncBuffer
	done   chan struct{}
	copied chan struct{} // the terminal's output is all read
}

// demoPlan writes a plan file for name (source in the demo world).
func demoPlan(t *testing.T, name string, dump bool) string {
	p := filepath.Join(t.TempDir(), name+".toml")
	text := fmt.Sprintf("name = %q\ntype = \"diskless\"\nsource = \"/export/images/7200\"\nstateless = true\ndump = %v\n", name, dump)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startTUI runs nimwiz --demo --state-dir state ARGS on a 120x40 terminal.
// TERM=screen makes Bubble Tea skip its start-up terminal probe.
func startTUI(t *testing.T, state string, env []string, args ...string) *tui {
	t.Helper()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, append([]string{"--demo", "--state-dir", state}, args...)...)
	cmd.Env = append(os.Environ(), "NIMWIZ_TEST_MAIN=1", "TERM=screen", "NIMWIZ_SIM_LPP_SECONDS=0.2", "NIMWIZ_SIM_UPDATE_SECONDS=0.1")
	cmd.Env = append(cmd.Env, env...)
	tty, err := testutil.StartPTY(cmd, 40, 120)
	if err != nil {
		t.Fatal(err)
	}
	u := &tui{t: t, state: state, cmd: cmd, tty: tty, done: make(chan struct{}), copied: make(chan struct{})}
	go func() { io.Copy(&u.screen, u.tty); close(u.copied) }()
	go func() { cmd.Wait(); close(u.done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-u.done
		u.tty.Close()
	})
	return u
}

// text is everything drawn so far, escape sequences removed.
func (u *tui) text() string { return ansi.Strip(u.screen.String()) }

func (u *tui) until(s string) {
	u.t.Helper()
	jobtest.Eventually(u.t, fmt.Sprintf("the screen to show %q", s), func() bool { return strings.Contains(u.text(), s) })
}

func (u *tui) keys(b ...byte) { u.tty.Write(b) }

// create confirms the preview of a --plan wizard.
func (u *tui) create() {
	u.t.Helper()
	u.until("Review the plan")
	u.keys('c')
	u.until("[y/N]")
	u.keys('y')
}

func (u *tui) exit() int {
	u.t.Helper()
	select {
	case <-u.done:
	case <-time.After(60 * time.Second):
		u.t.Fatalf("nimwiz did not end; screen:\n%s", u.text())
	}
	// What it printed last (the ending) may still be in the terminal.
	select {
	case <-u.copied:
	case <-time.After(5 * time.Second):
	}
	return u.cmd.ProcessState.ExitCode()
}

func onlyJob(t *testing.T, state string) job.Record {
	t.Helper()
	var all []job.Record
	jobtest.Eventually(t, "one job", func() bool {
		all, _ = job.NewStore(state).List()
		return len(all) == 1
	})
	return all[0]
}

func waitJob(t *testing.T, state, id string) job.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := job.NewStore(state).Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func simSignals(state string) string {
	b, _ := os.ReadFile(filepath.Join(state, "demo", "world", "var", "sim", "signals.log"))
	return string(b)
}

// expectedOutput is what mknimimage prints for plan on a fresh demo world:
// the simulator run in this process into one buffer, as the job's one pipe
// gets stdout and stderr.
func expectedOutput(t *testing.T, plan string) string {
	t.Helper()
	p, err := nim.LoadPlan(plan)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "world")
	if err := sim.Seed(root); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	env := []string{"NIMWIZ_SIM_ROOT=" + root, "NIMWIZ_SIM_SPOT_SECONDS=0.01", "NIMWIZ_SIM_LPP_SECONDS=0.01", "NIMWIZ_SIM_UPDATE_SECONDS=0.01"}
	sim.Run("mknimimage", p.WithDefaults().Args()[1:], env, &buf, &buf)
	return buf.String()
}

// TestRunScreenRefusesInterrupts: during SPOT creation every interrupt key
// and signal is refused on screen and never reaches mknimimage; a second
// run of the same name is refused naming the first job; SIGHUP (the
// terminal gone) leaves nimwiz quietly and the job completes.
func TestRunScreenRefusesInterrupts(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	plan := demoPlan(t, "refuse", false)
	u := startTUI(t, state, []string{"NIMWIZ_SIM_SPOT_SECONDS=8"}, "create", "--plan", plan)
	u.create()
	u.until("SPOT creation: interrupts refused")
	for _, k := range []struct {
		b    byte
		name string
	}{{0x03, "ctrl+c"}, {0x1c, `ctrl+\`}, {0x1a, "ctrl+z"}} {
		u.keys(k.b)
		u.until(k.name + " refused: the SPOT is being created")
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT} {
		for i := 0; i < 2; i++ { // twice: Bubble Tea's own handler would die on the second
			u.cmd.Process.Signal(sig)
		}
		u.until(job.SignalName(sig) + " refused: the SPOT is being created")
	}
	rec := onlyJob(t, state)

	// The same name again, while the first runs.
	// The preview already refuses it, naming the job (the run would too).
	second := startTUI(t, state, nil, "create", "--plan", plan)
	second.until("Review the plan")
	second.until("is in use by nimwiz job " + rec.ID)
	second.keys('c') // no question: nothing to confirm
	second.keys(0x03)
	if code := second.exit(); code != exitInterrupted {
		t.Errorf("second run: exit %d", code)
	}

	u.cmd.Process.Signal(syscall.SIGHUP)
	if code := u.exit(); code != 128+int(syscall.SIGHUP) {
		t.Errorf("exit %d after SIGHUP", code)
	}
	if r := waitJob(t, state, rec.ID); r.State != job.StateSucceeded {
		t.Fatalf("job %s: %s", r.ID, r.State)
	}
	if s := simSignals(state); s != "" {
		t.Errorf("signals reached the simulated commands:\n%s", s)
	}
	if all, _ := job.NewStore(state).List(); len(all) != 1 {
		t.Errorf("%d jobs: the second run started one", len(all))
	}
}

// TestRunScreenKilledOrHungUp: nimwiz killed (SIGKILL) or its terminal
// closed mid-SPOT: the job goes on, its log is mknimimage's output byte for
// byte, and nimwiz attach shows how it ended. Both run at once (go test
// runs only GOMAXPROCS parallel tests, and these mostly wait).
func TestRunScreenKilledOrHungUp(t *testing.T) {
	t.Parallel()
	type run struct {
		how, state, plan string
		u                *tui
	}
	var runs []*run
	for _, how := range []string{"kill", "close"} {
		r := &run{how: how, state: t.TempDir(), plan: demoPlan(t, "gone"+how, false)}
		r.u = startTUI(t, r.state, []string{"NIMWIZ_SIM_SPOT_SECONDS=3"}, "create", "--plan", r.plan)
		runs = append(runs, r)
	}
	for _, r := range runs {
		r.u.create()
	}
	for _, r := range runs {
		r.u.until("SPOT creation: interrupts refused")
		if r.how == "kill" {
			r.u.cmd.Process.Kill()
		} else {
			r.u.tty.Close()
		}
		r.u.exit()
	}
	for _, r := range runs {
		t.Run(r.how, func(t *testing.T) {
			state, how := r.state, r.how
			id := onlyJob(t, state).ID
			// kill: attach at once, by id, most likely while it still runs
			// (under load it may have ended: attach shows it either way);
			// close: after it ended.
			if how == "close" {
				waitJob(t, state, id)
			}
			a := startTUI(t, state, nil, "attach", id)
			a.until("succeeded: osimage gone" + how + " was created")
			rec := waitJob(t, state, id)
			if rec.State != job.StateSucceeded {
				t.Fatalf("job: %s", rec.State)
			}
			want := expectedOutput(t, r.plan)
			if log, _ := os.ReadFile(rec.LogPath()); string(log) != want {
				t.Errorf("log differs from mknimimage's output:\n%s\nwant:\n%s", log, want)
			}
			if s := simSignals(state); s != "" {
				t.Errorf("signals reached the simulated commands:\n%s", s)
			}
			a.keys('q')
			if code := a.exit(); code != 0 {
				t.Errorf("attach exit %d", code)
			}
			if !strings.Contains(a.text(), "mkdsklsnode -i gone"+how+" noderange") {
				t.Errorf("no next steps after attach:\n%s", a.text())
			}
		})
	}
}

// TestRunScreenFailures injects a failure in each phase: the ending shows
// the errors, what is left and the cleanup for that state, on screen and
// printed after exit. All eight run at once.
func TestRunScreenFailures(t *testing.T) {
	t.Parallel()
	cases := []struct {
		phase string
		want  []string
		u     *tui
	}{
		{phase: "lpp_source", want: []string{"failed (exit status 1) during lpp_source", "Could not create lpp_source definition", "Nothing was left on the NIM master"}},
		{phase: "spot", want: []string{"during SPOT creation", "(half-built)", "nim -Fo remove f_spot", "rm -R /install/nim/spot/f_spot", "silently reuses"}},
		{phase: "root", want: []string{"Could not create a NIM definition for 'f_root_shared_root'", "Nothing needs cleaning up"}},
		{phase: "dump", want: []string{"Could not create a NIM definition for 'f_dump_dump'", "Nothing needs cleaning up"}},
		{phase: "paging", want: []string{"Could not create a NIM definition for 'f_paging_paging'", "Nothing needs cleaning up"}},
		{phase: "definition", want: []string{"Could not create xCAT osimage definition", "Nothing needs cleaning up"}},
		{phase: "update", want: []string{"Could not update software in the NIM SPOT", "osimage      f_update", "exists", "rmnimimage -f -d -x f_update"}},
		{phase: "password", want: []string{"was created, but xCAT reported an error:", "osimage f_password was created, but xCAT reported an error: Unable to set root password.", "mkdsklsnode -i f_password", "rmnimimage -f -d -x f_password"}},
	}
	for i := range cases {
		tc := &cases[i]
		name := "f_" + tc.phase
		tc.u = startTUI(t, t.TempDir(), []string{"NIMWIZ_SIM_SPOT_SECONDS=0.3", "NIMWIZ_SIM_FAIL=" + tc.phase}, "create", "--plan", demoPlan(t, name, true))
	}
	for _, tc := range cases {
		tc.u.create()
	}
	for _, tc := range cases {
		t.Run(tc.phase, func(t *testing.T) {
			u := tc.u
			u.t = t
			u.until("How it ended")
			u.until(tc.want[0])
			u.keys('q')
			if code := u.exit(); code != exitFail {
				t.Errorf("exit %d", code)
			}
			got := u.text()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("the ending lacks %q:\n%s", w, got[max(0, len(got)-3000):])
				}
			}
		})
	}
}

func TestAttachRefuses(t *testing.T) {
	state := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"--state-dir", state, "attach"}, strings.NewReader(""), &out, &errb)
	if code != exitFail || !strings.Contains(errb.String(), "no mknimimage jobs yet") {
		t.Errorf("no job: exit %d, %q", code, errb.String())
	}
	errb.Reset()
	code = run([]string{"--state-dir", state, "attach", "nope"}, strings.NewReader(""), &out, &errb)
	if code != exitFail || !strings.Contains(errb.String(), "no job nope") {
		t.Errorf("unknown job: exit %d, %q", code, errb.String())
	}
	// A finished job on a pipe: exit 2, pointing to jobs and the log.
	c := newCLI(t)
	if code, _, errs := c.run("apply", "--yes", c.planFile("done")); code != 0 {
		t.Fatal(errs)
	}
	id := c.jobs()[0].ID
	code, _, errs := c.run("attach", id)
	if code != exitUsage || !strings.Contains(errs, " jobs "+id) || !strings.Contains(errs, "--plain attach "+id) || !strings.Contains(errs, "output.log") {
		t.Errorf("no terminal: exit %d, %q", code, errs)
	}
}
