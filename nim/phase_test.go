package nim

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeClock ticks one second per call, so every timestamp is distinct.
func fakeClock() func() time.Time {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Second)
		return t
	}
}

func readRun(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "runs", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func stateName(s PhaseState) string {
	return [...]string{"pending", "running", "done", "reused", "skipped", "failed"}[s]
}

// statusString renders the rows as "label=state, ...".
func statusString(st []PhaseStatus) string {
	var parts []string
	for _, s := range st {
		parts = append(parts, s.Label+"="+stateName(s.State))
	}
	return strings.Join(parts, ", ")
}

func TestTrackerRuns(t *testing.T) {
	stateful := Plan{Name: "aix73", Source: "/dev/cd0"}
	tests := []struct {
		file string
		plan Plan
		exit int
		// the phases Feed moved to, in order
		seq []Phase
		// the rows after Finish
		want string
		// phases during which Critical was true (output live), and those
		// during which it was false (default: every phase seen but these)
		critical []Phase
		free     []Phase
		errors   []string
	}{
		{
			file: "stateful-cd.out", plan: stateful, exit: 0,
			seq:      []Phase{PhaseLppSource, PhaseSpot, PhaseSpotUpdate, PhaseSummary},
			want:     "lpp_source=done, SPOT=done, root=done, paging=done, osimage definition=done, SPOT update=done",
			critical: []Phase{PhaseSpot, PhaseSpotUpdate},
		},
		{
			// nim_master_setup runs: nothing proves the SPOT is not being made.
			file: "stateless-dir.out", plan: Plan{Name: "61cosi", Source: "/myimages", Stateless: true}, exit: 0,
			seq:      []Phase{PhaseCheckNIM, PhaseLppSource, PhaseSpot, PhaseSpotUpdate, PhaseSummary},
			want:     "NIM check=done, lpp_source=done, SPOT=done, shared_root=done, paging=done, osimage definition=done, SPOT update=done",
			critical: []Phase{PhaseCheckNIM, PhaseSpot, PhaseSpotUpdate},
		},
		{
			file: "dump.out", plan: Plan{Name: "aix72d", Source: "/export/aix72", Dump: true}, exit: 0,
			seq:      []Phase{PhaseLppSource, PhaseSpot, PhaseSpotUpdate, PhaseSummary},
			want:     "lpp_source=done, SPOT=done, root=done, dump=done, paging=done, osimage definition=done, SPOT update=done",
			critical: []Phase{PhaseSpot, PhaseSpotUpdate},
		},
		{
			file: "reuse-lpp.out", plan: Plan{Name: "aix73b", Source: "aix73_lpp_source", Stateless: true}, exit: 0,
			seq:      []Phase{PhaseSpot, PhaseSpotUpdate, PhaseSummary},
			want:     "lpp_source=reused, SPOT=done, shared_root=done, paging=done, osimage definition=done, SPOT update=done",
			critical: []Phase{PhaseSpot, PhaseSpotUpdate},
		},
		{
			file: "rerun-reuses.out", plan: stateful, exit: 0,
			seq:  []Phase{PhaseLppSource, PhaseSpot, PhaseRoot, PhasePaging, PhaseSpotUpdate, PhaseSummary},
			want: "lpp_source=reused, SPOT=reused, root=reused, paging=reused, osimage definition=done, SPOT update=done",
			// A reused lpp_source: the SPOT is next; after it, the update.
			critical: []Phase{PhaseLppSource, PhaseSpot, PhaseRoot, PhasePaging, PhaseSpotUpdate},
		},
		{
			file: "verbose.out", plan: Plan{Name: "v71", Source: "/export/images/7100", Stateless: true, Dump: true}, exit: 0,
			seq:  []Phase{PhaseLppSource, PhaseSpot, PhaseRoot, PhaseDump, PhasePaging, PhaseSpotUpdate, PhaseSummary},
			want: "lpp_source=done, SPOT=done, shared_root=done, dump=done, paging=done, osimage definition=done, SPOT update=done",
			// -V: protected until the lpp_source define is announced, and
			// again from the first command after it; after the SPOT, the
			// steps before the SPOT update.
			critical: []Phase{PhaseStart, PhaseLppSource, PhaseSpot, PhaseRoot, PhaseDump, PhasePaging, PhaseSpotUpdate},
			free:     []Phase{PhaseLppSource},
		},
		{
			file: "fail-spot.out", plan: stateful, exit: 1,
			seq:      []Phase{PhaseLppSource, PhaseSpot},
			want:     "lpp_source=done, SPOT=failed, root=pending, paging=pending, osimage definition=pending, SPOT update=pending",
			critical: []Phase{PhaseSpot},
			errors:   []string{"Could not create a NIM definition for 'aix73'.", "Could not create spot definition."},
		},
		{
			file: "fail-root.out", plan: stateful, exit: 1,
			seq:      []Phase{PhaseLppSource, PhaseSpot, PhaseRoot},
			want:     "lpp_source=done, SPOT=done, root=failed, paging=pending, osimage definition=pending, SPOT update=pending",
			critical: []Phase{PhaseSpot, PhaseRoot},
			errors:   []string{"Could not create a NIM definition for 'aix73_root'."},
		},
		{
			file: "fail-rootpw.out", plan: stateful, exit: 1,
			seq:      []Phase{PhaseLppSource, PhaseSpot, PhaseSpotUpdate, PhaseSummary},
			want:     "lpp_source=done, SPOT=done, root=done, paging=done, osimage definition=done, SPOT update=failed",
			critical: []Phase{PhaseSpot, PhaseSpotUpdate},
			errors:   []string{"Unable to set root password."},
		},
		{
			file: "exists.out", plan: stateful, exit: 1,
			seq:      []Phase{PhaseCheckNIM},
			want:     "NIM check=failed, lpp_source=pending, SPOT=pending, root=pending, paging=pending, osimage definition=pending, SPOT update=pending",
			critical: []Phase{PhaseCheckNIM},
			errors:   []string{"The osimage definition 'aix73' already exists."},
		},
		{
			// The xCAT client exits 0 on Ctrl-C: no summary means failure.
			file: "interrupted-spot.out", plan: stateful, exit: 0,
			seq:      []Phase{PhaseLppSource, PhaseSpot},
			want:     "lpp_source=done, SPOT=failed, root=pending, paging=pending, osimage definition=pending, SPOT update=pending",
			critical: []Phase{PhaseSpot},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			// Output not proven live: every line leaves the run protected.
			blind := NewTracker(tt.plan)
			for _, line := range readRun(t, tt.file) {
				blind.Feed(line)
				if !blind.Critical() && blind.Phase() != PhaseSummary {
					t.Errorf("not live, in %v after %q: not critical", blind.Phase(), line)
				}
				if want := RiskNotLive; blind.Phase() != PhaseStart && blind.Phase() != PhaseSummary && blind.Risk() != want {
					t.Errorf("not live, in %v: risk %v", blind.Phase(), blind.Risk())
				}
			}
			tr := NewTracker(tt.plan)
			tr.Now = fakeClock()
			tr.SetLive()
			var seq, critical, free []Phase
			for _, line := range readRun(t, tt.file) {
				changed := tr.Feed(line)
				if changed {
					seq = append(seq, tr.Phase())
				}
				if tr.Phase() == PhaseSummary {
					continue
				}
				if tr.Critical() && !slices.Contains(critical, tr.Phase()) {
					critical = append(critical, tr.Phase())
				}
				if !tr.Critical() && !slices.Contains(free, tr.Phase()) {
					free = append(free, tr.Phase())
				}
			}
			if !slices.Equal(seq, tt.seq) {
				t.Errorf("phase sequence %v, want %v", seq, tt.seq)
			}
			if !slices.Equal(critical, tt.critical) {
				t.Errorf("critical during %v, want %v", critical, tt.critical)
			}
			wantFree := tt.free
			if wantFree == nil {
				for _, ph := range seq {
					if !slices.Contains(tt.critical, ph) && ph != PhaseSummary && !slices.Contains(wantFree, ph) {
						wantFree = append(wantFree, ph)
					}
				}
			}
			if !slices.Equal(free, wantFree) {
				t.Errorf("interruptible during %v, want %v", free, wantFree)
			}
			tr.Finish(tt.exit)
			if tr.Phase() != PhaseDone || tr.Critical() {
				t.Errorf("after Finish: phase %v critical %v", tr.Phase(), tr.Critical())
			}
			st := tr.Statuses()
			if got := statusString(st); got != tt.want {
				t.Errorf("statuses\n got %s\nwant %s", got, tt.want)
			}
			if !slices.Equal(tr.Errors(), tt.errors) {
				t.Errorf("errors %q, want %q", tr.Errors(), tt.errors)
			}
			for _, s := range st {
				switch s.State {
				case PhasePending:
					if !s.Started.IsZero() || !s.Ended.IsZero() {
						t.Errorf("%s pending but timed %v..%v", s.Label, s.Started, s.Ended)
					}
				default:
					if s.Started.IsZero() || s.Ended.IsZero() || s.Ended.Before(s.Started) {
						t.Errorf("%s %s: bad times %v..%v", s.Label, stateName(s.State), s.Started, s.Ended)
					}
				}
			}
		})
	}
}

