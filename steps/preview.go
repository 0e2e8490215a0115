package steps

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

type previewMode int

const (
	modeView previewMode = iota
	modeSave
)

// Preview shows the whole plan before anything is touched: the command
// line, the NIM resources, the osimage definition, every warning, and the
// caution about the SPOT. From here the admin goes back to a step, saves
// the plan, or creates (CreateMsg, after a y/N confirmation).
type Preview struct {
	base
	keys    ui.PreviewKeys
	confirm ui.Confirm // "Create osimage NAME now?"
	titles  []string   // the earlier steps, for "go back to"
	planDir string
	notes   []string // warnings from the steps
	vp      viewport.Model
	mode    previewMode
	path    textinput.Model
	saveErr string
	saved   string // where the plan was last saved
	replace string // the path the admin agreed to replace
	saving  bool
	note    string // shown above the save prompt

	// The pre-flight of the names (wizard.CheckNames), as job.Start runs it.
	names      *nim.NameCheck
	namesErr   error
	namesLoad  ui.Loader
	namesSeq   int
	createWait bool // create pressed during the check: ask once it passes
}

type namesMsg struct {
	step *Preview
	seq  int
	nc   nim.NameCheck
	err  error
}

type savedMsg struct {
	step *Preview
	path string
	err  error
}

// NewPreview returns the preview. titles are the steps before it (keys 1..n
// go back to them); planDir is where plans are saved by default.
func NewPreview(c ui.Common, env Env, titles []string, planDir string) *Preview {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.CharLimit = 1024
	keys := c.Keys.Preview
	// "1-N": the digits of the steps there are.
	keys.Goto.SetKeys(digits(len(titles))...)
	keys.Goto.SetHelp(fmt.Sprintf("1-%d", len(titles)), keys.Goto.Help().Desc)
	return &Preview{
		base:      base{c: c, env: env},
		titles:    titles,
		planDir:   planDir,
		keys:      keys,
		confirm:   ui.NewConfirm(keys.Confirm),
		vp:        viewport.New(0, 0),
		path:      in,
		namesLoad: ui.NewLoader("the names in xCAT and NIM"),
	}
}

func digits(n int) []string {
	var out []string
	for i := 1; i <= n && i <= 9; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func (s *Preview) Title() string { return "Preview" }

func (s *Preview) ShortHelp() []key.Binding {
	switch {
	case s.confirm.Open():
		return s.confirm.ShortHelp()
	case s.mode == modeSave:
		return []key.Binding{s.keys.Write, s.keys.Cancel}
	}
	create := s.keys.Create // a copy: Update matches the original
	create.SetEnabled(len(s.problems()) == 0)
	return []key.Binding{create, s.keys.Save, s.keys.Goto, s.keys.Down, s.keys.PgDown}
}

func (s *Preview) FullHelp() [][]key.Binding {
	if s.Capturing() {
		return [][]key.Binding{s.ShortHelp()}
	}
	var steps []key.Binding
	for i, t := range s.titles {
		steps = append(steps, key.NewBinding(key.WithKeys(strconv.Itoa(i+1)), key.WithHelp(strconv.Itoa(i+1), t)))
	}
	return [][]key.Binding{{s.keys.Create, s.keys.Save}, steps, {s.keys.Up, s.keys.Down, s.keys.PgUp, s.keys.PgDown}}
}

// Capturing: esc closes the prompt or confirmation first.
func (s *Preview) Capturing() bool           { return s.mode != modeView || s.confirm.Open() }
func (s *Preview) Apply(p nim.Plan) nim.Plan { return p }

// SetNotes gives the preview the steps' warnings.
func (s *Preview) SetNotes(notes []string) { s.notes = notes }

func (s *Preview) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.path.Width = w - 12
	s.layout()
}

func (s *Preview) layout() {
	s.vp.Width = s.c.Width
	s.vp.Height = s.c.Height - 3 // the action lines below
	if s.vp.Height < 3 {
		s.vp.Height = 3
	}
	s.vp.SetContent(s.content())
}

func (s *Preview) Enter(p nim.Plan) tea.Cmd {
	s.plan = p.WithDefaults()
	s.mode, s.saveErr, s.replace = modeView, "", ""
	s.confirm.Close()
	s.names, s.namesErr, s.createWait = nil, nil, false
	s.layout()
	s.vp.GotoTop()
	return s.checkNames()
}

