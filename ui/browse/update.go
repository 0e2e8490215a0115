package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// updateView updates an osimage's SPOT (mknimimage -u), a small wizard
// whose words and checks are wizard's: where the software comes from (the
// definition, changed first with chdef so it records what the SPOT gets,
// or ad hoc), the installp_bundles picked from NIM and the otherpkgs typed,
// the preview with the exact commands and CheckUpdate's findings; then the
// root runs it as a job (StartMsg). An image that nodes use is refused
// with the nodes named, and the copy offered instead (p).
type updateView struct {
	c       ui.Common
	keys    ui.UpdateKeys
	d       *data
	o       nim.Osimage
	from    page
	step    int
	src     int // index in wizard.UpdateSources
	picked  map[string]bool
	bcur    int
	typing  bool // the otherpkgs field has the focus
	input   textinput.Model
	bad     []string
	urun    wizard.UpdateRun
	gen     int
	load    ui.Loader
	uc      nim.UpdateCheck
	confirm ui.Confirm
	run     runner
	scroll  int
}

const (
	upSource = iota
	upSoftware
	upPreview
	upRun // the chdef before the update runs (or failed)
)

type updateCheckMsg struct {
	gen int
	uc  nim.UpdateCheck
	err error
}

const updateQuestion = "Run it now? The update runs as a job; you follow it on the run screen."

func newUpdateView(c ui.Common, d *data, o nim.Osimage, from page) *updateView {
	in := ui.NewTextInput()
	in.CharLimit = 1024
	in.Placeholder = "I:openssh.base,R:curl-7.9.3-2.aix4.3.ppc.rpm"
	in.SetValue(wizard.SoftwareOf(o).Otherpkgs)
	k := c.Keys.Browse.Update
	v := &updateView{c: c, keys: k, d: d, o: o, from: from, input: in, picked: map[string]bool{},
		load: ui.NewLoader("the update's checks (lsdef, lsnim -l, who uses it)"), confirm: ui.NewConfirm(k.Confirm), run: newRunner(d.env.Run)}
	for _, b := range wizard.SoftwareOf(o).Bundles {
		v.picked[b] = true
	}
	return v
}

func (v *updateView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *updateView) capturing() bool  { return true }

// inUse reports whether nodes are known to use the image: the update is
// refused before anything is picked.
func (v *updateView) inUse() bool {
	if u, ok := v.d.use(v.o.Name); ok && u.InUse() {
		return true
	}
	return v.spotAllocated() != ""
}

// spotAllocated is the SPOT's alloc_count when NIM counts allocations of
// it (the only test mknimimage makes, aixinstall.pm 2.9.2 L1460-1468),
// else "".
func (v *updateView) spotAllocated() string {
	obj, ok := v.d.details[v.o.Name].object(v.o.Name)
	if a := strings.TrimSpace(obj.Get("alloc_count")); ok && a != "" && a != "0" {
		return a
	}
	return ""
}

// bundleChoices are NIM's installp_bundles and any the definition names
// that NIM lacks (shown, to be unpicked).
func (v *updateView) bundleChoices() []string {
	out := v.d.res.ofType("installp_bundle")
	for _, b := range wizard.SoftwareOf(v.o).Bundles {
		if !nameIn(out, b) {
			out = append(out, b)
		}
	}
	return out
}

func nameIn(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func (v *updateView) software() (wizard.UpdateSoftware, error) {
	var sw wizard.UpdateSoftware
	for _, b := range v.bundleChoices() {
		if v.picked[b] {
			sw.Bundles = append(sw.Bundles, b)
		}
	}
	pk, err := wizard.CheckOtherpkgs(v.input.Value())
	sw.Otherpkgs = pk
	return sw, err
}

// preview makes the run and checks it with NIM off the event loop.
func (v *updateView) preview() tea.Cmd {
	v.bad = nil
	sw, err := v.software()
	if err != nil {
		v.bad = []string{"otherpkgs: " + err.Error()}
		return nil
	}
	var probs []nim.Problem
	v.urun, probs = wizard.PlanUpdate(v.o, wizard.UpdateSources[v.src], sw)
	for _, p := range probs {
		v.bad = append(v.bad, p.Field+": "+p.Message)
	}
	if len(v.bad) > 0 {
		return nil
	}
	v.step, v.scroll = upPreview, 0
	v.confirm.Ask(updateQuestion)
	// A definition about to be changed is checked as the software it will name.
	pre := v.urun.Plan
	if v.urun.Chdef != nil {
		pre.UpdateFrom, pre.Extra = nim.FromPlan, map[string]string{}
		for a, val := range sw.Values() {
			if val != "" {
				pre.Extra[a] = val
			}
		}
	}
	v.gen++
	gen, n := v.gen, v.d.env.NIM
	v.typing = false
	v.input.Blur()
	return tea.Batch(v.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		uc, err := n.CheckUpdate(ctx, pre)
		return updateCheckMsg{gen, uc, err}
	})
}

