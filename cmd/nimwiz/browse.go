package main

import (
	"fmt"

	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "browse",
		summary: "browse the osimages with their NIM details; re-create, remove, change (full screen)",
		run:     runBrowse,
	})
}

func runBrowse(a *app, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(a.stderr, "nimwiz browse: unexpected argument %q; to see one osimage from a script: nimwiz show NAME\n", args[0])
		return exitUsage
	}
	if a.plain {
		fmt.Fprintln(a.stderr, "nimwiz browse: plain mode lists the osimages; see one with: nimwiz show NAME")
		return runList(a, nil)
	}
	if !isTerminal(a.stdin) || !isTerminal(a.stdout) {
		fmt.Fprintln(a.stderr, "nimwiz browse: needs a terminal on stdin and stdout (this is a full-screen browser).\n"+
			"From a script use: nimwiz list [--json], nimwiz show NAME [--json]")
		return exitUsage
	}
	if !a.demo {
		if err := preflight(a.exec); err != nil {
			fmt.Fprintf(a.stderr, "nimwiz browse: %v\n", err)
			return exitFail
		}
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartBrowse
	return runWizard(a, cfg)
}
