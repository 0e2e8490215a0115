package app

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/ui"
)

// home is the home screen: a menu of what nimwiz does.
type home struct {
	c    ui.Common
	keys ui.HomeKeys
	cur  int
	note string // why the last choice did nothing (no jobs yet)
}

var homeItems = []struct{ title, what string }{
	{"Create an osimage", "define a diskless or dataless osimage, step by step"},
	{"Browse osimages", "the osimages this master has: details, re-create, remove"},
	{"Jobs", "every mknimimage job: follow one that runs, review how one ended"},
	{"Quit", ""},
}

// homeChoice is what the admin chose (homeNone: nothing yet).
type homeChoice int

const (
	homeCreate homeChoice = iota
	homeBrowse
	homeJobs
	homeQuit
	homeNone
)

func newHome(c ui.Common) home { return home{c: c, keys: c.Keys.Home} }

func (h home) ShortHelp() []key.Binding  { return []key.Binding{h.keys.Up, h.keys.Down, h.keys.Choose} }
func (h home) FullHelp() [][]key.Binding { return [][]key.Binding{append(h.ShortHelp(), h.keys.Quit)} }

// update moves in the menu; enter (or q) says what was chosen.
func (h *home) update(msg tea.KeyMsg) homeChoice {
	switch {
	case key.Matches(msg, h.keys.Up):
		h.cur = max(h.cur-1, 0)
		h.note = ""
	case key.Matches(msg, h.keys.Down):
		h.cur = min(h.cur+1, len(homeItems)-1)
		h.note = ""
	case key.Matches(msg, h.keys.Quit):
		return homeQuit
	case key.Matches(msg, h.keys.Choose):
		return homeChoice(h.cur)
	}
	return homeNone
}

func (h home) view(width int) string {
	s := h.c.Styles
	var b strings.Builder
	b.WriteString(s.Heading.Render("What would you like to do?") + "\n\n")
	for i, it := range homeItems {
		line := "  " + fmt.Sprintf("%-20s", it.title) + it.what
		if i == h.cur {
			b.WriteString(s.Selected.Render("> "+line[2:]) + "\n")
		} else {
			b.WriteString(s.Item.Render(line) + "\n")
		}
	}
	b.WriteString("\n" + ui.Wrap(s.Subtle, "nimwiz builds xCAT osimages for diskless and dataless AIX nodes with mknimimage. It explains each choice, and nothing changes on the NIM master until you confirm the final preview.", min(width, 100)))
	if h.note != "" {
		b.WriteString("\n\n" + ui.Wrap(s.Warning, h.note, min(width, 100)))
	}
	return b.String()
}
