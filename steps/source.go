package steps

import (
	"fmt"
	"path"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Source asks where the software comes from: product media, a directory of
// installp images, or an existing lpp_source.
type Source struct {
	base
	keys  ui.SourceKeys
	focus int // 0: the kinds, 1: the chosen kind's list or field
	kind  cursor

	devices   []nim.CDDevice
	devLevels []wizard.Level // the disc's level in each drive
	devLoad   ui.Loader
	devCur    cursor

	lpps      []nim.Object
	lppLevels []wizard.Level // each lpp_source's level
	lppLoad   ui.Loader
	lppCur    cursor

	// The offer of an lpp_source at the level of the media or directory
	// chosen (it skips the copy): asked once per source.
	confirm  ui.Confirm
	offer    string // the lpp_source offered
	offerFor string // the media or directory it was offered for
	offered  map[string]bool

	dir        textinput.Model
	dirSeq     int
	report     wizard.DirReport
	inspecting bool
	matches    []string // directory names the last tab completion offered

	refusal string // why the last Enter was refused, shown under the list
	chosen  string // the source value once accepted
}

type devicesMsg struct {
	step   *Source
	devs   []nim.CDDevice
	levels []wizard.Level
	err    error
}
type lppsMsg struct {
	step   *Source
	objs   []nim.Object
	levels []wizard.Level
	err    error
}
type dirMsg struct {
	step   *Source
	seq    int
	report wizard.DirReport
}

// NewSource returns the source step.
func NewSource(c ui.Common, env Env) *Source {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.CharLimit = 1024
	s := &Source{
		base:    base{c: c, env: env},
		keys:    c.Keys.Source,
		dir:     in,
		devLoad: ui.NewLoader("CD/DVD drives (lsdev -Cc cdrom)"),
		lppLoad: ui.NewLoader("lpp_source resources (lsnim -l -t lpp_source)"),
		confirm: ui.NewConfirm(c.Keys.Source.Confirm),
		offered: map[string]bool{},
	}
	s.kind.set(len(wizard.SourceKinds))
	return s
}

func (s *Source) Title() string { return "Source" }

func (s *Source) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.dir.Width = s.bodyWidth() - 14
}

// ShortHelp shows the keys that work now. It works on copies: the
// bindings Update matches against stay enabled.
func (s *Source) ShortHelp() []key.Binding {
	if s.confirm.Open() {
		return s.confirm.ShortHelp()
	}
	k := s.keys
	inDetail := s.focus == 1
	k.Complete.SetEnabled(inDetail && s.kind.pos == wizard.KindDirectory)
	k.Kinds.SetEnabled(inDetail)
	k.Retry.SetEnabled(inDetail && s.kind.pos != wizard.KindDirectory && s.loader().Err != nil)
	k.Up.SetEnabled(!(inDetail && s.kind.pos == wizard.KindDirectory))
	k.Down.SetEnabled(!(inDetail && s.kind.pos == wizard.KindDirectory))
	return []key.Binding{k.Choose, k.Kinds, k.Complete, k.Retry, k.Up, k.Down}
}
func (s *Source) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

// Capturing: in a kind's list or field, esc goes back to the kinds first.
func (s *Source) Capturing() bool { return s.focus == 1 || s.confirm.Open() }

func (s *Source) Apply(p nim.Plan) nim.Plan {
	if s.chosen != "" {
		p.Source = s.chosen
	}
	return p
}

// Warnings: none (a directory without .toc is fine: wizard.NoTOC).
func (s *Source) Warnings() []string { return nil }

func (s *Source) loader() *ui.Loader {
	if s.kind.pos == wizard.KindMedia {
		return &s.devLoad
	}
	return &s.lppLoad
}

func (s *Source) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	if s.entered {
		if s.focus == 1 && s.kind.pos == wizard.KindDirectory {
			return s.dir.Focus()
		}
		return nil
	}
	s.entered = true
	start := wizard.DefaultImageDirs[len(wizard.DefaultImageDirs)-1]
	for _, d := range wizard.DefaultImageDirs {
		if r := wizard.InspectDir(s.env.Root, d); r.Layout != wizard.LayoutMissing && r.Layout != wizard.LayoutNotDir {
			start = d
			break
		}
	}
	s.dir.SetValue(start)
	if p.SourceKind() != nim.SourceUnknown {
		s.kind.pos, s.focus = wizard.KindOf(p), 1
	}
	if p.SourceKind() == nim.SourceDirectory {
		s.dir.SetValue(p.Source)
	}
	s.dir.CursorEnd()
	cmds := []tea.Cmd{s.loadDevices(), s.loadLpps(), s.inspect()}
	if s.focus == 1 && s.kind.pos == wizard.KindDirectory {
		cmds = append(cmds, s.dir.Focus())
	}
	return tea.Batch(cmds...)
}

