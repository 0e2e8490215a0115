package e2e

import (
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBrowse: list, filter, details with Rstates, the contents of an
// lpp_source and of a SPOT, then removal of an osimage with its
// confirmation; the osimage is gone from nimwiz list too.
func TestBrowse(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(120, 40, nil, "browse")
	p.waitFor("4 osimages; / to filter", short)
	for _, name := range []string{"aix72_dataless", "aix72_stateful", "aix73_full", "aix73_stateless"} {
		p.waitFor(name, short)
	}

	p.keys("/")
	p.waitFor("enter keeps, esc clears", short)
	p.text("73")
	p.waitFor("2 of 4 osimages", short)
	if scr := p.screen(); strings.Contains(scr, "aix72_stateful") {
		t.Fatalf("the filter kept aix72_stateful:\n%s", scr)
	}
	p.keys("Enter") // keep the filter
	p.waitFor("> aix73_full", short)
	p.keys("Enter")
	scr := p.waitFor("Osimage aix73_full: diskless, stateless, dump yes", short)
	scr = p.waitFor(regexp.MustCompile(`(?m)^  spot +aix73_full +Rstate ready for use$`), short)
	if !strings.Contains(scr, "lsnim -l aix7302_lpp aix73_full") {
		t.Errorf("details do not name the lsnim command:\n%s", scr)
	}

	// The lpp_source's contents (the first row), then the SPOT's.
	p.keys("Enter")
	p.waitFor("lpp_source aix7302_lpp: installation images", short)
	p.waitFor("32 filesets", short) // the seeded lpp_source, update filesets included
	p.keys("Escape")
	p.waitFor("Osimage aix73_full:", short)
	p.selectRow("spot ")
	p.keys("Enter")
	p.waitFor("SPOT aix73_full: installed software  nim -o showres aix73_full", short)
	p.waitFor("bos.rte  ", short)
	p.keys("Escape")
	p.waitFor("Osimage aix73_full:", short)
	p.keys("Escape")
	p.waitFor("AIX osimages", short)

	// Remove it: the exact command, what goes, and a y/N question first.
	p.selectRow("aix73_full")
	p.keys("d")
	p.waitFor("Command: rmnimimage -x aix73_full", short)
	p.waitFor("Run it now? This changes the NIM master. [y/N]", short)
	if n := len(simtest.Ran(d.commands(), "rmnimimage")); n != 0 {
		t.Fatalf("rmnimimage ran before the confirmation")
	}
	p.keys("y")
	p.waitFor("ok: removed the definition aix73_full", short)
	p.keys("Enter")
	scr = p.waitFor("3 osimages", short)
	if strings.Contains(scr, "aix73_full") {
		t.Errorf("aix73_full is still listed:\n%s", scr)
	}
	code, out, errs := d.nimwiz("list")
	if code != 0 || strings.Contains(out, "aix73_full") || !strings.Contains(out, "aix73_stateless") {
		t.Errorf("nimwiz list after the removal: exit %d\n%s%s", code, out, errs)
	}
	if rm := simtest.Ran(d.commands(), "rmnimimage"); len(rm) != 1 || strings.Join(rm[0], " ") != "rmnimimage -x aix73_full" {
		t.Errorf("rmnimimage runs: %q", rm)
	}
	p.keys("C-c")
	p.waitExit(short)
}

// TestBrowseRemoveDeclined: n at the confirmation runs nothing.
func TestBrowseRemoveDeclined(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(100, 30, nil, "browse")
	p.waitFor("4 osimages", short)
	p.keys("d")
	p.waitFor("[y/N]", short)
	p.keys("n")
	p.waitFor("4 osimages; / to filter", short)
	p.keys("C-c")
	p.waitExit(short)
	d.noChanges()
}

// TestTypeahead: keys typed faster than nimwiz reads them (a slow SSH link
// to the master) arrive in one read; Bubble Tea v1 then delivers "/73" as
// one key message, which matches no binding, so the keys are lost.
func TestTypeahead(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(100, 30, nil, "browse")
	p.waitFor("4 osimages; / to filter", short)
	p.text("/73") // one write: one read on nimwiz's side
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(p.screen(), "2 of 4 osimages") {
		if time.Now().After(deadline) {
			t.Fatalf("type-ahead \"/73\" is lost: multi-rune key messages must be split into single keys outside text fields (ui/app):\n%s", p.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.keys("C-c")
	p.waitExit(short)
}
