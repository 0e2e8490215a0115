package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

func TestMain(m *testing.M) { simtest.Main(m) }

// A path is how the client's output reaches nimwiz: a plain pipe (Perl
// block-buffers the client's STDOUT: its info lines arrive when it exits,
// its Error:/Warning: lines at once) or the live path (PERL5OPT loads
// nimwiz's module, STDOUT is unbuffered and the module proves it on fd 3).
type path struct {
	name string
	live bool
}

var paths = []path{{"pipe", false}, {"live", true}}

// command builds the plan's mknimimage for path pa; with live it also
// returns the read end of the module's proof descriptor.
func command(t *testing.T, w *simtest.World, pa path, argv []string) (*exec.Cmd, *os.File) {
	t.Helper()
	e := *w.Exec
	e.LiveDir = "" // the plain pipe: no module
	if pa.live {
		dir := filepath.Join(t.TempDir(), "live")
		if err := nim.InstallLiveModule(dir); err != nil {
			t.Fatal(err)
		}
		e.LiveDir = dir
	}
	cmd, err := e.Command(argv[0], argv[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	if !pa.live {
		return cmd, nil
	}
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Env, nim.LiveFDEnv+"=3")
	cmd.ExtraFiles = []*os.File{wr}
	t.Cleanup(func() { r.Close(); wr.Close() })
	return cmd, r
}

// runPlan runs the plan's mknimimage in w through path pa, feeding every
// output line to a tracker the way the job supervisor does, and returns
// output, exit code and the tracker's phase rows.
func runPlan(t *testing.T, w *simtest.World, pa path, p nim.Plan, extra ...string) (string, int, *nim.Tracker) {
	t.Helper()
	cmd, proof := command(t, w, pa, append(p.Args(), extra...))
	return feed(t, cmd, proof, nim.NewTracker(p), nil)
}

// feed runs cmd with stdout and stderr on one pipe, as the supervisor does,
// and calls onLine after each line has been fed. With proof (the live
// path) it checks the module reported the client's pid.
func feed(t *testing.T, cmd *exec.Cmd, proof *os.File, tr *nim.Tracker, onLine func(string)) (string, int, *nim.Tracker) {
	t.Helper()
	var all bytes.Buffer
	pr, pw, err := osPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if proof != nil {
		for _, f := range cmd.ExtraFiles {
			f.Close()
		}
		b, err := io.ReadAll(proof)
		if err != nil || string(b) != fmt.Sprintf("%s%d\n", nim.LiveMarker, cmd.Process.Pid) {
			t.Errorf("live proof %q (%v), want live %d", b, err, cmd.Process.Pid)
		}
	}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		all.WriteString(line + "\n")
		tr.Feed(line)
		if onLine != nil {
			onLine(line)
		}
	}
	code := 0
	if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	tr.Finish(code)
	return all.String(), code, tr
}

func states(tr *nim.Tracker) map[string]nim.PhaseState {
	m := map[string]nim.PhaseState{}
	for _, s := range tr.Statuses() {
		m[s.Label] = s.State
	}
	return m
}

