package steps_test

import (
	"os"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// Goldens show what NO_COLOR users see: no colour, no bold, no reverse.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// hostRoot is a simulated host root with image directories of each kind.
func hostRoot(t testing.TB) string { return nimtest.ImageDirs(t) }

func testEnv(t testing.TB, f *nimtest.Fake) steps.Env {
	return steps.Env{NIM: f, Root: hostRoot(t), FreeSpace: func(string) (uint64, error) { return 40 << 30, nil }}
}

// harness drives one step and records what it tells the root.
type harness struct {
	t   testing.TB
	s   steps.Step
	d   *uitest.Driver
	got []tea.Msg
}

func newHarness(t testing.TB, s steps.Step, p nim.Plan) *harness {
	t.Helper()
	h := &harness{t: t, s: s}
	h.d = &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		switch msg.(type) {
		case steps.NextMsg, steps.GotoMsg, steps.CreateMsg, steps.SavedMsg:
			h.got = append(h.got, msg)
			return nil
		}
		return s.Update(msg)
	}}
	s.SetSize(80, 18)
	h.d.Run(s.Enter(p))
	return h
}

// took reports whether the step said it is done, and forgets it.
func (h *harness) took() bool {
	for i, m := range h.got {
		if _, ok := m.(steps.NextMsg); ok {
			h.got = append(h.got[:i], h.got[i+1:]...)
			return true
		}
	}
	return false
}

func (h *harness) keys(k ...string) { h.t.Helper(); h.d.Keys(k...) }
func (h *harness) typ(s string)     { h.t.Helper(); h.d.Type(s) }

func (h *harness) golden(t *testing.T) {
	t.Helper()
	golden.RequireEqual(t, []byte(h.s.View()))
}

func common() ui.Common { return ui.NewCommon() }
