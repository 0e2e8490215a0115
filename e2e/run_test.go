package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunInTmux: the whole thing as an admin does it. Create from media,
// confirm, and while the SPOT is built press Ctrl+C, Ctrl+Z and Ctrl+\
// (refused, the job goes on, no signal reaches mknimimage); then close the
// terminal; the job still ends well, and attach in a new terminal shows how.
// (Signals sent to nimwiz, SIGKILL and a pty hang-up are in
// cmd/nimwiz/run_test.go.)
func TestRunInTmux(t *testing.T) {
	needTmux(t)
	t.Parallel()
	d := newDemo(t)
	env := []string{"NIMWIZ_SIM_SPOT_SECONDS=6", "NIMWIZ_SIM_UPDATE_SECONDS=0.1"}
	p := d.pane(120, 40, env, "create")
	toPreview(p, answers{name: "e2e_run", source: media})
	p.keys("Enter")
	p.waitFor("Create osimage e2e_run now?", short)
	p.keys("y")
	p.waitFor("SPOT creation: interrupts refused", long)
	for _, k := range []string{"C-c", "C-z", `C-\`} {
		p.keys(k)
		p.waitFor("refused: the SPOT is being created", short)
	}
	// The terminal goes away mid-SPOT.
	p.run("kill-server")

	deadline := time.Now().Add(long)
	for {
		_, out, _ := d.nimwiz("jobs")
		if strings.Contains(out, "e2e_run") && strings.Contains(out, "succeeded") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not succeed after the terminal closed:\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	a := d.pane(120, 40, nil, "attach")
	// No job runs any more: attach without a name opens the last one, at
	// its ending; q leaves. With the id, the same.
	a.waitFor("osimage e2e_run was created", short)
	a.keys("q")
	if code, scr := a.waitExit(short); code != 0 {
		t.Errorf("attach with no running job: exit %d\n%s", code, scr)
	}
	ids, _ := filepath.Glob(filepath.Join(d.state, "jobs", "*-e2e_run"))
	if len(ids) != 1 {
		t.Fatalf("job directories %v", ids)
	}
	a = d.pane(120, 40, nil, "attach", filepath.Base(ids[0]))
	a.waitFor("osimage e2e_run was created", short)
	a.waitFor("mkdsklsnode -i e2e_run noderange", short)
	if b, err := os.ReadFile(filepath.Join(d.world(), "var", "sim", "signals.log")); err == nil && len(b) > 0 {
		t.Errorf("signals reached the simulated mknimimage:\n%s", b)
	}
	_, list, _ := d.nimwiz("list")
	if !strings.Contains(list, "e2e_run") {
		t.Errorf("nimwiz list lacks the new osimage:\n%s", list)
	}
}
