package run

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

var t0 = time.Date(2026, 11, 25, 18, 45, 1, 0, time.UTC)

const jobID = "20261125-184501-71cosi"

func at(d time.Duration) time.Time { return t0.Add(d) }

// frame draws the screen the way the root does: header, body, help.
func frame(m *Model, w, h int) string {
	c := ui.NewCommon()
	c.Width = w
	head := ui.Header(c, m.Title(), m.Where())
	hm := ui.NewHelp(c.Styles)
	help := ui.Truncate(hm.ShortHelpView(m.ShortHelp()), w)
	body := h - strings.Count(head, "\n") - 1 - 2
	m.SetSize(w, body)
	return head + "\n" + ui.Fit(m.View(), w, body) + "\n\n" + help
}

func goldenPlan() nim.Plan {
	return nim.Plan{Name: "71cosi", Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}.WithDefaults()
}

func record(state job.State, phase nim.Phase, critical bool, phases []nim.PhaseStatus) job.Record {
	p := goldenPlan()
	r := job.Record{
		ID: jobID, Name: p.Name, Plan: p, Argv: p.Args(), State: state, Started: t0, ExitCode: -1,
		Phase: phase, PhaseName: phase.String(), Critical: critical, Phases: phases, Live: true,
		Dir: "/var/lib/nimwiz/jobs/" + jobID,
	}
	if critical {
		// What the supervisor's tracker says of the phase (nim.Tracker.Risk).
		tr := nim.NewTracker(p)
		tr.SetLive()
		switch phase {
		case nim.PhaseSpot:
			tr.Feed("Creating a NIM SPOT resource. This could take a while.")
		case nim.PhaseSpotUpdate:
			tr.Feed("Updating the NIM spot resource named '71cosi'. This could take a while.")
		}
		r.CriticalWhy = tr.Risk().Why()
	}
	return r
}

func ph(p nim.Phase, label string, st nim.PhaseState, from, to time.Duration) nim.PhaseStatus {
	s := nim.PhaseStatus{Phase: p, Label: label, State: st}
	if from >= 0 {
		s.Started = at(from)
	}
	if to >= 0 {
		s.Ended = at(to)
	}
	return s
}

const output = `Creating a NIM lpp_source resource called '71cosi_lpp_source'.  This could take a while.

Warning: [xcatmn]: Could not find openssh file sets in source location.
Creating a NIM SPOT resource. This could take a while.

`

// screen builds a run screen for job rec at clock now with out as its
// output so far, fed the way the tick loop feeds it. Returned commands are
// dropped: they would read files.
func screen(now time.Time, rec job.Record, out string) *Model {
	m := New(ui.NewCommon(), Config{Now: func() time.Time { return now }})
	m.st, m.id = stateWatching, rec.ID
	m.lines.Write([]byte(out))
	m.Update(tickMsg{id: rec.ID, rec: rec})
	return m
}

func keyMsg(name string) tea.KeyMsg { return uitest.Key(name) }

var sizes = []struct{ w, h int }{{80, 24}, {120, 40}, {60, 20}}

func check(t *testing.T, m *Model) {
	for _, sz := range sizes {
		t.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(t *testing.T) {
			golden.RequireEqual(t, []byte(frame(m, sz.w, sz.h)))
		})
	}
}

func TestGoldenSpotRefused(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 41*time.Second),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseRunning, 41*time.Second, -1),
		ph(nim.PhaseRoot, "shared_root", nim.PhasePending, -1, -1),
		ph(nim.PhasePaging, "paging", nim.PhasePending, -1, -1),
		ph(nim.PhaseDefinition, "osimage definition", nim.PhasePending, -1, -1),
		ph(nim.PhaseSpotUpdate, "SPOT update", nim.PhasePending, -1, -1),
	})
	m := screen(at(3*time.Minute+12*time.Second), rec, output)
	m.cfg.Command = []string{"nimwiz", "--demo", "--state-dir", "/home/admin/nimwiz-practice"}
	m.Update(sizeMsg{id: jobID, bytes: 157 << 20, files: 3120})
	h := job.History{Phase: nim.PhaseSpot, Runs: 3, Min: 21 * time.Minute, Max: 24 * time.Minute}
	m.Update(historyMsg{id: jobID, text: h.String()})
	m.Update(keyMsg("ctrl+c"))
	if m.confirm.Open() || !strings.Contains(m.notice, "ctrl+c refused") {
		t.Fatalf("not refused: %q", m.notice)
	}
	m.Update(SignalMsg{Sig: syscall.SIGTERM})
	check(t, m)
}

