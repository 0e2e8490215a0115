package wizard

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/nim"
)

// The preview's headings and its closing caution.
const (
	PreviewHeading = "Review the plan. Nothing has been changed on the NIM master yet."
	CommandLabel   = "Command (copy it to run it yourself):"
	ResourcesLabel = "NIM resources:"
	ProblemsLabel  = "Problems to fix before creating:"
	WarningsLabel  = "Warnings:"
	PreviewCaution = "Caution: creating the SPOT takes a long time (often 20 to 60 minutes) and cannot be interrupted safely: stopping NIM while it builds a SPOT leaves a broken resource. Start it when the master can stay up."
)

// VerboseNote says what -V does for plan p, or what its absence costs.
func VerboseNote(p nim.Plan) string {
	if p.Quiet {
		return "No -V (verbose = false in the plan): if NIM fails, you see only xCAT's \"Could not create a NIM definition\", not NIM's reason."
	}
	return "-V: mknimimage shows each command it runs and, if NIM fails, NIM's own message (verbose = false in a saved plan drops it)."
}

// CreateQuestion asks to run mknimimage for the osimage name (each mode
// adds how to answer).
func CreateQuestion(name string) string {
	return fmt.Sprintf("Create osimage %s now? This runs mknimimage on the NIM master", name)
}

// ResourceRow is one NIM resource in the preview: created, or reused as
// NIM has it.
type ResourceRow struct{ Verb, Attr, Name, Where string }

// ResourceRows are the plan's resources as the preview lists them, and the
// widths of the attribute and name columns. nc, when the names were checked
// (CheckNames), turns a resource the plan would create into "reuse" with
// NIM's Rstate and location when NIM already has it: mknimimage takes it as
// it is (nim/names.go).
func ResourceRows(p nim.Plan, nc *nim.NameCheck) (rows []ResourceRow, attrW, nameW int) {
	res := p.Resources()
	attrW, nameW = 10, 10
	for _, r := range res {
		attrW = max(attrW, len(r.Attr))
		nameW = max(nameW, len(r.Name))
	}
	has := map[string]nim.NameStatus{}
	if nc != nil {
		for _, n := range nc.Names {
			if n.Exists {
				has[n.Resource.Name] = n
			}
		}
	}
	for _, r := range res {
		row := ResourceRow{Verb: "create", Attr: r.Attr, Name: r.Name, Where: r.Location}
		if r.Reused {
			row.Verb = "reuse "
			if row.Where == "" {
				row.Where = "(existing)"
			}
		} else if n, ok := has[r.Name]; ok {
			row.Verb = "reuse "
			rs := n.Rstate()
			if rs == "" {
				rs = "Rstate unknown"
			}
			if !n.Reuse() {
				rs = "a NIM " + n.Object.Get("type") + ", not a " + r.Type
			}
			row.Where = "(" + rs + ")"
			if loc := n.Object.Get("location"); loc != "" {
				row.Where += " " + loc
			}
		}
		rows = append(rows, row)
	}
	return rows, attrW, nameW
}

// NameBusy says that osimage name is held by job id (in state), which
// creates or uses it: the run would be refused until it has ended.
func NameBusy(name, id, state string) string {
	return fmt.Sprintf("osimage %s is in use by nimwiz job %s (%s), which may still be working on the NIM master: follow it with '%s', or choose another name", name, id, state, hint.Command("attach", id))
}

// CheckingNames is said while the preview's pre-flight runs.
const CheckingNames = "Checking the names in xCAT and NIM (lsdef, lsnim -l), as the run will..."

// NamesUnchecked says the pre-flight could not run (err): the run checks
// again before it starts.
func NamesUnchecked(err error) string {
	return fmt.Sprintf("could not check the names in xCAT and NIM: %v; the run checks them again before it starts", err)
}

// CheckNames is the preview's pre-flight of plan p: the one round of
// queries job.Start makes (nim.CheckNamesWith), so the preview shows what
// NIM already has and refuses what the run would refuse.
func CheckNames(ctx context.Context, n NIM, p nim.Plan) (nim.NameCheck, error) {
	return nim.CheckNamesWith(ctx, n, p)
}

// Line is the row on one line, in columns attrW and nameW wide.
func (r ResourceRow) Line(attrW, nameW int) string {
	return fmt.Sprintf("  %s  %s  %s  %s", r.Verb, Pad(r.Attr, attrW), Pad(r.Name, nameW), r.Where)
}

// DefinitionLines are the xCAT osimage definition a successful run gives,
// as lsdef -l shows it: a label, then the object's lines.
func DefinitionLines(p nim.Plan) (label string, lines []string) {
	def := p.Definition()
	label = fmt.Sprintf("xCAT osimage definition that will result (lsdef -t osimage -o %s):", def.Name)
	lines = append(lines, "  Object name: "+def.Name)
	keys := slices.Sorted(maps.Keys(def.Attrs))
	for _, k := range keys {
		lines = append(lines, "      "+k+"="+def.Attrs[k])
	}
	return label, lines
}

// DefaultPlanPath is where plan p is saved unless the admin types another
// path: <planDir>/<name>.toml ("." and "plan" when empty).
func DefaultPlanPath(planDir string, p nim.Plan) string {
	if planDir == "" {
		planDir = "."
	}
	name := p.Name
	if name == "" {
		name = "plan"
	}
	return filepath.Join(planDir, name+".toml")
}

// ApplyArgv is the command that runs the plan saved at path, with the
// global options in force (package hint); path is made absolute so the
// command works from any directory.
func ApplyArgv(path string) []string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return hint.Argv("apply", path)
}

// ApplyCommand is ApplyArgv as a line to copy.
func ApplyCommand(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return hint.Command("apply", path)
}

// SavedText confirms the plan was saved at path; RunLaterLabel heads the
// command that runs it (ApplyCommand), on a line of its own so it is
// copied whole.
func SavedText(path string) string { return "saved the plan to " + path }

// RunLaterLabel introduces ApplyCommand after a save.
const RunLaterLabel = "Run it later with:"

// SaveExplain says where a plan is saved (dir for a relative name) and how
// it is run.
func SaveExplain(dir string) string {
	return "Type the file to write the plan to (TOML); a relative name is taken in " + dir + ". Run it later with: `" + hint.Command("apply", "FILE") + "`"
}

// WrapCommand lays argv out for a screen width as a shell command that still
// pastes and runs as one: breaks fall between arguments and end in " \".
// An argument longer than the width stands on its own line.
func WrapCommand(argv []string, width int) string {
	var b strings.Builder
	col := 0
	for i, a := range argv {
		q := nim.ShellQuote(a)
		switch {
		case i == 0:
		case col+1+len(q)+2 > width: // room for " \" on the line before
			b.WriteString(" \\\n  ")
			col = 2
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(q)
		col += len(q)
	}
	return b.String()
}
