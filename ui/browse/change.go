package browse

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// ChangeAttrs are the definition's attributes the browser can change: the
// attribute table's rows offered to chdef, the resources by name, then the
// options (otherpkgs, synclists, ...) in the table's order.
func ChangeAttrs() []string {
	out := nim.AttrNames(func(a nim.AttrSpec) bool { return a.Change && a.Kind == nim.ResourceAttr })
	sort.Strings(out)
	return append(out, nim.AttrNames(func(a nim.AttrSpec) bool { return a.Change && a.Kind == nim.OptionAttr })...)
}

// resourcesCache is the lsnim -c resources listing, loaded once per refresh.
type resourcesCache struct {
	load ui.Loader
	list []nim.Listing
}

type resourcesMsg struct {
	list []nim.Listing
	err  error
}

// change adds, replaces or drops one resource attribute of the definition
// with chdef, offering only existing NIM resources of the right type.
type change struct {
	from    mode
	o       nim.Osimage
	step    int // 0 pick attr, 1 pick value, 2 confirm, 3 running or done
	attrs   []string
	acur    int
	attr    string
	choices []string // resource names of the attr's type; "" first = drop
	vcur    int
	checked map[string]bool // multi-valued attrs
	input   textinput.Model // an option's value (not a resource)
	bad     string          // why the typed value is refused
	argv    []string
	running bool
	done    bool
	spin    ui.Loader
	res     nim.Result
	err     error
}

const (
	chAttr = iota
	chValue
	chConfirm
	chRun
)

func (m *Model) openChange(from mode) tea.Cmd {
	o, ok := m.Selected()
	if !ok {
		return nil
	}
	in := ui.NewTextInput()
	in.Prompt = "> "
	in.CharLimit = 1024 // an otherpkgs list can be long
	m.ch = &change{from: from, o: o, attrs: ChangeAttrs(), spin: ui.NewLoader(""), input: in}
	m.mode = modeChange
	m.quitTries = 0
	return m.loadResources(false)
}

func (m *Model) loadResources(force bool) tea.Cmd {
	if !force && (m.res.load.Loaded || m.res.load.Loading) {
		return nil
	}
	n := m.env.NIM
	return tea.Batch(m.res.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		l, err := n.Resources(ctx)
		return resourcesMsg{l, err}
	})
}

func (m *Model) gotResources(msg resourcesMsg) tea.Cmd {
	m.res.load.Finish(msg.err)
	if msg.err == nil {
		m.res.list = msg.list
		if m.ch != nil && m.ch.step == chValue {
			m.setChoices()
		}
	}
	return nil
}

// setChoices lists the NIM resources of the chosen attribute's type.
func (m *Model) setChoices() {
	c := m.ch
	typ := nimType(c.attr)
	var names []string
	for _, l := range m.res.list {
		if l.Type == typ {
			names = append(names, l.Name)
		}
	}
	sort.Strings(names)
	c.choices = names
	if c.o.Get(c.attr) != "" && !isList(c.attr) {
		c.choices = append([]string{""}, names...) // first: drop it
	}
	c.checked = map[string]bool{}
	cur := c.o.Get(c.attr)
	for _, n := range strings.Split(cur, ",") {
		if n = strings.TrimSpace(n); n != "" {
			c.checked[n] = true
		}
	}
	c.vcur = 0
	for i, n := range c.choices {
		if n != "" && c.checked[n] {
			c.vcur = i
			break
		}
	}
}

// isOption reports whether attr is an option (typed), not resources
// (picked from NIM's).
func isOption(attr string) bool {
	spec, _ := nim.LookupAttr(attr)
	return spec.Kind == nim.OptionAttr
}

