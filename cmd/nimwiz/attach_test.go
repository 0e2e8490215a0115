package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/nim"
)

// startAttach runs nimwiz ARGS attach as its own process (plain through
// the flag, or TERM=dumb).
func (c *cli) startAttach(env []string, args ...string) *proc {
	c.t.Helper()
	exe, _ := os.Executable()
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(exe, append([]string{"--state-dir", c.state}, args...)...)
	p.cmd.Env = append(append(os.Environ(), "NIMWIZ_TEST_MAIN=1"), env...)
	p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
	if err := p.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	c.t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	return p
}

// A serial console follows a running job as a log: its output, its phases
// as lines, the refusals of ^C, ^\ and ^Z while the SPOT is built, and the
// ending; the job is the running one when no id is given.
func TestPlainAttachFollowsARunningJob(t *testing.T) {
	for _, mode := range []struct {
		name string
		env  []string
		args []string
	}{
		{"--plain", nil, []string{"--plain", "attach"}},
		{"TERM=dumb", []string{"TERM=dumb"}, []string{"attach"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			c := newCLI(t, jobtest.EnvHold+"=spot")
			ap := c.startApply("att")
			ap.waitErr(t, "phase: SPOT creation")
			jobtest.Eventually(t, "the record to say the SPOT is being created", func() bool {
				all := c.jobs()
				return len(all) == 1 && all[0].Phase == nim.PhaseSpot && all[0].Critical
			})
			p := c.startAttach(mode.env, mode.args...)
			p.waitErr(t, "nimwiz: phase: SPOT creation (interrupts refused: ")
			p.waitErr(t, "nimwiz: no earlier SPOT creation on this master to go by")
			for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTSTP} {
				p.cmd.Process.Signal(sig)
				p.waitErr(t, job.SignalName(sig)+" refused: ")
			}
			jobtest.Let(t, c.fake, "spot")
			if code := p.exit(t); code != 0 {
				t.Fatalf("attach: exit %d\n%s", code, p.err.String())
			}
			if code := ap.exit(t); code != 0 {
				t.Fatalf("apply: exit %d\n%s", code, ap.err.String())
			}
			if got := jobtest.Signals(c.fake); len(got) != 0 {
				t.Errorf("mknimimage received %v", got)
			}
			if p.out.String() != jobtest.Output("att", "/dev/cd0", 0, true) {
				t.Errorf("stdout is not the job's whole output:\n%s", p.out.String())
			}
			errs := p.err.String()
			for _, want := range []string{"nimwiz: phase: lpp_source", "nimwiz: phase: summary", "succeeded"} {
				if !strings.Contains(errs, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errs)
				}
			}
			if strings.Contains(errs, "full-screen") || strings.Contains(p.out.String(), "\x1b[") {
				t.Errorf("not plain:\n%s", errs)
			}
		})
	}
}

// After the last job ended, attach with no id opens that job: its output,
// its phases and its ending, with the job's exit status.
func TestPlainAttachReplaysTheLastJob(t *testing.T) {
	c := newCLI(t, jobtest.EnvExit+"=3")
	if code, _, errs := c.run("apply", "--yes", c.planFile("gone")); code != 3 {
		t.Fatalf("apply: exit %d\n%s", code, errs)
	}
	code, out, errs := c.run("--plain", "attach")
	if code != 3 {
		t.Fatalf("attach: exit %d, want the job's 3\n%s", code, errs)
	}
	if out == "" {
		t.Error("attach printed none of the job's output")
	}
	id := c.jobs()[0].ID
	for _, want := range []string{"job " + id + " has ended (failed)", "nimwiz: phase: ", "failed (exit status 3)"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "refused") || strings.Contains(errs, "goes on if this terminal") {
		t.Errorf("an ended job is replayed, not protected:\n%s", errs)
	}
	// By id, the same.
	if code2, out2, _ := c.run("--plain", "attach", id); code2 != 3 || out2 != out {
		t.Errorf("attach %s: exit %d, output differs", id, code2)
	}
}

func TestAttachWithoutJobs(t *testing.T) {
	c := newCLI(t)
	code, _, errs := c.run("--plain", "attach")
	if code != exitFail || !strings.Contains(errs, "no mknimimage jobs yet") || !strings.Contains(errs, "--state-dir "+c.state+" create") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if code, _, errs := c.run("--plain", "attach", "nosuch"); code != exitFail {
		t.Fatalf("unknown job: exit %d\n%s", code, errs)
	}
}
