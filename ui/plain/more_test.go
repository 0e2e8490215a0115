package plain_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/plain"
	"github.com/nimwiz/nimwiz/wizard"
)

// Walking the defaults against the simulated master (real processes, real
// output formats) gives a plan that validates.
func TestSimulatorDefaults(t *testing.T) {
	w := simtest.New(t)
	var out strings.Builder
	cfg := plain.Config{
		NIM:  nim.NewClient(w.Exec),
		Root: w.Root,
		Demo: true,
		// The ninth answer declines the lpp_source offered at the media's level.
		In:      strings.NewReader(lines("", "", "", "", "", "", "", "", "", "y")),
		Out:     &out,
		Echo:    true,
		PlanDir: t.TempDir(),
	}
	p, c, err := plain.Create(context.Background(), cfg, nim.Plan{})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if c.Action != plain.ActionRun {
		t.Fatalf("action = %v\n%s", c.Action, out.String())
	}
	if probs := p.Validate(); len(probs) > 0 {
		t.Fatalf("problems: %v\n%s", probs, out.String())
	}
	if p.Source != "/dev/cd0" || p.Type != nim.Diskless || p.Stateless || p.Dump {
		t.Fatalf("plan = %+v", p)
	}
	if !strings.HasPrefix(out.String(), "DEMO: this is a simulation.") {
		t.Fatalf("the first line must say it is a simulation:\n%s", out.String())
	}
	checkTranscript(t, out.String())
}

// The simulator's unusable lpp_source is refused with its Rstate, and a
// ready one is taken.
func TestSimulatorLppSource(t *testing.T) {
	w := simtest.New(t)
	var out strings.Builder
	// lpp_sources in lsnim order: aix7205_lpp, aix7302_lpp, aix7105_lpp (not ready), ...
	cfg := plain.Config{
		NIM: nim.NewClient(w.Exec), Root: w.Root, PlanDir: t.TempDir(), Echo: true, Out: &out,
		In: strings.NewReader(lines("sim1", "3", "3", "2", "3", "", "", "", "1", "y")),
	}
	p, c, err := plain.Create(context.Background(), cfg, nim.Plan{})
	if err != nil || c.Action != plain.ActionRun {
		t.Fatalf("action %v, err %v\n%s", c.Action, err, out.String())
	}
	if !strings.Contains(out.String(), `aix7105_lpp is "unavailable for use"`) {
		t.Fatalf("no refusal of aix7105_lpp:\n%s", out.String())
	}
	if p.Source != "aix7302_lpp" || p.Type != nim.Dataless || len(p.Validate()) > 0 {
		t.Fatalf("plan = %+v, problems %v\n%s", p, p.Validate(), out.String())
	}
}

// q at any question quits without an error; the end of input quits with
// ErrInputEnded, also when the last line has no newline.
func TestQuitAndEOF(t *testing.T) {
	tests := []struct {
		name, input string
		err         error
	}{
		{"q at name", "q\n", nil},
		{"quit at source", lines("img1", "quit"), nil},
		{"q at drive", lines("img1", "1", "Q"), nil},
		{"q at node type", lines("img1", "", "", "q"), nil},
		{"q at location", lines("img1", "", "", "", "q"), nil},
		{"q at dump", lines("img1", "", "", "", "", "q"), nil},
		{"q at extras", lines("img1", "", "", "", "", "", "q"), nil},
		{"q at preview", lines("img1", "", "", "", "", "", "", "q"), nil},
		{"q at confirmation", lines("img1", "", "", "", "", "", "", "1", "q"), nil},
		{"empty input", "", plain.ErrInputEnded},
		{"last line without newline", "img1", plain.ErrInputEnded},
		{"eof at confirmation", lines("img1", "", "", "", "", "", "", "1"), plain.ErrInputEnded},
		{"eof at save path", lines("img1", "", "", "", "", "", "", "2"), plain.ErrInputEnded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := run(t, nimtest.World(), nim.Plan{}, tt.input, nil)
			if !errors.Is(s.err, tt.err) || (tt.err == nil && s.err != nil) {
				t.Fatalf("err = %v, want %v\n%s", s.err, tt.err, s.out)
			}
			if s.c.Action != plain.ActionQuit {
				t.Fatalf("action = %v\n%s", s.c.Action, s.out)
			}
			if !strings.Contains(s.out, "Nothing was changed on the NIM master.") && !strings.Contains(s.out, "nothing was changed on the NIM master.") {
				t.Fatalf("no 'nothing was changed':\n%s", s.out)
			}
		})
	}
	s := run(t, nimtest.World(), nim.Plan{}, "img1", nil)
	if !strings.Contains(s.out, `ok: "img1" is free`) {
		t.Fatalf("the last line without a newline was not taken:\n%s", s.out)
	}
}

