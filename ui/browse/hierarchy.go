package browse

import (
	"context"
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

// HierarchyNIM is what the hierarchy view asks: the osimage's matrix over
// the service nodes, its first layout and each SN's answer as they arrive
// (nim.Client.HierarchyMatrix: the hierarchy query and one xdsh). A NIM
// without it has no hierarchy view.
type HierarchyNIM interface {
	HierarchyMatrix(ctx context.Context, name string, first, update func(nim.Matrix)) (nim.Matrix, error)
}

var _ HierarchyNIM = (*nim.Client)(nil)

// hierMsg is one step of a fetch: a matrix (the layout, or after an SN's
// answer), or the end with its error. next is the rest of the stream.
type hierMsg struct {
	name string
	gen  int
	m    nim.Matrix
	have bool
	done bool
	err  error
	next <-chan hierMsg
}

// hierState is what is known of one osimage's matrix.
type hierState struct {
	gen     int
	m       nim.Matrix
	have    bool
	running bool
	err     error
	cancel  context.CancelFunc
}

// hierarchyView is an osimage's resources × the management node and each
// service node that serves nodes. It is fetched only when opened (never
// for the list) and again on refresh; answers are shown as they arrive,
// so a slow or unreachable SN never holds the screen.
type hierarchyView struct {
	c    ui.Common
	keys ui.HierarchyKeys
	d    *data
	hn   HierarchyNIM // nil: not available
	st   map[string]*hierState
	gen  int
	cur  int // row under the cursor
	col  int // first SN column shown
}

func newHierarchyView(c ui.Common, d *data, n NIM) *hierarchyView {
	hn, _ := n.(HierarchyNIM)
	return &hierarchyView{c: c, keys: c.Keys.Browse.Hierarchy, d: d, hn: hn, st: map[string]*hierState{}}
}

func (v *hierarchyView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *hierarchyView) capturing() bool  { return true }

// open shows the selected osimage's matrix, fetching it the first time.
func (v *hierarchyView) open() tea.Cmd {
	v.cur, v.col = 0, 0
	if s := v.st[v.d.sel]; s != nil && (s.have || s.running) {
		return nil
	}
	return v.fetch()
}

// fetch starts a fetch of the selected osimage's matrix, cancelling one
// still running; the stream is read one message at a time (waitHier).
func (v *hierarchyView) fetch() tea.Cmd {
	name := v.d.sel
	if v.hn == nil || name == "" {
		return nil
	}
	s := v.st[name]
	if s == nil {
		s = &hierState{}
		v.st[name] = s
	}
	if s.cancel != nil {
		s.cancel()
	}
	v.gen++
	gen := v.gen
	ctx, cancel := context.WithCancel(context.Background())
	s.gen, s.running, s.err, s.cancel = gen, true, nil, cancel
	ch := make(chan hierMsg, 8)
	go func() {
		defer close(ch)
		send := func(m nim.Matrix) { ch <- hierMsg{name: name, gen: gen, m: m, have: true} }
		m, err := v.hn.HierarchyMatrix(ctx, name, send, send)
		ch <- hierMsg{name: name, gen: gen, m: m, have: len(m.Servers) > 0, done: true, err: err}
	}()
	return waitHier(ch)
}

func waitHier(ch <-chan hierMsg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		msg.next = ch
		return msg
	}
}

// got takes one step of a fetch; a stale one (refreshed since) is read on
// to its end and dropped.
func (v *hierarchyView) got(msg hierMsg) tea.Cmd {
	var next tea.Cmd
	if !msg.done {
		next = waitHier(msg.next)
	}
	s := v.st[msg.name]
	if s == nil || s.gen != msg.gen {
		return next
	}
	if msg.have {
		s.m, s.have = msg.m, true
		if v.d.hier == nil {
			v.d.hier = map[string]nim.Matrix{}
		}
		v.d.hier[msg.name] = msg.m
	}
	if msg.done {
		s.running, s.err = false, msg.err
		if s.cancel != nil {
			s.cancel()
			s.cancel = nil
		}
	}
	return next
}

func (v *hierarchyView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	s := v.st[v.d.sel]
	rows := 0
	if s != nil {
		rows = len(s.m.Rows)
	}
	switch {
	case key.Matches(msg, k.Back):
		return goTo(goMsg{to: pageDetails})
	case key.Matches(msg, k.Up):
		v.cur = max(v.cur-1, 0)
	case key.Matches(msg, k.Down):
		v.cur = min(v.cur+1, max(rows-1, 0))
	case key.Matches(msg, k.Left):
		v.col = max(v.col-1, 0)
	case key.Matches(msg, k.Right):
		if s != nil {
			v.col = min(v.col+1, max(len(s.m.Servers)-2, 0))
		}
	case key.Matches(msg, k.Refresh):
		return v.fetch()
	}
	return nil
}

func (v *hierarchyView) ShortHelp() []key.Binding {
	k := v.keys
	return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.Refresh, k.Back}
}

