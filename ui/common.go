package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Minimum terminal size. 60x20 leaves room for the header, a step with a
// short list, its field error and the help line; below it layouts break.
const (
	MinWidth  = 60
	MinHeight = 20
)

// Common is the context passed down to every view: its size, the shared
// styles and key map. It is copied, never global.
type Common struct {
	Width, Height int
	Styles        *Styles
	Keys          *KeyMap
	// Demo marks the simulated NIM master: the header shows a banner so
	// nobody mistakes the demo for a real system.
	Demo bool
}

// NewCommon returns a Common with the default styles and key map.
func NewCommon() Common { return Common{Styles: DefaultStyles(), Keys: DefaultKeyMap()} }

// TooSmall reports whether a width x height terminal is below the minimum.
func TooSmall(width, height int) bool { return width < MinWidth || height < MinHeight }

// TooSmallView is shown instead of any layout below the minimum size; the
// state behind it is kept, so enlarging the window brings the screen back.
func TooSmallView(s *Styles, width, height int) string {
	msg := fmt.Sprintf("Terminal too small: %dx%d. nimwiz needs at least %dx%d.\n\nEnlarge the window to continue (nothing is lost), or press ctrl+c to quit.",
		width, height, MinWidth, MinHeight)
	w := width
	if w < 20 {
		w = 20
	}
	return s.TooSmall.Width(w).Render(msg)
}

// DemoBanner is the text of the demo banner.
const DemoBanner = "DEMO - simulated NIM master: nothing here touches a real system"

// Header renders the title line (title on the left, where on the right),
// the demo banner when c.Demo, and a rule.
func Header(c Common, title, where string) string {
	s := c.Styles
	left := s.Title.Render("nimwiz") + s.Subtle.Render(" - ") + s.Title.Render(title)
	if lipgloss.Width(left)+1+ansi.StringWidth(where) > c.Width {
		// Cut with a mark, never silently.
		where = Elide(where, max(0, c.Width-lipgloss.Width(left)-1))
	}
	right := s.StepInfo.Render(where)
	gap := c.Width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		gap = 1
	}
	lines := []string{left + strings.Repeat(" ", gap) + right}
	if c.Demo {
		lines = append(lines, s.Banner.Render(Elide(" "+DemoBanner+" ", c.Width)))
	}
	lines = append(lines, s.Rule.Render(strings.Repeat("-", c.Width)))
	return strings.Join(lines, "\n")
}

// Truncate cuts s (which may hold ANSI sequences) to width cells, its last
// cell "…" when something was cut: a name, path or description cut short
// must never pass for the whole (a first-time admin copies what is shown).
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if width < 2 || ansi.StringWidth(strings.TrimRight(ansi.Strip(s), " ")) <= width {
		return ansi.Truncate(s, width, "") // only padding is cut: nothing to mark
	}
	return ansi.Truncate(s, width, "…")
}

// Elide cuts s (which may hold ANSI sequences) to width cells, ending it
// with "..." when something was cut, so a cut never passes for the whole.
func Elide(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if width < 4 {
		return ansi.Truncate(s, width, "")
	}
	return ansi.Truncate(s, width, "...")
}

// WrapWords wraps plain text s to width cells at spaces only, so a command,
// a path or an id stays whole unless it alone is wider than width (then it
// is broken at width).
func WrapWords(s string, width int) string {
	if width <= 0 {
		return s
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
		for ansi.StringWidth(line) > width {
			lines = append(lines, ansi.Truncate(line, width, ""))
			line = ansi.TruncateLeft(line, width, "")
		}
	}
	return strings.Join(append(lines, line), "\n")
}

