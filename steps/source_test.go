package steps_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
)

func TestSourceChoices(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string // after entering the step
		typed  string   // typed into the directory field, after clearing it
		after  []string
		took   bool
		source string
		want   string
		warn   string
	}{
		{name: "media", keys: []string{"enter", "enter"}, took: true, source: "/dev/cd0"},
		{name: "media defined refused", keys: []string{"enter", "down", "enter"}, want: "cd1 is Defined, not Available"},
		{name: "lpp_source", keys: []string{"down", "down", "enter", "enter"}, took: true, source: "7200-05-lpp_source"},
		{name: "lpp_source not ready refused", keys: []string{"down", "down", "enter", "down", "enter"}, want: `broken_lpp is "unavailable for use"`},
		{name: "directory with toc", keys: []string{"down", "enter"}, typed: "/export/aix72", after: []string{"enter"}, took: true, source: "/export/aix72", want: "ok: installp images in installp/ppc"},
		{name: "directory in inst.images", keys: []string{"down", "enter"}, typed: "/export/old/", after: []string{"enter"}, took: true, source: "/export/old"},
		{name: "directory without toc: inutoc on the copy", keys: []string{"down", "enter"}, typed: "/export/notoc", after: []string{"enter"}, took: true, source: "/export/notoc", want: "mknimimage runs inutoc on the copy"},
		{name: "empty directory refused", keys: []string{"down", "enter"}, typed: "/export/empty", after: []string{"enter"}, want: "gencopy -U -X -d /dev/cd0 -t /export/empty all"},
		{name: "relative refused", keys: []string{"down", "enter"}, typed: "export/aix72", after: []string{"enter"}, want: "absolute path"},
		{name: "missing refused", keys: []string{"down", "enter"}, typed: "/export/nope", after: []string{"enter"}, want: "/export/nope does not exist"},
		{name: "tab completes", keys: []string{"down", "enter"}, typed: "/export/ai", after: []string{"tab", "enter"}, took: true, source: "/export/aix72"},
		{name: "esc returns to kinds", keys: []string{"down", "enter", "esc", "down", "enter", "enter"}, took: true, source: "7200-05-lpp_source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := steps.NewSource(common(), testEnv(t, nimtest.World()))
			h := newHarness(t, s, nim.Plan{}.WithDefaults())
			h.keys(tc.keys...)
			if tc.typed != "" {
				h.keys("ctrl+u")
				h.typ(tc.typed)
			}
			h.keys(tc.after...)
			if got := h.took(); got != tc.took {
				t.Fatalf("took = %v, want %v\n%s", got, tc.took, s.View())
			}
			if got := s.Apply(nim.Plan{}).Source; got != tc.source {
				t.Errorf("source %q, want %q", got, tc.source)
			}
			if tc.want != "" && !strings.Contains(s.View(), tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, s.View())
			}
			if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, tc.warn) || (tc.warn == "" && w != "") {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
			if !tc.took {
				h.golden(t)
			}
		})
	}
}

func TestSourcePrefill(t *testing.T) {
	for _, src := range []string{"/dev/cd0", "/export/flat", "7200-05-lpp_source"} {
		s := steps.NewSource(common(), testEnv(t, nimtest.World()))
		h := newHarness(t, s, nim.Plan{Source: src})
		h.keys("enter")
		if !h.took() || s.Apply(nim.Plan{}).Source != src {
			t.Errorf("%s: prefill not taken by enter:\n%s", src, s.View())
		}
	}
}

func TestSourceLoadErrorRetry(t *testing.T) {
	f := nimtest.World()
	f.Fail("CDDevices", errors.New("lsdev: timed out after 1m0s"))
	s := steps.NewSource(common(), testEnv(t, f))
	h := newHarness(t, s, nim.Plan{})
	h.keys("enter")
	if !strings.Contains(s.View(), "Press r to try again") {
		t.Fatalf("no retry offered:\n%s", s.View())
	}
	h.golden(t)
	f.Fail("CDDevices", nil)
	h.keys("r", "enter")
	if !h.took() {
		t.Fatalf("retry did not load:\n%s", s.View())
	}
}

