package browse

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// detail is the cached NIM details of one osimage.
type detail struct {
	gen        int
	load       ui.Loader
	objs       map[string]nim.Object
	missing    map[string]bool
	unanswered map[string]bool
	warn       string
}

type detailsMsg struct {
	name    string
	gen     int
	found   []nim.Object
	missing []string
	err     error
}

// loadDetails asks lsnim -l about every resource of the selected osimage in
// one call, unless cached (force: ask again).
func (m *Model) loadDetails(force bool) tea.Cmd {
	o, ok := m.Selected()
	if !ok {
		return nil
	}
	d := m.details[o.Name]
	if d != nil && !force && (d.load.Loaded || d.load.Loading) {
		return nil
	}
	if d == nil {
		d = &detail{load: ui.NewLoader("NIM details (" + nim.LsnimCommand(o) + ")")}
		m.details[o.Name] = d
	}
	d.gen++
	names := nim.ResourceNames(o)
	if len(names) == 0 {
		d.load.Finish(nil)
		d.objs = map[string]nim.Object{}
		return nil
	}
	gen, n, name := d.gen, m.env.NIM, o.Name
	return tea.Batch(d.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		found, missing, err := n.Objects(ctx, names...)
		return detailsMsg{name, gen, found, missing, err}
	})
}

func (m *Model) gotDetails(msg detailsMsg) tea.Cmd {
	d := m.details[msg.name]
	if d == nil || d.gen != msg.gen {
		return nil
	}
	d.warn = ""
	err := msg.err
	if errors.Is(err, nim.ErrUnanswered) {
		// Partial: show what lsnim said and flag the rest.
		d.warn = err.Error()
		err = nil
	}
	d.load.Finish(err)
	if err != nil {
		return nil
	}
	d.objs = map[string]nim.Object{}
	d.missing = map[string]bool{}
	d.unanswered = map[string]bool{}
	for _, o := range msg.found {
		d.objs[o.Name] = o
	}
	for _, n := range msg.missing {
		d.missing[n] = true
	}
	if o, ok := m.byName[msg.name]; ok {
		for _, n := range nim.ResourceNames(m.images[o]) {
			if _, ok := d.objs[n]; !ok && !d.missing[n] {
				d.unanswered[n] = true
			}
		}
	}
	return nil
}

func (m *Model) keyDetails(msg tea.KeyMsg) tea.Cmd {
	o, ok := m.Selected()
	if !ok {
		m.mode = modeList
		return nil
	}
	rs := nim.ResourceRefs(o)
	switch {
	case msg.String() == "esc":
		m.mode = modeList
		return nil
	case key.Matches(msg, m.keys.Up):
		m.dcur = max(m.dcur-1, 0)
	case key.Matches(msg, m.keys.Down):
		m.dcur = min(m.dcur+1, max(len(rs)-1, 0))
	case key.Matches(msg, m.keys.Refresh):
		return m.loadDetails(true)
	case key.Matches(msg, m.keys.Open):
		if m.dcur < len(rs) {
			return m.openContents(rs[m.dcur])
		}
	case key.Matches(msg, m.keys.Recreate):
		return m.openRecreate(modeDetails)
	case key.Matches(msg, m.keys.Remove):
		return m.openRemove(modeDetails, false)
	case key.Matches(msg, m.keys.Change):
		return m.openChange(modeDetails)
	}
	return nil
}

// canShow reports whether r's contents can be listed (nim -o showres).
func (m *Model) canShow(r nim.ResourceRef) bool {
	if r.Attr != "spot" && r.Attr != "lpp_source" {
		return false
	}
	d := m.details[m.sel]
	return d == nil || !d.missing[r.Name]
}

func (m *Model) detailsHelp() []key.Binding {
	kk := m.keys
	open := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "contents"))
	o, _ := m.Selected()
	rs := nim.ResourceRefs(o)
	open.SetEnabled(m.dcur < len(rs) && m.canShow(rs[m.dcur]))
	return []key.Binding{open, kk.Recreate, kk.Remove, kk.Change, kk.Refresh, escHelp("back"), kk.Up, kk.Down}
}

