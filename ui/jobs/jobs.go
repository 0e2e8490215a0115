// Package jobs is the Jobs screen: every mknimimage job the state directory
// holds (running, settling, ended, lost, unreadable) with its kind,
// osimage, state, phase and times, newest first; Enter opens one on the
// run screen (the root's job: OpenMsg), esc or q goes back.
package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/ui"
)

// Config is what the screen needs.
type Config struct {
	List func() ([]job.Record, error) // job.Store.List
	Now  func() time.Time             // nil: time.Now
	Loc  *time.Location               // nil: time.Local
	// Every is how often the list is read again while shown (0: only on
	// r and when the screen is opened or returned to).
	Every time.Duration
}

// OpenMsg asks the root to show job ID on the run screen.
type OpenMsg struct{ ID string }

// BackMsg asks the root to go back (home).
type BackMsg struct{}

type listedMsg struct {
	recs []job.Record
	err  error
}

// refreshMsg is the timed re-read of one screen (gen).
type refreshMsg struct{ gen int }

// gens tells apart the refresh ticks of screens made one after another.
var gens int

// Model is the Jobs screen.
type Model struct {
	c      ui.Common
	cfg    Config
	keys   ui.JobsKeys
	recs   []job.Record
	err    error
	loaded bool
	cur    int
	top    int
	gen    int
	paused bool
}

// New returns the screen, paused; Init loads the list, Pause(false) starts
// the timed re-reads.
func New(c ui.Common, cfg Config) *Model {
	gens++
	return &Model{c: c, cfg: cfg, keys: c.Keys.Jobs, gen: gens, paused: true}
}

// Pause stops (true) or resumes the timed re-reads: the root pauses them
// while the screen is not shown.
func (m *Model) Pause(on bool) tea.Cmd {
	was := m.paused
	m.paused = on
	if was && !on {
		return m.tick()
	}
	return nil
}

func (m *Model) tick() tea.Cmd {
	if m.cfg.Every <= 0 || m.paused {
		return nil
	}
	gen := m.gen
	return tea.Tick(m.cfg.Every, func(time.Time) tea.Msg { return refreshMsg{gen} })
}

// Init (and r) reads the job store.
func (m *Model) Init() tea.Cmd {
	list := m.cfg.List
	return func() tea.Msg {
		if list == nil {
			return listedMsg{err: fmt.Errorf("no job store")}
		}
		recs, err := list()
		return listedMsg{recs, err}
	}
}

// SetSize is the body's size.
func (m *Model) SetSize(w, h int) { m.c.Width, m.c.Height = w, h }

// Where is the header's right side.
func (m *Model) Where() string {
	if !m.loaded {
		return ""
	}
	run := 0
	for _, r := range m.recs {
		if r.Busy() {
			run++
		}
	}
	return fmt.Sprintf("%d jobs, %d busy", len(m.recs), run)
}

// Selected is the job under the cursor ("" when none).
func (m *Model) Selected() string {
	if m.cur < len(m.recs) {
		return m.recs[m.cur].ID
	}
	return ""
}

// Update takes the screen's keys and its list.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case refreshMsg:
		if msg.gen != m.gen || m.paused {
			return nil // an old screen's, or hidden: Pause(false) starts again
		}
		return tea.Batch(m.Init(), m.tick())
	case listedMsg:
		sel := m.Selected()
		m.recs, m.err, m.loaded = msg.recs, msg.err, true
		m.cur = 0
		for i, r := range m.recs {
			if r.ID == sel {
				m.cur = i
			}
		}
		return nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return func() tea.Msg { return BackMsg{} }
		case key.Matches(msg, m.keys.Refresh):
			return m.Init()
		case key.Matches(msg, m.keys.Up):
			m.cur = max(m.cur-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.cur = max(min(m.cur+1, len(m.recs)-1), 0)
		case key.Matches(msg, m.keys.Open):
			if id := m.Selected(); id != "" {
				return func() tea.Msg { return OpenMsg{ID: id} }
			}
		}
	}
	return nil
}

// ShortHelp is the help line.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Open, m.keys.Up, m.keys.Down, m.keys.Refresh, m.keys.Back}
}

// FullHelp is the "?" help.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func (m *Model) now() time.Time {
	if m.cfg.Now != nil {
		return m.cfg.Now()
	}
	return time.Now()
}

func (m *Model) stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	loc := m.cfg.Loc
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("01-02 15:04")
}

