// Package app is nimwiz's root model: the home screen, and the router
// between the wizard's steps. It owns the plan the steps fill in, the
// global keys (taken before any step sees them), and the layout: header,
// the active view sized to what is left, and the help line.
package app

import (
	"context"
	"fmt"
	"strings"
	"syscall"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/run"
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

// Config is what the root model needs from the command line.
type Config struct {
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
	// Browse is what the osimage browser asks and runs. Unset fields are
	// taken from Env.NIM when it can serve them (*nim.Client can ask).
	Browse browse.Env
	// Run configures the run screen (shown after OnCreate's job started,
	// with StartRun, and from the home screen's Jobs entry).
	Run run.Config
	Job string // with StartRun: the job to follow
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
	stageDone
	stageBrowse
	stageRun
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
	browse     *browse.Model
	run        *run.Model // the run screen, once shown
	result     Result
	width      int
	height     int
	sized      bool
}

type osimageMsg struct {
	o   nim.Osimage
	err error
}

// New builds the root model.
func New(cfg Config) *Model {
	c := ui.NewCommon()
	c.Demo = cfg.Demo
	if cfg.Env.Debounce == 0 {
		cfg.Env.Debounce = steps.DefaultDebounce
	} else if cfg.Env.Debounce < 0 {
		cfg.Env.Debounce = 0 // tests: check at once
	}
	m := &Model{cfg: cfg, c: c, keys: c.Keys.Global, help: ui.NewHelp(c.Styles), home: newHome(c.Keys.Home)}
	m.from = ui.NewLoader("osimage " + cfg.From + " (lsdef -t osimage)")
	if m.cfg.Browse.NIM == nil {
		m.cfg.Browse.NIM, _ = cfg.Env.NIM.(browse.NIM)
	}
	if m.cfg.Browse.Run == nil {
		m.cfg.Browse.Run, _ = cfg.Env.NIM.(browse.Runner)
	}
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

// openBrowse shows a fresh browser, which loads the list.
func (m *Model) openBrowse() tea.Cmd {
	m.stage = stageBrowse
	m.browse = browse.New(m.c, m.cfg.Browse)
	m.resize()
	return m.browse.Init()
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

// Layout: header, body, a blank line, help.
func (m *Model) headerView() string {
	c := m.c
	c.Width = m.width
	title, where := "Home", ""
	switch m.stage {
	case stageWizard:
		title = "Create an osimage"
		where = fmt.Sprintf("step %d of %d: %s", m.active+1, len(m.steps), m.steps[m.active].Title())
	case stageLoading, stageDone:
		title = "Create an osimage"
	case stageBrowse:
		title, where = "Browse osimages", m.browse.Where()
	case stageRun:
		title, where = m.run.Title(), m.run.Where()
	}
	return ui.Header(c, title, where)
}

// helpView renders the help line. The short form keeps the global keys
// and drops the view's last ones until it fits ("?" shows them all); the
// bubbles help's own truncation can overflow the width.
func (m *Model) helpView() string {
	km := m.keyMap()
	if m.help.ShowAll {
		m.help.Width = m.width
		return m.help.View(km)
	}
	m.help.Width = 0
	var view []key.Binding
	for _, b := range km.view.ShortHelp() {
		if b.Enabled() && !sameHelp(b, km.global) {
			view = append(view, b)
		}
	}
	for n := len(view); ; n-- {
		line := m.help.ShortHelpView(append(append([]key.Binding{}, view[:n]...), km.global...))
		if n == 0 || lipgloss.Width(line) <= m.width {
			return ui.Truncate(line, m.width)
		}
	}
}

func (m *Model) bodySize() (int, int) {
	h := m.height - lipgloss.Height(m.headerView()) - lipgloss.Height(m.helpView()) - 1
	if h < 1 {
		h = 1
	}
	return m.width, h
}

func (m *Model) resize() {
	if !m.sized {
		return
	}
	w, h := m.bodySize()
	for _, s := range m.steps {
		s.SetSize(w, h)
	}
	if m.browse != nil {
		m.browse.SetSize(w, h)
	}
	if m.run != nil {
		m.run.SetSize(w, h)
	}
}

func (m *Model) quit() (tea.Model, tea.Cmd) {
	m.result.Quit = true // the screen stays as it was: the alt screen ends anyway
	return m, tea.Quit
}

// typeAhead handles keys typed faster than Bubble Tea reads them (over a
// slow SSH link "/73" arrives as one message, which matches no binding):
// one key at a time, as if typed slowly. Pastes stay whole.
func (m *Model) typeAhead(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	for _, r := range k.Runes {
		_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height, m.sized = msg.Width, msg.Height, true
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && !msg.Paste && len(msg.Runes) > 1 {
			return m.typeAhead(msg)
		}
		// The run screen decides about ctrl+c itself (refused while the
		// SPOT is built); only the help toggle is global there.
		if m.stage == stageRun {
			if key.Matches(msg, m.keys.Help) {
				m.help.ShowAll = !m.help.ShowAll
				m.resize()
				return m, nil
			}
			return m, m.run.Update(msg)
		}
		// Global keys first: an embedded field must not swallow ctrl+c.
		if key.Matches(msg, m.keys.Quit) {
			if m.stage == stageBrowse && m.browse.Busy() && !m.browse.RefuseQuit() {
				return m, nil // the browser says why; a third ctrl+c quits
			}
			m.result.Interrupted = true
			return m.quit()
		}
		if m.sized && ui.TooSmall(m.width, m.height) {
			return m, nil // keys to an invisible screen would surprise
		}
		if key.Matches(msg, m.keys.Help) {
			m.help.ShowAll = !m.help.ShowAll
			m.resize()
			return m, nil
		}
		switch m.stage {
		case stageBrowse:
			return m, m.browse.Update(msg)
		case stageHome:
			return m.updateHome(msg)
		case stageLoading:
			if key.Matches(msg, m.c.Keys.Loading.Retry) && m.from.Err != nil {
				return m, m.loadFrom()
			}
			if key.Matches(msg, m.keys.Back) {
				return m.quit()
			}
			return m, nil
		case stageWizard:
			st := m.steps[m.active]
			if key.Matches(msg, m.keys.Back) && !st.Capturing() {
				return m, m.back()
			}
			return m, st.Update(msg)
		}
		return m, nil
	case osimageMsg:
		m.from.Finish(msg.err)
		if msg.err != nil {
			return m, nil
		}
		m.plan = nim.PlanFromOsimage(msg.o).WithDefaults()
		m.plan.Name = "" // that name is taken; the name step suggests a free one
		m.name.Base = msg.o.Name
		m.stage = stageWizard
		return m, m.enter(StepName)
	case browse.BackMsg:
		m.stage = stageHome
		m.browse = nil
		m.resize()
		return m, nil
	case browse.RecreateMsg:
		// A fresh wizard: steps prefill only on their first Enter.
		m.buildSteps()
		m.plan = nim.PlanFromOsimage(msg.Osimage).WithDefaults()
		if !msg.Replace {
			m.plan.Name = "" // that name is taken; the name step suggests a free one
			m.name.Base = msg.Osimage.Name
		}
		m.stage, m.fromBrowse, m.fromHome = stageWizard, true, false
		return m, m.enter(StepName)
	case steps.NextMsg:
		if m.stage != stageWizard {
			return m, nil
		}
		m.plan = m.steps[m.active].Apply(m.plan)
		if m.toPreview || m.active+1 >= len(m.steps) {
			return m, m.enter(StepPreview)
		}
		return m, m.enter(m.active + 1)
	case steps.GotoMsg:
		if msg.Index >= 0 && msg.Index < StepPreview {
			cmd := m.enter(msg.Index)
			m.toPreview = true
			return m, cmd
		}
		return m, nil
	case steps.CreateMsg:
		m.plan = msg.Plan
		if m.cfg.OnCreate != nil {
			m.run = run.New(m.c, m.cfg.Run)
			m.run.Starting(msg.Plan)
			m.stage = stageRun
			m.resize()
			return m, m.cfg.OnCreate(msg.Plan)
		}
		// No run screen wired yet: keep the plan for `nimwiz apply`.
		return m, m.prev.PromptSave("Saving the plan: run it afterwards with nimwiz apply.")
	case run.SignalMsg:
		if m.stage == stageRun {
			return m, m.run.Update(msg)
		}
		// Nothing has changed on the master yet: a signal quits as ctrl+c.
		m.result.Interrupted = msg.Sig != syscall.SIGHUP
		return m.quit()
	case run.BackMsg:
		if m.stage == stageRun {
			m.stage = stageWizard
			return m, m.enter(StepPreview)
		}
		return m, nil
	case steps.SavedMsg:
		m.plan = msg.Plan
		m.result.SavedPath = msg.Path
		m.stage = stageDone
		return m, tea.Quit
	}
	// Everything else (query results, spinner ticks, cursor blinks) goes to
	// every step: each takes only its own.
	var cmds []tea.Cmd
	cmds = append(cmds, m.from.Update(msg))
	if m.browse != nil {
		cmds = append(cmds, m.browse.Update(msg))
	}
	for _, s := range m.steps {
		cmds = append(cmds, s.Update(msg))
	}
	if m.run != nil {
		cmds = append(cmds, m.run.Update(msg))
	}
	return m, tea.Batch(cmds...)
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

func (m *Model) View() string {
	if !m.sized {
		return ""
	}
	if ui.TooSmall(m.width, m.height) {
		return ui.TooSmallView(m.c.Styles, m.width, m.height)
	}
	w, h := m.bodySize()
	var body string
	switch m.stage {
	case stageHome:
		body = m.home.view(m.c.Styles, w)
	case stageLoading:
		body = m.from.View(m.c.Styles, w, "r")
	case stageWizard:
		body = m.steps[m.active].View()
	case stageDone:
		body = m.doneView()
	case stageBrowse:
		body = m.browse.View()
	case stageRun:
		body = m.run.View()
	}
	// The last line of defence (termtext.KeepSGR): whatever a view let
	// through, only colour sequences reach the terminal; the body is cut to
	// the width after its controls were made visible.
	return termtext.KeepSGR(m.headerView() + "\n" + ui.Fit(termtext.KeepSGR(body), w, h) + "\n\n" + m.helpView())
}

// DoneMessage is what the caller prints after the program ended with a
// saved plan.
func DoneMessage(r Result) string {
	if r.SavedPath == "" {
		return ""
	}
	return fmt.Sprintf("The plan is ready: run `nimwiz apply %s` to create osimage %s.", r.SavedPath, r.Plan.Name)
}

func (m *Model) doneView() string {
	if msg := DoneMessage(m.Result()); msg != "" {
		return m.c.Styles.OK.Render(msg)
	}
	return m.c.Styles.Subtle.Render("Nothing was changed on the NIM master.")
}

// keyMap merges the active view's keys with the global ones for help.
func (m *Model) keyMap() keyMap {
	var view help.KeyMap
	back := m.keys.Back
	switch m.stage {
	case stageHome:
		view = m.home.keys
		back.SetEnabled(false)
	case stageWizard:
		view = m.steps[m.active]
		back.SetEnabled(m.active > 0 || m.fromHome || m.fromBrowse)
		if m.steps[m.active].Capturing() {
			back.SetEnabled(false) // the view's own esc is in its help
		}
	case stageBrowse:
		view = m.browse
		back.SetEnabled(!m.browse.Capturing())
	case stageLoading:
		view = loadingKeys{m.c.Keys.Loading, m.from.Err != nil}
	case stageRun:
		// ctrl+c and esc mean what the run screen says they mean.
		return keyMap{view: m.run, global: []key.Binding{m.keys.Help}}
	default:
		view = loadingKeys{}
	}
	return keyMap{view: view, global: []key.Binding{back, m.keys.Help, m.keys.Quit}}
}

// sameHelp reports whether b says what one of the global bindings says: a
// view with its own "esc back" must not show it twice.
func sameHelp(b key.Binding, global []key.Binding) bool {
	for _, g := range global {
		if g.Enabled() && g.Help() == b.Help() {
			return true
		}
	}
	return false
}

type keyMap struct {
	view   help.KeyMap
	global []key.Binding
}

func (k keyMap) ShortHelp() []key.Binding { return append(k.view.ShortHelp(), k.global...) }
func (k keyMap) FullHelp() [][]key.Binding {
	return append(k.view.FullHelp(), k.global)
}

type loadingKeys struct {
	ui.LoadingKeys
	retry bool
}

func (k loadingKeys) ShortHelp() []key.Binding {
	if k.retry {
		return []key.Binding{k.Retry}
	}
	return nil
}
func (k loadingKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// home is the home screen's menu.
type home struct {
	keys homeKeys
	cur  int
	note string
}

type homeKeys struct{ ui.HomeKeys }

func (k homeKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Choose} }
func (k homeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{append(k.ShortHelp(), k.Quit)} }

var homeItems = []struct{ title, what string }{
	{"Create an osimage", "define a diskless or dataless osimage, step by step"},
	{"Browse osimages", "the osimages this master has: details, re-create, remove"},
	{"Jobs", "follow the running mknimimage job, or review the last one"},
	{"Quit", ""},
}

const (
	homeCreate = iota
	homeBrowse
	homeJobs
	homeQuit
)

func newHome(keys ui.HomeKeys) home { return home{keys: homeKeys{keys}} }

func (m *Model) updateHome(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	h := &m.home
	switch {
	case key.Matches(msg, h.keys.Up):
		if h.cur > 0 {
			h.cur--
		}
		h.note = ""
	case key.Matches(msg, h.keys.Down):
		if h.cur < len(homeItems)-1 {
			h.cur++
		}
		h.note = ""
	case key.Matches(msg, h.keys.Quit):
		return m.quit()
	case key.Matches(msg, h.keys.Choose):
		switch h.cur {
		case homeCreate:
			m.stage, m.fromHome = stageWizard, true
			return m, m.enter(StepName)
		case homeBrowse:
			return m, m.openBrowse()
		case homeJobs:
			return m.openJobs()
		case homeQuit:
			return m.quit()
		}
	}
	return m, nil
}

func (h home) view(s *ui.Styles, width int) string {
	var b strings.Builder
	b.WriteString(s.Heading.Render("What would you like to do?") + "\n\n")
	for i, it := range homeItems {
		line := "  " + fmt.Sprintf("%-20s", it.title) + it.what
		if i == h.cur {
			b.WriteString(s.Selected.Render("> "+line[2:]) + "\n")
		} else {
			b.WriteString(s.Item.Render(line) + "\n")
		}
	}
	b.WriteString("\n" + ui.Wrap(s.Subtle, "nimwiz builds xCAT osimages for diskless and dataless AIX nodes with mknimimage. It explains each choice, and nothing changes on the NIM master until you confirm the final preview.", min(width, 100)))
	if h.note != "" {
		b.WriteString("\n\n" + ui.Wrap(s.Warning, h.note, min(width, 100)))
	}
	return b.String()
}

// openRun shows the run screen following job id.
func (m *Model) openRun(id string) tea.Cmd {
	m.run = run.New(m.c, m.cfg.Run)
	m.stage = stageRun
	cmd := m.run.Attach(id)
	m.resize()
	return cmd
}

// openJobs opens the newest running job, else the newest job.
func (m *Model) openJobs() (tea.Model, tea.Cmd) {
	h := &m.home
	if m.cfg.Run.Store == nil {
		h.note = "No job store. Meanwhile: nimwiz jobs."
		return m, nil
	}
	all, err := m.cfg.Run.Store.List()
	if err != nil {
		h.note = "error: " + err.Error()
		return m, nil
	}
	if len(all) == 0 {
		h.note = "No mknimimage jobs yet: create an osimage first."
		return m, nil
	}
	id := all[0].ID
	for _, r := range all {
		if !r.State.Ended() {
			id = r.ID
			break
		}
	}
	return m, m.openRun(id)
}
