package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// GlobalKeys are handled by the root model before any view sees a key.
type GlobalKeys struct {
	Quit key.Binding
	Help key.Binding
	Back key.Binding
}

// DefaultGlobalKeys returns the bindings every screen shares.
func DefaultGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// Common list keys, reused by the views' own KeyMaps so that every list moves
// the same way.
var (
	KeyUp     = key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("up/k", "up"))
	KeyDown   = key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("down/j", "down"))
	KeyEnter  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue"))
	KeyToggle = key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "select"))
	KeyRetry  = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry"))
	// KeyRetryInText is the retry key on screens where "r" is typed into a
	// text field.
	KeyRetryInText = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "retry"))
	KeyTab         = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "switch"))
	KeyShiftTab    = key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "switch back"))
	KeyPgUp        = key.NewBinding(key.WithKeys("pgup", "b"), key.WithHelp("pgup", "page up"))
	KeyPgDown      = key.NewBinding(key.WithKeys("pgdown", "f"), key.WithHelp("pgdn", "page down"))
)

// NewHelp returns a bubbles help model in the shared styles. Its separators
// are ASCII.
func NewHelp(s *Styles) help.Model {
	h := help.New()
	h.ShortSeparator = " | "
	h.FullSeparator = "    "
	h.Ellipsis = "..."
	h.Styles = help.Styles{
		ShortKey: s.HelpKey, ShortDesc: s.HelpDesc, ShortSeparator: s.HelpSep,
		FullKey: s.HelpKey, FullDesc: s.HelpDesc, FullSeparator: s.HelpSep,
		Ellipsis: s.HelpSep,
	}
	return h
}
