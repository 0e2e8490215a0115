package browse

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// copyView copies an osimage (mknimimage -t TYPE -i OLD [-p] NEW), the
// first step of the safe update: the new name, checked like any other
// (nim.Plan.Validate, then CheckCopy: every name the copy makes is free,
// OLD's SPOT and lpp_source are ready), -p to copy the lpp_source too,
// the space it needs, the exact command; then the root runs it as a job
// (StartMsg) on the run screen.
type copyView struct {
	c       ui.Common
	keys    ui.CopyKeys
	d       *data
	o       nim.Osimage
	from    page
	step    int
	input   textinput.Model
	suggest string
	pFlag   bool
	bad     []string // why the name is refused (from Validate)
	plan    nim.Plan
	gen     int
	load    ui.Loader
	cc      nim.CopyCheck
	space   nim.Space
	confirm ui.Confirm
	scroll  int
}

const (
	cpName = iota
	cpPreview
)

// StartMsg asks the root to run Plan (a copy or an update from the
// browser) as a job and show the run screen, as a create is started.
// Ran is a command that already ran for it (the update's chdef of the
// definition), Undo the one that puts that back: the run screen names
// both if the job does not start.
type StartMsg struct {
	Plan      nim.Plan
	Ran, Undo []string
}

type copyCheckMsg struct {
	gen   int
	cc    nim.CopyCheck
	space nim.Space
	err   error
}

func newCopyView(c ui.Common, d *data, o nim.Osimage, from page) *copyView {
	in := ui.NewTextInput()
	in.CharLimit = nim.MaxNameLen + 8
	var taken []string
	for _, img := range d.images {
		taken = append(taken, img.Name)
	}
	for _, l := range d.res.list {
		taken = append(taken, l.Name)
	}
	sug := nim.CopyName(o.Name, taken...)
	k := c.Keys.Browse.Copy
	return &copyView{c: c, keys: k, d: d, o: o, from: from, input: in, suggest: sug,
		load: ui.NewLoader("the copy's checks (lsdef, lsnim -l, the names it makes, the space)"), confirm: ui.NewConfirm(k.Confirm)}
}

func (v *copyView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *copyView) capturing() bool  { return true }
func (v *copyView) focus() tea.Cmd   { return v.input.Focus() }

// copyPlan is the plan of a copy of o named name.
func copyPlan(o nim.Osimage, name string, p bool) nim.Plan {
	return nim.Plan{Kind: nim.KindCopy, Name: name, From: o.Name, Type: o.NimType(), CopyLppSource: p}.WithDefaults()
}

// check validates the plan, then asks NIM and measures the space off the
// event loop.
func (v *copyView) check() tea.Cmd {
	name := strings.TrimSpace(v.input.Value())
	if name == "" {
		name = v.suggest
		v.input.SetValue(name)
	}
	v.plan = copyPlan(v.o, name, v.pFlag)
	v.bad = nil
	for _, p := range v.plan.Validate() {
		v.bad = append(v.bad, p.Field+": "+p.Message)
	}
	if len(v.bad) > 0 {
		return nil
	}
	v.step, v.scroll = cpPreview, 0
	v.gen++
	v.confirm.Ask("Start the copy now? It runs as a job; you follow it on the run screen.")
	gen, n, plan, root, free := v.gen, v.d.env.NIM, v.plan, v.d.env.Root, v.d.env.FreeSpace
	if free == nil {
		free = wizard.FreeSpace
	}
	return tea.Batch(v.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		cc, err := n.CheckCopy(ctx, plan)
		if err != nil {
			return copyCheckMsg{gen: gen, err: err}
		}
		return copyCheckMsg{gen: gen, cc: cc, space: cc.CopySpace(plan, root, free)}
	})
}

func (v *copyView) got(msg copyCheckMsg) {
	if msg.gen != v.gen {
		return
	}
	v.load.Finish(msg.err)
	v.cc, v.space = msg.cc, msg.space
}

// ready reports whether the copy may start: checked, no problem, room.
func (v *copyView) ready() bool {
	return v.step == cpPreview && v.load.Loaded && len(v.cc.Problems) == 0 && !v.space.Short() && len(v.d.jobsUsing(v.o)) == 0 && v.d.env.CanStart
}

func (v *copyView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	if v.step == cpName {
		switch {
		case key.Matches(msg, k.Back):
			return goTo(goMsg{to: v.from})
		case key.Matches(msg, k.Next):
			return v.check()
		case key.Matches(msg, k.ToggleP):
			v.pFlag = !v.pFlag
			return nil
		case key.Matches(msg, k.Suggest) && v.input.Value() == "":
			v.input.SetValue(v.suggest)
			v.input.CursorEnd()
			return nil
		}
		var cmd tea.Cmd
		v.input, cmd = v.input.Update(msg)
		v.bad = nil
		return cmd
	}
	if pageBy(&v.scroll, v.c, msg, k.PgUp, k.PgDown) {
		return nil
	}
	answered, yes := v.confirm.Update(msg)
	switch {
	case answered && !yes:
		v.step = cpName
		return v.focus()
	case answered && v.ready():
		plan := v.plan
		return tea.Batch(goTo(goMsg{to: v.from}), func() tea.Msg { return StartMsg{Plan: plan} })
	case answered:
		v.confirm.Ask("Start the copy now? It runs as a job; you follow it on the run screen.")
	}
	return nil
}

