// Package browse is the osimage browser: the list of a master's AIX
// osimages, the NIM details of one, the contents of its SPOT or
// lpp_source, and the actions on it (re-create, remove, change its
// resources). Every query is asynchronous and batched: the list is one
// lsdef, the details of an osimage one lsnim -l for all its resources,
// cached until refreshed; contents are loaded only when opened. Each view
// shows the command behind it so the admin learns it.
package browse

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// NIM is what the browser asks the master. *nim.Client satisfies it.
type NIM interface {
	Osimages(ctx context.Context) ([]nim.Osimage, error)
	Objects(ctx context.Context, names ...string) ([]nim.Object, []string, error)
	Resources(ctx context.Context) ([]nim.Listing, error)
	Showres(ctx context.Context, name, nimType string) ([]nim.Fileset, error)
}

var _ NIM = (*nim.Client)(nil)

// Runner runs a command that changes the master (rmnimimage, chdef) and
// returns its output. nim.ExecRunner is the real one.
type Runner interface {
	Run(ctx context.Context, argv []string) (nim.Result, error)
}

// Env is what the browser needs from outside.
type Env struct {
	NIM NIM
	Run Runner
}

// BackMsg asks the root to leave the browser (esc on the list).
type BackMsg struct{}

// RecreateMsg asks the root to open the create wizard prefilled from
// Osimage. Replace: the old osimage was removed, so the wizard keeps its
// name; otherwise the wizard suggests a new one.
type RecreateMsg struct {
	Osimage nim.Osimage
	Replace bool
}

type mode int

const (
	modeList mode = iota
	modeDetails
	modeContents
	modeRecreate // new name or replace?
	modeRemove   // the removal (or replacement) confirmation, run and result
	modeChange   // change one resource of the definition
)

// Keys are the browser's bindings.
type Keys struct {
	Up, Down, PgUp, PgDown    key.Binding
	Open, Filter, Refresh     key.Binding
	Recreate, Remove, Change  key.Binding
	ToggleD, ToggleX, ToggleF key.Binding
	Yes, No, Select           key.Binding
}

// DefaultKeys returns the browser's bindings. Refresh is r (and ctrl+r,
// which also works while typing a filter), like the wizard's retry.
func DefaultKeys() Keys {
	return Keys{
		Up: ui.KeyUp, Down: ui.KeyDown, PgUp: ui.KeyPgUp, PgDown: ui.KeyPgDown,
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Refresh:  key.NewBinding(key.WithKeys("r", "ctrl+r"), key.WithHelp("r", "refresh")),
		Recreate: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "re-create")),
		Remove:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "remove")),
		Change:   key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "change")),
		ToggleD:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "toggle -d")),
		ToggleX:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "toggle -x")),
		ToggleF:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "toggle -f")),
		Yes:      key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes, run it")),
		No:       key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
		Select:   key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "select")),
	}
}

// Model is the browser.
type Model struct {
	c    ui.Common
	env  Env
	keys Keys
	mode mode

	// the list
	load   ui.Loader
	gen    int // bumped per list load: stale answers are dropped
	images []nim.Osimage
	byName map[string]int
	users  map[string][]string // NIM resource name -> osimages naming it
	list   flist

	// the selected osimage and its cached details
	sel     string
	details map[string]*detail
	dcur    int // resource under the cursor in the details

	contents map[string]*contents // by resource name
	open     *contents            // the contents shown

	recreate recreateView
	rm       *removal
	ch       *change
	res      resourcesCache

	// quitTries counts ctrl+c refused while a command runs.
	quitTries int
}

// QueryTimeout bounds a fake or client without its own timeout; the
// executor applies its own per query.
const QueryTimeout = 2 * nim.DefaultQueryTimeout

func qctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), QueryTimeout)
}

