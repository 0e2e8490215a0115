// Package run is the run screen: it follows a mknimimage job started by the
// wizard (or named by nimwiz attach) from its log and record, shows the
// phases with their times and, during the silent SPOT creation, the SPOT
// growing on disk; it refuses interrupts while a critical phase runs, lets
// the admin stop the job outside one (after a y/N), or leave it running;
// and once the job ends shows how (internal/ending).
//
// Reading is pull-based: one tick Cmd at a time reads the record and the
// new log bytes into a bounded job.Lines ring, off the event loop, and the
// model redraws once per tick whatever the output rate. View draws only the
// visible window of the ring.
package run

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// Defaults of Config.
const (
	DefaultTick      = 150 * time.Millisecond
	DefaultCapacity  = 5000
	DefaultSizeEvery = 2 * time.Second
)

// readSoon is the wait before the next read after one that found output;
// each read that finds none doubles it, up to Config.Tick. A flood is read
// as it comes, and the end it leads to is seen at once, not a tick later.
const readSoon = 5 * time.Millisecond

// Config is what the run screen needs.
type Config struct {
	Store  *job.Store
	Client *nim.Client // asked once the job ended; nil: not asked
	// HostRoot prefixes paths on the NIM master (the demo's simulated
	// host); "" on a real master.
	HostRoot string
	// Guard, when set, is told whether a critical phase runs (it then
	// catches SIGTSTP too, refused like the others).
	Guard     *job.Guard
	Now       func() time.Time // nil: time.Now
	Tick      time.Duration    // how often the log and record are read, at most (while idle)
	Capacity  int              // lines kept for scrolling
	SizeEvery time.Duration    // how often the SPOT directory is measured
	// Command is how the admin runs nimwiz with the global options in
	// force ("nimwiz", "--demo", "--state-dir", DIR): the reattach hint
	// names it whole. Empty: "nimwiz".
	Command []string
}

// StartedMsg says a job was started (see StartCmd).
type StartedMsg struct{ ID string }

// StartFailedMsg says nothing was started, and why.
type StartFailedMsg struct{ Err error }

// SignalMsg is a signal nimwiz received (forwarded by its job.Guard).
type SignalMsg struct{ Sig os.Signal }

// BackMsg asks the root to go back to the preview (the job did not start).
type BackMsg struct{}

// LeftMsg says the admin left the screen (q, esc, d) while it Returns: the
// root shows what it came from; the job goes on.
type LeftMsg struct{}

// StartCmd starts plan as a job off the event loop: job.Start waits until
// mknimimage runs.
func StartCmd(store *job.Store, ex *nim.Executor, plan nim.Plan, self []string) tea.Cmd {
	return func() tea.Msg {
		j, err := job.Start(store, ex, plan, self)
		if err != nil {
			return StartFailedMsg{Err: err}
		}
		return StartedMsg{ID: j.ID}
	}
}

// Result is how the screen was left, for the caller to report.
type Result struct {
	JobID    string
	LogPath  string
	Detached bool // left while the job ran (it goes on)
	Signal   string
	Ended    bool
	Record   job.Record
	Ending   string // the ending as plain text, once known
	StartErr error
}

type state int

const (
	stateIdle state = iota
	stateStarting
	stateStartFailed
	stateWatching
)

type tickMsg struct {
	id  string
	rec job.Record
	err error
	n   int64 // bytes of output read
}

type sizeMsg struct {
	id    string
	bytes int64
	files int
}

type endingMsg struct {
	id    string
	facts ending.Facts
}

// historyMsg is what earlier jobs on this master say of the SPOT's time.
type historyMsg struct {
	id   string
	text string
}

type interruptMsg struct {
	id  string
	ev  job.Event
	err error
}

// Model is the run screen.
type Model struct {
	c    ui.Common
	cfg  Config
	keys ui.RunKeys

	st       state
	plan     nim.Plan
	startErr error
	ran      []string // a command that ran before the start (Ran)
	undo     []string
	id       string
	rec      job.Record
	haveRec  bool
	loadErr  error
	tail     *job.Tail
	every    time.Duration // the wait before the next read
	lines    *job.Lines
	total    int64
	back     int // lines scrolled up from the end of the output; 0 follows

	notice     string
	noticeKind ending.Kind
	confirm    ui.Confirm // "Stop mknimimage?"
	stopping   bool

	spotBytes int64
	spotFiles int
	sizing    bool
	sizedAt   time.Time
	// history says how long SPOT creation took in earlier jobs here
	// ("" until asked); asked once the SPOT phase is seen.
	history      string
	askedHistory bool

	gathering  bool
	facts      *ending.Facts
	endLines   []string // the ending, rendered at the current width
	endTop     int
	showOutput bool

	quitting bool
	returns  bool // leaving goes back (LeftMsg), not out of nimwiz
	result   Result
}

