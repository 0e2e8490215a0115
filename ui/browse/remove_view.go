package browse

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// What the remove view shows: the commands, what they remove and keep
// (from the attribute table and the NIM details), the question; while they
// run, a spinner; then what happened, each refusal explained.

func (v *removeView) View() string {
	st := v.c.Styles
	title := "Remove osimage " + v.o.Name
	if v.replace {
		title = "Replace osimage " + v.o.Name + ": remove it, then create it again"
	}
	head := st.Heading.Render(title)
	argvs := v.run.argvs
	if !v.run.running && !v.run.done {
		argvs = v.commands()
	}
	for i, a := range argvs {
		label := "Command: "
		if len(argvs) > 1 {
			label = fmt.Sprintf("Step %d:  ", i+1)
		}
		head += "\n" + strings.Join(wrapLines(st.Code, st.Label.Render(label)+nim.ShellLine(a), v.c.Width), "\n")
	}
	var lines []string
	var foot string
	switch {
	case v.run.running:
		lines = v.plannedLines()
		foot = v.run.runningLine(st, fmt.Sprintf("Running %s ... removing a SPOT can take several minutes; nimwiz waits up to %d minutes. Do not interrupt it.", nim.ShellLine(v.run.argvs[v.run.step]), int(nim.ChangeTimeout.Minutes())))
	case v.run.done:
		lines = v.resultLines()
		foot = st.Subtle.Render("The list was refreshed. Press enter to go back.")
	default:
		lines = v.plannedLines()
		foot = v.question()
	}
	h := max(v.c.Height-strings.Count(head, "\n")-1-strings.Count(foot, "\n")-1-1, 3)
	var body []string
	body, v.scroll = scrolled(st, lines, v.scroll, h)
	return head + "\n\n" + strings.Join(body, "\n") + "\n" + foot
}

// question is the foot before anything runs: the flags and y/N, or why
// nothing can run yet.
func (v *removeView) question() string {
	st := v.c.Styles
	switch {
	case v.run.run == nil:
		return st.Error.Render("error: nimwiz cannot run commands here")
	case v.ready() && v.replace:
		return v.confirm.View(st, v.c.Width)
	case v.ready():
		return v.toggles() + "\n" + v.confirm.View(st, v.c.Width)
	case len(v.blockers()) > 0:
		return st.Subtle.Render("Nothing can run until the errors above are solved. Press esc to go back.")
	}
	return st.Subtle.Render("Waiting for the NIM details...")
}

// toggles are the flags' check boxes, kept in view under the list.
func (v *removeView) toggles() string {
	st := v.c.Styles
	return strings.Join([]string{
		st.Text.Render(check(v.dFlag) + " -d  also the lpp_source; rm -R the directories"),
		st.Text.Render(check(v.xFlag) + " -x  also the xCAT osimage definition"),
		st.Text.Render(check(v.fFlag) + " -f  skip the shared-resource check"),
	}, "\n")
}

// lineBuilder collects wrapped lines at one width.
type lineBuilder struct {
	st    *ui.Styles
	width int
	lines []string
}

func (b *lineBuilder) add(s ...string) { b.lines = append(b.lines, s...) }

// wrap adds s wrapped to the width.
func (b *lineBuilder) wrap(style lipgloss.Style, s string) {
	b.lines = append(b.lines, wrapLines(style, s, b.width)...)
}

// item adds "  - s" with a hanging indent.
func (b *lineBuilder) item(style lipgloss.Style, s string) {
	b.lines = append(b.lines, indented(style, "  - ", 4, s, b.width)...)
}

