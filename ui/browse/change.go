package browse

import (
	"fmt"
	"slices"
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
	slices.Sort(out)
	return append(out, nim.AttrNames(func(a nim.AttrSpec) bool { return a.Change && a.Kind == nim.OptionAttr })...)
}

// changeView adds, replaces or drops one attribute of the definition with
// chdef: a resource is picked among NIM's of the attribute's type, an
// option typed and checked with the attribute table.
type changeView struct {
	c       ui.Common
	keys    ui.ChangeKeys
	d       *data
	o       nim.Osimage
	from    page
	step    int // chAttr, chValue, chConfirm, chRun
	attrs   []string
	acur    int
	attr    string
	spec    nim.AttrSpec
	choices []string // resource names of the attr's type; "" first = drop
	vcur    int
	checked map[string]bool // list attributes
	input   textinput.Model // an option's value
	bad     string          // why the typed value is refused
	argv    []string
	refused []string // why the change may not run now (a job uses the osimage)
	confirm ui.Confirm
	run     runner
}

const (
	chAttr = iota
	chValue
	chConfirm
	chRun
)

func newChangeView(c ui.Common, d *data, o nim.Osimage, from page) *changeView {
	in := ui.NewTextInput()
	in.CharLimit = 1024 // an otherpkgs list can be long
	k := c.Keys.Browse.Change
	return &changeView{c: c, keys: k, d: d, o: o, from: from, attrs: ChangeAttrs(), input: in,
		confirm: ui.NewConfirm(k.Confirm), run: newRunner(d.env.Run)}
}

func (v *changeView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *changeView) capturing() bool  { return true }

// focus focuses the value field when an option is typed.
func (v *changeView) focus() tea.Cmd {
	if v.step == chValue && v.isOption() {
		return v.input.Focus()
	}
	return nil
}

// isOption reports whether the attribute is an option (typed), not
// resources (picked from NIM's).
func (v *changeView) isOption() bool { return v.spec.Kind == nim.OptionAttr }

// gotResources lists the resources to pick from once NIM answered.
func (v *changeView) gotResources() {
	if v.step == chValue && v.d.res.load.Loaded {
		v.setChoices()
	}
}

// setChoices lists the NIM resources of the chosen attribute's type.
func (v *changeView) setChoices() {
	names := v.d.res.ofType(v.spec.NIMType)
	cur := v.o.Get(v.attr)
	v.choices = names
	if cur != "" && !v.spec.List {
		v.choices = append([]string{""}, names...) // first: drop it
	}
	v.checked = map[string]bool{}
	for _, n := range strings.Split(cur, ",") {
		if n = strings.TrimSpace(n); n != "" {
			v.checked[n] = true
		}
	}
	v.vcur = 0
	for i, n := range v.choices {
		if n != "" && v.checked[n] {
			v.vcur = i
			break
		}
	}
}

// newValue is what the attribute becomes.
func (v *changeView) newValue() string {
	switch {
	case v.isOption():
		return strings.TrimSpace(v.input.Value())
	case v.spec.List:
		var vals []string
		for _, n := range v.choices {
			if v.checked[n] {
				vals = append(vals, n)
			}
		}
		// Names no longer in NIM are dropped; the preview shows it.
		return strings.Join(vals, ",")
	case v.vcur < len(v.choices):
		return v.choices[v.vcur]
	}
	return ""
}

func (v *changeView) update(msg tea.KeyMsg) tea.Cmd {
	if v.run.running {
		return nil
	}
	switch v.step {
	case chAttr:
		return v.keyAttr(msg)
	case chValue:
		if v.isOption() {
			return v.keyOption(msg)
		}
		return v.keyResource(msg)
	case chConfirm:
		return v.keyConfirm(msg)
	}
	if key.Matches(msg, v.keys.Close) {
		return goTo(goMsg{to: v.from})
	}
	return nil
}

