package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

var sizes = [][2]int{{80, 24}, {120, 40}}

// withSmallest adds the smallest supported size, 60x20, for the screens
// that goldens it.
var withSmallest = append([][2]int{{60, 20}}, sizes...)

// hostRoot is a simulated host root with one image directory.
func hostRoot(t testing.TB) string {
	root := t.TempDir()
	for p, c := range map[string]string{
		"export/aix72/installp/ppc/.toc":              "0 1911041234 2\n",
		"export/aix72/installp/ppc/bos.rte.7.2.5.0.I": "",
		"install/.keep": "",
	} {
		full := filepath.Join(root, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(c), 0o644)
	}
	return root
}

type harness struct {
	t *testing.T
	m *Model
	f *nimtest.Fake
	d *uitest.Driver
}

func newHarness(t *testing.T, cfg Config, w, h int) *harness {
	t.Helper()
	if cfg.Services.NIM == nil {
		cfg.Services.NIM = nimtest.World()
	}
	if cfg.Env.Root == "" {
		cfg.Env.Root = hostRoot(t)
	}
	if cfg.Env.FreeSpace == nil {
		cfg.Env.FreeSpace = func(string) (uint64, error) { return 40 << 30, nil }
	}
	cfg.Env.Debounce = -1
	if cfg.PlanDir == "" {
		cfg.PlanDir = "/plans"
	}
	hs := &harness{t: t, m: New(cfg), f: cfg.Services.NIM.(*nimtest.Fake)}
	hs.d = &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd { _, c := hs.m.Update(msg); return c }}
	hs.d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.d.Run(hs.m.Init())
	return hs
}

func (h *harness) keys(k ...string) { h.t.Helper(); h.d.Keys(k...) }

func (h *harness) at(step int) {
	h.t.Helper()
	if h.m.Active() != step {
		h.t.Fatalf("at step %d, want %d:\n%s", h.m.Active(), step, h.m.View())
	}
}

// toNodeType answers the first two steps (name "mine", the first
// lpp_source) and arrives at the node type step.
func (h *harness) toNodeType() {
	h.t.Helper()
	h.keys("ctrl+u")
	h.d.Type("mine")
	h.keys("enter")
	h.at(StepSource)
	h.keys("down", "down", "enter", "enter") // lpp_source
	h.at(StepNodeType)
}

func (h *harness) golden(t *testing.T) {
	t.Helper()
	v := h.m.View()
	for i, l := range strings.Split(v, "\n") {
		if w := len([]rune(l)); w > h.m.width {
			t.Errorf("line %d is %d wide on a %d terminal: %q", i, w, h.m.width, l)
		}
	}
	if n := strings.Count(v, "\n") + 1; n > h.m.height {
		t.Errorf("view is %d lines on a %d-line terminal", n, h.m.height)
	}
	golden.RequireEqual(t, []byte(v))
}

// TestScreens goldens every screen of the wizard at both sizes, walking
// from the home screen to the save prompt.
func TestScreens(t *testing.T) {
	for _, sz := range withSmallest {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h := newHarness(t, Config{Demo: true}, sz[0], sz[1])
			shot := func(name string) { t.Run(name, func(t *testing.T) { h.golden(t) }) }
			shot("01-home")
			h.keys("down", "down", "enter")
			shot("02-home-no-job-store")
			h.keys("up", "up", "enter")
			shot("03-name")
			h.keys("?")
			shot("04-name-full-help")
			h.keys("?", "enter")
			shot("05-source-kinds")
			h.keys("enter")
			shot("06-source-media")
			h.keys("esc", "down", "enter")
			shot("07-source-directory")
			h.keys("esc", "down", "enter")
			shot("08-source-lpp_source")
			h.keys("esc", "up", "up", "enter", "enter")
			shot("09-node-type")
			h.keys("down")
			shot("10-node-type-stateless")
			h.keys("enter")
			shot("11-location")
			h.keys("enter")
			shot("12-dump")
			h.keys("enter")
			shot("13-extras")
			h.keys("space", "enter")
			shot("14-preview")
			h.keys("enter")
			shot("15-confirm")
			h.keys("n", "s")
			shot("16-save-prompt")

		})
	}
}

