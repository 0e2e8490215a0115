// Package plain is the create wizard as line-by-line prompts, for screen
// readers, serial consoles (the HMC virtual console of an AIX LPAR) and
// TERM=dumb: the same seven steps, texts and checks as the full-screen
// wizard (package wizard, which package steps renders full-screen), asked as numbered questions over a plain io.Reader and
// io.Writer. One question per line, no cursor movement, no colour, nothing
// redrawn; every question takes b (back), q (quit) and ? (explain again).
//
// It only builds the plan. Running it is the caller's: Create returns
// ActionRun once the admin confirmed, and the caller hands the plan to the
// same job runner as `nimwiz apply` (its refusals of signals included).
package plain

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/wizard"
)

// Config is what the prompts need from the command line.
type Config struct {
	NIM wizard.NIM
	// Root prefixes host paths for the local checks (image directories,
	// free space): the demo's simulated host root, "" on a real master.
	Root string
	// FreeSpace returns the bytes available on the filesystem holding a
	// path (already under Root); nil means wizard.FreeSpace (statfs).
	FreeSpace func(path string) (uint64, error)
	Demo      bool // say first that this is a simulation
	In        io.Reader
	Out       io.Writer
	// Echo writes each answer after its prompt. Set it when In is not a
	// terminal (a script, a test), whose answers nothing else shows.
	Echo bool
	// PlanDir is where plans are saved by default ("" = current directory).
	PlanDir string
	// From is an osimage to prefill every step from (create --from): it is
	// read with lsdef, its name is not offered, suggestions start from it.
	From string
	// Preview opens at the preview (create --plan FILE): the start plan is
	// shown at once, and the admin may still go back to any step.
	Preview bool
	// Busy, when set, says why osimage name is held by a running nimwiz
	// job (wizard.NameBusy), or "": the preview refuses it with the job.
	Busy func(name string) string
}

// Action is what the admin chose at the end.
type Action int

const (
	ActionQuit Action = iota // quit (or input ended): nothing was changed
	ActionSave               // the plan was saved to Choice.Path
	ActionRun                // create now: the admin confirmed running mknimimage
)

func (a Action) String() string {
	switch a {
	case ActionSave:
		return "save"
	case ActionRun:
		return "run"
	}
	return "quit"
}

// Choice is how the wizard ended.
type Choice struct {
	Action Action
	Path   string // with ActionSave: where the plan was written
}

// Step numbers, in the order asked.
const (
	stepName = iota
	stepSource
	stepNodeType
	stepLocation
	stepDump
	stepExtras
	stepPreview
	numSteps
)

var stepTitles = [numSteps]string{"Name", "Source", "Node type", "Location", "Dump", "Extra resources", "Preview"}

// Create asks the seven steps' questions and returns the plan and what the
// admin chose at the end. start prefills the answers (a --plan file; zero
// for none). The plan returned with ActionRun or ActionSave has no
// Validate problems for ActionRun, and is what was saved for ActionSave.
// When input ends it returns ActionQuit and an error wrapping
// ErrInputEnded; a query that fails is offered again (r) or ends the
// wizard (q, ActionQuit and no error). Nothing is ever run on the master.
func Create(ctx context.Context, cfg Config, start nim.Plan) (nim.Plan, Choice, error) {
	s := &session{
		cfg:  cfg,
		ctx:  ctx,
		p:    &prompter{in: bufio.NewReader(cfg.In), out: cfg.Out, echo: cfg.Echo},
		plan: start.WithDefaults(),
	}
	return s.run()
}

// session is one run of the wizard.
type session struct {
	cfg  Config
	ctx  context.Context
	p    *prompter
	plan nim.Plan
	from string // the osimage copied from (--from), for name suggestions

	// What the steps learned that the preview must repeat.
	version     nim.Version
	versionErr  error    // the xCAT version could not be read
	versionRead bool     // version is the answer
	dropped     []string // prefilled attr=value no longer in NIM
	extrasSeen  bool     // the extras step ran once (dropped is known)
	nameFree    string   // the last name NIM said is free

	// The preview's pre-flight of the names (wizard.CheckNames).
	names    *nim.NameCheck
	namesErr error
}