// New returns the browser; Init loads the list.
func New(c ui.Common, env Env) *Model {
	m := &Model{
		c: c, env: env, keys: DefaultKeys(),
		load:     ui.NewLoader("osimages (lsdef -t osimage -l -w imagetype==NIM)"),
		list:     newFlist("type to filter by name, type, mode, SPOT, lpp_source"),
		details:  map[string]*detail{},
		contents: map[string]*contents{},
	}
	m.res.load = ui.NewLoader("NIM resources (lsnim -c resources)")
	return m
}

// SetSize gives the browser its body size.
func (m *Model) SetSize(w, h int) { m.c.Width, m.c.Height = w, h }

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.loadList() }

// Busy reports whether a command that changes the master is running: the
// root must not quit under it.
func (m *Model) Busy() bool {
	return (m.rm != nil && m.rm.running) || (m.ch != nil && m.ch.running)
}

// RefuseQuit is called by the root on ctrl+c while Busy. It returns true
// when the admin insisted (third press) and the root should quit anyway.
func (m *Model) RefuseQuit() bool {
	m.quitTries++
	return m.quitTries >= 3
}

// Capturing reports whether the browser shows its own esc in the help
// (typing a filter, a prompt), so the root hides its "esc back".
func (m *Model) Capturing() bool {
	switch m.mode {
	case modeList:
		return m.list.typing
	case modeContents:
		return m.open != nil && m.open.list.typing
	}
	return true
}

// Where is the header's right-hand side.
func (m *Model) Where() string {
	switch m.mode {
	case modeList:
		if m.load.Loaded {
			return fmt.Sprintf("%d osimages", len(m.images))
		}
		return ""
	case modeContents:
		if m.open != nil {
			return m.sel + " > " + m.open.name
		}
	}
	return m.sel
}

// Selected returns the osimage the details are about.
func (m *Model) Selected() (nim.Osimage, bool) {
	i, ok := m.byName[m.sel]
	if !ok {
		return nim.Osimage{}, false
	}
	return m.images[i], true
}

// Shown lists the names of the osimages the filter leaves, in order.
func (m *Model) Shown() []string {
	out := make([]string, len(m.list.shown))
	for i, r := range m.list.shown {
		out[i] = m.images[r].Name
	}
	return out
}

type listMsg struct {
	gen    int
	images []nim.Osimage
	err    error
}

func (m *Model) loadList() tea.Cmd {
	m.gen++
	gen, n := m.gen, m.env.NIM
	if n == nil {
		m.load.Finish(errors.New("nimwiz has no NIM master to ask here"))
		return nil
	}
	return tea.Batch(m.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		imgs, err := n.Osimages(ctx)
		return listMsg{gen, imgs, err}
	})
}

// refreshAll reloads the list and forgets every cached detail.
func (m *Model) refreshAll() tea.Cmd {
	m.details = map[string]*detail{}
	m.contents = map[string]*contents{}
	m.res = resourcesCache{load: ui.NewLoader("NIM resources (lsnim -c resources)")}
	return m.loadList()
}