// A saved plan's attrs the extras step does not offer are kept, and
// attr= removes one; the preview's "go back" returns to the preview.
func TestExtrasKeptAndRemoved(t *testing.T) {
	start := nim.Plan{Name: "img1", Source: "/dev/cd0", Extra: map[string]string{"root": "myroot", "resolv_conf": "cluster_resolv", "tmp": "gone_tmp"}}
	tune := func(c *plain.Config) { c.Preview = true }
	s := run(t, nimtest.World(), start, lines("3", "6", "nope=", "root=", "", "4"), tune)
	if s.err != nil || s.c.Action != plain.ActionQuit {
		t.Fatalf("%v %v\n%s", s.err, s.c.Action, s.out)
	}
	want := map[string]string{"resolv_conf": "cluster_resolv"}
	if !reflect.DeepEqual(s.plan.Extra, want) {
		t.Fatalf("extra = %v, want %v\n%s", s.plan.Extra, want, s.out)
	}
	for _, w := range []string{
		"Also in the plan, kept as they are (type attr= to remove one): root=myroot",
		"warning: tmp=gone_tmp (named in the plan) is not in NIM any more",
		"error: nope is not in the plan",
		"ok: removed root",
	} {
		if !strings.Contains(s.out, w) {
			t.Errorf("transcript lacks %q\n%s", w, s.out)
		}
	}
	if n := strings.Count(s.out, "Step 7 of 7: Preview"); n != 2 {
		t.Errorf("preview shown %d times, want 2 (start, and after the extras step)", n)
	}
}

// A plan with problems cannot be created: the default goes back to the
// step that fixes it.
func TestPreviewRefusesInvalidPlan(t *testing.T) {
	start := nim.Plan{Name: "this_name_is_far_too_long_for_nim", Source: "/dev/cd0"}
	s := run(t, nimtest.World(), start, lines("1", "", "", "short", "", "y"), func(c *plain.Config) { c.Preview = true })
	if s.err != nil || s.c.Action != plain.ActionRun {
		t.Fatalf("%v %v\n%s", s.err, s.c.Action, s.out)
	}
	for _, w := range []string{"Problems to fix before creating:", "error: the plan has 1 problem(s)", "Choice [3]:", "Step [1]:"} {
		if !strings.Contains(s.out, w) {
			t.Errorf("transcript lacks %q\n%s", w, s.out)
		}
	}
	if s.plan.Name != "short" || len(s.plan.Validate()) > 0 {
		t.Fatalf("plan %+v: %v", s.plan, s.plan.Validate())
	}
}

