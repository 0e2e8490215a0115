package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// Issue #16 cases that had no test at the verb level (docs/ROOTSAFE.md).

// #16.3/#16.4 and "pre-flight of every name": apply of a plan whose name
// stands in the way on the demo's master (an osimage that exists, an
// lpp_source or a network named like the SPOT, a half-built SPOT left by a
// cut-off run) is refused with exit 2 and the way forward; no job is
// recorded and nothing that changes the master runs.
func TestApplyRefusesNamesThatStandInTheWay(t *testing.T) {
	state := t.TempDir()
	if code, _, errs := runIn(state, "jobs"); code != exitOK {
		t.Fatalf("seed the demo: %d %s", code, errs)
	}
	for _, tc := range []struct{ name, want string }{
		{"aix73_full", "the osimage aix73_full already exists (lsdef -t osimage -o aix73_full): choose another name, re-create it under a new name (nimwiz create --from aix73_full)"},
		{"aix7302_lpp", "NIM already has a lpp_source named aix7302_lpp (lsnim -l aix7302_lpp), and mknimimage would take it as the SPOT"},
		{"master_net", "NIM already has a ent named master_net"},
		{"aix73_test", `NIM already has the spot aix73_test and it is "unavailable for use", not "ready for use": mknimimage would reuse it as it is`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runIn(state, "apply", demoPlan(t, tc.name, false), "--yes")
			if code != exitUsage || out != "" {
				t.Fatalf("exit %d, stdout %q; want 2 and nothing\n%s", code, out, errs)
			}
			if !strings.Contains(errs, tc.want) || !strings.Contains(errs, "nothing was run") {
				t.Errorf("stderr lacks %q or \"nothing was run\":\n%s", tc.want, errs)
			}
			// Refused by apply's own pre-flight, before it shows the
			// command it would run (job.Start's check is the last resort).
			if strings.Contains(errs, "nimwiz: command:") {
				t.Errorf("apply got past its pre-flight:\n%s", errs)
			}
		})
	}
	if all, _ := job.NewStore(state).List(); len(all) != 0 {
		t.Errorf("%d jobs recorded", len(all))
	}
	if ch := simtest.Changing(simtest.Commands(t, filepath.Join(state, "demo", "world"))); len(ch) != 0 {
		t.Errorf("commands that change the master ran: %q", ch)
	}
}

// #16.4 "Cleanup names only what this job created": a failed job whose
// names NIM and xCAT had before it started (recorded by job.Preflight, as
// job.Start does) gets no cleanup that names them. The control (the same
// ending without what existed) does advise removing them, so the test
// fails if the ending stops honouring the record.
func TestEndingNeverCleansUpWhatExistedBefore(t *testing.T) {
	a := &app{stateDir: t.TempDir(), exec: &nim.Executor{}}
	if err := setupDemo(a, false); err != nil {
		t.Fatal(err)
	}
	c := nim.NewClient(a.exec)
	for _, tc := range []struct {
		plan    nim.Plan
		control string // what the cleanup would name without the record
	}{
		// Named like an existing osimage: the old advice removed the
		// working image and what other images share.
		{nim.Plan{Name: "aix73_full", Type: nim.Diskless, Source: "/export/images/7200", Stateless: true, Dump: true}, "rmnimimage -f -d -x aix73_full"},
		// Named like a half-built SPOT that was there before.
		{nim.Plan{Name: "aix73_test", Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}, "nim -Fo remove aix73_test"},
	} {
		t.Run(tc.plan.Name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			existing, _, err := job.Preflight(ctx, c, tc.plan)
			if err != nil {
				t.Fatal(err)
			}
			if len(existing) == 0 {
				t.Fatalf("Preflight recorded nothing as existing for %s", tc.plan.Name)
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "output.log"), []byte("Creating a NIM SPOT resource. This could take a while.\n"), 0o600)
			rec := job.Record{ID: "20261204-120000-" + tc.plan.Name, Name: tc.plan.Name, Plan: tc.plan, Dir: dir,
				State: job.StateFailed, ExitCode: 1, EndedIn: "SPOT creation", Started: time.Now().Add(-time.Minute), Ended: time.Now()}

			control := cleanupText(ending.Gather(ctx, c, rec))
			if !strings.Contains(control, tc.control) {
				t.Fatalf("control: without the record the cleanup should name %q (else this test proves nothing):\n%s", tc.control, control)
			}
			rec.Existing = existing
			got := cleanupText(ending.Gather(ctx, c, rec))
			for _, n := range existing {
				n = strings.TrimPrefix(n, nim.OsimagePrefix)
				for _, l := range strings.Split(got, "\n") {
					if l != "" && (strings.HasSuffix(l, " "+n) || strings.HasSuffix(l, "/"+n) || strings.Contains(l, "/"+n+"/")) {
						t.Errorf("the cleanup names %s, which existed before the job (existing %q): %s", n, existing, l)
					}
				}
			}
			if strings.Contains(got, tc.control) {
				t.Errorf("the cleanup still says %q:\n%s", tc.control, got)
			}
		})
	}
}