// newValue is what the attribute becomes.
func (c *change) newValue() string {
	if isOption(c.attr) {
		return strings.TrimSpace(c.input.Value())
	}
	if isList(c.attr) {
		var v []string
		for _, n := range c.choices {
			if c.checked[n] {
				v = append(v, n)
			}
		}
		// Names no longer in NIM are dropped; the preview shows it.
		return strings.Join(v, ",")
	}
	if c.vcur < len(c.choices) {
		return c.choices[c.vcur]
	}
	return ""
}

func (m *Model) keyChange(msg tea.KeyMsg) tea.Cmd {
	c := m.ch
	if c.running {
		return nil
	}
	esc := msg.String() == "esc"
	switch c.step {
	case chAttr:
		switch {
		case esc:
			m.mode, m.ch = c.from, nil
		case key.Matches(msg, m.keys.Up):
			c.acur = max(c.acur-1, 0)
		case key.Matches(msg, m.keys.Down):
			c.acur = min(c.acur+1, len(c.attrs)-1)
		case key.Matches(msg, m.keys.Refresh):
			return m.loadResources(true)
		case msg.String() == "enter":
			c.attr = c.attrs[c.acur]
			c.step = chValue
			if isOption(c.attr) {
				c.bad = ""
				c.input.SetValue(c.o.Get(c.attr))
				c.input.CursorEnd()
				return c.input.Focus()
			}
			m.setChoices()
		}
	case chValue:
		if isOption(c.attr) {
			return m.keyOption(msg)
		}
		switch {
		case esc:
			c.step = chAttr
		case key.Matches(msg, m.keys.Up):
			c.vcur = max(c.vcur-1, 0)
		case key.Matches(msg, m.keys.Down):
			c.vcur = min(c.vcur+1, max(len(c.choices)-1, 0))
		case key.Matches(msg, m.keys.Refresh):
			return m.loadResources(true)
		case key.Matches(msg, m.keys.Select) && isList(c.attr):
			if c.vcur < len(c.choices) {
				n := c.choices[c.vcur]
				c.checked[n] = !c.checked[n]
			}
		case msg.String() == "enter":
			if !m.res.load.Loaded || (!isList(c.attr) && len(c.choices) == 0) {
				return nil
			}
			nv := c.newValue()
			if nv == c.o.Get(c.attr) {
				return nil // nothing to change
			}
			c.argv = nim.ChdefArgv(c.o.Name, c.attr+"="+nv)
			c.step = chConfirm
		}
	case chConfirm:
		switch {
		case key.Matches(msg, m.keys.No):
			c.step = chValue
			if isOption(c.attr) {
				return c.input.Focus()
			}
		case key.Matches(msg, m.keys.Yes) && m.env.Run != nil:
			c.step, c.running = chRun, true
			return tea.Batch(c.spin.Start(), m.runStep("change", 0, c.argv))
		}
	case chRun:
		if esc || msg.String() == "enter" {
			m.ch = nil
			if _, ok := m.byName[m.sel]; ok && c.from == modeDetails {
				m.mode = modeDetails
				return nil
			}
			m.mode = modeList
		}
	}
	return nil
}

