package nim

import (
	"slices"
	"strings"
	"testing"
)

// feedRun feeds a whole run to a tracker for p and records the phase after
// each change, and the risk when each phase was entered.
func feedRun(t *testing.T, p Plan, file string) (*Tracker, []Phase, []Risk) {
	t.Helper()
	tr := NewTracker(p)
	tr.Now = fakeClock()
	tr.SetLive()
	var seq []Phase
	var risks []Risk
	for _, l := range readRun(t, file) {
		if tr.FeedBytes([]byte(l)) {
			seq = append(seq, tr.Phase())
			risks = append(risks, tr.Risk())
		}
	}
	return tr, seq, risks
}

func TestTrackerUpdate(t *testing.T) {
	plan := Plan{Kind: KindUpdate, Name: "71dskls", Extra: map[string]string{"installp_bundle": "b1", "otherpkgs": "I:openssh.base,R:rpm1"}}
	if got := statusString(NewTracker(plan).Statuses()); got != "checks=pending, SPOT update=pending, installp filesets=pending, RPM packages=pending" {
		t.Errorf("rows before the run: %s", got)
	}
	if r := NewTracker(plan).Risk(); r != RiskUpdate {
		t.Errorf("before any output, live or not: %v", r)
	}

	tr, seq, risks := feedRun(t, plan, "update_verbose_inferred.out")
	if want := []Phase{PhaseSpotUpdate, PhaseInstallp, PhaseRPM}; !slices.Equal(seq, want) {
		t.Errorf("phases %v, want %v", seq, want)
	}
	for i, r := range risks {
		if r != RiskSpotUpdate {
			t.Errorf("risk in %v: %v; the whole update is protected", seq[i], r)
		}
	}
	u := tr.UpdateProof()
	if !u.Started || !u.SoftwareStarted || !u.SoftwareDone || u.SyncStarted || len(u.Failures) != 0 {
		t.Errorf("proof %+v", u)
	}
	tr.Finish(0)
	if got := statusString(tr.Statuses()); got != "checks=done, SPOT update=done, installp filesets=done, RPM packages=done" {
		t.Errorf("rows: %s", got)
	}
	if tr.Risk() != RiskNone || len(tr.Errors()) != 0 {
		t.Errorf("after the end: risk %v errors %v", tr.Risk(), tr.Errors())
	}

	// Without -V: only the start and the RPM lines show.
	tr, seq, _ = feedRun(t, plan, "update_quiet_inferred.out")
	if want := []Phase{PhaseSpotUpdate, PhaseRPM}; !slices.Equal(seq, want) {
		t.Errorf("quiet phases %v", seq)
	}
	if u := tr.UpdateProof(); !u.Started || u.SoftwareDone {
		t.Errorf("quiet proof %+v: no end marker without -V", u)
	}

	// From the definition: the steps are added as they show.
	def := Plan{Kind: KindUpdate, Name: "71dskls"}
	tr, _, _ = feedRun(t, def, "update_verbose_inferred.out")
	tr.Finish(0)
	if got := statusString(tr.Statuses()); got != "checks=done, SPOT update=done, installp filesets=done, RPM packages=done" {
		t.Errorf("definition rows: %s", got)
	}
}

// installp fails half-way (T2): the failure is attributed to its step, and
// the block's lines are read for what failed.
func TestTrackerUpdateFails(t *testing.T) {
	plan := Plan{Kind: KindUpdate, Name: "71dskls", Extra: map[string]string{"installp_bundle": "b1"}}
	tr, _, _ := feedRun(t, plan, "update_installp_fails_inferred.out")
	u := tr.UpdateProof()
	want := []string{"1  FAILED pre-installation verification", "bos.perf.tools                            Not found on the installation media"}
	if !slices.Equal(u.Failures, want) {
		t.Errorf("failures %q, want %q", u.Failures, want)
	}
	if errs := tr.Errors(); len(errs) != 3 || errs[0] != "Could not install installp packages in SPOT 71dskls." || errs[1] != "Command output:" {
		t.Errorf("errors %q", errs)
	}
	tr.Finish(1)
	if got := statusString(tr.Statuses()); got != "checks=done, SPOT update=failed, installp filesets=failed" {
		t.Errorf("rows: %s", got)
	}

	// exit 0 with a failure inside the SPOT (xcatchroot's lost status) is
	// not a success either.
	tr = NewTracker(plan)
	for _, l := range []string{"Updating the NIM spot resource named '71dskls'. This could take a while.",
		"Installing installp filesets in SPOT 71dskls.", "Command output:", "", "  Missing Filesets",
		"bos.perf.tools                            Not found on the installation media",
		"Completed Installing installp filesets in SPOT 71dskls.", "Updated software in the NIM SPOT called '71dskls'."} {
		tr.Feed(l)
	}
	tr.Finish(0)
	if st := tr.Statuses(); st[len(st)-1].State != PhaseFailed {
		t.Errorf("a hidden installp failure: %s", statusString(st))
	}

	// A refusal before anything changed: the checks failed.
	tr = NewTracker(plan)
	tr.Feed("Error: The resource named '71dskls' is currently allocated. It cannot be updated.")
	tr.Feed("Error: Return=1.")
	tr.Finish(1)
	if got := statusString(tr.Statuses()); got != "checks=failed, SPOT update=pending, installp filesets=pending" {
		t.Errorf("allocated: %s", got)
	}
}

