package steps

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// NameKeys are the name step's bindings.
type NameKeys struct {
	Next, Suggest, Retry key.Binding
}

func (k NameKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Next, k.Suggest, k.Retry} }
func (k NameKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Name asks for the osimage name and checks it as it is typed: locally
// (ValidName, LongestName for the plan) at once, and in NIM (NameTaken)
// after a pause, with a spinner.
type Name struct {
	base
	// Base, when set, is what suggestions start from (the osimage given to
	// --from); otherwise they come from the plan's source, or "osimage".
	Base  string
	keys  NameKeys
	input textinput.Model

	seq      int // bumped on each edit; stale checks are dropped
	check    ui.Loader
	checked  string // the name the last NIM answer is about
	taken    nim.Taken
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

// NewName returns the name step.
func NewName(c ui.Common, env Env) *Name {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.Placeholder = "e.g. 72cosi"
	in.CharLimit = 64
	in.Width = nim.MaxNameLen + 2
	s := &Name{
		base: base{c: c, env: env},
		keys: NameKeys{
			Next:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
			Suggest: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "use suggestion")),
			Retry:   key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "check again")),
		},
		input:    in,
		check:    ui.NewLoader("the name in NIM and xCAT"),
		suggLoad: ui.NewLoader("a free name"),
	}
	s.check.Verb, s.suggLoad.Verb = "check", "find"
	return s
}

func (s *Name) Title() string             { return "Name" }
func (s *Name) ShortHelp() []key.Binding  { return s.keys.ShortHelp() }
func (s *Name) FullHelp() [][]key.Binding { return s.keys.FullHelp() }
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
			v, len(v), longestSuffix(p), max, nim.MaxNameLen)
	}
	return ""
}

func longestSuffix(p nim.Plan) string {
	longest := ""
	for _, r := range p.Resources() {
		if !r.Reused && strings.HasPrefix(r.Name, p.Name) && len(r.Name)-len(p.Name) > len(longest) {
			longest = r.Name[len(p.Name):]
		}
	}
	if longest == "" {
		return "NAME only"
	}
	return "NAME" + longest
}

// edited restarts the NIM check for the current value after the debounce.
func (s *Name) edited() tea.Cmd {
	s.seq++
	s.tried = false
	v := s.Value()
	if v == "" || s.localProblem(v) != "" {
		s.check.Finish(nil)
		s.checked = ""
		return nil
	}
	seq := s.seq
	cmd := s.check.Start()
	if s.env.Debounce <= 0 {
		return tea.Batch(cmd, s.checkCmd(v))
	}
	return tea.Batch(cmd, tea.Tick(s.env.Debounce, func(time.Time) tea.Msg { return nameDebounceMsg{s, seq} }))
}

func (s *Name) checkCmd(v string) tea.Cmd {
	n := s.env.NIM
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		t, err := n.NameTaken(c, v)
		return nameCheckedMsg{step: s, name: v, taken: t, err: err}
	}
}

// SuggestBases lists the names a suggestion may start from: the osimage
// copied (--from), then one derived from the source (an lpp_source's name
// without its _lpp_source suffix, a directory's last element), then
// "osimage".
func SuggestBases(p nim.Plan, from string) []string {
	var out []string
	add := func(s string) {
		s = sanitizeName(s)
		if s != "" {
			out = append(out, s)
		}
	}
	add(from)
	switch p.SourceKind() {
	case nim.SourceLppSource:
		n := p.Source
		for _, suf := range []string{"_lpp_source", "-lpp_source", "_lpp", "-lpp"} {
			n = strings.TrimSuffix(n, suf)
		}
		add(n)
	case nim.SourceDirectory:
		add(path.Base(p.Source))
	}
	add("osimage")
	return out
}

var nameJunk = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func sanitizeName(s string) string {
	s = nameJunk.ReplaceAllString(s, "")
	if len(s) > 24 {
		s = s[:24]
	}
	return s
}

