package browse

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// detailsView is one osimage: its definition and, from one lsnim -l, the
// state of every NIM resource it names.
type detailsView struct {
	c    ui.Common
	keys ui.DetailsKeys
	d    *data
	cur  int // resource under the cursor
}

func newDetailsView(c ui.Common, d *data) *detailsView {
	return &detailsView{c: c, keys: c.Keys.Browse.Details, d: d}
}

func (v *detailsView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *detailsView) capturing() bool  { return true } // esc back is in its help

func (v *detailsView) update(msg tea.KeyMsg) tea.Cmd {
	o, ok := v.d.selected()
	if !ok {
		return goTo(goMsg{to: pageList})
	}
	k, rs := v.keys, nim.ResourceRefs(o)
	switch {
	case key.Matches(msg, k.Back):
		return goTo(goMsg{to: pageList})
	case key.Matches(msg, k.Up):
		v.cur = max(v.cur-1, 0)
	case key.Matches(msg, k.Down):
		v.cur = min(v.cur+1, max(len(rs)-1, 0))
	case key.Matches(msg, k.Refresh):
		return v.d.loadDetails(true)
	case key.Matches(msg, k.Open):
		if v.cur < len(rs) && v.d.canShow(rs[v.cur]) {
			return goTo(goMsg{to: pageContents, ref: rs[v.cur]})
		}
	case key.Matches(msg, k.Recreate):
		return goTo(goMsg{to: pageRecreate, from: pageDetails})
	case key.Matches(msg, k.Remove):
		return goTo(goMsg{to: pageRemove, from: pageDetails})
	case key.Matches(msg, k.Change):
		return goTo(goMsg{to: pageChange, from: pageDetails})
	case key.Matches(msg, k.Check):
		return goTo(goMsg{to: pageCheck, from: pageDetails})
	case key.Matches(msg, k.Copy):
		return goTo(goMsg{to: pageCopy, from: pageDetails})
	case key.Matches(msg, k.Update):
		return goTo(goMsg{to: pageUpdate, from: pageDetails})
	}
	return nil
}

func (v *detailsView) ShortHelp() []key.Binding {
	k := v.keys
	o, _ := v.d.selected()
	rs := nim.ResourceRefs(o)
	k.Open.SetEnabled(v.cur < len(rs) && v.d.canShow(rs[v.cur]))
	return []key.Binding{k.Open, k.Recreate, k.Remove, k.Change, k.Refresh, k.Back, k.Up, k.Down}
}

func (v *detailsView) FullHelp() [][]key.Binding {
	return [][]key.Binding{v.ShortHelp(), {v.keys.Check, v.keys.Copy, v.keys.Update}}
}

// resourceLines are the resources, one to three lines each, and the lines
// of the one under the cursor.
func (v *detailsView) resourceLines(o nim.Osimage, dt *detail, rs []nim.ResourceRef) (lines []string, first, last int) {
	st := v.c.Styles
	nameW, attrW := 8, 6
	for _, r := range rs {
		nameW, attrW = max(nameW, len(r.Name)), max(attrW, len(r.Attr))
	}
	for i, r := range rs {
		if i == v.cur {
			first = len(lines)
		}
		status, bad := resourceStatus(dt, r.Name)
		prefix, style := "  ", st.Item
		if i == v.cur {
			prefix, style = "> ", st.Selected
		}
		statusStyle := st.Text
		if bad {
			statusStyle = st.Warning
		}
		lines = append(lines, style.Render(fmt.Sprintf("%s%-*s %-*s", prefix, attrW, r.Attr, nameW, r.Name))+"  "+statusStyle.Render(status))
		if f := resourceFacts(dt, r); f != "" {
			lines = append(lines, st.Subtle.Render("     "+f))
		}
		if others := v.d.sharers(r.Name, o.Name); len(others) > 0 {
			lines = append(lines, st.Text.Render("     shared with osimage "+strings.Join(others, ", ")))
		}
		if i == v.cur {
			last = len(lines) - 1
		}
	}
	if len(rs) == 0 {
		lines = append(lines, st.Subtle.Render("  This definition names no NIM resources."))
	}
	return lines, first, last
}

