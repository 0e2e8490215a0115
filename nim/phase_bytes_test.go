package nim

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// feedBoth feeds every line to a by Feed and to b by FeedBytes and fails on
// the first line where they answer differently.
func feedBoth(t *testing.T, a, b *Tracker, lines []string) {
	t.Helper()
	for _, l := range lines {
		ca, cb := a.Feed(l), b.FeedBytes([]byte(l))
		if ca != cb || a.Phase() != b.Phase() || a.Critical() != b.Critical() {
			t.Fatalf("line %q: Feed changed=%v phase %v critical %v; FeedBytes changed=%v phase %v critical %v",
				l, ca, a.Phase(), a.Critical(), cb, b.Phase(), b.Critical())
		}
	}
}

func sameTrackers(t *testing.T, a, b *Tracker) {
	t.Helper()
	if !reflect.DeepEqual(a.Statuses(), b.Statuses()) {
		t.Errorf("statuses differ:\nFeed:      %+v\nFeedBytes: %+v", a.Statuses(), b.Statuses())
	}
	if !reflect.DeepEqual(a.Errors(), b.Errors()) {
		t.Errorf("errors differ:\nFeed:      %q\nFeedBytes: %q", a.Errors(), b.Errors())
	}
}

func twoTrackers(p Plan) (*Tracker, *Tracker) {
	a, b := NewTracker(p), NewTracker(p)
	a.Now, b.Now = fakeClock(), fakeClock()
	return a, b
}

// Every recorded run gives the same phases, times and errors through
// FeedBytes as through Feed, with or without \r and surrounding blanks.
func TestFeedBytesMatchesFeed(t *testing.T) {
	runs, err := filepath.Glob(filepath.Join("..", "testdata", "runs", "*.out"))
	if err != nil || len(runs) == 0 {
		t.Fatalf("no recorded runs: %v", err)
	}
	plans := []Plan{
		{Name: "aix73", Source: "/dev/cd0"},
		{Name: "v71", Source: "/export/images/7100", Stateless: true, Dump: true},
		{Name: "x", Source: "x_lpp"},
	}
	for _, run := range runs {
		lines := readRun(t, filepath.Base(run))
		for _, p := range plans {
			for _, pad := range []string{"", "\r", "  "} {
				a, b := twoTrackers(p)
				padded := make([]string, len(lines))
				for i, l := range lines {
					padded[i] = pad + l + pad
				}
				feedBoth(t, a, b, padded)
				a.Finish(0)
				b.Finish(0)
				sameTrackers(t, a, b)
			}
		}
	}
}

// Lines that are not messages (nearly all of a flood) cost no allocation.
func TestFeedBytesDoesNotAllocateOnOutput(t *testing.T) {
	tr := NewTracker(Plan{Name: "aix73", Source: "/dev/cd0"})
	tr.Feed("Creating a NIM SPOT resource. This could take a while.")
	lines := []string{
		"    restored /dev/cd0/installp/ppc/flood.fileset.1.7.3.2.0.I (8192 bytes)",
		"         Filesets processed:  183 of 226  (Total time:  1 mins 15 secs).",
		"Running command on mn01: /usr/sbin/lsnim -l aix73 2>&1",
		"",
		"Creating the fileset list",
		"Using 4 CPUs",
		"\timagetype=NIM",
	}
	for _, l := range lines {
		b := []byte(l)
		if n := testing.AllocsPerRun(100, func() { tr.FeedBytes(b) }); n != 0 {
			t.Errorf("FeedBytes(%q) allocates %v times", l, n)
		}
	}
}

func FuzzFeedBytesMatchesFeed(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "runs", "verbose.out"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data), false, false)
	f.Add("Error: [mn]: Could not create a NIM definition for 'x'\nCreating 'x_dump'.\n Using existing paging resource named 'p'.", true, false)
	f.Add("Configuring NIM.\n\u00a0Creating a NIM SPOT resource.\u0085\nThe following xCAT osimage definition was created.", false, true)
	f.Fuzz(func(t *testing.T, out string, stateless, lpp bool) {
		p := Plan{Name: "x", Source: "/dev/cd0", Stateless: stateless}
		if lpp {
			p.Source = "x_lpp"
		}
		a, b := twoTrackers(p)
		feedBoth(t, a, b, strings.Split(out, "\n"))
		a.Finish(1)
		b.Finish(1)
		sameTrackers(t, a, b)
	})
}

// BenchmarkTrackerFeedBytesMillionLines is BenchmarkTrackerMillionLines
// through FeedBytes, as the supervisor and apply feed it.
func BenchmarkTrackerFeedBytesMillionLines(b *testing.B) {
	lines := readRun(b, "verbose.out")
	noise := [][]byte{
		[]byte("installp:  APPLYING software for:"),
		[]byte("        bos.rte.security 7.2.1.1"),
		[]byte("         Filesets processed:  183 of 226  (Total time:  1 mins 15 secs)."),
		[]byte("    restored /dev/cd0/installp/ppc/flood.fileset.1.7.3.2.0.I (8192 bytes)"),
		[]byte(""),
	}
	const total = 1_000_000
	var all [][]byte
	spot := -1
	for i, l := range lines {
		if l == "Creating a NIM SPOT resource. This could take a while." {
			spot = i
		}
	}
	for _, l := range lines[:spot+1] {
		all = append(all, []byte(l))
	}
	for len(all) < total-(len(lines)-spot-1) {
		all = append(all, noise[len(all)%len(noise)])
	}
	for _, l := range lines[spot+1:] {
		all = append(all, []byte(l))
	}
	plan := Plan{Name: "v71", Source: "/export/images/7100", Stateless: true, Dump: true}
	b.ReportAllocs()
	for b.Loop() {
		tr := NewTracker(plan)
		for _, l := range all {
			tr.FeedBytes(l)
		}
		tr.Finish(0)
		if tr.Statuses()[0].State != PhaseDoneOK {
			b.Fatal("run not tracked")
		}
	}
}