func TestTrackerCopy(t *testing.T) {
	plan := Plan{Kind: KindCopy, Name: "71dskls_u1", From: "71dskls"}
	tr := NewTracker(plan)
	if r := tr.Risk(); r != RiskUnknown {
		t.Errorf("before any output: %v", r)
	}
	tr, seq, risks := feedRun(t, plan, "copy_verbose_inferred.out")
	if want := []Phase{PhaseSpot, PhaseRoot, PhaseSpotUpdate, PhaseSummary}; !slices.Equal(seq, want) {
		t.Errorf("phases %v, want %v", seq, want)
	}
	if want := []Risk{RiskSpotCopy, RiskAfterSpot, RiskSpotUpdate, RiskNone}; !slices.Equal(risks, want) {
		t.Errorf("risks %v, want %v", risks, want)
	}
	if tr.SummaryName() != "71dskls_u1" {
		t.Errorf("summary of %q", tr.SummaryName())
	}
	tr.Finish(0)
	if got := statusString(tr.Statuses()); got != "lpp_source=reused, SPOT copy=done, shared_root=done, paging=reused, osimage definition=done, SPOT update=done" {
		t.Errorf("rows: %s", got)
	}

	// -p: the lpp_source is copied first; still protected (xCAT's cp -r).
	cp := plan
	cp.CopyLppSource = true
	tr, seq, risks = feedRun(t, cp, "copy_lpp_inferred.out")
	if want := []Phase{PhaseLppSource, PhaseSpot, PhaseRoot, PhaseSpotUpdate, PhaseSummary}; !slices.Equal(seq, want) {
		t.Errorf("-p phases %v", seq)
	}
	if risks[0] != RiskCopyNext {
		t.Errorf("during the lpp_source copy: %v", risks[0])
	}
	tr.Finish(0)
	if got := statusString(tr.Statuses()); !strings.HasPrefix(got, "lpp_source=done, SPOT copy=done") {
		t.Errorf("-p rows: %s", got)
	}

	// cpcosi fails (notes §2.7).
	tr = NewTracker(plan)
	for _, l := range []string{"Creating a NIM SPOT resource. This could take a while.", "",
		"Error:  The cpcosi command failed. ", "0042-001 cpcosi: processing error encountered on \"master\":", "",
		"Error: Could not create a NIM definition for '71dskls_u1'.", "", "Error: Could not create spot definition.", "", "Error: Return=1."} {
		tr.Feed(l)
	}
	tr.Finish(1)
	if got := statusString(tr.Statuses()); !strings.HasPrefix(got, "lpp_source=reused, SPOT copy=failed, root=pending") {
		t.Errorf("cpcosi failed: %s", got)
	}
}

func TestPhaseOrder(t *testing.T) {
	for i := 1; i < len(phaseOrder); i++ {
		if !phaseOrder[i-1].Before(phaseOrder[i]) {
			t.Errorf("%v not before %v", phaseOrder[i-1], phaseOrder[i])
		}
	}
	if len(phaseOrder) != int(phaseCount) {
		t.Errorf("phaseOrder has %d phases, there are %d", len(phaseOrder), phaseCount)
	}
	for p := Phase(0); p < phaseCount; p++ {
		if p.String() == "" || strings.HasPrefix(p.String(), "phase ") {
			t.Errorf("phase %d has no name", p)
		}
	}
	// Job records keep phases by number: the old ones keep theirs.
	if PhaseSpotUpdate != 8 || PhaseSummary != 9 || PhaseDone != 10 {
		t.Error("a phase changed its number")
	}
}
