package main

import (
	"fmt"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/internal/job"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "attach",
		args:    "[JOB]",
		summary: "follow the running mknimimage job (or the one named) on the run screen",
		run:     runAttach,

		fullScreen: true,
	})
}

func runAttach(a *app, args []string) error {
	if len(args) > 1 || (len(args) == 1 && len(args[0]) > 0 && args[0][0] == '-') {
		fmt.Fprintln(a.stderr, "Usage: nimwiz attach [JOB]   (job ids: nimwiz jobs)")
		return exitStatus(exitUsage)
	}
	store := job.NewStore(a.stateDir)
	var rec job.Record
	if len(args) == 1 {
		r, err := store.Load(args[0])
		if err != nil {
			return usageError("%v", err)
		}
		rec = r
	} else {
		r, ok, err := store.Running()
		if err != nil {
			return failure("%v", err)
		}
		if !ok {
			return failure("no mknimimage job is running; '%s' lists the earlier ones, and '%s' shows one of them", hint.Command("jobs"), hint.Command("attach", "ID"))
		}
		rec = r
	}
	if err := needTerminal(a, "it is a full-screen view", fmt.Sprintf("Without one: '%s' shows the job, and its output is in %s", hint.Command("jobs", rec.ID), rec.LogPath())); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start, cfg.Job = uiapp.StartRun, rec.ID
	return runWizard(a, cfg)
}
