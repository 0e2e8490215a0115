package browse

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// contents is a SPOT's installed software or an lpp_source's images, from
// nim -o showres, loaded only when opened and cached until refreshed.
type contents struct {
	name, typ string
	gen       int
	load      ui.Loader
	files     []nim.Fileset
	list      flist
}

type contentsMsg struct {
	name  string
	gen   int
	files []nim.Fileset
	err   error
}

func (m *Model) openContents(r nim.ResourceRef) tea.Cmd {
	if !m.canShow(r) {
		return nil
	}
	c := m.contents[r.Name]
	m.mode = modeContents
	if c != nil && c.typ == r.Attr {
		m.open = c
		return nil
	}
	c = &contents{name: r.Name, typ: r.Attr, load: ui.NewLoader(typeLabel(r.Attr) + " " + r.Name + " contents (" + nim.ShowresCommand(r.Name) + ")"),
		list: newFlist("fileset or level words; state=C for a state")}
	m.contents[r.Name] = c
	m.open = c
	return m.fetchContents(c)
}

func (m *Model) fetchContents(c *contents) tea.Cmd {
	c.gen++
	gen, n, name, typ := c.gen, m.env.NIM, c.name, c.typ
	return tea.Batch(c.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		fs, err := n.Showres(ctx, name, typ)
		return contentsMsg{name, gen, fs, err}
	})
}

func typeLabel(t string) string {
	if t == "spot" {
		return "SPOT"
	}
	return t
}

// got takes showres's answer: rows and search text once, here.
func (c *contents) got(msg contentsMsg) {
	err := msg.err
	if errors.Is(err, nim.ErrResourceBusy) {
		err = fmt.Errorf("%w (another NIM operation is using it; press r in a moment)", err)
	}
	c.load.Finish(err)
	if err != nil {
		return
	}
	c.files = msg.files
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

func (m *Model) keyContents(msg tea.KeyMsg) tea.Cmd {
	c := m.open
	if c == nil {
		m.mode = modeDetails
		return nil
	}
	if c.list.typing {
		if msg.String() == "ctrl+r" {
			return m.fetchContents(c)
		}
		return c.list.keyTyping(msg)
	}
	if c.list.move(msg, m.page()) {
		return nil
	}
	switch {
	case msg.String() == "esc":
		if c.list.terms != "" {
			c.list.clear()
			return nil
		}
		m.mode, m.open = modeDetails, nil
	case key.Matches(msg, m.keys.Filter):
		return c.list.startTyping()
	case key.Matches(msg, m.keys.Refresh):
		return m.fetchContents(c)
	}
	return nil
}

func (m *Model) contentsHelp() []key.Binding {
	c := m.open
	if c != nil && c.list.typing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
			escHelp("clear filter"),
		}
	}
	return []key.Binding{m.keys.Up, m.keys.Down, m.keys.Filter, m.keys.Refresh, escHelp("back")}
}

func (m *Model) contentsView() string {
	st, w := m.c.Styles, m.c.Width
	c := m.open
	if c == nil {
		return ""
	}
	what := "installed software"
	if c.typ == "lpp_source" {
		what = "installation images"
	}
	var b strings.Builder
	b.WriteString(st.Heading.Render(fmt.Sprintf("%s %s: %s", typeLabel(c.typ), c.name, what)) + "  " + st.Code.Render(nim.ShowresCommand(c.name)) + "\n")
	switch {
	case c.load.Loading && !c.load.Loaded || c.load.Err != nil:
		b.WriteString("\n" + c.load.View(st, min(w, 100), "r"))
		return b.String()
	case len(c.files) == 0:
		b.WriteString("\n" + st.Subtle.Render("showres listed no filesets."))
		return b.String()
	}
	b.WriteString(c.list.filterLine(st, "filesets", "; state=C, type=F match columns") + "\n")
	if c.load.Loading {
		b.WriteString(c.load.View(st, w, "r") + "\n")
	} else {
		b.WriteString(st.Label.Render(ui.Truncate("  "+c.list.hdr, w)) + "\n")
	}
	if len(c.list.shown) == 0 {
		b.WriteString(st.Subtle.Render("  No fileset matches the filter. Press esc to clear it."))
		return b.String()
	}
	b.WriteString(c.list.view(st, w, m.c.Height-3, true))
	return b.String()
}
