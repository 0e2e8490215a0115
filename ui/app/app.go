// Package app is nimwiz's root model. It routes between the home screen,
// the wizard's steps, the run screen and the browser (route.go), lays out
// the header, the active view sized to what is left, and the help line
// (layout.go), and owns the plan the steps fill in and the global keys
// (taken before any view sees them). The home screen is its own component
// (home.go).
package app

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/nimwiz/nimwiz/internal/job"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/jobs"
	"github.com/nimwiz/nimwiz/ui/run"
	"github.com/nimwiz/nimwiz/wizard"
)

// Start says which screen the program opens on.
type Start int

const (
	StartHome    Start = iota // bare nimwiz
	StartCreate               // nimwiz create [--from OSIMAGE]
	StartPreview              // nimwiz create --plan FILE
	StartBrowse               // nimwiz browse
	StartRun                  // nimwiz attach: the run screen of Config.Job
)

// NIM is every query the screens ask the master: the wizard's and the
// browser's. *nim.Client serves both.
type NIM interface {
	wizard.NIM
	browse.NIM
}

var _ NIM = (*nim.Client)(nil)

// Services is what the screens ask of and run on the NIM master, given
// once and explicitly: every screen gets its part from here.
type Services struct {
	NIM NIM
	// Run runs the browser's commands that change the master (rmnimimage,
	// chdef): nim.ExecRunner. Nil: the browser shows them but cannot run
	// them.
	Run browse.Runner
	// Jobs says which nimwiz jobs use a name (job.Store.Using): the
	// browser refuses to remove or change what they use.
	Jobs func(names ...string) ([]job.Record, error)
}

// Config is what the root model needs from the command line.
type Config struct {
	Services Services
	// Env is the wizard's host (Root, FreeSpace) and Debounce; its NIM is
	// Services.NIM.
	Env     steps.Env
	Demo    bool   // show the demo banner
	PlanDir string // where plans are saved by default ("" = current directory)
	Start   Start
	Plan    nim.Plan // prefill (with StartPreview, the saved plan)
	From    string   // osimage to prefill every step from (--from)
	// OnCreate, when set, is what happens once the admin confirmed on the
	// preview (the run screen). When nil the plan is saved to PlanDir and
	// the program quits, saying how to apply it.
	OnCreate func(nim.Plan) tea.Cmd
	// Run configures the run screen (shown after OnCreate's job started,
	// with StartRun, and from the home screen's Jobs entry).
	Run run.Config
	Job string // with StartRun: the job to follow
	// Jobs configures the Jobs screen (Home's "Jobs"); nil List: the
	// run screen's store's.
	Jobs jobs.Config
}

// Result is how the program ended, for the caller to report after Run.
type Result struct {
	Quit        bool     // the admin quit; nothing was done
	Interrupted bool     // ... with ctrl+c
	SavedPath   string   // the plan was saved here
	Plan        nim.Plan // the plan as last seen

	Run *run.Result // how the run screen was left, if it was shown
}

type stage int

const (
	stageHome stage = iota
	stageLoading
	stageWizard
	stageBrowse
	stageRun
	stageJobs
)

// Steps in wizard order.
const (
	StepName = iota
	StepSource
	StepNodeType
	StepLocation
	StepDump
	StepExtras
	StepPreview
)

// Model is the root model.
type Model struct {
	cfg    Config
	c      ui.Common
	keys   ui.GlobalKeys
	help   help.Model
	stage  stage
	home   home
	steps  []steps.Step
	name   *steps.Name
	prev   *steps.Preview
	active int
	plan   nim.Plan
	from   ui.Loader
	// toPreview: the admin came from the preview to change one step, so
	// its enter goes straight back there.
	toPreview bool
	fromHome  bool
	// fromBrowse: the wizard was opened by the browser's re-create; esc on
	// the first step returns there.
	fromBrowse bool
	// runFromBrowse: the run screen shows the browser's copy or update;
	// a job that did not start goes back to the browser.
	runFromBrowse bool
	browse        *browse.Model
	run           *run.Model  // the run screen, once shown
	jobs          *jobs.Model // the Jobs screen, once shown
	result        Result
	width         int
	height        int
	sized         bool
}

// New builds the root model.
func New(cfg Config) *Model {
	c := ui.NewCommon()
	c.Demo = cfg.Demo
	cfg.Env.NIM = cfg.Services.NIM
	if jobs := cfg.Services.Jobs; cfg.Env.Busy == nil && jobs != nil {
		cfg.Env.Busy = func(name string) string {
			recs, err := jobs(name)
			if err != nil || len(recs) == 0 {
				return "" // the run checks again (job.Start)
			}
			return wizard.NameBusy(name, recs[0].ID, string(recs[0].State))
		}
	}
	if cfg.Env.Debounce == 0 {
		cfg.Env.Debounce = steps.DefaultDebounce
	} else if cfg.Env.Debounce < 0 {
		cfg.Env.Debounce = 0 // tests: check at once
	}
	m := &Model{cfg: cfg, c: c, keys: c.Keys.Global, help: ui.NewHelp(c.Styles), home: newHome(c)}
	m.from = ui.NewLoader("osimage " + cfg.From + " (lsdef -t osimage)")
	m.buildSteps()
	m.plan = cfg.Plan.WithDefaults()
	return m
}

// buildSteps makes fresh wizard steps (each prefills on its first Enter).
func (m *Model) buildSteps() {
	c, cfg := m.c, m.cfg
	m.name = steps.NewName(c, cfg.Env)
	m.steps = []steps.Step{
		m.name,
		steps.NewSource(c, cfg.Env),
		steps.NewNodeType(c, cfg.Env),
		steps.NewLocation(c, cfg.Env),
		steps.NewDump(c, cfg.Env),
		steps.NewExtras(c, cfg.Env),
	}
	titles := make([]string, len(m.steps))
	for i, s := range m.steps {
		titles[i] = s.Title()
	}
	m.prev = steps.NewPreview(c, cfg.Env, titles, cfg.PlanDir)
	m.steps = append(m.steps, m.prev)
}

// Result reports how the program ended.
func (m *Model) Result() Result {
	r := m.result
	r.Plan = m.plan
	if m.run != nil {
		rr := m.run.Result()
		r.Run = &rr
	}
	return r
}

// Plan is the plan as the steps have filled it in so far.
func (m *Model) Plan() nim.Plan { return m.plan }

// Active is the index of the step shown, or -1 outside the wizard.
func (m *Model) Active() int {
	if m.stage != stageWizard {
		return -1
	}
	return m.active
}

// Step returns step i (for tests).
func (m *Model) Step(i int) steps.Step { return m.steps[i] }

func (m *Model) Init() tea.Cmd {
	switch {
	case m.cfg.From != "":
		return m.loadFrom()
	case m.cfg.Start == StartRun:
		return m.openRun(m.cfg.Job)
	case m.cfg.Start == StartPreview:
		m.stage = stageWizard
		return m.enter(StepPreview)
	case m.cfg.Start == StartCreate:
		m.stage = stageWizard
		return m.enter(StepName)
	case m.cfg.Start == StartBrowse:
		return m.openBrowse()
	}
	m.stage = stageHome
	return nil
}
