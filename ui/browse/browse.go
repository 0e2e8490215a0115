// Package browse is the osimage browser: the list of a master's AIX
// osimages, the NIM details of one, the contents of its SPOT or
// lpp_source, and the actions on it (re-create, remove, change its
// definition). Every query is asynchronous and batched: the list is one
// lsdef, the details of an osimage one lsnim -l for all its resources,
// cached until refreshed; contents are loaded only when opened. Each view
// shows the command behind it so the admin learns it.
//
// It is cut as soft-serve's pkg/ui: Model routes between one component per
// view (list, details, contents, recreate, remove, change), each with its
// own keys (ui.KeyMap.Browse), SetSize, View and help; they share the
// answers from NIM (data) and ask for another view with a goMsg. The remove
// and change views run their commands with one runner.
package browse

import (
	"context"
	"github.com/nimwiz/nimwiz/internal/job"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// NIM is what the browser asks the master. *nim.Client satisfies it.
type NIM interface {
	Osimages(ctx context.Context) ([]nim.Osimage, error)
	Objects(ctx context.Context, names ...string) ([]nim.Object, []string, error)
	Resources(ctx context.Context) ([]nim.Listing, error)
	Showres(ctx context.Context, name, nimType string) ([]nim.Fileset, error)
	// Day two: who uses an osimage (one query each side), and checking one.
	WhoUses(ctx context.Context, img nim.Osimage) nim.ImageUse
	CheckImage(ctx context.Context, name string) (nim.ImageCheck, error)
	CheckCopy(ctx context.Context, p nim.Plan) (nim.CopyCheck, error)
	CheckUpdate(ctx context.Context, p nim.Plan) (nim.UpdateCheck, error)
}

var _ NIM = (*nim.Client)(nil)

// Runner runs a command that changes the master (rmnimimage, chdef) and
// returns its output. nim.ExecRunner is the real one.
type Runner interface {
	Run(ctx context.Context, argv []string) (nim.Result, error)
}

var _ Runner = nim.ExecRunner{}

// Env is what the browser needs from outside.
type Env struct {
	NIM NIM
	Run Runner // nil: the browser shows commands but cannot run them
	// Jobs, when set, says which nimwiz jobs may still be working on the
	// NIM master with one of names (job.Store.Using): what they create or
	// build from must not be removed or changed under them.
	Jobs func(names ...string) ([]job.Record, error)
	// Root and FreeSpace measure a copy's space on the master's disks as
	// the wizard does (steps.Env): Root prefixes host paths (the demo's
	// simulated host); FreeSpace nil is statfs.
	Root      string
	FreeSpace func(path string) (uint64, error)
	// CanStart says the root can run a copy or an update as a job
	// (StartMsg); without it the browser shows their commands only.
	CanStart bool
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

// page names a view.
type page int

const (
	pageList page = iota
	pageDetails
	pageContents
	pageRecreate // new name or replace?
	pageRemove   // the removal (or replacement): confirmation, run, result
	pageChange   // change one attribute of the definition
	pageCheck    // check it (read-only)
	pageCopy     // copy it (mknimimage -i)
	pageUpdate   // update its SPOT's software (mknimimage -u)
)

// goMsg asks the browser to show another view: from is where that view
// returns to (remove, change, recreate); name is the osimage it is about
// (from the list); ref the resource whose contents to show; replace opens
// the removal as a replacement; removed says a removal ended (its osimage
// may be gone, the list being loaded again).
type goMsg struct {
	to, from page
	name     string
	replace  bool
	ref      nim.ResourceRef
	removed  bool
}

func goTo(m goMsg) tea.Cmd { return func() tea.Msg { return m } }

// view is one screen of the browser.
type view interface {
	// update takes a key; the others go to the router.
	update(msg tea.KeyMsg) tea.Cmd
	View() string
	SetSize(w, h int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// capturing reports that the view shows its own esc in the help.
	capturing() bool
}

// Model is the browser: a router between its views.
type Model struct {
	c      ui.Common
	d      *data
	active page

	list     *listView
	details  *detailsView
	contents *contentsView
	recreate *recreateView
	remove   *removeView // while open
	change   *changeView // while open
	check    *checkView  // while open
	copy     *copyView   // while open
	update   *updateView // while open

	// quitTries counts ctrl+c refused while a command runs.
	quitTries int
}

// New returns the browser; Init loads the list.
func New(c ui.Common, env Env) *Model {
	d := newData(env)
	return &Model{
		c: c, d: d,
		list:     newListView(c, d),
		details:  newDetailsView(c, d),
		contents: newContentsView(c, d),
		recreate: newRecreateView(c, d),
	}
}

// SetSize gives the browser and every view its body size.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	for _, v := range m.views() {
		v.SetSize(w, h)
	}
}

func (m *Model) views() []view {
	vs := []view{m.list, m.details, m.contents, m.recreate}
	if m.remove != nil {
		vs = append(vs, m.remove)
	}
	if m.change != nil {
		vs = append(vs, m.change)
	}
	if m.check != nil {
		vs = append(vs, m.check)
	}
	if m.copy != nil {
		vs = append(vs, m.copy)
	}
	if m.update != nil {
		vs = append(vs, m.update)
	}
	return vs
}

// view is the active view.
func (m *Model) view() view {
	switch m.active {
	case pageDetails:
		return m.details
	case pageContents:
		return m.contents
	case pageRecreate:
		return m.recreate
	case pageRemove:
		if m.remove != nil {
			return m.remove
		}
	case pageChange:
		if m.change != nil {
			return m.change
		}
	case pageCheck:
		if m.check != nil {
			return m.check
		}
	case pageCopy:
		if m.copy != nil {
			return m.copy
		}
	case pageUpdate:
		if m.update != nil {
			return m.update
		}
	}
	return m.list
}

// Init loads the list.
func (m *Model) Init() tea.Cmd { return m.d.loadList() }

// Busy reports whether a command that changes the master is running: the
// root must not quit under it.
func (m *Model) Busy() bool {
	return (m.remove != nil && m.remove.run.running) || (m.change != nil && m.change.run.running) ||
		(m.update != nil && m.update.run.running)
}

// RefuseQuit is called by the root on ctrl+c while Busy. It returns true
// when the admin insisted (third press) and the root should quit anyway.
func (m *Model) RefuseQuit() bool {
	m.quitTries++
	return m.quitTries >= 3
}

// Capturing reports whether the browser shows its own esc in the help
// (typing a filter, a prompt), so the root hides its "esc back".
func (m *Model) Capturing() bool { return m.view().capturing() }

// Where is the header's right-hand side.
func (m *Model) Where() string {
	switch m.active {
	case pageList:
		return m.list.where()
	case pageContents:
		if m.contents.open != nil {
			return m.d.sel + " > " + m.contents.open.name
		}
	}
	return m.d.sel
}

// Selected returns the osimage the details are about.
func (m *Model) Selected() (nim.Osimage, bool) { return m.d.selected() }

// Shown lists the names of the osimages the filter leaves, in order.
func (m *Model) Shown() []string { return m.list.shownNames() }

// Update handles a message; the root passes every key (but ctrl+c and ?)
// and every other message.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m.view().update(msg)
	case goMsg:
		return m.show(msg)
	case listMsg:
		if !m.d.gotList(msg) {
			return nil
		}
		m.list.setRows()
		if m.active == pageDetails {
			if _, ok := m.d.selected(); !ok {
				m.active = pageList // it is gone
				return nil
			}
			return m.d.loadDetails(false)
		}
		return nil
	case detailsMsg:
		m.d.gotDetails(msg)
		return nil
	case usesMsg:
		m.d.gotUse(msg)
		return nil
	case checkMsg:
		if m.check != nil {
			m.check.got(msg)
		}
		return nil
	case copyCheckMsg:
		if m.copy != nil {
			m.copy.got(msg)
		}
		return nil
	case updateCheckMsg:
		if m.update != nil {
			m.update.got(msg)
		}
		return nil
	case contentsMsg:
		m.d.gotContents(msg)
		return nil
	case resourcesMsg:
		m.d.gotResources(msg)
		if m.change != nil {
			m.change.gotResources()
		}
		return nil
	case runMsg:
		return m.gotRun(msg)
	case spinner.TickMsg:
		// Each tick to the loader whose spinner it is.
		for _, l := range m.loaders() {
			if l.Owns(msg) {
				return l.Update(msg)
			}
		}
	}
	return nil
}

