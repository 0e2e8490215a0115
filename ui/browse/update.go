package browse

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

type updateCheckMsg struct {
	gen int
	uc  nim.UpdateCheck
	err error
}

type updateView struct {
	c    ui.Common
	keys ui.UpdateKeys
	d    *data
	o    nim.Osimage
	from page
	load ui.Loader
}

func newUpdateView(c ui.Common, d *data, o nim.Osimage, from page) *updateView {
	return &updateView{c: c, keys: c.Keys.Browse.Update, d: d, o: o, from: from}
}

func (v *updateView) SetSize(w, h int)          { v.c.Width, v.c.Height = w, h }
func (v *updateView) capturing() bool           { return true }
func (v *updateView) got(msg updateCheckMsg)    {}
func (v *updateView) update(tea.KeyMsg) tea.Cmd { return goTo(goMsg{to: v.from}) }
func (v *updateView) View() string              { return "" }
func (v *updateView) ShortHelp() []key.Binding  { return []key.Binding{v.keys.Back} }
func (v *updateView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