// checkNames runs the pre-flight of a valid plan off the event loop.
func (s *Preview) checkNames() tea.Cmd {
	s.namesSeq++
	if len(s.plan.Validate()) > 0 || s.env.NIM == nil {
		s.namesLoad.Finish(nil)
		return nil
	}
	seq, n, p, busy := s.namesSeq, s.env.NIM, s.plan, s.env.Busy
	return tea.Batch(s.namesLoad.Start(), func() tea.Msg {
		if busy != nil {
			// A running job's half-made resources are not leftovers: say
			// whose they are (job.Start refuses the name the same way).
			if why := busy(p.Name); why != "" {
				return namesMsg{s, seq, nim.NameCheck{Osimage: p.Name, Problems: []nim.Problem{{Field: "name", Message: why}}}, nil}
			}
		}
		c, cancel := ctx()
		defer cancel()
		nc, err := wizard.CheckNames(c, n, p)
		return namesMsg{s, seq, nc, err}
	})
}

// problems are what keeps the plan from running: its own, then what the
// pre-flight found in xCAT and NIM.
func (s *Preview) problems() []nim.Problem {
	probs := s.plan.Validate()
	if s.names != nil {
		probs = append(probs, s.names.Problems...)
	}
	return probs
}

// askCreate asks before creating, when nothing stands in the way.
func (s *Preview) askCreate() {
	if len(s.problems()) == 0 {
		s.confirm.Ask(wizard.CreateQuestion(s.plan.Name) + ".")
	}
}

// DefaultPlanPath is where the plan is saved unless the admin types another path.
func (s *Preview) DefaultPlanPath() string {
	return wizard.DefaultPlanPath(s.planDir, s.plan)
}

func (s *Preview) content() string {
	st := s.c.Styles
	w := s.c.Width
	p := s.plan
	var b strings.Builder
	b.WriteString(st.Heading.Render(wizard.PreviewHeading) + "\n\n")
	b.WriteString(st.Label.Render(wizard.CommandLabel) + "\n")
	// No border or padding: the admin copies it with the mouse.
	b.WriteString(st.Code.Render(termtext.String(wizard.WrapCommand(p.Args(), w))) + "\n")
	b.WriteString(ui.Wrap(st.Subtle, wizard.VerboseNote(p), w) + "\n\n")

	b.WriteString(st.Label.Render(wizard.ResourcesLabel) + "\n")
	rows, attrW, nameW := wizard.ResourceRows(p, s.names)
	for _, r := range rows {
		line := r.Line(attrW, nameW)
		if len(line) > w {
			// Narrow terminal: the location on its own line, whole.
			line = fmt.Sprintf("  %s  %s  %s\n          %s", r.Verb, wizard.Pad(r.Attr, attrW), r.Name, r.Where)
		}
		b.WriteString(st.Text.Render(termtext.String(line)) + "\n") // a plan file's values, before Validate
	}
	b.WriteString("\n")

	label, lines := wizard.DefinitionLines(p)
	b.WriteString(st.Label.Render(label) + "\n")
	for _, l := range lines {
		b.WriteString(st.Text.Render(termtext.String(l)) + "\n")
	}
	b.WriteString("\n")

	switch {
	case s.namesLoad.Loading:
		b.WriteString(s.namesLoad.SpinnerView(st) + " " + st.Subtle.Render(wizard.CheckingNames) + "\n\n")
	case s.namesErr != nil:
		b.WriteString(ui.Wrap(st.Warning, "warning: "+wizard.NamesUnchecked(s.namesErr), w) + "\n\n")
	}
	if probs := s.problems(); len(probs) > 0 {
		b.WriteString(st.Error.Render(wizard.ProblemsLabel) + "\n")
		for _, pr := range probs {
			b.WriteString(ui.Wrap(st.Error, "  error: "+pr.Error(), w) + "\n")
		}
		b.WriteString("\n")
	}
	if len(s.notes) > 0 {
		b.WriteString(st.Warning.Render(wizard.WarningsLabel) + "\n")
		for _, n := range s.notes {
			b.WriteString(ui.Wrap(st.Warning, "  warning: "+n, w) + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(ui.Wrap(st.Warning, wizard.PreviewCaution, w))
	return b.String()
}

func (s *Preview) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case namesMsg:
		if msg.step != s || msg.seq != s.namesSeq {
			return nil
		}
		s.namesLoad.Finish(nil) // a failure is a warning: the run checks again
		s.names, s.namesErr = nil, msg.err
		if msg.err == nil {
			nc := msg.nc
			s.names = &nc
		}
		s.layout()
		if s.createWait {
			s.createWait = false
			s.askCreate()
		}
		return nil
	case savedMsg:
		if msg.step != s {
			return nil
		}
		s.saving = false
		if msg.err != nil {
			s.saveErr = msg.err.Error()
			return nil
		}
		p, path := s.plan, msg.path
		s.mode, s.saved = modeView, path
		s.path.Blur()
		return func() tea.Msg { return SavedMsg{Path: path, Plan: p} }
	case tea.KeyMsg:
		if s.confirm.Open() {
			if answered, yes := s.confirm.Update(msg); answered && yes {
				p := s.plan
				return func() tea.Msg { return CreateMsg{Plan: p} }
			}
			return nil
		}
		switch s.mode {
		case modeSave:
			switch {
			case key.Matches(msg, s.keys.Cancel):
				s.mode = modeView
				s.path.Blur()
				return nil
			case key.Matches(msg, s.keys.Write):
				return s.save()
			}
			before := s.path.Value()
			var cmd tea.Cmd
			s.path, cmd = s.path.Update(msg)
			if before != s.path.Value() {
				s.saveErr, s.replace = "", ""
			}
			return cmd
		}
		switch {
		case key.Matches(msg, s.keys.Create):
			if s.namesLoad.Loading {
				s.createWait = true // asked as soon as the check passes
				return nil
			}
			s.askCreate()
			return nil
		case key.Matches(msg, s.keys.Save):
			return s.PromptSave("")
		case key.Matches(msg, s.keys.Goto):
			i, _ := strconv.Atoi(msg.String())
			return func() tea.Msg { return GotoMsg{Index: i - 1} }
		}
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(msg)
		return cmd
	}
	var cmd tea.Cmd
	s.path, cmd = s.path.Update(msg)
	if c := s.namesLoad.Update(msg); c != nil {
		s.layout()
		return tea.Batch(cmd, c)
	}
	return cmd
}

// PromptSave opens the save prompt with the default path and an optional
// note above it.
func (s *Preview) PromptSave(note string) tea.Cmd {
	s.mode, s.saveErr, s.replace, s.note = modeSave, "", "", note
	s.path.SetValue(s.DefaultPlanPath())
	s.path.CursorEnd()
	return s.path.Focus()
}

// save writes the plan with SavePlan off the event loop. An existing file
// is only replaced after a second enter.
func (s *Preview) save() tea.Cmd {
	path := strings.TrimSpace(s.path.Value())
	if path == "" {
		s.saveErr = "type a file name"
		return nil
	}
	if _, err := os.Stat(path); err == nil && s.replace != path {
		s.replace = path
		s.saveErr = path + " exists; press enter again to replace it"
		return nil
	}
	if s.saving {
		return nil
	}
	s.saving = true
	p := s.plan
	return func() tea.Msg {
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return savedMsg{s, path, err}
			}
		}
		return savedMsg{s, path, nim.SavePlan(path, p)}
	}
}