// loaders are the spinners of every query and command.
func (m *Model) loaders() []*ui.Loader {
	ls := m.d.loaders()
	if m.remove != nil {
		ls = append(ls, &m.remove.run.spin)
	}
	if m.change != nil {
		ls = append(ls, &m.change.run.spin)
	}
	if m.check != nil {
		ls = append(ls, &m.check.load)
	}
	if m.copy != nil {
		ls = append(ls, &m.copy.load)
	}
	if m.update != nil {
		ls = append(ls, &m.update.load, &m.update.run.spin)
	}
	return ls
}

// show switches to the view msg asks for.
func (m *Model) show(msg goMsg) tea.Cmd {
	if msg.name != "" {
		m.d.sel = msg.name
	}
	switch msg.to {
	case pageList:
		m.active, m.remove, m.change = pageList, nil, nil
		m.check, m.copy, m.update = nil, nil, nil
		return nil
	case pageDetails:
		// Back from a view that may have removed the osimage: the list.
		m.remove, m.change = nil, nil
		m.check, m.copy, m.update = nil, nil, nil
		if _, ok := m.d.selected(); !ok || msg.removed && m.d.load.Loading {
			m.active = pageList
			return nil
		}
		m.active = pageDetails
		if msg.name != "" { // opened from the list
			m.details.cur = 0
		}
		return m.d.loadDetails(false)
	case pageContents:
		m.active = pageContents
		return m.contents.openRef(msg.ref)
	case pageRecreate:
		m.active = pageRecreate
		m.recreate.open(msg.from)
		return nil
	case pageRemove:
		o, ok := m.d.selected()
		if !ok {
			return nil
		}
		m.active, m.quitTries = pageRemove, 0
		m.remove = newRemoveView(m.c, m.d, o, msg.from, msg.replace)
		return m.d.loadDetails(false) // locations and alloc_count for the list
	case pageChange:
		o, ok := m.d.selected()
		if !ok {
			return nil
		}
		m.active, m.quitTries = pageChange, 0
		m.change = newChangeView(m.c, m.d, o, msg.from)
		return tea.Batch(m.change.focus(), m.d.loadResources(false), m.d.loadDetails(false))
	case pageCheck:
		o, ok := m.d.selected()
		if !ok {
			return nil
		}
		m.active = pageCheck
		m.check = newCheckView(m.c, m.d, o.Name, msg.from)
		return m.check.start()
	case pageCopy:
		o, ok := m.d.selected()
		if !ok {
			return nil
		}
		m.active = pageCopy
		m.copy = newCopyView(m.c, m.d, o, msg.from)
		return tea.Batch(m.copy.focus(), m.d.loadDetails(false))
	case pageUpdate:
		o, ok := m.d.selected()
		if !ok {
			return nil
		}
		m.active = pageUpdate
		m.update = newUpdateView(m.c, m.d, o, msg.from)
		return tea.Batch(m.d.loadResources(false), m.d.loadDetails(false))
	}
	return nil
}

// gotRun hands a command's outcome to the view whose runner ran it.
func (m *Model) gotRun(msg runMsg) tea.Cmd {
	var cmd tea.Cmd
	var finished bool
	switch {
	case m.remove != nil && m.remove.run.owns(msg):
		cmd, finished = m.remove.gotRun(msg)
	case m.change != nil && m.change.run.owns(msg):
		cmd, finished = m.change.gotRun(msg)
	case m.update != nil && m.update.run.owns(msg):
		cmd, finished = m.update.gotRun(msg)
	default:
		return nil
	}
	if finished {
		m.quitTries = 0
	}
	return cmd
}

// View renders the active view in the body size.
func (m *Model) View() string { return m.view().View() }

// ShortHelp is the help line of the active view.
func (m *Model) ShortHelp() []key.Binding { return m.view().ShortHelp() }

// FullHelp is every binding of the active view.
func (m *Model) FullHelp() [][]key.Binding { return m.view().FullHelp() }