func TestSuccessfulRunsParseAndTrack(t *testing.T) {
	tests := []struct {
		name string
		plan nim.Plan
		opts []simtest.Option
	}{
		{"stateful from media", nim.Plan{Name: "c1", Source: "/dev/cd0"}, nil},
		{"stateless from directory with dump", nim.Plan{Name: "c2", Source: "/export/images/7200", Stateless: true, Dump: true}, nil},
		{"dataless from lpp_source", nim.Plan{Name: "c3", Type: nim.Dataless, Source: "aix7302_lpp"}, nil},
		{"extra resources, other location", nim.Plan{Name: "c4", Source: "aix7205_lpp", Location: "/export/nim",
			Extra: map[string]string{"resolv_conf": "cluster_resolv_conf"}}, nil},
		{"xCAT 2.9 messages", nim.Plan{Name: "c5", Source: "/export/images/7300_notoc"}, []simtest.Option{simtest.Legacy()}},
		{"flooded output", nim.Plan{Name: "c6", Source: "/dev/cd0"}, []simtest.Option{simtest.Flood(5000)}},
	}
	for _, tc := range tests {
		for _, pa := range paths {
			t.Run(tc.name+"/"+pa.name, func(t *testing.T) {
				w := simtest.New(t, append([]simtest.Option{simtest.SpotSeconds(0.05)}, tc.opts...)...)
				p := tc.plan.WithDefaults()
				if probs := p.Validate(); len(probs) > 0 {
					t.Fatalf("plan: %v", probs)
				}
				if tc.plan.Extra != nil {
					ensureResource(t, w, tc.plan.Extra)
				}
				out, code, tr := runPlan(t, w, pa, p)
				if code != 0 {
					t.Fatalf("exit %d:\n%s", code, out)
				}
				sum, ok := nim.ParseSummary([]byte(out))
				if !ok {
					t.Fatalf("no summary in:\n%s", out)
				}
				want := p.Definition()
				if !reflect.DeepEqual(sum.Attrs, want.Attrs) || sum.Name != want.Name {
					t.Errorf("summary %v\nplan definition %v", sum, want)
				}
				if tr.Phase() != nim.PhaseDone {
					t.Errorf("phase %v after a good run", tr.Phase())
				}
				for label, st := range states(tr) {
					if st != nim.PhaseDoneOK && st != nim.PhaseReused {
						t.Errorf("phase %s: state %v after a good run", label, st)
					}
				}
				if len(tr.Errors()) > 0 {
					t.Errorf("tracker saw errors: %v", tr.Errors())
				}
				// The osimage is now listed, and each of its resources is ready.
				c := nim.NewClient(w.Exec)
				o, err := c.Osimage(context.Background(), p.Name)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, a := range o.ResourceAttrs() {
					names = append(names, strings.Split(a.Value, ",")...)
				}
				objs, missing, err := c.Objects(context.Background(), names...)
				if err != nil || len(missing) > 0 {
					t.Fatalf("objects %v: missing %v, %v", names, missing, err)
				}
				for _, ob := range objs {
					if !ob.Ready() {
						t.Errorf("%s: Rstate %q", ob.Name, ob.Get("Rstate"))
					}
				}
				// Re-running the same plan is refused: the definition exists.
				out2, code2, _ := runPlan(t, w, pa, p)
				if code2 != 1 {
					t.Errorf("second run exit %d, want 1:\n%s", code2, out2)
				}
				msgs := nim.ParseMessages([]byte(out2))
				if len(msgs) == 0 || !msgs[0].Kind.IsError() || !strings.Contains(msgs[0].Text, "already exists") {
					t.Errorf("second run messages %v", msgs)
				}
			})
		}
	}
}

// ensureResource checks the seeded world has the extra resources a test names.
func ensureResource(t *testing.T, w *simtest.World, extra map[string]string) {
	t.Helper()
	var names []string
	for _, v := range extra {
		names = append(names, v)
	}
	_, missing, err := nim.NewClient(w.Exec).Objects(context.Background(), names...)
	if err != nil || len(missing) > 0 {
		t.Fatalf("seeded world lacks %v (%v)", missing, err)
	}
}

func TestVerboseRunTracksTheSamePhases(t *testing.T) {
	for _, pa := range paths {
		t.Run(pa.name, func(t *testing.T) {
			w := simtest.New(t, simtest.SpotSeconds(0.05))
			p := nim.Plan{Name: "v1", Source: "/dev/cd0", Dump: true}.WithDefaults()
			_, quiet, trq := runPlan(t, w, pa, p)
			w2 := simtest.New(t, simtest.SpotSeconds(0.05))
			out, verbose, trv := runPlan(t, w2, pa, p, "-V")
			if quiet != 0 || verbose != 0 {
				t.Fatalf("exit %d / %d:\n%s", quiet, verbose, out)
			}
			if !reflect.DeepEqual(states(trq), states(trv)) {
				t.Errorf("quiet %v\nverbose %v", states(trq), states(trv))
			}
		})
	}
}