// setImages takes a loaded list: sorts it, precomputes the rows and search
// text, and who uses which resource.
func (m *Model) setImages(imgs []nim.Osimage) {
	sort.SliceStable(imgs, func(i, j int) bool { return imgs[i].Name < imgs[j].Name })
	prev := ""
	if i := m.list.selected(); i >= 0 && i < len(m.images) {
		prev = m.images[i].Name
	}
	m.images = imgs
	m.byName = make(map[string]int, len(imgs))
	m.users = map[string][]string{}
	wName, wType, wSpot := len("NAME"), len("TYPE"), len("SPOT")
	for i, o := range imgs {
		m.byName[o.Name] = i
		wName = max(wName, min(len(o.Name), nim.MaxNameLen))
		wType = max(wType, len(o.NimType()))
		wSpot = max(wSpot, min(len(o.Spot()), nim.MaxNameLen))
		// Who names which resource: no order needed, so no sorting here
		// (resourcesOf sorts; this runs for every osimage).
		for a, v := range o.Attrs {
			if !isResourceAttr(a) || v == "" {
				continue
			}
			for v != "" {
				var n string
				n, v, _ = strings.Cut(v, ",")
				if n = strings.TrimSpace(n); n != "" {
					m.users[n] = appendOnce(m.users[n], o.Name)
				}
			}
		}
	}
	m.list.hdr = fmt.Sprintf("%-*s  %-*s  %-9s  %-4s  %-*s  %s", wName, "NAME", wType, "TYPE", "MODE", "DUMP", wSpot, "SPOT", "LPP_SOURCE")
	rows := make([]string, len(imgs))
	hay := make([]string, len(imgs))
	for i, o := range imgs {
		rows[i] = termtext.String(fmt.Sprintf("%-*s  %-*s  %-9s  %-4s  %-*s  %s", wName, o.Name, wType, dash(string(o.NimType())), modeOf(o), yesNo(o.HasDump()), wSpot, dash(o.Spot()), dash(o.LppSource())))
		hay[i] = strings.ToLower(rows[i])
	}
	m.list.set(rows, hay)
	// Stay on the same osimage after a refresh; if it is gone, on the one
	// that took its place.
	if i, ok := m.byName[prev]; ok {
		for j, r := range m.list.shown {
			if r == i {
				m.list.cur = j
			}
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// modeOf is stateless (shared_root) or stateful.
func modeOf(o nim.Osimage) string {
	if o.Stateless() {
		return "stateless"
	}
	return "stateful"
}

// sharers are the other osimages naming resource r.
func (m *Model) sharers(r, self string) []string {
	var out []string
	for _, o := range m.users[r] {
		if o != self {
			out = append(out, o)
		}
	}
	return out
}

// Update handles a message; the root passes every key (but ctrl+c and ?)
// and every other message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case listMsg:
		if msg.gen != m.gen {
			return nil
		}
		m.load.Finish(msg.err)
		if msg.err == nil {
			m.setImages(msg.images)
			if m.mode == modeDetails {
				if _, ok := m.byName[m.sel]; !ok {
					m.mode = modeList // it is gone
				} else {
					return m.loadDetails(false)
				}
			}
		}
		return nil
	case detailsMsg:
		return m.gotDetails(msg)
	case contentsMsg:
		if c := m.contents[msg.name]; c != nil && c.gen == msg.gen {
			c.got(msg)
		}
		return nil
	case resourcesMsg:
		return m.gotResources(msg)
	case runMsg:
		return m.gotRun(msg)
	case tea.KeyMsg:
		return m.key(msg)
	}
	// Spinner ticks: each loader takes only its own.
	cmds := []tea.Cmd{m.load.Update(msg), m.res.load.Update(msg)}
	for _, d := range m.details {
		cmds = append(cmds, d.load.Update(msg))
	}
	for _, c := range m.contents {
		cmds = append(cmds, c.load.Update(msg))
	}
	if m.rm != nil {
		cmds = append(cmds, m.rm.spin.Update(msg))
	}
	if m.ch != nil {
		cmds = append(cmds, m.ch.spin.Update(msg))
	}
	return tea.Batch(cmds...)
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeList:
		return m.keyList(msg)
	case modeDetails:
		return m.keyDetails(msg)
	case modeContents:
		return m.keyContents(msg)
	case modeRecreate:
		return m.keyRecreate(msg)
	case modeRemove:
		return m.keyRemove(msg)
	case modeChange:
		return m.keyChange(msg)
	}
	return nil
}

func (m *Model) page() int { return max(m.c.Height-6, 1) }

