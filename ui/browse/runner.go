package browse

import (
	"context"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// runner runs the commands that change the master, one after the other,
// and keeps what each printed: the remove view's chdef and rmnimimage, the
// change view's chdef. It stops at the first that fails; chdef can print
// an error and still exit 0, so its output is read too.
type runner struct {
	run     Runner
	id      int // which runner a runMsg is for
	argvs   [][]string
	step    int // the command running, or the last one run
	running bool
	done    bool
	spin    ui.Loader
	results []nim.Result
	err     error
}

type runMsg struct {
	id, step int
	res      nim.Result
	err      error
}

// runners numbers runners, so an answer reaches only the one that asked.
var runners int

func newRunner(run Runner) runner {
	runners++
	return runner{run: run, id: runners, spin: ui.NewLoader("")}
}

func (r *runner) owns(msg runMsg) bool { return msg.id == r.id }

// start runs argvs.
func (r *runner) start(argvs [][]string) tea.Cmd {
	r.argvs, r.step, r.running, r.done = argvs, 0, true, false
	r.results, r.err = nil, nil
	return tea.Batch(r.spin.Start(), r.exec())
}

func (r *runner) exec() tea.Cmd {
	run, id, step, argv := r.run, r.id, r.step, r.argvs[r.step]
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), nim.ChangeTimeout)
		defer cancel()
		res, err := run.Run(ctx, argv)
		return runMsg{id, step, res, err}
	}
}

// update takes a command's outcome: the next command, or finished.
func (r *runner) update(msg runMsg) (cmd tea.Cmd, finished bool) {
	if !r.owns(msg) || !r.running || msg.step != r.step {
		return nil, false
	}
	r.results = append(r.results, msg.res)
	if msg.err == nil && r.argvs[msg.step][0] == "chdef" {
		msg.err = firstError(msg.res)
	}
	if msg.err == nil && msg.step < len(r.argvs)-1 {
		r.step++
		return r.exec(), false
	}
	r.running, r.done, r.err = false, true, msg.err
	r.spin.Finish(nil)
	return nil, true
}

// lastRan reports whether every command ran (the last may have failed).
func (r *runner) lastRan() bool { return len(r.results) == len(r.argvs) }

// output is what the commands printed, both streams.
func output(res nim.Result) []byte { return append(append([]byte{}, res.Stdout...), res.Stderr...) }

// firstError is the first xCAT or NIM error message in a command's output.
func firstError(res nim.Result) error {
	for _, e := range nim.ParseMessages(output(res)) {
		if e.Kind.IsError() {
			return fmt.Errorf("%s", e.String())
		}
	}
	return nil
}

// runningLine is the spinner and what runs.
func (r *runner) runningLine(st *ui.Styles, what string) string {
	return r.spin.SpinnerView(st) + " " + st.Subtle.Render(what)
}

// outputLines are the commands run and what each printed, as text.
func (r *runner) outputLines(st *ui.Styles, width int) []string {
	lines := []string{"", st.Label.Render("Output:")}
	for i, res := range r.results {
		lines = append(lines, st.Code.Render("$ "+nim.ShellLine(r.argvs[i])))
		out := strings.TrimRight(string(output(res)), "\n")
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, indented(st.Text, "  ", 4, termtext.String(strings.TrimSpace(l)), width)...)
			}
		}
	}
	return lines
}
