package steps_test

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// An Enter pressed while a step still loads what NIM has is kept, not
// swallowed (the CI failure of TestReuseOffer: on a loaded machine the
// extras list came after the key): the step goes on once the list is
// here, unless another key took the Enter back or the load failed (then
// the error stays on screen, since the admin has not seen it).
func TestEnterWhileLoadingIsKept(t *testing.T) {
	tests := []struct {
		name   string
		step   func(steps.Env) steps.Step
		plan   nim.Plan
		fail   string // method that fails
		old    bool   // xCAT too old for dump
		before []string
		after  []string // keys sent after enter, before the load answers
		took   bool
		view   string
	}{
		{name: "extras: enter then the list", step: extras, took: true},
		{name: "extras: another key takes it back", step: extras, after: []string{"down"}},
		{name: "extras: the load fails", step: extras, fail: "Resources", view: "Press r to try again"},
		{name: "dump: enter on yes then the version", step: dump, before: []string{"down"}, took: true},
		{name: "dump: xCAT too old refuses", step: dump, before: []string{"down"}, old: true, view: "need xCAT 2.5 or later"},
		{name: "dump: the version fails", step: dump, before: []string{"down"}, fail: "XcatVersion", view: "Press r to try again"},
		{name: "dump: another key takes it back", step: dump, before: []string{"down"}, after: []string{"up"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := nimtest.World()
			if tc.fail != "" {
				f.Fail(tc.fail, errors.New("xcatd: connection refused"))
			}
			if tc.old {
				f.Version = nim.Version{Major: 2, Minor: 4, Patch: 1, Raw: "2.4.1"}
			}
			s := tc.step(testEnv(t, f))
			s.SetSize(80, 18)
			pending := held(s.Enter(tc.plan.WithDefaults()))
			if len(pending) == 0 {
				t.Fatal("the step loads nothing")
			}
			took := false
			run := func(msgs ...tea.Msg) {
				n, later := deliver(s, msgs...)
				took = took || n
				pending = append(pending, later...)
			}
			for _, k := range tc.before {
				run(uitest.Key(k))
			}
			run(uitest.Key("enter"))
			if took {
				t.Fatal("went on before NIM answered")
			}
			if len(tc.after) == 0 && !strings.Contains(s.View(), "enter pressed: goes on") {
				t.Errorf("the kept enter is not shown:\n%s", s.View())
			}
			for _, k := range tc.after {
				run(uitest.Key(k))
			}
			for len(pending) > 0 {
				m := pending[0]
				pending = pending[1:]
				run(m)
			}
			if took != tc.took {
				t.Fatalf("took %v, want %v\n%s", took, tc.took, s.View())
			}
			if tc.view != "" && !strings.Contains(s.View(), tc.view) {
				t.Errorf("view lacks %q:\n%s", tc.view, s.View())
			}
			if strings.Contains(s.View(), "enter pressed: goes on") {
				t.Errorf("still says it goes on:\n%s", s.View())
			}
		})
	}
}

func extras(e steps.Env) steps.Step { return steps.NewExtras(common(), e) }
func dump(e steps.Env) steps.Step   { return steps.NewDump(common(), e) }
