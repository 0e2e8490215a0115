package steps_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

func TestNameValidation(t *testing.T) {
	tests := []struct {
		name   string
		plan   nim.Plan
		typed  string
		fail   error // NameTaken fails
		took   bool
		want   string // in the view
		golden bool
	}{
		{name: "free", typed: "aix72", took: true, want: `ok: "aix72" is free`, golden: true},
		{name: "bad characters", typed: "aix.72", want: "error:", golden: true},
		{name: "empty takes the suggestion", typed: "", took: true, want: `ok: "osimage2" is free`},
		{name: "too long for stateless", plan: nim.Plan{Stateless: true, Source: "/dev/cd0"}, typed: strings.Repeat("a", 28), want: "at most 27 fit", golden: true},
		{name: "zero", typed: "0", want: `error: "0" cannot be an osimage name: mknimimage reads its operands in a loop`},
		{name: "reserved", typed: "master", want: "is a NIM object every master has"},
		{name: "osimage exists", typed: "72cosi", want: "an xCAT osimage named \"72cosi\" already exists", golden: true},
		{name: "NIM object exists", typed: "master_net", want: "already a NIM ent object"},
		{name: "resource exists", typed: "cluster_resolv", want: "already a NIM resolv_conf object"},
		{name: "check fails", typed: "aix72", fail: errors.New("lsnim: timed out after 1m0s"), want: "Press ctrl+r to try again", golden: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := nimtest.World()
			s := steps.NewName(common(), testEnv(t, f))
			h := newHarness(t, s, tc.plan.WithDefaults())
			h.keys("ctrl+u") // clear the suggestion
			if tc.fail != nil {
				f.Fail("NameTaken", tc.fail)
			}
			h.typ(tc.typed)
			h.keys("enter")
			if got := h.took(); got != tc.took {
				t.Errorf("enter took the name = %v, want %v\n%s", got, tc.took, s.View())
			}
			if !strings.Contains(s.View(), tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, s.View())
			}
			if tc.golden {
				h.golden(t)
			}
		})
	}
}

func TestNameRetryAfterFailure(t *testing.T) {
	f := nimtest.World()
	s := steps.NewName(common(), testEnv(t, f))
	h := newHarness(t, s, nim.Plan{}.WithDefaults())
	h.keys("ctrl+u")
	f.Fail("NameTaken", errors.New("lsnim: timed out"))
	h.typ("aix72")
	h.keys("enter")
	if h.took() {
		t.Fatal("took a name that could not be checked")
	}
	f.Fail("NameTaken", nil)
	h.keys("ctrl+r", "enter")
	if !h.took() {
		t.Fatalf("retry did not clear the error:\n%s", s.View())
	}
}

func TestNameSuggestion(t *testing.T) {
	tests := []struct {
		name string
		plan nim.Plan
		base string
		want string
	}{
		{"first free osimageN", nim.Plan{}, "", "osimage2"}, // osimage1 is a NIM machine in the fake
		{"from lpp_source", nim.Plan{Source: "7200-05-lpp_source"}, "", "7200-05"},
		{"from directory", nim.Plan{Source: "/export/aix72"}, "", "aix72"},
		{"from --from", nim.Plan{Source: "7200-05-lpp_source"}, "72cosi", "72cosi_2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := steps.NewName(common(), testEnv(t, nimtest.World()))
			s.Base = tc.base
			h := newHarness(t, s, tc.plan.WithDefaults())
			// The suggestion is ghost text: the field holds nothing.
			if s.Suggestion() != tc.want || s.Value() != "" || !strings.Contains(s.View(), "> "+tc.want) {
				t.Fatalf("suggestion %q, value %q; want %q as ghost text:\n%s", s.Suggestion(), s.Value(), tc.want, s.View())
			}
			h.keys("enter") // Enter on the empty field takes it
			if !h.took() {
				t.Fatalf("the suggestion was not accepted:\n%s", s.View())
			}
			if got := s.Apply(nim.Plan{}).Name; got != tc.want {
				t.Errorf("Apply: %q", got)
			}
		})
	}
}

func TestNameTabTakesSuggestion(t *testing.T) {
	s := steps.NewName(common(), testEnv(t, nimtest.World()))
	h := newHarness(t, s, nim.Plan{}.WithDefaults())
	h.keys("ctrl+u")
	h.typ("72cosi")
	h.keys("tab", "enter")
	if !h.took() || s.Value() != "osimage2" {
		t.Fatalf("value %q:\n%s", s.Value(), s.View())
	}
}