func TestFlows(t *testing.T) {
	tests := []struct {
		name string
		keys []string // from the name step (suggestion osimage2 taken with enter)
		cmd  string
	}{
		{"media stateful", []string{"enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter"},
			"mknimimage -V -t diskless -s /dev/cd0 osimage2"},
		{"directory stateless dump", []string{"enter", "down", "enter", "ctrl+u", "/export/aix72", "enter", "down", "enter", "enter", "down", "enter", "enter"},
			"mknimimage -V -t diskless -r -D -s /export/aix72 osimage2"},
		{"lpp_source dataless extras", []string{"enter", "down", "down", "enter", "enter", "down", "down", "enter", "enter", "enter", "space", "down", "down", "down", "space", "enter"},
			"mknimimage -V -t dataless -s 7200-05-lpp_source osimage2 installp_bundle=hpc_bundle resolv_conf=cluster_resolv"},
		{"other location", []string{"enter", "enter", "enter", "enter", "ctrl+u", "/export/nim", "enter", "enter", "enter"},
			"mknimimage -V -t diskless -l /export/nim -s /dev/cd0 osimage2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{Start: StartCreate}, 80, 24)
			h.at(StepName)
			for _, k := range tc.keys {
				if len(k) > 1 && k[0] == '/' {
					h.d.Type(k)
				} else {
					h.keys(k)
				}
			}
			h.at(StepPreview)
			if got := h.m.Plan().CommandLine(); got != tc.cmd {
				t.Errorf("command line\n got %s\nwant %s", got, tc.cmd)
			}
			for _, sz := range withSmallest {
				h.d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) { h.golden(t) })
			}
		})
	}
}

func TestFromPrefill(t *testing.T) {
	h := newHarness(t, Config{Start: StartCreate, From: "72cosi"}, 80, 24)
	h.at(StepName)
	// Enter through every step: everything comes from 72cosi but the name.
	h.keys("enter", "enter", "enter", "enter", "enter", "enter")
	h.at(StepPreview)
	want := "mknimimage -V -t diskless -r -D -s 7200-05-lpp_source 72cosi_2 installp_bundle=hpc_bundle resolv_conf=cluster_resolv"
	if got := h.m.Plan().CommandLine(); got != want {
		t.Errorf("command line\n got %s\nwant %s", got, want)
	}
	for _, sz := range withSmallest {
		h.d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) { h.golden(t) })
	}
}

func TestFromErrorRetry(t *testing.T) {
	f := nimtest.World()
	f.Fail("Osimage", errors.New("lsdef: timed out after 1m0s"))
	h := newHarness(t, Config{Start: StartCreate, From: "72cosi", Services: Services{NIM: f}}, 80, 24)
	if h.m.Active() != -1 || !strings.Contains(h.m.View(), "Press r to try again") {
		t.Fatalf("no retry offered:\n%s", h.m.View())
	}
	t.Run("80x24", func(t *testing.T) { h.golden(t) })
	f.Fail("Osimage", nil)
	h.keys("r")
	h.at(StepName)
}

func TestPlanOpensAtPreview(t *testing.T) {
	p := nim.Plan{Name: "aix72", Source: "/export/aix72", Stateless: true}
	h := newHarness(t, Config{Start: StartPreview, Plan: p}, 80, 24)
	h.at(StepPreview)
	// Going back to a step and on returns to the preview.
	h.keys("3")
	h.at(StepNodeType)
	h.keys("up", "enter")
	h.at(StepPreview)
	if got := h.m.Plan(); got.Stateless || got.Name != "aix72" || got.Source != "/export/aix72" {
		t.Errorf("plan %+v", got)
	}
	// The source step opens at the plan's directory.
	h.keys("2", "enter")
	h.at(StepPreview)
	if h.m.Plan().Source != "/export/aix72" {
		t.Errorf("source %q", h.m.Plan().Source)
	}
}

