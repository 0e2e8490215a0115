package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
)

// TestProgram runs the root model in a real tea.Program (spinner ticks,
// the real debounce, concurrent commands) from the home screen to the
// preview, then goldens the final View.
func TestProgram(t *testing.T) {
	cfg := Config{
		Services: Services{NIM: nimtest.World()},
		Env: steps.Env{
			Root:      hostRoot(t),
			FreeSpace: func(string) (uint64, error) { return 40 << 30, nil },
			Debounce:  10 * time.Millisecond,
		},
		PlanDir: "/plans",
	}
	m := New(cfg)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	wait("What would you like to do?")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("osimage2 is free: press")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Type("aix72")
	wait(`"aix72" is free`)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("Where should the AIX software come from?")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("Available")
	for _, s := range []string{"What kind of nodes", "Where should the new NIM", "Create a dump resource?", "Add existing NIM resources and options?", "Review the plan"} {
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		wait(s)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	fm := tm.FinalModel(t).(*Model)
	if !fm.Result().Interrupted || !strings.HasPrefix(fm.Plan().CommandLine(), "mknimimage -V -t diskless -s /dev/cd0 aix72") {
		t.Fatalf("result %+v, plan %s", fm.Result(), fm.Plan().CommandLine())
	}
	golden.RequireEqual(t, []byte(fm.View()))
}

// TestProgramPasteEnter: in a real tea.Program with a real debounce and a
// NIM that answers slowly, a name pasted the moment the step appears and
// Enter at once: the step goes on as soon as the pasted name is checked,
// with that name (not the suggestion).
func TestProgramPasteEnter(t *testing.T) {
	f := nimtest.World()
	f.Delay = 150 * time.Millisecond
	cfg := Config{
		Services: Services{NIM: f},
		Env: steps.Env{
			Root:      hostRoot(t),
			FreeSpace: func(string) (uint64, error) { return 40 << 30, nil },
			Debounce:  300 * time.Millisecond,
		},
		PlanDir: "/plans",
		Start:   StartCreate,
	}
	tm := teatest.NewTestModel(t, New(cfg), teatest.WithInitialTermSize(80, 24))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	wait("What should the new osimage be called?")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("aix72"), Paste: true})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	wait("Where should the AIX software come from?")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	if got := tm.FinalModel(t).(*Model).Plan().Name; got != "aix72" {
		t.Errorf("name %q, want aix72", got)
	}
}
