package ui

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

func TestTooSmall(t *testing.T) {
	for _, tc := range []struct {
		w, h  int
		small bool
	}{{80, 24, false}, {60, 20, false}, {59, 24, true}, {80, 19, true}, {0, 0, true}} {
		if got := TooSmall(tc.w, tc.h); got != tc.small {
			t.Errorf("TooSmall(%d, %d) = %v", tc.w, tc.h, got)
		}
	}
}

func TestFit(t *testing.T) {
	got := Fit("one\ntwo that is long\nthree\nfour", 8, 3)
	want := "one\ntwo tha…\n(more: …" // a cut shows: "…"
	if got != want {
		t.Errorf("Fit = %q, want %q", got, want)
	}
	if got := Fit("a", 5, 3); got != "a\n\n" {
		t.Errorf("Fit pads: %q", got)
	}
}

func TestHeader(t *testing.T) {
	c := NewCommon()
	c.Width, c.Demo = 60, true
	h := Header(c, "Create an osimage", "step 1 of 7: Name")
	lines := strings.Split(h, "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "DEMO") || lipgloss.Width(lines[0]) != 60 {
		t.Errorf("header:\n%s", h)
	}
	c.Demo = false
	if n := strings.Count(Header(c, "x", ""), "\n"); n != 1 {
		t.Errorf("no banner without demo: %d lines", n+1)
	}
}

func TestApplyTheme(t *testing.T) {
	defer lipgloss.SetHasDarkBackground(true)
	ApplyTheme("light")
	if lipgloss.HasDarkBackground() {
		t.Error("light theme left a dark background")
	}
	ApplyTheme("dark")
	if !lipgloss.HasDarkBackground() {
		t.Error("dark theme not applied")
	}
}

// A cut is marked: Elide never passes a cut line for the whole.
func TestElide(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"/install/nim/spot/71cosi/usr", 40, "/install/nim/spot/71cosi/usr"},
		{"/install/nim/spot/71cosi/usr", 20, "/install/nim/spot..."},
		{"abcdef", 3, "abc"},
	} {
		if got := Elide(tc.in, tc.w); got != tc.want {
			t.Errorf("Elide(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// WrapWords breaks at spaces only: an id or a path stays whole.
func TestWrapWords(t *testing.T) {
	got := WrapWords("nimwiz --demo --state-dir /home/admin/nimwiz-practice attach 20261125-184501-71cosi", 80)
	if want := "nimwiz --demo --state-dir /home/admin/nimwiz-practice attach\n20261125-184501-71cosi"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := WrapWords("abcdefghij", 4); got != "abcd\nefgh\nij" {
		t.Errorf("a word wider than the line: %q", got)
	}
}

// A cut is marked, padding cut is not.
func TestTruncateMarksCuts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"aix73_stateless_lpp_source", 10, "aix73_sta…"},
		{"short", 10, "short"},
		{"padded      ", 8, "padded  "},
		{"\x1b[1mbold text\x1b[0m", 5, "\x1b[1mbold…\x1b[0m"},
		{"ab", 1, "a"},
	} {
		if got := Truncate(tc.in, tc.w); got != tc.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}

// A kept Enter survives only a load that succeeds, is reported once, and
// is never kept when nothing loads.
func TestLoaderKeepsEnter(t *testing.T) {
	st := NewCommon().Styles
	l := NewLoader("things")
	l.Keep()
	l.Start()
	l.Finish(nil)
	if l.Kept() {
		t.Error("kept an Enter pressed while nothing loaded")
	}
	l.Start()
	l.Keep()
	if !strings.Contains(l.View(st, 80, "r"), "enter pressed: goes on") {
		t.Errorf("the kept Enter is not shown: %q", l.View(st, 80, "r"))
	}
	if l.Kept() {
		t.Error("Kept while still loading")
	}
	l.Finish(nil)
	if !l.Kept() || l.Kept() {
		t.Error("want Kept once after the load")
	}
	l.Start()
	l.Keep()
	l.Finish(errors.New("xcatd: connection refused"))
	l.Start() // r: retry
	l.Finish(nil)
	if l.Kept() {
		t.Error("an Enter kept before a failure went on after the retry")
	}
	l.Start()
	l.Keep()
	l.Drop()
	l.Finish(nil)
	if l.Kept() {
		t.Error("Drop did not drop")
	}
}
