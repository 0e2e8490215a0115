package e2e

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui/app"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// rootModel is nimwiz's root model on a simulated master whose queries
// time out after 300 ms, driven synchronously.
type rootModel struct {
	t *testing.T
	w *simtest.World
	m *app.Model
	d *uitest.Driver
}

func newRoot(t *testing.T, start app.Start, opts ...simtest.Option) *rootModel {
	t.Helper()
	w := newWorld(t, opts...)
	w.Exec.Timeout = queryTimeout
	m := app.New(app.Config{Start: start, Demo: true, PlanDir: t.TempDir(),
		Services: app.Services{NIM: nim.NewClient(w.Exec), Run: nim.ExecRunner{Exec: w.Exec}},
		Env:      steps.Env{Root: w.Root, Debounce: -1}})
	r := &rootModel{t: t, w: w, m: m}
	r.d = &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd { _, c := m.Update(msg); return c }}
	r.d.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	r.d.Run(m.Init())
	return r
}

func (r *rootModel) view() string { return ansi.Strip(r.m.View()) }

// sees fails unless the screen (whitespace-collapsed) holds every s.
func (r *rootModel) sees(s ...string) {
	r.t.Helper()
	v := strings.Join(strings.Fields(r.view()), " ")
	for _, x := range s {
		if !strings.Contains(v, x) {
			r.t.Fatalf("screen lacks %q:\n%s", x, r.view())
		}
	}
}

// heal removes the fault: the next retry must work.
func (r *rootModel) heal() {
	var env []string
	for _, kv := range r.w.Exec.Env {
		if !strings.HasPrefix(kv, "NIMWIZ_SIM_HANG_QUERY=") && !strings.HasPrefix(kv, "NIMWIZ_SIM_GARBLE") {
			env = append(env, kv)
		}
	}
	r.w.Exec.Env = env
}

// TestBrokenQueriesBrowser: the list and the details of the browser show
// an error naming the command and a retry that works once NIM answers.
func TestBrokenQueriesBrowser(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  simtest.Option
		want string
	}{
		{"lsdef hangs", simtest.HangQuery("lsdef"), "timed out"},
		{"lsdef garbage", simtest.Garble("lsdef", sim.GarbleGarbage), "unexpected output"},
		{"lsdef unknown code", simtest.Garble("lsdef", sim.GarbleCode), "0042-999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRoot(t, app.StartBrowse, tc.opt)
			r.sees("lsdef -t osimage", tc.want, "r")
			r.heal()
			r.d.Keys("r")
			r.sees("4 osimages", "aix73_full")
		})
	}
	for _, tc := range []struct {
		name string
		opt  simtest.Option
		want string
	}{
		{"lsnim hangs", simtest.HangQuery("lsnim"), "timed out"},
		{"lsnim garbage", simtest.Garble("lsnim", sim.GarbleGarbage), "lsnim -l"},
		{"lsnim unknown code", simtest.Garble("lsnim", sim.GarbleCode), "0042-999"},
		{"lsnim truncated", simtest.Garble("lsnim", sim.GarbleTruncated), "lsnim"},
	} {
		t.Run("details "+tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRoot(t, app.StartBrowse, tc.opt)
			r.sees("4 osimages")
			r.d.Keys("enter")
			r.sees("Osimage aix72_dataless", tc.want)
			r.heal()
			r.d.Keys("r")
			r.sees("Rstate ready for use")
		})
	}
}