func cleanupText(f ending.Facts) string {
	var b strings.Builder
	for _, s := range f.Cleanup {
		b.WriteString(nim.ShellLine(s.Argv) + "\n")
	}
	return b.String()
}

// #16.2 and #16.8: with the supervisor gone, jobs tells the truth: while
// mknimimage lives, "supervisor lost" with its pid and the name kept; once
// it is gone too, "lost" with the name still kept (NIM may be working), an
// exit status never invented, and never cleanup advice.
func TestJobsTellsTheTruthWithoutItsSupervisor(t *testing.T) {
	state := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	child := exec.Command("sleep", "60")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { child.Process.Kill(); child.Wait() })
	id := "20261204-120000-k2"
	dir := filepath.Join(state, "jobs", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	plan := nim.Plan{Name: "k2", Type: nim.Diskless, Source: "/dev/cd0"}
	rec := job.Record{ID: id, Name: "k2", Plan: plan, Argv: []string{"mknimimage", "-V", "-t", "diskless", "-s", "/dev/cd0", "k2"},
		State: job.StateRunning, Started: time.Now().Add(-time.Minute), SupervisorPID: dead.Process.Pid, ChildPID: child.Process.Pid,
		Phase: nim.PhaseSpot, PhaseName: "SPOT creation", Critical: true}
	data, _ := json.Marshal(rec)
	os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600)
	os.WriteFile(filepath.Join(dir, "output.log"), []byte("Creating a NIM SPOT resource. This could take a while.\n"), 0o600)

	noCleanup := func(where, text string) {
		t.Helper()
		for _, w := range []string{"nim -Fo remove", "rmnimimage", "rm -R"} {
			if strings.Contains(text, w) {
				t.Errorf("%s advises a cleanup (%q) while the build may be going:\n%s", where, w, text)
			}
		}
	}
	code, out, errs := runIn(state, "jobs")
	if code != exitOK || !strings.Contains(out, "supervisor lost") {
		t.Fatalf("jobs: exit %d, want the job as supervisor lost:\n%s%s", code, out, errs)
	}
	noCleanup("jobs", out)
	code, out, errs = runIn(state, "jobs", id)
	if code != exitOK {
		t.Fatalf("jobs ID: %d %s", code, errs)
	}
	if field(out, "state") != "supervisor lost" || field(out, "mknimimage pid") != strconv.Itoa(child.Process.Pid) || !strings.Contains(field(out, "name"), "k2 stays taken") {
		t.Errorf("jobs ID: want supervisor lost, mknimimage pid %d and the name kept:\n%s", child.Process.Pid, out)
	}
	noCleanup("jobs ID", out)

	child.Process.Kill()
	child.Wait()
	code, out, _ = runIn(state, "jobs", id)
	if code != exitOK || field(out, "state") != "lost, NIM may still be working" || !strings.Contains(field(out, "name"), "k2 stays taken") {
		t.Errorf("jobs ID once mknimimage is gone too: want lost, the name kept:\n%s", out)
	}
	if field(out, "exit status") != "" {
		t.Errorf("jobs ID invents an exit status for a lost job:\n%s", out)
	}
	noCleanup("jobs ID (lost)", out)
}

