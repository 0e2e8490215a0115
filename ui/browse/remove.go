package browse

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// removal is the remove (or replace) confirmation, its run and its result.
type removal struct {
	from     mode
	replace  bool
	o        nim.Osimage
	d, x, f  bool
	argvs    [][]string
	detached []string
	step     int
	running  bool
	done     bool
	spin     ui.Loader
	results  []nim.Result
	err      error
	report   nim.RemoveReport
	scroll   int
}

type runMsg struct {
	kind string // "remove" or "change"
	step int
	res  nim.Result
	err  error
}

func (m *Model) openRemove(from mode, replace bool) tea.Cmd {
	o, ok := m.Selected()
	if !ok {
		return nil
	}
	m.rm = &removal{from: from, replace: replace, o: o, x: true, spin: ui.NewLoader("")}
	m.mode = modeRemove
	m.quitTries = 0
	return m.loadDetails(false) // locations and alloc_count for the list
}

func (r *removal) commands() [][]string {
	if r.replace {
		argvs, detached := nim.ReplaceArgvs(r.o)
		r.detached = detached
		return argvs
	}
	return [][]string{nim.RemoveArgv(r.o.Name, r.d, r.x, r.f)}
}

// blockers are why a replacement must not start: a resource it would remove
// is shared with another osimage or allocated. Starting anyway would leave
// the definition changed and the old image half-removed.
func (m *Model) blockers(r *removal) []string {
	if !r.replace {
		return nil
	}
	d := m.details[r.o.Name]
	var out []string
	for _, rr := range nim.ResourceRefs(r.o) {
		if !r.o.NamedAfter(rr) {
			continue
		}
		if others := m.sharers(rr.Name, r.o.Name); len(others) > 0 {
			out = append(out, fmt.Sprintf("%s %s is also used by osimage %s: remove %s first, or re-create as a new osimage", rr.Attr, rr.Name, strings.Join(others, ", "), strings.Join(others, ", ")))
		}
		if d != nil && d.objs != nil {
			if a := d.objs[rr.Name].Get("alloc_count"); a != "" && a != "0" {
				out = append(out, fmt.Sprintf("%s %s is allocated to %s NIM client(s): free them first (rmdsklsnode NODES), or re-create as a new osimage", rr.Attr, rr.Name, a))
			}
		}
	}
	return out
}

func (m *Model) ready(r *removal) bool {
	d := m.details[r.o.Name]
	return d != nil && d.load.Loaded && len(m.blockers(r)) == 0 && m.env.Run != nil
}

func (m *Model) keyRemove(msg tea.KeyMsg) tea.Cmd {
	r := m.rm
	switch {
	case r.running:
		return nil
	case r.done:
		switch msg.String() {
		case "enter", "esc", "q":
			m.closeRemove()
		case "pgup":
			r.scroll = max(r.scroll-m.page(), 0)
		case "pgdown", " ":
			r.scroll += m.page()
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.No):
		m.mode, m.rm = r.from, nil
	// pgup/pgdown only: f and b (the lists' page keys) toggle flags here.
	case msg.String() == "pgup":
		r.scroll = max(r.scroll-m.page(), 0)
	case msg.String() == "pgdown":
		r.scroll += m.page()
	case key.Matches(msg, m.keys.Refresh):
		return m.loadDetails(true)
	case r.replace:
		if key.Matches(msg, m.keys.Yes) && m.ready(r) {
			return m.startRemove()
		}
	case key.Matches(msg, m.keys.ToggleD):
		r.d = !r.d
	case key.Matches(msg, m.keys.ToggleX):
		r.x = !r.x
	case key.Matches(msg, m.keys.ToggleF):
		r.f = !r.f
	case key.Matches(msg, m.keys.Yes):
		if m.ready(r) {
			return m.startRemove()
		}
	}
	return nil
}

func (m *Model) startRemove() tea.Cmd {
	r := m.rm
	r.argvs = r.commands()
	r.step, r.running, r.scroll = 0, true, 0
	return tea.Batch(r.spin.Start(), m.runStep("remove", 0, r.argvs[0]))
}

func (m *Model) runStep(kind string, step int, argv []string) tea.Cmd {
	run := m.env.Run
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), nim.ChangeTimeout)
		defer cancel()
		res, err := run.Run(ctx, argv)
		return runMsg{kind, step, res, err}
	}
}