func (v *updateView) got(msg updateCheckMsg) {
	if msg.gen != v.gen {
		return
	}
	v.load.Finish(msg.err)
	v.uc = msg.uc
}

// ready reports whether the update may start.
func (v *updateView) ready() bool {
	return v.step == upPreview && v.load.Loaded && len(v.uc.Problems) == 0 && !v.uc.Use.InUse() &&
		len(v.d.jobsUsing(v.o)) == 0 && (v.urun.Chdef == nil || v.run.run != nil) && v.d.env.CanStart
}

// refused reports whether the update is refused because nodes use the
// image (known from the details or from the check).
func (v *updateView) refused() bool {
	return v.inUse() || v.step == upPreview && v.load.Loaded && v.uc.Use.InUse()
}

func (v *updateView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	if v.run.running {
		return nil
	}
	if v.refused() && key.Matches(msg, k.Copy) && !v.typing {
		return goTo(goMsg{to: pageCopy, from: v.from})
	}
	switch v.step {
	case upSource:
		switch {
		case key.Matches(msg, k.Back):
			return goTo(goMsg{to: v.from})
		case v.inUse():
		case key.Matches(msg, k.Up):
			v.src = 0
		case key.Matches(msg, k.Down):
			v.src = 1
		case key.Matches(msg, k.Choose):
			v.step = upSoftware
		}
		return nil
	case upSoftware:
		return v.keySoftware(msg)
	case upRun:
		if key.Matches(msg, k.Back) || key.Matches(msg, k.Choose) {
			return goTo(goMsg{to: v.from})
		}
		return nil
	}
	if pageBy(&v.scroll, v.c, msg, k.PgUp, k.PgDown) {
		return nil
	}
	answered, yes := v.confirm.Update(msg)
	switch {
	case answered && !yes:
		v.step = upSoftware
	case answered && v.ready() && v.urun.Chdef != nil:
		v.step = upRun
		return v.run.start([][]string{v.urun.Chdef})
	case answered && v.ready():
		return v.start()
	case answered:
		v.confirm.Ask(updateQuestion)
	}
	return nil
}

func (v *updateView) start() tea.Cmd {
	msg := StartMsg{Plan: v.urun.Plan}
	if v.urun.Chdef != nil && v.run.run != nil { // chdef ran: step 1 of 2
		msg.Ran, msg.Undo = v.urun.Chdef, v.urun.Restore
	}
	return tea.Batch(goTo(goMsg{to: v.from}), func() tea.Msg { return msg })
}

func (v *updateView) keySoftware(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		if v.typing {
			v.typing = false
			v.input.Blur()
			return nil
		}
		v.step = upSource
		return nil
	case key.Matches(msg, k.Switch):
		v.typing = !v.typing
		if v.typing {
			return v.input.Focus()
		}
		v.input.Blur()
		return nil
	case key.Matches(msg, k.Next):
		return v.preview()
	}
	if v.typing {
		var cmd tea.Cmd
		v.input, cmd = v.input.Update(msg)
		v.bad = nil
		return cmd
	}
	// NIM's listing may come after the step opened: asked each time.
	bundles := v.bundleChoices()
	switch {
	case key.Matches(msg, k.Up):
		v.bcur = max(v.bcur-1, 0)
	case key.Matches(msg, k.Down):
		v.bcur = min(v.bcur+1, max(len(bundles)-1, 0))
	case key.Matches(msg, k.Select) && v.bcur < len(bundles):
		b := bundles[v.bcur]
		v.picked[b] = !v.picked[b]
		v.bad = nil
	}
	return nil
}

// gotRun takes chdef's outcome: on success the update starts.
func (v *updateView) gotRun(msg runMsg) (tea.Cmd, bool) {
	cmd, finished := v.run.update(msg)
	if !finished {
		return cmd, false
	}
	if v.run.err != nil {
		return v.d.refreshAll(), true
	}
	return tea.Batch(v.d.refreshAll(), v.start()), true
}