// keyAttr picks the attribute.
func (v *changeView) keyAttr(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return goTo(goMsg{to: v.from})
	case key.Matches(msg, k.Up):
		v.acur, v.bad = max(v.acur-1, 0), ""
	case key.Matches(msg, k.Down):
		v.acur, v.bad = min(v.acur+1, len(v.attrs)-1), ""
	case key.Matches(msg, k.Refresh):
		return v.d.loadResources(true)
	case key.Matches(msg, k.Choose):
		// An attribute the image does not have and that no value could
		// be added to (root beside a shared_root, paging on dataless):
		// refused here, with the reason (nim.Osimage.ChangeProblem).
		if a := v.attrs[v.acur]; v.o.Get(a) == "" {
			if msg := v.o.ChangeProblem(a, "x"); msg != "" {
				v.bad = a + ": " + msg
				return nil
			}
		}
		v.bad = ""
		v.attr = v.attrs[v.acur]
		v.spec, _ = nim.LookupAttr(v.attr)
		v.step = chValue
		if v.isOption() {
			v.bad = ""
			v.input.SetValue(v.o.Get(v.attr))
			v.input.CursorEnd()
			return v.input.Focus()
		}
		v.setChoices()
	}
	return nil
}

// keyResource picks the resource (or several, for a list).
func (v *changeView) keyResource(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		v.step = chAttr
	case key.Matches(msg, k.Up):
		v.vcur, v.bad = max(v.vcur-1, 0), ""
	case key.Matches(msg, k.Down):
		v.vcur, v.bad = min(v.vcur+1, max(len(v.choices)-1, 0)), ""
	case key.Matches(msg, k.Refresh):
		return v.d.loadResources(true)
	case key.Matches(msg, k.Select) && v.spec.List:
		if v.vcur < len(v.choices) {
			n := v.choices[v.vcur]
			v.checked[n] = !v.checked[n]
		}
	case key.Matches(msg, k.Preview):
		if !v.d.res.load.Loaded || (!v.spec.List && len(v.choices) == 0) {
			return nil
		}
		if nv := v.newValue(); nv != v.o.Get(v.attr) { // else nothing to change
			if msg := v.o.ChangeProblem(v.attr, nv); msg != "" {
				v.bad = msg
				return nil
			}
			v.bad = ""
			v.ask(nv)
		}
	}
	return nil
}

// keyOption takes the value field of an option: every key but enter and
// esc is typing; enter checks the value with the attribute table (empty
// drops the attribute) and goes to the question.
func (v *changeView) keyOption(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, v.keys.Back):
		v.step = chAttr
		v.input.Blur()
		return nil
	case key.Matches(msg, v.keys.Preview):
		nv := v.newValue()
		if nv == v.o.Get(v.attr) {
			v.bad = "that is the value it has; type another, or esc"
			return nil
		}
		if nv != "" {
			if err := v.spec.Check(nv); err != nil {
				v.bad = v.attr + ": " + err.Error()
				return nil
			}
		}
		if msg := v.o.ChangeProblem(v.attr, nv); msg != "" {
			v.bad = msg
			return nil
		}
		v.bad = ""
		v.input.Blur()
		v.ask(nv)
		return nil
	}
	var cmd tea.Cmd
	v.input, cmd = v.input.Update(msg)
	v.bad = ""
	return cmd
}

// ask shows the chdef that sets the attribute to nv, and the question.
func (v *changeView) ask(nv string) {
	v.argv = nim.ChdefArgv(v.o.Name, v.attr+"="+nv)
	v.step = chConfirm
	v.confirm.Ask("Run it now? This changes the xCAT definition.")
}

func (v *changeView) keyConfirm(msg tea.KeyMsg) tea.Cmd {
	answered, yes := v.confirm.Update(msg)
	switch {
	case answered && !yes:
		v.step = chValue
		return v.focus()
	case answered && len(v.d.jobsUsing(v.o)) > 0:
		v.refused = v.d.jobsUsing(v.o)
		v.confirm.Ask("Run it now? This changes the xCAT definition.") // refused: the question stays
	case answered && v.run.run != nil:
		v.step = chRun
		return v.run.start([][]string{v.argv})
	case answered:
		v.confirm.Ask("Run it now? This changes the xCAT definition.") // nothing can run it
	}
	return nil
}