func (m *Model) gotRun(msg runMsg) tea.Cmd {
	if msg.kind == "change" {
		return m.gotChange(msg)
	}
	r := m.rm
	if r == nil || !r.running || msg.step != r.step {
		return nil
	}
	r.results = append(r.results, msg.res)
	last := msg.step == len(r.argvs)-1
	if !last && msg.err == nil {
		// chdef can print an error and still exit 0: do not go on then.
		if e, bad := firstError(msg.res); bad {
			msg.err = e
		}
	}
	if msg.err == nil && !last {
		r.step++
		return m.runStep("remove", r.step, r.argvs[r.step])
	}
	r.running, r.done, r.err = false, true, msg.err
	m.quitTries = 0
	r.spin.Finish(nil)
	if last {
		r.report = nim.ParseRmnimimage(append(append([]byte{}, msg.res.Stdout...), msg.res.Stderr...))
	}
	refresh := m.refreshAll()
	if r.replace && last && msg.err == nil && r.report.OK() {
		o := r.o
		m.mode, m.rm = modeList, nil
		return tea.Batch(refresh, func() tea.Msg { return RecreateMsg{Osimage: o, Replace: true} })
	}
	return refresh
}

// closeRemove leaves the result: to the details when the osimage is still
// there, else to the list.
func (m *Model) closeRemove() {
	from := m.rm.from
	m.rm = nil
	if _, ok := m.byName[m.sel]; ok && from == modeDetails && !m.load.Loading {
		m.mode = modeDetails
		return
	}
	m.mode = modeList
}

func (m *Model) removeHelp() []key.Binding {
	r, kk := m.rm, m.keys
	switch {
	case r.running:
		return nil
	case r.done:
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "back")), kk.PgDown}
	}
	yes := kk.Yes
	yes.SetEnabled(m.ready(r))
	if r.replace {
		return []key.Binding{yes, kk.No, kk.PgDown}
	}
	return []key.Binding{kk.ToggleD, kk.ToggleX, kk.ToggleF, yes, kk.No, kk.PgDown}
}