func (s *session) run() (nim.Plan, Choice, error) {
	p := s.p
	if s.cfg.Demo {
		p.println("DEMO: this is a simulation. The NIM master here is simulated; nothing is created on a real one.")
	}
	p.println("nimwiz: create an xCAT osimage for diskless or dataless AIX nodes (mknimimage).")
	p.println("Nothing changes on the NIM master until you choose \"Create now\" at the end and confirm.")
	p.para("", keysLine)

	if s.cfg.From != "" {
		if err := s.loadFrom(); err != nil {
			return s.end(err)
		}
	}
	i, jump := stepName, false
	if s.cfg.Preview {
		i = stepPreview
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return s.end(err)
		}
		if i == stepPreview {
			c, to, err := s.preview()
			switch {
			case errors.Is(err, errBack):
				i = stepExtras
				jump = false
				continue
			case err != nil:
				return s.end(err)
			case to >= 0:
				i, jump = to, true
				continue
			}
			return s.plan, c, nil
		}
		p.println("")
		p.printf("Step %d of %d: %s\n", i+1, numSteps, stepTitles[i])
		err := s.step(i)
		switch {
		case err == nil && jump:
			i = stepPreview
		case err == nil:
			i++
		case errors.Is(err, errBack):
			if i > 0 {
				i--
			}
		default:
			return s.end(err)
		}
	}
}

func (s *session) step(i int) error {
	switch i {
	case stepName:
		return s.askName()
	case stepSource:
		return s.askSource()
	case stepNodeType:
		return s.askNodeType()
	case stepLocation:
		return s.askLocation()
	case stepDump:
		return s.askDump()
	case stepExtras:
		return s.askExtras()
	}
	return fmt.Errorf("no step %d", i)
}

// end reports a quit, the end of input, or another error.
func (s *session) end(err error) (nim.Plan, Choice, error) {
	switch {
	case errors.Is(err, errQuit):
		s.p.println("Quit: nothing was changed on the NIM master.")
		return s.plan, Choice{Action: ActionQuit}, nil
	case errors.Is(err, ErrInputEnded):
		s.p.println("Input ended: quitting. Nothing was changed on the NIM master.")
		return s.plan, Choice{Action: ActionQuit}, err
	}
	s.p.say("error", fmt.Sprintf("%v. Nothing was changed on the NIM master.", err))
	return s.plan, Choice{Action: ActionQuit}, err
}

// loadFrom reads the --from osimage and prefills the plan from it.
func (s *session) loadFrom() error {
	var o nim.Osimage
	err := s.query("read osimage "+s.cfg.From, nim.DefinitionCommand(s.cfg.From), true, false, func(ctx context.Context) error {
		var err error
		o, err = s.cfg.NIM.Osimage(ctx, s.cfg.From)
		return err
	})
	if errors.Is(err, errSkip) {
		s.p.para("", fmt.Sprintf("Going on without osimage %s: every answer starts empty.", s.cfg.From))
		return nil
	}
	if err != nil {
		return err
	}
	s.plan = nim.PlanFromOsimage(o).WithDefaults()
	s.plan.Name = "" // that name is taken; the name step offers a free one
	s.from = o.Name
	s.p.para("", fmt.Sprintf("Every answer starts from osimage %s; Enter keeps it.", o.Name))
	return nil
}

// query runs f, saying first what it asks (so a slow answer on a serial
// console is not a silent wait). When it fails it names the command and
// asks: r to try again, b to go back (unless first), q to quit, and with
// canSkip c to continue without the answer (errSkip).
func (s *session) query(what, command string, first, canSkip bool, f func(ctx context.Context) error) error {
	for {
		s.p.printf("Asking: %s\n", command)
		ctx, cancel := context.WithTimeout(s.ctx, 2*nim.DefaultQueryTimeout)
		err := f(ctx)
		cancel()
		if err == nil {
			return nil
		}
		// The client's errors start with the argv that failed; a bare
		// error (a fake, a context) gets the command named here.
		msg := err.Error()
		if !strings.HasPrefix(msg, strings.Fields(command)[0]+" ") {
			msg = command + " failed: " + msg
		}
		s.p.say("error", fmt.Sprintf("could not %s: %s", what, msg))
		opts := "Type r to try again, b to go back, or q to quit (nothing has been changed)."
		switch {
		case first && canSkip:
			opts = "Type r to try again, c to continue without it, or q to quit (nothing has been changed)."
		case first:
			opts = "Type r to try again, or q to quit (nothing has been changed)."
		case canSkip:
			opts = "Type r to try again, c to continue without it, b to go back, or q to quit (nothing has been changed)."
		}
		s.p.para("", opts)
		for {
			ans, err := s.p.ask(question{label: "Retry", def: "r", noBack: first, explain: func() { s.p.para("", opts) }})
			if err != nil {
				return err
			}
			switch {
			case ans == "r" || ans == "R" || ans == "retry":
			case canSkip && (ans == "c" || ans == "C"):
				return errSkip
			default:
				s.p.say("error", fmt.Sprintf("%q: %s", ans, opts))
				continue
			}
			break
		}
	}
}