// What is typed is the name: it is not appended to the suggestion.
func TestNameTypedIsTheName(t *testing.T) {
	s := steps.NewName(common(), testEnv(t, nimtest.World()))
	h := newHarness(t, s, nim.Plan{}.WithDefaults())
	h.typ("72aix")
	if s.Value() != "72aix" {
		t.Fatalf("value %q, want 72aix", s.Value())
	}
	h.keys("enter")
	if !h.took() || s.Apply(nim.Plan{}).Name != "72aix" {
		t.Fatalf("not taken:\n%s", s.View())
	}
}

// held runs cmd and returns the messages it leads to without delivering
// them (spinner ticks dropped), so a test chooses their order.
func held(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, held(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// deliver gives msgs to s, holding what they lead to; it reports whether
// the step asked to go on.
func deliver(s steps.Step, msgs ...tea.Msg) (next bool, later []tea.Msg) {
	for _, m := range msgs {
		for _, out := range held(s.Update(m)) {
			if _, ok := out.(steps.NextMsg); ok {
				next = true
			} else {
				later = append(later, out)
			}
		}
	}
	return next, later
}

func nameQueries(f *nimtest.Fake) int {
	n := 0
	for _, c := range f.Calls() {
		if c == "NameTaken" {
			n++
		}
	}
	return n
}

// Enter is never swallowed while the name is checked, and every edit ends
// in a check of the current text, whatever order NIM's answers come in
// (the case: a name pasted while the step's first queries ran).
func TestNameEnterDuringCheck(t *testing.T) {
	type ev struct {
		keys    []tea.KeyMsg // sent, their results held
		deliver string       // deliver the held answer for this name ("suggest": the suggestion)
	}
	paste := func(s string) []tea.KeyMsg {
		return []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}}
	}
	enter := []tea.KeyMsg{uitest.Key("enter")}
	tests := []struct {
		name   string
		events []ev
		took   bool
		value  string
		view   string
	}{
		{"paste and enter before the suggestion", []ev{{keys: paste("72aix")}, {keys: enter}, {deliver: "suggest"}, {deliver: "72aix"}}, true, "72aix", ""},
		{"paste and enter, answers first", []ev{{keys: paste("72aix")}, {deliver: "72aix"}, {keys: enter}}, true, "72aix", ""},
		{"enter before the answer", []ev{{deliver: "suggest"}, {keys: paste("72aix")}, {keys: enter}, {deliver: "72aix"}}, true, "72aix", ""},
		{"typed on while the first query runs", []ev{{keys: uitest.Text("7")}, {keys: uitest.Text("2aix")}, {keys: enter}, {deliver: "7"}, {deliver: "72aix"}}, true, "72aix", ""},
		{"taken name refused after the wait", []ev{{keys: paste("72cosi")}, {keys: enter}, {deliver: "72cosi"}}, false, "72cosi", "already exists"},
		{"edited to a taken name while checking", []ev{{keys: paste("72")}, {keys: enter}, {keys: uitest.Text("cosi")}, {deliver: "72"}, {deliver: "72cosi"}}, false, "72cosi", "already exists"},
		{"edited to a bad name while waiting", []ev{{keys: paste("72")}, {keys: enter}, {keys: uitest.Text(".")}, {deliver: "72"}}, false, "72.", "error:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := nimtest.World()
			s := steps.NewName(common(), testEnv(t, f))
			s.SetSize(80, 18)
			pending := held(s.Enter(nim.Plan{}.WithDefaults()))
			took := false
			run := func(msgs ...tea.Msg) {
				n, later := deliver(s, msgs...)
				took = took || n
				pending = append(pending, later...)
			}
			for _, e := range tc.events {
				for _, k := range e.keys {
					run(k)
				}
				if e.deliver == "" {
					continue
				}
				found := false
				for i, m := range pending {
					if c, ok := m.(interface{ About() string }); ok && c.About() == e.deliver {
						pending = append(pending[:i], pending[i+1:]...)
						run(m)
						found = true
						break
					}
				}
				if !found {
					t.Fatalf("no answer for %q is held (%d held)", e.deliver, len(pending))
				}
			}
			// Whatever is still held comes in now.
			for len(pending) > 0 {
				m := pending[0]
				pending = pending[1:]
				run(m)
			}
			if took != tc.took || s.Value() != tc.value {
				t.Fatalf("took %v value %q; want %v %q\n%s", took, s.Value(), tc.took, tc.value, s.View())
			}
			if tc.view != "" && !strings.Contains(s.View(), tc.view) {
				t.Errorf("view lacks %q:\n%s", tc.view, s.View())
			}
			if strings.Contains(s.View(), "checking") {
				t.Errorf("still checking:\n%s", s.View())
			}
		})
	}
}
