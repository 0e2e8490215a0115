package conformance

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// The hierarchy query over the simulator's lsdef: two calls, the SNs and
// whom they serve, primary and backup.
func TestHierarchyOverSim(t *testing.T) {
	w := simtest.New(t, simtest.ServiceNodes(), simtest.Site("sharedinstall", "no"))
	var ran []string
	e := *w.Exec
	e.Observe = func(r nim.Result) { ran = append(ran, r.Argv[0]) }
	h, err := nim.NewClient(&e).Hierarchy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != nim.HierarchyQueries {
		t.Errorf("ran %v, want %d calls", ran, nim.HierarchyQueries)
	}
	if want := []string{"sn01", "sn02"}; !reflect.DeepEqual(h.ServiceNodes, want) {
		t.Errorf("ServiceNodes = %v, want %v", h.ServiceNodes, want)
	}
	if want := []string{"dln01", "dln02"}; !reflect.DeepEqual(h.Serves["sn01"], want) {
		t.Errorf("sn01 serves %v, want %v", h.Serves["sn01"], want)
	}
	if want := []string{"sn02", "sn01"}; !reflect.DeepEqual(h.ServedBy["dln02"], want) {
		t.Errorf("dln02 served by %v, want %v", h.ServedBy["dln02"], want)
	}
	if h.SharedInstall != "no" {
		t.Errorf("sharedinstall = %q", h.SharedInstall)
	}
}

