package browse

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// removeView removes an osimage with rmnimimage (its flags chosen here), or
// replaces it (nim.ReplaceArgvs: chdef detaches what the new image reuses,
// then rmnimimage -d -x), after the admin saw exactly what goes and what
// stays and said yes; then it shows what happened (remove_view.go).
type removeView struct {
	c       ui.Common
	keys    ui.RemoveKeys
	d       *data
	o       nim.Osimage
	from    page
	replace bool
	dFlag   bool
	xFlag   bool
	fFlag   bool
	confirm ui.Confirm
	run     runner
	report  nim.RemoveReport
	scroll  int
}

func newRemoveView(c ui.Common, d *data, o nim.Osimage, from page, replace bool) *removeView {
	k := c.Keys.Browse.Remove
	v := &removeView{c: c, keys: k, d: d, o: o, from: from, replace: replace, xFlag: true,
		confirm: ui.NewConfirm(k.Confirm), run: newRunner(d.env.Run)}
	v.confirm.Ask("Run it now? This changes the NIM master.")
	return v
}

func (v *removeView) SetSize(w, h int) { v.c.Width, v.c.Height = w, h }
func (v *removeView) capturing() bool  { return true }

// flags are the rmnimimage flags this run uses: a replacement's are fixed.
func (v *removeView) flags() (d, x, f bool) {
	if v.replace {
		return true, true, false
	}
	return v.dFlag, v.xFlag, v.fFlag
}

// commands are what runs, as the flags stand.
func (v *removeView) commands() [][]string {
	if v.replace {
		argvs, _ := nim.ReplaceArgvs(v.o)
		return argvs
	}
	d, x, f := v.flags()
	return [][]string{nim.RemoveArgv(v.o.Name, d, x, f)}
}

// blockers are why nothing may run: a nimwiz job creates or uses the
// osimage or one of its resources (a SPOT being built from its lpp_source);
// for a replacement also a resource it would remove that is shared with
// another osimage or allocated (starting anyway would leave the definition
// changed and the old image half-removed).
func (v *removeView) blockers() []string {
	out := v.d.jobsUsing(v.o)
	if !v.replace {
		return out
	}
	dt := v.d.details[v.o.Name]
	for _, r := range nim.ResourceRefs(v.o) {
		if !v.o.NamedAfter(r) {
			continue
		}
		if others := v.d.sharers(r.Name, v.o.Name); len(others) > 0 {
			out = append(out, fmt.Sprintf("%s %s is also used by osimage %s: remove %s first, or re-create as a new osimage", r.Attr, r.Name, strings.Join(others, ", "), strings.Join(others, ", ")))
		}
		if obj, ok := dt.object(r.Name); ok {
			if a := obj.Get("alloc_count"); a != "" && a != "0" {
				out = append(out, fmt.Sprintf("%s %s is allocated to %s NIM client(s): free them first (rmdsklsnode NODES), or re-create as a new osimage", r.Attr, r.Name, a))
			}
		}
	}
	return out
}

// ready reports whether the commands may run: the details are known (they
// say what is allocated), nothing blocks, and there is a way to run them.
func (v *removeView) ready() bool {
	dt := v.d.details[v.o.Name]
	return dt != nil && dt.load.Loaded && len(v.blockers()) == 0 && v.run.run != nil
}

func (v *removeView) update(msg tea.KeyMsg) tea.Cmd {
	k := v.keys
	switch {
	case v.run.running:
		return nil
	case v.run.done:
		switch {
		case key.Matches(msg, k.Close):
			return goTo(goMsg{to: v.from, removed: true})
		default:
			pageBy(&v.scroll, v.c, msg, k.PgUp, k.ResultPgDown)
		}
		return nil
	}
	if pageBy(&v.scroll, v.c, msg, k.PgUp, k.PgDown) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Refresh):
		return v.d.loadDetails(true)
	case !v.replace && key.Matches(msg, k.ToggleD):
		v.dFlag = !v.dFlag
		return nil
	case !v.replace && key.Matches(msg, k.ToggleX):
		v.xFlag = !v.xFlag
		return nil
	case !v.replace && key.Matches(msg, k.ToggleF):
		v.fFlag = !v.fFlag
		return nil
	}
	answered, yes := v.confirm.Update(msg)
	switch {
	case answered && !yes:
		return goTo(goMsg{to: v.from})
	case answered && v.ready():
		v.scroll = 0
		return v.run.start(v.commands())
	case answered:
		v.confirm.Ask("Run it now? This changes the NIM master.") // not yet: the question stays
	}
	return nil
}

// gotRun takes a command's outcome. When the last one ran the list is
// loaded again; a replacement that removed everything opens the wizard.
func (v *removeView) gotRun(msg runMsg) (tea.Cmd, bool) {
	cmd, finished := v.run.update(msg)
	if !finished {
		return cmd, false
	}
	last := v.run.lastRan()
	if last {
		v.report = nim.ParseRmnimimage(output(v.run.results[len(v.run.results)-1]))
	}
	refresh := v.d.refreshAll()
	if v.replace && last && v.run.err == nil && v.report.OK() {
		o := v.o
		return tea.Batch(refresh, goTo(goMsg{to: pageList}), func() tea.Msg { return RecreateMsg{Osimage: o, Replace: true} }), true
	}
	return refresh, true
}

func (v *removeView) ShortHelp() []key.Binding {
	k := v.keys
	switch {
	case v.run.running:
		return nil
	case v.run.done:
		return []key.Binding{k.Close, k.ResultPgDown}
	}
	yn := v.confirm.ShortHelp()
	yn[0].SetEnabled(v.ready())
	if v.replace {
		return append(yn, k.PgDown)
	}
	return append([]key.Binding{k.ToggleD, k.ToggleX, k.ToggleF}, append(yn, k.PgDown)...)
}

func (v *removeView) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