// resourceStatus is the first thing said about a resource: Rstate, marked
// in text when it is not "ready for use", or why nothing is known.
func resourceStatus(d *detail, name string) (text string, bad bool) {
	switch {
	case d == nil || d.load.Loading && d.objs == nil:
		return "...", false
	case d.load.Err != nil && d.objs == nil:
		return "(not loaded)", false
	case d.missing[name]:
		return "! MISSING: NIM has no object of this name", true
	case d.unanswered[name]:
		return "! NO ANSWER from lsnim: press r to ask again", true
	}
	obj, ok := d.objs[name]
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
func resourceFacts(d *detail, r nim.ResourceRef) string {
	if d == nil || d.objs == nil {
		return ""
	}
	obj, ok := d.objs[r.Name]
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

func (m *Model) detailsView() string {
	st, w := m.c.Styles, m.c.Width
	o, ok := m.Selected()
	if !ok {
		return ""
	}
	d := m.details[o.Name]
	var top strings.Builder
	top.WriteString(st.Heading.Render("Osimage "+o.Name) + st.Text.Render(fmt.Sprintf(": %s, %s, dump %s", dash(string(o.NimType())), modeOf(o), yesNo(o.HasDump()))) + "\n")
	top.WriteString(st.Label.Render("Definition  ") + st.Code.Render(nim.DefinitionCommand(o.Name)) + "\n")
	res := map[string]bool{}
	for _, a := range o.ResourceAttrs() {
		res[a.Key] = true
	}
	var def []string
	keys := make([]string, 0, len(o.Attrs))
	for k := range o.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !res[k] && o.Attrs[k] != "" {
			def = append(def, termtext.String(k+"="+o.Attrs[k]))
		}
	}
	top.WriteString(strings.Join(wrapLines(st, st.Text, "  "+strings.Join(def, "  "), min(w, 100)), "\n") + "\n")
	// The command wraps rather than being cut: it is what the admin learns.
	top.WriteString(strings.Join(wrapLines(st, st.Code, st.Label.Render("NIM resources  ")+nim.LsnimCommand(o), w), "\n"))

	rs := nim.ResourceRefs(o)
	var lines []string
	var first, last int // lines of the cursor's resource
	nameW, attrW := 8, 6
	for _, r := range rs {
		nameW, attrW = max(nameW, len(r.Name)), max(attrW, len(r.Attr))
	}
	for i, r := range rs {
		if i == m.dcur {
			first = len(lines)
		}
		status, bad := resourceStatus(d, r.Name)
		prefix := "  "
		style := st.Item
		if i == m.dcur {
			prefix, style = "> ", st.Selected
		}
		line := style.Render(fmt.Sprintf("%s%-*s %-*s", prefix, attrW, r.Attr, nameW, r.Name)) + "  "
		if bad {
			line += st.Warning.Render(status)
		} else {
			line += st.Text.Render(status)
		}
		lines = append(lines, line)
		if f := resourceFacts(d, r); f != "" {
			lines = append(lines, st.Subtle.Render("     "+f))
		}
		if others := m.sharers(r.Name, o.Name); len(others) > 0 {
			lines = append(lines, st.Text.Render("     shared with osimage "+strings.Join(others, ", ")))
		}
		if i == m.dcur {
			last = len(lines) - 1
		}
	}
	if len(rs) == 0 {
		lines = append(lines, st.Subtle.Render("  This definition names no NIM resources."))
	}

	var foot []string
	if d != nil && (d.load.Loading || d.load.Err != nil) {
		foot = append(foot, d.load.View(st, min(w, 100), "r"))
	}
	if d != nil && d.warn != "" {
		foot = append(foot, ui.Wrap(st.Warning, "warning: "+d.warn, min(w, 100)))
	}
	if m.dcur < len(rs) && m.canShow(rs[m.dcur]) {
		foot = append(foot, st.Subtle.Render("enter: contents (nim -o showres "+rs[m.dcur].Name+")"))
	}
	topS := top.String()
	footS := strings.Join(foot, "\n")
	h := m.c.Height - strings.Count(topS, "\n") - 1
	if footS != "" {
		h -= strings.Count(footS, "\n") + 1
	}
	body := window(st, lines, first, last, max(h, 3))
	out := topS + "\n" + body
	if footS != "" {
		out += "\n" + footS
	}
	return out
}

// window shows lines [first,last] within height lines, with "more" marks.
func window(st *ui.Styles, lines []string, first, last, height int) string {
	if len(lines) <= height {
		return strings.Join(lines, "\n")
	}
	fit := height - 2
	start := 0
	if last >= fit {
		start = last - fit + 1
	}
	if first < start {
		start = first
	}
	start = min(start, len(lines)-fit)
	end := min(start+fit, len(lines))
	out := []string{""}
	if start > 0 {
		out[0] = st.Subtle.Render(fmt.Sprintf("  (%d lines above)", start))
	}
	out = append(out, lines[start:end]...)
	more := ""
	if end < len(lines) {
		more = st.Subtle.Render(fmt.Sprintf("  (%d lines below)", len(lines)-end))
	}
	return strings.Join(append(out, more), "\n")
}
