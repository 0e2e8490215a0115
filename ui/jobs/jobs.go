// Package jobs is the Jobs screen: every mknimimage job of this master
// (running, settling, ended, lost, unreadable) with its kind, osimage,
// state, phase and times; Enter opens one on the run screen (ui/run). It
// only reads job records (job.Store.List).
package jobs

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/ui"
)

// OpenMsg asks the root to show job ID on the run screen.
type OpenMsg struct{ ID string }

// BackMsg asks the root to go back to the home screen.
type BackMsg struct{}

type listMsg struct {
	recs []job.Record
	err  error
}

// Config is what the screen reads.
type Config struct {
	Store *job.Store
	Now   func() time.Time // nil: time.Now
	Loc   *time.Location   // times are shown in it; nil: time.Local
}

// Model is the Jobs screen.
type Model struct {
	c      ui.Common
	keys   ui.JobsKeys
	cfg    Config
	recs   []job.Record
	err    error
	loaded bool
	cur    int
	top    int
	width  int
	height int
}

// New returns the screen; Init loads the list.
func New(c ui.Common, cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Loc == nil {
		cfg.Loc = time.Local
	}
	return &Model{c: c, keys: c.Keys.Jobs, cfg: cfg}
}

// Init loads the jobs.
func (m *Model) Init() tea.Cmd {
	store := m.cfg.Store
	return func() tea.Msg {
		if store == nil {
			return listMsg{err: fmt.Errorf("no job store")}
		}
		recs, err := store.List()
		return listMsg{recs, err}
	}
}

// SetSize sets the body's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Update takes the list and the screen's keys.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case listMsg:
		id := m.selected()
		m.recs, m.err, m.loaded = msg.recs, msg.err, true
		m.cur = 0
		for i, r := range m.recs {
			if r.ID == id {
				m.cur = i
			}
		}
		return nil
	case tea.KeyMsg:
		n := len(m.recs)
		switch {
		case key.Matches(msg, m.keys.Back):
			return func() tea.Msg { return BackMsg{} }
		case key.Matches(msg, m.keys.Refresh):
			return m.Init()
		case key.Matches(msg, m.keys.Open):
			if id := m.selected(); id != "" {
				return func() tea.Msg { return OpenMsg{ID: id} }
			}
		case key.Matches(msg, m.keys.Up):
			m.cur = max(m.cur-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.cur = max(min(m.cur+1, n-1), 0)
		case key.Matches(msg, m.keys.PgUp):
			m.cur = max(m.cur-m.rows(), 0)
		case key.Matches(msg, m.keys.PgDown):
			m.cur = max(min(m.cur+m.rows(), n-1), 0)
		case key.Matches(msg, m.keys.Home):
			m.cur = 0
		case key.Matches(msg, m.keys.End):
			m.cur = max(n-1, 0)
		}
	}
	return nil
}

func (m *Model) selected() string {
	if m.cur < len(m.recs) {
		return m.recs[m.cur].ID
	}
	return ""
}

// Where is the header's right side.
func (m *Model) Where() string {
	if !m.loaded || m.err != nil {
		return ""
	}
	return fmt.Sprintf("%d job(s)", len(m.recs))
}

// ShortHelp is the help line.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Open, m.keys.Back, m.keys.Up, m.keys.Down, m.keys.Refresh}
}

// FullHelp is every key.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.ShortHelp(), {m.keys.PgUp, m.keys.PgDown, m.keys.Home, m.keys.End}}
}

// detailLines is how many lines the selected job's details take.
const detailLines = 5

// rows is how many jobs the list shows at once.
func (m *Model) rows() int { return max(m.height-2-detailLines-1, 1) }

// View draws the list (a heading, one line per job) and the selected
// job's details.
func (m *Model) View() string {
	s := m.c.Styles
	w := m.width
	switch {
	case !m.loaded:
		return s.Subtle.Render("Reading the jobs...")
	case m.err != nil:
		return ui.Wrap(s.Error, "Cannot read the jobs: "+termtext.String(m.err.Error())+". Press r to try again.", w)
	case len(m.recs) == 0:
		return ui.Wrap(s.Subtle, "No mknimimage jobs yet: create an osimage first. nimwiz keeps every job's output and record here.", w)
	}
	cols := m.columns()
	var b strings.Builder
	b.WriteString(s.Heading.Render(row("  ", cols, "KIND", "OSIMAGE", "STATE", "PHASE", "STARTED", "TOOK")) + "\n")
	rows := m.rows()
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+rows {
		m.top = m.cur - rows + 1
	}
	end := min(m.top+rows, len(m.recs))
	for i := m.top; i < end; i++ {
		r := m.recs[i]
		started := m.when(r.Started)
		if r.State == job.StateUnreadable {
			started = "-" // no record to say
		}
		line := row("  ", cols, kind(r), name(r), state(r), phase(r), started, m.took(r))
		if i == m.cur {
			b.WriteString(s.Selected.Render("> "+line[2:]) + "\n")
		} else {
			b.WriteString(s.Item.Render(line) + "\n")
		}
	}
	if more := len(m.recs) - end; more > 0 || m.top > 0 {
		b.WriteString(s.Subtle.Render(fmt.Sprintf("  (%d above, %d below)", m.top, more)) + "\n")
	} else {
		b.WriteString("\n")
	}
	b.WriteString(m.details(m.recs[m.cur]))
	return b.String()
}