// gotRun takes chdef's outcome; the definition changed (or may have), so
// the list and details are loaded again.
func (v *changeView) gotRun(msg runMsg) (tea.Cmd, bool) {
	cmd, finished := v.run.update(msg)
	if !finished {
		return cmd, false
	}
	return v.d.refreshAll(), true
}

func (v *changeView) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.step == chAttr:
		return []key.Binding{k.Up, k.Down, k.Choose, k.Cancel}
	case v.step == chValue && v.isOption():
		return []key.Binding{k.Preview, k.Back}
	case v.step == chValue && v.spec.List:
		return []key.Binding{k.Up, k.Down, k.Select, k.Preview, k.Refresh, k.Back}
	case v.step == chValue:
		return []key.Binding{k.Up, k.Down, k.Preview, k.Refresh, k.Back}
	case v.step == chConfirm:
		return v.confirm.ShortHelp()
	case v.run.running:
		return nil
	}
	return []key.Binding{k.Close}
}

func (v *changeView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// attrNote says what changing the attribute means for the image.
func (v *changeView) attrNote() string {
	switch attr := v.attr; {
	case attr == "spot" || attr == "lpp_source" || attr == "root" || attr == "shared_root" || attr == "paging":
		return "Changing the " + attr + " of an existing image affects every node that uses it: re-initialize them (mkdsklsnode -f) afterwards. mknimimage names the SPOT and the rest after the osimage; to rebuild, re-create instead."
	case v.spec.Has(nim.UseUpdate):
		// spot_updates reads them from the definition when -u has none on
		// its command line (aixinstall.pm 2.9.2 L1570-1578, L1596-1608, L1666).
		note := "It reaches the SPOT when you apply the change: mknimimage -u " + v.o.Name + "."
		if v.spec.HostFile {
			note += " The file must exist on the NIM master then."
		}
		return note
	case attr == "configdump":
		return "mkdsklsnode passes it to NIM with the dump resource when it initializes nodes (default selective)."
	}
	return "Nodes get it the next time they are initialized (mkdsklsnode)."
}

// now is the attribute's current value as shown.
func (v *changeView) now() string {
	if s := v.o.Get(v.attr); s != "" {
		return s
	}
	return "(not set)"
}

func (v *changeView) View() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	var b strings.Builder
	b.WriteString(st.Heading.Render("Change the definition of osimage "+v.o.Name) + "\n")
	b.WriteString(ui.Wrap(st.Subtle, "Resources come from NIM (lsnim -c resources); options are typed and checked. chdef changes only the xCAT definition: no NIM resource is created or removed.", w) + "\n\n")
	h := v.c.Height - strings.Count(b.String(), "\n") - 3
	switch {
	case v.step == chAttr:
		b.WriteString(v.attrsView(h))
	case v.step == chValue && v.isOption():
		b.WriteString(v.optionView())
	case v.step == chValue:
		b.WriteString(v.resourceView(h))
	default:
		b.WriteString(v.commandView())
	}
	return b.String()
}

func (v *changeView) attrsView(h int) string {
	st := v.c.Styles
	rows := make([]string, len(v.attrs))
	for i, a := range v.attrs {
		now := v.o.Get(a)
		if now == "" {
			now = "(not set)"
		}
		rows[i] = fmt.Sprintf("%-16s %s", a, now)
	}
	out := st.Label.Render("Which attribute?") + "\n" + pickList(st, rows, v.acur, v.c.Width, h-v.badLines())
	if v.bad != "" {
		out += "\n" + ui.Wrap(st.Error, "error: "+v.bad, min(v.c.Width, 100))
	}
	return out
}

// badLines is how many lines the refusal takes under a list.
func (v *changeView) badLines() int {
	if v.bad == "" {
		return 0
	}
	return 1 + strings.Count(ui.Wrap(v.c.Styles.Error, "error: "+v.bad, min(v.c.Width, 100)), "\n") + 1
}

