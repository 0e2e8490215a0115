package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Dump asks whether to create a dump resource (-D). Off by default; it
// needs xCAT 2.5 or later, checked with XcatVersion.
type Dump struct {
	base
	keys    ui.ListStepKeys
	cur     cursor // 0 no, 1 yes
	load    ui.Loader
	version nim.Version
	refusal string
}

type versionMsg struct {
	step *Dump
	v    nim.Version
	err  error
}

// NewDump returns the dump step with "no" preselected.
func NewDump(c ui.Common, env Env) *Dump {
	s := &Dump{
		base: base{c: c, env: env},
		keys: c.Keys.Dump,
		load: ui.NewLoader("the xCAT version (lsxcatd -v)"),
	}
	s.cur.set(2)
	return s
}

func (s *Dump) Title() string { return "Dump" }
func (s *Dump) ShortHelp() []key.Binding {
	k := s.keys // a copy: Update matches the originals
	k.Retry.SetEnabled(s.load.Err != nil)
	return []key.Binding{k.Up, k.Down, k.Next, k.Retry}
}
func (s *Dump) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *Dump) Apply(p nim.Plan) nim.Plan { p.Dump = s.cur.pos == 1; return p }

func (s *Dump) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	s.load.Drop()
	if s.entered {
		return nil
	}
	s.entered = true
	if p.Dump {
		s.cur.pos = 1
	}
	return s.fetch()
}

func (s *Dump) fetch() tea.Cmd {
	n := s.env.NIM
	return tea.Batch(s.load.Start(), func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		v, err := n.XcatVersion(c)
		return versionMsg{s, v, err}
	})
}

func (s *Dump) supported() bool { return s.load.Loaded && s.version.AtLeast(2, 5) }

func (s *Dump) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case versionMsg:
		if msg.step != s {
			return nil
		}
		s.load.Finish(msg.err)
		s.version = msg.v
		switch {
		case !s.load.Kept():
			return nil // nothing kept, or the error stays on screen
		case !s.supported():
			s.refusal = wizard.DumpRefusal(versionText(s.version), "no")
			return nil
		}
		return nextFrom(s)
	case tea.KeyMsg:
		if !key.Matches(msg, s.keys.Next) {
			s.load.Drop()
		}
		if s.cur.move(msg, s.keys.Up, s.keys.Down) {
			s.refusal = ""
			return nil
		}
		switch {
		case key.Matches(msg, s.keys.Retry):
			if s.load.Err != nil {
				return s.fetch()
			}
		case key.Matches(msg, s.keys.Next):
			if s.cur.pos == 0 {
				return next
			}
			switch {
			case s.load.Loading:
				s.load.Keep() // until xCAT's version is known
				return nil
			case s.load.Loaded && !s.supported():
				s.refusal = wizard.DumpRefusal(versionText(s.version), "no")
				return nil
			}
			return next
		}
		return nil
	}
	return s.load.Update(msg)
}

// versionText is the version number alone: lsxcatd's whole line (git
// commit, build date) is noise in a sentence.
func versionText(v nim.Version) string { return v.String() }

func (s *Dump) Warnings() []string {
	if s.cur.pos == 1 && s.load.Err != nil {
		return []string{wizard.DumpVersionUnknown}
	}
	return nil
}

func (s *Dump) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	var b strings.Builder
	s.intro(&b, wizard.DumpQuestion, wizard.DumpExplain(s.plan))
	rows := []listRow{{Text: wizard.DumpChoices[0] + " (default)"}, {Text: wizard.DumpChoices[1]}}
	b.WriteString(renderList(st, rows, s.cur.pos, 2, true) + "\n\n")
	switch {
	case s.load.Loading || s.load.Err != nil:
		b.WriteString(s.load.View(st, w, "r"))
	case s.supported():
		b.WriteString(st.Subtle.Render(wizard.DumpSupported(versionText(s.version))))
	case s.load.Loaded:
		b.WriteString(warnLine(st, wizard.DumpUnsupported(versionText(s.version)), w))
	}
	if s.refusal != "" {
		b.WriteString("\n\n" + errLine(st, s.refusal, w))
	}
	return b.String()
}
