package plain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/nimwiz/nimwiz/wizard"
)

// The prompts are hand-written rather than huh's accessible mode
// (huh.NewForm(...).WithAccessible(true)), which was considered first:
//   - huh's accessible prompts take the default when input ends ("no way to
//     bubble up errors or signal cancellation" in internal/accessibility), so
//     a closed stdin would walk to the end of the wizard; here EOF must quit
//     with nothing changed.
//   - each of its prompts makes a new bufio.Scanner over the reader, so
//     lines read ahead from a pipe are lost between questions.
//   - every question here also takes b (back a step), q and ?, and the
//     lists show rows that are refused with a reason (a Defined drive, an
//     lpp_source that is not ready); between questions the answers are
//     checked against NIM, with r to retry a failed query.

// Errors that end or redirect a question.
var (
	// ErrInputEnded: input ended (EOF) before the plan was finished or
	// chosen for. Nothing was changed on the NIM master.
	ErrInputEnded = errors.New("input ended before the wizard finished; nothing was changed")

	errBack = errors.New("back")
	errQuit = errors.New("quit")
	errSkip = errors.New("skip")
)

// width is where paragraphs wrap: serial consoles (the HMC's vterm) are 80
// columns, and a line that fits is read as one line by screen readers.
const width = 78

// prompter reads one answer per line and writes plain text: no cursor
// movement, no colour, nothing redrawn.
type prompter struct {
	in   *bufio.Reader
	out  io.Writer
	echo bool
}

func (p *prompter) printf(format string, args ...any) { fmt.Fprintf(p.out, format, args...) }
func (p *prompter) println(s string)                  { fmt.Fprintln(p.out, s) }

// para writes a paragraph wrapped at width, each line after the first
// indented like the first.
func (p *prompter) para(indent, s string) { p.println(wrap(indent, s, width)) }

// say writes a message about the last answer: "error: ...", "warning: ...".
func (p *prompter) say(kind, msg string) { p.para("", kind+": "+msg) }

// readLine reads one line without its end. A last line without a newline
// still counts; after it, ErrInputEnded.
func (p *prompter) readLine() (string, error) {
	s, err := p.in.ReadString('\n')
	if err != nil {
		if s == "" {
			if errors.Is(err, io.EOF) {
				return "", ErrInputEnded
			}
			return "", fmt.Errorf("read answer: %w", err)
		}
	}
	return strings.TrimRight(s, "\r\n"), nil
}

// question is one prompt.
type question struct {
	label   string // "Name", "Choice"
	def     string // taken on Enter; "" means an answer is required
	explain func() // what ? prints again (the step's paragraph and choices)
	noBack  bool   // the first question: there is nothing to go back to
	need    string // what to type when there is no default
}

// ask asks q until it gets an answer: the default on Enter, or what was
// typed, trimmed. b, q and ? are handled here; bad keys get a message and
// the same question again.
func (p *prompter) ask(q question) (string, error) {
	for {
		if q.def != "" {
			p.printf("%s [%s]: ", q.label, q.def)
		} else {
			p.printf("%s: ", q.label)
		}
		line, err := p.readLine()
		if err != nil {
			p.println("")
			return "", err
		}
		if p.echo {
			p.println(printable(line))
		}
		ans := strings.TrimSpace(line)
		if strings.ContainsRune(ans, 0x1b) {
			p.say("error", "that was a cursor or function key: this mode reads typed lines. Type the answer and press Enter (? explains, b goes back, q quits).")
			continue
		}
		switch strings.ToLower(ans) {
		case "b", "back":
			if q.noBack {
				p.say("error", "this is the first question: there is nothing to go back to. Type q to quit, or answer the question.")
				continue
			}
			return "", errBack
		case "q", "quit":
			return "", errQuit
		case "?", "help":
			if q.explain != nil {
				q.explain()
			}
			p.para("", keysLine)
			continue
		case "":
			if q.def != "" {
				return q.def, nil
			}
			need := q.need
			if need == "" {
				need = "type an answer"
			}
			p.say("error", "there is no default here: "+need+" (? explains, b goes back, q quits).")
			continue
		}
		return ans, nil
	}
}

const keysLine = "Keys: Enter takes the default in [brackets]; b goes back a step (answers are kept); q quits (nothing is changed); ? explains again."

// choose asks for one of n numbered choices and returns its index. def is
// the default's index, or -1 for none.
func (p *prompter) choose(q question, n, def int) (int, error) {
	if def >= 0 {
		q.def = strconv.Itoa(def + 1)
	}
	if q.need == "" {
		q.need = fmt.Sprintf("type a number from 1 to %d", n)
	}
	for {
		ans, err := p.ask(q)
		if err != nil {
			return 0, err
		}
		i, err := strconv.Atoi(ans)
		if err != nil || i < 1 || i > n {
			p.say("error", fmt.Sprintf("%q is not one of the choices: type a number from 1 to %d, or Enter for the default (b goes back, q quits).", ans, n))
			continue
		}
		return i - 1, nil
	}
}

// yesNo asks a y/n question; Enter gives def.
func (p *prompter) yesNo(label string, def bool, explain func()) (bool, error) {
	q := question{label: label + " (y/n)", def: "n", explain: explain}
	if def {
		q.def = "y"
	}
	for {
		ans, err := p.ask(q)
		if err != nil {
			return false, err
		}
		switch {
		case wizard.Yes(ans):
			return true, nil
		case strings.EqualFold(ans, "n") || strings.EqualFold(ans, "no"):
			return false, nil
		}
		p.say("error", fmt.Sprintf("%q: type y or n (b goes back, q quits).", ans))
	}
}

// printable replaces control characters so an echoed answer cannot move
// the cursor or change the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// words splits s at spaces, keeping a `quoted command` as one word: a
// command must stay on one line to be copied.
func words(s string) []string {
	var out []string
	open := false
	for _, f := range strings.Fields(s) {
		if open {
			out[len(out)-1] += " " + f
		} else {
			out = append(out, f)
		}
		if n := strings.Count(f, "`"); n%2 == 1 {
			open = !open
		}
	}
	return out
}

// wrap breaks s into lines of at most w columns at spaces; the first line
// starts with indent and the others with as many spaces. A word longer than
// a line (a path, a `quoted command`) is never split.
func wrap(indent, s string, w int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", len(indent))
	b.WriteString(indent)
	col := len(indent)
	start := true
	for _, word := range words(s) {
		if !start && col+1+len(word) > w {
			b.WriteString("\n" + pad)
			col = len(pad)
			start = true
		}
		if !start {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
		start = false
	}
	return b.String()
}