func TestGoldenStopQuestion(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseLppSource, false, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseRunning, 0, -1),
		ph(nim.PhaseSpot, "SPOT", nim.PhasePending, -1, -1),
		ph(nim.PhaseRoot, "shared_root", nim.PhasePending, -1, -1),
		ph(nim.PhasePaging, "paging", nim.PhasePending, -1, -1),
		ph(nim.PhaseDefinition, "osimage definition", nim.PhasePending, -1, -1),
		ph(nim.PhaseSpotUpdate, "SPOT update", nim.PhasePending, -1, -1),
	})
	m := screen(at(12*time.Second), rec, output[:strings.Index(output, "Creating a NIM SPOT")])
	m.Update(keyMsg("ctrl+c"))
	if !m.confirm.Open() {
		t.Fatal("no question")
	}
	check(t, m)
}

func allDone(end time.Duration) []nim.PhaseStatus {
	return []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 41*time.Second),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseDoneOK, 41*time.Second, 24*time.Minute),
		ph(nim.PhaseRoot, "shared_root", nim.PhaseDoneOK, 24*time.Minute, 24*time.Minute+20*time.Second),
		ph(nim.PhasePaging, "paging", nim.PhaseDoneOK, 24*time.Minute+20*time.Second, 24*time.Minute+21*time.Second),
		ph(nim.PhaseDefinition, "osimage definition", nim.PhaseDoneOK, 24*time.Minute+21*time.Second, 24*time.Minute+22*time.Second),
		ph(nim.PhaseSpotUpdate, "SPOT update", nim.PhaseDoneOK, 24*time.Minute+22*time.Second, end),
	}
}

const summary = `Updating the NIM spot resource named '71cosi'. This could take a while.

The following xCAT osimage definition was created. Use the xCAT lsdef command 
to view the xCAT definition and the AIX lsnim command to view the individual 
NIM resources that are included in this definition.

Object name: 71cosi
	imagetype=NIM
	lpp_source=71cosi_lpp_source
	nimtype=diskless
	osname=AIX
	paging=71cosi_paging
	shared_root=71cosi_shared_root
	spot=71cosi

`

func ready(name, typ string) nim.Object {
	return nim.Object{Name: name, Attrs: []nim.Attr{{Key: "class", Value: "resources"}, {Key: "type", Value: typ}, {Key: "Rstate", Value: nim.RstateReady}}}
}

func TestGoldenSuccess(t *testing.T) {
	end := 25*time.Minute + 3*time.Second
	rec := record(job.StateSucceeded, nim.PhaseDone, false, allDone(end))
	rec.ExitCode, rec.Ended, rec.EndedIn = 0, at(end), "summary"
	out := output + summary
	m := screen(at(end+time.Minute), rec, out)
	def, _ := nim.ParseSummary([]byte(out))
	m.Update(endingMsg{id: jobID, facts: ending.Facts{
		Rec: rec, Summary: def, HasSummary: true,
		Messages: nim.ParseMessages([]byte(out)),
		Asked:    []string{"71cosi_lpp_source", "71cosi_paging", "71cosi_shared_root", "71cosi"},
		Objects: []nim.Object{ready("71cosi_lpp_source", "lpp_source"), ready("71cosi_paging", "paging"),
			ready("71cosi_shared_root", "shared_root"), ready("71cosi", "spot")},
	}})
	check(t, m)
}

