package ending

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// Each way a job can end says what happened in its first line, and a job
// NIM may still be working for gets no cleanup advice, only what to wait
// for and how to look.
func TestEndingsTellTheTruth(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "output.log"), []byte("Creating a NIM SPOT resource. This could take a while.\n\n"), 0o600)
	plan := nim.Plan{Name: "k2", Type: nim.Diskless, Source: "/dev/cd0"}
	base := job.Record{ID: "20261204-120000-k2", Name: "k2", Plan: plan, Dir: dir, EndedIn: "SPOT creation",
		Started: time.Now().Add(-time.Minute), Ended: time.Now()}
	left := []nim.Object{{Name: "k2", Attrs: []nim.Attr{{Key: "type", Value: "spot"}, {Key: "Rstate", Value: "unavailable for use"}}}}
	tests := []struct {
		name    string
		mod     func(*job.Record)
		head    []string
		cleanup bool
		status  int
	}{
		{"succeeded", func(r *job.Record) { r.State = job.StateSucceeded }, []string{"succeeded"}, false, 0},
		{"verify failed", func(r *job.Record) {
			r.State, r.VerifyError = job.StateFailed, `the SPOT k2 is "unavailable for use", not "ready for use"`
		}, []string{"reported success, but the SPOT k2 is"}, true, 1},
		{"interrupted by nimwiz", func(r *job.Record) {
			r.State, r.Interrupted = job.StateInterrupted, time.Now()
			r.Settled, r.After = time.Now(), "no osimage k2; SPOT k2 unavailable for use"
		}, []string{"nimwiz asked mknimimage to stop"}, true, 130},
		{"interrupted elsewhere", func(r *job.Record) {
			r.State, r.Settled = job.StateInterrupted, time.Now()
		}, []string{"not by nimwiz", "exited 0 without its summary"}, true, 1},
		{"contact lost, settling", func(r *job.Record) {
			r.State, r.ExitSig, r.Settling = job.StateContactLost, "SIGKILL", true
			r.Activity = []string{"pid 42: /usr/sbin/nim -Fo define -t spot k2"}
		}, []string{"lost contact with xCAT", "killed by SIGKILL"}, false, 1},
		{"contact lost, settled", func(r *job.Record) {
			r.State, r.ExitSig, r.Settled, r.After = job.StateContactLost, "SIGHUP", time.Now(), "no osimage k2; SPOT k2 unavailable for use"
		}, []string{"lost contact with xCAT"}, true, 1},
		{"supervisor lost", func(r *job.Record) { r.State, r.ChildPID = job.StateSupervisorLost, 4242 }, []string{"lost its supervisor", "pid 4242", "still runs"}, false, 1},
		{"lost", func(r *job.Record) { r.State = job.StateLost }, []string{"lost its supervisor and mknimimage"}, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.mod(&r)
			f := Facts{Rec: r, Asked: []string{"k2"}, Objects: left}
			if !r.Busy() {
				f.Cleanup = nim.Cleanup(plan, left, nil, false)
			}
			text := Plain(f.Lines())
			head := Plain([]Line{f.Headline()})
			for _, w := range tt.head {
				if !strings.Contains(head, w) {
					t.Errorf("headline %q lacks %q", head, w)
				}
			}
			if got := strings.Contains(text, "nim -Fo remove"); got != tt.cleanup {
				t.Errorf("cleanup advice shown: %v, want %v:\n%s", got, tt.cleanup, text)
			}
			if r.Busy() && !strings.Contains(text, "Do not clean up or run mknimimage") {
				t.Errorf("busy job without the warning:\n%s", text)
			}
			if !r.Settled.IsZero() && r.After != "" && !strings.Contains(text, r.After) {
				t.Errorf("settled job does not say what NIM showed:\n%s", text)
			}
			// Only an image that was made is offered its read-only check.
			if got := strings.Contains(text, "nimwiz check k2"); got != (r.State == job.StateSucceeded) {
				t.Errorf("nimwiz check offered: %v, want %v:\n%s", got, r.State == job.StateSucceeded, text)
			}
			if got := Status(r); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
		})
	}
}

// mknimimage -V passes NIM's own words on; the ending shows the innermost.
func TestEndingShowsNimsReason(t *testing.T) {
	dir := t.TempDir()
	out := "Creating a NIM SPOT resource. This could take a while.\n\n" +
		"Error: Could not create a NIM definition for 'k3'.\n\n" +
		"Error message is: '0042-001 nim: processing error encountered on \"master\":\n" +
		"   0042-158 m_mkspot: the \"k3_lpp_source\" resource does not have the support images (simages) needed to create a SPOT'\n\n" +
		"Error: Could not create spot definition.\n"
	os.WriteFile(filepath.Join(dir, "output.log"), []byte(out), 0o600)
	r := job.Record{ID: "j", Name: "k3", Plan: nim.Plan{Name: "k3", Source: "/dev/cd0"}, Dir: dir, State: job.StateFailed, ExitCode: 1, Settled: time.Time{}}
	f := Gather(t.Context(), nil, r)
	text := Plain(f.Lines())
	if !strings.Contains(text, "NIM's reason") || !strings.Contains(text, "0042-158 m_mkspot: the \"k3_lpp_source\" resource does not have the support images") {
		t.Errorf("no NIM reason:\n%s", text)
	}
}