func (s *Source) loadDevices() tea.Cmd {
	n, root := s.env.NIM, s.env.Root
	return tea.Batch(s.devLoad.Start(), func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		d, err := n.CDDevices(c)
		levels := make([]wizard.Level, len(d))
		for i, dev := range d {
			if wizard.DeviceUsable(dev) {
				levels[i] = wizard.MediaLevel(root, "/dev/"+dev.Name)
			}
		}
		return devicesMsg{s, d, levels, err}
	})
}

func (s *Source) loadLpps() tea.Cmd {
	n, root := s.env.NIM, s.env.Root
	return tea.Batch(s.lppLoad.Start(), func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		o, err := n.ObjectsOfType(c, "lpp_source")
		return lppsMsg{s, o, wizard.LppLevels(root, o), err}
	})
}

// inspect looks at the typed directory off the event loop: a hung NFS
// mount must not freeze the screen.
func (s *Source) inspect() tea.Cmd {
	s.dirSeq++
	s.inspecting = true
	seq, root, dir := s.dirSeq, s.env.Root, strings.TrimSpace(s.dir.Value())
	return func() tea.Msg {
		var r wizard.DirReport
		if path.IsAbs(dir) {
			r = wizard.InspectDir(root, path.Clean(dir))
		} else {
			r = wizard.DirReport{Dir: dir, Layout: wizard.LayoutMissing}
		}
		r.Dir = dir
		return dirMsg{s, seq, r}
	}
}

func (s *Source) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case devicesMsg:
		if msg.step == s {
			s.devLoad.Finish(msg.err)
			s.devices, s.devLevels = msg.devs, msg.levels
			s.devCur.set(len(s.devices))
			found := false
			for i, d := range s.devices {
				if s.plan.Source == "/dev/"+d.Name {
					s.devCur.pos, found = i, true
				}
			}
			if msg.err == nil && !found && s.plan.SourceKind() == nim.SourceDevice && s.chosen == "" {
				s.refusal = fmt.Sprintf("the plan's source %s is not a drive on this master any more; choose another", s.plan.Source)
			}
		}
		return nil
	case lppsMsg:
		if msg.step == s {
			s.lppLoad.Finish(msg.err)
			s.lpps, s.lppLevels = msg.objs, msg.levels
			s.lppCur.set(len(s.lpps))
			found := false
			for i, o := range s.lpps {
				if s.plan.Source == o.Name {
					s.lppCur.pos, found = i, true
				}
			}
			if msg.err == nil && !found && s.plan.SourceKind() == nim.SourceLppSource && s.chosen == "" {
				s.refusal = fmt.Sprintf("the plan's lpp_source %s is not in NIM any more; choose another", s.plan.Source)
			}
		}
		return nil
	case dirMsg:
		if msg.step == s && msg.seq == s.dirSeq {
			s.report, s.inspecting = msg.report, false
		}
		return nil
	case tea.KeyMsg:
		return s.key(msg)
	}
	cmds := []tea.Cmd{s.devLoad.Update(msg), s.lppLoad.Update(msg)}
	var cmd tea.Cmd
	s.dir, cmd = s.dir.Update(msg)
	return tea.Batch(append(cmds, cmd)...)
}

