// Package uitest drives Bubble Tea models synchronously in unit tests:
// keys by name, and a Drain that runs commands and feeds their messages
// back until nothing is left.
package uitest

import (
	"testing"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

var named = map[string]tea.KeyType{
	"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
	"ctrl+c": tea.KeyCtrlC, "ctrl+r": tea.KeyCtrlR, "ctrl+d": tea.KeyCtrlD, "ctrl+u": tea.KeyCtrlU, "ctrl+p": tea.KeyCtrlP,
	"backspace": tea.KeyBackspace, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp, "space": tea.KeySpace,
}

// Key returns the key message for a name ("enter", "ctrl+r", ...) or a
// single character ("y", "?").
func Key(name string) tea.KeyMsg {
	if t, ok := named[name]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// Text returns the key messages that type s.
func Text(s string) []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

// Driver feeds messages to an update function and runs the commands it
// returns, depth first, until none are left.
type Driver struct {
	TB     testing.TB
	Update func(tea.Msg) tea.Cmd
	Quit   bool // a tea.Quit came back
}

// Send delivers msg and drains what follows.
func (d *Driver) Send(msg tea.Msg) {
	d.TB.Helper()
	d.Run(d.Update(msg))
}

// Keys sends each key name in turn ("enter", "y", ...).
func (d *Driver) Keys(names ...string) {
	d.TB.Helper()
	for _, n := range names {
		d.Send(Key(n))
	}
}

// Type sends s as typed characters.
func (d *Driver) Type(s string) {
	d.TB.Helper()
	for _, k := range Text(s) {
		d.Send(k)
	}
}

// Run executes cmd and everything it leads to. Spinner ticks are dropped:
// they only animate, and each would wait a frame. Models here must not use
// other timed commands in tests (debounce off, steady cursor).
func (d *Driver) Run(cmd tea.Cmd) {
	d.TB.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 100000 {
			d.TB.Fatal("uitest: commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, spinner.TickMsg:
		case tea.BatchMsg:
			queue = append(append([]tea.Cmd{}, msg...), queue...)
		case tea.QuitMsg:
			d.Quit = true
		default:
			queue = append([]tea.Cmd{d.Update(msg)}, queue...)
		}
	}
}