// keyOption handles the value field of an option: every key but enter
// and esc is typing; enter checks the value with the attribute table
// (empty drops the attribute) and goes to the confirmation.
func (m *Model) keyOption(msg tea.KeyMsg) tea.Cmd {
	c := m.ch
	switch msg.String() {
	case "esc":
		c.step = chAttr
		c.input.Blur()
		return nil
	case "enter":
		nv := c.newValue()
		if nv == c.o.Get(c.attr) {
			c.bad = "that is the value it has; type another, or esc"
			return nil
		}
		if nv != "" {
			spec, _ := nim.LookupAttr(c.attr)
			if err := spec.Check(nv); err != nil {
				c.bad = c.attr + ": " + err.Error()
				return nil
			}
		}
		c.bad = ""
		c.input.Blur()
		c.argv = nim.ChdefArgv(c.o.Name, c.attr+"="+nv)
		c.step = chConfirm
		return nil
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	c.bad = ""
	return cmd
}

func (m *Model) gotChange(msg runMsg) tea.Cmd {
	c := m.ch
	if c == nil || !c.running {
		return nil
	}
	c.running, c.done, c.res, c.err = false, true, msg.res, msg.err
	c.spin.Finish(nil)
	m.quitTries = 0
	if c.err == nil {
		if e, bad := firstError(c.res); bad {
			c.err = e
		}
	}
	// The definition changed (or may have): list and details again.
	return m.refreshAll()
}

func (m *Model) changeHelp() []key.Binding {
	c, kk := m.ch, m.keys
	choose := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	switch c.step {
	case chAttr:
		return []key.Binding{kk.Up, kk.Down, choose, escHelp("cancel")}
	case chValue:
		if isOption(c.attr) {
			return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview")), escHelp("back")}
		}
		if isList(c.attr) {
			return []key.Binding{kk.Up, kk.Down, kk.Select, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview")), kk.Refresh, escHelp("back")}
		}
		return []key.Binding{kk.Up, kk.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview")), kk.Refresh, escHelp("back")}
	case chConfirm:
		return []key.Binding{kk.Yes, kk.No}
	}
	if c.running {
		return nil
	}
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back"))}
}

// attrNote says what changing attr means for the image.
func attrNote(attr, name string) string {
	spec, _ := nim.LookupAttr(attr)
	switch {
	case attr == "spot" || attr == "lpp_source" || attr == "root" || attr == "shared_root" || attr == "paging":
		return "Changing the " + attr + " of an existing image affects every node that uses it: re-initialize them (mkdsklsnode -f) afterwards. mknimimage names the SPOT and the rest after the osimage; to rebuild, re-create instead."
	case spec.Has(nim.UseUpdate):
		// spot_updates reads them from the definition when -u has none on
		// its command line (aixinstall.pm 2.9.2 L1570-1578, L1596-1608, L1666).
		note := "It reaches the SPOT when you apply the change: mknimimage -u " + name + "."
		if spec.HostFile {
			note += " The file must exist on the NIM master then."
		}
		return note
	case attr == "configdump":
		return "mkdsklsnode passes it to NIM with the dump resource when it initializes nodes (default selective)."
	}
	return "Nodes get it the next time they are initialized (mkdsklsnode)."
}

func (m *Model) changeView() string {
	c := m.ch
	st, w := m.c.Styles, min(m.c.Width, 100)
	var b strings.Builder
	b.WriteString(st.Heading.Render("Change the definition of osimage "+c.o.Name) + "\n")
	b.WriteString(ui.Wrap(st.Subtle, "Resources come from NIM (lsnim -c resources); options are typed and checked. chdef changes only the xCAT definition: no NIM resource is created or removed.", w) + "\n\n")
	h := m.c.Height - strings.Count(b.String(), "\n") - 3
	switch c.step {
	case chAttr:
		b.WriteString(st.Label.Render("Which attribute?") + "\n")
		rows := make([]string, len(c.attrs))
		for i, a := range c.attrs {
			v := c.o.Get(a)
			if v == "" {
				v = "(not set)"
			}
			rows[i] = fmt.Sprintf("%-16s %s", a, v)
		}
		b.WriteString(pickList(st, rows, c.acur, m.c.Width, h))
	case chValue:
		if isOption(c.attr) {
			spec, _ := nim.LookupAttr(c.attr)
			now := c.o.Get(c.attr)
			if now == "" {
				now = "(not set)"
			}
			b.WriteString(st.Label.Render(fmt.Sprintf("%s: now %s.", c.attr, now)) + "\n")
			b.WriteString(ui.Wrap(st.Subtle, fmt.Sprintf("%s, e.g. %s. Empty drops it from the definition.", spec.What, spec.Example), w) + "\n\n")
			b.WriteString(c.input.View() + "\n")
			if c.bad != "" {
				b.WriteString(ui.Wrap(st.Error, "error: "+c.bad, w) + "\n")
			}
			b.WriteString("\n" + ui.Wrap(st.Subtle, attrNote(c.attr, c.o.Name), w))
			break
		}
		typ := nimType(c.attr)
		now := c.o.Get(c.attr)
		if now == "" {
			now = "(not set)"
		}
		b.WriteString(st.Label.Render(fmt.Sprintf("%s: now %s. Choose a %s resource:", c.attr, now, typ)) + "\n")
		switch {
		case m.res.load.Loading || m.res.load.Err != nil:
			b.WriteString(m.res.load.View(st, w, "r"))
		case len(c.choices) == 0:
			b.WriteString(ui.Wrap(st.Subtle, fmt.Sprintf("NIM has no %s resource. Define one first (nim -o define -t %s ...), then press r.", typ, typ), w))
		default:
			rows := make([]string, len(c.choices))
			for i, n := range c.choices {
				switch {
				case n == "":
					rows[i] = "(none) drop " + c.attr + " from the definition"
				case isList(c.attr):
					rows[i] = check(c.checked[n]) + " " + n
				default:
					rows[i] = n
					if n == c.o.Get(c.attr) {
						rows[i] += "  (current)"
					}
				}
			}
			b.WriteString(pickList(st, rows, c.vcur, m.c.Width, h-2))
			b.WriteString("\n\n" + ui.Wrap(st.Subtle, attrNote(c.attr, c.o.Name), w))
		}
	case chConfirm, chRun:
		nv := c.newValue()
		now := c.o.Get(c.attr)
		b.WriteString(st.Label.Render("now:  ") + st.Text.Render(termtext.String(c.attr+"="+now)) + "\n")
		if nv == "" {
			b.WriteString(st.Label.Render("new:  ") + st.Text.Render("(dropped)") + "\n")
		} else {
			b.WriteString(st.Label.Render("new:  ") + st.Text.Render(c.attr+"="+nv) + "\n")
		}
		b.WriteString(st.Label.Render("Command: ") + st.Code.Render(nim.ShellLine(c.argv)) + "\n\n")
		b.WriteString(ui.Wrap(st.Subtle, attrNote(c.attr, c.o.Name), w) + "\n\n")
		switch {
		case c.running:
			b.WriteString(c.spin.SpinnerView(st) + " " + st.Subtle.Render("Running "+nim.ShellLine(c.argv)+" ..."))
		case c.done:
			if c.err != nil {
				b.WriteString(ui.Wrap(st.Error, fmt.Sprintf("error: %s failed: %v", nim.ShellLine(c.argv), c.err), w))
			} else {
				b.WriteString(st.OK.Render("ok: the definition was changed; the list and details were refreshed."))
			}
			if out := termtext.String(strings.TrimSpace(string(c.res.Stdout) + string(c.res.Stderr))); out != "" {
				b.WriteString("\n" + st.Label.Render("Output:") + "\n" + st.Text.Render("  "+strings.ReplaceAll(out, "\n", "\n  ")))
			}
		case m.env.Run == nil:
			b.WriteString(st.Error.Render("error: nimwiz cannot run commands here"))
		default:
			b.WriteString(st.Warning.Render("Run it now? This changes the xCAT definition. [y/N]"))
		}
	}
	return b.String()
}

// pickList renders a single-choice list with "> " at the cursor, windowed.
func pickList(st *ui.Styles, rows []string, cur, width, height int) string {
	l := flist{rows: rows, cur: cur}
	l.shown = make([]int, len(rows))
	for i := range rows {
		l.shown[i] = i
	}
	return l.view(st, width, max(height, 3), true)
}

// nimType is the NIM type of attribute attr's resources.
func nimType(attr string) string {
	spec, _ := nim.LookupAttr(attr)
	return spec.NIMType
}

// isList reports whether attribute attr takes a comma-separated list.
func isList(attr string) bool {
	spec, _ := nim.LookupAttr(attr)
	return spec.List
}