func (v *copyView) ShortHelp() []key.Binding {
	k := v.keys
	if v.step == cpName {
		k.Suggest.SetEnabled(v.input.Value() == "")
		return []key.Binding{k.Next, k.ToggleP, k.Suggest, k.Back}
	}
	yn := v.confirm.ShortHelp()
	yn[0].SetEnabled(v.ready())
	return append(yn, k.PgDown)
}

func (v *copyView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *copyView) View() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	head := st.Heading.Render("Copy osimage " + v.o.Name)
	if v.step == cpName {
		return head + "\n" + v.nameView(w)
	}
	head += "\n" + strings.Join(wrapLines(st.Code, st.Label.Render("Command: ")+v.plan.CommandLine(), v.c.Width), "\n")
	lines := v.previewLines(w)
	foot := v.question()
	h := max(v.c.Height-strings.Count(head, "\n")-1-strings.Count(foot, "\n")-2, 3)
	var body []string
	body, v.scroll = scrolled(st, lines, v.scroll, h)
	return head + "\n\n" + strings.Join(body, "\n") + "\n" + foot
}

func (v *copyView) nameView(w int) string {
	st := v.c.Styles
	var b strings.Builder
	b.WriteString(ui.Wrap(st.Subtle, "mknimimage -i makes a new SPOT (cpcosi) and a new "+rootKind(v.o)+" from "+v.o.Name+"; the rest ("+sharedList(v.o)+") is shared. This is the first step of the safe update: copy, update the copy, move the nodes.", w) + "\n\n")
	b.WriteString(st.Label.Render("Name of the copy") + "\n" + v.input.View() + "\n")
	if v.input.Value() == "" {
		b.WriteString(st.Subtle.Render("tab: "+v.suggest) + "\n")
	}
	for _, e := range v.bad {
		b.WriteString(ui.Wrap(st.Error, "error: "+e, w) + "\n")
	}
	b.WriteString("\n" + st.Text.Render(check(v.pFlag)+" -p  also copy the lpp_source "+dash(v.o.LppSource())+" (ctrl+p)") + "\n")
	b.WriteString(ui.Wrap(st.Subtle, "Without -p the copy shares the lpp_source: an update of the copy installs from it, and removing the old image later must keep it (the copy's ending shows how).", w) + "\n")
	return b.String()
}

func rootKind(o nim.Osimage) string {
	if o.Get("shared_root") != "" {
		return "shared_root"
	}
	return "root"
}

// sharedList names what a copy shares with o (without -p).
func sharedList(o nim.Osimage) string {
	var out []string
	for _, r := range nim.ResourceRefs(o) {
		if r.Attr != "spot" && r.Attr != "root" && r.Attr != "shared_root" {
			out = append(out, r.Attr)
		}
	}
	if len(out) == 0 {
		return "nothing else"
	}
	return strings.Join(out, ", ")
}

// previewLines say what the copy makes and shares, the space, who uses the
// old image, and what comes next; or the problems.
func (v *copyView) previewLines(w int) []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: w}
	if v.load.Loading || v.load.Err != nil {
		b.add(strings.Split(v.load.View(st, w, ""), "\n")...)
		return b.lines
	}
	var made, shared []string
	for _, r := range v.cc.Resources(v.plan) {
		if r.Reused {
			shared = append(shared, r.Attr+" "+r.Name)
		} else {
			s := r.Attr + " " + r.Name
			if r.Location != "" {
				s += " (" + r.Location + ")"
			}
			made = append(made, s)
		}
	}
	b.add(st.Label.Render("It makes:"))
	b.item(st.Text, "the xCAT osimage definition "+v.plan.Name+" ("+v.o.Name+"'s attributes, with the new names)")
	for _, s := range made {
		b.item(st.Text, termtext.String(s))
	}
	if len(shared) > 0 {
		b.add(st.Label.Render("It shares with " + v.o.Name + ":"))
		for _, s := range shared {
			b.item(st.Text, termtext.String(s))
		}
	}
	b.add(st.Label.Render("Space:"))
	for _, s := range v.space.Lines(v.plan) {
		style := st.Text
		if v.space.Short() {
			style = st.Error
		}
		b.item(style, termtext.String(s))
	}
	b.add("")
	for _, p := range v.cc.Problems {
		b.wrap(st.Error, "error: "+termtext.String(p.Field+": "+p.Message))
	}
	for _, e := range v.d.jobsUsing(v.o) {
		b.wrap(st.Error, "error: cannot copy now: "+e)
	}
	b.add(v.d.useLines(st, v.o, w)...)
	use, _ := v.d.use(v.o.Name)
	b.add(st.Label.Render("Then:"))
	b.item(st.Text, "update the copy: u on "+v.plan.Name+" in the browser (mknimimage -V -u "+v.plan.Name+" ...)")
	for _, s := range nim.MoveNodes(v.o.Name, v.plan.Name, use) {
		b.item(st.Code, termtext.String(s)) // node names come from xCAT and NIM
	}
	return b.lines
}

func (v *copyView) question() string {
	st := v.c.Styles
	switch {
	case v.load.Loading:
		return st.Subtle.Render("Checking...")
	case v.load.Err != nil:
		return st.Subtle.Render("Press n or esc to go back and try again.")
	case v.ready():
		return v.confirm.View(st, v.c.Width)
	case !v.d.env.CanStart:
		return ui.Wrap(st.Error, "error: nimwiz cannot start jobs here: run the command above yourself, or save it as a plan (nimwiz apply)", min(v.c.Width, 100))
	}
	return ui.Wrap(st.Subtle, "Nothing can run until the errors above are solved. Press n or esc to change the name.", min(v.c.Width, 100))
}
