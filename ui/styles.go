// Package ui holds what every nimwiz screen shares: one Styles, the global
// key bindings, the sizes passed down to views (Common), and small widgets
// (header, help line, "terminal too small", loading/error-with-retry).
//
// Everything a user must notice is said in text as well as colour: the
// selected row starts with "> ", chosen items show "[x]", errors start with
// "error:" and warnings with "warning:". With NO_COLOR (termenv's Ascii
// profile) lipgloss drops bold and reverse too, so this is what keeps the
// screens usable there. Only ASCII glyphs are used: AIX consoles often run
// in the C locale.
package ui

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/nimwiz/nimwiz/internal/termtext"
)

// Styles is the one set of styles every view uses.
type Styles struct {
	Title      lipgloss.Style // screen title in the header
	StepInfo   lipgloss.Style // "step 2 of 7" in the header
	Banner     lipgloss.Style // the demo banner
	Rule       lipgloss.Style // the line under the header
	Heading    lipgloss.Style // a step's question
	Text       lipgloss.Style // body text
	Subtle     lipgloss.Style // explanations, hints
	Selected   lipgloss.Style // the row under the cursor (also marked "> ")
	Item       lipgloss.Style // other rows
	Disabled   lipgloss.Style // rows that cannot be chosen (the reason is shown in text)
	Error      lipgloss.Style // "error: ..." next to the field it concerns
	Warning    lipgloss.Style // "warning: ..."
	OK         lipgloss.Style // "ok: ..."
	Code       lipgloss.Style // commands the admin may copy: no border, no padding
	Label      lipgloss.Style // left column of key/value lines
	Input      lipgloss.Style // text inputs
	HelpKey    lipgloss.Style
	HelpDesc   lipgloss.Style
	HelpSep    lipgloss.Style
	Spinner    lipgloss.Style
	Focused    lipgloss.Style // the focused zone's heading
	Unfocused  lipgloss.Style
	TooSmall   lipgloss.Style
	StatusLine lipgloss.Style
}

// Palette: each colour has a light-terminal and a dark-terminal variant.
var (
	colAccent  = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B9A5FF"}
	colText    = lipgloss.AdaptiveColor{Light: "#1F1F1F", Dark: "#E4E4E4"}
	colSubtle  = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#9A9A9A"}
	colFaint   = lipgloss.AdaptiveColor{Light: "#9A9A9A", Dark: "#5F5F5F"}
	colError   = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}
	colWarning = lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#FFC857"}
	colOK      = lipgloss.AdaptiveColor{Light: "#1B6E20", Dark: "#7CDB7C"}
	colCode    = lipgloss.AdaptiveColor{Light: "#00507A", Dark: "#8FD3FF"}
	colBanner  = lipgloss.AdaptiveColor{Light: "#FFFFFF", Dark: "#1F1F1F"}
	colBannerB = lipgloss.AdaptiveColor{Light: "#B35C00", Dark: "#FFB347"}
)

// DefaultStyles builds the styles from the adaptive palette. Call it after
// ApplyTheme so the light/dark choice is settled.
func DefaultStyles() *Styles {
	s := &Styles{}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.StepInfo = lipgloss.NewStyle().Foreground(colSubtle)
	s.Banner = lipgloss.NewStyle().Bold(true).Foreground(colBanner).Background(colBannerB)
	s.Rule = lipgloss.NewStyle().Foreground(colFaint)
	s.Heading = lipgloss.NewStyle().Bold(true).Foreground(colText)
	s.Text = lipgloss.NewStyle().Foreground(colText)
	s.Subtle = lipgloss.NewStyle().Foreground(colSubtle)
	s.Selected = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.Item = lipgloss.NewStyle().Foreground(colText)
	s.Disabled = lipgloss.NewStyle().Foreground(colFaint)
	s.Error = lipgloss.NewStyle().Foreground(colError)
	s.Warning = lipgloss.NewStyle().Foreground(colWarning)
	s.OK = lipgloss.NewStyle().Foreground(colOK)
	s.Code = lipgloss.NewStyle().Foreground(colCode)
	s.Label = lipgloss.NewStyle().Foreground(colSubtle)
	s.Input = lipgloss.NewStyle().Foreground(colText)
	s.HelpKey = lipgloss.NewStyle().Foreground(colSubtle).Bold(true)
	s.HelpDesc = lipgloss.NewStyle().Foreground(colFaint)
	s.HelpSep = lipgloss.NewStyle().Foreground(colFaint)
	s.Spinner = lipgloss.NewStyle().Foreground(colAccent)
	s.Focused = lipgloss.NewStyle().Bold(true).Foreground(colAccent)
	s.Unfocused = lipgloss.NewStyle().Foreground(colSubtle)
	s.TooSmall = lipgloss.NewStyle().Foreground(colWarning)
	s.StatusLine = lipgloss.NewStyle().Foreground(colSubtle)
	// Whatever a view renders, values from NIM included, has its control
	// characters made visible before lipgloss measures and wraps it (so a
	// hostile value cannot act on the terminal nor break the layout); the
	// SGR of nested styled text is kept. See termtext.
	for _, st := range []*lipgloss.Style{&s.Title, &s.StepInfo, &s.Banner, &s.Rule, &s.Heading, &s.Text,
		&s.Subtle, &s.Selected, &s.Item, &s.Disabled, &s.Error, &s.Warning, &s.OK, &s.Code, &s.Label,
		&s.Input, &s.HelpKey, &s.HelpDesc, &s.HelpSep, &s.Spinner, &s.Focused, &s.Unfocused, &s.TooSmall,
		&s.StatusLine} {
		*st = st.Transform(termtext.KeepSGR)
	}
	return s
}

// ApplyTheme settles light or dark before the program starts: "light" and
// "dark" override the terminal's answer (which some terminals get wrong or
// never give); "" keeps what lipgloss detected.
func ApplyTheme(theme string) {
	switch theme {
	case "light":
		lipgloss.SetHasDarkBackground(false)
	case "dark":
		lipgloss.SetHasDarkBackground(true)
	}
}