func TestFaultsAreParsedAndTracked(t *testing.T) {
	tests := []struct {
		fault      string
		failed     string // phase label the tracker must mark failed ("" if none)
		summary    bool   // the summary still prints (exit 1 all the same)
		leftSpot   bool   // a SPOT object exists afterwards
		spotReady  bool   // ignored for update: whether a failed update leaves the SPOT ready is not known
		definition bool   // the osimage definition exists afterwards
	}{
		{fault: "lpp_source", failed: "lpp_source"},
		{fault: "spot", failed: "SPOT", leftSpot: true},
		{fault: "root", failed: "root", leftSpot: true, spotReady: true},
		{fault: "dump", failed: "dump", leftSpot: true, spotReady: true},
		{fault: "paging", failed: "paging", leftSpot: true, spotReady: true},
		{fault: "definition", failed: "osimage definition", leftSpot: true, spotReady: true},
		{fault: "update", failed: "SPOT update", leftSpot: true, definition: true},
		{fault: "password", summary: true, leftSpot: true, spotReady: true, definition: true},
	}
	for _, tc := range tests {
		for _, pa := range paths {
			t.Run(tc.fault+"/"+pa.name, func(t *testing.T) {
				w := simtest.New(t, simtest.SpotSeconds(0.05), simtest.Fail(tc.fault))
				p := nim.Plan{Name: "f1", Source: "/dev/cd0", Dump: true}.WithDefaults()
				out, code, tr := runPlan(t, w, pa, p)
				if code != 1 {
					t.Fatalf("exit %d, want 1:\n%s", code, out)
				}
				msgs := nim.ParseMessages([]byte(out))
				var errs int
				for _, m := range msgs {
					if m.Kind.IsError() {
						errs++
					}
				}
				if errs == 0 {
					t.Errorf("no error messages parsed from:\n%s", out)
				}
				if _, ok := nim.ParseSummary([]byte(out)); ok != tc.summary {
					t.Errorf("summary present %v, want %v", ok, tc.summary)
				}
				st := states(tr)
				if tc.failed != "" && st[tc.failed] != nim.PhaseFailed {
					t.Errorf("phase %s state %v, want failed (all: %v)\n%s", tc.failed, st[tc.failed], st, out)
				}
				if tc.failed == "" {
					for label, s := range st {
						if s == nim.PhaseFailed && label != "SPOT update" {
							t.Errorf("phase %s failed on a %s fault", label, tc.fault)
						}
					}
				}
				c := nim.NewClient(w.Exec)
				objs, _, err := c.Objects(context.Background(), "f1")
				if err != nil {
					t.Fatal(err)
				}
				if (len(objs) == 1) != tc.leftSpot {
					t.Errorf("SPOT left behind: %v, want %v", len(objs) == 1, tc.leftSpot)
				}
				if len(objs) == 1 && tc.fault != "update" && objs[0].Ready() != tc.spotReady {
					t.Errorf("SPOT Rstate %q, want ready=%v", objs[0].Get("Rstate"), tc.spotReady)
				}
				_, err = c.Osimage(context.Background(), "f1")
				if (err == nil) != tc.definition {
					t.Errorf("definition exists: %v (err %v), want %v", err == nil, err, tc.definition)
				}
			})
		}
	}
}