func (s *Source) key(msg tea.KeyMsg) tea.Cmd {
	if s.confirm.Open() {
		answered, yes := s.confirm.Update(msg)
		if !answered {
			return nil
		}
		s.chosen = s.offerFor
		if yes {
			s.chosen = s.offer
		}
		return next
	}
	if s.focus == 0 {
		if s.kind.move(msg, s.keys.Up, s.keys.Down) {
			s.refusal = ""
			return nil
		}
		if key.Matches(msg, s.keys.Choose, s.keys.Tab) {
			s.focus, s.refusal = 1, ""
			if s.kind.pos == wizard.KindDirectory {
				return s.dir.Focus()
			}
		}
		return nil
	}
	if key.Matches(msg, s.keys.Kinds) {
		s.focus, s.refusal = 0, ""
		s.dir.Blur()
		return nil
	}
	switch s.kind.pos {
	case wizard.KindMedia, wizard.KindLppSource:
		cur := &s.devCur
		if s.kind.pos == wizard.KindLppSource {
			cur = &s.lppCur
		}
		if cur.move(msg, s.keys.Up, s.keys.Down) {
			s.refusal = ""
			return nil
		}
		switch {
		case key.Matches(msg, s.keys.Retry):
			if s.kind.pos == wizard.KindMedia {
				return s.loadDevices()
			}
			return s.loadLpps()
		case key.Matches(msg, s.keys.Choose):
			return s.choose()
		}
		return nil
	}
	// The directory field.
	switch {
	case key.Matches(msg, s.keys.Complete):
		done, matches := wizard.CompleteDir(s.env.Root, s.dir.Value())
		s.matches = nil
		if len(matches) > 1 {
			s.matches = matches
		}
		if done != s.dir.Value() {
			s.dir.SetValue(done)
			s.dir.CursorEnd()
			return s.inspect()
		}
		return nil
	case key.Matches(msg, s.keys.Choose):
		return s.choose()
	}
	before := s.dir.Value()
	var cmd tea.Cmd
	s.dir, cmd = s.dir.Update(msg)
	if s.dir.Value() != before {
		s.refusal, s.matches = "", nil
		return tea.Batch(cmd, s.inspect())
	}
	return cmd
}

// choose accepts the row or directory under the cursor, or says why not.
func (s *Source) choose() tea.Cmd {
	s.refusal = ""
	switch s.kind.pos {
	case wizard.KindMedia:
		if s.devLoad.Loading || len(s.devices) == 0 {
			return nil
		}
		d := s.devices[s.devCur.pos]
		if !wizard.DeviceUsable(d) {
			s.refusal = wizard.DeviceRefusal(d, "press r")
			return nil
		}
		s.chosen = "/dev/" + d.Name
		return s.offerReuse(s.chosen, s.devLevel(s.devCur.pos))
	case wizard.KindLppSource:
		if s.lppLoad.Loading || len(s.lpps) == 0 {
			return nil
		}
		o := s.lpps[s.lppCur.pos]
		if msg := wizard.LppProblem(o); msg != "" {
			s.refusal = msg
			return nil
		}
		s.chosen = o.Name
	case wizard.KindDirectory:
		dir := strings.TrimSpace(s.dir.Value())
		if s.inspecting || s.report.Dir != dir {
			return nil // the answer for this path is on its way
		}
		if msg := wizard.DirRefusal(s.report, pickSubdir); msg != "" {
			s.refusal = msg
			return nil
		}
		s.chosen = path.Clean(dir)
		return s.offerReuse(s.chosen, s.report.Level)
	}
	return next
}

func (s *Source) devLevel(i int) wizard.Level {
	if i < len(s.devLevels) {
		return s.devLevels[i]
	}
	return wizard.Level{}
}

// offerReuse goes on with media or directory src, unless NIM has a usable
// lpp_source at its level lvl: that is offered first (once per source).
func (s *Source) offerReuse(src string, lvl wizard.Level) tea.Cmd {
	i := wizard.SameLevelLpp(s.lpps, s.lppLevels, lvl)
	if i < 0 || s.offered[src] {
		return next
	}
	s.offered[src] = true
	s.offer, s.offerFor = s.lpps[i].Name, src
	s.confirm.Ask(wizard.ReuseQuestion(s.lpps[i], lvl, src) + ".")
	return nil
}

// pickSubdir is how a subdirectory is picked here (wizard.DirRefusal).
const pickSubdir = "Press tab to complete one."

