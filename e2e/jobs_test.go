package e2e

import "testing"

// TestJobsScreenKeys: home's Jobs lists the job, enter opens it on the run
// screen, q goes back to the list (not out of nimwiz), esc back home, and
// only there q quits.
func TestJobsScreenKeys(t *testing.T) {
	needTmux(t)
	t.Parallel()
	d := newDemo(t)
	plan := d.plan("e2e_jobs", "name = \"e2e_jobs\"\ntype = \"diskless\"\nsource = \"/export/images/7200\"\nstateless = true\n")
	cmd, _, errb := d.start([]string{"NIMWIZ_SIM_SPOT_SECONDS=0.3"}, "apply", plan, "--yes")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("apply: %v\n%s", err, errb)
	}
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		p := d.pane(sz[0], sz[1], nil)
		p.waitFor("What would you like to do?", short)
		p.keys("Down", "Down", "Enter")
		p.waitFor("1 job(s)", short)
		p.waitFor("e2e_jobs", short)
		p.keys("Enter")
		p.waitFor("e2e_jobs succeeded", short)
		p.keys("q")
		p.waitFor("1 job(s)", short)
		p.keys("Escape")
		p.waitFor("What would you like to do?", short)
		p.keys("q")
		if code, scr := p.waitExit(short); code != 0 {
			t.Errorf("%dx%d: q on home: exit %d\n%s", sz[0], sz[1], code, scr)
		}
	}
}
