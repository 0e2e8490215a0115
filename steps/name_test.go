package steps_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
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
		{name: "empty", typed: "", want: "error: type a name"},
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
			if s.Suggestion() != tc.want || s.Value() != tc.want {
				t.Fatalf("suggestion %q, value %q; want %q", s.Suggestion(), s.Value(), tc.want)
			}
			h.keys("enter")
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
