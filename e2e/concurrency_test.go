package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// nimwizEnv is nimwiz with extra environment (NIMWIZ_SIM_* reach the
// demo's simulator).
func (d *demo) start(env []string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	d.t.Helper()
	cmd := exec.Command(nimwizBin, append([]string{"--demo", "--state-dir", d.state}, args...)...)
	cmd.Dir = d.cwd
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	return cmd, &out, &errb
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// simLsnim asks the demo's simulator directly (not through nimwiz).
func (d *demo) simLsnim(args ...string) string {
	cmd := exec.Command(filepath.Join(d.state, "demo", "bin", "lsnim"), args...)
	cmd.Env = []string{"NIMWIZ_SIM_ROOT=" + d.world(), "LANG=C"}
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func (d *demo) plan(name, text string) string {
	d.t.Helper()
	p := filepath.Join(d.cwd, name+".toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		d.t.Fatal(err)
	}
	return p
}

// TestTwoProcesses: list and show while an apply job runs see a consistent
// world; a second apply of the same name is refused naming the first job;
// two different names both succeed with intact job records.
func TestTwoProcesses(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	slow := []string{"NIMWIZ_SIM_SPOT_SECONDS=3"}
	first := d.plan("e2e_one", "name = \"e2e_one\"\nsource = \"/dev/cd0\"\n")
	cmd1, out1, err1 := d.start(slow, "apply", first, "--yes")

	// While its SPOT is being built.
	deadline := time.Now().Add(long)
	for !regexp.MustCompile(`type\s+= spot`).MatchString(d.simLsnim("-l", "e2e_one")) {
		if time.Now().After(deadline) {
			t.Fatalf("the SPOT never appeared; apply says:\n%s", err1)
		}
		time.Sleep(50 * time.Millisecond)
	}
	lsnim := d.simLsnim("-l", "e2e_one")
	if rs := regexp.MustCompile(`Rstate\s+= (.*)`).FindStringSubmatch(lsnim); rs == nil || rs[1] == "ready for use" {
		t.Errorf("the SPOT being built should not be ready for use:\n%s", lsnim)
	}
	code, out, errs := d.nimwiz("list")
	if code != 0 || !strings.Contains(out, "aix73_full") || strings.Contains(out, "e2e_one") {
		t.Errorf("list during the run: exit %d (the new osimage is defined only at the end)\n%s%s", code, out, errs)
	}
	code, _, errs = d.nimwiz("show", "e2e_one")
	if code == 0 || !strings.Contains(errs, `no osimage named "e2e_one"`) || !strings.Contains(errs, "is creating it") {
		t.Errorf("show during the run: exit %d %q (want the running job named)", code, errs)
	}

	// The same name again: refused, naming the running job.
	code, _, errs = d.nimwiz("apply", first, "--yes")
	jobs := jobIDs(t, d)
	if code != 1 || len(jobs) != 1 || !strings.Contains(errs, jobs[0]) {
		t.Errorf("second apply of e2e_one: exit %d, stderr %q; want 1 naming job %v", code, errs, jobs)
	}

	// Another name at the same time: both succeed.
	second := d.plan("e2e_two", "name = \"e2e_two\"\nsource = \"aix7302_lpp\"\nstateless = true\n")
	cmd2, _, err2 := d.start([]string{"NIMWIZ_SIM_SPOT_SECONDS=1"}, "apply", second, "--yes")
	if err := cmd2.Wait(); err != nil {
		t.Errorf("apply e2e_two: %v\n%s", err, err2)
	}
	if err := cmd1.Wait(); err != nil {
		t.Errorf("apply e2e_one: %v\n%s", err, err1)
	}
	if !strings.Contains(out1.String(), "e2e_one") {
		t.Errorf("apply e2e_one printed no mknimimage output:\n%s", out1)
	}
	code, out, _ = d.nimwiz("list")
	if code != 0 || !strings.Contains(out, "e2e_one") || !strings.Contains(out, "e2e_two") {
		t.Errorf("list after both:\n%s", out)
	}
	code, out, _ = d.nimwiz("jobs", "--json")
	var recs []struct {
		ID, Name, State string
	}
	if err := json.Unmarshal([]byte(out), &recs); code != 0 || err != nil || len(recs) != 2 {
		t.Fatalf("jobs --json: exit %d %v\n%s", code, err, out)
	}
	for _, r := range recs {
		if r.State != "succeeded" || !strings.HasSuffix(r.ID, r.Name) {
			t.Errorf("job record %+v", r)
		}
	}
	if mk := simtest.Ran(d.commands(), "mknimimage"); len(mk) != 2 {
		t.Errorf("mknimimage ran %d times: %q", len(mk), mk)
	}
}

func jobIDs(t *testing.T, d *demo) []string {
	ents, _ := os.ReadDir(filepath.Join(d.state, "jobs"))
	var ids []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != "locks" {
			ids = append(ids, e.Name())
		}
	}
	return ids
}

// TestUnwritableStateDir: the state directory is not what nimwiz made
// (jobs/ is a file), so every start is refused before anything runs: exit
// 2, the path, why and how to fix it.
func TestUnwritableStateDir(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	if code, _, errs := d.nimwiz("list"); code != 0 {
		t.Fatal(errs)
	}
	// Root writes anywhere, so make jobs/ a file: no job directory can be
	// made under it, whoever runs the test.
	if err := os.WriteFile(filepath.Join(d.state, "jobs"), []byte("not a directory\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := d.plan("e2e_ro", "name = \"e2e_ro\"\nsource = \"/dev/cd0\"\n")
	code, out, errs := d.nimwiz("apply", file, "--yes")
	if code != 2 || out != "" || !strings.Contains(errs, filepath.Join(d.state, "jobs")+" is not a directory") || !strings.Contains(errs, "nothing was run") {
		t.Errorf("apply with an unwritable state dir: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if mk := simtest.Ran(d.commands(), "mknimimage"); len(mk) > 0 {
		t.Errorf("mknimimage ran: %q", mk)
	}
	d.noChanges()
}