func (s *Preview) View() string {
	st, w := s.c.Styles, s.c.Width
	var foot string
	switch {
	case s.confirm.Open():
		foot = s.confirm.View(st, w)
	case s.mode == modeSave:
		foot = st.Label.Render("Save plan to ") + s.path.View()
		if s.note != "" {
			foot = st.Subtle.Render(ui.Truncate(s.note, w)) + "\n" + foot
		}
		if s.saveErr != "" {
			foot += "\n" + errLine(st, s.saveErr, w)
		}
	default:
		if probs := s.problems(); len(probs) > 0 {
			foot = errLine(st, fmt.Sprintf("%d problem(s) to fix first: press 1-%d to change a step", len(probs), len(s.titles)), w)
		} else {
			foot = st.Subtle.Render(ui.Truncate(fmt.Sprintf("enter: create   s: save the plan   1-%d: change %s", len(s.titles), strings.Join(s.titles, ", ")), w))
		}
		if s.saved != "" {
			// The command on lines of its own, wrapped only between
			// arguments: it is copied whole.
			foot = okLine(st, wizard.SavedText(s.saved)+". "+wizard.RunLaterLabel, w) + "\n" +
				st.Code.Render(wizard.WrapCommand(wizard.ApplyArgv(s.saved), w)) + "\n" + foot
		}
		if !s.vp.AtBottom() {
			foot = st.Subtle.Render(fmt.Sprintf("(%d%% - down/pgdn for more)", int(s.vp.ScrollPercent()*100))) + "\n" + foot
		}
	}
	// The plan scrolls; the action lines stay at the bottom.
	s.vp.Height = max(3, s.c.Height-lipgloss.Height(foot))
	return s.vp.View() + "\n" + foot
}