func check(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

// removeLines says exactly what the command will remove and keep.
func (m *Model) removeLines(r *removal) []string {
	st, w := m.c.Styles, min(m.c.Width, 100)
	d := m.details[r.o.Name]
	obj := func(n string) (nim.Object, bool) {
		if d == nil || d.objs == nil {
			return nim.Object{}, false
		}
		o, ok := d.objs[n]
		return o, ok
	}
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	// item wraps a "  - ..." line with a hanging indent.
	item := func(style lipgloss.Style, s string) {
		for i, l := range wrapLines(st, style, strings.TrimPrefix(s, "  - "), w-4) {
			if i == 0 {
				lines = append(lines, "  - "+l)
			} else {
				lines = append(lines, "    "+l)
			}
		}
	}
	wrap := func(style lipgloss.Style, s string) { lines = append(lines, wrapLines(st, style, s, w)...) }
	detached := map[string]bool{}
	if r.replace {
		_, ds := nim.ReplaceArgvs(r.o)
		for _, a := range ds {
			detached[a] = true
		}
	}
	dFlag, xFlag, fFlag := r.d, r.x, r.f
	if r.replace {
		dFlag, xFlag, fFlag = true, true, false
	}

	add(st.Label.Render("It removes:"))
	if xFlag {
		item(st.Text, "  - the xCAT osimage definition "+r.o.Name+" (first, before any NIM resource)")
	}
	var kept []string
	var shared []string // shared resources this run would remove
	sharedAny := false
	for _, rr := range nim.ResourceRefs(r.o) {
		others := m.sharers(rr.Name, r.o.Name)
		if len(others) > 0 && !detached[rr.Attr] {
			sharedAny = true
		}
		switch {
		case detached[rr.Attr]:
			kept = append(kept, fmt.Sprintf("%s %s (detached from the definition first; the new image reuses it)", rr.Attr, rr.Name))
			continue
		case rr.Attr == "lpp_source" && !dFlag:
			kept = append(kept, fmt.Sprintf("lpp_source %s (add -d to remove it and its directory)", rr.Name))
			continue
		}
		o, ok := obj(rr.Name)
		spec, _ := nim.LookupAttr(rr.Attr)
		rmDir := spec.RemovedDir(o.Get("location"))
		line := fmt.Sprintf("  - %s %s", rr.Attr, rr.Name)
		switch {
		case d != nil && d.missing[rr.Name]:
			line += ": not in NIM, nothing to remove"
		case ok && o.Get("alloc_count") != "" && o.Get("alloc_count") != "0":
			line += ": ! ALLOCATED to " + o.Get("alloc_count") + " client(s): rmnimimage will skip it"
		case dFlag && ok && rmDir != "":
			line += ", and rm -R " + rmDir
		case ok && o.Get("location") != "":
			line += " (" + o.Get("location") + ")"
		}
		if len(others) > 0 {
			line += " ! also used by " + strings.Join(others, ", ")
			shared = append(shared, fmt.Sprintf("%s %s (used by %s)", rr.Attr, rr.Name, strings.Join(others, ", ")))
		}
		item(st.Text, line)
	}
	if d == nil || d.load.Loading {
		add(st.Subtle.Render("  (loading the NIM details for locations and allocation...)"))
	}
	add("")
	add(st.Label.Render("It keeps:"))
	if !xFlag {
		item(st.Warning, "  - the xCAT definition "+r.o.Name+": ! it will name NIM resources that no longer exist (add -x)")
	}
	for _, k := range kept {
		item(st.Text, "  - "+k)
	}
	if !dFlag {
		item(st.Text, "  - the directories of the removed resources (add -d to delete them)")
	}
	if dFlag {
		// The attribute table says which directories -d leaves.
		var left []string
		for _, rr := range nim.ResourceRefs(r.o) {
			if spec, ok := nim.LookupAttr(rr.Attr); ok && spec.Removes == nim.RemovesNothing && !detached[rr.Attr] {
				left = append(left, rr.Attr+" "+rr.Name)
			}
		}
		switch len(left) {
		case 0:
		case 1:
			item(st.Text, "  - the directory of "+left[0]+" (rmnimimage -d does not delete it)")
		default:
			item(st.Text, "  - the directories of "+strings.Join(left, ", ")+" (rmnimimage -d does not delete them)")
		}
	}
	add("")
	if r.replace {
		for _, b := range m.blockers(r) {
			wrap(st.Error, "error: cannot replace: "+b)
		}
		if len(r.detached) > 0 || len(detached) > 0 {
			wrap(st.Subtle, "Why chdef first: rmnimimage removes every NIM resource the definition names, extras included, and -d would delete the lpp_source; detaching them keeps them for the new image. Why -d -x and no -f: the definition and the resources named "+r.o.Name+"* go with their directories, so mknimimage starts clean instead of reusing them; the shared check stays on to protect other osimages. To restore the detached attributes by hand: "+nim.ShellLine(nim.RestoreArgv(r.o)))
		}
		wrap(st.Warning, "warning: once this runs, osimage "+r.o.Name+" is gone even if you leave the wizard without creating it.")
		return lines
	}
	switch {
	case sharedAny && !fFlag:
		wrap(st.Warning, "warning: this osimage shares resources with others, so rmnimimage will refuse (it compares every resource, the lpp_source too). Press f to add -f, or remove the other osimage first.")
	case fFlag && len(shared) > 0:
		wrap(st.Error, "warning: with -f rmnimimage removes "+strings.Join(shared, ", ")+": the other osimage(s) lose it. Remove those osimages first, or leave -f off.")
	case fFlag && sharedAny:
		wrap(st.Subtle, "-f is safe here: the only shared resource is the lpp_source, which rmnimimage keeps without -d.")
	}
	return lines
}

// toggles are the flags' check boxes, kept in view under the list.
func (m *Model) toggles(r *removal) string {
	st := m.c.Styles
	return strings.Join([]string{
		st.Text.Render(check(r.d) + " -d  also the lpp_source; rm -R the directories"),
		st.Text.Render(check(r.x) + " -x  also the xCAT osimage definition"),
		st.Text.Render(check(r.f) + " -f  skip the shared-resource check"),
	}, "\n")
}

func (m *Model) removeView() string {
	r := m.rm
	st := m.c.Styles
	title := "Remove osimage " + r.o.Name
	if r.replace {
		title = "Replace osimage " + r.o.Name + ": remove it, then create it again"
	}
	head := st.Heading.Render(title)
	argvs := r.argvs
	if !r.running && !r.done {
		argvs = r.commands()
	}
	for i, a := range argvs {
		label := "Command: "
		if len(argvs) > 1 {
			label = fmt.Sprintf("Step %d:  ", i+1)
		}
		head += "\n" + strings.Join(wrapLines(st, st.Code, st.Label.Render(label)+nim.ShellLine(a), m.c.Width), "\n")
	}
	var lines []string
	var foot string
	switch {
	case r.running:
		lines = m.removeLines(r)
		foot = r.spin.SpinnerView(st) + " " + st.Subtle.Render(fmt.Sprintf("Running %s ... removing a SPOT can take several minutes; nimwiz waits up to %d minutes. Do not interrupt it.", nim.ShellLine(r.argvs[r.step]), int(nim.ChangeTimeout.Minutes())))
	case r.done:
		lines = m.resultLines(r)
		foot = st.Subtle.Render("The list was refreshed. Press enter to go back.")
	default:
		lines = m.removeLines(r)
		if m.env.Run == nil {
			foot = st.Error.Render("error: nimwiz cannot run commands here")
		} else if m.ready(r) {
			foot = st.Warning.Render("Run it now? This changes the NIM master. [y/N]")
			if !r.replace {
				foot = m.toggles(r) + "\n" + foot
			}
		} else if r.replace && len(m.blockers(r)) > 0 {
			foot = st.Subtle.Render("Nothing can run until the errors above are solved. Press esc to go back.")
		} else {
			foot = st.Subtle.Render("Waiting for the NIM details...")
		}
	}
	h := m.c.Height - strings.Count(head, "\n") - 1 - strings.Count(foot, "\n") - 1 - 1
	h = max(h, 3)
	r.scroll = min(r.scroll, max(len(lines)-h, 0))
	body := lines[r.scroll:]
	if len(body) > h {
		body = append(body[:h-1:h-1], st.Subtle.Render(fmt.Sprintf("  (%d more lines: pgdn)", len(body)-h+1)))
	}
	return head + "\n\n" + strings.Join(body, "\n") + "\n" + foot
}

// resultLines are the command's output and what it means: each refusal
// explained with what to do.
func (m *Model) resultLines(r *removal) []string {
	st, w := m.c.Styles, min(m.c.Width, 100)
	var lines []string
	wrap := func(style lipgloss.Style, s string) { lines = append(lines, wrapLines(st, style, s, w)...) }
	rep := r.report
	lastRan := len(r.results) == len(r.argvs)
	switch {
	case r.err != nil && !lastRan:
		wrap(st.Error, fmt.Sprintf("error: %s failed, so nothing was removed: %v", nim.ShellLine(r.argvs[len(r.results)-1]), r.err))
	case rep.OK() && r.err == nil:
		msg := "ok: removed"
		if rep.DefinitionRemoved {
			msg += " the definition " + rep.Definition
			if len(rep.Removed) > 0 {
				msg += " and"
			}
		}
		if len(rep.Removed) > 0 {
			msg += " the NIM resources " + strings.Join(rep.Removed, ", ")
		}
		if !rep.DefinitionRemoved && len(rep.Removed) == 0 {
			msg = "ok: rmnimimage finished without an error and removed nothing"
		}
		wrap(st.OK, msg+".")
	default:
		if rep.DefinitionRemoved {
			wrap(st.Text, "The definition "+rep.Definition+" was removed.")
		}
		if len(rep.Removed) > 0 {
			wrap(st.Text, "Removed: "+strings.Join(rep.Removed, ", ")+".")
		}
		if rep.SharedRefused {
			var who []string
			for _, rr := range nim.ResourceRefs(r.o) {
				if others := m.sharers(rr.Name, r.o.Name); len(others) > 0 {
					who = append(who, fmt.Sprintf("%s %s is also used by %s", rr.Attr, rr.Name, strings.Join(others, ", ")))
				}
			}
			why := "rmnimimage refused: a resource is used by another osimage; nothing was removed."
			if len(who) > 0 {
				why += " From the list: " + strings.Join(who, "; ") + "."
			}
			wrap(st.Error, "error: "+why)
			wrap(st.Text, "What to do: -f overrides the check (press d again and toggle f; without -d the lpp_source is kept, so a shared lpp_source is safe), or remove the other osimage first.")
		}
		if len(rep.Allocated) > 0 {
			wrap(st.Error, "error: still allocated to NIM clients, not removed: "+strings.Join(rep.Allocated, ", ")+".")
			wrap(st.Text, "What to do: free the nodes with rmdsklsnode NODES (or by hand: nim -Fo reset NODE, then nim -o deallocate -a subclass=all NODE), then remove again.")
		}
		if len(rep.NotRemoved) > 0 {
			wrap(st.Error, "error: NIM could not remove "+strings.Join(rep.NotRemoved, ", ")+"; its messages are below. Check it with lsnim -l, nim -Fo reset it if an operation was stopped, then remove again.")
		}
		for _, e := range rep.Errors {
			if strings.Contains(e.Text, "is not a valid xCAT image name") {
				wrap(st.Error, "error: xCAT has no definition named "+r.o.Name+" any more (removed elsewhere?). The list was refreshed.")
			}
		}
		if r.err != nil && len(rep.Errors) == 0 && !rep.SharedRefused {
			wrap(st.Error, fmt.Sprintf("error: %v", r.err))
		}
		if r.replace && len(r.argvs) > 1 && !rep.DefinitionRemoved {
			wrap(st.Warning, "warning: chdef already detached "+strings.Join(r.detached, ", ")+" from the definition. To put them back: "+nim.ShellLine(nim.RestoreArgv(r.o)))
		}
	}
	lines = append(lines, "", st.Label.Render("Output:"))
	for i, res := range r.results {
		lines = append(lines, st.Code.Render("$ "+nim.ShellLine(r.argvs[i])))
		out := strings.TrimRight(string(res.Stdout)+string(res.Stderr), "\n")
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) != "" {
				for i, wl := range wrapLines(st, st.Text, termtext.String(strings.TrimSpace(l)), w-4) {
					if i == 0 {
						lines = append(lines, "  "+wl)
					} else {
						lines = append(lines, "    "+wl)
					}
				}
			}
		}
	}
	return lines
}

