package main

import (
	"fmt"
	"strings"

	"github.com/nimwiz/nimwiz/internal/job"
	uiapp "github.com/nimwiz/nimwiz/ui/app"
)

func init() {
	register(verb{
		name:    "attach",
		args:    "[JOB]",
		summary: "follow the running mknimimage job (or the one named; else the last one) on the run screen, or as a plain log with --plain",
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
		r, err := loadJob(store, args[0])
		if err != nil {
			return err
		}
		rec = r
	} else {
		r, err := jobToAttach(store)
		if err != nil {
			return err
		}
		rec = r
	}
	if a.plain {
		// The plain log (serial consoles, screen readers): the output as
		// lines, phases as lines, the same refusals as apply, the ending.
		fmt.Fprintf(a.stderr, "nimwiz: job %s (%s): %s\n", rec.ID, rec.State, strings.Join(rec.Argv, " "))
		g := job.NewGuard()
		defer g.Stop()
		return followJob(a, store, rec.ID, nil, g)
	}
	if err := needTerminal(a, "it is a full-screen view", fmt.Sprintf("Without one: 'nimwiz %sattach %s' follows it as a plain log, 'nimwiz %sjobs %s' shows the job, and its output is in %s", globalOpts(a, "--plain"), rec.ID, globalOpts(a), rec.ID, rec.LogPath())); err != nil {
		return err
	}
	cfg := wizardConfig(a)
	cfg.Start, cfg.Job = uiapp.StartRun, rec.ID
	return runWizard(a, cfg)
}

// jobToAttach is the job attach follows without an id: the running one,
// else the last one started (the one the admin just watched end).
func jobToAttach(store *job.Store) (job.Record, error) {
	r, ok, err := store.Running()
	if err != nil {
		return r, failure("%v", err)
	}
	if ok {
		return r, nil
	}
	all, err := store.List()
	if err != nil {
		return r, failure("%v", err)
	}
	for _, r := range all {
		if r.State != job.StateUnreadable {
			return r, nil
		}
	}
	return r, notFound("no mknimimage job has run here yet (%s is empty); start one with 'nimwiz create' or 'nimwiz apply FILE'", store.Dir)
}

// globalOpts is the global options in force, as the admin would type them
// before a verb ("--demo --state-dir DIR "), and extra; "" when none.
func globalOpts(a *app, extra ...string) string {
	var o []string
	if a.demo {
		o = append(o, "--demo")
	}
	if a.stateDirFlag {
		o = append(o, "--state-dir", shellWord(a.stateDir))
	}
	o = append(o, extra...)
	if len(o) == 0 {
		return ""
	}
	return strings.Join(o, " ") + " "
}

// shellWord quotes s for a command line the admin copies, when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '+' || r == ':' || r == ',' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
