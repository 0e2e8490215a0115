package run

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

func testPlan(name string) nim.Plan {
	return nim.Plan{Name: name, Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}
}

// live is a run screen on a real job against the simulator; step runs
// the screen's read loop by hand, synchronously.
type live struct {
	t     *testing.T
	w     *simtest.World
	store *job.Store
	m     *Model
	d     *uitest.Driver
}

func startLive(t *testing.T, plan nim.Plan, opts ...simtest.Option) *live {
	t.Helper()
	w := simtest.New(t, opts...)
	store := &job.Store{Dir: t.TempDir()}
	exe, _ := os.Executable()
	j, err := job.Start(store, w.Exec, plan, []string{exe, "__supervise"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := contextTimeout(60 * time.Second)
		defer cancel()
		store.Wait(ctx, j.ID)
	})
	c := ui.NewCommon()
	m := New(c, Config{Store: store, Client: nim.NewClient(w.Exec), HostRoot: w.Root, Tick: time.Millisecond})
	m.SetSize(80, 20)
	l := &live{t: t, w: w, store: store, m: m}
	l.d = &uitest.Driver{TB: t, Update: l.update}
	l.d.Run(m.Attach(j.ID))
	return l
}

// update passes messages on, but runs the next read itself only when
// asked (step), so the driver never loops on ticks.
func (l *live) update(msg tea.Msg) tea.Cmd {
	cmd := l.m.Update(msg)
	if t, ok := msg.(tickMsg); ok && !t.rec.State.Ended() {
		return nil // the next read is step's
	}
	return cmd
}

func (l *live) step() {
	l.t.Helper()
	l.d.Run(l.m.read(0))
}

func (l *live) until(what string, cond func() bool) {
	l.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		l.step()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("timed out waiting for %s; screen:\n%s", what, l.m.View())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (l *live) screenHas(s string) func() bool {
	return func() bool { return strings.Contains(l.m.View(), s) }
}

func TestLiveRefusesDuringSpotAndEnds(t *testing.T) {
	t.Parallel()
	l := startLive(t, testPlan("live1"), simtest.SpotSeconds(3))
	l.until("SPOT creation", func() bool { return l.m.rec.Phase == nim.PhaseSpot && l.m.Critical() })
	l.d.Keys("ctrl+c")
	if v := l.m.View(); !strings.Contains(v, "ctrl+c refused: the SPOT is being created") || l.m.confirm.Open() {
		t.Fatalf("no refusal:\n%s", v)
	}
	l.until("the end", func() bool { return l.m.facts != nil })
	v := l.m.View()
	if !strings.Contains(v, "succeeded: osimage live1 was created") {
		t.Fatalf("ending:\n%s", v)
	}
	if got := l.w.Signals(); len(got) != 0 {
		t.Errorf("signals reached mknimimage: %v", got)
	}
}

func contextTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// Outside a protected phase (the lpp_source copy runs, proven by the live
// output and by ps) ctrl+c asks; y stops mknimimage through the supervisor.
// xCAT aborts; NIM's define may go on (2.9.x signals only the plugin), so
// the ending first says to wait, then, once NIM is quiet, what it left and
// how to clean it up.
func TestLiveStopOutsideCriticalPhase(t *testing.T) {
	t.Parallel()
	// Long enough that ctrl+c and y land in the copy on a loaded machine
	// (4 s was not: the copy ended first and the job succeeded).
	l := startLive(t, testPlan("live2"), simtest.Env("NIMWIZ_SIM_LPP_SECONDS", "10"))
	l.until("the lpp_source copy, interruptible", func() bool {
		return l.m.rec.Phase == nim.PhaseLppSource && !l.m.Critical()
	})
	// The supervisor stops mknimimage only once ps shows NIM's define at
	// work (nim.Client.Activity); between the phase's message and the
	// define's start, wider on a loaded machine, it would refuse.
	l.until("NIM's lpp_source define in ps", func() bool {
		ctx, cancel := contextTimeout(10 * time.Second)
		defer cancel()
		ps, _ := nim.NewClient(l.w.Exec).Activity(ctx, []string{"live2", "live2_lpp_source"})
		for _, p := range ps {
			if strings.Contains(p.Args, "define") && strings.Contains(p.Args, "lpp_source") {
				return true
			}
		}
		return false
	})
	l.d.Keys("ctrl+c")
	if !l.m.confirm.Open() {
		t.Fatalf("no question:\n%s", l.m.View())
	}
	l.d.Keys("y")
	l.until("the end", func() bool { return l.m.facts != nil })
	l.until("NIM quiet", func() bool { return l.m.facts != nil && !l.m.facts.Rec.Busy() })
	v := l.m.View()
	for _, want := range []string{"was interrupted during lpp_source", "nimwiz asked mknimimage to stop", "NIM has been quiet", "nim -Fo remove live2_lpp_source"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), want) {
			t.Errorf("ending lacks %q:\n%s", want, v)
		}
	}
	if r := l.m.Result(); r.Record.State != job.StateInterrupted || ending.Status(r.Record) != 130 {
		t.Errorf("result %+v", r.Record.State)
	}
}
