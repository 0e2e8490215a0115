package main

import (
	"fmt"

	"github.com/nimwiz/nimwiz/internal/job"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "attach",
		args:    "[JOB]",
		summary: "follow the running mknimimage job (or the one named) on the run screen",
		run:     runAttach,
	})
}

func runAttach(a *app, args []string) int {
	if len(args) > 1 || (len(args) == 1 && len(args[0]) > 0 && args[0][0] == '-') {
		fmt.Fprintln(a.stderr, "Usage: nimwiz attach [JOB]   (job ids: nimwiz jobs)")
		return exitUsage
	}
	store := job.NewStore(a.stateDir)
	var rec job.Record
	if len(args) == 1 {
		r, err := store.Load(args[0])
		if err != nil {
			fmt.Fprintf(a.stderr, "nimwiz: attach: %v\n", err)
			return exitUsage
		}
		rec = r
	} else {
		r, ok, err := store.Running()
		if err != nil {
			fmt.Fprintf(a.stderr, "nimwiz: attach: %v\n", err)
			return exitFail
		}
		if !ok {
			fmt.Fprintln(a.stderr, "nimwiz: attach: no mknimimage job is running; 'nimwiz jobs' lists the earlier ones, and 'nimwiz attach ID' shows one of them")
			return exitFail
		}
		rec = r
	}
	if !isTerminal(a.stdin) || !isTerminal(a.stdout) {
		fmt.Fprintf(a.stderr, "nimwiz: attach: needs a terminal on stdin and stdout (it is a full-screen view).\n"+
			"Without one: 'nimwiz jobs %s' shows the job, and its output is in %s\n", rec.ID, rec.LogPath())
		return exitUsage
	}
	cfg := wizardConfig(a)
	cfg.Start, cfg.Job = uiapp.StartRun, rec.ID
	return runWizard(a, cfg)
}