// plannedLines say exactly what the commands will remove and keep.
func (v *removeView) plannedLines() []string {
	st := v.c.Styles
	b := &lineBuilder{st: st, width: min(v.c.Width, 100)}
	_, detached := nim.ReplaceArgvs(v.o)
	if !v.replace {
		detached = nil
	}
	kept, sharedAny, shared := v.removesLines(b, detached)
	v.keepsLines(b, kept, detached)
	b.add("")
	what := "remove"
	if v.replace {
		what = "replace"
	}
	for _, e := range v.blockers() {
		b.wrap(st.Error, "error: cannot "+what+": "+e)
	}
	b.add(v.d.useLines(st, v.o, b.width)...)
	if v.replace {
		if len(detached) > 0 {
			b.wrap(st.Subtle, "Why chdef first: rmnimimage removes every NIM resource the definition names, extras included, and -d would delete the lpp_source; detaching them keeps them for the new image. Why -d -x and no -f: the definition and the resources named "+v.o.Name+"* go with their directories, so mknimimage starts clean instead of reusing them; the shared check stays on to protect other osimages. To restore the detached attributes by hand: "+nim.ShellLine(nim.RestoreArgv(v.o)))
		}
		b.wrap(st.Warning, "warning: once this runs, osimage "+v.o.Name+" is gone even if you leave the wizard without creating it.")
		return b.lines
	}
	switch _, _, f := v.flags(); {
	case sharedAny && !f:
		b.wrap(st.Warning, "warning: this osimage shares resources with others, so rmnimimage will refuse (it compares every resource, the lpp_source too). Press f to add -f, or remove the other osimage first.")
	case f && len(shared) > 0:
		b.wrap(st.Error, "warning: with -f rmnimimage removes "+strings.Join(shared, ", ")+": the other osimage(s) lose it. Remove those osimages first, or leave -f off.")
	case f && sharedAny:
		b.wrap(st.Subtle, "-f is safe here: the only shared resource is the lpp_source, which rmnimimage keeps without -d.")
	}
	return b.lines
}

// removesLines are "It removes:": the definition (-x) and each resource,
// with its state and the directory -d deletes. It returns what stays, whether
// a resource is shared, and the shared ones this run would remove.
func (v *removeView) removesLines(b *lineBuilder, detached []string) (kept []string, sharedAny bool, shared []string) {
	st := v.c.Styles
	dFlag, xFlag, _ := v.flags()
	dt := v.d.details[v.o.Name]
	b.add(st.Label.Render("It removes:"))
	if xFlag {
		b.item(st.Text, "the xCAT osimage definition "+v.o.Name+" (first, before any NIM resource)")
	}
	for _, r := range nim.ResourceRefs(v.o) {
		others := v.d.sharers(r.Name, v.o.Name)
		isDetached := slices.Contains(detached, r.Attr)
		sharedAny = sharedAny || len(others) > 0 && !isDetached
		switch {
		case isDetached:
			kept = append(kept, fmt.Sprintf("%s %s (detached from the definition first; the new image reuses it)", r.Attr, r.Name))
			continue
		case r.Attr == "lpp_source" && !dFlag:
			kept = append(kept, fmt.Sprintf("lpp_source %s (add -d to remove it and its directory)", r.Name))
			continue
		}
		line := r.Attr + " " + r.Name + v.resourceNote(dt, r, dFlag)
		if len(others) > 0 {
			line += " ! also used by " + strings.Join(others, ", ")
			shared = append(shared, fmt.Sprintf("%s %s (used by %s)", r.Attr, r.Name, strings.Join(others, ", ")))
		}
		b.item(st.Text, line)
	}
	if dt == nil || dt.load.Loading {
		b.add(st.Subtle.Render("  (loading the NIM details for locations and allocation...)"))
	}
	return kept, sharedAny, shared
}

// resourceNote is what NIM says of a resource the run removes.
func (v *removeView) resourceNote(dt *detail, r nim.ResourceRef, dFlag bool) string {
	obj, ok := dt.object(r.Name)
	spec, _ := nim.LookupAttr(r.Attr)
	rmDir := spec.RemovedDir(obj.Get("location"))
	switch {
	case dt != nil && dt.missing[r.Name]:
		return ": not in NIM, nothing to remove"
	case ok && obj.Get("alloc_count") != "" && obj.Get("alloc_count") != "0":
		return ": ! ALLOCATED to " + obj.Get("alloc_count") + " client(s): rmnimimage will skip it"
	case dFlag && ok && rmDir != "":
		return ", and rm -R " + rmDir
	case ok && obj.Get("location") != "":
		return " (" + obj.Get("location") + ")"
	}
	return ""
}

