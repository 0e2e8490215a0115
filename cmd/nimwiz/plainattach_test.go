package main

import (
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/internal/testutil"
)

// demoNimwiz starts nimwiz --demo --state-dir state ARGS as a real process
// with env added; its stdout and stderr are kept.
func demoNimwiz(t *testing.T, state string, env []string, args ...string) (*exec.Cmd, *testutil.SyncBuffer, *testutil.SyncBuffer, chan struct{}) {
	t.Helper()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, append([]string{"--demo", "--state-dir", state}, args...)...)
	cmd.Env = append(append(os.Environ(), "NIMWIZ_TEST_MAIN=1"), env...)
	var stdout, stderr testutil.SyncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	return cmd, &stdout, &stderr, done
}

// TestPlainAttachFollowsAndRefuses: --plain attach (and TERM=dumb) follow a
// running job as apply does: its output as lines, phases as lines, ^C, ^\
// and ^Z refused during SPOT creation with apply's words, then the ending
// and the job's exit status. attach without an id after the job ended
// opens that job.
func TestPlainAttachFollowsAndRefuses(t *testing.T) {
	for _, mode := range []struct {
		name string
		env  []string
		args []string
	}{
		{"--plain", nil, []string{"--plain", "attach"}},
		{"TERM=dumb", []string{"TERM=dumb"}, []string{"attach"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			state := t.TempDir()
			_, applyErr, applyDone := demoApply(t, state, demoPlan(t, "plain17", false), "NIMWIZ_SIM_SPOT_SECONDS=6")
			jobtest.Eventually(t, "the job to start", func() bool { return strings.Contains(applyErr.String(), "started job") })

			cmd, out, errb, done := demoNimwiz(t, state, mode.env, mode.args...)
			jobtest.Eventually(t, "the SPOT phase", func() bool {
				return strings.Contains(errb.String(), "nimwiz: phase: SPOT creation (interrupts refused: the SPOT is being created)")
			})
			for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTSTP} {
				cmd.Process.Signal(sig)
				want := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT", syscall.SIGTSTP: "SIGTSTP"}[sig] +
					" refused: the SPOT is being created; interrupting now could leave a broken SPOT"
				jobtest.Eventually(t, want, func() bool { return strings.Contains(errb.String(), want) })
			}
			waitDone(t, done, errb)
			if code := cmd.ProcessState.ExitCode(); code != 0 {
				t.Fatalf("attach: exit %d\n%s", code, errb.String())
			}
			for _, want := range []string{"nimwiz: job ", "(running): mknimimage -V -t diskless", "nimwiz: phase: lpp_source", "succeeded: osimage plain17 was created"} {
				if !strings.Contains(errb.String(), want) {
					t.Errorf("attach's stderr lacks %q:\n%s", want, errb.String())
				}
			}
			if !strings.Contains(out.String(), "Creating a NIM SPOT resource") {
				t.Errorf("attach's stdout lacks mknimimage's output:\n%s", out.String())
			}
			waitDone(t, applyDone, applyErr)

			// After the end: attach without an id opens the last job, whole.
			cmd, out2, errb2, done := demoNimwiz(t, state, mode.env, mode.args...)
			waitDone(t, done, errb2)
			if code := cmd.ProcessState.ExitCode(); code != 0 || out2.String() != out.String() || !strings.Contains(errb2.String(), "(succeeded)") ||
				!strings.Contains(errb2.String(), "succeeded: osimage plain17 was created") || strings.Contains(errb2.String(), "refused") {
				t.Errorf("attach after the end: exit %d\nstdout:\n%s\nstderr:\n%s", code, out2.String(), errb2.String())
			}
		})
	}
}
