package steps

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Name asks for the osimage name and checks it as it is typed: locally
// (ValidName, LongestName for the plan) at once, and in NIM (NameTaken)
// after a pause, with a spinner. The suggestion is the field's placeholder
// (ghost text): tab, or Enter on the empty field, takes it; what the admin
// types is the name.
//
// Every edit ends in a check of the text the field holds then: one query
// at a time, a result for an older text is dropped and the current text
// checked at once. Enter while a check is pending or running is kept: the
// step goes on as soon as that check says the name is free, or shows why
// not.
type Name struct {
	base
	// Base, when set, is what suggestions start from (the osimage given to
	// --from); otherwise they come from the plan's source, or "osimage".
	Base  string
	keys  ui.NameKeys
	input textinput.Model

	seq      int // bumped on each edit; stale debounce ticks are dropped
	check    ui.Loader
	querying string // the name a NIM query is running for, "" when none
	checked  string // the name the last NIM answer is about
	taken    nim.Taken
	waiting  bool // Enter pressed during a check: go on when it passes
	tried    bool // Enter pressed on a bad name: say why next to the field
	suggest  string
	suggErr  error
	suggLoad ui.Loader
}

type nameDebounceMsg struct {
	step *Name
	seq  int
}
type nameCheckedMsg struct {
	step  *Name
	name  string
	taken nim.Taken
	err   error
}
type nameSuggestMsg struct {
	step *Name
	name string
	err  error
}

// namePlaceholder is the field's ghost text until a name is suggested.
const namePlaceholder = "e.g. 72cosi"

// NewName returns the name step.
func NewName(c ui.Common, env Env) *Name {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.Placeholder = namePlaceholder
	in.PlaceholderStyle = c.Styles.Subtle
	in.CharLimit = 64
	in.Width = nim.MaxNameLen + 2
	s := &Name{
		base:     base{c: c, env: env},
		keys:     c.Keys.Name,
		input:    in,
		check:    ui.NewLoader("the name in NIM and xCAT"),
		suggLoad: ui.NewLoader("a free name"),
	}
	s.check.Verb, s.suggLoad.Verb = "check", "find"
	return s
}

func (s *Name) Title() string { return "Name" }
func (s *Name) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Next, s.keys.Suggest, s.keys.Retry}
}
func (s *Name) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *Name) Apply(p nim.Plan) nim.Plan { p.Name = s.Value(); return p }
func (s *Name) Value() string             { return strings.TrimSpace(s.input.Value()) }
func (s *Name) Suggestion() string        { return s.suggest }

func (s *Name) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	cmds := []tea.Cmd{s.input.Focus()}
	if !s.entered {
		s.entered = true
		if p.Name != "" && s.Base == "" {
			s.input.SetValue(p.Name)
			s.input.CursorEnd()
		}
		cmds = append(cmds, s.suggLoad.Start(), s.suggestCmd(p))
	}
	s.waiting = false
	if s.Value() != "" && s.checked != s.Value() {
		cmds = append(cmds, s.edited())
	}
	return tea.Batch(cmds...)
}

// localProblem is what is wrong with v without asking NIM.
func (s *Name) localProblem(v string) string {
	if err := nim.ValidName(v); err != nil {
		return err.Error()
	}
	p := s.plan
	p.Name = v
	if max := p.LongestName(); max > 0 && len(v) > max {
		return fmt.Sprintf("%q is %d characters; with this plan's resource names (%s) at most %d fit in NIM's %d",
			v, len(v), longestName(p), max, nim.MaxNameLen)
	}
	return p.NameProblem() // "0", and names every NIM master has

}

// longestName writes the plan's longest resource name as NAME_suffix.
func longestName(p nim.Plan) string {
	if suf := wizard.LongestSuffix(p); suf != "" {
		return "NAME" + suf
	}
	return "NAME only"
}