// dirFinding says what InspectDir found, in the wizard's words.
func (s *Source) dirFinding() string {
	st, w := s.c.Styles, s.bodyWidth()
	r := s.report
	if s.inspecting && r.Dir != strings.TrimSpace(s.dir.Value()) {
		return st.Subtle.Render("looking...")
	}
	if msg := wizard.DirRefusal(r, pickSubdir); msg != "" {
		if r.Layout == wizard.LayoutEmpty && len(r.Subdirs) == 0 {
			return ui.Wrap(st.Warning, "empty: "+msg, w)
		}
		return ui.Wrap(st.Subtle, msg, w)
	}
	var out string
	if found := wizard.LayoutFinding(r); found != "" {
		out = okLine(st, found, w)
	}
	if r.Layout == wizard.LayoutNoTOC {
		out = okLine(st, wizard.NoTOC(r), w)
	}
	if out != "" {
		out += "\n" + ui.Wrap(st.Text, wizard.LevelFound(r.Level), w)
	}
	return out
}

func (s *Source) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	var b strings.Builder
	b.WriteString(st.Heading.Render(wizard.SourceQuestion) + "\n\n")
	rows := make([]listRow, len(wizard.SourceKinds))
	for i, k := range wizard.SourceKinds {
		rows[i] = listRow{Text: wizard.Pad(k.Title, 21) + k.What}
	}
	if s.focus == 0 {
		b.WriteString(renderList(st, rows, s.kind.pos, 3, true))
	} else {
		for i, k := range wizard.SourceKinds {
			mark := "  "
			if i == s.kind.pos {
				mark = "* "
			}
			line := mark + k.Title
			if i == s.kind.pos {
				b.WriteString(st.Focused.Render(line))
			} else {
				b.WriteString(st.Unfocused.Render(line))
			}
			if i < len(wizard.SourceKinds)-1 {
				b.WriteString("   ")
			}
		}
		b.WriteString("\n" + st.Subtle.Render(ui.Truncate(wizard.SourceKinds[s.kind.pos].What, w)))
	}
	b.WriteString("\n\n")
	if s.focus == 0 {
		b.WriteString(st.Subtle.Render("Press enter to choose "+strings.ToLower(wizard.SourceKinds[s.kind.pos].Title)+".") + "\n")
	}
	listMax := s.c.Height - 12
	if listMax < 2 {
		listMax = 2
	}
	switch s.kind.pos {
	case wizard.KindMedia:
		rows := make([]listRow, len(s.devices))
		for i, d := range s.devices {
			rows[i] = listRow{Text: termtext.String(wizard.DeviceLevelRow(d, s.devLevel(i))), Disabled: !wizard.DeviceUsable(d)}
			if rows[i].Disabled {
				rows[i].Text += " (not usable)"
			}
		}
		b.WriteString(s.listView(&s.devLoad, wizard.NoDrives, rows, s.devCur.pos, listMax, "%d drive(s) found."))
	case wizard.KindLppSource:
		nameW := wizard.LppNameWidth(s.lpps)
		rows := make([]listRow, len(s.lpps))
		for i, o := range s.lpps {
			lvl := wizard.Level{}
			if i < len(s.lppLevels) {
				lvl = s.lppLevels[i]
			}
			rows[i] = listRow{Text: termtext.String(wizard.LppRow(o, nameW, lvl)), Disabled: !wizard.LppUsable(o)}
		}
		b.WriteString(s.listView(&s.lppLoad, wizard.NoLppSources, rows, s.lppCur.pos, listMax, "%d lpp_source(s) found."))
	case wizard.KindDirectory:
		b.WriteString(st.Label.Render("Directory ") + s.dir.View())
		if s.refusal == "" {
			b.WriteString("\n" + s.dirFinding())
		}
		if len(s.matches) > 0 {
			b.WriteString("\n" + st.Subtle.Render(ui.Truncate("matches: "+strings.Join(s.matches, "  "), w)))
		}
	}
	if s.refusal != "" {
		b.WriteString("\n\n" + errLine(st, s.refusal, w))
	}
	if s.confirm.Open() {
		b.WriteString("\n\n" + s.confirm.View(st, w))
	}
	return b.String()
}

// listView is the drives' or lpp_sources' part of the view: the loader while
// loading or failed, empty when there are none, else the rows (their count
// until the list has the focus).
func (s *Source) listView(load *ui.Loader, empty string, rows []listRow, cur, max int, found string) string {
	st, w := s.c.Styles, s.bodyWidth()
	switch v := load.View(st, w, "r"); {
	case v != "":
		return v
	case len(rows) == 0:
		return ui.Wrap(st.Subtle, empty, w)
	case s.focus == 1:
		return renderList(st, rows, cur, max, true)
	}
	return st.Subtle.Render(fmt.Sprintf(found, len(rows)))
}