func (m *Model) keyList(msg tea.KeyMsg) tea.Cmd {
	if m.list.typing {
		if msg.String() == "ctrl+r" {
			return m.refreshAll()
		}
		return m.list.keyTyping(msg)
	}
	if m.list.move(msg, m.page()) {
		return nil
	}
	switch {
	case msg.String() == "esc":
		if m.list.terms != "" {
			m.list.clear()
			return nil
		}
		return func() tea.Msg { return BackMsg{} }
	case key.Matches(msg, m.keys.Filter):
		return m.list.startTyping()
	case key.Matches(msg, m.keys.Refresh):
		return m.refreshAll()
	}
	i := m.list.selected()
	if i < 0 || m.load.Loading {
		return nil
	}
	m.sel = m.images[i].Name
	switch {
	case key.Matches(msg, m.keys.Open):
		m.mode, m.dcur = modeDetails, 0
		return m.loadDetails(false)
	case key.Matches(msg, m.keys.Recreate):
		return m.openRecreate(modeList)
	case key.Matches(msg, m.keys.Remove):
		return m.openRemove(modeList, false)
	case key.Matches(msg, m.keys.Change):
		return m.openChange(modeList)
	}
	return nil
}

// View renders the active view in the body size.
func (m *Model) View() string {
	switch m.mode {
	case modeDetails:
		return m.detailsView()
	case modeContents:
		return m.contentsView()
	case modeRecreate:
		return m.recreateView()
	case modeRemove:
		return m.removeView()
	case modeChange:
		return m.changeView()
	}
	return m.listView()
}

func (m *Model) listView() string {
	st, w := m.c.Styles, m.c.Width
	var b strings.Builder
	b.WriteString(st.Heading.Render("AIX osimages") + "  " + st.Code.Render(nim.ListCommand) + "\n")
	switch {
	case m.load.Loading && !m.load.Loaded || m.load.Err != nil:
		b.WriteString("\n" + m.load.View(st, min(w, 100), "r"))
		return b.String()
	case len(m.images) == 0:
		b.WriteString("\n" + ui.Wrap(st.Subtle, "This master has no AIX osimages yet. Create one from the home screen (Create an osimage) or with: nimwiz create", min(w, 100)))
		return b.String()
	}
	b.WriteString(m.list.filterLine(st, "osimages", "") + "\n")
	if m.load.Loading {
		b.WriteString(m.load.View(st, w, "r") + "\n")
	} else {
		b.WriteString(st.Label.Render(ui.Truncate("  "+m.list.hdr, w)) + "\n")
	}
	h := m.c.Height - 3
	if len(m.list.shown) == 0 {
		b.WriteString(st.Subtle.Render("  No osimage matches the filter. Press esc to clear it."))
		return b.String()
	}
	b.WriteString(m.list.view(st, w, h, true))
	return b.String()
}

// ShortHelp is the help line of the active view.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeList:
		if m.list.typing {
			return []key.Binding{
				key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
				key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
				key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "refresh")),
			}
		}
		if m.load.Err != nil {
			return []key.Binding{k.Refresh}
		}
		// up/down come last: the short line drops from the end to fit.
		return []key.Binding{k.Open, k.Filter, k.Recreate, k.Remove, k.Change, k.Refresh, k.Up, k.Down}
	case modeDetails:
		return m.detailsHelp()
	case modeContents:
		return m.contentsHelp()
	case modeRecreate:
		return []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")), escHelp("cancel")}
	case modeRemove:
		return m.removeHelp()
	case modeChange:
		return m.changeHelp()
	}
	return nil
}

// FullHelp is every binding of the active view.
func (m *Model) FullHelp() [][]key.Binding {
	h := m.ShortHelp()
	if m.mode == modeList && !m.list.typing {
		h = append(h, m.keys.PgUp, m.keys.PgDown)
	}
	return [][]key.Binding{h}
}

func escHelp(what string) key.Binding {
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", what))
}

// isResourceAttr reports whether an osimage attribute names NIM resources.
func isResourceAttr(a string) bool {
	spec, ok := nim.LookupAttr(a)
	return ok && spec.Kind == nim.ResourceAttr
}

func appendOnce(list []string, s string) []string {
	if len(list) > 0 && list[len(list)-1] == s {
		return list
	}
	return append(list, s)
}
