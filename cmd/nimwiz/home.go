package main

import (
	"fmt"

	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "home",
		summary: "the home screen: create or browse osimages (what a bare nimwiz opens)",
		run:     runHome,
	})
}

func runHome(a *app, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(a.stderr, "nimwiz home: unexpected argument %q\n", args[0])
		return exitUsage
	}
	if a.plain {
		fmt.Fprintln(a.stdout, "nimwiz (plain mode): create an osimage. To see the osimages this master has: nimwiz list, nimwiz show NAME.")
		return runPlainCreate(a, "", "")
	}
	if code, ok := needTerminal(a, "home"); !ok {
		return code
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartHome
	return runWizard(a, cfg)
}