func (v *updateView) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.run.running:
		return nil
	case v.refused() && v.step != upRun:
		return []key.Binding{k.Copy, k.Back}
	}
	switch v.step {
	case upSource:
		return []key.Binding{k.Up, k.Down, k.Choose, k.Back}
	case upSoftware:
		if v.typing {
			return []key.Binding{k.Next, k.Switch, k.Back}
		}
		return []key.Binding{k.Select, k.Switch, k.Next, k.Up, k.Down, k.Back}
	case upRun:
		return []key.Binding{k.Back}
	}
	yn := v.confirm.ShortHelp()
	yn[0].SetEnabled(v.ready())
	return append(yn, k.PgDown)
}

func (v *updateView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *updateView) View() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	head := st.Heading.Render("Update osimage "+v.o.Name) + st.Subtle.Render(": install software into its SPOT (mknimimage -u)")
	var lines []string
	foot := ""
	switch {
	case v.refused() && v.step != upRun:
		lines = v.refusalLines(w)
	case v.step == upSource:
		lines = v.sourceLines(w)
	case v.step == upSoftware:
		lines = v.softwareLines(w)
	default:
		head += "\n" + v.commandLines()
		lines = v.previewLines(w)
		foot = v.question()
	}
	h := max(v.c.Height-strings.Count(head, "\n")-1-strings.Count(foot, "\n")-2, 3)
	var body []string
	body, v.scroll = scrolled(st, lines, v.scroll, h)
	out := head + "\n\n" + strings.Join(body, "\n")
	if foot != "" {
		out += "\n" + foot
	}
	return out
}

// commandLines are the exact commands, numbered when chdef comes first.
func (v *updateView) commandLines() string {
	st := v.c.Styles
	argvs := [][]string{v.urun.Plan.Args()}
	if v.urun.Chdef != nil {
		argvs = append([][]string{v.urun.Chdef}, argvs...)
	}
	var out []string
	for i, a := range argvs {
		label := "Command: "
		if len(argvs) > 1 {
			label = fmt.Sprintf("Step %d:  ", i+1)
		}
		out = append(out, wrapLines(st.Code, st.Label.Render(label)+nim.ShellLine(a), v.c.Width)...)
	}
	return strings.Join(out, "\n")
}

func (v *updateView) refusalLines(w int) []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: w}
	b.wrap(st.Error, "error: nimwiz does not update "+v.o.Name+": its SPOT is in use, and a SPOT cannot be changed under the nodes that boot from it (mknimimage refuses an allocated SPOT: \"is currently allocated. It cannot be updated\").")
	b.add("")
	b.add(v.d.useLines(st, v.o, w)...)
	if a := v.spotAllocated(); a != "" {
		b.wrap(st.Text, "NIM counts "+a+" allocation(s) of the SPOT "+v.o.Name+" (alloc_count, lsnim -l "+v.o.Name+").")
	}
	if v.step == upPreview {
		for _, p := range v.uc.Problems {
			b.wrap(st.Text, termtext.String(p.Message))
		}
	}
	b.add("")
	b.add(st.Label.Render("The safe path: copy it (p), update the copy, move the nodes:"))
	u, _ := v.d.use(v.o.Name)
	if v.uc.Use.InUse() {
		u = v.uc.Use
	}
	cp := nim.CopyName(v.o.Name)
	path := nim.SafePathOf(v.o.Name, v.o.NimType(), cp, u)
	// The screen offers the copy itself (p), so its step is the bare command.
	path[0] = copyPlan(v.o, cp, false).CommandLine() + "   (p: the copy, checked first)"
	for i, s := range path {
		b.add(indented(st.Code, fmt.Sprintf("  %d. ", i+1), 5, termtext.String(s), w)...)
	}
	return b.lines
}

func (v *updateView) sourceLines(w int) []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: w}
	def := wizard.SoftwareOf(v.o)
	if def.Empty() && v.o.Get("synclists") == "" {
		b.wrap(st.Text, "The definition of "+v.o.Name+" names no software yet (installp_bundle, otherpkgs, synclists).")
	} else {
		b.wrap(st.Text, termtext.String(fmt.Sprintf("The definition of %s names installp_bundle=%s otherpkgs=%s synclists=%s.", v.o.Name, dash(strings.Join(def.Bundles, ",")), dash(def.Otherpkgs), dash(v.o.Get("synclists")))))
	}
	b.add(v.d.useLines(st, v.o, w)...)
	b.add("", st.Label.Render("Where does the software come from?"))
	for i, ch := range wizard.UpdateChoices(v.o.Name) {
		prefix, style := "  ", st.Item
		if i == v.src {
			prefix, style = "> ", st.Selected
		}
		b.add(style.Render(prefix + ch.Title))
		b.add(indented(st.Code, "    ", 4, ch.Flags, w)...)
		b.add(indented(st.Subtle, "    ", 4, ch.What, w)...)
	}
	return b.lines
}

