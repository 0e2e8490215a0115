package browse_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// Goldens show what NO_COLOR users see: no colour, no bold, no reverse.
func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// harness drives the browser alone, in a body of the given size, and
// records what it tells the root.
type harness struct {
	t   testing.TB
	m   *browse.Model
	f   *nimtest.Fake
	d   *uitest.Driver
	got []tea.Msg
	w   int
	h   int
}

func newHarness(t testing.TB, f *nimtest.Fake, w, h int) *harness {
	t.Helper()
	if f == nil {
		f = nimtest.BrowseWorld()
	}
	hs := &harness{t: t, f: f, w: w, h: h}
	hs.m = browse.New(ui.NewCommon(), browse.Env{NIM: f, Run: f, CanStart: true})
	hs.m.SetSize(w, h)
	hs.d = &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd {
		switch msg.(type) {
		case browse.BackMsg, browse.RecreateMsg, browse.StartMsg:
			hs.got = append(hs.got, msg)
			return nil
		}
		return hs.m.Update(msg)
	}}
	hs.d.Run(hs.m.Init())
	return hs
}

func (h *harness) keys(k ...string) { h.t.Helper(); h.d.Keys(k...) }

// view is the body as the root shows it: fitted to the size.
func (h *harness) view() string { return ui.Fit(h.m.View(), h.w, h.h) }

func (h *harness) golden(t *testing.T) {
	t.Helper()
	v := h.view()
	for i, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > h.w {
			t.Errorf("line %d is %d wide in a %d body: %q", i, w, h.w, l)
		}
	}
	golden.RequireEqual(t, []byte(v))
}

func (h *harness) contains(s ...string) {
	h.t.Helper()
	v := h.m.View()
	for _, x := range s {
		if !strings.Contains(v, x) {
			h.t.Fatalf("view lacks %q:\n%s", x, v)
		}
	}
}

// calls returns the fake's calls named like prefix.
func (h *harness) calls(prefix string) []string {
	var out []string
	for _, c := range h.f.Calls() {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

var errTimeout = errors.New("lsdef -t osimage -l -w imagetype==NIM: timed out after 1m0s")

func fakeWorld() *nimtest.Fake { return nimtest.BrowseWorld() }