// resourceStatus is the first thing said about a resource: Rstate, marked
// in text when it is not "ready for use", or why nothing is known.
func resourceStatus(dt *detail, name string) (text string, bad bool) {
	switch {
	case dt == nil || dt.load.Loading && dt.objs == nil:
		return "...", false
	case dt.load.Err != nil && dt.objs == nil:
		return "(not loaded)", false
	case dt.missing[name]:
		return "! MISSING: NIM has no object of this name", true
	case dt.unanswered[name]:
		return "! NO ANSWER from lsnim: press r to ask again", true
	}
	obj, ok := dt.objs[name]
	if !ok {
		return "...", false
	}
	rs := obj.Get("Rstate")
	if rs == "" {
		return "! NOT READY: no Rstate", true
	}
	if rs != nim.RstateReady {
		return "! NOT READY: Rstate " + rs, true
	}
	return "Rstate " + termtext.String(rs), false
}

// resourceFacts is the second line: the SPOT's oslevel, alloc_count and
// location (and the type when it is not the attribute's).
func resourceFacts(dt *detail, r nim.ResourceRef) string {
	obj, ok := dt.object(r.Name)
	if !ok {
		return ""
	}
	var f []string
	if spec, ok := nim.LookupAttr(r.Attr); ok {
		if t := obj.Get("type"); t != "" && t != spec.NIMType {
			f = append(f, "! type "+t+", not "+spec.NIMType)
		}
	}
	if r.Attr == "spot" || obj.Get("type") == "spot" {
		if lv := nim.OsLevel(obj); lv != "" {
			f = append(f, "oslevel "+lv)
		}
	}
	if a := obj.Get("alloc_count"); a != "" {
		if a != "0" {
			a += " (allocated to NIM clients)"
		}
		f = append(f, "alloc_count "+a)
	}
	if l := obj.Get("location"); l != "" {
		f = append(f, l)
	}
	return termtext.String(strings.Join(f, " | "))
}

func (v *detailsView) View() string {
	st, w := v.c.Styles, v.c.Width
	o, ok := v.d.selected()
	if !ok {
		return ""
	}
	dt := v.d.details[o.Name]
	var top strings.Builder
	top.WriteString(st.Heading.Render("Osimage "+o.Name) + st.Text.Render(fmt.Sprintf(": %s, %s, dump %s", dash(string(o.NimType())), modeOf(o), yesNo(o.HasDump()))) + "\n")
	top.WriteString(st.Label.Render("Definition  ") + st.Code.Render(nim.DefinitionCommand(o.Name)) + "\n")
	res := map[string]bool{}
	for _, a := range o.ResourceAttrs() {
		res[a.Key] = true
	}
	var def []string
	for _, k := range slices.Sorted(maps.Keys(o.Attrs)) {
		if !res[k] && o.Attrs[k] != "" {
			def = append(def, termtext.String(k+"="+o.Attrs[k]))
		}
	}
	top.WriteString(strings.Join(wrapLines(st.Text, "  "+strings.Join(def, "  "), min(w, 100)), "\n") + "\n")
	// The command wraps rather than being cut: it is what the admin learns.
	top.WriteString(strings.Join(wrapLines(st.Code, st.Label.Render("NIM resources  ")+nim.LsnimCommand(o), w), "\n") + "\n")
	use, useStyle := v.d.useLine(st, o)
	top.WriteString(strings.Join(wrapLines(useStyle, use, min(w, 100)), "\n"))

	rs := nim.ResourceRefs(o)
	lines, first, last := v.resourceLines(o, dt, rs)
	var foot []string
	if dt != nil && (dt.load.Loading || dt.load.Err != nil) {
		foot = append(foot, dt.load.View(st, min(w, 100), "r"))
	}
	if dt != nil && dt.warn != "" {
		foot = append(foot, ui.Wrap(st.Warning, "warning: "+dt.warn, min(w, 100)))
	}
	if v.cur < len(rs) && v.d.canShow(rs[v.cur]) {
		foot = append(foot, st.Subtle.Render("enter: contents ("+nim.ShowresCommand(rs[v.cur].Name)+")"))
	}
	topS := top.String()
	footS := strings.Join(foot, "\n")
	h := v.c.Height - strings.Count(topS, "\n") - 1
	if footS != "" {
		h -= strings.Count(footS, "\n") + 1
	}
	out := topS + "\n" + window(st, lines, first, last, max(h, 3))
	if footS != "" {
		out += "\n" + footS
	}
	return out
}
