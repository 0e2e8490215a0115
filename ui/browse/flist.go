package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/ui"
)

// flist is a filterable list of precomputed rows: the osimage list and a
// resource's contents. Rows and their lower-cased search text are built
// once when the data arrives; filtering rebuilds only the index of shown
// rows, and View renders only the rows that fit. That keeps thousands of
// rows cheap on every keystroke.
type flist struct {
	keys   ui.ListKeys
	fkeys  ui.FilterKeys // while typing
	hdr    string        // column titles, aligned with rows
	rows   []string      // rendered text of each row, without the "> " prefix
	names  []string      // what each row is (the osimage list: its name)
	hay    []string      // lower-cased text the filter searches
	shown  []int         // indexes of rows matching the filter, in order
	cur    int           // index into shown
	input  textinput.Model
	typing bool   // keys go to the filter field
	terms  string // the filter the shown rows match
}

func newFlist(keys ui.ListKeys, fkeys ui.FilterKeys, placeholder string) flist {
	in := ui.NewTextInput()
	in.Prompt = "/"
	in.Placeholder = placeholder
	in.CharLimit = 80
	return flist{keys: keys, fkeys: fkeys, input: in}
}

// set replaces the rows, keeping the filter and (when still shown) the row
// under the cursor.
func (l *flist) set(rows, hay []string) {
	keep := l.selected()
	l.rows, l.hay = rows, hay
	l.refilter()
	if keep >= 0 && keep < len(rows) {
		for i, r := range l.shown {
			if r == keep {
				l.cur = i
				break
			}
		}
	}
}

// matches reports whether hay holds every blank-separated term of filter.
func matches(hay string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

// refilter recomputes the shown rows from the filter field.
func (l *flist) refilter() {
	l.terms = strings.TrimSpace(l.input.Value())
	terms := strings.Fields(strings.ToLower(l.terms))
	l.shown = l.shown[:0]
	if len(terms) == 0 {
		if cap(l.shown) < len(l.rows) {
			l.shown = make([]int, 0, len(l.rows))
		}
		for i := range l.rows {
			l.shown = append(l.shown, i)
		}
	} else {
		for i, h := range l.hay {
			if matches(h, terms) {
				l.shown = append(l.shown, i)
			}
		}
	}
	if l.cur >= len(l.shown) {
		l.cur = len(l.shown) - 1
	}
	if l.cur < 0 {
		l.cur = 0
	}
}

// selected is the row index under the cursor, or -1.
func (l *flist) selected() int {
	if l.cur < 0 || l.cur >= len(l.shown) {
		return -1
	}
	return l.shown[l.cur]
}

// startTyping focuses the filter field.
func (l *flist) startTyping() tea.Cmd {
	l.typing = true
	l.input.CursorEnd()
	return l.input.Focus()
}

// clear empties the filter.
func (l *flist) clear() {
	l.typing = false
	l.input.Blur()
	l.input.SetValue("")
	l.refilter()
}

// keyTyping handles a key while the filter field has focus: enter keeps the
// filter and returns to the list, esc clears it, the arrows and page keys
// still move (the letter keys are typed).
func (l *flist) keyTyping(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, l.fkeys.Keep):
		l.typing = false
		l.input.Blur()
		return nil
	case key.Matches(msg, l.fkeys.Clear):
		l.clear()
		return nil
	case l.moveBy(msg, l.fkeys.Move, 10):
		return nil
	}
	before := l.input.Value()
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	if l.input.Value() != before {
		l.cur = 0
		l.refilter()
	}
	return cmd
}

// move handles the list's moves (ListKeys); it reports whether msg was one.
func (l *flist) move(msg tea.KeyMsg, page int) bool { return l.moveBy(msg, l.keys, page) }

func (l *flist) moveBy(msg tea.KeyMsg, k ui.ListKeys, page int) bool {
	n := len(l.shown)
	switch {
	case key.Matches(msg, k.Up):
		l.cur--
	case key.Matches(msg, k.Down):
		l.cur++
	case key.Matches(msg, k.PgUp):
		l.cur -= max(page, 1)
	case key.Matches(msg, k.PgDown):
		l.cur += max(page, 1)
	case key.Matches(msg, k.Home):
		l.cur = 0
	case key.Matches(msg, k.End):
		l.cur = n - 1
	default:
		return false
	}
	l.cur = min(max(l.cur, 0), max(n-1, 0))
	return true
}

// view renders at most height rows around the cursor (plus "more" lines
// within that height), "> " marking the cursor's row.
func (l *flist) view(s *ui.Styles, width, height int, focused bool) string {
	if height < 3 {
		height = 3
	}
	n := len(l.shown)
	if n == 0 {
		return ""
	}
	fit := height
	if n > height {
		fit = height - 2 // room for the "more" lines
	}
	start := 0
	if n > fit {
		start = min(max(l.cur-fit/2, 0), n-fit)
	}
	end := min(start+fit, n)
	var b strings.Builder
	if n > height {
		if start > 0 {
			b.WriteString(s.Subtle.Render(fmt.Sprintf("  (%d more above)", start)))
		}
		b.WriteByte('\n')
	}
	for i := start; i < end; i++ {
		text := ui.Truncate(l.rows[l.shown[i]], width-2)
		if i == l.cur && focused {
			b.WriteString(s.Selected.Render("> " + text))
		} else {
			b.WriteString(s.Item.Render("  " + text))
		}
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	if n > height && end < n {
		b.WriteString("\n" + s.Subtle.Render(fmt.Sprintf("  (%d more below)", n-end)))
	}
	return b.String()
}

// page is the list under its heading line: the loader while the first
// answer comes or after a failure, empty (rendered) when there are no
// rows; else the filter line, the column titles (the loader while the rows
// load again), and the rows that fit, or noMatch. what names the rows
// ("osimages"), hint adds to the filter line.
func (l *flist) page(st *ui.Styles, load *ui.Loader, width, height int, heading, empty, what, hint, noMatch string) string {
	var b strings.Builder
	b.WriteString(heading + "\n")
	switch {
	case load.Loading && !load.Loaded || load.Err != nil:
		b.WriteString("\n" + load.View(st, min(width, 100), "r"))
		return b.String()
	case len(l.rows) == 0:
		b.WriteString("\n" + empty)
		return b.String()
	}
	b.WriteString(l.filterLine(st, what, hint) + "\n")
	if load.Loading {
		b.WriteString(load.View(st, width, "r") + "\n")
	} else {
		b.WriteString(st.Label.Render(ui.Truncate("  "+l.hdr, width)) + "\n")
	}
	if len(l.shown) == 0 {
		b.WriteString(st.Subtle.Render(noMatch))
		return b.String()
	}
	b.WriteString(l.view(st, width, height-3, true))
	return b.String()
}

// filterLine says what the filter is and how to change it.
func (l *flist) filterLine(s *ui.Styles, what string, hint string) string {
	total := len(l.rows)
	if l.typing {
		return l.input.View() + "  " + s.Subtle.Render(fmt.Sprintf("%d of %d %s; enter keeps, esc clears", len(l.shown), total, what))
	}
	if l.terms != "" {
		return s.Text.Render("filter: "+l.terms) + "  " + s.Subtle.Render(fmt.Sprintf("%d of %d %s (/ to change, esc to clear)", len(l.shown), total, what))
	}
	return s.Subtle.Render(fmt.Sprintf("%d %s; / to filter%s", total, what, hint))
}