// A kept attr passes through the extras step unchanged and reaches the
// preview's command and definition; a bad kept value is a problem there.
func TestExtrasKeptReachPreview(t *testing.T) {
	tune := func(c *plain.Config) { c.Preview = true }
	for _, tc := range []struct{ root, problem string }{
		{"myroot", ""},
		{"my.root", `resource name "my.root" contains '.'`},
	} {
		start := nim.Plan{Name: "img1", Source: "/dev/cd0", Extra: map[string]string{"root": tc.root, "resolv_conf": "cluster_resolv"}}
		s := run(t, nimtest.World(), start, lines("3", "6", "", "4"), tune)
		if s.err != nil || s.c.Action != plain.ActionQuit {
			t.Fatalf("%v %v\n%s", s.err, s.c.Action, s.out)
		}
		if want := map[string]string{"root": tc.root, "resolv_conf": "cluster_resolv"}; !reflect.DeepEqual(s.plan.Extra, want) {
			t.Fatalf("extra = %v, want %v\n%s", s.plan.Extra, want, s.out)
		}
		// The preview after the extras step: command, definition, problems.
		after := s.out[strings.LastIndex(s.out, "Step 7 of 7: Preview"):]
		for _, w := range []string{"resolv_conf=cluster_resolv root=" + tc.root + "\n", "\n      root=" + tc.root + "\n"} {
			if !strings.Contains(after, w) {
				t.Errorf("preview after the extras step lacks %q\n%s", w, after)
			}
		}
		if w := "ok: extra resources: resolv_conf=cluster_resolv, root=" + tc.root + "."; !strings.Contains(s.out, w) {
			t.Errorf("transcript lacks %q\n%s", w, s.out)
		}
		if strings.Contains(s.out, "root="+tc.root+" (named in the plan)") {
			t.Errorf("kept root reported as dropped\n%s", s.out)
		}
		if got := strings.Contains(after, "Problems to fix") && strings.Contains(after, tc.problem); got != (tc.problem != "") {
			t.Errorf("problem %q shown: %v\n%s", tc.problem, got, after)
		}
	}
}

// The media's level (its OSLEVEL) matches an lpp_source the simulated
// master has: the level is said, the lpp_source is offered, and yes makes
// it the source (no copy).
func TestSimulatorReuseOffer(t *testing.T) {
	w := simtest.New(t)
	var out strings.Builder
	cfg := plain.Config{
		NIM: nim.NewClient(w.Exec), Root: w.Root, Demo: true,
		In:  strings.NewReader(lines("", "", "", "y", "", "", "", "", "", "y")),
		Out: &out, Echo: true, PlanDir: t.TempDir(),
	}
	p, _, err := plain.Create(context.Background(), cfg, nim.Plan{})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"Available  AIX 7300-02  04-C0-00-3,0", "note: AIX 7300-02 (7.3.2.0), from OSLEVEL.", "NIM already has lpp_source aix7302_lpp at the same AIX level (7300-02)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if p.Source != "aix7302_lpp" {
		t.Errorf("source %q, want aix7302_lpp\n%s", p.Source, out.String())
	}
}

// The plain preview runs the same pre-flight as the full screen and
// job.Start: a half-built SPOT under the plan's name is shown as reused
// with its Rstate and refused, with the ways forward; Create now is
// refused until it is dealt with.
func TestPreviewPreflight(t *testing.T) {
	f := nimtest.World()
	f.Details = map[string]nim.Object{"k2": {Name: "k2", Attrs: []nim.Attr{{Key: "type", Value: "spot"},
		{Key: "Rstate", Value: "unavailable for use"}, {Key: "location", Value: "/install/nim/spot/k2/usr"}}}}
	s := run(t, f, nim.Plan{Name: "k2", Source: "/dev/cd0"}, lines("1", "4"), func(c *plain.Config) { c.Preview = true })
	out := strings.Join(strings.Fields(s.out), " ")
	for _, want := range []string{
		"reuse spot k2 (unavailable for use) /install/nim/spot/k2/usr",
		`NIM already has the spot k2 and it is "unavailable for use"`,
		"the plan has 1 problem(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, s.out)
		}
	}
	if s.c.Action == plain.ActionRun {
		t.Errorf("a plan the run would refuse was run")
	}
}

// A name a running job holds is refused at the plain preview with the job.
func TestPreviewNameBusy(t *testing.T) {
	s := run(t, nimtest.World(), nim.Plan{Name: "k2", Source: "/dev/cd0"}, lines("1", "4"), func(c *plain.Config) {
		c.Preview = true
		c.Busy = func(name string) string { return wizard.NameBusy(name, "20261204-1", "running") }
	})
	if out := strings.Join(strings.Fields(s.out), " "); !strings.Contains(out, "osimage k2 is in use by nimwiz job 20261204-1 (running)") || s.c.Action == plain.ActionRun {
		t.Errorf("action %v:\n%s", s.c.Action, s.out)
	}
}
