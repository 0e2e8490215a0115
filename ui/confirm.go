package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/wizard"
)

// Confirm is the y/N question every screen asks before it changes the
// master: the preview before mknimimage, the run screen before stopping it,
// the browser before rmnimimage and chdef. The text is wizard.YesNo's, as
// apply and the plain prompts say it; no unless y is pressed.
type Confirm struct {
	keys     ConfirmKeys
	question string
	open     bool
}

// NewConfirm returns a closed question answered with keys.
func NewConfirm(keys ConfirmKeys) Confirm { return Confirm{keys: keys} }

// Ask opens the question.
func (c *Confirm) Ask(question string) { c.question, c.open = question, true }

// Close withdraws the question unanswered.
func (c *Confirm) Close() { c.open = false }

// Open reports whether the question waits for an answer.
func (c Confirm) Open() bool { return c.open }

// Update takes a key while the question is open: yes or no close it and
// say which (answered); any other key is ignored.
func (c *Confirm) Update(msg tea.KeyMsg) (answered, yes bool) {
	if !c.open {
		return false, false
	}
	switch {
	case key.Matches(msg, c.keys.Yes):
		c.open = false
		return true, true
	case key.Matches(msg, c.keys.No):
		c.open = false
		return true, false
	}
	return false, false
}

// View is the question, as a warning, wrapped to width when it does not fit.
func (c Confirm) View(s *Styles, width int) string {
	q := wizard.YesNo(c.question)
	if lipgloss.Width(q) <= width {
		return s.Warning.Render(q)
	}
	return Wrap(s.Warning, q, width)
}

// ShortHelp is yes and no.
func (c Confirm) ShortHelp() []key.Binding { return []key.Binding{c.keys.Yes, c.keys.No} }
