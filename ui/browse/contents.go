package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// contentsView is a SPOT's installed software or an lpp_source's images,
// filtered as typed.
type contentsView struct {
	c    ui.Common
	keys ui.ContentsKeys
	d    *data
	open *contents // the contents shown
}

func newContentsView(c ui.Common, d *data) *contentsView {
	return &contentsView{c: c, keys: c.Keys.Browse.Contents, d: d}
}

func (v *contentsView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *contentsView) capturing() bool  { return v.open != nil && v.open.list.typing }

// openRef shows r's contents: cached, or asked of NIM now.
func (v *contentsView) openRef(r nim.ResourceRef) tea.Cmd {
	if c := v.d.contents[r.Name]; c != nil && c.typ == r.Attr {
		v.open = c
		return nil
	}
	c := &contents{name: r.Name, typ: r.Attr,
		load: ui.NewLoader(typeLabel(r.Attr) + " " + r.Name + " contents (" + nim.ShowresCommand(r.Name) + ")"),
		list: newFlist(v.keys.ListKeys, v.c.Keys.Browse.Filter, "fileset or level words; state=C for a state")}
	v.d.contents[r.Name] = c
	v.open = c
	return v.d.fetchContents(c)
}

func typeLabel(t string) string {
	if t == "spot" {
		return "SPOT"
	}
	return t
}

// setRows makes the rows and their search text once, when showres answers.
func (c *contents) setRows() {
	nameW := len("FILESET")
	levelW := len("LEVEL")
	for _, f := range c.files {
		nameW = max(nameW, min(len(f.Name), 40))
		levelW = max(levelW, min(len(f.Level), 20))
	}
	c.list.hdr = fmt.Sprintf("%-*s  %-*s  %-5s  %-4s  %s", nameW, "FILESET", levelW, "LEVEL", "STATE", "TYPE", "DESCRIPTION")
	rows := make([]string, len(c.files))
	hay := make([]string, len(c.files))
	for i, f := range c.files {
		rows[i] = termtext.String(fmt.Sprintf("%-*s  %-*s  %-5s  %-4s  %s", nameW, f.Name, levelW, f.Level, dash(f.State), dash(f.Type), f.Description))
		// Words match the fileset or level; "state=X" and "type=X" a column.
		hay[i] = strings.ToLower(f.Name + " " + f.Level + " state=" + f.State + " type=" + f.Type)
	}
	c.list.set(rows, hay)
}

func (v *contentsView) update(msg tea.KeyMsg) tea.Cmd {
	c, k := v.open, v.keys
	if c == nil {
		return goTo(goMsg{to: pageDetails})
	}
	if c.list.typing {
		if key.Matches(msg, c.list.fkeys.Refresh) {
			return v.d.fetchContents(c)
		}
		return c.list.keyTyping(msg)
	}
	if c.list.move(msg, pageSize(v.c)) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if c.list.terms != "" {
			c.list.clear()
			return nil
		}
		v.open = nil
		return goTo(goMsg{to: pageDetails})
	case key.Matches(msg, k.Filter):
		return c.list.startTyping()
	case key.Matches(msg, k.Refresh):
		return v.d.fetchContents(c)
	}
	return nil
}

func (v *contentsView) ShortHelp() []key.Binding {
	if c := v.open; c != nil && c.list.typing {
		f := c.list.fkeys
		return []key.Binding{f.Keep, f.Clear, f.Refresh}
	}
	return []key.Binding{v.keys.Up, v.keys.Down, v.keys.Filter, v.keys.Refresh, v.keys.Back}
}

func (v *contentsView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

func (v *contentsView) View() string {
	st := v.c.Styles
	c := v.open
	if c == nil {
		return ""
	}
	what := "installed software"
	if c.typ == "lpp_source" {
		what = "installation images"
	}
	return c.list.page(st, &c.load, v.c.Width, v.c.Height,
		st.Heading.Render(fmt.Sprintf("%s %s: %s", typeLabel(c.typ), c.name, what))+"  "+st.Code.Render(nim.ShowresCommand(c.name)),
		st.Subtle.Render("showres listed no filesets."),
		"filesets", "; state=C, type=F match columns", "  No fileset matches the filter. Press esc to clear it.")
}