func TestSourceNoDrives(t *testing.T) {
	f := nimtest.World()
	f.Devices = nil
	s := steps.NewSource(common(), testEnv(t, f))
	h := newHarness(t, s, nim.Plan{})
	h.keys("enter", "enter")
	if h.took() || !strings.Contains(s.View(), "no CD/DVD drive") {
		t.Fatalf("view:\n%s", s.View())
	}
}

func TestSourcePrefillGone(t *testing.T) {
	s := steps.NewSource(common(), testEnv(t, nimtest.World()))
	newHarness(t, s, nim.Plan{Source: "old_lpp_source"})
	if !strings.Contains(s.View(), "old_lpp_source is not in NIM any more") {
		t.Fatalf("view:\n%s", s.View())
	}
}

// The AIX level of each source is shown before choosing; an lpp_source
// without simages is refused; media or a directory at the level of a
// usable lpp_source offers it (y reuses it, n copies).
func TestSourceLevelsAndReuse(t *testing.T) {
	setup := func(t *testing.T) (*nimtest.Fake, *steps.Source, *harness) {
		f := nimtest.World()
		lpps := f.ByType["lpp_source"]
		lpps[0].Attrs = append(lpps[0].Attrs, nim.Attr{Key: "oslevel_r", Value: "7200-05"})
		f.ByType["lpp_source"] = append(lpps, nim.Object{Name: "nosimages_lpp", Attrs: []nim.Attr{
			{Key: "type", Value: "lpp_source"}, {Key: "Rstate", Value: nim.RstateReady},
			{Key: "location", Value: "/install/nim/lpp_source/nosimages_lpp"}, {Key: "simages", Value: "no"}}})
		s := steps.NewSource(common(), testEnv(t, f))
		return f, s, newHarness(t, s, nim.Plan{}.WithDefaults())
	}
	t.Run("levels listed, no simages refused", func(t *testing.T) {
		_, s, h := setup(t)
		h.keys("down", "down", "enter")
		v := s.View()
		for _, want := range []string{"7200-05-lpp_source  7200-05", "nosimages_lpp       level unknown  ready for use, no simages"} {
			if !strings.Contains(v, want) {
				t.Errorf("view lacks %q:\n%s", want, v)
			}
		}
		h.keys("down", "down", "enter")
		if h.took() || !strings.Contains(strings.Join(strings.Fields(s.View()), " "), "nosimages_lpp does not have simages = yes") {
			t.Errorf("an lpp_source without simages was not refused:\n%s", s.View())
		}
		h.golden(t)
	})
	for _, tc := range []struct {
		answer, source string
	}{{"y", "7200-05-lpp_source"}, {"n", "/export/aix72"}, {"enter", "/export/aix72"}} {
		t.Run("directory at its level: "+tc.answer, func(t *testing.T) {
			_, s, h := setup(t)
			h.keys("down", "enter", "ctrl+u")
			h.typ("/export/aix72")
			if v := strings.Join(strings.Fields(s.View()), " "); !strings.Contains(v, "AIX 7200-05 (7.2.5.0), from image bos.rte.7.2.5.0.I.") {
				t.Errorf("the directory's level is not shown:\n%s", s.View())
			}
			h.keys("enter")
			if h.took() {
				t.Fatalf("went on without offering the lpp_source:\n%s", s.View())
			}
			if !strings.Contains(strings.Join(strings.Fields(s.View()), " "), "NIM already has lpp_source 7200-05-lpp_source at the same AIX level (7200-05)") {
				t.Fatalf("no offer:\n%s", s.View())
			}
			if tc.answer == "y" {
				h.golden(t)
			}
			h.keys(tc.answer)
			if !h.took() || s.Apply(nim.Plan{}).Source != tc.source {
				t.Errorf("took %v source %q, want %q", h.took(), s.Apply(nim.Plan{}).Source, tc.source)
			}
		})
	}
}