// New returns an idle run screen; Start or Attach gives it a job.
func New(c ui.Common, cfg Config) *Model {
	if cfg.Tick <= 0 {
		cfg.Tick = DefaultTick
	}
	if cfg.Capacity <= 0 {
		cfg.Capacity = DefaultCapacity
	}
	if cfg.SizeEvery <= 0 {
		cfg.SizeEvery = DefaultSizeEvery
	}
	return &Model{c: c, cfg: cfg, keys: c.Keys.Run, confirm: ui.NewConfirm(c.Keys.Run.Confirm), lines: job.NewLines(cfg.Capacity)}
}

func (m *Model) now() time.Time {
	if m.cfg.Now != nil {
		return m.cfg.Now()
	}
	return time.Now()
}

// Starting shows that plan is being started (the caller runs StartCmd).
func (m *Model) Starting(plan nim.Plan) {
	m.st, m.plan = stateStarting, plan.WithDefaults()
}

// Ran says that argv already ran for this start (an update's chdef of the
// definition) and undo puts it back: if the job does not start, the screen
// says so instead of "nothing was changed".
func (m *Model) Ran(argv, undo []string) { m.ran, m.undo = argv, undo }

// Attach follows job id from the start of its log.
func (m *Model) Attach(id string) tea.Cmd {
	m.st, m.id = stateWatching, id
	m.result.JobID = id
	if m.cfg.Store != nil {
		if rec, err := m.cfg.Store.Load(id); err == nil {
			m.setRecord(rec)
			m.plan = rec.Plan.WithDefaults()
		}
		t, err := m.cfg.Store.OpenTail(id, 0)
		if err != nil {
			m.loadErr = err
		}
		m.tail = t
	}
	return m.read(0)
}

// SetSize is the body's size.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	m.renderEnding()
}

// Result reports how the screen was left.
func (m *Model) Result() Result {
	r := m.result
	r.JobID = m.id
	if m.haveRec {
		r.Record = m.rec
		r.LogPath = m.rec.LogPath()
		r.Ended = m.rec.State.Ended()
	}
	if m.facts != nil {
		r.Ending = ending.Plain(m.facts.Lines())
	}
	r.StartErr = m.startErr
	return r
}

// Title is for the header.
func (m *Model) Title() string {
	switch {
	case m.plan.Name == "":
	case m.plan.PlanKind() == nim.KindUpdate:
		return "Update osimage " + m.plan.Name
	case m.plan.PlanKind() == nim.KindCopy:
		return "Copy osimage " + m.plan.From + " to " + m.plan.Name
	default:
		return "Create osimage " + m.plan.Name
	}
	return "Job"
}

// Where is the header's right side.
func (m *Model) Where() string {
	switch {
	case m.st == stateStarting:
		return "starting"
	case m.st == stateStartFailed:
		return "not started"
	case m.haveRec:
		return "job " + m.id + ": " + string(m.rec.State)
	}
	return "job " + m.id
}

// Critical reports whether a critical phase runs now.
func (m *Model) Critical() bool {
	return m.haveRec && !m.rec.State.Ended() && m.rec.Critical
}

func (m *Model) ended() bool { return m.haveRec && m.rec.State.Ended() }

// read schedules the next read of the record and the log after d.
func (m *Model) read(d time.Duration) tea.Cmd {
	store, id, tail, lines := m.cfg.Store, m.id, m.tail, m.lines
	if store == nil {
		return nil
	}
	f := func() tea.Msg {
		// Record first, log second: once the record says ended, the log
		// is complete (the supervisor writes it all before recording the end).
		rec, err := store.Load(id)
		var n int64
		if tail != nil {
			n, _ = tail.ReadNew(lines)
		}
		return tickMsg{id: id, rec: rec, err: err, n: n}
	}
	if d <= 0 {
		return f
	}
	return tea.Tick(d, func(time.Time) tea.Msg { return f() })
}

func (m *Model) setRecord(rec job.Record) {
	m.rec, m.haveRec = rec, true
	if m.plan.Name == "" {
		m.plan = rec.Plan.WithDefaults()
	}
}