func (v *hierarchyView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// cellWidth is the width of one server's column.
const cellWidth = 14

func (v *hierarchyView) View() string {
	st, w := v.c.Styles, v.c.Width
	name := v.d.sel
	var top []string
	top = append(top, st.Heading.Render("Osimage "+termtext.String(name)+" on the service nodes"))
	if v.hn == nil {
		return strings.Join(append(top, st.Subtle.Render("This master cannot be asked about service nodes.")), "\n")
	}
	s := v.st[name]
	if s == nil || !s.have {
		switch {
		case s != nil && s.err != nil:
			top = append(top, ui.Wrap(st.Error, "error: "+termtext.String(s.err.Error()), w), st.Subtle.Render("Press r to try again."))
		default:
			top = append(top, st.Subtle.Render("Asking xCAT who serves whom (lsdef -t site, lsdef -t node -i servicenode,groups -c)..."))
		}
		return strings.Join(top, "\n")
	}
	m := s.m
	top = append(top, st.Text.Render(fmt.Sprintf("sharedinstall=%s  %d commands", m.SharedInstall, m.Queries)))
	if m.Xdsh != "" {
		top = append(top, wrapLines(st.Code, st.Label.Render("Fan-out  ")+m.Xdsh, w)...)
	}
	if len(m.Servers) == 1 {
		top = append(top, st.Subtle.Render("No service node serves nodes: only the management node holds these resources."))
	}

	// Columns: the MN always, then as many SNs as fit from v.col.
	resW := len("RESOURCE")
	for _, r := range m.Rows {
		resW = max(resW, min(len(r.Resource), 30))
	}
	fit := max((w-resW-4-cellWidth)/cellWidth, 1)
	sns := m.Servers[1:]
	from := min(v.col, max(len(sns)-1, 0))
	to := min(from+fit, len(sns))
	cols := append([]nim.Server{m.Servers[0]}, sns[from:to]...)
	hdr := fmt.Sprintf("  %-*s", resW, "RESOURCE")
	for _, c := range cols {
		hdr += fmt.Sprintf("  %-*s", cellWidth-2, ui.Truncate(c.Name, cellWidth-2))
	}
	var lines []string
	first, last := 0, 0
	for i, r := range m.Rows {
		prefix, style := "  ", st.Item
		if i == v.cur {
			prefix, style, first = "> ", st.Selected, len(lines)
		}
		line := style.Render(fmt.Sprintf("%s%-*s", prefix, resW, ui.Truncate(termtext.String(r.Resource), resW)))
		for _, c := range cols {
			cell := r.Cells[c.Name]
			t := nim.CellText(c, cell)
			cs := st.Text
			if len(cell.Drift) > 0 || (cell.Known && !cell.Present && !cell.MNOnly) {
				cs = st.Warning
			}
			line += "  " + cs.Render(fmt.Sprintf("%-*s", cellWidth-2, ui.Truncate(t, cellWidth-2)))
		}
		lines = append(lines, line)
		if i == v.cur {
			last = len(lines) - 1
		}
	}
	if len(m.Rows) == 0 {
		lines = append(lines, st.Subtle.Render("  This definition names no NIM resources."))
	}

	var foot []string
	if len(sns) > len(cols)-1 {
		foot = append(foot, st.Subtle.Render(fmt.Sprintf("service nodes %d-%d of %d (←/→)", from+1, to, len(sns))))
	}
	var states []string
	for _, c := range sns {
		switch c.State {
		case nim.SNAnswered:
			continue
		case nim.SNWaiting:
			states = append(states, c.Name+": waiting")
		default:
			states = append(states, c.Name+": "+c.State.String()+" ("+termtext.String(c.Reason)+")")
		}
	}
	if len(states) > 0 {
		foot = append(foot, wrapLines(st.Warning, strings.Join(states, "; "), w)...)
	}
	if s.running {
		foot = append(foot, st.Subtle.Render("xdsh is still running; answers appear as they arrive."))
	} else if s.err != nil {
		foot = append(foot, ui.Wrap(st.Error, "error: "+termtext.String(s.err.Error()), w))
	}
	if u := updateLine(m); u != "" && !s.running {
		foot = append(foot, wrapLines(st.Subtle, u, w)...)
	}
	if v.cur < len(m.Rows) {
		r := m.Rows[v.cur]
		for _, c := range m.Servers {
			for _, d := range r.Cells[c.Name].Drift {
				foot = append(foot, wrapLines(st.Warning, "! "+c.Name+": "+termtext.String(d), w)...)
			}
		}
	}
	topS := strings.Join(top, "\n")
	footS := strings.Join(foot, "\n")
	h := v.c.Height - len(top) - 1
	if footS != "" {
		h -= len(foot)
	}
	out := topS + "\n" + st.Label.Render(ui.Truncate(hdr, w)) + "\n" + window(st, lines, first, last, max(h-1, 3))
	if footS != "" {
		out += "\n" + footS
	}
	return out
}

// impactLines say what the removal does on each server, from the last
// hierarchy matrix fetched for the osimage (none: say how to see it), and
// how to limit it with -M or -s.
func impactLines(b *lineBuilder, d *data, o nim.Osimage, dFlag, xFlag, fFlag bool) {
	st := b.st
	m, ok := d.hier[o.Name]
	if _, can := d.env.NIM.(HierarchyNIM); !ok && !can {
		return // a master that cannot be asked: nothing to say
	}
	if !ok {
		b.wrap(st.Subtle, "On service nodes: rmnimimage also removes these resources on every service node that serves nodes. Press esc, then h in the details, to see what each holds.")
		return
	}
	if len(m.Servers) < 2 {
		return
	}
	b.add("", st.Heading.Render("On each NIM server (from the hierarchy view):"))
	var sns []string
	for _, si := range nim.RemoveImpact(m, dFlag) {
		name := si.Server
		if name == nim.MNColumn {
			name = "management node"
		} else {
			sns = append(sns, si.Server)
		}
		switch {
		case si.Unknown:
			b.item(st.Warning, name+": not known ("+si.Reason+"); rmnimimage will try it too")
		case len(si.Removes) == 0 && len(si.Allocated) == 0:
			b.item(st.Text, name+": nothing (it holds none of them)")
		default:
			t := name + ": removes " + dash(strings.Join(si.Removes, ", "))
			if len(si.Allocated) > 0 {
				t += "; leaves " + strings.Join(si.Allocated, ", ") + " (allocated there: rmdsklsnode first)"
			}
			b.item(st.Text, termtext.String(t))
		}
	}
	mOnly, snOnly := nim.LimitedRemoveArgvs(o.Name, dFlag, xFlag, fFlag, sns)
	b.wrap(st.Subtle, "To limit it: "+nim.ShellLine(mOnly)+" (the NIM primary only) or "+nim.ShellLine(snOnly)+" (those service nodes only).")
}

// perServerLines summarise rmnimimage's output per server when more than
// one spoke (its "<server>: " lines, nim.ParseRmnimimageByServer): which
// removed what, left what allocated, or failed.
func perServerLines(b *lineBuilder, out []byte) {
	by := nim.ParseRmnimimageByServer(out)
	delete(by, "")
	if len(by) < 2 {
		return
	}
	st := b.st
	b.add("", st.Heading.Render("Per server:"))
	for _, srv := range slices.Sorted(maps.Keys(by)) {
		rep := by[srv]
		var parts []string
		if len(rep.Removed) > 0 {
			parts = append(parts, "removed "+strings.Join(rep.Removed, ", "))
		}
		if len(rep.Allocated) > 0 {
			parts = append(parts, "left "+strings.Join(rep.Allocated, ", ")+" (allocated)")
		}
		if len(rep.NotRemoved) > 0 {
			parts = append(parts, "could not remove "+strings.Join(rep.NotRemoved, ", "))
		}
		style := st.Text
		if !rep.OK() {
			style = st.Warning
			if len(rep.Errors) > 0 {
				parts = append(parts, "failed: "+rep.Errors[0].Text)
			}
		}
		if len(parts) == 0 {
			parts = append(parts, "nothing")
		}
		b.item(style, termtext.String(srv+": "+strings.Join(parts, "; ")))
	}
}

// updateImpactLines say, in the update's preview, what mknimimage -u does
// on the service nodes: from the hierarchy view's matrix when it was
// opened for the image (updateLine), else what -u does in general and how
// to see it.
func updateImpactLines(b *lineBuilder, d *data, o nim.Osimage) {
	st := b.st
	m, ok := d.hier[o.Name]
	if _, can := d.env.NIM.(HierarchyNIM); !ok && !can {
		return // a master that cannot be asked: nothing to say
	}
	if !ok {
		b.wrap(st.Subtle, "On service nodes: mknimimage -u refuses while the SPOT is allocated on any of them, and otherwise removes the SPOT on each that has it until the next mkdsklsnode copies it again. Press esc, then h in the details, to see what each holds.")
		return
	}
	if l := updateLine(m); l != "" {
		b.add("", st.Heading.Render("On each NIM server (from the hierarchy view):"))
		b.wrap(st.Text, termtext.String(l))
	}
}

// updateLine says what mknimimage -u of the image would do on the SNs
// (nim.UpdateImpact).
func updateLine(m nim.Matrix) string {
	if len(m.Servers) < 2 {
		return ""
	}
	e := nim.UpdateImpact(m)
	unknown := ""
	if len(e.Unknown) > 0 {
		unknown = " Not known for " + strings.Join(e.Unknown, ", ") + "."
	}
	switch {
	case len(e.RefusedBy) > 0:
		return "mknimimage -u would refuse: the SPOT is allocated on " + strings.Join(e.RefusedBy, ", ") + " (rmdsklsnode its nodes there first)." + unknown
	case len(e.RemovesOn) > 0:
		return "mknimimage -u would remove the SPOT on " + strings.Join(e.RemovesOn, ", ") + "; the next mkdsklsnode copies it again." + unknown
	}
	return strings.TrimSpace(unknown)
}