// column widths: kind, osimage, state, phase, started, took (0: left out).
type columns [6]int

// columns fits the table to the width: at 80 every column, narrower the
// kind and the time taken go first; names and states are elided with
// ui.ElideMark.
func (m *Model) columns() columns {
	c := columns{6, 16, 15, 18, 11, 7}
	if m.width < 80 {
		c[0], c[5] = 0, 0
	}
	used := 2
	for _, n := range c {
		if n > 0 {
			used += n + 1
		}
	}
	// The phase takes what is left over or gives it back.
	c[3] = max(c[3]+m.width-used, 8)
	return c
}

func row(prefix string, c columns, cells ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for i, cell := range cells {
		if c[i] == 0 {
			continue
		}
		b.WriteString(fit(cell, c[i]) + " ")
	}
	return strings.TrimRight(b.String(), " ")
}

// fit pads or elides s to n cells; an elided value ends in ui.ElideMark.
func fit(s string, n int) string {
	s = ui.Elide(s, n)
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}

func kind(r job.Record) string {
	if r.State == job.StateUnreadable {
		return "?"
	}
	return string(r.Plan.PlanKind())
}

func name(r job.Record) string {
	if r.Name == "" {
		return r.ID
	}
	return termtext.String(r.Name)
}

func state(r job.Record) string { return string(r.State) }

// stateLong is the state with what the short one leaves out.
func stateLong(r job.Record) string {
	s := string(r.State)
	switch {
	case r.State == job.StateInterrupted && r.Interrupted.IsZero():
		s = "interrupted (not by nimwiz)"
	case r.State == job.StateFailed && r.ExitCode > 0:
		s = fmt.Sprintf("failed (exit %d)", r.ExitCode)
	}
	if r.Busy() && r.State.Ended() && r.State != job.StateUnreadable {
		s += "; NIM may still be working, the name stays taken"
	}
	return s
}

func phase(r job.Record) string {
	switch {
	case r.State == job.StateUnreadable:
		return "-"
	case r.Settling && r.Settled.IsZero():
		return "NIM settling"
	case r.State.Ended() && r.EndedIn != "":
		return termtext.String(r.EndedIn)
	case r.PhaseName != "":
		return termtext.String(r.PhaseName)
	}
	return r.Phase.String()
}

func (m *Model) when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(m.cfg.Loc).Format("01-02 15:04")
}

func (m *Model) took(r job.Record) string {
	switch {
	case r.Started.IsZero() || r.State == job.StateUnreadable:
		return "-"
	case r.State.Ended() && !r.Ended.IsZero():
		return short(r.Ended.Sub(r.Started))
	case r.State.Ended():
		return "-"
	}
	return short(m.cfg.Now().Sub(r.Started)) + "+"
}

// short is a duration in at most 7 cells: 45s, 23m10s, 2h05m.
func short(d time.Duration) string {
	d = max(d, 0).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// details are the selected job's id, command and times, in detailLines
// lines.
func (m *Model) details(r job.Record) string {
	s := m.c.Styles
	w := m.width
	line := func(k, v string) string {
		return ui.Truncate(s.Subtle.Render(fmt.Sprintf("%-9s", k))+s.Item.Render(ui.Elide(v, max(w-9, 1))), w) + "\n"
	}
	var b strings.Builder
	b.WriteString(line("job", r.ID))
	if r.State == job.StateUnreadable {
		b.WriteString(line("error", termtext.String(r.Error)))
		b.WriteString(line("", ""))
	} else {
		b.WriteString(line("command", termtext.String(strings.Join(r.Argv, " "))))
		times := "started " + m.at(r.Started)
		if !r.Ended.IsZero() {
			times += ", ended " + m.at(r.Ended) + " (" + short(r.Ended.Sub(r.Started)) + ")"
		}
		b.WriteString(line("times", times))
	}
	b.WriteString(line("state", termtext.String(stateLong(r)+" in "+phase(r))))
	b.WriteString(s.Subtle.Render(ui.Truncate("enter: the run screen (output, phases, ending)", w)))
	return b.String()
}

func (m *Model) at(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(m.cfg.Loc).Format("2006-01-02 15:04:05")
}
