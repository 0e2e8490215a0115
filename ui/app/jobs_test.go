package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/jobs"
)

var jobsT0 = time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)

// jobRecords are one job in each state the Jobs screen shows, newest first.
func jobRecords() []job.Record {
	plan := func(name string, k nim.PlanKind) nim.Plan {
		return nim.Plan{Kind: k, Name: name, Type: nim.Diskless, Source: "/export/images/7200"}
	}
	rec := func(id, name string, k nim.PlanKind, st job.State, ph nim.Phase, started, took time.Duration) job.Record {
		r := job.Record{ID: id, Name: name, Plan: plan(name, k), State: st, Phase: ph, PhaseName: ph.String(),
			Started: jobsT0.Add(started), Dir: "/var/lib/nimwiz/jobs/" + id}
		if st.Ended() {
			r.Ended = r.Started.Add(took)
			r.EndedIn = ph.String()
		}
		return r
	}
	running := rec("20261204-175000-aix73_stateless_new_name", "aix73_stateless_new_name", nim.KindCreate, job.StateRunning, nim.PhaseSpot, -10*time.Minute, 0)
	running.Critical = true
	settling := rec("20261204-170000-aix73_u1", "aix73_u1", nim.KindCopy, job.StateContactLost, nim.PhaseSpot, -time.Hour, 12*time.Minute)
	settling.Settling = true
	failed := rec("20261204-160000-aix73_full", "aix73_full", nim.KindUpdate, job.StateFailed, nim.PhaseSpotUpdate, -2*time.Hour, 3*time.Minute)
	failed.ExitCode = 1
	return []job.Record{
		running,
		settling,
		failed,
		rec("20261204-150000-71cosi", "71cosi", nim.KindCreate, job.StateSucceeded, nim.PhaseSummary, -3*time.Hour, 23*time.Minute+10*time.Second),
		rec("20261203-120000-72cosi", "72cosi", nim.KindCreate, job.StateLost, nim.PhaseLppSource, -30*time.Hour, 0),
		{ID: "20261203-110000-broken", State: job.StateUnreadable, Error: "job.json: unexpected end of JSON input", Started: jobsT0.Add(-31 * time.Hour), Dir: "/var/lib/nimwiz/jobs/20261203-110000-broken"},
	}
}

func jobsConfig() Config {
	return Config{Jobs: jobs.Config{
		List: func() ([]job.Record, error) { return jobRecords(), nil },
		Now:  func() time.Time { return jobsT0 },
		Loc:  time.UTC,
	}}
}

// Home's Jobs lists every job with its kind, name, state, phase and times;
// Enter opens the one chosen on the run screen, q and esc come back from
// there to the list, and from the list to Home.
func TestJobsScreen(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h := newHarness(t, jobsConfig(), sz[0], sz[1])
			h.keys("down", "down", "enter")
			if h.m.stage != stageJobs {
				t.Fatalf("Jobs did not open the Jobs screen:\n%s", h.m.View())
			}
			h.golden(t)
			v := h.m.View()
			for _, want := range []string{"aix73_u1", "settling", "failed (1)", "succeeded", "lost", "23m", "SPOT creation"} {
				if !strings.Contains(v, want) {
					t.Errorf("the list lacks %q:\n%s", want, v)
				}
			}
			for _, back := range []string{"q", "esc"} {
				h.keys("down", "down", "down", "enter") // the succeeded one
				if h.m.stage != stageRun || !strings.Contains(h.m.View(), "20261204-150000-71cosi") {
					t.Fatalf("enter did not open the job on the run screen:\n%s", h.m.View())
				}
				h.keys(back)
				if h.m.stage != stageJobs || h.d.Quit {
					t.Fatalf("%s on the run screen: stage %d, quit %v", back, h.m.stage, h.d.Quit)
				}
				if got := h.m.jobs.Selected(); got != "20261204-150000-71cosi" {
					t.Errorf("back on the list at %s, want the job left", got)
				}
				h.keys("up", "up", "up")
			}
			h.keys("esc")
			if h.m.stage != stageHome || h.d.Quit {
				t.Fatalf("esc on the list: stage %d, quit %v", h.m.stage, h.d.Quit)
			}
		})
	}
}

// The unreadable job says why; an empty store says how to make a job.
func TestJobsScreenUnreadableAndEmpty(t *testing.T) {
	h := newHarness(t, jobsConfig(), 80, 24)
	h.keys("down", "down", "enter")
	for range 5 {
		h.keys("down")
	}
	h.sees("unreadable: job.json: unexpected end of JSON input")
	cfg := jobsConfig()
	cfg.Jobs.List = func() ([]job.Record, error) { return nil, nil }
	h = newHarness(t, cfg, 80, 24)
	h.keys("down", "down", "enter")
	h.sees("No mknimimage jobs yet")
	h.d.Send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.sees("No mknimimage jobs yet")
}

// q and esc mean one thing on every view: back (detach on the run screen),
// and quit only on Home.
func TestQAndEscAgree(t *testing.T) {
	for _, k := range []string{"q", "esc"} {
		t.Run(k, func(t *testing.T) {
			cfg := jobsConfig()
			cfg.Services.NIM = nimtest.BrowseWorld()
			h := newHarness(t, cfg, 80, 24)
			// Browse: its list, an osimage's details, back to Home.
			h.keys("down", "enter")
			h.sees("Browse osimages", "61cosi")
			h.keys("enter")
			h.keys(k)
			if h.m.stage != stageBrowse {
				t.Fatalf("%s in the details left the browser", k)
			}
			h.keys(k)
			if h.m.stage != stageHome || h.d.Quit {
				t.Fatalf("%s on the browser's list: stage %d, quit %v", k, h.m.stage, h.d.Quit)
			}
			// Jobs, a job on the run screen, back, back.
			h.keys("down", "enter")
			h.keys("enter")
			if h.m.stage != stageRun {
				t.Fatalf("no run screen:\n%s", h.m.View())
			}
			h.keys(k)
			if h.m.stage != stageJobs {
				t.Fatalf("%s on the run screen: stage %d", k, h.m.stage)
			}
			h.keys(k)
			if h.m.stage != stageHome || h.d.Quit {
				t.Fatalf("%s on Jobs: stage %d, quit %v", k, h.m.stage, h.d.Quit)
			}
			// Home: quit.
			h.keys(k)
			if !h.d.Quit {
				t.Fatalf("%s on Home did not quit", k)
			}
		})
	}
}
