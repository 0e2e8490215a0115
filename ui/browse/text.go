package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// Small pieces of text the views share.

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// modeOf is stateless (shared_root) or stateful.
func modeOf(o nim.Osimage) string {
	if o.Stateless() {
		return "stateless"
	}
	return "stateful"
}

func check(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

// wrapLines wraps s to width and styles each line (plain wrapping first, so
// the style never pads lines to the width).
func wrapLines(style lipgloss.Style, s string, width int) []string {
	var out []string
	for _, l := range strings.Split(ui.Wrap(lipgloss.NewStyle(), s, width), "\n") {
		out = append(out, style.Render(strings.TrimRight(l, " ")))
	}
	return out
}

// indented wraps s to width-indent and styles it, the first line after
// first, the others after as many blanks as indent.
func indented(style lipgloss.Style, first string, indent int, s string, width int) []string {
	var out []string
	for i, l := range wrapLines(style, s, width-indent) {
		if i == 0 {
			out = append(out, first+l)
		} else {
			out = append(out, strings.Repeat(" ", indent)+l)
		}
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

// scrolled is lines from scroll on, within height, the last line saying
// how many more there are; it returns the scroll kept in range.
func scrolled(st *ui.Styles, lines []string, scroll, height int) ([]string, int) {
	scroll = min(scroll, max(len(lines)-height, 0))
	body := lines[scroll:]
	if len(body) > height {
		body = append(body[:height-1:height-1], st.Subtle.Render(fmt.Sprintf("  (%d more lines: pgdn)", len(body)-height+1)))
	}
	return body, scroll
}

// pickList renders a single-choice list with "> " at the cursor, windowed.
func pickList(st *ui.Styles, rows []string, cur, width, height int) string {
	l := flist{rows: rows, cur: cur}
	l.shown = make([]int, len(rows))
	for i := range rows {
		l.shown[i] = i
	}
	return l.view(st, width, max(height, 3), true)
}