func fanOut(t *testing.T, w *simtest.World, names []string) (map[string]nim.SNObjects, []string, time.Duration) {
	t.Helper()
	var mu sync.Mutex
	got := map[string]nim.SNObjects{}
	var order []string
	start := time.Now()
	var calls int
	e := *w.Exec
	e.Observe = func(nim.Result) { calls++ }
	err := nim.NewClient(&e).SNObjectsOf(context.Background(), []string{"sn01", "sn02"}, names, nil, func(r nim.SNObjects) {
		mu.Lock()
		defer mu.Unlock()
		got[r.Node] = r
		order = append(order, r.Node)
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 {
		t.Errorf("%d commands for the fan-out, want one xdsh", calls)
	}
	return got, order, time.Since(start)
}

// The xdsh parser over the simulator's xdsh: present, missing (0042-053)
// and allocated copies per SN.
func TestFanOutOverSim(t *testing.T) {
	w := simtest.New(t, simtest.ServiceNodes())
	got, _, _ := fanOut(t, w, []string{"aix73_stateless", "aix73_stateless_shared_root"})
	sn1, sn2 := got["sn01"], got["sn02"]
	if sn1.State != nim.SNAnswered || sn2.State != nim.SNAnswered {
		t.Fatalf("states %v %v (%s %s)", sn1.State, sn2.State, sn1.Reason, sn2.Reason)
	}
	if len(sn1.Found) != 2 || sn1.Found[0].Get("alloc_count") != "1" {
		t.Errorf("sn01 found %+v", sn1.Found)
	}
	if !reflect.DeepEqual(sn2.Missing, []string{"aix73_stateless"}) || len(sn2.Found) != 1 {
		t.Errorf("sn02: found %+v missing %v; want the SPOT missing (removed by -u)", sn2.Found, sn2.Missing)
	}
}

// An unreachable SN is told from one that lacks the resource, and a slow
// one never holds back the other's answer.
func TestFanOutUnreachableAndSlow(t *testing.T) {
	w := simtest.New(t, simtest.ServiceNodes(), simtest.Env("NIMWIZ_SIM_SN_DOWN", "sn02"))
	got, _, _ := fanOut(t, w, []string{"aix73_stateless"})
	if got["sn02"].State != nim.SNUnreachable || got["sn01"].State != nim.SNAnswered {
		t.Errorf("sn01 %v, sn02 %v (%s); want answered and unreachable", got["sn01"].State, got["sn02"].State, got["sn02"].Reason)
	}

	w = simtest.New(t, simtest.ServiceNodes(), simtest.Env("NIMWIZ_SIM_SN_SLOW", "sn01=1.5"))
	got, order, took := fanOut(t, w, []string{"aix73_stateless"})
	if !reflect.DeepEqual(order, []string{"sn02", "sn01"}) {
		t.Errorf("answers came in order %v; the slow sn01 must not hold back sn02", order)
	}
	if got["sn01"].State != nim.SNAnswered || took < 1500*time.Millisecond {
		t.Errorf("sn01 %v after %s", got["sn01"].State, took)
	}
}

// xdsh -t over the simulator: the SN that says nothing for that long is
// reported as timed out, the other answered.
func TestFanOutTimeout(t *testing.T) {
	w := simtest.New(t, simtest.ServiceNodes(), simtest.Env("NIMWIZ_SIM_SN_SLOW", "sn02=3"))
	remote, err := nim.LsnimRemote([]string{"aix73_stateless"})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := w.Exec.Query(context.Background(), "xdsh", "sn01,sn02", "-v", "-t", "1", "-f", "64", remote)
	as := nim.ParseXdsh(append(res.Stdout, res.Stderr...), []string{"sn01", "sn02"})
	if as[0].State != nim.SNAnswered || as[1].State != nim.SNTimedOut {
		t.Errorf("answers %+v\nfrom %s%s", as, res.Stdout, res.Stderr)
	}
	if res.ExitCode == 0 {
		t.Error("xdsh exit 0 although a target failed")
	}
}

// rmnimimage over the simulated hierarchy, read per server: by default the
// MN and every SN that serves nodes, -M the MN only, -s those SNs only.
func TestRmnimimagePerServerOverSim(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flags   []string
		servers []string // who removed something
	}{
		{"default", nil, []string{"sn01", "xcatmn"}},
		{"-M", []string{"-M"}, []string{"xcatmn"}},
		{"-s", []string{"-s", "sn01"}, []string{"sn01"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := simtest.New(t, simtest.ServiceNodes())
			argv := append(append([]string{"-f"}, tc.flags...), "aix73_full")
			res, _ := w.Exec.Run(context.Background(), time.Minute, "rmnimimage", argv...)
			by := nim.ParseRmnimimageByServer(res.Stdout)
			var removers []string
			for srv, rep := range by {
				if len(rep.Removed) > 0 {
					removers = append(removers, srv)
				}
			}
			sort.Strings(removers)
			if !reflect.DeepEqual(removers, tc.servers) {
				t.Errorf("removed on %v, want %v:\n%s", removers, tc.servers, res.Stdout)
			}
		})
	}
}

// mknimimage -u over the simulated hierarchy: refused while the SPOT is
// allocated on an SN; otherwise the SPOT is removed on each SN that had it,
// and the hierarchy matrix then shows it missing there (drift).
func TestUpdateRemovesSpotOnSNs(t *testing.T) {
	w := simtest.New(t, simtest.ServiceNodes())
	res, err := w.Exec.Run(context.Background(), time.Minute, "mknimimage", "-V", "-u", "aix73_stateless")
	if err == nil || !strings.Contains(string(res.Stdout), "The resource named 'aix73_stateless' is currently allocated") {
		t.Errorf("-u of a SPOT allocated (on the MN and sn01) went on: %v\n%s", err, res.Stdout)
	}
	res, err = w.Exec.Run(context.Background(), time.Minute, "mknimimage", "-V", "-u", "aix73_full")
	if err != nil {
		t.Fatalf("%v\n%s", err, res.Stdout)
	}
	if !strings.Contains(string(res.Stdout), "Removing SPOT 'aix73_full' on service node sn01. This could take a while.") {
		t.Errorf("no removal on sn01:\n%s", res.Stdout)
	}
	m, err := nim.NewClient(w.Exec).HierarchyMatrix(context.Background(), "aix73_full", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Rows {
		if r.Attr == "spot" {
			if c := r.Cells["sn01"]; c.Present || len(c.Drift) == 0 {
				t.Errorf("sn01's SPOT after -u: %+v", c)
			}
		}
		if r.Attr == "shared_root" {
			if c := r.Cells["sn01"]; c.Present {
				t.Errorf("sn01's unallocated shared_root stays after -u: %+v", c)
			}
		}
	}
}