// Through a plain pipe the tracker learns the phases only when the client
// exits: by the time it sees SPOT creation (or the update) begin, the run
// is over and its osimage defined. nimwiz cannot tell the phase from it.
func TestPipeShowsPhasesOnlyAtExit(t *testing.T) {
	w := simtest.New(t, simtest.SpotSeconds(1), simtest.Env("NIMWIZ_SIM_LPP_SECONDS", "0.05"))
	p := nim.Plan{Name: "s0", Source: "/dev/cd0"}.WithDefaults()
	c := nim.NewClient(w.Exec)
	cmd, _ := command(t, w, paths[0], p.Args())
	tr := nim.NewTracker(p)
	seen := map[nim.Phase]bool{}
	out, code, _ := feed(t, cmd, nil, tr, func(string) {
		for _, ph := range []nim.Phase{nim.PhaseSpot, nim.PhaseSpotUpdate} {
			if tr.Phase() == ph && !seen[ph] {
				seen[ph] = true
				if _, err := c.Osimage(context.Background(), p.Name); err != nil {
					t.Errorf("phase %v seen while the run was still going (%v)", phaseLabel(ph), err)
				}
			}
		}
	})
	if code != 0 || !seen[nim.PhaseSpot] || !seen[nim.PhaseSpotUpdate] {
		t.Errorf("exit %d, phases seen %v:\n%s", code, seen, out)
	}
}

// On the live path the tracker sees each phase as it begins, so a signal
// can be sent in it: the phase is left unfinished, and a signal during
// SPOT creation leaves a SPOT that is not ready for use (the corruption
// nimwiz exists to prevent). INT and TERM abort (exit 0 after the pause),
// HUP kills the client (the server goes on unseen): either way no summary.
func TestSignalInEachPhase(t *testing.T) {
	for _, phase := range []nim.Phase{nim.PhaseSpot, nim.PhaseSpotUpdate} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
			t.Run(phaseLabel(phase)+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				w := simtest.New(t, simtest.SpotSeconds(30), simtest.Env("NIMWIZ_SIM_LPP_SECONDS", "0.01"))
				if phase == nim.PhaseSpotUpdate {
					w = simtest.New(t, simtest.SpotSeconds(0.05), simtest.UpdateSeconds(30))
				}
				p := nim.Plan{Name: "s1", Source: "/dev/cd0"}.WithDefaults()
				cmd, proof := command(t, w, paths[1], p.Args())
				tr := nim.NewTracker(p)
				sent := false
				out, code, tr := feed(t, cmd, proof, tr, func(string) {
					if !sent && tr.Phase() == phase {
						sent = true
						_ = cmd.Process.Signal(sig)
					}
				})
				if !sent {
					t.Fatalf("phase %v never reached:\n%s", phaseLabel(phase), out)
				}
				if sig != syscall.SIGHUP && code != 0 {
					t.Errorf("exit %d after %v, want 0 (the client's abort)", code, sig)
				}
				if tr.Phase() == nim.PhaseDone && tr.Statuses()[len(tr.Statuses())-1].State == nim.PhaseDoneOK {
					t.Errorf("run ended well after %v:\n%s", sig, out)
				}
				if _, ok := nim.ParseSummary([]byte(out)); ok {
					t.Errorf("summary after %v in %v", sig, phaseLabel(phase))
				}
				if phase == nim.PhaseSpot && sig != syscall.SIGHUP {
					// The signal comes right after "Creating a NIM SPOT
					// resource": NIM's define may not have begun (no SPOT),
					// or be cut short (a SPOT not ready); never a ready one.
					objs, _, err := nim.NewClient(w.Exec).Objects(context.Background(), "s1")
					if err != nil || (len(objs) == 1 && objs[0].Ready()) {
						t.Errorf("the SPOT after %v: %+v %v", sig, objs, err)
					}
				}
			})
		}
	}
}

func phaseLabel(p nim.Phase) string {
	if p == nim.PhaseSpot {
		return "spot"
	}
	return "update"
}