// field is the value of "key:" in jobs ID's output, "" when absent.
func field(out, key string) string {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// #16.1 "the supervisor gets what it runs from its parent directly": a
// job.json swapped in the window between Start writing it and the
// supervisor reading it (here by a wrapper that replaces it, as an
// attacker with write access to the job directory would, before it execs
// the supervisor) names another osimage and argv (its job ID kept: a
// record of another ID is refused outright, internal/job
// TestPlantedJobFilesAreNotFollowed); the supervisor still runs what
// Start handed it on stdin, and records that.
func TestSupervisorRunsWhatItsParentHandsIt(t *testing.T) {
	c := newCLI(t)
	exe, _ := os.Executable()
	// $1 the test binary, $2 "__supervise", $3 the job directory.
	swap := `d="$3"; tail -n +2 "$d/job.json" | sed 's/\([^-]\)rs16good/\1rs16evil/g' > "$d/job.json.new" && mv "$d/job.json.new" "$d/job.json" && grep -q rs16evil "$d/job.json" || exit 9; exec "$1" "$2" "$d"`
	self := []string{"/bin/sh", "-c", swap, "sh", exe, "__supervise"}
	plan := nim.Plan{Name: "rs16good", Type: nim.Diskless, Source: "/dev/cd0", Stateless: true}
	j, err := job.Start(job.NewStore(c.state), &nim.Executor{}, plan, self)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := job.NewStore(c.state).Wait(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != job.StateSucceeded || r.Name != "rs16good" || r.Plan.Name != "rs16good" || !strings.Contains(strings.Join(r.Argv, " "), " rs16good") {
		t.Errorf("job %s for %s (plan %s, argv %q); want the launch's rs16good, succeeded", r.State, r.Name, r.Plan.Name, r.Argv)
	}
	if _, err := os.Stat(filepath.Join(c.fake, "defined-rs16evil")); err == nil {
		t.Error("the supervisor ran the swapped job.json's mknimimage")
	}
	if _, err := os.Stat(filepath.Join(c.fake, "defined-rs16good")); err != nil {
		t.Errorf("the launch's mknimimage did not run: %v", err)
	}
}

// #16.8: jobs lists a job directory whose record cannot be read as
// unreadable, with its path, rather than hiding it; a record dated in the
// future is not listed as starting for ever.
func TestJobsListsUnreadableAndFutureRecords(t *testing.T) {
	state := t.TempDir()
	bad := filepath.Join(state, "jobs", "20260101-000000-bad")
	if err := os.MkdirAll(bad, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(bad, "job.json"), []byte("{not json"), 0o600)
	future := "20991231-000000-future"
	os.MkdirAll(filepath.Join(state, "jobs", future), 0o700)
	data, _ := json.Marshal(job.Record{ID: future, Name: "future", State: job.StateStarting, Started: time.Now().Add(24 * time.Hour)})
	os.WriteFile(filepath.Join(state, "jobs", future, "job.json"), data, 0o600)

	code, out, errs := runIn(state, "jobs")
	if code != exitOK {
		t.Fatalf("jobs: %d %s", code, errs)
	}
	var badLine, futureLine string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "20260101-000000-bad"):
			badLine = l
		case strings.HasPrefix(l, future):
			futureLine = l
		}
	}
	if !strings.Contains(badLine, "unreadable ("+bad+": ") || !strings.Contains(badLine, "job.json") {
		t.Errorf("the unreadable record is not listed with its path:\n%s", out)
	}
	if f := strings.Fields(futureLine); len(f) < 3 || f[2] != "lost," {
		t.Errorf("the record from the future: %q", futureLine)
	}
}

// #16.8 "attach on a lost job shows it as lost": the supervisor and
// mknimimage are both gone while the record says running. attach shows
// the job as lost (not as protected and running), says NIM may still be
// working, and advises no cleanup (its stopped clock: ui/run
// TestLostJobClockStops).
func TestAttachShowsALostJobAsLost(t *testing.T) {
	state := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	id := "20261204-120000-k3"
	dir := filepath.Join(state, "jobs", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rec := job.Record{ID: id, Name: "k3", Plan: nim.Plan{Name: "k3", Type: nim.Diskless, Source: "/dev/cd0"},
		Argv:  []string{"mknimimage", "-V", "-t", "diskless", "-s", "/dev/cd0", "k3"},
		State: job.StateRunning, Started: time.Now().Add(-time.Minute), SupervisorPID: dead.Process.Pid, ChildPID: dead.Process.Pid,
		Phase: nim.PhaseSpot, PhaseName: "SPOT creation", Critical: true}
	data, _ := json.Marshal(rec)
	os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600)
	os.WriteFile(filepath.Join(dir, "output.log"), []byte("Creating a NIM SPOT resource. This could take a while.\n"), 0o600)

	u := startTUI(t, state, nil, "attach", id)
	u.until("lost its supervisor and mknimimage")
	u.until("Do not clean up")
	u.keys('q')
	u.exit()
	got := u.text()
	for _, w := range []string{"interrupts refused", "nim -Fo remove", "rmnimimage", "rm -R"} {
		if strings.Contains(got, w) {
			t.Errorf("attach on a lost job shows %q:\n%s", w, got[max(0, len(got)-3000):])
		}
	}
}
