package app

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui/run"
)

// Before the job starts nothing has changed: a signal quits as ctrl+c does.
func TestSignalInTheWizardQuits(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		h := newHarness(t, Config{Start: StartPreview, Plan: nim.Plan{Name: "aix72", Source: "/dev/cd0"}}, 80, 24)
		h.d.Send(run.SignalMsg{Sig: sig})
		if !h.d.Quit || h.m.Result().Interrupted != (sig != syscall.SIGHUP) {
			t.Errorf("%v: quit %v, result %+v", sig, h.d.Quit, h.m.Result())
		}
	}
}

// Create hands over to the run screen; a refused start is explained there
// and esc goes back to the preview.
func TestCreateHandsOverToTheRunScreen(t *testing.T) {
	cfg := Config{Start: StartPreview, Plan: nim.Plan{Name: "aix72", Source: "/dev/cd0"}}
	cfg.OnCreate = func(nim.Plan) tea.Cmd {
		return func() tea.Msg {
			return run.StartFailedMsg{Err: &job.BusyError{Name: "aix72", JobID: "20261125-184501-aix72", PID: 4242}}
		}
	}
	h := newHarness(t, cfg, 80, 24)
	h.keys("enter", "y")
	v := h.m.View()
	if !strings.Contains(v, "nimwiz attach 20261125-184501-aix72") || !strings.Contains(v, "not started") {
		t.Fatalf("run screen:\n%s", v)
	}
	h.keys("ctrl+c") // quits here: nothing runs
	if !h.d.Quit {
		t.Fatal("ctrl+c did not quit after a refused start")
	}
	var busy *job.BusyError
	if r := h.m.Result(); r.Run == nil || !errors.As(r.Run.StartErr, &busy) {
		t.Errorf("result %+v", r)
	}
	h.d.Quit = false
	h.keys("esc")
	h.at(StepPreview)
}
