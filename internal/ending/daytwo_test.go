package ending

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// The test binary is the job supervisor and, in simtest worlds, the
// simulated commands: these endings are of real runs.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "__supervise" {
		os.Exit(job.Supervise(os.Args[2]))
	}
	if name := filepath.Base(os.Args[0]); sim.IsCommand(name) {
		os.Exit(sim.Main(name, os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Setenv(job.SettlePollEnv, "20ms")
	os.Setenv(job.SettleQuietEnv, "2")
	os.Exit(m.Run())
}

type simJobs struct {
	t     *testing.T
	w     *simtest.World
	store *job.Store
	self  []string
}

func newSimJobs(t *testing.T, opts ...simtest.Option) *simJobs {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &simJobs{t: t, w: simtest.New(t, opts...), store: job.NewStore(t.TempDir()), self: []string{exe, "__supervise"}}
}

// run runs p to its end (and until NIM is quiet) and returns its ending.
func (s *simJobs) run(p nim.Plan) (job.Record, string) {
	s.t.Helper()
	j, err := job.Start(s.store, s.w.Exec, p, s.self)
	if err != nil {
		s.t.Fatalf("Start: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := s.store.Wait(ctx, j.ID)
	for err == nil && r.Busy() {
		time.Sleep(20 * time.Millisecond)
		r, err = s.store.Load(j.ID)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return r, Plain(Gather(ctx, nim.NewClient(s.w.Exec), r).Lines())
}

func has(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

// Copy, update the copy: each ending gives the next steps of the safe
// path, with the real names of the nodes of the old image.
func TestSafePathEndings(t *testing.T) {
	s := newSimJobs(t)
	r, text := s.run(nim.Plan{Kind: nim.KindCopy, Name: "aix73_stateless_u1", From: "aix73_stateless", Type: nim.Diskless})
	if r.State != job.StateSucceeded {
		t.Fatalf("copy: %s\n%s", r.State, text)
	}
	has(t, "copy ending", text,
		"succeeded: osimage aix73_stateless_u1 was created as a copy of aix73_stateless",
		"1. Update the copy",
		"mknimimage -V -u aix73_stateless_u1 installp_bundle=... otherpkgs=...",
		"nim -Fo check aix73_stateless_u1",
		"3. Move the nodes of aix73_stateless onto it without downtime (the nodes xCAT and NIM know of):",
		"mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02",
		"rpower dln01,dln02 reset",
		"rmdsklsnode -r -i aix73_stateless dln02",
		"rmdsklsnode -r dln01   (their NIM clients are named like the nodes: made without -n)",
		"nim -Fo remove aix73_stateless_shared_root",
		"nim -Fo remove aix73_stateless\n",
		"rmdef -t osimage -o aix73_stateless",
		"shared_root  aix73_stateless_u1_shared_root  ready for use",
		"nimwiz check aix73_stateless_u1")

	r, text = s.run(nim.Plan{Kind: nim.KindUpdate, Name: "aix73_stateless_u1", Extra: map[string]string{
		"installp_bundle": "devel_bnd", "otherpkgs": "R:curl-8.4.0-1.aix7.1.ppc.rpm"}})
	if r.State != job.StateSucceeded {
		t.Fatalf("update: %s\n%s", r.State, text)
	}
	has(t, "update ending", text,
		"succeeded: the SPOT of osimage aix73_stateless_u1 was updated",
		"Installed into the SPOT aix73_stateless_u1:",
		"installp  bos.adt.base                     7.3.2.0",
		"installp  bos.adt.include                  7.3.2.0",
		"rpm       curl-8.4.0-1.aix7.1.ppc.rpm",
		"nim -Fo check aix73_stateless_u1",
		"Move the nodes of aix73_stateless onto this copy",
		"mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02",
		"spot         aix73_stateless_u1  ready for use",
		"nimwiz check aix73_stateless_u1")
}

// installp fails half-way: installp's own words, what stayed installed,
// and what to do.
func TestUpdateFailureEnding(t *testing.T) {
	s := newSimJobs(t, simtest.Fail("update"))
	r, text := s.run(nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", Extra: map[string]string{"installp_bundle": "devel_bnd"}})
	if r.State != job.StateFailed {
		t.Fatalf("state %s", r.State)
	}
	has(t, "ending", text,
		"failed (exit status 1) during installp filesets: the update of the SPOT aix73_full stopped there",
		"Error: Could not install installp packages in SPOT aix73_full.",
		"bos.adt.include                           Not found on the installation media",
		"What the update did before it stopped (xCAT undoes nothing):",
		"installp  bos.adt.base",
		"nim -Fo check aix73_full",
		"run the same update again")
	if strings.Contains(text, "rmnimimage") {
		t.Errorf("an update's ending never removes the image:\n%s", text)
	}
}

// A create that failed after its definition was written: "complete it"
// beside "clean up and run again", and which costs less.
func TestCompleteOffered(t *testing.T) {
	s := newSimJobs(t, simtest.Fail("update"))
	p := nim.Plan{Name: "c1", Type: nim.Diskless, Source: "aix7302_lpp", Stateless: true, Extra: map[string]string{"otherpkgs": "I:bos.adt.base,I:bos.adt.lib"}}
	r, text := s.run(p)
	if r.State != job.StateFailed {
		t.Fatalf("state %s", r.State)
	}
	has(t, "ending", text,
		"Complete it: the osimage definition c1 exists, so mknimimage -c can finish the image:",
		"1. mknimimage -V -c c1 otherpkgs=I:bos.adt.base,I:bos.adt.lib",
		"installs the plan's software into the SPOT again (otherpkgs=I:bos.adt.base,I:bos.adt.lib), sets the root password and prints the summary",
		"Completing costs much less: the resources are there, while cleaning up removes the whole image and a re-run makes the SPOT (the long part) again.",
		"Or clean up and run it again:",
		"rmnimimage -f -d -x c1")
	if i, j := strings.Index(text, "Complete it"), strings.Index(text, "Or clean up"); i < 0 || j < i {
		t.Errorf("complete comes first")
	}
}

// A copy cut off in cpcosi: its cleanup removes only what it made.
func TestCopyFailureCleanup(t *testing.T) {
	s := newSimJobs(t, simtest.Fail("spot"))
	r, text := s.run(nim.Plan{Kind: nim.KindCopy, Name: "f_u1", From: "aix73_full", Type: nim.Diskless})
	if r.State != job.StateFailed {
		t.Fatalf("state %s", r.State)
	}
	has(t, "ending", text, "The cpcosi command failed.", "1. nim -Fo remove f_u1", "2. rm -R /install/nim/spot/f_u1")
	for _, no := range []string{"rmnimimage", "aix73_full_paging", "Complete it"} {
		if strings.Contains(text, no) {
			t.Errorf("the copy's cleanup says %q:\n%s", no, text)
		}
	}
}
