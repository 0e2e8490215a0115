package job

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// Jobs of the other kinds, run for real against the simulated master: the
// xCAT client is the simulator's Perl client, xcatd and the work inside
// the SPOT (xcatchroot) and the SPOT copy (cpcosi) real child processes.

// simEnv is a store whose jobs run in a simulated world.
func simEnv(t *testing.T, opts ...simtest.Option) (*Store, *simtest.World, []string) {
	t.Helper()
	w := simtest.New(t, opts...)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(SettlePollEnv, "20ms")
	t.Setenv(SettleQuietEnv, "2")
	store := NewStore(t.TempDir())
	t.Cleanup(func() {
		all, _ := store.List()
		for _, r := range all {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			store.Wait(ctx, r.ID)
			cancel()
		}
	})
	return store, w, []string{exe, "__supervise"}
}

func waitRecord(t *testing.T, s *Store, id, what string, cond func(Record) bool) Record {
	t.Helper()
	var r Record
	deadline := time.Now().Add(60 * time.Second)
	for {
		var err error
		if r, err = s.Load(id); err == nil && cond(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (state %s, phase %s)", what, r.State, r.PhaseName)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitEnd(t *testing.T, s *Store, id string) Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := s.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func updatePlan(name string, extra ...string) nim.Plan {
	p := nim.Plan{Kind: nim.KindUpdate, Name: name, Extra: map[string]string{}}
	for i := 0; i+1 < len(extra); i += 2 {
		p.Extra[extra[i]] = extra[i+1]
	}
	return p
}

// The whole update is protected: every interrupt request and every
// signal to the supervisor is refused or ignored, from the checks to the
// end, and none reaches xCAT or the work inside the SPOT.
func TestUpdateJobRefusesInterrupts(t *testing.T) {
	store, w, self := simEnv(t, simtest.UpdateSeconds(3))
	p := updatePlan("aix73_full", "installp_bundle", "devel_bnd", "otherpkgs", "R:curl-8.4.0-1.aix7.1.ppc.rpm")
	j, err := Start(store, w.Exec, p, self)
	if err != nil {
		t.Fatal(err)
	}
	r := waitRecord(t, store, j.ID, "installp inside the SPOT", func(r Record) bool { return r.Phase == nim.PhaseInstallp })
	if !r.Critical || r.CriticalWhy != nim.RiskSpotUpdate.Why() {
		t.Fatalf("during installp: critical %v why %q", r.Critical, r.CriticalWhy)
	}
	ev, err := store.Interrupt(context.Background(), j.ID)
	if err != nil || ev.Action != ActionRefused || ev.Why != nim.RiskSpotUpdate.Why() {
		t.Fatalf("Interrupt: %+v, %v", ev, err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT} {
		syscall.Kill(r.SupervisorPID, sig)
	}
	waitRecord(t, store, j.ID, "the signals recorded", func(r Record) bool { return len(r.Events) == 5 })
	r = waitEnd(t, store, j.ID)
	if r.State != StateSucceeded || r.ExitCode != 0 {
		t.Fatalf("state %s exit %d: %s", r.State, r.ExitCode, r.VerifyError)
	}
	if r.Verified != "SPOT aix73_full updated (software installed) and ready for use" {
		t.Errorf("verified %q", r.Verified)
	}
	for _, ev := range r.Events {
		if ev.Action == ActionAccepted {
			t.Errorf("an interrupt was accepted: %+v", ev)
		}
	}
	if sigs := w.Signals(); len(sigs) != 0 {
		t.Errorf("a signal reached the simulated master: %q", sigs)
	}
	var rows []string
	for _, ph := range r.Phases {
		rows = append(rows, ph.Label+"="+map[nim.PhaseState]string{nim.PhaseDoneOK: "done"}[ph.State])
	}
	if got := strings.Join(rows, " "); got != "checks=done SPOT update=done installp filesets=done RPM packages=done" {
		t.Errorf("phases %s", got)
	}
	if !slices.Contains(r.Existing, "aix73_full") {
		t.Errorf("the updated image must never be cleaned up: existing %q", r.Existing)
	}
}

// installp fails half-way: a failure, with the failing step marked.
func TestUpdateJobFails(t *testing.T) {
	store, w, self := simEnv(t, simtest.Fail("update"))
	j, err := Start(store, w.Exec, updatePlan("aix73_full", "installp_bundle", "devel_bnd"), self)
	if err != nil {
		t.Fatal(err)
	}
	r := waitEnd(t, store, j.ID)
	if r.State != StateFailed || r.ExitCode != 1 || r.EndedIn != "installp filesets" {
		t.Fatalf("state %s exit %d ended in %q", r.State, r.ExitCode, r.EndedIn)
	}
}

// A SPOT nodes use is refused before anything runs, naming the nodes and
// the safe path; so is an image an xCAT node still boots from although
// NIM has nothing allocated.
func TestUpdateJobRefusedWhileInUse(t *testing.T) {
	store, w, self := simEnv(t)
	for _, c := range []struct {
		image string
		says  []string
	}{
		{"aix73_stateless", []string{"dln01,dln02 boot from it", "dln01 (spot, shared_root), dln02_aix73_stateless (spot, shared_root)",
			"mknimimage -V -t diskless -i aix73_stateless aix73_stateless_u1", "mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02",
			"rmdsklsnode -r -i aix73_stateless dln02", "rmdsklsnode -r dln01"}},
		{"aix72_stateful", []string{"the xCAT nodes cn01 boot from it (provmethod=aix72_stateful)"}},
	} {
		_, err := Start(store, w.Exec, updatePlan(c.image, "otherpkgs", "I:bos.adt.base"), self)
		var pe *PlanError
		if !errors.As(err, &pe) {
			t.Fatalf("%s: %v, want a PlanError", c.image, err)
		}
		for _, s := range c.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: the refusal does not say %q:\n%v", c.image, s, err)
			}
		}
	}
	if all, _ := store.List(); len(all) != 0 {
		t.Errorf("%d jobs recorded", len(all))
	}
	if ch := simtest.Changing(w.Commands(t)); len(ch) != 0 {
		t.Errorf("something ran that changes the master: %q", ch)
	}
}

// A copy: protected while cpcosi copies the SPOT; proven by its summary and
// the new SPOT ready.
func TestCopyJob(t *testing.T) {
	store, w, self := simEnv(t, simtest.Env("NIMWIZ_SIM_COPY_SECONDS", "2"))
	p := nim.Plan{Kind: nim.KindCopy, Name: "aix73_stateless_u1", From: "aix73_stateless", Type: nim.Diskless}
	j, err := Start(store, w.Exec, p, self)
	if err != nil {
		t.Fatal(err)
	}
	r := waitRecord(t, store, j.ID, "the SPOT copy", func(r Record) bool { return r.Phase == nim.PhaseSpot })
	if ev, err := store.Interrupt(context.Background(), j.ID); err != nil || ev.Action != ActionRefused || ev.Why != nim.RiskSpotCopy.Why() {
		t.Fatalf("Interrupt during cpcosi: %+v, %v", ev, err)
	}
	// The copy holds the copied image's name too: no job may change it
	// while cpcosi reads it.
	_, err = Start(store, w.Exec, nim.Plan{Kind: nim.KindCopy, Name: "other", From: "aix73_stateless", Type: nim.Diskless}, self)
	var b *BusyError
	if !errors.As(err, &b) || b.JobID != j.ID {
		t.Errorf("another job for the copied image during the copy: %v", err)
	}
	r = waitEnd(t, store, j.ID)
	if r.State != StateSucceeded || r.Verified != "osimage aix73_stateless_u1 defined; SPOT aix73_stateless_u1 ready for use" {
		t.Fatalf("state %s verified %q: %s", r.State, r.Verified, r.VerifyError)
	}
	if sigs := w.Signals(); len(sigs) != 0 {
		t.Errorf("signals reached the master: %q", sigs)
	}
	// Then the safe path's second step: update the copy.
	j, err = Start(store, w.Exec, updatePlan("aix73_stateless_u1", "otherpkgs", "I:bos.adt.base"), self)
	if err != nil {
		t.Fatal(err)
	}
	if r := waitEnd(t, store, j.ID); r.State != StateSucceeded {
		t.Fatalf("update of the copy: %s %s", r.State, r.VerifyError)
	}
}

// An update cut off from elsewhere (an INT to the client): exit 0 without
// its end markers is no success; NIM's work is watched until it stops, and
// the SPOT is seen as it was left.
func TestUpdateCutOffIsNotSuccess(t *testing.T) {
	store, w, self := simEnv(t, simtest.UpdateSeconds(4))
	j, err := Start(store, w.Exec, updatePlan("aix73_full", "installp_bundle", "devel_bnd"), self)
	if err != nil {
		t.Fatal(err)
	}
	r := waitRecord(t, store, j.ID, "installp", func(r Record) bool { return r.Phase == nim.PhaseInstallp })
	if err := syscall.Kill(r.ChildPID, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r = waitEnd(t, store, j.ID)
	if r.State != StateInterrupted || r.ExitCode != 0 || !r.Interrupted.IsZero() {
		t.Fatalf("state %s exit %d", r.State, r.ExitCode)
	}
	r = waitRecord(t, store, j.ID, "settled", func(r Record) bool { return !r.Busy() })
	if !strings.Contains(r.After, "SPOT aix73_full unavailable for use") {
		t.Errorf("after: %q", r.After)
	}
}
