package app

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui/jobs"
)

var jobsT0 = time.Date(2026, 11, 25, 18, 45, 1, 0, time.UTC)

// jobStore writes job records of every kind of ending into a store: what
// the Jobs screen lists.
func jobStore(t *testing.T) *job.Store {
	t.Helper()
	// One fixed place: the paths the screens show are the same in every
	// run (goldens).
	const jobsDir = "/tmp/nimwiz-test-jobs-screen/jobs"
	os.RemoveAll(filepath.Dir(jobsDir))
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(jobsDir)) })
	store := &job.Store{Dir: jobsDir}
	write := func(r job.Record, log string) {
		dir := filepath.Join(store.Dir, r.ID)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(r)
		os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600)
		os.WriteFile(filepath.Join(dir, "output.log"), []byte(log), 0o600)
	}
	plan := func(name string) nim.Plan {
		return nim.Plan{Name: name, Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}.WithDefaults()
	}
	at := func(m int) time.Time { return jobsT0.Add(time.Duration(m) * time.Minute) }
	spot := func(start, end int) []nim.PhaseStatus {
		return []nim.PhaseStatus{{Phase: nim.PhaseSpot, Label: "SPOT", State: nim.PhaseDoneOK, Started: at(start), Ended: at(end)}}
	}
	rec := func(id, name string, p nim.Plan, st job.State, start, end int, in nim.Phase) job.Record {
		r := job.Record{ID: id, Name: name, Plan: p, Argv: p.Args(), State: st, Started: at(start), Phase: in, PhaseName: in.String(), EndedIn: in.String(), Phases: spot(start+1, end-1)}
		if end > 0 {
			r.Ended = at(end)
		}
		return r
	}
	write(rec("20261125-184501-71cosi", "71cosi", plan("71cosi"), job.StateSucceeded, 0, 23, nim.PhaseSummary), "Creating a NIM SPOT resource. This could take a while.\n")
	failed := rec("20261125-191502-a_very_long_osimage_name", "a_very_long_osimage_name", plan("a_very_long_osimage_name"), job.StateFailed, 30, 32, nim.PhaseLppSource)
	failed.ExitCode = 1
	write(failed, "Error: could not copy\n")
	up := nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", UpdateFrom: nim.FromDefinition}
	write(rec("20261125-194503-aix73_full", "aix73_full", up, job.StateInterrupted, 60, 61, nim.PhaseInstallp), "")
	cl := rec("20261125-201504-72cosi", "72cosi", plan("72cosi"), job.StateContactLost, 90, 100, nim.PhaseSpot)
	cl.Settling = true
	write(cl, "")
	// Says running, but no supervisor and no mknimimage: lost.
	write(rec("20261125-204505-73cosi", "73cosi", plan("73cosi"), job.StateRunning, 120, 0, nim.PhaseSpot), "")
	dir := filepath.Join(store.Dir, "20261125-211506-broken")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "job.json"), []byte("{not json"), 0o600)
	return store
}

// TestJobsScreen: Home's Jobs opens the list of every job (ended, lost,
// settling, unreadable) with kind, name, state, phase and times; enter
// opens one on the run screen; q and esc go back there, then home.
// Goldens at 80x24 and 60x20.
func TestJobsScreen(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			store := jobStore(t)
			cfg := Config{Demo: true}
			cfg.Run.Store = store
			cfg.Run.Tick = time.Millisecond
			cfg.Jobs = jobs.Config{Loc: time.UTC, Now: func() time.Time { return jobsT0.Add(4 * time.Hour) }}
			h := newHarness(t, cfg, sz[0], sz[1])
			shot := func(name string) { t.Run(name, func(t *testing.T) { h.golden(t) }) }
			h.keys("down", "down", "enter")
			v := h.m.View()
			for _, want := range []string{"Jobs", "6 job(s)", "71cosi", "succeeded", "failed", "interrupted", "contact lost", "NIM settling", "lost", "unreadable", "SPOT crea", "11-25 18:45"} {
				if !strings.Contains(v, want) {
					t.Errorf("jobs screen lacks %q:\n%s", want, v)
				}
			}
			if !strings.Contains(v, "a_very_long_o...") && !strings.Contains(v, "a_very_long...") {
				t.Errorf("a long name is not elided with a mark:\n%s", v)
			}
			shot("01-jobs")
			// The oldest: 71cosi, succeeded.
			h.keys("down", "down", "down", "down", "down", "down")
			shot("02-jobs-last")
			h.keys("enter")
			if h.m.stage != stageRun || !strings.Contains(h.m.View(), "job 20261125-184501-71cosi") {
				t.Fatalf("enter did not open the run screen:\n%s", h.m.View())
			}
			shot("03-run-from-jobs")
			h.keys("q")
			if h.d.Quit || h.m.stage != stageJobs || !strings.Contains(h.m.View(), "> ") {
				t.Fatalf("q on the run screen did not go back to the jobs:\n%s", h.m.View())
			}
			h.keys("up", "enter", "esc")
			if h.d.Quit || h.m.stage != stageJobs {
				t.Fatalf("esc on the run screen did not go back to the jobs:\n%s", h.m.View())
			}
			h.keys("q")
			if h.d.Quit || h.m.stage != stageHome {
				t.Fatalf("q on the jobs screen did not go home: quit %v\n%s", h.d.Quit, h.m.View())
			}
			h.keys("enter") // Jobs is still chosen
			if h.m.stage != stageJobs {
				t.Fatalf("enter on Jobs did not open it:\n%s", h.m.View())
			}
			h.keys("esc")
			if h.d.Quit || h.m.stage != stageHome {
				t.Fatalf("esc on the jobs screen did not go home: quit %v\n%s", h.d.Quit, h.m.View())
			}
			// Only home quits on q, and on esc.
			h.keys("q")
			if !h.d.Quit {
				t.Error("q on the home screen did not quit")
			}
			h.d.Quit = false
			h.keys("esc")
			if !h.d.Quit {
				t.Error("esc on the home screen did not quit")
			}
		})
	}
}

// An unreadable job opens on the run screen too, which says why.
func TestJobsOpensAnUnreadableJob(t *testing.T) {
	store := jobStore(t)
	cfg := Config{}
	cfg.Run.Store = store
	cfg.Run.Tick = time.Millisecond
	h := newHarness(t, cfg, 80, 24)
	h.keys("down", "down", "enter")
	// The run screen retries an unreadable record for as long as it is
	// shown: take one read, not the loop.
	_, cmd := h.m.Update(jobs.OpenMsg{ID: "20261125-211506-broken"})
	if batch, ok := cmd().(tea.BatchMsg); ok {
		cmd = batch[0]
	}
	h.m.Update(cmd())
	if v := h.m.View(); h.m.stage != stageRun || !strings.Contains(v, "20261125-211506-broken") || !strings.Contains(v, "job.json") {
		t.Fatalf("the unreadable job did not open, saying why:\n%s", v)
	}
}