func TestEscKeepsAnswers(t *testing.T) {
	h := newHarness(t, Config{Start: StartCreate}, 80, 24)
	h.toNodeType()
	h.keys("down", "down") // dataless, not confirmed
	h.keys("esc")
	h.at(StepSource)
	h.keys("esc") // into the list: esc returns to the kinds first
	h.at(StepSource)
	h.keys("esc")
	h.at(StepName)
	if !strings.Contains(h.m.View(), "> mine") {
		t.Fatalf("name lost:\n%s", h.m.View())
	}
	h.keys("enter", "enter", "enter") // source kept: lpp_source, into the list, chosen
	h.at(StepNodeType)
	if !strings.Contains(h.m.View(), "> Dataless") {
		t.Fatalf("node type cursor lost:\n%s", h.m.View())
	}
	if h.m.Plan().Source != "7200-05-lpp_source" {
		t.Errorf("source %q", h.m.Plan().Source)
	}
}

func TestHomeEscFromFirstStep(t *testing.T) {
	h := newHarness(t, Config{}, 80, 24)
	h.keys("enter")
	h.at(StepName)
	h.keys("esc")
	if h.m.Active() != -1 || !strings.Contains(h.m.View(), "What would you like to do?") {
		t.Fatalf("not home:\n%s", h.m.View())
	}
	h.keys("down", "down", "down", "enter")
	if !h.d.Quit || !h.m.Result().Quit || h.m.Result().Interrupted {
		t.Errorf("Quit did not quit: %+v", h.m.Result())
	}
}

func TestCtrlCQuitsFromEveryStep(t *testing.T) {
	for step := StepName; step <= StepPreview; step++ {
		h := newHarness(t, Config{Start: StartCreate}, 80, 24)
		for h.m.Active() < step {
			h.keys("enter")
			if h.m.Active() == StepSource {
				h.keys("enter")
			}
		}
		if step == StepPreview {
			h.keys("s") // even with the save prompt open
		}
		h.keys("ctrl+c")
		if !h.d.Quit || !h.m.Result().Interrupted {
			t.Errorf("step %d: ctrl+c did not quit", step)
		}
		for _, c := range h.f.Calls() {
			if c != "NameTaken" && c != "CDDevices" && c != "ObjectsOfType" && c != "XcatVersion" && c != "Resources" && c != "Osimage" && c != "Objects" {
				t.Errorf("unexpected NIM call %s", c)
			}
		}
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, Config{Start: StartCreate}, 80, 24)
	h.keys("ctrl+u")
	h.d.Type("kept")
	h.d.Send(tea.WindowSizeMsg{Width: 50, Height: 15})
	v := h.m.View()
	if !strings.Contains(v, "Terminal too small: 50x15") || !strings.Contains(v, "60x20") {
		t.Fatalf("view:\n%s", v)
	}
	golden.RequireEqual(t, []byte(v))
	h.keys("x", "enter") // ignored while too small
	h.d.Send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.at(StepName)
	if !strings.Contains(h.m.View(), "> kept") {
		t.Fatalf("state lost on resize:\n%s", h.m.View())
	}
	t.Run("60x20", func(t *testing.T) { h.golden(t) })
}

func TestCreateWithoutRunScreenSaves(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, Config{Start: StartPreview, PlanDir: dir, Plan: nim.Plan{Name: "aix72", Source: "/dev/cd0"}}, 80, 24)
	h.keys("enter", "y")
	if !strings.Contains(h.m.View(), "Save plan to") {
		t.Fatalf("no save prompt:\n%s", h.m.View())
	}
	hint.SetGlobals("--demo", "--state-dir", "/st")
	t.Cleanup(func() { hint.SetGlobals() })
	h.keys("enter")
	r := h.m.Result()
	want := filepath.Join(dir, "aix72.toml")
	// Saving stays in the wizard, saying where and how to run it.
	if h.d.Quit || r.SavedPath != want {
		t.Fatalf("quit %v, result %+v", h.d.Quit, r)
	}
	view := strings.ReplaceAll(strings.Join(strings.Fields(h.m.View()), " "), " \\ ", " ")
	if !strings.Contains(view, "ok: saved the plan to "+want) || !strings.Contains(view, "nimwiz --demo --state-dir /st apply "+want) {
		t.Errorf("the preview does not say where and how:\n%s", h.m.View())
	}
	if msg := DoneMessage(r); msg != "The plan is ready: run `nimwiz --demo --state-dir /st apply "+want+"` to create osimage aix72." {
		t.Errorf("message %q", msg)
	}
	if p, err := nim.LoadPlan(want); err != nil || p.Source != "/dev/cd0" {
		t.Errorf("saved %+v %v", p, err)
	}
}

