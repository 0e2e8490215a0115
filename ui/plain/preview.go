package plain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/wizard"
)

var actions = []string{"Create now", "Save the plan to a file", "Go back to a step", "Quit"}

const (
	actCreate = iota
	actSave
	actGoto
	actQuit
)

// preview shows the whole plan and asks what to do with it. It returns the
// admin's choice, or the step to go back to (to >= 0), or errBack (the
// previous step), errQuit or ErrInputEnded.
func (s *session) preview() (c Choice, to int, err error) {
	p := s.p
	s.plan = s.plan.WithDefaults()
	p.println("")
	p.printf("Step %d of %d: %s\n", stepPreview+1, numSteps, stepTitles[stepPreview])
	if err := s.checkNames(); err != nil {
		return Choice{}, -1, err
	}
	s.showPlan()
	menu := func() {
		p.println("What now?")
		for i, a := range actions {
			p.printf("  %d) %s\n", i+1, a)
		}
	}
	menu()
	saved := "" // where the plan was saved: saving stays in the wizard
	for {
		probs := s.problems()
		def := actCreate
		if len(probs) > 0 {
			def = actGoto
		}
		i, err := p.choose(question{label: "Choice", explain: func() { s.showPlan(); menu() }}, len(actions), def)
		switch {
		case err != nil && saved != "" && (errors.Is(err, ErrInputEnded) || err == errQuit):
			return Choice{Action: ActionSave, Path: saved}, -1, nil // the saved plan is the result
		case err != nil:
			return Choice{}, -1, err
		}
		switch i {
		case actCreate:
			if len(probs) > 0 {
				p.say("error", fmt.Sprintf("the plan has %d problem(s), listed above under \"Problems to fix\": choose 3 to go back to the step that fixes it.", len(probs)))
				continue
			}
			ok, err := p.yesNo(wizard.CreateQuestion(s.plan.Name), false, nil)
			switch {
			case err == errBack:
				continue
			case err != nil:
				return Choice{}, -1, err
			case !ok:
				p.println("Not created. Choose what to do instead.")
				continue
			}
			return Choice{Action: ActionRun}, -1, nil
		case actSave:
			path, err := s.save()
			switch {
			case err == errBack:
				continue
			case err != nil:
				return Choice{}, -1, err
			}
			saved = path
			menu()
			continue
		case actGoto:
			to, err := s.pickStep(probs)
			switch {
			case err == errBack:
				continue
			case err != nil:
				return Choice{}, -1, err
			}
			return Choice{}, to, nil
		}
		if saved != "" {
			return Choice{Action: ActionSave, Path: saved}, -1, nil
		}
		return Choice{}, -1, errQuit
	}
}

// checkNames runs the pre-flight job.Start runs (wizard.CheckNames) on a
// valid plan, so the preview shows what NIM has and refuses what the run
// would refuse. A failed query may be skipped: the run checks again.
func (s *session) checkNames() error {
	s.names, s.namesErr = nil, nil
	if len(s.plan.Validate()) > 0 {
		return nil
	}
	if s.cfg.Busy != nil {
		if why := s.cfg.Busy(s.plan.Name); why != "" {
			s.names = &nim.NameCheck{Osimage: s.plan.Name, Problems: []nim.Problem{{Field: "name", Message: why}}}
			return nil
		}
	}
	var nc nim.NameCheck
	err := s.query("check the names in xCAT and NIM", "lsdef -t osimage -o "+s.plan.Name+"; lsnim -l NAMES", false, true, func(ctx context.Context) error {
		var err error
		nc, err = wizard.CheckNames(ctx, s.cfg.NIM, s.plan)
		return err
	})
	switch {
	case err == errSkip:
		s.namesErr = errors.New("skipped")
		return nil
	case err != nil:
		return err
	}
	s.names = &nc
	return nil
}

// problems are what keeps the plan from running: its own, then the
// pre-flight's.
func (s *session) problems() []nim.Problem {
	probs := s.plan.Validate()
	if s.names != nil {
		probs = append(probs, s.names.Problems...)
	}
	return probs
}

// pickStep asks which step to change; the default is the first one with
// a problem.
func (s *session) pickStep(probs []nim.Problem) (int, error) {
	p := s.p
	list := func() {
		p.para("", "Which step? Its answer is kept until you change it; after it you come back here.")
		for i := 0; i < stepPreview; i++ {
			p.printf("  %d) %s\n", i+1, stepTitles[i])
		}
	}
	list()
	def := stepName
	if len(probs) > 0 {
		def = stepOf(probs[0].Field)
	}
	return p.choose(question{label: "Step", explain: list}, stepPreview, def)
}

