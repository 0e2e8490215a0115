package app

import (
	"context"
	"syscall"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/jobs"
	"github.com/nimwiz/nimwiz/ui/run"
)

// Routing: a window size resizes every view; keys go through the global
// ones to the active view; the views' requests (next step, go back,
// create, re-create, ...) move between stages; everything else (query
// results, spinner ticks) goes to every view, each taking only its own.

type osimageMsg struct {
	o   nim.Osimage
	err error
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height, m.sized = msg.Width, msg.Height, true
		m.resize()
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	case osimageMsg:
		return m, m.gotFrom(msg)
	case browse.BackMsg:
		m.stage, m.browse = stageHome, nil
		m.resize()
		return m, nil
	case browse.RecreateMsg:
		return m, m.recreate(msg)
	case browse.StartMsg:
		return m, m.startFromBrowse(msg)
	case steps.NextMsg, steps.GotoMsg, steps.CreateMsg, steps.SavedMsg:
		return m, m.wizard(msg)
	case run.SignalMsg:
		return m, m.signal(msg)
	case jobs.OpenMsg:
		if m.stage != stageJobs {
			return m, nil
		}
		cmd := m.openRun(msg.ID)
		m.run.Returns(true) // q/esc come back here; the job goes on
		m.jobs.Pause(true)
		return m, cmd
	case jobs.BackMsg:
		if m.stage == stageJobs {
			m.stage, m.jobs = stageHome, nil
			m.resize()
		}
		return m, nil
	case run.LeftMsg:
		if m.stage == stageRun && m.jobs != nil {
			m.stage, m.run = stageJobs, nil
			m.resize()
			return m, tea.Batch(m.jobs.Init(), m.jobs.Pause(false)) // what the jobs did since
		}
		return m, nil
	case run.BackMsg:
		if m.stage != stageRun {
			return m, nil
		}
		if m.runFromBrowse && m.browse != nil {
			// A copy or update that did not start: back to the browser.
			m.stage, m.runFromBrowse = stageBrowse, false
			m.resize()
			return m, m.browse.Init()
		}
		m.stage = stageWizard
		return m, m.enter(StepPreview)
	}
	return m, m.broadcast(msg)
}

// broadcast gives msg to every view: each takes only its own answers and
// ticks (the browser hands each tick to its owner).
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := []tea.Cmd{m.from.Update(msg)}
	if m.browse != nil {
		cmds = append(cmds, m.browse.Update(msg))
	}
	for _, s := range m.steps {
		cmds = append(cmds, s.Update(msg))
	}
	if m.run != nil {
		cmds = append(cmds, m.run.Update(msg))
	}
	if m.jobs != nil {
		cmds = append(cmds, m.jobs.Update(msg))
	}
	return tea.Batch(cmds...)
}

// key takes the global keys first (an embedded field must not swallow
// ctrl+c), then gives the key to the active view.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyRunes && !msg.Paste && len(msg.Runes) > 1 {
		return m.typeAhead(msg)
	}
	if key.Matches(msg, m.keys.Help) && (m.stage == stageRun || !m.tooSmall()) {
		m.help.ShowAll = !m.help.ShowAll
		m.resize()
		return nil
	}
	if m.stage == stageRun {
		// The run screen decides about ctrl+c itself (refused while the
		// SPOT is built).
		return m.run.Update(msg)
	}
	if key.Matches(msg, m.keys.Quit) {
		if m.stage == stageBrowse && m.browse.Busy() && !m.browse.RefuseQuit() {
			return nil // the browser says why; a third ctrl+c quits
		}
		m.result.Interrupted = true
		return m.quit()
	}
	if m.tooSmall() {
		return nil // keys to an invisible screen would surprise
	}
	return m.stageKey(msg)
}

