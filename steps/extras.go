package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Extras offers the existing NIM resources of ExtraTypes (one Resources
// call) as a multi-select, plus free "attr=value" entry for those and for
// the options (ExtraOptions: otherpkgs, flags, ...). Only resources NIM has
// are accepted, and only option values the plan takes. Attributes of the
// plan it does not list (options, a root or dump named by a saved plan) are
// kept as they are; "attr=" removes one.
type Extras struct {
	base
	keys     ui.ExtrasKeys
	load     ui.Loader
	items    []nim.Listing
	checked  map[string]bool // "type/name"
	cur      cursor
	focus    int // 0 list, 1 field
	input    textinput.Model
	inputMsg string // refusal, confirmation or help for the field
	inputOK  bool
	help     bool              // inputMsg explains an attribute
	dropped  []string          // prefilled attr=value no longer in NIM
	kept     map[string]string // options and prefilled attrs not of ExtraTypes, kept as they are
	pending  map[string]string
}

type resourcesMsg struct {
	step *Extras
	list []nim.Listing
	err  error
}

// NewExtras returns the extra resources step.
func NewExtras(c ui.Common, env Env) *Extras {
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.Placeholder = "attr=value, e.g. resolv_conf=cluster_resolv"
	in.CharLimit = 1024 // an otherpkgs list can be long
	return &Extras{
		base:    base{c: c, env: env},
		keys:    c.Keys.Extras,
		load:    ui.NewLoader("NIM resources (lsnim -c resources)"),
		checked: map[string]bool{},
		kept:    map[string]string{}, // typed options land here
		input:   in,
	}
}

func (s *Extras) Title() string { return "Extras" }

func (s *Extras) ShortHelp() []key.Binding {
	k := s.keys // a copy: Update matches the originals
	list := s.focus == 0
	k.Up.SetEnabled(list)
	k.Down.SetEnabled(list)
	k.Toggle.SetEnabled(list)
	k.Next.SetEnabled(list)
	k.Add.SetEnabled(!list)
	k.Retry.SetEnabled(list && s.load.Err != nil)
	if !list {
		k.Switch.SetHelp("tab", "back to the list")
	}
	return []key.Binding{k.Up, k.Down, k.Toggle, k.Next, k.Add, k.Switch, k.Retry}
}

func (s *Extras) FullHelp() [][]key.Binding {
	if s.focus == 1 {
		return [][]key.Binding{append(s.ShortHelp(), s.keys.Leave)}
	}
	return [][]key.Binding{s.ShortHelp()}
}

// Capturing: esc in the field returns to the list.
func (s *Extras) Capturing() bool { return s.focus == 1 }

func (s *Extras) SetSize(w, h int) {
	s.base.SetSize(w, h)
	s.input.Width = s.bodyWidth() - 16
}

func (s *Extras) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	s.load.Drop()
	if s.entered {
		return nil
	}
	s.entered = true
	s.pending = p.Extra
	return s.fetch()
}

func (s *Extras) fetch() tea.Cmd {
	n := s.env.NIM
	return tea.Batch(s.load.Start(), func() tea.Msg {
		c, cancel := ctx()
		defer cancel()
		l, err := n.Resources(c)
		return resourcesMsg{s, l, err}
	})
}

func keyOf(l nim.Listing) string { return l.Type + "/" + l.Name }

// set checks or unchecks item i; single-valued types keep one.
func (s *Extras) set(i int, on bool) {
	l := s.items[i]
	if on && !wizard.IsList(l.Type) {
		for _, o := range s.items {
			if o.Type == l.Type {
				delete(s.checked, keyOf(o))
			}
		}
	}
	if on {
		s.checked[keyOf(l)] = true
	} else {
		delete(s.checked, keyOf(l))
	}
}

func (s *Extras) Apply(p nim.Plan) nim.Plan {
	if !s.load.Loaded {
		return p // nothing known yet: keep what the plan had
	}
	p.Extra = wizard.ExtraAttrs(s.items, func(i int) bool { return s.checked[keyOf(s.items[i])] }, s.kept)
	return p
}

func (s *Extras) Warnings() []string {
	var out []string
	for _, d := range s.dropped {
		out = append(out, wizard.DroppedExtra(d))
	}
	return out
}

func (s *Extras) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case resourcesMsg:
		if msg.step != s {
			return nil
		}
		s.load.Finish(msg.err)
		if msg.err != nil {
			return nil // the error and its retry key stay on screen
		}
		s.items = wizard.ExtraItems(msg.list)
		s.cur.set(len(s.items) + len(wizard.ExtraOptions)) // the options follow the resources
		s.prefill()
		if s.load.Kept() {
			return nextFrom(s)
		}
		return nil
	case tea.KeyMsg:
		if !key.Matches(msg, s.keys.Next) {
			s.load.Drop()
		}
		return s.key(msg)
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return tea.Batch(cmd, s.load.Update(msg))
}

// prefill checks what the plan named, once the list is known, and keeps
// what this step does not offer.
func (s *Extras) prefill() {
	if s.pending == nil {
		return
	}
	var idx []int
	idx, s.kept, s.dropped = wizard.ExtraPrefill(s.pending, s.items)
	for _, i := range idx {
		s.checked[keyOf(s.items[i])] = true
	}
	s.pending = nil
}