func (v *updateView) softwareLines(w int) []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: w}
	ch := wizard.UpdateChoices(v.o.Name)[v.src]
	b.wrap(st.Subtle, ch.Title+": "+ch.What)
	b.add("", st.Label.Render("installp_bundles in NIM (lsnim -t installp_bundle):"))
	res := v.d.res
	switch {
	case res.load.Loading || res.load.Err != nil:
		b.add(strings.Split(res.load.View(st, w, ""), "\n")...)
	case len(v.bundleChoices()) == 0:
		b.wrap(st.Subtle, "NIM has no installp_bundle. Define one first (nim -o define -t installp_bundle -a server=master -a location=FILE NAME), or type otherpkgs below.")
	default:
		for i, bn := range v.bundleChoices() {
			prefix, style := "  ", st.Item
			if i == v.bcur && !v.typing {
				prefix, style = "> ", st.Selected
			}
			row := prefix + check(v.picked[bn]) + " " + bn
			if !nameIn(res.ofType("installp_bundle"), bn) {
				row += "  (named by the definition; NIM has no such bundle)"
			}
			b.add(style.Render(row))
		}
	}
	b.add("", st.Label.Render("otherpkgs (tab to type):"))
	b.add(v.input.View())
	b.wrap(st.Subtle, wizard.OtherpkgsHelp)
	if _, err := wizard.CheckOtherpkgs(v.input.Value()); err == nil {
		for _, wn := range wizard.UpdateWarnings(v.input.Value()) {
			b.wrap(st.Warning, wn)
		}
	}
	for _, e := range v.bad {
		b.wrap(st.Error, "error: "+e)
	}
	return b.lines
}

func (v *updateView) previewLines(w int) []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: w}
	if v.urun.Chdef != nil {
		b.wrap(st.Text, "Step 1 records the software in the definition of "+v.o.Name+"; step 2 installs what the definition then names.")
	} else if v.urun.Plan.UpdateFrom == nim.FromPlan {
		b.wrap(st.Text, wizard.AdHocNote(v.o.Name))
	} else {
		b.wrap(st.Text, "mknimimage -u installs what the definition of "+v.o.Name+" names; it is not changed.")
	}
	b.wrap(st.Subtle, "The whole run is critical: it is a SPOT update. nimwiz protects it as it protects a creation (signals refused while the SPOT changes, detach at any time).")
	b.add("")
	switch {
	case v.load.Loading || v.load.Err != nil:
		b.add(strings.Split(v.load.View(st, w, ""), "\n")...)
	default:
		for _, p := range v.uc.Problems {
			b.wrap(st.Error, "error: "+termtext.String(p.Field+": "+p.Message))
		}
		for _, e := range v.d.jobsUsing(v.o) {
			b.wrap(st.Error, "error: cannot update now: "+e)
		}
		if len(v.uc.Problems) == 0 {
			b.wrap(st.OK, "ok: the SPOT "+v.o.Name+" is ready and no node uses it.")
		}
	}
	updateImpactLines(b, v.d, v.o) // the service nodes (hierarchy.go)
	sw, _ := v.software()
	for _, wn := range wizard.UpdateWarnings(sw.Otherpkgs) {
		b.wrap(st.Warning, wn)
	}
	if v.run.done && v.run.err != nil {
		b.wrap(st.Error, fmt.Sprintf("error: %s failed: %v; the update did not start", nim.ShellLine(v.urun.Chdef), v.run.err))
	}
	return b.lines
}

func (v *updateView) question() string {
	st := v.c.Styles
	switch {
	case v.step == upRun && v.run.running:
		return v.run.runningLine(st, "Running "+nim.ShellLine(v.urun.Chdef)+" ...")
	case v.step == upRun:
		return st.Subtle.Render("Press esc to go back.")
	case v.load.Loading:
		return st.Subtle.Render("Checking...")
	case v.ready():
		return v.confirm.View(st, v.c.Width)
	case v.urun.Chdef != nil && v.run.run == nil:
		return st.Error.Render("error: nimwiz cannot run chdef here")
	case !v.d.env.CanStart && v.load.Loaded:
		return ui.Wrap(st.Error, "error: nimwiz cannot start jobs here: run the commands above yourself, or as a plan (nimwiz apply)", min(v.c.Width, 100))
	}
	return ui.Wrap(st.Subtle, "Nothing can run until the errors above are solved. Press n or esc to change the software.", min(v.c.Width, 100))
}
