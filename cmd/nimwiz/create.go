package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "create",
		args:    "[--from OSIMAGE | --plan FILE]",
		summary: "define a diskless or dataless osimage step by step (full screen)",
		run:     runCreate,
	})
}

func runCreate(a *app, args []string) int {
	fs := flag.NewFlagSet("nimwiz create", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	from := fs.String("from", "", "prefill every step from this existing osimage")
	planFile := fs.String("plan", "", "open at the preview of this saved plan (TOML)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "nimwiz create: unexpected argument %q; the wizard asks for the name\n", fs.Arg(0))
		return exitUsage
	}
	if *from != "" && *planFile != "" {
		fmt.Fprintln(a.stderr, "nimwiz create: use --from or --plan, not both")
		return exitUsage
	}
	if a.plain {
		return runPlainCreate(a, *from, *planFile)
	}
	if code, ok := needTerminal(a, "create"); !ok {
		return code
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartCreate
	if *from != "" {
		if err := nim.ValidName(*from); err != nil {
			fmt.Fprintf(a.stderr, "nimwiz create --from: %v\n", err)
			return exitUsage
		}
		cfg.From = *from
	}
	if *planFile != "" {
		p, err := nim.LoadPlan(*planFile)
		if err != nil {
			fmt.Fprintf(a.stderr, "nimwiz create --plan: %v\n", err)
			return exitUsage
		}
		cfg.Plan, cfg.Start = p, uiapp.StartPreview
	}
	return runWizard(a, cfg)
}

// needTerminal refuses to start the full-screen UI without a terminal on
// stdin and stdout (a pipe, cron, ssh without -t): Bubble Tea would fail or
// hang there. Exit 2: nothing was run.
func needTerminal(a *app, verbName string) (int, bool) {
	if isTerminal(a.stdin) && isTerminal(a.stdout) {
		if !a.demo {
			// Say it once, up front, rather than on every screen's query.
			if err := preflight(a.exec); err != nil {
				fmt.Fprintf(a.stderr, "nimwiz %s: %v\n", verbName, err)
				return exitFail, false
			}
		}
		return exitOK, true
	}
	fmt.Fprintf(a.stderr, "nimwiz %s: needs a terminal on stdin and stdout (this is a full-screen wizard).\n"+
		"To create an osimage from a script, write a plan file (or save one from the wizard elsewhere) and run: nimwiz apply FILE\n", verbName)
	return exitUsage, false
}

func isTerminal(v any) bool {
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
		Env: steps.Env{
			NIM:  a.client,
			Root: a.hostRoot,
		},
		Demo:    a.demo,
		PlanDir: filepath.Clean(dir),
		Browse:  browseEnv(a),
	}
}

// runWizard runs the root model in one program for the whole flow.
func runWizard(a *app, cfg uiapp.Config) int {
	ui.ApplyTheme(a.theme)
	m := uiapp.New(cfg)
	// Default signal handling: nothing changes on the master before the
	// final confirmation, so an interrupt here is always safe.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(a.stdin.(*os.File)), tea.WithOutput(a.stdout.(*os.File)))
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintf(a.stderr, "nimwiz: %v\n", err)
		return exitFail
	}
	fm, ok := final.(*uiapp.Model)
	if !ok {
		return exitFail
	}
	r := fm.Result()
	if msg := uiapp.DoneMessage(r); msg != "" {
		fmt.Fprintln(a.stdout, msg)
		return exitOK
	}
	if r.Interrupted || errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(a.stderr, "nimwiz: stopped; nothing was changed on the NIM master.")
		return 130
	}
	return exitOK
}