// Update handles the screen's messages; the root sends it every key while
// the screen is shown, and every other message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case StartedMsg:
		if m.st != stateStarting {
			return nil
		}
		m.notice = ""
		return m.Attach(msg.ID)
	case StartFailedMsg:
		if m.st != stateStarting {
			return nil
		}
		m.st, m.startErr = stateStartFailed, msg.Err
		return nil
	case tickMsg:
		if msg.id != m.id {
			return nil
		}
		return m.onTick(msg)
	case sizeMsg:
		if msg.id == m.id {
			m.sizing = false
			m.spotBytes, m.spotFiles = msg.bytes, msg.files
		}
		return nil
	case historyMsg:
		if msg.id == m.id {
			m.history = msg.text
		}
		return nil
	case endingMsg:
		if msg.id == m.id {
			f := msg.facts
			m.facts, m.gathering = &f, false
			m.renderEnding()
		}
		return nil
	case interruptMsg:
		if msg.id != m.id {
			return nil
		}
		switch {
		case msg.err != nil && errors.Is(msg.err, job.ErrEnded):
			m.stopping = false
		case msg.err != nil:
			m.stopping = false
			m.say(ending.Error, "error: "+msg.err.Error())
		case msg.ev.Action == job.ActionRefused:
			m.stopping = false
			m.say(ending.Warning, fmt.Sprintf("Not stopped: %s, and interrupting now could leave a broken SPOT that a re-run silently reuses. The job goes on; press d to detach.", msg.ev.Why))
		default:
			m.say(ending.Warning, "Asked mknimimage to stop (SIGINT: the xCAT client asks xcatd to abort)... what it leaves behind is shown when it has ended.")
		}
		return nil
	case SignalMsg:
		return m.onSignal(msg.Sig)
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return nil
}

func (m *Model) say(k ending.Kind, s string) { m.notice, m.noticeKind = s, k }

func (m *Model) onTick(msg tickMsg) tea.Cmd {
	if msg.err != nil {
		m.loadErr = msg.err
		return m.read(m.cfg.Tick)
	}
	m.loadErr = nil
	wasCritical := m.Critical()
	m.setRecord(msg.rec)
	lines, _ := m.lines.Total()
	if added := int(lines - m.total); added > 0 && m.back > 0 {
		m.back = min(m.back+added, m.cfg.Capacity) // keep the window where the admin left it
	}
	m.total = lines
	crit := m.Critical()
	if m.cfg.Guard != nil {
		m.cfg.Guard.SetCritical(crit)
	}
	if m.confirm.Open() {
		m.confirm.Ask(m.stopQuestion()) // the phase it names may have changed
	}
	if crit && m.confirm.Open() {
		m.confirm.Close()
		m.say(ending.Warning, "Not now: "+m.criticalWhy()+" The question to stop it is withdrawn.")
	}
	if !crit && wasCritical && m.notice != "" && m.noticeKind == ending.Warning && !m.stopping {
		m.notice = "" // the refusals were about that phase
	}
	var cmds []tea.Cmd
	if m.rec.State.Ended() {
		if m.stopping || (m.notice != "" && m.noticeKind == ending.Warning) {
			// "Stopping mknimimage..." and refusals were about a job that
			// ran; the ending says how it ended.
			m.notice = ""
		}
		m.confirm.Close()
		m.stopping = false
		// While NIM may still be working for the job the ending says so;
		// it is gathered again once NIM is quiet.
		if m.facts != nil && m.facts.Rec.Busy() && !m.rec.Busy() && !m.gathering {
			m.facts = nil
		}
		if m.facts == nil && !m.gathering {
			m.gathering = true
			cmds = append(cmds, m.gather())
		}
		if m.rec.Busy() {
			cmds = append(cmds, m.read(m.cfg.Tick))
		}
	} else {
		soon := min(readSoon, m.cfg.Tick)
		if msg.n > 0 {
			m.every = soon
		} else {
			m.every = min(max(2*m.every, soon), m.cfg.Tick)
		}
		cmds = append(cmds, m.read(m.every))
		if m.spotRunning() && !m.askedHistory && m.cfg.Store != nil {
			m.askedHistory = true
			store, id := m.cfg.Store, m.id
			cmds = append(cmds, func() tea.Msg {
				h, err := store.HistoryBefore(nim.PhaseSpot, id)
				if err != nil {
					return historyMsg{id: id}
				}
				return historyMsg{id: id, text: h.String()}
			})
		}
		if m.spotRunning() && !m.sizing && m.now().Sub(m.sizedAt) >= m.cfg.SizeEvery {
			m.sizing, m.sizedAt = true, m.now()
			cmds = append(cmds, m.measure())
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) gather() tea.Cmd {
	c, rec, id := m.cfg.Client, m.rec, m.id
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
		defer cancel()
		return endingMsg{id: id, facts: ending.Gather(ctx, c, rec)}
	}
}

// SpotDir is where the SPOT of plan p grows on the master's disk.
func SpotDir(hostRoot string, p nim.Plan) string {
	p = p.WithDefaults()
	return filepath.Join(hostRoot, filepath.FromSlash(p.Location), "spot", p.Name)
}

func (m *Model) measure() tea.Cmd {
	dir, id := SpotDir(m.cfg.HostRoot, m.plan), m.id
	return func() tea.Msg {
		var n int64
		files := 0
		filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if info, err := d.Info(); err == nil {
				n += info.Size()
				files++
			}
			return nil
		})
		return sizeMsg{id: id, bytes: n, files: files}
	}
}

