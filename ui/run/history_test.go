package run

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// spotHistory feeds a SPOT-phase record of job id to a run screen on store
// and returns what SPOT creation took before, as the screen shows it.
func spotHistory(t *testing.T, store *job.Store) string {
	t.Helper()
	rec := record(job.StateRunning, nim.PhaseSpot, true, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 41*time.Second),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseRunning, 41*time.Second, -1),
	})
	m := New(ui.NewCommon(), Config{Store: store, Now: func() time.Time { return at(5 * time.Minute) }})
	m.st, m.id = stateWatching, rec.ID
	cmd := m.Update(tickMsg{id: rec.ID, rec: rec})
	var msgs []tea.Msg
	// Only the immediate commands: the history query (a size query too).
	if b, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range b {
			if c != nil {
				if h, ok := c().(historyMsg); ok {
					msgs = append(msgs, h)
				}
			}
		}
	}
	for _, msg := range msgs {
		m.Update(msg)
	}
	m.SetSize(80, 24)
	return m.View()
}

// The run screen says during SPOT creation what it took in earlier
// successful runs of the same kind here, or that there are none.
func TestSpotHistoryOnTheRunScreen(t *testing.T) {
	store := &job.Store{Dir: t.TempDir()}
	if v := spotHistory(t, store); !strings.Contains(v, "No earlier SPOT creation on this") {
		t.Errorf("no history:\n%s", v)
	}
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, took := range []time.Duration{21 * time.Minute, 24 * time.Minute, 23 * time.Minute} {
		id := "2026112" + string(rune('0'+i)) + "-100000-h"
		r := job.Record{ID: id, Name: "h", Plan: goldenPlan(), State: job.StateSucceeded, Started: t0, Ended: t0.Add(time.Hour),
			Phases: []nim.PhaseStatus{{Phase: nim.PhaseSpot, State: nim.PhaseDoneOK, Started: t0, Ended: t0.Add(took)}}}
		os.MkdirAll(filepath.Join(store.Dir, id), 0o700)
		data, _ := json.Marshal(r)
		os.WriteFile(filepath.Join(store.Dir, id, "job.json"), data, 0o600)
	}
	v := spotHistory(t, store)
	if !strings.Contains(strings.Join(strings.Fields(v), " "), "SPOT creation took 21–24 min in 3 earlier runs here.") {
		t.Errorf("history:\n%s", v)
	}
}

// At every supported size the reattach command is whole (with the global
// options in force; a long one broken with a backslash, as a shell
// continues it) and the output pane shows output.
func TestReattachHintWholeAndOutputShown(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 41*time.Second),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseRunning, 41*time.Second, -1),
		ph(nim.PhaseRoot, "shared_root", nim.PhasePending, -1, -1),
		ph(nim.PhasePaging, "paging", nim.PhasePending, -1, -1),
		ph(nim.PhaseDefinition, "osimage definition", nim.PhasePending, -1, -1),
		ph(nim.PhaseSpotUpdate, "SPOT update", nim.PhasePending, -1, -1),
	})
	for _, sz := range sizes {
		m := New(ui.NewCommon(), Config{Nimwiz: "nimwiz --demo --state-dir /var/tmp/nimwiz-practice ", Now: func() time.Time { return at(3 * time.Minute) }})
		m.st, m.id = stateWatching, rec.ID
		m.lines.Write([]byte(output))
		m.Update(tickMsg{id: rec.ID, rec: rec})
		m.Update(SignalMsg{Sig: syscall.SIGTERM}) // a refusal takes room too
		v := frame(m, sz.w, sz.h)
		joined := strings.ReplaceAll(v, "\\\n", "")
		if !strings.Contains(joined, "nimwiz --demo --state-dir /var/tmp/nimwiz-practice attach "+jobID) {
			t.Errorf("%dx%d: the reattach command is not whole:\n%s", sz.w, sz.h, v)
		}
		if _, pane, _ := strings.Cut(v, "-- Output"); !strings.Contains(pane, "Creating a NIM SPOT resource") {
			t.Errorf("%dx%d: the output pane is empty:\n%s", sz.w, sz.h, v)
		}
		for i, l := range strings.Split(v, "\n") {
			if n := len([]rune(l)); n > sz.w {
				t.Errorf("%dx%d: line %d is %d wide", sz.w, sz.h, i, n)
			}
		}
	}
}

// "Asking ... to stop mknimimage" is true only until the job has ended:
// then it goes, also when the supervisor's answer comes after the end.
func TestStoppingNoticeGoesWhenTheJobEnds(t *testing.T) {
	phases := []nim.PhaseStatus{ph(nim.PhaseLppSource, "lpp_source", nim.PhaseRunning, 0, -1)}
	rec := record(job.StateRunning, nim.PhaseLppSource, false, phases)
	m := screen(at(12*time.Second), rec, output[:strings.Index(output, "Creating a NIM SPOT")])
	m.Update(keyMsg("ctrl+c"))
	m.Update(keyMsg("y"))
	if !strings.Contains(m.notice, "stop mknimimage") {
		t.Fatalf("no stopping notice: %q", m.notice)
	}
	ended := record(job.StateInterrupted, nim.PhaseLppSource, false, phases)
	ended.Ended, ended.EndedIn, ended.ExitCode, ended.Interrupted = at(20*time.Second), "lpp_source", 0, at(13*time.Second)
	m.Update(tickMsg{id: jobID, rec: ended})
	m.Update(interruptMsg{id: jobID, ev: job.Event{Action: job.ActionAccepted}})
	m.SetSize(80, 24)
	if v := m.View(); strings.Contains(v, "stop mknimimage") || strings.Contains(v, "Stopping") {
		t.Errorf("a stale stopping notice after the end:\n%s", v)
	}
}
