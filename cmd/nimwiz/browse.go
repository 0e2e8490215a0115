package main

import (
	"fmt"

	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "browse",
		summary: "browse the osimages with their NIM details; check, copy, update, re-create, change, remove; service nodes (full screen)",
		run:     runBrowse,

		fullScreen: true,
	})
}

func runBrowse(a *app, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q; to see one osimage from a script: nimwiz show NAME", args[0])
	}
	if a.plain {
		fmt.Fprintln(a.stderr, "nimwiz browse: plain mode lists the osimages; see one with: nimwiz show NAME")
		return runList(a, nil)
	}
	if err := needTerminal(a, "this is a full-screen browser", "From a script use: nimwiz list [--json], nimwiz show NAME [--json]"); err != nil {
		return err
	}
	if err := checkMaster(a); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartBrowse
	return runWizard(a, cfg)
}