// Phases end in order: each row ends no later than the next one starts.
func TestTrackerTimesOrdered(t *testing.T) {
	tr := NewTracker(Plan{Name: "v71", Source: "/export/images/7100", Stateless: true, Dump: true})
	tr.Now = fakeClock()
	for _, line := range readRun(t, "verbose.out") {
		tr.Feed(line)
	}
	tr.Finish(0)
	st := tr.Statuses()
	for i := 1; i < len(st); i++ {
		if st[i].Started.Before(st[i-1].Ended) {
			t.Errorf("%s started %v before %s ended %v", st[i].Label, st[i].Started, st[i-1].Label, st[i-1].Ended)
		}
	}
	// SPOT ran from its message until the first verbose "Creating" line.
	spot := st[1]
	if d := spot.Ended.Sub(spot.Started); d <= 0 {
		t.Errorf("SPOT duration %v", d)
	}
}

func TestTrackerLines(t *testing.T) {
	plan := Plan{Name: "aix73", Source: "/dev/cd0"}
	const (
		lppV    = "Running command on mn: /usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/aix73_lpp_source -a source=/dev/cd0 aix73_lpp_source 2>&1"
		lppMsg  = "Creating a NIM lpp_source resource called 'aix73_lpp_source'.  This could take a while."
		spotMsg = "Creating a NIM SPOT resource. This could take a while."
	)
	tests := []struct {
		name  string
		lines []string
		phase Phase
		risk  Risk
	}{
		{"nothing", nil, PhaseStart, RiskUnknown},
		{"blank and noise", []string{"", "   ", "Running command on mn: /usr/sbin/lsnim -l", "Warning: something"}, PhaseStart, RiskUnknown},
		{"CRLF and indent", []string{"  " + spotMsg + "\r"}, PhaseSpot, RiskSpot},
		{"password starts update", []string{spotMsg, "Setting the root password in the spot 'aix73'"}, PhaseSpotUpdate, RiskSpotUpdate},
		{"backwards ignored", []string{"Updating the NIM spot resource named 'aix73'. This could take a while.", spotMsg}, PhaseSpotUpdate, RiskSpotUpdate},
		{"copy lines imply lpp_source", []string{"Preparing to copy install images (this will take several minutes)..."}, PhaseLppSource, RiskNone},
		{"lpp_source without -V", []string{lppMsg}, PhaseLppSource, RiskNone},
		{"lpp_source with -V, define not yet announced", []string{"Running command on mn: /usr/sbin/lsnim -l >/dev/null 2>&1", lppMsg}, PhaseLppSource, RiskUnknown},
		{"lpp_source define announced", []string{lppMsg, lppV}, PhaseLppSource, RiskNone},
		{"command after the define: SPOT next", []string{lppMsg, lppV, "Running command on mn: /usr/bin/mkdir -p /install/nim/spot 2>&1"}, PhaseLppSource, RiskSpotNext},
		{"reused lpp_source: SPOT next", []string{"Using the existing lpp_source named 'aix73_lpp_source'"}, PhaseLppSource, RiskSpotNext},
		{"verbose running command about spot", []string{"Running command on mn: /usr/sbin/nim -Fo define -t spot -a server=master -a source=aix73_lpp_source -a location=/install/nim/spot  aix73  2>&1"}, PhaseSpot, RiskSpot},
		{"cpcosi copies a SPOT", []string{"Running command on mn: /usr/sbin/cpcosi -c old -l /install/nim/spot  aix73  2>&1"}, PhaseSpot, RiskSpot},
		{"nim query is not a define", []string{"Running command on mn: /usr/sbin/nim -o showres -t spot aix73 2>&1"}, PhaseStart, RiskUnknown},
		{"summary", []string{spotMsg, "The following xCAT osimage definition was created. Use the xCAT lsdef command "}, PhaseSummary, RiskNone},
		{"unknown Creating name", []string{"Creating 'something'."}, PhaseStart, RiskUnknown},
		{"shared_root existing", []string{"Using existing shared_root resource named 'x'."}, PhaseRoot, RiskAfterSpot},
		{"reused SPOT", []string{"Using the existing SPOT named 'aix73'."}, PhaseSpot, RiskAfterSpot},
		{"unknown Using existing", []string{"Using existing foo resource named 'x'."}, PhaseStart, RiskUnknown},
		{"Configuring NIM is exact", []string{"Configuring NIM. now"}, PhaseStart, RiskUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTracker(plan)
			tr.SetLive()
			for _, l := range tt.lines {
				tr.Feed(l)
			}
			if tr.Phase() != tt.phase || tr.Risk() != tt.risk {
				t.Errorf("phase %v risk %v, want %v %v", tr.Phase(), tr.Risk(), tt.phase, tt.risk)
			}
			if tr.Critical() != (tt.risk != RiskNone) {
				t.Errorf("Critical %v with risk %v", tr.Critical(), tr.Risk())
			}
			blind := NewTracker(plan)
			for _, l := range tt.lines {
				blind.Feed(l)
			}
			if blind.Phase() != tt.phase {
				t.Errorf("not live: phase %v, want %v", blind.Phase(), tt.phase)
			}
			if want := tt.phase != PhaseSummary; blind.Critical() != want {
				t.Errorf("not live: critical %v, want %v", blind.Critical(), want)
			}
		})
	}
}