// recreateView is the "new name or replace?" choice.
type recreateView struct {
	from mode
	cur  int
}

func (m *Model) openRecreate(from mode) tea.Cmd {
	m.recreate = recreateView{from: from}
	m.mode = modeRecreate
	return nil
}

func (m *Model) keyRecreate(msg tea.KeyMsg) tea.Cmd {
	switch {
	case msg.String() == "esc":
		m.mode = m.recreate.from
	case key.Matches(msg, m.keys.Up):
		m.recreate.cur = 0
	case key.Matches(msg, m.keys.Down):
		m.recreate.cur = 1
	case msg.String() == "enter":
		o, ok := m.Selected()
		if !ok {
			return nil
		}
		if m.recreate.cur == 0 {
			m.mode = m.recreate.from
			return func() tea.Msg { return RecreateMsg{Osimage: o} }
		}
		return m.openRemove(m.recreate.from, true)
	}
	return nil
}

func (m *Model) recreateView() string {
	st, w := m.c.Styles, min(m.c.Width, 100)
	o, _ := m.Selected()
	p := nim.PlanFromOsimage(o)
	var b strings.Builder
	b.WriteString(st.Heading.Render("Re-create osimage "+o.Name) + "\n\n")
	b.WriteString(ui.Wrap(st.Subtle, "The create wizard opens prefilled from "+o.Name+" (like nimwiz create --from "+o.Name+"): "+summary(p)+". You can change every step before anything runs.", w) + "\n\n")
	opts := []struct{ title, what string }{
		{"As a new osimage", "the wizard suggests a free name; " + o.Name + " stays as it is."},
		{"Replace it", "remove " + o.Name + " first (you confirm the exact commands), then the wizard opens with the same name."},
	}
	for i, op := range opts {
		prefix, style := "  ", st.Item
		if i == m.recreate.cur {
			prefix, style = "> ", st.Selected
		}
		b.WriteString(style.Render(prefix+op.title) + "\n")
		for _, l := range wrapLines(st, st.Subtle, op.what, w-4) {
			b.WriteString("    " + l + "\n")
		}
	}
	return b.String()
}