// suggestCmd finds a free name: base, base2, base3, ... for each base, and
// for "osimage" osimage1, osimage2, ...
func (s *Name) suggestCmd(p nim.Plan) tea.Cmd {
	n := s.env.NIM
	bases := SuggestBases(p, s.Base)
	return func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		for _, b := range bases {
			for i := 1; i <= 9; i++ {
				cand := b
				if i > 1 || b == "osimage" {
					cand = fmt.Sprintf("%s%d", b, i)
					if b != "osimage" {
						cand = fmt.Sprintf("%s_%d", b, i)
					}
				}
				if b == s.Base && i == 1 {
					continue // the osimage copied from exists
				}
				q := p
				q.Name = cand
				if nim.ValidName(cand) != nil || len(cand) > q.LongestName() {
					break
				}
				t, err := n.NameTaken(c, cand)
				if err != nil {
					return nameSuggestMsg{step: s, err: err}
				}
				if !t.Osimage && t.NIMType == "" {
					return nameSuggestMsg{step: s, name: cand}
				}
			}
		}
		return nameSuggestMsg{step: s}
	}
}

func (s *Name) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case nameDebounceMsg:
		if msg.step == s && msg.seq == s.seq {
			return s.checkCmd(s.Value())
		}
		return nil
	case nameCheckedMsg:
		if msg.step != s || msg.name != s.Value() {
			return nil // stale: the name changed since
		}
		s.check.Finish(msg.err)
		if msg.err == nil {
			s.checked, s.taken = msg.name, msg.taken
		}
		return nil
	case nameSuggestMsg:
		if msg.step != s {
			return nil
		}
		s.suggLoad.Finish(msg.err)
		s.suggest, s.suggErr = msg.name, msg.err
		if s.Value() == "" && msg.name != "" {
			s.input.SetValue(msg.name)
			s.input.CursorEnd()
			s.check.Finish(nil)
			s.seq++
			s.checked, s.taken = msg.name, nim.Taken{}
		}
		return nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, s.keys.Next):
			if s.ready() {
				return next
			}
			s.tried = true
			return nil
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
				cmds = append(cmds, s.edited())
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
	return s.checked == s.Value() && !s.taken.Osimage && s.taken.NIMType == ""
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
			return errLine(st, "type a name (or press tab to use the suggestion)", w)
		}
		return ""
	case s.localProblem(v) != "":
		return errLine(st, s.localProblem(v), w)
	case s.check.Loading:
		return s.check.SpinnerView(st) + st.Subtle.Render(fmt.Sprintf(" checking %q in NIM...", v))
	case s.check.Err != nil:
		return s.check.View(st, w, "ctrl+r")
	case s.checked == v && s.taken.Osimage:
		return errLine(st, fmt.Sprintf("an xCAT osimage named %q already exists; choose another name (see it with: lsdef -t osimage %s)", v, v), w)
	case s.checked == v && s.taken.NIMType != "":
		return errLine(st, fmt.Sprintf("%q is already a NIM %s object, and NIM names must be unique; choose another name", v, s.taken.NIMType), w)
	case s.free():
		return okLine(st, fmt.Sprintf("%q is free in xCAT and NIM.", v), w)
	}
	return ""
}

func (s *Name) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	p := s.plan
	p.Name = "NAME"
	var b strings.Builder
	b.WriteString(st.Heading.Render("What should the new osimage be called?") + "\n\n")
	b.WriteString(ui.Wrap(st.Subtle, "The name is used for the xCAT osimage and for its SPOT. The NIM resources made for it are named after it: NAME_lpp_source, NAME_root or NAME_shared_root, NAME_paging, NAME_dump. Letters, digits, '-' and '_'.", w) + "\n\n")
	b.WriteString(st.Label.Render("Name ") + s.input.View() + "\n")
	max := s.plan.LongestName()
	b.WriteString(ui.Wrap(st.Subtle, fmt.Sprintf("At most %d characters for this plan: NIM allows %d, and %s must fit.", max, nim.MaxNameLen, longestSuffix(p)), w) + "\n")
	if line := s.status(); line != "" {
		b.WriteString("\n" + line + "\n")
	}
	b.WriteString("\n")
	switch {
	case s.suggLoad.Loading:
		b.WriteString(s.suggLoad.View(st, w, "ctrl+r"))
	case s.suggErr != nil:
		b.WriteString(s.suggLoad.View(st, w, "ctrl+r"))
	case s.suggest != "" && s.suggest != s.Value():
		b.WriteString(st.Subtle.Render(fmt.Sprintf("Suggestion: %s (free) - press tab to use it", s.suggest)))
	}
	return strings.TrimRight(b.String(), "\n")
}