// stageKey gives a key to the view of the stage shown.
func (m *Model) stageKey(msg tea.KeyMsg) tea.Cmd {
	switch m.stage {
	case stageBrowse:
		return m.browse.Update(msg)
	case stageJobs:
		return m.jobs.Update(msg)
	case stageHome:
		return m.homeKey(msg)
	case stageLoading:
		switch {
		case key.Matches(msg, m.c.Keys.Loading.Retry) && m.from.Err != nil:
			return m.loadFrom()
		case key.Matches(msg, m.keys.Back):
			return m.quit()
		}
	case stageWizard:
		st := m.steps[m.active]
		if key.Matches(msg, m.keys.Back) && !st.Capturing() {
			return m.back()
		}
		return st.Update(msg)
	}
	return nil
}

func (m *Model) tooSmall() bool { return m.sized && ui.TooSmall(m.width, m.height) }

// typeAhead handles keys typed faster than Bubble Tea reads them (over a
// slow SSH link "/73" arrives as one message, which matches no binding):
// one key at a time, as if typed slowly. Pastes stay whole.
func (m *Model) typeAhead(k tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range k.Runes {
		cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
	}
	return tea.Batch(cmds...)
}

func (m *Model) quit() tea.Cmd {
	m.result.Quit = true // the screen stays as it was: the alt screen ends anyway
	return tea.Quit
}

// homeKey does what the home screen's choice asks.
func (m *Model) homeKey(msg tea.KeyMsg) tea.Cmd {
	switch m.home.update(msg) {
	case homeCreate:
		m.stage, m.fromHome = stageWizard, true
		return m.enter(StepName)
	case homeBrowse:
		return m.openBrowse()
	case homeJobs:
		return m.openJobs()
	case homeQuit:
		return m.quit()
	}
	return nil
}

// ---- the wizard ----

func (m *Model) loadFrom() tea.Cmd {
	m.stage = stageLoading
	n, name := m.cfg.Env.NIM, m.cfg.From
	return tea.Batch(m.from.Start(), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
		defer cancel()
		o, err := n.Osimage(ctx, name)
		return osimageMsg{o, err}
	})
}

// gotFrom opens the wizard prefilled from the --from osimage.
func (m *Model) gotFrom(msg osimageMsg) tea.Cmd {
	m.from.Finish(msg.err)
	if msg.err != nil {
		return nil
	}
	m.plan = nim.PlanFromOsimage(msg.o).WithDefaults()
	m.plan.Name = "" // that name is taken; the name step suggests a free one
	m.name.Base = msg.o.Name
	m.stage = stageWizard
	return m.enter(StepName)
}

// recreate opens a fresh wizard (steps prefill only on their first Enter)
// prefilled from the browser's osimage.
func (m *Model) recreate(msg browse.RecreateMsg) tea.Cmd {
	m.buildSteps()
	m.plan = nim.PlanFromOsimage(msg.Osimage).WithDefaults()
	if !msg.Replace {
		m.plan.Name = "" // that name is taken; the name step suggests a free one
		m.name.Base = msg.Osimage.Name
	}
	m.stage, m.fromBrowse, m.fromHome = stageWizard, true, false
	return m.enter(StepName)
}

// wizard moves between the steps as they ask.
func (m *Model) wizard(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case steps.NextMsg:
		if m.stage != stageWizard || (msg.From != nil && msg.From != m.steps[m.active]) {
			return nil
		}
		m.plan = m.steps[m.active].Apply(m.plan)
		if m.toPreview || m.active+1 >= len(m.steps) {
			return m.enter(StepPreview)
		}
		return m.enter(m.active + 1)
	case steps.GotoMsg:
		if msg.Index < 0 || msg.Index >= StepPreview {
			return nil
		}
		cmd := m.enter(msg.Index)
		m.toPreview = true
		return cmd
	case steps.CreateMsg:
		m.plan = msg.Plan
		if m.cfg.OnCreate == nil {
			// No run screen wired: keep the plan for `nimwiz apply`.
			return m.prev.PromptSave("Saving the plan: run it afterwards with " + hint.Command("apply", "FILE") + ".")
		}
		m.run = run.New(m.c, m.cfg.Run)
		m.run.Starting(msg.Plan)
		m.stage = stageRun
		m.resize()
		return m.cfg.OnCreate(msg.Plan)
	case steps.SavedMsg:
		m.plan = msg.Plan
		m.result.SavedPath = msg.Path // the preview says where; the wizard goes on
		return nil
	}
	return nil
}

