package e2e

import (
	"strings"
	"testing"
)

// q and Esc mean one thing on every view, in a real terminal: back (detach
// on the run screen, the job goes on), quit only on Home. Home's Jobs
// lists every job; Enter opens one on the run screen.
func TestKeysAndJobsInTmux(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	code, _, errs := d.nimwiz("apply", "--yes", d.plan("e2e_keys", "name = \"e2e_keys\"\ntype = \"diskless\"\nsource = \"/dev/cd0\"\nstateless = true\n"))
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s", code, errs)
	}
	for _, back := range []string{"q", "Escape"} {
		p := d.pane(80, 24, nil)
		p.waitFor("Jobs", short)
		p.keys("Down", "Down", "Enter")
		p.waitFor("KIND", short)
		p.waitFor("e2e_keys", short)
		p.keys("Enter")
		p.waitFor("osimage e2e_keys was created", short)
		p.keys(back)
		scr := p.waitFor("KIND", short) // back on the list
		if !strings.Contains(scr, "e2e_keys") {
			t.Errorf("%s: not back on the Jobs list:\n%s", back, scr)
		}
		p.keys(back)
		p.waitFor("Browse osimages", short) // Home
		p.keys("Up")                        // Home keeps its place (Jobs): up is Browse
		p.keys("Enter")
		p.waitFor("5 osimages", short)
		p.keys(back)
		p.waitFor("Create an osimage", short)
		p.keys(back)
		if code, scr := p.waitExit(short); code != 0 {
			t.Errorf("%s on Home: exit %d\n%s", back, code, scr)
		}
	}
}
