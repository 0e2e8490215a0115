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

		fullScreen: true,
	})
}

func runHome(a *app, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q", args[0])
	}
	if a.plain {
		fmt.Fprintf(a.stdout, "nimwiz (plain mode): create an osimage. To see the osimages this master has: %s, %s. The jobs: %s; follow one: %s.\n",
			a.command("list"), a.command("show", "NAME"), a.command("jobs"), a.command("--plain", "attach")+" [ID]")
		return runPlainCreate(a, "", "")
	}
	if err := needTerminal(a, "this is a full-screen wizard", scriptHint()); err != nil {
		return err
	}
	if err := checkMaster(a); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start = uiapp.StartHome
	return runWizard(a, cfg)
}