// edited is called after every change of the field: the current text is
// checked in NIM after the debounce (at once when Enter is waiting), or,
// while a query runs, as soon as that query answers.
func (s *Name) edited() tea.Cmd {
	s.seq++
	s.tried = false
	v := s.Value()
	if v == "" || s.localProblem(v) != "" {
		s.check.Finish(nil)
		s.checked = ""
		if s.waiting {
			s.waiting, s.tried = false, true
		}
		return nil
	}
	if v == s.checked && s.check.Err == nil {
		// Typed back to the name last answered about (a query for another
		// text may still run: its answer is dropped).
		s.check.Finish(nil)
		return s.goOn()
	}
	cmd := s.check.Start()
	switch {
	case s.querying != "":
		return cmd // the running query's answer starts the check of v
	case s.env.Debounce <= 0 || s.waiting:
		return tea.Batch(cmd, s.query(v))
	}
	seq := s.seq
	return tea.Batch(cmd, tea.Tick(s.env.Debounce, func(time.Time) tea.Msg { return nameDebounceMsg{s, seq} }))
}

// recheck asks NIM again about the current text (ctrl+r).
func (s *Name) recheck() tea.Cmd {
	s.checked = ""
	return s.edited()
}

// query starts the NIM check of v.
func (s *Name) query(v string) tea.Cmd {
	s.querying = v
	n := s.env.NIM
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		t, err := n.NameTaken(c, v)
		return nameCheckedMsg{step: s, name: v, taken: t, err: err}
	}
}

// goOn is what a kept Enter does once the check of the current text has
// answered: next when the name is free, else the reason by the field.
func (s *Name) goOn() tea.Cmd {
	if !s.waiting {
		return nil
	}
	s.waiting = false
	if s.ready() {
		return nextFrom(s)
	}
	s.tried = true
	return nil
}

// pressedEnter goes on with a free name, keeps the key while the current
// text is being checked, and otherwise says what is wrong.
func (s *Name) pressedEnter() tea.Cmd {
	var cmds []tea.Cmd
	if s.Value() == "" && s.suggest != "" {
		// The ghost text is the answer when nothing was typed.
		s.input.SetValue(s.suggest)
		s.input.CursorEnd()
		cmds = append(cmds, s.edited())
	}
	v := s.Value()
	switch {
	case s.ready():
		return tea.Batch(append(cmds, next)...)
	case v == "" || s.localProblem(v) != "" || (s.check.Err != nil && !s.check.Loading):
		s.tried = true
	case s.check.Loading:
		s.waiting = true
		if s.querying == "" {
			cmds = append(cmds, s.query(v)) // skip what is left of the debounce
		}
	default:
		s.tried = true // NIM answered: taken
	}
	return tea.Batch(cmds...)
}

// suggestCmd finds a free name (SuggestName) off the event loop.
func (s *Name) suggestCmd(p nim.Plan) tea.Cmd {
	n := s.env.NIM
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		name, err := wizard.SuggestName(c, n, p, s.Base)
		return nameSuggestMsg{step: s, name: name, err: err}
	}
}