// AIX before 6.1.4 always makes a dump: the row appears although the plan
// had no -D.
func TestTrackerUnplannedDump(t *testing.T) {
	tr := NewTracker(Plan{Name: "a61", Source: "/dev/cd0"})
	for _, l := range []string{
		"Creating a NIM SPOT resource. This could take a while.",
		"Using existing dump resource named 'a61_dump'.",
		"Updating the NIM spot resource named 'a61'. This could take a while.",
	} {
		tr.Feed(l)
	}
	tr.Finish(1)
	want := "lpp_source=done, SPOT=done, root=done, dump=reused, paging=done, osimage definition=done, SPOT update=failed"
	if got := statusString(tr.Statuses()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTrackerRowsPerPlan(t *testing.T) {
	tests := []struct {
		plan Plan
		want string
	}{
		{Plan{Name: "a", Source: "/dev/cd0"}, "lpp_source SPOT root paging osimage definition SPOT update"},
		{Plan{Name: "a", Source: "/dev/cd0", Stateless: true, Dump: true}, "lpp_source SPOT shared_root dump paging osimage definition SPOT update"},
		{Plan{Name: "a", Source: "/dev/cd0", Type: Dataless}, "lpp_source SPOT root osimage definition SPOT update"},
	}
	for _, tt := range tests {
		var labels []string
		for _, s := range NewTracker(tt.plan).Statuses() {
			labels = append(labels, s.Label)
			if s.State != PhasePending {
				t.Errorf("%s starts %s", s.Label, stateName(s.State))
			}
		}
		if got := strings.Join(labels, " "); got != tt.want {
			t.Errorf("%+v: rows %q, want %q", tt.plan, got, tt.want)
		}
	}
}

func TestTrackerFeedAfterFinish(t *testing.T) {
	tr := NewTracker(Plan{Name: "a", Source: "/dev/cd0"})
	tr.Finish(0)
	if tr.Feed("Creating a NIM SPOT resource. This could take a while.") || tr.Phase() != PhaseDone {
		t.Errorf("Feed after Finish moved to %v", tr.Phase())
	}
	tr.Finish(1) // a second Finish changes nothing
	if tr.Phase() != PhaseDone {
		t.Errorf("phase %v", tr.Phase())
	}
}

func TestTrackerErrorCap(t *testing.T) {
	tr := NewTracker(Plan{Name: "a", Source: "/dev/cd0"})
	for range 1000 {
		tr.Feed("Error: something broke")
	}
	if n := len(tr.Errors()); n != maxTrackedErrors {
		t.Errorf("%d errors kept, want %d", n, maxTrackedErrors)
	}
}

func TestTrackerFeedDoesNotAllocate(t *testing.T) {
	tr := NewTracker(Plan{Name: "aix73", Source: "/dev/cd0"})
	tr.Feed("Creating a NIM SPOT resource. This could take a while.")
	lines := []string{
		"         Filesets processed:  183 of 226  (Total time:  1 mins 15 secs).",
		"Running command on mn01: /usr/sbin/lsnim -l aix73 2>&1",
		"",
		"Creating a NIM SPOT resource. This could take a while.",
		"\timagetype=NIM",
	}
	for _, l := range lines {
		if n := testing.AllocsPerRun(100, func() { tr.Feed(l) }); n != 0 {
			t.Errorf("Feed(%q) allocates %v times", l, n)
		}
	}
}

func BenchmarkTrackerMillionLines(b *testing.B) {
	lines := readRun(b, "verbose.out")
	noise := []string{
		"installp:  APPLYING software for:",
		"        bos.rte.security 7.2.1.1",
		"         Filesets processed:  183 of 226  (Total time:  1 mins 15 secs).",
		"Running command on mn01: /usr/sbin/lsnim -l v71 2>&1",
		"",
	}
	// A million lines: the real run with SPOT install noise in the middle.
	const total = 1_000_000
	all := make([]string, 0, total)
	spot := slices.Index(lines, "Creating a NIM SPOT resource. This could take a while.")
	all = append(all, lines[:spot+1]...)
	for len(all) < total-(len(lines)-spot-1) {
		all = append(all, noise[len(all)%len(noise)])
	}
	all = append(all, lines[spot+1:]...)
	plan := Plan{Name: "v71", Source: "/export/images/7100", Stateless: true, Dump: true}
	b.ReportAllocs()
	for b.Loop() {
		tr := NewTracker(plan)
		for _, l := range all {
			tr.Feed(l)
		}
		tr.Finish(0)
		if tr.Statuses()[0].State != PhaseDoneOK {
			b.Fatal("run not tracked")
		}
	}
}

// Any output keeps the tracker consistent: phases only move forward, rows
// that never started have no times, and after Finish nothing is running.
func FuzzTrackerFeed(f *testing.F) {
	f.Add(strings.Join(readRun(f, "verbose.out"), "\n"), 0, true, false)
	f.Add(strings.Join(readRun(f, "fail-root.out"), "\n"), 1, false, true)
	f.Add("Error: [mn]: Could not create a NIM definition for 'x'\nCreating 'x_dump'.", 1, true, false)
	f.Fuzz(func(t *testing.T, out string, exit int, stateless, lpp bool) {
		p := Plan{Name: "x", Source: "/dev/cd0", Stateless: stateless}
		if lpp {
			p.Source = "x_lpp"
		}
		tr := NewTracker(p)
		tr.Now = fakeClock()
		prev := tr.Phase()
		for _, l := range strings.Split(out, "\n") {
			changed := tr.Feed(l)
			if tr.Phase() < prev || changed != (tr.Phase() != prev) {
				t.Fatalf("line %q: phase %v -> %v, changed=%v", l, prev, tr.Phase(), changed)
			}
			prev = tr.Phase()
		}
		tr.Finish(exit)
		for _, s := range tr.Statuses() {
			if s.State == PhaseRunning {
				t.Errorf("%s still running after Finish", s.Label)
			}
			if (s.State == PhasePending) != s.Started.IsZero() {
				t.Errorf("%s %s with start %v", s.Label, stateName(s.State), s.Started)
			}
		}
	})
}

// A root, dump or paging the plan names is taken silently by mknimimage:
// it shows as reused, not as made.
func TestTrackerNamedResourcesReused(t *testing.T) {
	tr := NewTracker(Plan{Name: "a", Source: "/dev/cd0", Extra: map[string]string{"root": "common_root", "paging": "big_paging", "dump": "big_dump"}})
	for _, l := range []string{
		"Creating a NIM lpp_source resource called 'a_lpp_source'.  This could take a while.",
		"Creating a NIM SPOT resource. This could take a while.",
		"Updating the NIM spot resource named 'a'. This could take a while.",
		"The following xCAT osimage definition was created. Use the xCAT lsdef command ",
		"Object name: a",
	} {
		tr.Feed(l)
	}
	tr.Finish(0)
	want := "lpp_source=done, SPOT=done, root=reused, paging=reused, osimage definition=done, SPOT update=done"
	if got := statusString(tr.Statuses()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
