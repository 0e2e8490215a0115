package steps

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/ui"
)

// cursor is a position in a list of n rows.
type cursor struct{ pos, n int }

func (c *cursor) set(n int) {
	c.n = n
	if c.pos >= n {
		c.pos = n - 1
	}
	if c.pos < 0 {
		c.pos = 0
	}
}

// move handles up and down; it reports whether msg was a move.
func (c *cursor) move(msg tea.KeyMsg, up, down key.Binding) bool {
	switch {
	case key.Matches(msg, up):
		if c.pos > 0 {
			c.pos--
		}
	case key.Matches(msg, down):
		if c.pos < c.n-1 {
			c.pos++
		}
	default:
		return false
	}
	return true
}

// listRow is one row of a rendered list.
type listRow struct {
	Text     string
	Mark     string // "[x] ", "[ ] " or "" for single choice
	Disabled bool   // shown, but refused; the reason is part of Text or said elsewhere
}

// renderList renders rows with "> " before the one at the cursor, showing at
// most max rows around it and saying how many are hidden.
func renderList(s *ui.Styles, rows []listRow, cur, max int, focused bool) string {
	if max < 1 {
		max = 1
	}
	start := 0
	if len(rows) > max {
		start = cur - max/2
		if start < 0 {
			start = 0
		}
		if start > len(rows)-max {
			start = len(rows) - max
		}
	}
	end := start + max
	if end > len(rows) {
		end = len(rows)
	}
	var b strings.Builder
	if start > 0 {
		fmt.Fprintf(&b, "  %s\n", s.Subtle.Render(fmt.Sprintf("(%d more above)", start)))
	}
	for i := start; i < end; i++ {
		r := rows[i]
		prefix := "  "
		st := s.Item
		if r.Disabled {
			st = s.Disabled
		}
		if i == cur && focused {
			prefix = "> "
			st = s.Selected
		}
		b.WriteString(st.Render(prefix + r.Mark + r.Text))
		if i < end-1 {
			b.WriteByte('\n')
		}
	}
	if end < len(rows) {
		fmt.Fprintf(&b, "\n  %s", s.Subtle.Render(fmt.Sprintf("(%d more below)", len(rows)-end)))
	}
	return b.String()
}

func errLine(s *ui.Styles, msg string, width int) string {
	return ui.Wrap(s.Error, "error: "+msg, width)
}

func warnLine(s *ui.Styles, msg string, width int) string {
	return ui.Wrap(s.Warning, "warning: "+msg, width)
}

func okLine(s *ui.Styles, msg string, width int) string {
	return ui.Wrap(s.OK, "ok: "+msg, width)
}
