package steps

import (
	"fmt"
	"path"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Location asks where mknimimage puts the new resources (-l) and compares
// the free space there with what the run needs: a warning, not a refusal,
// because mknimimage grows the filesystem itself when it can.
type Location struct {
	base
	keys  ui.LocationKeys
	input textinput.Model
	seq   int
	load  ui.Loader
	fs    string // the existing directory whose filesystem was measured
	free  uint64
	known bool // free is the answer for the current value
	tried bool
}

type freeMsg struct {
	step *Location
	seq  int
	dir  string
	free uint64
	err  error
}

// NewLocation returns the location step.
func NewLocation(c ui.Common, env Env) *Location {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.CharLimit = 512
	return &Location{
		base:  base{c: c, env: env},
		keys:  c.Keys.Location,
		input: in,
		load:  ui.NewLoader("free space"),
	}
}

func (s *Location) Title() string { return "Location" }
func (s *Location) ShortHelp() []key.Binding {
	k := s.keys // a copy: Update matches the originals
	k.Retry.SetEnabled(s.load.Err != nil)
	return []key.Binding{k.Next, k.Default, k.Retry}
}
func (s *Location) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }
func (s *Location) Value() string             { return strings.TrimSpace(s.input.Value()) }

func (s *Location) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.input.Width = s.bodyWidth() - 12
}

func (s *Location) Apply(p nim.Plan) nim.Plan {
	if v := s.Value(); v != "" {
		p.Location = path.Clean(v)
	}
	return p
}

func (s *Location) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	if !s.entered {
		s.entered = true
		v := p.Location
		if v == "" {
			v = nim.DefaultLocation
		}
		s.input.SetValue(v)
		s.input.CursorEnd()
	}
	// The need depends on the source chosen earlier: measure again.
	return tea.Batch(s.input.Focus(), s.measure())
}

func (s *Location) problem(v string) string {
	switch {
	case v == "":
		return "type a directory, or press ctrl+d for " + nim.DefaultLocation
	case !path.IsAbs(v):
		return "type an absolute path, starting with /"
	}
	// The plan's own rules and the master's disk, said as the admin types
	// rather than first at the preview.
	p := nim.Plan{Name: "x", Source: "/dev/cd0", Location: v}
	probs := p.Validate()
	if len(probs) == 0 {
		probs = p.CheckHost(s.env.Root)
	}
	return wizard.FieldProblem(probs, "location")
}

func (s *Location) measure() tea.Cmd {
	s.seq++
	s.known = false
	v := s.Value()
	if s.problem(v) != "" {
		s.load.Finish(nil)
		return nil
	}
	seq, env := s.seq, s.env
	return tea.Batch(s.load.Start(), func() tea.Msg {
		free, dir, err := env.Host().MeasureFree(v)
		return freeMsg{s, seq, dir, free, err}
	})
}

func (s *Location) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case freeMsg:
		if msg.step == s && msg.seq == s.seq {
			s.load.Finish(msg.err)
			s.fs, s.free, s.known = msg.dir, msg.free, msg.err == nil
		}
		return nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, s.keys.Next):
			if s.problem(s.Value()) != "" {
				s.tried = true
				return nil
			}
			return next // short space is a warning, not a refusal
		case key.Matches(msg, s.keys.Default):
			s.input.SetValue(nim.DefaultLocation)
			s.input.CursorEnd()
			return s.measure()
		case key.Matches(msg, s.keys.Retry):
			return s.measure()
		}
		before := s.input.Value()
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		if before != s.input.Value() {
			s.tried = false
			return tea.Batch(cmd, s.measure())
		}
		return cmd
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return tea.Batch(cmd, s.load.Update(msg))
}

// created says that mknimimage creates the location, when it does not
// exist yet.
func (s *Location) created(b *strings.Builder) {
	if msg := wizard.WillCreate(s.Value(), s.fs); msg != "" {
		b.WriteString(ui.Wrap(s.c.Styles.Text, msg, s.bodyWidth()) + "\n")
	}
}

// short reports a measured shortfall.
func (s *Location) short() bool { return s.known && s.free < wizard.Need(s.plan) }

func (s *Location) shortText() string {
	return wizard.ShortText(s.free, s.fs, wizard.Need(s.plan))
}

func (s *Location) Warnings() []string {
	if s.short() {
		return []string{s.shortText()}
	}
	return nil
}

func (s *Location) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	var b strings.Builder
	s.intro(&b, wizard.LocationQuestion, wizard.LocationExplain)
	b.WriteString(st.Label.Render("Location ") + s.input.View() + "\n\n")
	v := s.Value()
	needed := fmt.Sprintf("Needed: about %s (%s)", wizard.FormatSize(wizard.Need(s.plan)), wizard.NeedParts(s.plan))
	switch {
	case s.problem(v) != "":
		if s.tried || v != "" {
			b.WriteString(errLine(st, s.problem(v), w))
		}
	case s.load.Loading:
		b.WriteString(s.load.SpinnerView(st) + st.Subtle.Render(" measuring free space..."))
	case s.load.Err != nil:
		b.WriteString(warnLine(st, wizard.FreeUnknown(v, s.load.Err, wizard.Need(s.plan))+" (press ctrl+r to try again; you may go on)", w))
	case s.short():
		s.created(&b)
		b.WriteString(st.Text.Render(needed) + "\n")
		b.WriteString(warnLine(st, s.shortText(), w))
	case s.known:
		s.created(&b)
		b.WriteString(st.Text.Render(needed) + "\n")
		b.WriteString(okLine(st, wizard.FreeText(s.free, s.fs), w))
	}
	return b.String()
}
