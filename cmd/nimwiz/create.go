package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
	"github.com/nimwiz/nimwiz/ui/jobs"
	runs "github.com/nimwiz/nimwiz/ui/run"
)

func init() {
	register(verb{
		name:    "create",
		args:    "[--from OSIMAGE | --plan FILE]",
		summary: "define a diskless or dataless osimage step by step (full screen)",
		run:     runCreate,

		fullScreen: true,
	})
}

func runCreate(a *app, args []string) error {
	fs := flag.NewFlagSet("nimwiz create", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	from := fs.String("from", "", "prefill every step from this existing osimage")
	planFile := fs.String("plan", "", "open at the preview of this saved plan (TOML)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q; the wizard asks for the name", fs.Arg(0))
	}
	if *from != "" && *planFile != "" {
		return usageError("use --from or --plan, not both")
	}
	if a.plain {
		return runPlainCreate(a, *from, *planFile)
	}
	if err := needTerminal(a, "this is a full-screen wizard", scriptHint()); err != nil {
		return err
	}
	if err := checkMaster(a); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartCreate
	if *from != "" {
		if err := nim.ValidName(*from); err != nil {
			return usageError("--from: %v", err)
		}
		cfg.From = *from
	}
	if *planFile != "" {
		p, err := nim.LoadPlan(*planFile)
		if err != nil {
			return usageError("--plan: %v", err)
		}
		cfg.Plan, cfg.Start = p, uiapp.StartPreview
	}
	return runWizard(a, cfg)
}

// needTerminal refuses to start the full-screen UI without a terminal on
// stdin and stdout (a pipe, cron, ssh without -t): Bubble Tea would fail or
// hang there. Exit 2: nothing was run. what says what the screen is, hint
// what to do without one.
func needTerminal(a *app, what, hint string) error {
	if isTerminal(a.stdin) && isTerminal(a.stdout) {
		return nil
	}
	return usageError("needs a terminal on stdin and stdout (%s).\n%s", what, hint)
}

// scriptHint is what to do instead of the full-screen wizard, with the
// global options in force.
func scriptHint() string {
	return "To create an osimage from a script, write a plan file (or save one from the wizard elsewhere) and run: " + hint.Command("apply", "FILE")
}

// checkMaster, on a real master, says once and up front (rather than on
// every screen's query) what keeps nimwiz from working here (preflight).
func checkMaster(a *app) error {
	if a.demo {
		return nil
	}
	if err := preflight(a.exec); err != nil {
		return failure("%v", err)
	}
	return nil
}

func isTerminal(v any) bool {
	if u, ok := v.(interface{ Unwrap() io.Writer }); ok {
		v = u.Unwrap() // the sanitizer around stdout
	}
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// wizardConfig is the root model's configuration for a's NIM master.
func wizardConfig(a *app) uiapp.Config {
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return uiapp.Config{
		// The browser's removal and chdef run through the same executor as
		// every query, without the query timeout (nim.ExecRunner).
		Services: uiapp.Services{NIM: a.client, Run: nim.ExecRunner{Exec: a.exec}, Jobs: job.NewStore(a.stateDir).Using},
		Env:      steps.Env{Root: a.hostRoot},
		Demo:     a.demo,
		PlanDir:  filepath.Clean(dir),
	}
}

// jobsEvery is how often the Jobs screen reads the store while shown.
const jobsEvery = 2 * time.Second

// runWizard runs the root model in one program for the whole flow: the
// wizard, then the run screen of the job it starts (or, with
// cfg.Start == StartRun, the run screen of cfg.Job).
//
// Signals are nimwiz's own for the whole program: Bubble Tea's handler
// stops after the first signal, so the second would kill nimwiz in the
// middle of a SPOT creation (tui-bubbletea §0.1). A job.Guard holds SIGINT,
// SIGTERM, SIGQUIT and SIGHUP until exit and hands each to the model.
func runWizard(a *app, cfg uiapp.Config) error {
	ui.ApplyTheme(a.theme)
	store := job.NewStore(a.stateDir)
	g := job.NewGuard()
	defer g.Stop()
	cfg.Run = runs.Config{Store: store, Client: a.client, HostRoot: a.hostRoot, Guard: g, Command: commandArgv(a.demo, a.stateDirFlag)}
	cfg.Jobs = jobs.Config{List: store.List, Every: jobsEvery}
	if cfg.OnCreate == nil {
		if self, err := supervisorArgv(a); err == nil {
			cfg.OnCreate = func(p nim.Plan) tea.Cmd { return runs.StartCmd(store, a.exec, p, self) }
		}
	}
	m := uiapp.New(cfg)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithoutSignalHandler(),
		tea.WithInput(a.stdin.(*os.File)), tea.WithOutput(rawOut(a).(*os.File)))
	go func() {
		for sig := range g.C() {
			p.Send(runs.SignalMsg{Sig: sig}) // a no-op once the program ended
		}
	}()
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintf(a.stderr, "nimwiz: %v\n", err)
		if fm, ok := final.(*uiapp.Model); ok {
			if r := fm.Result(); r.Run != nil && r.Run.JobID != "" {
				reportRun(a, *r.Run)
			}
		}
		return exitStatus(exitFail)
	}
	fm, ok := final.(*uiapp.Model)
	if !ok {
		return exitStatus(exitFail)
	}
	r := fm.Result()
	if r.Run != nil {
		return reportRun(a, *r.Run)
	}
	if msg := uiapp.DoneMessage(r); msg != "" {
		fmt.Fprintln(a.stdout, msg)
		return nil
	}
	if r.Interrupted || errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(a.stderr, "nimwiz: stopped; nothing was changed on the NIM master.")
		return exitStatus(exitInterrupted)
	}
	return nil
}

// reportRun says, after the full screen is gone, how the run screen was
// left: the ending (with the cleanup commands to copy), or how to come back
// to a job that goes on.
func reportRun(a *app, r runs.Result) error {
	switch {
	case r.StartErr != nil:
		fmt.Fprintf(a.stderr, "nimwiz: mknimimage was not started: %v\n", r.StartErr)
		return exitStatus(startStatus(r.StartErr))
	case r.JobID == "":
		fmt.Fprintln(a.stderr, "nimwiz: stopped; nothing was changed on the NIM master.")
		return nil
	case r.Ended:
		text := r.Ending
		if text == "" {
			ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
			text = ending.Plain(ending.Gather(ctx, a.client, r.Record).Lines())
			cancel()
		}
		fmt.Fprint(a.stdout, text)
		return exitStatus(ending.Status(r.Record))
	}
	// Detached: the job goes on.
	fmt.Fprintf(a.stdout, "nimwiz: job %s goes on without this screen (osimage %s). Follow it again with:\n  %s\nIts output is kept in %s\n",
		r.JobID, r.Record.Name, a.command("attach", r.JobID), r.LogPath)
	if r.Signal != "" {
		if sig, ok := signalNumber(r.Signal); ok {
			return exitStatus(128 + sig)
		}
	}
	return nil
}

func signalNumber(name string) (int, bool) {
	for _, s := range job.GuardedSignals {
		if job.SignalName(s) == name {
			if n, ok := s.(syscall.Signal); ok {
				return int(n), true
			}
		}
	}
	return 0, false
}