// stepOf is the step that answers a plan field.
func stepOf(field string) int {
	switch {
	case field == "source":
		return stepSource
	case field == "type" || field == "stateless":
		return stepNodeType
	case field == "location":
		return stepLocation
	case field == "dump":
		return stepDump
	case strings.HasPrefix(field, "resources"):
		return stepExtras
	}
	return stepName
}

// showPlan writes the command line (whole, on one line, to copy), the
// resources, the definition, every problem and warning, and the caution.
func (s *session) showPlan() {
	p, plan := s.p, s.plan
	p.println(wizard.PreviewHeading)
	p.println("")
	p.println(wizard.CommandLabel)
	p.println(plan.CommandLine())
	p.para("", wizard.VerboseNote(plan))
	p.println("")

	p.println(wizard.ResourcesLabel)
	rows, attrW, nameW := wizard.ResourceRows(plan, s.names)
	for _, r := range rows {
		p.println(r.Line(attrW, nameW))
	}
	p.println("")

	label, lines := wizard.DefinitionLines(plan)
	p.println(label)
	for _, l := range lines {
		p.println(l)
	}
	p.println("")

	if s.namesErr != nil {
		p.para("", "warning: "+wizard.NamesUnchecked(s.namesErr))
		p.println("")
	}
	if probs := s.problems(); len(probs) > 0 {
		p.println(wizard.ProblemsLabel)
		for _, pr := range probs {
			p.para("  ", fmt.Sprintf("error: %s (step %d, %s)", pr.Error(), stepOf(pr.Field)+1, stepTitles[stepOf(pr.Field)]))
		}
		p.println("")
	}
	if notes := s.warnings(); len(notes) > 0 {
		p.println(wizard.WarningsLabel)
		for _, n := range notes {
			p.para("  ", "warning: "+n)
		}
		p.println("")
	}
	p.para("", wizard.PreviewCaution)
	p.println("")
}

// warnings are what the preview must repeat, worked out from the plan as
// it is now (a source or location changed since its step ran is checked
// again), plus what the steps learned from NIM.
func (s *session) warnings() []string {
	var out []string
	if s.plan.SourceKind() == nim.SourceDirectory && problemOf(s.plan, "source") == "" {
		r := wizard.InspectDir(s.cfg.Root, s.plan.Source)
		r.Dir = s.plan.Source
		if msg := wizard.DirRefusal(r, pickSubdir); msg != "" {
			out = append(out, msg)
		}
	}
	if problemOf(s.plan, "location") == "" {
		if w := s.spaceWarning(); w != "" {
			out = append(out, w)
		}
	}
	if s.plan.Dump && s.versionErr != nil {
		out = append(out, wizard.DumpVersionUnknown)
	}
	for _, d := range s.dropped {
		out = append(out, wizard.DroppedExtra(d))
	}
	return out
}

// save asks where to save the plan (default <PlanDir>/<name>.toml) and
// writes it with nim.SavePlan; an existing file is replaced only after a
// yes. errBack returns to the preview's menu.
func (s *session) save() (string, error) {
	p := s.p
	dir := s.cfg.PlanDir
	if dir == "" {
		dir = "."
	}
	def := wizard.DefaultPlanPath(dir, s.plan)
	name := s.plan.Name // for the hint when a directory is typed
	if name == "" {
		name = "plan"
	}
	explain := func() {
		p.para("", wizard.SaveExplain(dir))
	}
	for {
		path, err := p.ask(question{label: "Save the plan to", def: def, explain: explain})
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(path, "~") {
			p.say("error", "nimwiz does not expand ~: type the full path, or a name relative to "+dir)
			continue
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path) // the default's directory, so a bare name lands next to it
		}
		if fi, err := os.Stat(path); err == nil {
			if fi.IsDir() {
				p.say("error", fmt.Sprintf("%s is a directory: type a file name, such as %s", path, filepath.Join(path, name+".toml")))
				continue
			}
			ok, err := p.yesNo(path+" exists. Replace it?", false, nil)
			switch {
			case err == errBack:
				continue
			case err != nil:
				return "", err
			case !ok:
				p.println("Not replaced. Type another file name.")
				continue
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			p.say("error", fmt.Sprintf("cannot create the directory for %s: %v. Type another file name.", path, err))
			continue
		}
		if err := nim.SavePlan(path, s.plan); err != nil {
			p.say("error", fmt.Sprintf("%v. Type another file name.", err))
			continue
		}
		// Not wrapped: the path and the command are copied whole.
		p.println("ok: " + wizard.SavedText(path))
		p.println(wizard.RunLaterLabel + " " + wizard.ApplyCommand(path))
		if n := len(s.plan.Validate()); n > 0 {
			p.say("note", fmt.Sprintf("the plan has %d problem(s); nimwiz apply refuses it until they are fixed.", n))
		}
		return path, nil
	}
}
