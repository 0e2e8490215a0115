package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
)

func init() {
	register(verb{
		name:    "jobs",
		args:    "[--json] [ID]",
		summary: "list mknimimage jobs, or show one",
		run:     runJobs,
	})
}

func runJobs(a *app, args []string) error {
	fs := flag.NewFlagSet("jobs", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the job records as JSON")
	ids, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	store := job.NewStore(a.stateDir)
	var recs []job.Record
	switch len(ids) {
	case 0:
		if recs, err = store.List(); err != nil {
			return failure("%v", err)
		}
	case 1:
		r, err := store.Load(ids[0])
		if err != nil {
			return loadError(err)
		}
		recs = []job.Record{r}
	default:
		return usageError("give at most one job id")
	}
	if *asJSON {
		out := make([]jobJSON, 0, len(recs))
		for _, r := range recs {
			out = append(out, jobOut(r))
		}
		if len(ids) == 1 {
			return writeJSON(a, out[0])
		}
		return writeJSON(a, out)
	}
	if len(ids) == 1 {
		printJob(a, recs[0])
		return nil
	}
	if len(recs) == 0 {
		fmt.Fprintf(a.stdout, "No jobs in %s.\n", store.Dir)
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOSIMAGE\tSTATE\tPHASE\tSTARTED\tENDED")
	for _, r := range recs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, stateText(r), r.PhaseText(), stamp(r.Started), stamp(r.Ended))
	}
	tw.Flush()
	return nil
}

// loadError is the exit of a job that could not be loaded: an id of no
// job is 1, like an unknown osimage name in show and check; a malformed
// id is bad input, 2.
func loadError(err error) error {
	var nj *job.NoJobError
	if errors.As(err, &nj) {
		return failure("%v", err)
	}
	return usageError("%v", err)
}

func stateText(r job.Record) string {
	s := string(r.State)
	switch {
	case r.State == job.StateFailed && r.ExitCode > 0:
		s = fmt.Sprintf("failed (%d)", r.ExitCode)
	case r.State == job.StateInterrupted && r.Interrupted.IsZero():
		s = "interrupted (not by nimwiz)"
	case r.State == job.StateUnreadable:
		s = "unreadable (" + r.Dir + ": " + r.Error + ")"
	}
	if r.Busy() && r.State.Ended() {
		s += ", NIM may still be working"
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func printJob(a *app, r job.Record) {
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("id", r.ID)
	row("osimage", r.Name)
	row("command", strings.Join(r.Argv, " "))
	row("state", stateText(r))
	row("phase", r.PhaseText())
	row("started", stamp(r.Started))
	row("ended", stamp(r.Ended))
	if r.Critical && !r.State.Ended() {
		row("interrupts", "refused: "+r.CriticalWhy)
	}
	if !r.State.Ended() {
		row("output live", fmt.Sprint(r.Live))
	}
	if r.State.Ended() && r.State != job.StateLost {
		row("exit status", fmt.Sprint(r.ExitCode))
	}
	if r.Verified != "" {
		row("verified", r.Verified)
	}
	if r.VerifyError != "" {
		row("not proven", r.VerifyError)
	}
	if r.Busy() {
		row("name", r.Name+" stays taken: NIM may still be working for this job")
	}
	for _, act := range r.Activity {
		row("NIM working", act)
	}
	if r.SettleError != "" {
		row("settle error", r.SettleError)
	}
	if !r.Settled.IsZero() {
		row("NIM quiet since", stamp(r.Settled))
		row("NIM showed", r.After)
	}
	row("supervisor pid", fmt.Sprint(r.SupervisorPID))
	row("mknimimage pid", fmt.Sprint(r.ChildPID))
	row("log", fmt.Sprintf("%s (%d bytes)", r.LogPath(), r.LogBytes))
	if r.LogError != "" {
		row("log error", fmt.Sprintf("%s (%d bytes lost)", r.LogError, r.LogDropped))
	}
	if r.Error != "" {
		row("error", r.Error)
	}
	for _, ev := range r.Events {
		line := fmt.Sprintf("%s %s during %s: %s", stamp(ev.Time), ev.Signal, ev.Phase, ev.Action)
		if ev.Why != "" {
			line += " (" + ev.Why + ")"
		}
		row("signal", line)
	}
	tw.Flush()
}