func (m *Model) spotRunning() bool {
	return m.haveRec && !m.rec.State.Ended() && m.rec.Phase == nim.PhaseSpot && m.rec.Critical
}

// criticalWhy says why the job is not interrupted now.
func (m *Model) criticalWhy() string {
	why := m.rec.CriticalWhy
	if why == "" {
		why = nim.RiskUnknown.Why()
	}
	return why + "; interrupting now could leave a broken SPOT that a re-run silently reuses. The job goes on; press d to detach."
}

func (m *Model) refuse(what string) {
	m.say(ending.Warning, what+" refused: "+m.criticalWhy())
}

// command is the nimwiz command line with args and the global options in
// force.
func (m *Model) command(args ...string) string {
	c := m.cfg.Command
	if len(c) == 0 {
		c = []string{"nimwiz"}
	}
	return strings.Join(append(append([]string{}, c...), args...), " ")
}

// Returns makes leaving the screen (q, esc, d) go back to the view it was
// opened from (LeftMsg) instead of ending nimwiz.
func (m *Model) Returns(on bool) { m.returns = on }

func (m *Model) detach(sig string) tea.Cmd {
	if m.returns && sig == "" {
		return func() tea.Msg { return LeftMsg{} }
	}
	m.result.Detached = m.haveRec && !m.rec.State.Ended()
	m.result.Signal = sig
	m.quitting = true
	return tea.Quit
}

func (m *Model) askStop(what string) {
	if m.stopping {
		m.say(ending.Warning, what+": already stopping mknimimage; waiting for it to end.")
		return
	}
	m.confirm.Ask(m.stopQuestion())
	m.notice = ""
}