func (s *Extras) key(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, s.keys.Switch) || (s.focus == 1 && key.Matches(msg, s.keys.Leave)) {
		if s.focus == 0 {
			s.focus = 1
			return s.input.Focus()
		}
		s.focus = 0
		s.input.Blur()
		return nil
	}
	if s.focus == 1 {
		if key.Matches(msg, s.keys.Add) {
			s.addTyped()
			return nil
		}
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		return cmd
	}
	if s.cur.move(msg, s.keys.Up, s.keys.Down) {
		return nil
	}
	switch {
	case key.Matches(msg, s.keys.Retry):
		if s.load.Err != nil {
			return s.fetch()
		}
	case key.Matches(msg, s.keys.Toggle):
		switch i := s.cur.pos; {
		case !s.load.Loaded:
		case i < len(s.items):
			s.set(i, !s.checked[keyOf(s.items[i])])
		case i-len(s.items) < len(wizard.ExtraOptions):
			// An option: edit it in the field, explained.
			attr := wizard.ExtraOptions[i-len(s.items)]
			s.inputMsg, _ = wizard.AttrHelp(attr)
			s.inputOK, s.help = true, true
			s.input.SetValue(attr + "=" + s.kept[attr])
			s.input.CursorEnd()
			s.focus = 1
			return s.input.Focus()
		}
	case key.Matches(msg, s.keys.Next):
		if s.load.Loading {
			s.load.Keep()
			return nil
		}
		return next
	}
	return nil
}

// addTyped applies the attr=value typed (attr= removes attr), or says why
// not.
func (s *Extras) addTyped() {
	if !s.load.Loaded {
		s.inputMsg, s.inputOK, s.help = "the NIM resources are not loaded yet; wait, or press r in the list to retry", false, false
		return
	}
	if help, ok := wizard.AttrHelp(s.input.Value()); ok {
		// Explain it and leave "attr=" in the field to go on typing.
		attr := strings.TrimSpace(s.input.Value())
		s.inputMsg, s.inputOK, s.help = help, true, true
		s.input.SetValue(attr + "=")
		s.input.CursorEnd()
		return
	}
	msg, ok, first := wizard.ExtraTyped(s.input.Value(), s.plan, s.env.Root, s.items, s.kept, s.set)
	s.inputMsg, s.inputOK, s.help = msg, ok, false
	if !ok {
		return
	}
	if first >= 0 {
		s.cur.pos = first
	}
	s.input.SetValue("")
}

func (s *Extras) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	var b strings.Builder
	// Options are rows of the list; the kept line names the rest (a root
	// or dump named by a saved plan).
	others := map[string]string{}
	for a, v := range s.kept {
		if !wizard.IsExtraOption(a) {
			others[a] = v
		}
	}
	kept, keptH := "", 0
	if len(others) > 0 {
		kept = ui.Wrap(st.Subtle, wizard.KeptExtras(others, "type attr= in the field (tab)"), w)
		keptH = strings.Count(kept, "\n") + 2 // and the blank line above
	}
	s.intro(&b, wizard.ExtrasQuestion, wizard.ExtrasExplain+" Space selects (or edits an option), enter goes on; none is fine.")
	switch {
	case s.load.Loading || s.load.Err != nil:
		b.WriteString(s.load.View(st, w, "r"))
	default:
		nameW := 10
		for _, l := range s.items {
			nameW = max(nameW, len(l.Name))
		}
		var rows []listRow
		for _, l := range s.items {
			mark := "[ ] "
			if s.checked[keyOf(l)] {
				mark = "[x] "
			}
			rows = append(rows, listRow{Mark: mark, Text: ui.Truncate(wizard.Pad(l.Type, 16)+wizard.Pad(l.Name, nameW)+"  "+wizard.ExtraWhat(l.Type), w-6)})
		}
		for _, a := range wizard.ExtraOptions {
			mark, v := "[ ] ", "-"
			if kv, ok := s.kept[a]; ok {
				mark, v = "[=] ", ui.Truncate(kv, nameW)
			}
			rows = append(rows, listRow{Mark: mark, Text: ui.Truncate(wizard.Pad(a, 16)+wizard.Pad(v, nameW)+"  "+wizard.ExtraWhat(a), w-6)})
		}
		if len(s.items) == 0 {
			none := ui.Wrap(st.Subtle, wizard.NoExtras("enter"), w)
			keptH += strings.Count(none, "\n") + 1
			b.WriteString(none + "\n")
		}
		limit := max(s.c.Height-11-keptH, 2)
		b.WriteString(renderList(st, rows, s.cur.pos, limit, s.focus == 0))
	}
	if kept != "" {
		b.WriteString("\n\n" + kept)
	}
	b.WriteString("\n\n")
	label := st.Unfocused.Render("Add by name ")
	if s.focus == 1 {
		label = st.Focused.Render("Add by name ")
	}
	b.WriteString(label + s.input.View())
	if s.inputMsg != "" {
		switch {
		case s.help:
			b.WriteString("\n" + ui.Wrap(st.Subtle, s.inputMsg, w))
		case s.inputOK:
			b.WriteString("\n" + okLine(st, s.inputMsg, w))
		default:
			b.WriteString("\n" + errLine(st, s.inputMsg, w))
		}
	}
	return b.String()
}
