package browse

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// Which nodes use an osimage: asked with its details (nim.Client.WhoUses:
// one lsdef -t node -w provmethod==NAME and one lsnim -l -c machines, the
// same budget as nimwiz show), cached with them, and named in the details
// and in every confirmation that changes or removes the image.

// usesMsg is WhoUses's answer about an osimage.
type usesMsg struct {
	name string
	gen  int
	use  nim.ImageUse
}

// useCommands are the two queries, as the admin would type them.
func useCommands(o nim.Osimage) string {
	return "lsdef -t node -w provmethod==" + o.Name + " -i provmethod -c; lsnim -l -c machines"
}

// loadUse asks who uses the selected osimage (dt's generation).
func (d *data) loadUse(o nim.Osimage, dt *detail) tea.Cmd {
	dt.useGen++
	gen, n, name := dt.useGen, d.env.NIM, o.Name
	return tea.Batch(dt.useLoad.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		return usesMsg{name, gen, n.WhoUses(ctx, o)}
	})
}

func (d *data) gotUse(msg usesMsg) {
	dt := d.details[msg.name]
	if dt == nil || dt.useGen != msg.gen {
		return
	}
	dt.useLoad.Finish(msg.use.Err())
	dt.use = msg.use
}

// use is what is known of who uses osimage name, and whether both
// questions were answered.
func (d *data) use(name string) (nim.ImageUse, bool) {
	dt := d.details[name]
	if dt == nil || !dt.useLoad.Loaded {
		return nim.ImageUse{}, false
	}
	return dt.use, true
}

// useLines say who uses osimage o: the xCAT nodes whose provmethod names
// it and the NIM clients its resources are allocated to, or that none do,
// or why it is not known.
func (d *data) useLines(st *ui.Styles, o nim.Osimage, width int) []string {
	b := &lineBuilder{st: st, width: width}
	dt := d.details[o.Name]
	switch {
	case dt == nil || dt.useLoad.Loading:
		b.wrap(st.Subtle, "Used by: ... (asking "+useCommands(o)+")")
		return b.lines
	case dt.useLoad.Err != nil:
		b.wrap(st.Warning, "Used by: not known: "+termtext.String(dt.useLoad.Err.Error())+" (r asks again)")
		return b.lines
	}
	u := dt.use
	if !u.InUse() {
		b.wrap(st.Text, "Used by: no node. No xCAT node's provmethod names "+o.Name+", and NIM has its resources allocated to no client.")
		return b.lines
	}
	b.wrap(st.Warning, "Used by: "+o.Name+" is in use:")
	if len(u.Nodes) > 0 {
		b.item(st.Text, termtext.String("xCAT nodes (provmethod="+o.Name+"): "+strings.Join(u.Nodes, ",")))
	}
	for _, cl := range u.Clients {
		var res []string
		for _, a := range cl.Uses {
			res = append(res, a.Key+" "+a.Value)
		}
		what := "NIM client " + cl.Name
		if cl.Type != "" {
			what += " (" + cl.Type + ")"
		}
		b.item(st.Text, termtext.String(what+": allocated "+strings.Join(res, ", ")))
	}
	return b.lines
}

// useLine is who uses osimage o in one sentence (wrapped by the caller),
// styled by what it says: the details' summary.
func (d *data) useLine(st *ui.Styles, o nim.Osimage) (string, lipgloss.Style) {
	dt := d.details[o.Name]
	switch {
	case dt == nil || dt.useLoad.Loading:
		return "Used by  ... (" + useCommands(o) + ")", st.Subtle
	case dt.useLoad.Err != nil:
		return "Used by  not known: " + termtext.String(dt.useLoad.Err.Error()) + " (r asks again)", st.Warning
	}
	u := dt.use
	if !u.InUse() {
		return "Used by  no node: no provmethod=" + o.Name + " in xCAT, nothing allocated in NIM", st.Text
	}
	var parts []string
	if len(u.Nodes) > 0 {
		parts = append(parts, "xCAT nodes "+strings.Join(u.Nodes, ",")+" (provmethod="+o.Name+")")
	}
	var cs []string
	for _, cl := range u.Clients {
		var res []string
		for _, a := range cl.Uses {
			res = append(res, a.Key+" "+a.Value)
		}
		cs = append(cs, cl.Name+" ("+strings.Join(res, ", ")+")")
	}
	if len(cs) > 0 {
		parts = append(parts, "NIM clients "+strings.Join(cs, ", "))
	}
	return termtext.String("Used by  " + strings.Join(parts, "; ")), st.Warning
}
