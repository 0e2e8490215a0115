package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// TestNameEnterNotSwallowed: a name pasted or typed the moment the name
// step appears, while its first queries (the suggestion, through the Perl
// client and xcatd's 1-2 s relay) still run, followed at once by Enter:
// the name typed is the name (not appended to the suggestion), it is
// checked in NIM, and the Enter goes on to the source step as soon as the
// check passes; a taken name pasted the same way is refused by the field.
func TestNameEnterNotSwallowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, typed string
		paste, ok   bool
	}{
		{"paste", "e2e_paste", true, true},
		{"typed", "e2e_typed", false, true},
		{"paste taken", "aix73_full", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newDemo(t)
			p := d.pane(80, 24, nil, "create")
			p.waitFor("What should the new osimage be called?", short)
			if tc.paste {
				p.paste(tc.typed)
			} else {
				p.text(tc.typed)
			}
			p.keys("Enter")
			if !tc.ok {
				scr := p.waitFor(`an xCAT osimage named "`+tc.typed+`" already exists`, long)
				if !strings.Contains(scr, "step 1 of 7: Name") || !strings.Contains(scr, "Name > "+tc.typed+"\n") {
					t.Errorf("the refusal is not on the name step:\n%s", scr)
				}
			} else {
				p.waitFor("step 2 of 7: Source", long)
			}
			if !slices.ContainsFunc(simtest.Ran(d.commands(), "lsnim"), func(c []string) bool { return slices.Equal(c, []string{"lsnim", tc.typed}) }) {
				t.Errorf("%s was never checked in NIM: %q", tc.typed, simtest.Ran(d.commands(), "lsnim"))
			}
			if tc.ok {
				p.keys("Escape")
				scr := p.waitFor("step 1 of 7: Name", short)
				if !strings.Contains(scr, "Name > "+tc.typed+"\n") {
					t.Errorf("the name field does not hold just %s:\n%s", tc.typed, scr)
				}
			}
			p.keys("C-c")
			p.waitExit(short)
		})
	}
}

// TestReuseOffer: the demo's disc (OSLEVEL 7.3.2.0) is at the level of
// aix7302_lpp: the source step shows the level, offers the lpp_source,
// and y makes the plan reuse it instead of copying the disc.
func TestReuseOffer(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(80, 24, nil, "create")
	p.waitFor(" is free: press tab or enter", short)
	p.text("e2e_reuse")
	p.waitFor(`"e2e_reuse" is free in xCAT and NIM.`, short)
	p.keys("Enter")
	p.waitFor("Where should the AIX software come from?", short)
	p.keys("Enter")
	p.waitFor("Available  AIX 7300-02", short)
	p.keys("Enter")
	p.waitForText("NIM already has lpp_source aix7302_lpp at the same AIX level (7300-02)", short)
	p.keys("y")
	p.waitFor("> Diskless, stateful", short)
	// Each step's answer is on screen before Enter (a loaded machine must
	// not turn an early Enter into a skipped step).
	for _, s := range []string{"free on the filesystem holding", "dump resources are supported", "Add existing NIM resources and options?", "Review the plan"} {
		p.keys("Enter")
		p.waitFor(s, long)
	}
	if got := commandLine(p.screen()); got != "mknimimage -V -t diskless -s aix7302_lpp e2e_reuse" {
		t.Errorf("command line %q:\n%s", got, p.screen())
	}
	p.keys("C-c")
	p.waitExit(short)
	d.noChanges()
}