func (m *Model) onSignal(sig os.Signal) tea.Cmd {
	name := job.SignalName(sig)
	switch m.st {
	case stateStarting:
		if sig == syscall.SIGHUP {
			return m.detach(name)
		}
		m.say(ending.Warning, name+": the job is being started; once it runs you can stop it (outside SPOT creation) or detach.")
		return nil
	case stateStartFailed, stateIdle:
		return m.detach(name)
	}
	if !m.haveRec || m.rec.State.Ended() {
		return m.detach(name)
	}
	if sig == syscall.SIGHUP {
		return m.detach(name) // the terminal is gone: the job goes on without us
	}
	if m.Critical() {
		m.refuse(name)
		return nil
	}
	if sig == syscall.SIGINT {
		m.askStop(name)
		return nil
	}
	if sig == syscall.SIGTSTP {
		return nil // caught only while critical: that has just passed
	}
	// SIGTERM, SIGQUIT: nimwiz is asked to end; the job is detached and goes on.
	return m.detach(name)
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := msg.String() // named in the messages
	stopKeys := key.Matches(msg, m.keys.Stop, m.keys.Interrupt, m.keys.Suspend)
	switch m.st {
	case stateStarting:
		if stopKeys {
			m.say(ending.Warning, k+": the job is being started; once it runs you can stop it (outside SPOT creation) or detach.")
		}
		return nil
	case stateStartFailed:
		switch {
		case key.Matches(msg, m.keys.Back):
			return func() tea.Msg { return BackMsg{} }
		case key.Matches(msg, m.keys.Detach, m.keys.Stop):
			m.quitting = true
			return tea.Quit
		}
		return nil
	}
	if m.confirm.Open() {
		if key.Matches(msg, m.keys.Stop) {
			m.confirm.Close()
			m.say(ending.Subtle, "Not stopped: the job goes on.")
			return nil
		}
		answered, yes := m.confirm.Update(msg)
		switch {
		case answered && yes:
			if m.Critical() {
				m.refuse("Stopping")
				return nil
			}
			m.stopping = true
			m.say(ending.Warning, "Asking the job's supervisor to stop mknimimage...")
			store, id := m.cfg.Store, m.id
			return func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				ev, err := store.Interrupt(ctx, id)
				return interruptMsg{id: id, ev: ev, err: err}
			}
		case answered:
			m.say(ending.Subtle, "Not stopped: the job goes on.")
		}
		return nil
	}
	if stopKeys {
		switch {
		case m.ended():
			return m.detach("")
		case m.Critical():
			m.refuse(k)
		case key.Matches(msg, m.keys.Suspend):
			m.say(ending.Subtle, "ctrl+z: nimwiz does not suspend while it follows a job; press d to detach (the job goes on) and '"+m.command("attach", m.id)+"' to come back.")
		default:
			m.askStop(k)
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Detach):
		return m.detach("")
	case key.Matches(msg, m.keys.Output):
		if m.ended() {
			m.showOutput = !m.showOutput
		}
	case key.Matches(msg, m.keys.Up):
		m.scroll(1)
	case key.Matches(msg, m.keys.Down):
		m.scroll(-1)
	case key.Matches(msg, m.keys.PgUp):
		m.scroll(max(1, m.paneHeight()-1))
	case key.Matches(msg, m.keys.PgDown):
		m.scroll(-max(1, m.paneHeight()-1))
	case key.Matches(msg, m.keys.Top):
		m.scroll(1 << 30)
	case key.Matches(msg, m.keys.Follow):
		m.scroll(-(1 << 30))
	}
	return nil
}

// scroll moves the shown pane up by n lines (down when negative).
func (m *Model) scroll(n int) {
	h := m.paneHeight()
	if m.endingShown() {
		m.endTop = clamp(m.endTop-n, 0, max(0, len(m.endLines)-h))
		return
	}
	kept := len(m.lines.Snapshot(0))
	m.back = clamp(m.back+n, 0, max(0, kept-h))
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func (m *Model) endingShown() bool { return m.facts != nil && !m.showOutput }

// ShortHelp is the help line.
func (m *Model) ShortHelp() []key.Binding {
	switch {
	case m.st == stateStarting:
		return nil
	case m.st == stateStartFailed:
		q := m.keys.Detach
		q.SetHelp("q", "quit")
		return []key.Binding{m.keys.Back, q}
	case m.confirm.Open():
		return m.confirm.ShortHelp()
	}
	d := m.keys.Detach
	stop := m.keys.Stop
	if m.ended() {
		d.SetHelp("q", "quit")
		stop.SetEnabled(false)
	}
	if m.Critical() {
		stop.SetEnabled(false) // refused: not advertised
	}
	keys := []key.Binding{d, stop, m.keys.PgUp, m.keys.Follow}
	if m.ended() {
		keys = append(keys, m.keys.Output)
	}
	return keys
}

// FullHelp is the "?" help.
func (m *Model) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.ShortHelp(), {m.keys.Up, m.keys.Down, m.keys.PgUp, m.keys.PgDown, m.keys.Top, m.keys.Follow}}
}

// renderEnding wraps the ending to the width once, not on every View.
func (m *Model) renderEnding() {
	if m.facts == nil || m.c.Width <= 0 {
		return
	}
	s, w := m.c.Styles, m.c.Width
	var out []string
	for _, l := range m.facts.Lines() {
		if l.Text == "" {
			out = append(out, "")
			continue
		}
		st := kindStyle(s, l.Kind)
		pad := strings.Repeat(" ", l.Indent)
		width := max(10, w-l.Indent)
		var text string
		// The ending quotes the log and NIM: shown as text (termtext).
		if l.Kind == ending.Code {
			text = ansi.Hardwrap(termtext.String(l.Text), width, false)
		} else {
			text = ansi.Wordwrap(termtext.String(l.Text), width, "")
		}
		for _, part := range strings.Split(text, "\n") {
			out = append(out, pad+st.Render(part))
		}
	}
	m.endLines = out
	m.endTop = clamp(m.endTop, 0, max(0, len(out)-1))
}
