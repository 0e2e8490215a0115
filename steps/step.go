// Package steps is the full-screen rendering of the create wizard: one
// small model per step, on the texts, choices and checks of package wizard
// (which ui/plain renders as line prompts). A step knows the plan it is
// given and its own answer; it never knows about other steps. The root
// model (ui/app) routes messages, keeps the plan, and moves between steps
// when a step says it is done (NextMsg).
//
// Fields are hand-written from bubbles (textinput, spinner, help) rather than
// embedded huh fields: the steps need asynchronous validation against NIM
// while typing (huh validates synchronously), rows that are shown but
// refused with a reason (huh's Select has no disabled options), and one
// layout, key map and help line shared with the rest of nimwiz.
package steps

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// Env is what the steps need from outside.
type Env struct {
	NIM wizard.NIM
	// Root is the host root prefix for the checks the wizard makes on the
	// local filesystem (image directories, free space): "" on a real
	// master; in the demo, the simulated host's root directory, so that
	// "/export/images" is looked up at Root+"/export/images". Paths shown
	// and put in the plan are always the host's, without Root.
	Root string
	// FreeSpace returns the bytes available to root on the filesystem
	// holding path (already prefixed with Root). Nil means statfs.
	FreeSpace func(path string) (uint64, error)
	// Debounce is how long typing must pause before a NIM check starts;
	// zero checks at once (tests).
	Debounce time.Duration
	// Busy, when set, says why osimage name is held by a nimwiz job that
	// creates or uses it (wizard.NameBusy), or "": the preview says that
	// rather than what the job's half-made resources look like in NIM.
	Busy func(name string) string
}

// DefaultDebounce is the pause after typing before a name is checked in NIM.
const DefaultDebounce = 350 * time.Millisecond

// Host is the master's filesystem for the wizard's local checks.
func (e Env) Host() wizard.Host { return wizard.Host{Root: e.Root, FreeSpace: e.FreeSpace} }

// Step is one wizard screen.
type Step interface {
	// Title is the step's short name: "Name", "Source", ...
	Title() string
	// Enter is called each time the step becomes active, with the plan as
	// the earlier steps left it. The first call takes the step's answer
	// from the plan (prefill); later calls keep the step's own answer.
	Enter(p nim.Plan) tea.Cmd
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
	// Apply writes the step's answer into the plan.
	Apply(p nim.Plan) nim.Plan
	// Warnings are things the preview must repeat (not refusals).
	Warnings() []string
	// Capturing reports that the step uses esc itself (an inner prompt or
	// focus zone is open), so the root must not go back a step.
	Capturing() bool
	help.KeyMap
}

// NextMsg says the active step's answer is complete and valid. From, when
// set, is the step that sent it after waiting for NIM (a kept Enter): the
// root ignores it unless that step is still the active one, so an answer
// that lands after the admin went back never moves another step on.
type NextMsg struct{ From Step }

// GotoMsg asks the root to show step Index (the preview's "go back to").
type GotoMsg struct{ Index int }

// CreateMsg asks the root to create the osimage the plan describes. It is
// only sent after the admin confirmed on the preview.
type CreateMsg struct{ Plan nim.Plan }

// SavedMsg says the plan was saved to Path.
type SavedMsg struct {
	Path string
	Plan nim.Plan
}

func next() tea.Msg { return NextMsg{} }

// nextFrom is next for a kept Enter, sent once what the step waited for
// has arrived.
func nextFrom(s Step) tea.Cmd { return func() tea.Msg { return NextMsg{From: s} } }

// base holds what every step shares.
type base struct {
	c       ui.Common
	env     Env
	entered bool
	plan    nim.Plan
}

func (b *base) SetSize(w, h int)   { b.c.Width, b.c.Height = w, h }
func (b *base) Warnings() []string { return nil }
func (b *base) Capturing() bool    { return false }

// bodyWidth is the width text wraps at: the full width, but no wider than
// reads comfortably.
func (b *base) bodyWidth() int {
	w := b.c.Width
	if w > 100 {
		w = 100
	}
	if w < 20 {
		w = 20
	}
	return w
}

// intro writes a step's question as a heading and its explanation under it.
func (b *base) intro(sb *strings.Builder, question, explain string) {
	st := b.c.Styles
	sb.WriteString(st.Heading.Render(question) + "\n\n")
	sb.WriteString(ui.Wrap(st.Subtle, explain, b.bodyWidth()) + "\n\n")
}

func ctx() (context.Context, context.CancelFunc) {
	// The executor applies its own query timeout; this bounds a fake or a
	// client without one.
	return context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
}