// TestBrokenQueriesWizard: each step that asks NIM shows the failure and
// how to retry, and goes on once NIM answers.
func TestBrokenQueriesWizard(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  simtest.Option
	}{
		{"hangs", simtest.HangQuery("lsnim")},
		{"garbage", simtest.Garble("lsnim", sim.GarbleGarbage)},
		{"unknown code", simtest.Garble("lsnim", sim.GarbleCode)},
	} {
		t.Run("name check lsnim "+tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRoot(t, app.StartCreate, tc.opt)
			r.d.Keys("ctrl+u")
			r.d.Type("e2e_x")
			r.d.Keys("enter")
			r.sees("could not check", "ctrl+r")
			if r.m.Active() != app.StepName {
				t.Fatalf("a name NIM could not check was taken:\n%s", r.view())
			}
			r.heal()
			r.d.Keys("ctrl+r")
			r.sees(`"e2e_x" is free`)
			r.d.Keys("enter")
			r.sees("step 2 of 7: Source")
		})
	}
	for _, fault := range [][]string{
		{"NIMWIZ_SIM_HANG_QUERY=lsnim"},
		{"NIMWIZ_SIM_GARBLE_QUERY=lsnim", "NIMWIZ_SIM_GARBLE=garbage"},
		{"NIMWIZ_SIM_GARBLE_QUERY=lsnim", "NIMWIZ_SIM_GARBLE=code"},
	} {
		t.Run("source lists "+strings.Join(fault, " "), func(t *testing.T) {
			t.Parallel()
			r := newRoot(t, app.StartCreate)
			r.d.Keys("enter") // the suggested name
			r.sees("step 2 of 7: Source")
			r.w.Exec.Env = append(r.w.Exec.Env, fault...)
			r.d.Keys("down", "down", "enter", "r")
			if strings.Contains(r.view(), "NIM has no lpp_source yet") {
				t.Fatalf("nim.Client.ObjectsOfType takes output it cannot parse for \"no lpp_source\" (%v):\n%s", fault, r.view())
			}
			r.sees("error: could not load lpp_source resources", "Press r to try again")
			r.heal()
			r.d.Keys("r")
			r.sees("aix7302_lpp")
		})
		t.Run("extras "+strings.Join(fault, " "), func(t *testing.T) {
			t.Parallel()
			r := newRoot(t, app.StartCreate)
			r.d.Keys("enter")          // the suggested name
			r.d.Keys("enter", "enter") // product media, cd0
			r.sees("NIM already has lpp_source aix7302_lpp at the same AIX level")
			r.d.Keys("n")              // copy the disc all the same
			r.d.Keys("enter", "enter") // stateful, default location
			r.sees("step 5 of 7: Dump")
			r.w.Exec.Env = append(r.w.Exec.Env, fault...)
			r.d.Keys("enter")
			if strings.Contains(r.view(), "NIM has no resources of these types") {
				t.Fatalf("nim.Client.Resources takes output it cannot parse for \"no resources\" (%v):\n%s", fault, r.view())
			}
			r.sees("step 6 of 7", "error: could not load NIM resources", "Press r to try again")
			r.heal()
			r.d.Keys("r")
			r.sees("cluster_resolv_conf")
			r.d.Keys("enter")
			r.sees("Review the plan")
		})
	}
	t.Run("source lsdev garbage", func(t *testing.T) {
		r := newRoot(t, app.StartCreate, simtest.Garble("lsdev", sim.GarbleGarbage))
		r.d.Keys("enter", "enter")
		v := r.view()
		if strings.Contains(v, "> /dev/") {
			t.Errorf("garbage from lsdev became drives:\n%s", v)
		}
		if strings.Contains(v, "has no CD/DVD drive") {
			t.Fatalf("nim.Client.CDDevices takes output it cannot parse for \"no drive\":\n%s", v)
		}
		r.heal()
		r.d.Keys("r")
		r.sees("/dev/cd0")
	})
	t.Run("--from lsdef hangs", func(t *testing.T) {
		w := newWorld(t, simtest.HangQuery("lsdef"))
		w.Exec.Timeout = queryTimeout
		m := app.New(app.Config{Start: app.StartCreate, From: "aix73_full", PlanDir: t.TempDir(),
			Services: app.Services{NIM: nim.NewClient(w.Exec)},
			Env:      steps.Env{Root: w.Root, Debounce: -1}})
		r := &rootModel{t: t, w: w, m: m}
		r.d = &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd { _, c := m.Update(msg); return c }}
		r.d.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
		r.d.Run(m.Init())
		r.sees("lsdef -t osimage", "timed out", "r")
		r.heal()
		r.d.Keys("r")
		r.sees("step 1 of 7: Name", "aix73_full_2 is free: press")
	})
}

// queryTimeout is the executor's timeout in these tests: long enough for
// a race-built simulator on a busy machine, short enough for the hangs.
const queryTimeout = 2 * time.Second
