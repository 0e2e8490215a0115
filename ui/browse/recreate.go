package browse

import (
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// recreateView is the "new name or replace?" choice before the wizard
// opens prefilled from an osimage.
type recreateView struct {
	c    ui.Common
	keys ui.RecreateKeys
	d    *data
	from page
	cur  int // 0 new name, 1 replace
}

func newRecreateView(c ui.Common, d *data) *recreateView {
	return &recreateView{c: c, keys: c.Keys.Browse.Recreate, d: d}
}

func (v *recreateView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *recreateView) capturing() bool  { return true }

func (v *recreateView) open(from page) { v.from, v.cur = from, 0 }

func (v *recreateView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Cancel):
		return goTo(goMsg{to: v.from})
	case key.Matches(msg, k.Up):
		v.cur = 0
	case key.Matches(msg, k.Down):
		v.cur = 1
	case key.Matches(msg, k.Choose):
		o, ok := v.d.selected()
		if !ok {
			return nil
		}
		if v.cur == 0 {
			return tea.Batch(goTo(goMsg{to: v.from}), func() tea.Msg { return RecreateMsg{Osimage: o} })
		}
		return goTo(goMsg{to: pageRemove, from: v.from, replace: true})
	}
	return nil
}

func (v *recreateView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Up, v.keys.Down, v.keys.Choose, v.keys.Cancel}
}

func (v *recreateView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *recreateView) View() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	o, _ := v.d.selected()
	p := nim.PlanFromOsimage(o)
	var b strings.Builder
	b.WriteString(st.Heading.Render("Re-create osimage "+o.Name) + "\n\n")
	b.WriteString(ui.Wrap(st.Subtle, "The create wizard opens prefilled from "+o.Name+" (like nimwiz create --from "+o.Name+"): "+summary(p)+". You can change every step before anything runs.", w) + "\n\n")
	if lost := nim.NotCarried(o, p); len(lost) > 0 {
		// Said before choosing: a plan cannot hold them (mknimimage does
		// not take them), so the new definition would lack them.
		b.WriteString(ui.Wrap(st.Warning, "Not carried over (a plan cannot hold them; set them on the new osimage afterwards with chdef -t osimage -o NEWNAME ATTR=VALUE): "+strings.Join(lost, ", "), w) + "\n\n")
	}
	opts := []struct{ title, what string }{
		{"As a new osimage", "the wizard suggests a free name; " + o.Name + " stays as it is."},
		{"Replace it", "remove " + o.Name + " first (you confirm the exact commands), then the wizard opens with the same name."},
	}
	for i, op := range opts {
		prefix, style := "  ", st.Item
		if i == v.cur {
			prefix, style = "> ", st.Selected
		}
		b.WriteString(style.Render(prefix+op.title) + "\n")
		for _, l := range wrapLines(st.Subtle, op.what, w-4) {
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
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		parts = append(parts, a+"="+p.Extra[a])
	}
	return strings.Join(parts, ", ")
}
