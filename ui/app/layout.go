package app

import (
	"fmt"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Layout: the header, the active view in the body (sized to what the
// header and the help line leave), a blank line, the help line.

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
		body = m.home.view(w)
	case stageLoading:
		body = m.from.View(m.c.Styles, w, "r")
	case stageWizard:
		body = m.steps[m.active].View()
	case stageBrowse:
		body = m.browse.View()
	case stageRun:
		body = m.run.View()
	case stageJobs:
		body = m.jobs.View()
	}
	// The last line of defence (termtext.KeepSGR): whatever a view let
	// through, only colour sequences reach the terminal; the body is cut to
	// the width after its controls were made visible.
	return termtext.KeepSGR(m.headerView() + "\n" + ui.Fit(termtext.KeepSGR(body), w, h) + "\n\n" + m.helpView())
}

func (m *Model) headerView() string {
	c := m.c
	c.Width = m.width
	title, where := "Home", ""
	switch m.stage {
	case stageWizard:
		title = "Create an osimage"
		where = fmt.Sprintf("step %d of %d: %s", m.active+1, len(m.steps), m.steps[m.active].Title())
	case stageLoading:
		title = "Create an osimage"
	case stageBrowse:
		title, where = "Browse osimages", m.browse.Where()
	case stageRun:
		title, where = m.run.Title(), m.run.Where()
	case stageJobs:
		title, where = "Jobs", m.jobs.Where()
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
	return m.width, max(h, 1)
}

// resize gives every view the body size.
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
	if m.jobs != nil {
		m.jobs.SetSize(w, h)
	}
}

// DoneMessage is what the caller prints after the program ended with a
// saved plan.
func DoneMessage(r Result) string {
	if r.SavedPath == "" {
		return ""
	}
	return fmt.Sprintf("The plan is ready: run `%s` to create osimage %s.", wizard.ApplyCommand(r.SavedPath), r.Plan.Name)
}

// keyMap merges the active view's keys with the global ones for help.
func (m *Model) keyMap() keyMap {
	var view help.KeyMap = loadingKeys{}
	back := m.keys.Back
	switch m.stage {
	case stageHome:
		view = m.home
		back.SetEnabled(false)
	case stageWizard:
		view = m.steps[m.active]
		// A view with its own esc has it in its help.
		back.SetEnabled((m.active > 0 || m.fromHome || m.fromBrowse) && !m.steps[m.active].Capturing())
	case stageBrowse:
		view = m.browse
		back.SetEnabled(!m.browse.Capturing())
	case stageLoading:
		view = loadingKeys{m.c.Keys.Loading, m.from.Err != nil}
	case stageJobs:
		view = m.jobs
		back.SetEnabled(false) // its own esc/q
	case stageRun:
		// ctrl+c and esc mean what the run screen says they mean.
		return keyMap{view: m.run, global: []key.Binding{m.keys.Help}}
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

func (k keyMap) ShortHelp() []key.Binding  { return append(k.view.ShortHelp(), k.global...) }
func (k keyMap) FullHelp() [][]key.Binding { return append(k.view.FullHelp(), k.global) }

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
