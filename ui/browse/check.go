package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// checkView checks an osimage without changing anything (nim's
// CheckImage, as nimwiz check: lsdef, lsnim -l of its resources, who uses
// it, chkosimage -V) and shows the findings plainly: ok, warning or
// PROBLEM, each problem with how to put it right. nim -o check is not run:
// on a SPOT it writes (it syncs the clients' roots and rebuilds the boot
// images), so the view says when to run it.
type checkView struct {
	c      ui.Common
	keys   ui.CheckKeys
	d      *data
	name   string
	from   page
	gen    int
	load   ui.Loader
	ic     nim.ImageCheck
	scroll int
}

type checkMsg struct {
	name string
	gen  int
	ic   nim.ImageCheck
	err  error
}

// checkCommands are what the check asks, as the admin would.
func checkCommands(name string) string {
	return "nimwiz check " + name + " (lsdef, lsnim -l, lsdef -t node -w provmethod==" + name + ", lsnim -l -c machines, chkosimage -V " + name + ")"
}

func newCheckView(c ui.Common, d *data, name string, from page) *checkView {
	return &checkView{c: c, keys: c.Keys.Browse.Check, d: d, name: name, from: from, load: ui.NewLoader("the check (" + checkCommands(name) + ")")}
}

func (v *checkView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *checkView) capturing() bool  { return true }

// start runs the check off the event loop.
func (v *checkView) start() tea.Cmd {
	v.gen++
	gen, n, name := v.gen, v.d.env.NIM, v.name
	v.load.Verb = "run"
	return tea.Batch(v.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		ic, err := n.CheckImage(ctx, name)
		return checkMsg{name, gen, ic, err}
	})
}

func (v *checkView) got(msg checkMsg) {
	if msg.gen != v.gen || msg.name != v.name {
		return
	}
	v.load.Finish(msg.err)
	if msg.err == nil {
		v.ic, v.scroll = msg.ic, 0
	}
}

func (v *checkView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case key.Matches(msg, k.Back):
		return goTo(goMsg{to: v.from})
	case key.Matches(msg, k.Refresh) && !v.load.Loading:
		return v.start()
	case key.Matches(msg, k.Copy) && v.load.Loaded:
		return goTo(goMsg{to: pageCopy, from: v.from})
	default:
		pageBy(&v.scroll, v.c, msg, k.PgUp, k.PgDown)
	}
	return nil
}

func (v *checkView) ShortHelp() []key.Binding {
	k := v.keys
	k.Copy.SetEnabled(v.load.Loaded && v.ic.Use.InUse())
	return []key.Binding{k.Refresh, k.Copy, k.PgDown, k.PgUp, k.Back}
}

func (v *checkView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }

// findingLines are the findings: a mark, the text, and "-> fix" below.
func findingLines(st *ui.Styles, fs []nim.Finding, width int) []string {
	b := &lineBuilder{st: st, width: width}
	for _, f := range fs {
		mark, style := "ok       ", st.OK
		switch f.Level {
		case nim.FindingWarning:
			mark, style = "warning  ", st.Warning
		case nim.FindingProblem:
			mark, style = "PROBLEM  ", st.Error
		}
		b.add(indented(style, mark, len(mark), termtext.String(f.Text), width)...)
		if f.Fix != "" {
			b.add(indented(st.Code, "      -> ", 9, termtext.String(f.Fix), width)...)
		}
	}
	return b.lines
}

func (v *checkView) View() string {
	st, w := v.c.Styles, min(v.c.Width, 100)
	head := st.Heading.Render("Check osimage "+v.name) + st.Subtle.Render(": read-only, nothing is changed") + "\n" +
		strings.Join(wrapLines(st.Code, st.Label.Render("Asks  ")+checkCommands(v.name), w), "\n")
	var lines []string
	var foot string
	switch {
	case v.load.Loading || v.load.Err != nil:
		lines = strings.Split(v.load.View(st, w, "r"), "\n")
	default:
		lines = findingLines(st, v.ic.Findings, w)
		n := v.ic.Problems()
		if n == 0 {
			foot = st.OK.Render("No problem found.")
		} else {
			foot = st.Error.Render(fmt.Sprintf("%d problem(s).", n))
		}
		if v.ic.Use.InUse() {
			foot += st.Subtle.Render(" It is in use: to change its software, copy it (p), update the copy, then move the nodes.")
		}
		foot = ui.Wrap(st.Text, foot, w)
	}
	h := max(v.c.Height-strings.Count(head, "\n")-1-strings.Count(foot, "\n")-2, 3)
	var body []string
	body, v.scroll = scrolled(st, lines, v.scroll, h)
	return head + "\n\n" + strings.Join(body, "\n") + "\n" + foot
}
