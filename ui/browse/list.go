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

// listView is the list of osimages: filtered as typed, each row one line.
type listView struct {
	c    ui.Common
	keys ui.BrowseListKeys
	d    *data
	list flist
}

func newListView(c ui.Common, d *data) *listView {
	k := c.Keys.Browse
	return &listView{c: c, keys: k.List, d: d,
		list: newFlist(k.List.ListKeys, k.Filter, "type to filter by name, type, mode, SPOT, lpp_source")}
}

func (v *listView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *listView) capturing() bool  { return v.list.typing }

func (v *listView) where() string {
	if v.d.load.Loaded {
		return fmt.Sprintf("%d osimages", len(v.d.images))
	}
	return ""
}

// pageSize is how far pgup and pgdown move.
func pageSize(c ui.Common) int { return max(c.Height-6, 1) }

// pageBy moves a scrolled view a page up or down when msg is one of its
// paging keys, and says whether it was.
func pageBy(scroll *int, c ui.Common, msg tea.KeyMsg, up, down key.Binding) bool {
	switch {
	case key.Matches(msg, up):
		*scroll = max(*scroll-pageSize(c), 0)
	case key.Matches(msg, down):
		*scroll += pageSize(c)
	default:
		return false
	}
	return true
}

// setRows makes the rows and their search text once, when the list comes.
// The cursor stays on the same osimage after a refresh; if it is gone, on
// the one that took its place.
func (v *listView) setRows() {
	prev := ""
	if i := v.list.selected(); i >= 0 && i < len(v.list.rows) {
		prev = v.list.names[i]
	}
	imgs := v.d.images
	wName, wType, wSpot := len("NAME"), len("TYPE"), len("SPOT")
	for _, o := range imgs {
		wName = max(wName, min(len(o.Name), nim.MaxNameLen))
		wType = max(wType, len(o.NimType()))
		wSpot = max(wSpot, min(len(o.Spot()), nim.MaxNameLen))
	}
	v.list.hdr = fmt.Sprintf("%-*s  %-*s  %-9s  %-4s  %-*s  %s", wName, "NAME", wType, "TYPE", "MODE", "DUMP", wSpot, "SPOT", "LPP_SOURCE")
	rows := make([]string, len(imgs))
	hay := make([]string, len(imgs))
	names := make([]string, len(imgs))
	for i, o := range imgs {
		rows[i] = termtext.String(fmt.Sprintf("%-*s  %-*s  %-9s  %-4s  %-*s  %s", wName, o.Name, wType, dash(string(o.NimType())), modeOf(o), yesNo(o.HasDump()), wSpot, dash(o.Spot()), dash(o.LppSource())))
		hay[i] = strings.ToLower(rows[i])
		names[i] = o.Name
	}
	v.list.set(rows, hay)
	v.list.names = names
	if i, ok := v.d.byName[prev]; ok {
		for j, r := range v.list.shown {
			if r == i {
				v.list.cur = j
			}
		}
	}
}

// shownNames are the osimages the filter leaves, in order.
func (v *listView) shownNames() []string {
	out := make([]string, len(v.list.shown))
	for i, r := range v.list.shown {
		out[i] = v.list.names[r]
	}
	return out
}

func (v *listView) update(msg tea.KeyMsg) tea.Cmd {
	k, l := v.keys, &v.list
	if l.typing {
		if key.Matches(msg, l.fkeys.Refresh) {
			return v.d.refreshAll()
		}
		return l.keyTyping(msg)
	}
	if l.move(msg, pageSize(v.c)) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if l.terms != "" {
			l.clear()
			return nil
		}
		return func() tea.Msg { return BackMsg{} }
	case key.Matches(msg, k.Filter):
		return l.startTyping()
	case key.Matches(msg, k.Refresh):
		return v.d.refreshAll()
	}
	i := l.selected()
	if i < 0 || v.d.load.Loading {
		return nil
	}
	to := goMsg{from: pageList, name: v.d.images[i].Name}
	switch {
	case key.Matches(msg, k.Open):
		to.to = pageDetails
	case key.Matches(msg, k.Recreate):
		to.to = pageRecreate
	case key.Matches(msg, k.Remove):
		to.to = pageRemove
	case key.Matches(msg, k.Change):
		to.to = pageChange
	case key.Matches(msg, k.Check):
		to.to = pageCheck
	case key.Matches(msg, k.Copy):
		to.to = pageCopy
	case key.Matches(msg, k.Update):
		to.to = pageUpdate
	default:
		return nil
	}
	return goTo(to)
}

func (v *listView) View() string {
	st, w := v.c.Styles, v.c.Width
	return v.list.page(st, &v.d.load, w, v.c.Height,
		st.Heading.Render("AIX osimages")+"  "+st.Code.Render(nim.ListCommand),
		ui.Wrap(st.Subtle, "This master has no AIX osimages yet. Create one from the home screen (Create an osimage) or with: nimwiz create", min(w, 100)),
		"osimages", "", "  No osimage matches the filter. Press esc to clear it.")
}

func (v *listView) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.list.typing:
		f := v.list.fkeys
		return []key.Binding{f.Keep, f.Clear, f.Refresh}
	case v.d.load.Err != nil:
		return []key.Binding{k.Refresh}
	}
	// up/down come last: the short line drops from the end to fit.
	return []key.Binding{k.Open, k.Filter, k.Recreate, k.Remove, k.Change, k.Refresh, k.Up, k.Down}
}

// dayTwo are the keys of the day-two actions, in the full help.
func (v *listView) dayTwo() []key.Binding {
	return []key.Binding{v.keys.Check, v.keys.Copy, v.keys.Update}
}

func (v *listView) FullHelp() [][]key.Binding {
	h := v.ShortHelp()
	if !v.list.typing {
		h = append(h, v.keys.PgUp, v.keys.PgDown)
		return [][]key.Binding{h, v.dayTwo()}
	}
	return [][]key.Binding{h}
}