// enter shows step i.
func (m *Model) enter(i int) tea.Cmd {
	m.active = i
	if i == StepPreview {
		m.toPreview = false
		var notes []string
		for _, s := range m.steps[:StepPreview] {
			notes = append(notes, s.Warnings()...)
		}
		m.prev.SetNotes(notes)
	}
	m.resize()
	return m.steps[i].Enter(m.plan)
}

// back goes one step back, keeping every answer; from the first step back
// to the home screen when the wizard was started there.
func (m *Model) back() tea.Cmd {
	if m.active == StepPreview && m.toPreview {
		m.toPreview = false
	}
	if m.active > 0 {
		return m.enter(m.active - 1)
	}
	if m.fromBrowse && m.browse != nil {
		m.stage = stageBrowse
		m.resize()
		return m.browse.Init() // the wizard may follow a removal: fresh list
	}
	if m.fromHome {
		m.stage = stageHome
		m.resize()
	}
	return nil
}

// ---- the browser and the run screen ----

// openBrowse shows a fresh browser, which loads the list.
func (m *Model) openBrowse() tea.Cmd {
	m.stage = stageBrowse
	m.browse = browse.New(m.c, browse.Env{NIM: m.cfg.Services.NIM, Run: m.cfg.Services.Run, Jobs: m.cfg.Services.Jobs,
		Root: m.cfg.Env.Root, FreeSpace: m.cfg.Env.FreeSpace, CanStart: m.cfg.OnCreate != nil})
	m.resize()
	return m.browse.Init()
}

// startFromBrowse runs the browser's copy or update as a job on the run
// screen, as the wizard's create is (OnCreate starts any kind of plan).
func (m *Model) startFromBrowse(msg browse.StartMsg) tea.Cmd {
	if m.stage != stageBrowse || m.cfg.OnCreate == nil {
		return nil // no run screen wired: the browser has shown the command
	}
	p := msg.Plan
	m.plan = p
	m.run = run.New(m.c, m.cfg.Run)
	m.run.Starting(p)
	m.run.Ran(msg.Ran, msg.Undo)
	m.stage, m.runFromBrowse = stageRun, true
	m.resize()
	return m.cfg.OnCreate(p)
}

// openRun shows the run screen following job id.
func (m *Model) openRun(id string) tea.Cmd {
	m.run = run.New(m.c, m.cfg.Run)
	m.stage = stageRun
	cmd := m.run.Attach(id)
	m.resize()
	return cmd
}

// openJobs shows the Jobs screen: every job, to open any of them.
func (m *Model) openJobs() tea.Cmd {
	cfg := m.cfg.Jobs
	if cfg.List == nil && m.cfg.Run.Store != nil {
		cfg.List = m.cfg.Run.Store.List
	}
	if cfg.List == nil {
		m.home.note = "No job store. Meanwhile: nimwiz jobs."
		return nil
	}
	if cfg.Now == nil {
		cfg.Now = m.cfg.Run.Now
	}
	m.jobs = jobs.New(m.c, cfg)
	m.stage = stageJobs
	m.resize()
	return tea.Batch(m.jobs.Init(), m.jobs.Pause(false))
}

// signal is a signal nimwiz received: the run screen's to answer; before
// a job runs nothing has changed on the master, so it quits as ctrl+c.
func (m *Model) signal(msg run.SignalMsg) tea.Cmd {
	if m.stage == stageRun {
		return m.run.Update(msg)
	}
	m.result.Interrupted = msg.Sig != syscall.SIGHUP
	return m.quit()
}
