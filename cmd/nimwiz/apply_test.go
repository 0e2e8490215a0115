package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/internal/testutil"
	"github.com/nimwiz/nimwiz/nim"
)

// TestMain lets the test binary be the fake mknimimage, the job supervisor
// (apply re-executes "itself") and, for the signal tests, nimwiz.
func TestMain(m *testing.M) {
	// Job supervisors watch NIM settle quickly: the simulator's NIM work
	// ends in moments.
	for k, v := range map[string]string{"NIMWIZ_SETTLE_POLL": "50ms", "NIMWIZ_SETTLE_QUIET": "2"} {
		if os.Getenv(k) == "" {
			os.Setenv(k, v)
		}
	}
	// The test binary stands in for commands: the simulator when started
	// with a simulated world (demo tests), else the job tests' fake
	// mknimimage, else nimwiz itself for the supervisor and CLI tests.
	if os.Getenv("NIMWIZ_SIM_ROOT") != "" {
		if code, ok := simulatedCommand(os.Args); ok {
			os.Exit(code)
		}
	}
	if os.Getenv("NIMWIZ_TEST_MAIN") == "1" || slices.Contains(os.Args[1:], "__supervise") {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cli is one test's nimwiz: a state dir, and a fake mknimimage on PATH whose
// settings come from $HOME (nimwiz's executor passes only PATH and HOME).
type cli struct {
	t                 *testing.T
	state, home, fake string
}

func newCLI(t *testing.T, fakeEnv ...string) *cli {
	c := &cli{t: t, state: t.TempDir(), home: t.TempDir(), fake: t.TempDir()}
	jobtest.WriteConfig(t, c.home, append([]string{jobtest.EnvDir + "=" + c.fake}, fakeEnv...)...)
	t.Setenv("PATH", jobtest.Bin(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("HOME", c.home)
	t.Setenv("NIMWIZ_STATE_DIR", "")
	t.Cleanup(func() {
		jobtest.Let(t, c.fake, "lpp")
		jobtest.Let(t, c.fake, "spot")
		s := job.NewStore(c.state)
		all, _ := s.List()
		for _, r := range all {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			s.Wait(ctx, r.ID)
			cancel()
		}
	})
	return c
}

func (c *cli) planFile(name string) string {
	p := filepath.Join(c.home, name+".toml")
	text := fmt.Sprintf("name = %q\ntype = \"diskless\"\nsource = \"/dev/cd0\"\nstateless = true\n", name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return p
}

func (c *cli) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"--state-dir", c.state}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func (c *cli) jobs() []job.Record {
	all, err := job.NewStore(c.state).List()
	if err != nil {
		c.t.Fatal(err)
	}
	return all
}

func TestApplyRunsThePlan(t *testing.T) {
	c := newCLI(t, jobtest.EnvNoise+"=300")
	code, out, errs := c.run("apply", c.planFile("71cosi"), "--yes")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	// The output as the terminal may show it: its "\r" as ^M (the log keeps
	// the bytes as they were).
	if want := termtext.String(jobtest.Output("71cosi", "/dev/cd0", 300, true)); out != want {
		t.Errorf("stdout is not mknimimage's output: %d bytes, want %d", len(out), len(want))
	}
	for _, want := range []string{
		"nimwiz: command: mknimimage -V -t diskless -r -s /dev/cd0 71cosi\n",
		"nimwiz: interrupts are refused until mknimimage's output shows the lpp_source copy running",
		"nimwiz: phase: lpp_source",
		"nimwiz: phase: SPOT creation",
		"nimwiz: no earlier SPOT creation on this master to go by\n",
		"nimwiz: phase: SPOT update",
		"nimwiz: phase: summary\n",
		"succeeded",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	all := c.jobs()
	if len(all) != 1 || all[0].State != job.StateSucceeded {
		t.Fatalf("jobs: %+v", all)
	}
}

func TestApplyExitStatusIsTheJobs(t *testing.T) {
	c := newCLI(t, jobtest.EnvExit+"=3")
	code, _, errs := c.run("apply", "--yes", c.planFile("failing"))
	if code != 3 || !strings.Contains(errs, "failed (exit status 3)") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}

func TestApplyRunsNothingOnBadInput(t *testing.T) {
	c := newCLI(t)
	bad := filepath.Join(c.home, "bad.toml")
	os.WriteFile(bad, []byte("name = \"bad name!\"\ntype = \"diskless\"\nsource = \"/x\"\n"), 0o600)
	broken := filepath.Join(c.home, "broken.toml")
	os.WriteFile(broken, []byte("name = \n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply"}, "exactly one plan file"},
		{[]string{"apply", "a.toml", "b.toml", "--yes"}, "exactly one plan file"},
		{[]string{"apply", filepath.Join(c.home, "missing.toml"), "--yes"}, "missing.toml"},
		{[]string{"apply", broken, "--yes"}, "broken.toml"},
		{[]string{"apply", bad, "--yes"}, "name:"},
		{[]string{"apply", c.planFile("ok")}, "add --yes"}, // stdin is not a terminal
		{[]string{"apply", "--bogus", c.planFile("ok")}, "flag provided but not defined"},
	} {
		code, out, errs := c.run(tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	if n := len(c.jobs()); n != 0 {
		t.Errorf("%d jobs started", n)
	}
	if _, err := os.Stat(filepath.Join(c.fake, jobtest.PIDFile)); err == nil {
		t.Error("mknimimage ran")
	}
}

func TestApplyRefusesABusyName(t *testing.T) {
	c := newCLI(t, jobtest.EnvHold+"=spot")
	exe, _ := os.Executable()
	first, err := job.Start(job.NewStore(c.state), &nim.Executor{}, nim.Plan{Name: "71cosi", Type: nim.Diskless, Source: "/export/aix71"}, []string{exe, "__supervise"})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := c.run("apply", "--yes", c.planFile("71cosi"))
	if code != exitFail || !strings.Contains(errs, first.ID) {
		t.Fatalf("exit %d, stderr %q; want 1 naming %s", code, errs, first.ID)
	}
}

func TestJobsVerb(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("jobs")
	if code != 0 || !strings.Contains(out, "No jobs") {
		t.Fatalf("empty: %d %q", code, out)
	}
	code, out, _ = c.run("jobs", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty json: %d %q", code, out)
	}
	if code, _, errs := c.run("apply", "--yes", c.planFile("71cosi")); code != 0 {
		t.Fatal(errs)
	}
	id := c.jobs()[0].ID
	code, out, _ = c.run("jobs")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[1], id) ||
		!strings.Contains(lines[1], "71cosi") || !strings.Contains(lines[1], "succeeded") || !strings.Contains(lines[1], "summary") {
		t.Fatalf("table:\n%s", out)
	}
	code, out, _ = c.run("jobs", "--json")
	var recs []jobJSON
	if err := json.Unmarshal([]byte(out), &recs); code != 0 || err != nil || len(recs) != 1 || recs[0].ID != id || recs[0].State != "succeeded" {
		t.Fatalf("json: %v\n%s", err, out)
	}
	code, out, _ = c.run("jobs", id)
	if code != 0 || !strings.Contains(out, "output.log") || !strings.Contains(out, "mknimimage -V -t diskless") {
		t.Fatalf("one job:\n%s", out)
	}
	// An id of no job is 1, as an unknown name is for show and check.
	if code, _, errs := c.run("jobs", "nope"); code != exitFail || !strings.Contains(errs, "no job nope") {
		t.Fatalf("unknown id: %d %s", code, errs)
	}
}

func TestSuperviseIsHidden(t *testing.T) {
	c := newCLI(t)
	_, out, _ := c.run("help")
	if strings.Contains(out, "__supervise") || !strings.Contains(out, "apply FILE") || !strings.Contains(out, "jobs") {
		t.Fatalf("help:\n%s", out)
	}
}

// proc is nimwiz apply running as a real process.
type proc struct {
	cmd      *exec.Cmd
	out, err testutil.SyncBuffer
	done     chan struct{}
}

func (c *cli) startApply(name string) *proc {
	c.t.Helper()
	exe, _ := os.Executable()
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(exe, "--state-dir", c.state, "apply", "--yes", c.planFile(name))
	p.cmd.Env = append(os.Environ(), "NIMWIZ_TEST_MAIN=1")
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	if err := p.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	c.t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	return p
}

func (p *proc) waitErr(t *testing.T, text string) {
	t.Helper()
	jobtest.Eventually(t, fmt.Sprintf("stderr to say %q (it says %q)", text, p.err.String()), func() bool {
		return strings.Contains(p.err.String(), text)
	})
}

func (p *proc) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("apply did not end; stderr:\n%s", p.err.String())
	}
	return p.cmd.ProcessState.ExitCode()
}

func TestApplyRefusesSignalsDuringSpotCreation(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP} {
		t.Run(job.SignalName(sig), func(t *testing.T) {
			c := newCLI(t, jobtest.EnvHold+"=spot")
			p := c.startApply("crit")
			p.waitErr(t, "phase: SPOT creation")
			jobtest.Eventually(t, "the record to say the SPOT is being created", func() bool {
				all := c.jobs()
				return len(all) == 1 && all[0].Phase == nim.PhaseSpot && all[0].Critical
			})
			// ^Z gets the same refusal, or the refusals below would never come.
			p.cmd.Process.Signal(syscall.SIGTSTP)
			p.waitErr(t, "SIGTSTP refused: ")
			for i := 1; i <= 2; i++ { // again: Bubble Tea's handler would die on the second
				p.cmd.Process.Signal(sig)
				jobtest.Eventually(t, "refusal", func() bool {
					return strings.Count(p.err.String(), job.SignalName(sig)+" refused") == i
				})
			}
			jobtest.Let(t, c.fake, "spot")
			if code := p.exit(t); code != 0 {
				t.Fatalf("exit %d\n%s", code, p.err.String())
			}
			if got := jobtest.Signals(c.fake); len(got) != 0 {
				t.Errorf("mknimimage received %v", got)
			}
			if p.out.String() != jobtest.Output("crit", "/dev/cd0", 0, true) {
				t.Errorf("stdout:\n%s", p.out.String())
			}
		})
	}
}

func TestApplyInterruptsOutsideCriticalPhases(t *testing.T) {
	c := newCLI(t, jobtest.EnvHold+"=lpp")
	p := c.startApply("intr")
	p.waitErr(t, "interrupts are accepted now")
	p.cmd.Process.Signal(syscall.SIGINT)
	if code := p.exit(t); code != exitInterrupted {
		t.Fatalf("exit %d, want 130\n%s", code, p.err.String())
	}
	all := c.jobs()
	if len(all) != 1 || all[0].State != job.StateInterrupted {
		t.Fatalf("record: %+v", all)
	}
	if got := jobtest.Signals(c.fake); len(got) != 1 || got[0] != "interrupt" {
		t.Errorf("mknimimage received %v, want one SIGINT", got)
	}
	if !strings.Contains(p.err.String(), "interrupted during lpp_source: nimwiz asked mknimimage to stop") || !strings.Contains(p.err.String(), "NIM may still be working") {
		t.Errorf("stderr:\n%s", p.err.String())
	}
}

func TestApplyStopsFollowingOnHangupOutsideCriticalPhases(t *testing.T) {
	c := newCLI(t, jobtest.EnvHold+"=lpp")
	p := c.startApply("hup")
	p.waitErr(t, "interrupts are accepted now")
	p.cmd.Process.Signal(syscall.SIGHUP)
	if code := p.exit(t); code != 128+int(syscall.SIGHUP) {
		t.Fatalf("exit %d\n%s", code, p.err.String())
	}
	all := c.jobs()
	if len(all) != 1 || all[0].State != job.StateRunning {
		t.Fatalf("the job should go on: %+v", all)
	}
	jobtest.Let(t, c.fake, "lpp")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if r, err := job.NewStore(c.state).Wait(ctx, all[0].ID); err != nil || r.State != job.StateSucceeded {
		t.Fatalf("job: %s %v", r.State, err)
	}
}

func TestApplyKilledMidSpotLosesNothing(t *testing.T) {
	c := newCLI(t, jobtest.EnvHold+"=spot")
	p := c.startApply("killed")
	p.waitErr(t, "phase: SPOT creation")
	p.cmd.Process.Kill()
	p.exit(t)
	jobtest.Let(t, c.fake, "spot")
	all := c.jobs()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := job.NewStore(c.state).Wait(ctx, all[0].ID)
	if err != nil || r.State != job.StateSucceeded {
		t.Fatalf("job: %s %v", r.State, err)
	}
	if log, _ := os.ReadFile(r.LogPath()); string(log) != jobtest.Output("killed", "/dev/cd0", 0, true) {
		t.Fatalf("log:\n%s", log)
	}
}

// TestApplyOnATerminal drives apply through a real terminal: it asks for
// confirmation, refuses ^C, ^Z and ^\ during SPOT creation, and when the
// terminal is closed (SIGHUP) the job still completes. Stderr goes to a
// pipe so the test can still read it once the terminal is gone.
func TestApplyOnATerminal(t *testing.T) {
	c := newCLI(t, jobtest.EnvHold+"=spot")
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "--state-dir", c.state, "apply", c.planFile("tty"))
	cmd.Env = append(os.Environ(), "NIMWIZ_TEST_MAIN=1", "TERM=dumb")
	var stderr, screen testutil.SyncBuffer
	cmd.Stderr = &stderr
	tty, err := testutil.StartPTY(cmd, 24, 80)
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(&screen, tty)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	until := func(text string) {
		t.Helper()
		jobtest.Eventually(t, fmt.Sprintf("stderr to show %q", text), func() bool { return strings.Contains(stderr.String(), text) })
	}
	until("[y/N]")
	tty.Write([]byte("y\n"))
	until("phase: SPOT creation")
	tty.Write([]byte{0x03}) // ^C
	until("SIGINT refused")
	tty.Write([]byte{0x1a, 0x1c}) // ^Z, ^\ : not stopped, so ^\ is answered
	until("SIGQUIT refused")
	jobtest.Eventually(t, "output on the terminal", func() bool { return strings.Contains(screen.String(), "Creating a NIM SPOT") })
	tty.Close() // the terminal goes away
	until("SIGHUP refused")
	jobtest.Let(t, c.fake, "spot")
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("apply did not end")
	}
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("apply exit %d\n%s", code, stderr.String())
	}
	all := c.jobs()
	if len(all) != 1 || all[0].State != job.StateSucceeded {
		t.Fatalf("job: %+v", all)
	}
	if log, _ := os.ReadFile(all[0].LogPath()); string(log) != jobtest.Output("tty", "/dev/cd0", 0, true) {
		t.Errorf("log:\n%s", log)
	}
	if got := jobtest.Signals(c.fake); len(got) != 0 {
		t.Errorf("mknimimage received %v", got)
	}
}
