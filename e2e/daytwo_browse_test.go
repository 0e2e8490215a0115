package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// TestBrowseCopyUpdateNextSteps: the safe update from the browser, in the
// demo. aix73_stateless boots dln01 and dln02: its details name them, an
// update is refused with them and the copy offered; the copy runs on the
// run screen and its ending names the nodes to move; then the copy is
// updated (an installp_bundle picked from NIM, ad hoc) and its ending says
// how to move dln01 and dln02 onto it.
func TestBrowseCopyUpdateNextSteps(t *testing.T) {
	needTmux(t)
	t.Parallel()
	d := newDemo(t)
	env := []string{"NIMWIZ_SIM_SPOT_SECONDS=1", "NIMWIZ_SIM_UPDATE_SECONDS=0.1"}
	p := d.pane(120, 40, env, "browse")
	p.waitFor("4 osimages; / to filter", short)
	p.selectRow("aix73_stateless")
	p.keys("Enter")
	p.waitFor("Used by  xCAT nodes dln01,dln02 (provmethod=aix73_stateless)", short)
	p.keys("u")
	p.waitFor("nimwiz does not update aix73_stateless", short)
	p.waitFor("p copy it instead", short)
	p.keys("p")
	p.waitFor("Name of the copy", short)
	p.keys("Tab", "Enter")
	p.waitFor("Command: mknimimage -V -t diskless -i aix73_stateless aix73_stateless_u1", short)
	p.waitFor("Start the copy now?", short)
	if n := len(simtest.Ran(d.commands(), "mknimimage")); n != 0 {
		t.Fatalf("mknimimage ran before the confirmation")
	}
	p.keys("y")
	p.waitFor("was created as a copy of aix73_stateless", long)
	p.waitFor("mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02", short)
	p.keys("q") // the job has ended
	p.waitExit(short)

	// Update the copy: no node uses it.
	p = d.pane(120, 40, env, "browse")
	p.waitFor("5 osimages; / to filter", short)
	p.selectRow("aix73_stateless_u1")
	p.keys("u")
	p.waitFor("Where does the software come from?", short)
	p.keys("Down", "Enter")
	p.waitFor("[ ] base_bnd", short)
	p.keys("Space", "Enter")
	p.waitFor("Command: mknimimage -V -u aix73_stateless_u1 installp_bundle=base_bnd", short)
	p.waitFor("is neither used nor changed", short)
	p.waitFor("ok: the SPOT aix73_stateless_u1 is ready and no node uses it.", short)
	p.keys("y")
	p.waitFor(regexp.MustCompile(`Job \S+-aix73_stateless_u1 succeeded`), long)
	scr := p.waitFor("mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02", short)
	if !strings.Contains(scr, "rpower dln01,dln02 reset") {
		t.Errorf("the update's ending does not move the nodes:\n%s", scr)
	}
	p.keys("q") // the job has ended
	p.waitExit(short)
	var ran []string
	for _, c := range simtest.Ran(d.commands(), "mknimimage") {
		ran = append(ran, strings.Join(c, " "))
	}
	want := []string{"mknimimage -V -t diskless -i aix73_stateless aix73_stateless_u1", "mknimimage -V -u aix73_stateless_u1 installp_bundle=base_bnd"}
	if strings.Join(ran, "\n") != strings.Join(want, "\n") {
		t.Errorf("mknimimage runs:\n%s\nwant:\n%s", strings.Join(ran, "\n"), strings.Join(want, "\n"))
	}
}