// Fit makes s exactly height lines of at most width cells: long lines are cut
// and missing lines padded, so the footer stays at the bottom and the
// renderer never drops the header.
func Fit(s string, width, height int) string {
	if height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
		if height > 0 {
			lines[height-1] = "(more: enlarge the window)"
		}
	}
	for i, l := range lines {
		lines[i] = Truncate(l, width)
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Wrap word-wraps plain or styled text to width.
func Wrap(st lipgloss.Style, text string, width int) string {
	if width < 10 {
		width = 10
	}
	return st.Width(width).Render(text)
}

// Loader is the loading/error-with-retry pattern of every NIM query: a
// spinner while it runs, and when it fails the error and how to retry.
type Loader struct {
	What    string // "CD/DVD devices (lsdev -Cc cdrom)"
	Verb    string // "load" unless set: "could not VERB WHAT"
	Loading bool
	Err     error
	Loaded  bool
	kept    bool // Keep: an Enter pressed while loading
	spin    spinner.Model
}

// Keep remembers an Enter pressed while loading, so that it is not lost
// (on a loaded master the key can come before NIM's answer): the step goes
// on when Kept says so after Finish. Drop forgets it (another key, the
// step left). View says it is kept.
func (l *Loader) Keep() {
	if l.Loading {
		l.kept = true
	}
}

// Drop forgets a kept Enter.
func (l *Loader) Drop() { l.kept = false }

// Kept reports, once, whether an Enter was kept until the load finished
// and succeeded (Finish drops it after a failure).
func (l *Loader) Kept() bool {
	if l.Loading {
		return false
	}
	k := l.kept
	l.kept = false
	return k
}

// NewLoader returns an idle loader for what.
func NewLoader(what string) Loader {
	// The Line spinner is plain ASCII: | / - \.
	return Loader{What: what, spin: spinner.New(spinner.WithSpinner(spinner.Line))}
}

// Start marks the query running and starts the spinner.
func (l *Loader) Start() tea.Cmd {
	l.Loading, l.Err = true, nil
	return l.spin.Tick
}

// Finish records the query's outcome.
func (l *Loader) Finish(err error) {
	l.Loading, l.Err = false, err
	l.Loaded = err == nil
	if err != nil {
		l.kept = false // the step stays: the admin has not seen the error
	}
}

// Update advances the spinner while loading.
func (l *Loader) Update(msg tea.Msg) tea.Cmd {
	if !l.Loading {
		return nil
	}
	var cmd tea.Cmd
	l.spin, cmd = l.spin.Update(msg)
	return cmd
}

// View is "| Loading WHAT..." while loading, the error and retry key after
// a failure, and "" otherwise. retryKey is "r" or "ctrl+r".
func (l Loader) View(s *Styles, width int, retryKey string) string {
	switch {
	case l.Loading:
		v := s.Spinner.Render(l.spin.View()) + " " + s.Subtle.Render("Loading "+l.What+"...")
		if l.kept {
			v += "\n" + Wrap(s.Subtle, "(enter pressed: goes on as soon as this has loaded; any other key stays here)", width)
		}
		return v
	case l.Err != nil:
		verb := l.Verb
		if verb == "" {
			verb = "load"
		}
		return Wrap(s.Error, fmt.Sprintf("error: could not %s %s: %v", verb, l.What, l.Err), width) + "\n" +
			s.Subtle.Render("Press "+retryKey+" to try again.")
	}
	return ""
}

// Owns reports whether msg is a tick of this loader's spinner: the root
// hands each tick only to its owner.
func (l *Loader) Owns(msg spinner.TickMsg) bool { return msg.ID == l.spin.ID() }

// SpinnerView renders a spinner frame for inline "checking..." marks.
func (l Loader) SpinnerView(s *Styles) string { return s.Spinner.Render(l.spin.View()) }

// NewTextInput returns a text field in nimwiz's way: "> " prompt and a
// steady cursor. A blinking cursor repaints twice a second, which is
// noticeable over slow links to an AIX master, and adds nothing here.
func NewTextInput() textinput.Model {
	in := textinput.New()
	in.Prompt = "> "
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
