package main

import (
	"fmt"
	"strings"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/internal/job"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "attach",
		args:    "[JOB]",
		summary: "follow the running mknimimage job (or the one named, or the last one) on the run screen; with --plain as a log",
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
			return loadError(err)
		}
		rec = r
	} else {
		r, ok, err := store.Running()
		if err != nil {
			return failure("%v", err)
		}
		if !ok {
			// None runs: the last one, to see how it ended.
			all, err := store.List()
			if err != nil {
				return failure("%v", err)
			}
			if len(all) == 0 {
				return failure("no mknimimage jobs yet in %s: create an osimage first ('%s')", store.Dir, a.command("create"))
			}
			r = all[0]
		}
		rec = r
	}
	if a.plain {
		return attachPlain(a, store, rec)
	}
	if err := needTerminal(a, "it is a full-screen view", fmt.Sprintf("Without one: '%s' follows the job as a log, '%s' shows it, and its output is in %s", a.command("--plain", "attach", rec.ID), a.command("jobs", rec.ID), rec.LogPath())); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start, cfg.Job = uiapp.StartRun, rec.ID
	return runWizard(a, cfg)
}

// attachPlain follows a job as apply does (plain mode: serial consoles,
// screen readers): its output from the start, phases as lines, the same
// refusals of signals while the SPOT is at risk, and the ending.
func attachPlain(a *app, store *job.Store, rec job.Record) error {
	if rec.State == job.StateUnreadable {
		return failure("job %s cannot be read: %s", rec.ID, rec.Error)
	}
	g := job.NewGuard()
	defer g.Stop()
	fmt.Fprintf(a.stderr, "nimwiz: job %s (osimage %s, %s); output kept in %s\n", rec.ID, rec.Name, rec.State, rec.LogPath())
	if !rec.State.Ended() {
		fmt.Fprintf(a.stderr, "nimwiz: the job goes on if this terminal goes away; come back with '%s'\n", a.command("--plain", "attach", rec.ID))
	}
	return followJob(a, store, rec.ID, nil, g)
}

// command is how the admin runs nimwiz with args and the global options in
// force (--demo, --state-dir), for every hint nimwiz prints: a hint without
// them would look at another state directory, or the real master.
// A leading "--plain" in args is kept among the global options.
func (a *app) command(args ...string) string {
	// The same words as package hint's (the wizard's hints): its globals
	// are set from these options in setUp.
	return strings.Join(commandArgv(a.demo, a.stateDirFlag, args...), " ")
}

// commandArgv is command as words (each shell-quoted where needed), built
// by package hint like every other hint.
func commandArgv(demo bool, stateDir string, args ...string) []string {
	return hint.Words(hint.Options(demo, stateDir), args...)
}