func (v *changeView) optionView() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	var b strings.Builder
	b.WriteString(st.Label.Render(fmt.Sprintf("%s: now %s.", v.attr, v.now())) + "\n")
	b.WriteString(ui.Wrap(st.Subtle, fmt.Sprintf("%s, e.g. %s. Empty drops it from the definition.", v.spec.What, v.spec.Example), w) + "\n\n")
	b.WriteString(v.input.View() + "\n")
	if v.bad != "" {
		b.WriteString(ui.Wrap(st.Error, "error: "+v.bad, w) + "\n")
	}
	b.WriteString("\n" + ui.Wrap(st.Subtle, v.attrNote(), w))
	return b.String()
}

func (v *changeView) resourceView(h int) string {
	st, w, res := v.c.Styles, min(v.c.Width, 100), v.d.res
	typ := v.spec.NIMType
	var b strings.Builder
	b.WriteString(st.Label.Render(fmt.Sprintf("%s: now %s. Choose a %s resource:", v.attr, v.now(), typ)) + "\n")
	switch {
	case res.load.Loading || res.load.Err != nil:
		b.WriteString(res.load.View(st, w, "r"))
	case len(v.choices) == 0:
		b.WriteString(ui.Wrap(st.Subtle, fmt.Sprintf("NIM has no %s resource. Define one first (nim -o define -t %s ...), then press r.", typ, typ), w))
	default:
		rows := make([]string, len(v.choices))
		for i, n := range v.choices {
			switch {
			case n == "":
				rows[i] = "(none) drop " + v.attr + " from the definition"
			case v.spec.List:
				rows[i] = check(v.checked[n]) + " " + n
			default:
				rows[i] = n
				if n == v.o.Get(v.attr) {
					rows[i] += "  (current)"
				}
			}
		}
		b.WriteString(pickList(st, rows, v.vcur, v.c.Width, h-2-v.badLines()))
		if v.bad != "" {
			b.WriteString("\n" + ui.Wrap(st.Error, "error: "+v.bad, w))
		}
		b.WriteString("\n\n" + ui.Wrap(st.Subtle, v.attrNote(), w))
	}
	return b.String()
}

// commandView is the change, its chdef and the question; then its outcome.
func (v *changeView) commandView() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	var b strings.Builder
	nv := v.newValue()
	b.WriteString(st.Label.Render("now:  ") + st.Text.Render(termtext.String(v.attr+"="+v.o.Get(v.attr))) + "\n")
	if nv == "" {
		b.WriteString(st.Label.Render("new:  ") + st.Text.Render("(dropped)") + "\n")
	} else {
		b.WriteString(st.Label.Render("new:  ") + st.Text.Render(v.attr+"="+nv) + "\n")
	}
	line := nim.ShellLine(v.argv)
	b.WriteString(st.Label.Render("Command: ") + st.Code.Render(line) + "\n\n")
	b.WriteString(ui.Wrap(st.Subtle, v.attrNote(), w) + "\n")
	b.WriteString(strings.Join(v.d.useLines(st, v.o, w), "\n") + "\n\n")
	for _, e := range v.refused {
		b.WriteString(ui.Wrap(st.Error, "error: cannot change it now: "+e, w) + "\n")
	}
	switch r := &v.run; {
	case r.running:
		b.WriteString(r.runningLine(st, "Running "+line+" ..."))
	case r.done:
		if r.err != nil {
			b.WriteString(ui.Wrap(st.Error, fmt.Sprintf("error: %s failed: %v", line, r.err), w))
		} else {
			b.WriteString(st.OK.Render("ok: the definition was changed; the list and details were refreshed."))
		}
		if out := termtext.String(strings.TrimSpace(string(output(r.results[0])))); out != "" {
			b.WriteString("\n" + st.Label.Render("Output:") + "\n" + st.Text.Render("  "+strings.ReplaceAll(out, "\n", "\n  ")))
		}
	case r.run == nil:
		b.WriteString(st.Error.Render("error: nimwiz cannot run commands here"))
	default:
		b.WriteString(v.confirm.View(st, v.c.Width))
	}
	return b.String()
}