func TestGoldenFailure(t *testing.T) {
	end := 9*time.Minute + 30*time.Second
	rec := record(job.StateFailed, nim.PhaseDone, false, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 41*time.Second),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseFailed, 41*time.Second, end),
		ph(nim.PhaseRoot, "shared_root", nim.PhasePending, -1, -1),
		ph(nim.PhasePaging, "paging", nim.PhasePending, -1, -1),
		ph(nim.PhaseDefinition, "osimage definition", nim.PhasePending, -1, -1),
		ph(nim.PhaseSpotUpdate, "SPOT update", nim.PhasePending, -1, -1),
	})
	rec.ExitCode, rec.Ended, rec.EndedIn = 1, at(end), "SPOT creation"
	out := output + "Error: [xcatmn]: Could not create a NIM definition for '71cosi'.\n\nError: [xcatmn]: Could not create spot definition.\n\nError: [xcatmn]: Return=1.\n"
	m := screen(at(end+time.Minute), rec, out)
	half := nim.Object{Name: "71cosi", Attrs: []nim.Attr{{Key: "class", Value: "resources"}, {Key: "type", Value: "spot"},
		{Key: "Rstate", Value: "unavailable for use"}, {Key: "location", Value: "/install/nim/spot/71cosi/usr"}}}
	left := []nim.Object{ready("71cosi_lpp_source", "lpp_source"), half}
	missing := []string{"71cosi_shared_root", "71cosi_paging"}
	m.Update(endingMsg{id: jobID, facts: ending.Facts{
		Rec: rec, Messages: nim.ParseMessages([]byte(out)),
		Asked:   []string{"71cosi_lpp_source", "71cosi", "71cosi_shared_root", "71cosi_paging"},
		Objects: left, Missing: missing,
		Cleanup: nim.Cleanup(rec.Plan, left, missing, false),
	}})
	check(t, m)
	// The output stays one key away.
	m.Update(keyMsg("o"))
	if v := frame(m, 80, 24); !strings.Contains(v, "Could not create spot definition") || !strings.Contains(v, "o: how it ended") {
		t.Errorf("output view:\n%s", v)
	}
}

func TestTooSmallKeepsState(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, nil)
	m := screen(at(time.Minute), rec, output)
	m.SetSize(30, 8)
	_ = m.View()
	m.Update(keyMsg("ctrl+c"))
	if !strings.Contains(frame(m, 80, 24), "ctrl+c refused") {
		t.Error("the refusal was lost by a resize")
	}
}

// The ring keeps Capacity lines: scrolling to the top reaches the oldest
// kept, the view stays where it was while output arrives, f follows again.
func TestScrollAndFollow(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseLppSource, false, nil)
	m := screen(at(time.Minute), rec, "")
	var b strings.Builder
	for i := 1; i <= 12000; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	m.lines.Write([]byte(b.String()))
	m.Update(tickMsg{id: jobID, rec: rec})
	m.SetSize(80, 20)
	if v := m.View(); !strings.Contains(v, "line 12000") || !strings.Contains(v, "following") {
		t.Fatalf("not following:\n%s", v)
	}
	m.Update(keyMsg("home"))
	if v := m.View(); !strings.Contains(v, "line 7001\n") || strings.Contains(v, "line 7000\n") {
		t.Fatalf("top is not the oldest kept line:\n%s", v)
	}
	m.lines.Write([]byte("line 12001\n"))
	m.Update(tickMsg{id: jobID, rec: rec})
	if v := m.View(); !strings.Contains(v, "line 7002\n") {
		t.Fatalf("the window moved with new output:\n%s", v)
	}
	m.Update(keyMsg("f"))
	if v := m.View(); !strings.Contains(v, "line 12001") {
		t.Fatalf("f does not follow:\n%s", v)
	}
}

func TestDetach(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, nil)
	m := screen(at(time.Minute), rec, output)
	if cmd := m.Update(keyMsg("d")); cmd == nil {
		t.Fatal("d does not quit")
	}
	if r := m.Result(); !r.Detached || r.JobID != jobID || r.Ended {
		t.Errorf("result %+v", r)
	}
	// SIGHUP during SPOT creation: leave quietly, the job goes on.
	m = screen(at(time.Minute), rec, output)
	if cmd := m.Update(SignalMsg{Sig: syscall.SIGHUP}); cmd == nil || !m.Result().Detached || m.Result().Signal != "SIGHUP" {
		t.Errorf("SIGHUP: %+v", m.Result())
	}
}