// summary describes what a prefilled plan keeps.
func summary(p nim.Plan) string {
	p = p.WithDefaults()
	parts := []string{string(p.Type)}
	if p.Stateless {
		parts = append(parts, "stateless")
	} else {
		parts = append(parts, "stateful")
	}
	if p.Dump {
		parts = append(parts, "with a dump")
	}
	if p.Source != "" {
		parts = append(parts, "lpp_source "+p.Source)
	}
	for _, a := range sortedKeys(p.Extra) {
		parts = append(parts, a+"="+p.Extra[a])
	}
	return strings.Join(parts, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// wrapLines wraps s to width and styles each line (plain wrapping first, so
// the style never pads lines to the width).
func wrapLines(st *ui.Styles, style lipgloss.Style, s string, width int) []string {
	var out []string
	for _, l := range strings.Split(ui.Wrap(lipgloss.NewStyle(), s, width), "\n") {
		out = append(out, style.Render(strings.TrimRight(l, " ")))
	}
	return out
}

// firstError is the first xCAT or NIM error message in a command's output.
func firstError(res nim.Result) (error, bool) {
	for _, e := range nim.ParseMessages(append(append([]byte{}, res.Stdout...), res.Stderr...)) {
		if e.Kind.IsError() {
			return fmt.Errorf("%s", e.String()), true
		}
	}
	return nil, false
}