func TestOnCreateHook(t *testing.T) {
	var got []nim.Plan
	cfg := Config{Start: StartPreview, Plan: nim.Plan{Name: "aix72", Source: "/dev/cd0"}}
	cfg.OnCreate = func(p nim.Plan) tea.Cmd {
		got = append(got, p)
		return nil
	}
	h := newHarness(t, cfg, 80, 24)
	h.keys("enter")
	if len(got) != 0 {
		t.Fatal("created before confirmation")
	}
	h.keys("y")
	if len(got) != 1 || got[0].Name != "aix72" {
		t.Fatalf("OnCreate got %v", got)
	}
}

// Keys typed faster than they are read arrive as one message; each still
// counts (j j moves twice), while a paste stays one piece of text.
func TestTypeAheadCountsEachKey(t *testing.T) {
	h := newHarness(t, Config{Demo: true}, 80, 24)
	h.d.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jj")})
	if v := h.m.View(); !strings.Contains(v, "> Jobs") {
		t.Errorf("jj typed ahead did not move twice:\n%s", v)
	}
}

// Saving the plan stays in the wizard: the preview says where it was
// saved and the command that runs it, with the global options in force.
func TestSavedStaysInWizard(t *testing.T) {
	hint.SetGlobals("--demo", "--state-dir", "/var/tmp/nimwiz-state")
	t.Cleanup(func() { hint.SetGlobals() })
	for _, sz := range [][2]int{{60, 20}, {80, 24}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			dir := fixedLengthDir(t, 40)
			h := newHarness(t, Config{Start: StartPreview, PlanDir: dir, Plan: nim.Plan{Name: "aix72", Source: "/dev/cd0"}}, sz[0], sz[1])
			h.keys("s", "enter")
			if h.d.Quit || h.m.Active() != StepPreview {
				t.Fatalf("saving left the wizard:\n%s", h.m.View())
			}
			// Lines wrap where the 40 bytes of dir put them; the shorter
			// name leaves trailing padding, compared without.
			lines := strings.Split(strings.ReplaceAll(h.m.View(), dir, "/plans"), "\n")
			for i, l := range lines {
				lines[i] = strings.TrimRight(l, " ")
			}
			golden.RequireEqual(t, []byte(strings.Join(lines, "\n")))
			h.keys("1") // and the wizard goes on
			if !strings.Contains(h.m.View(), "step 1 of 7: Name") {
				t.Errorf("no step after saving:\n%s", h.m.View())
			}
		})
	}
}

// fixedLengthDir is a new directory whose absolute path is n bytes long,
// so that text wrapped around it breaks at the same places on every
// machine: t.TempDir's random part is 1 to 10 digits long.
func fixedLengthDir(t *testing.T, n int) string {
	t.Helper()
	base, err := os.MkdirTemp("", "nw")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	pad := n - len(base) - 1
	if pad < 1 {
		t.Fatalf("the temporary directory %s is longer than %d bytes: set TMPDIR to a shorter one, e.g. /tmp", base, n-2)
	}
	dir := filepath.Join(base, strings.Repeat("p", pad))
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A step's kept Enter (NextMsg.From) moves the wizard on only while that
// step is still the active one: an answer that lands after the admin went
// back a step must not move another step on.
func TestKeptEnterOnlyMovesItsOwnStep(t *testing.T) {
	h := newHarness(t, Config{Start: StartCreate}, 80, 24)
	h.toNodeType()
	h.d.Send(steps.NextMsg{From: h.m.steps[StepExtras]})
	h.at(StepNodeType)
	h.d.Send(steps.NextMsg{From: h.m.steps[StepNodeType]})
	h.at(StepNodeType + 1)
}