func (s *Name) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case nameDebounceMsg:
		if msg.step == s && msg.seq == s.seq && s.querying == "" && s.check.Loading {
			return s.query(s.Value())
		}
		return nil
	case nameCheckedMsg:
		if msg.step != s {
			return nil
		}
		s.querying = ""
		if v := s.Value(); msg.name != v {
			// Stale: the text changed while NIM answered. Check the text
			// the field holds now, unless it needs no query.
			if s.check.Loading && v != "" && s.localProblem(v) == "" {
				return s.query(v)
			}
			return nil
		}
		s.check.Finish(msg.err)
		if msg.err == nil {
			s.checked, s.taken = msg.name, msg.taken
		}
		return s.goOn()
	case nameSuggestMsg:
		if msg.step != s {
			return nil
		}
		s.suggLoad.Finish(msg.err)
		s.suggest, s.suggErr = msg.name, msg.err
		s.input.Placeholder = namePlaceholder
		if msg.name != "" {
			// Marked in words too: without colour, ghost text looks typed.
			s.input.Placeholder = wizard.Ghost(msg.name)
		}
		return nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, s.keys.Next):
			return s.pressedEnter()
		case key.Matches(msg, s.keys.Suggest):
			if s.suggest != "" && s.Value() != s.suggest {
				s.input.SetValue(s.suggest)
				s.input.CursorEnd()
				return s.edited()
			}
			return nil
		case key.Matches(msg, s.keys.Retry):
			var cmds []tea.Cmd
			if s.check.Err != nil || s.Value() != "" {
				cmds = append(cmds, s.recheck())
			}
			if s.suggErr != nil {
				cmds = append(cmds, s.suggLoad.Start(), s.suggestCmd(s.plan))
			}
			return tea.Batch(cmds...)
		}
		before := s.input.Value()
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		if s.input.Value() != before {
			return tea.Batch(cmd, s.edited())
		}
		return cmd
	}
	var cmds []tea.Cmd
	cmds = append(cmds, s.check.Update(msg), s.suggLoad.Update(msg))
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return tea.Batch(append(cmds, cmd)...)
}

// free reports whether NIM said the current value is free.
func (s *Name) free() bool {
	return s.checked == s.Value() && !s.taken.Any()
}

func (s *Name) ready() bool {
	v := s.Value()
	return v != "" && s.localProblem(v) == "" && !s.check.Loading && s.check.Err == nil && s.free()
}

// status is the line under the field: the first thing wrong, or ok.
func (s *Name) status() string {
	st, w := s.c.Styles, s.bodyWidth()
	v := s.Value()
	switch {
	case v == "":
		if s.tried {
			tab := ""
			if s.suggest != "" {
				tab = s.keys.Suggest.Help().Key
			}
			return errLine(st, wizard.NameNeeded(tab), w)
		}
		return ""
	case s.localProblem(v) != "":
		return errLine(st, s.localProblem(v), w)
	case s.check.Loading:
		return s.check.SpinnerView(st) + " " + ui.Wrap(st.Subtle, wizard.NameChecking(v, s.waiting), w-2)
	case s.check.Err != nil:
		return s.check.View(st, w, "ctrl+r")
	case s.checked == v && s.taken.Any():
		return errLine(st, wizard.TakenProblem(v, s.taken), w)
	case s.free():
		return okLine(st, wizard.NameFree(v), w)
	}
	return ""
}

func (s *Name) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	p := s.plan
	p.Name = "NAME"
	var b strings.Builder
	s.intro(&b, wizard.NameQuestion, wizard.NameExplain)
	b.WriteString(st.Label.Render("Name ") + s.input.View() + "\n")
	b.WriteString(ui.Wrap(st.Subtle, wizard.NameLimit(p, longestName(p)), w) + "\n")
	if line := s.status(); line != "" {
		b.WriteString("\n" + line + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.suggLoad.Loading:
		b.WriteString(s.suggLoad.View(st, w, "ctrl+r"))
	case s.suggErr != nil:
		b.WriteString(s.suggLoad.View(st, w, "ctrl+r"))
	case s.suggest != "" && s.Value() == "":
		b.WriteString(ui.Wrap(st.Subtle, wizard.SuggestionText(s.suggest, "press "+s.keys.Suggest.Help().Key+" or "+s.keys.Next.Help().Key), w))
	case s.suggest != "" && s.suggest != s.Value():
		b.WriteString(ui.Wrap(st.Subtle, wizard.SuggestionText(s.suggest, "press "+s.keys.Suggest.Help().Key), w))
	}
	return strings.TrimRight(b.String(), "\n")
}

// About names what the answer is about, for tests that deliver answers in
// their own order: the name checked, or "suggest".
func (m nameCheckedMsg) About() string { return m.name }
func (m nameSuggestMsg) About() string { return "suggest" }