// took is how long a job ran (so far, when it runs).
func (m *Model) took(r job.Record) string {
	end := r.Ended
	if end.IsZero() {
		if r.State.Ended() || r.Started.IsZero() {
			return "-"
		}
		end = m.now()
	}
	d := end.Sub(r.Started)
	switch {
	case d < 0:
		return "-"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// State is how the screen words a job's state (also the run screen's).
func State(r job.Record) string {
	s := string(r.State)
	switch {
	case r.State == job.StateFailed && r.ExitCode > 0:
		s = fmt.Sprintf("failed (%d)", r.ExitCode)
	case r.State == job.StateInterrupted && r.Interrupted.IsZero():
		s = "interrupted (not by nimwiz)"
	}
	if r.Settling {
		s += ", settling"
	}
	return s
}

func kind(r job.Record) string {
	if r.State == job.StateUnreadable {
		return "?"
	}
	return r.Plan.PlanKind().String()
}

func name(r job.Record) string {
	if r.Name == "" {
		return "(" + r.ID + ")"
	}
	return r.Name
}

// View draws the list: one row per job (two below 100 columns), the row
// under the cursor marked, every cell elided with "..." where it is cut.
func (m *Model) View() string {
	s, w := m.c.Styles, m.c.Width
	if !m.loaded {
		return s.Subtle.Render("Reading the jobs...")
	}
	if m.err != nil {
		return s.Error.Render(ui.Elide("Could not read the jobs: "+termtext.String(m.err.Error()), w)) + "\n" + s.Subtle.Render("r reads them again.")
	}
	if len(m.recs) == 0 {
		return ui.Wrap(s.Subtle, "No mknimimage jobs yet: create an osimage from Home.", w)
	}
	const kindW, stateW, startW, tookW = 7, 16, 12, 6
	wide := w >= 100
	nameW := w - 2 - kindW - startW - tookW
	phaseW := 0
	if wide {
		nameW = 24
		phaseW = w - 2 - kindW - nameW - stateW - startW - tookW
	}
	// cell is v in n cells, the last one a space between columns.
	cell := func(v string, n int) string {
		v = ui.Elide(termtext.String(v), n-1)
		return v + strings.Repeat(" ", max(0, n-lipgloss.Width(v)))
	}
	head := "  " + cell("KIND", kindW) + cell("OSIMAGE", nameW)
	if wide {
		head += cell("STATE", stateW) + cell("PHASE", phaseW)
	}
	lines := []string{s.Subtle.Render(head + cell("STARTED", startW) + "TOOK")}
	per := 1
	if !wide {
		per = 2
	}
	rows := max(1, (m.c.Height-5)/per) // the heading, "(x-y of n)", a blank and the footer
	if len(m.recs) <= rows {
		rows = max(1, (m.c.Height-3)/per)
	}
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+rows {
		m.top = m.cur - rows + 1
	}
	for i := m.top; i < len(m.recs) && i < m.top+rows; i++ {
		r := m.recs[i]
		mark, st := "  ", s.Item
		if i == m.cur {
			mark, st = "> ", s.Selected
		}
		stateSt := s.Item
		switch {
		case r.State == job.StateSucceeded:
			stateSt = s.OK
		case r.Busy():
			stateSt = s.Warning
		case r.State.Ended():
			stateSt = s.Error
		}
		times := cell(m.stamp(r.Started), startW) + m.took(r)
		if wide {
			lines = append(lines, st.Render(mark+cell(kind(r), kindW)+cell(name(r), nameW))+stateSt.Render(cell(State(r), stateW))+
				s.Item.Render(cell(r.PhaseText(), phaseW)+times))
			continue
		}
		state := ui.Elide(termtext.String(State(r)), w-9-12)
		in := ""
		if p := r.PhaseText(); p != "" {
			in = ui.Elide(" in "+termtext.String(p), w-9-lipgloss.Width(state))
		}
		lines = append(lines, st.Render(mark+cell(kind(r), kindW)+cell(name(r), nameW))+s.Item.Render(times),
			"         "+stateSt.Render(state)+s.Subtle.Render(in))
	}
	if len(m.recs) > rows {
		lines = append(lines, s.Subtle.Render(fmt.Sprintf("(%d-%d of %d)", m.top+1, min(m.top+rows, len(m.recs)), len(m.recs))))
	}
	r := m.recs[m.cur]
	if r.State == job.StateUnreadable {
		lines = append(lines, "", s.Error.Render(ui.Elide("unreadable: "+termtext.String(r.Error), w)))
	} else {
		lines = append(lines, "", s.Subtle.Render(ui.Elide("job "+r.ID, w)))
	}
	return strings.Join(lines, "\n")
}
