package wizard

import (
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// Choice is one row of a fixed list of answers.
type Choice struct {
	Title string // the row's name
	Flags string // the mknimimage flags it stands for, if any
	What  string // what choosing it means
}

// Pad left-aligns s in a column of n cells.
func Pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// FieldProblem is the message of the first problem about field, or "".
func FieldProblem(probs []nim.Problem, field string) string {
	for _, p := range probs {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}