func TestQueriesOnTheSeededWorld(t *testing.T) {
	w := simtest.New(t)
	c := nim.NewClient(w.Exec)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	imgs, err := c.Osimages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range imgs {
		names = append(names, o.Name)
		if !o.IsNIM() {
			t.Errorf("%s: not a NIM osimage", o.Name)
		}
	}
	for _, want := range []string{"aix72_stateful", "aix72_dataless", "aix73_stateless", "aix73_full"} {
		if !contains(names, want) {
			t.Errorf("osimages %v lack %s", names, want)
		}
	}
	lpps, err := c.ObjectsOfType(ctx, "lpp_source")
	if err != nil {
		t.Fatal(err)
	}
	ready := map[string]bool{}
	for _, o := range lpps {
		ready[o.Name] = o.Ready()
	}
	if !ready["aix7205_lpp"] || !ready["aix7302_lpp"] || ready["aix7105_lpp"] {
		t.Errorf("lpp_source readiness %v", ready)
	}
	if _, has := ready["aix7105_lpp"]; !has {
		t.Errorf("the unavailable lpp_source is not listed: %v", ready)
	}
	taken, err := c.NameTaken(ctx, "aix73_full")
	if err != nil || !taken.Osimage {
		t.Errorf("NameTaken(aix73_full) = %+v, %v", taken, err)
	}
	taken, err = c.NameTaken(ctx, "aix73_test")
	if err != nil || taken.Osimage || taken.NIMType != "spot" {
		t.Errorf("NameTaken(aix73_test) = %+v, %v (a SPOT without a definition)", taken, err)
	}
	taken, err = c.NameTaken(ctx, "nosuch")
	if err != nil || taken.Any() {
		t.Errorf("NameTaken(nosuch) = %+v, %v", taken, err)
	}
	_, missing, err := c.Objects(ctx, "aix7205_lpp", "nosuch")
	if err != nil || !reflect.DeepEqual(missing, []string{"nosuch"}) {
		t.Errorf("Objects missing %v, %v", missing, err)
	}
	cds, err := c.CDDevices(ctx)
	if err != nil || len(cds) == 0 || cds[0].Name != "cd0" || cds[0].Status != "Available" {
		t.Errorf("CDDevices %+v, %v", cds, err)
	}
	v, err := c.XcatVersion(ctx)
	if err != nil || !v.AtLeast(2, 5) {
		t.Errorf("XcatVersion %+v, %v", v, err)
	}
	spot, err := c.Showres(ctx, "aix72_stateful", "spot")
	if err != nil || len(spot) < 10 {
		t.Errorf("Showres spot: %d filesets, %v", len(spot), err)
	}
	for _, f := range spot {
		if f.Name == "" || f.Level == "" || strings.ContainsAny(f.Name, " \t") {
			t.Errorf("bad fileset %+v", f)
		}
	}
	lpp, err := c.Showres(ctx, "aix7205_lpp", "lpp_source")
	if err != nil || len(lpp) < 10 {
		t.Errorf("Showres lpp_source: %d filesets, %v", len(lpp), err)
	}
	_, err = c.Osimage(ctx, "nosuch")
	if !errors.Is(err, nim.ErrNoSuchOsimage) {
		t.Errorf("Osimage(nosuch) = %v", err)
	}
}

func TestHungQueryTimesOut(t *testing.T) {
	w := simtest.New(t, simtest.HangQuery("lsnim"))
	w.Exec.Timeout = 300 * time.Millisecond
	_, _, err := nim.NewClient(w.Exec).Objects(context.Background(), "master")
	if !errors.Is(err, nim.ErrTimeout) || !strings.Contains(err.Error(), "lsnim") {
		t.Fatalf("hung lsnim gave %v", err)
	}
}

func TestRemoveParses(t *testing.T) {
	w := simtest.New(t)
	run := func(args ...string) nim.RemoveReport {
		cmd, err := w.Exec.Command("rmnimimage", args...)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := cmd.CombinedOutput()
		return nim.ParseRmnimimage(out)
	}
	// Two osimages share an lpp_source: xCAT refuses without -f.
	r := run("-x", "aix72_stateful")
	if !r.SharedRefused || r.DefinitionRemoved {
		t.Errorf("shared refusal not parsed: %+v", r)
	}
	r = run("-f", "-x", "aix72_stateful")
	if !r.DefinitionRemoved || len(r.Removed) == 0 {
		t.Errorf("forced removal not parsed: %+v", r)
	}
	// aix73_stateless is allocated to a node: its allocated resources stay.
	r = run("-x", "aix73_stateless")
	if len(r.Allocated) == 0 {
		t.Errorf("allocated resources not parsed: %+v", r)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