// keepsLines are "It keeps:": the definition without -x, what is detached
// or kept, and the directories (the attribute table says which -d leaves).
func (v *removeView) keepsLines(b *lineBuilder, kept, detached []string) {
	st := v.c.Styles
	dFlag, xFlag, _ := v.flags()
	b.add("", st.Label.Render("It keeps:"))
	if !xFlag {
		b.item(st.Warning, "the xCAT definition "+v.o.Name+": ! it will name NIM resources that no longer exist (add -x)")
	}
	for _, k := range kept {
		b.item(st.Text, k)
	}
	if !dFlag {
		b.item(st.Text, "the directories of the removed resources (add -d to delete them)")
		return
	}
	var left []string
	for _, r := range nim.ResourceRefs(v.o) {
		if spec, ok := nim.LookupAttr(r.Attr); ok && spec.Removes == nim.RemovesNothing && !slices.Contains(detached, r.Attr) {
			left = append(left, r.Attr+" "+r.Name)
		}
	}
	switch len(left) {
	case 0:
	case 1:
		b.item(st.Text, "the directory of "+left[0]+" (rmnimimage -d does not delete it)")
	default:
		b.item(st.Text, "the directories of "+strings.Join(left, ", ")+" (rmnimimage -d does not delete them)")
	}
}

// resultLines are the commands' output and what it means: each refusal
// explained with what to do.
func (v *removeView) resultLines() []string {
	st, r := v.c.Styles, &v.run
	b := &lineBuilder{st: st, width: min(v.c.Width, 100)}
	rep := v.report
	switch {
	case r.err != nil && !r.lastRan():
		b.wrap(st.Error, fmt.Sprintf("error: %s failed, so nothing was removed: %v", nim.ShellLine(r.argvs[len(r.results)-1]), r.err))
	case rep.OK() && r.err == nil:
		b.wrap(st.OK, removedText(rep))
	default:
		v.failureLines(b)
	}
	return append(b.lines, r.outputLines(st, b.width)...)
}

// removedText is the ok line: what rmnimimage said it removed.
func removedText(rep nim.RemoveReport) string {
	if !rep.DefinitionRemoved && len(rep.Removed) == 0 {
		return "ok: rmnimimage finished without an error and removed nothing."
	}
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
	return msg + "."
}

// failureLines say what was done, what was refused and what to do.
func (v *removeView) failureLines(b *lineBuilder) {
	st, r, rep := v.c.Styles, &v.run, v.report
	if rep.DefinitionRemoved {
		b.wrap(st.Text, "The definition "+rep.Definition+" was removed.")
	}
	if len(rep.Removed) > 0 {
		b.wrap(st.Text, "Removed: "+strings.Join(rep.Removed, ", ")+".")
	}
	if rep.SharedRefused {
		var who []string
		for _, rr := range nim.ResourceRefs(v.o) {
			if others := v.d.sharers(rr.Name, v.o.Name); len(others) > 0 {
				who = append(who, fmt.Sprintf("%s %s is also used by %s", rr.Attr, rr.Name, strings.Join(others, ", ")))
			}
		}
		why := "rmnimimage refused: a resource is used by another osimage; nothing was removed."
		if len(who) > 0 {
			why += " From the list: " + strings.Join(who, "; ") + "."
		}
		b.wrap(st.Error, "error: "+why)
		b.wrap(st.Text, "What to do: -f overrides the check (press d again and toggle f; without -d the lpp_source is kept, so a shared lpp_source is safe), or remove the other osimage first.")
	}
	if len(rep.Allocated) > 0 {
		b.wrap(st.Error, "error: still allocated to NIM clients, not removed: "+strings.Join(rep.Allocated, ", ")+".")
		b.wrap(st.Text, "What to do: free the nodes with rmdsklsnode NODES (or by hand: nim -Fo reset NODE, then nim -o deallocate -a subclass=all NODE), then remove again.")
	}
	if len(rep.NotRemoved) > 0 {
		b.wrap(st.Error, "error: NIM could not remove "+strings.Join(rep.NotRemoved, ", ")+"; its messages are below. Check it with lsnim -l, nim -Fo reset it if an operation was stopped, then remove again.")
	}
	for _, e := range rep.Errors {
		if strings.Contains(e.Text, "is not a valid xCAT image name") {
			b.wrap(st.Error, "error: xCAT has no definition named "+v.o.Name+" any more (removed elsewhere?). The list was refreshed.")
		}
	}
	if r.err != nil && len(rep.Errors) == 0 && !rep.SharedRefused {
		b.wrap(st.Error, fmt.Sprintf("error: %v", r.err))
	}
	if v.replace && len(r.argvs) > 1 && !rep.DefinitionRemoved {
		_, detached := nim.ReplaceArgvs(v.o)
		b.wrap(st.Warning, "warning: chdef already detached "+strings.Join(detached, ", ")+" from the definition. To put them back: "+nim.ShellLine(nim.RestoreArgv(v.o)))
	}
}
