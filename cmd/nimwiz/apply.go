package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/wizard"
)

func init() {
	register(verb{
		name:    "apply",
		args:    "FILE [--yes]",
		summary: "run mknimimage for a plan file as a detached job and follow its output",
		run:     runApply,
	})
}

// How often apply looks at the job's log and record: followSoon after it
// last found output, twice as long each time it finds none, up to
// followEvery. A flood is read as it comes, and its end (when the job's end
// is recorded) is seen within milliseconds, not a whole interval later.
const (
	followSoon  = 2 * time.Millisecond
	followEvery = 100 * time.Millisecond
)

// notLiveAfter is how long after its start a job whose live module has not
// reported is said to have delayed output (the module reports before
// mknimimage prints anything).
const notLiveAfter = 3 * time.Second

func runApply(a *app, args []string) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	yes := fs.Bool("yes", false, "run without asking (required when stdin is not a terminal)")
	fs.Usage = func() {
		fmt.Fprintln(a.stderr, "Usage: nimwiz apply FILE [--yes]")
		fs.PrintDefaults()
	}
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(files) != 1 {
		return usageError("give exactly one plan file, e.g. nimwiz apply 71cosi.toml --yes")
	}
	file := files[0]
	plan, err := nim.LoadPlan(file)
	if err != nil {
		return usageError("%v", err)
	}
	plan = plan.WithDefaults()
	probs := plan.Validate()
	if len(probs) == 0 {
		if _, err := a.exec.LookPath("mknimimage"); err != nil {
			return failure("%v; nothing was run", err)
		}
		// A job that holds the name says more than what NIM has under it.
		for _, name := range job.JobLocks(plan) {
			if b, err := job.NewStore(a.stateDir).NameBusy(name, a.exec); err != nil || b != nil {
				if err == nil {
					err = b
				}
				return failure("%v; nothing was run", err)
			}
		}
		// What only the master can tell, per kind.
		var err error
		probs, err = a.preflight(plan)
		if err != nil {
			return failure("%v; nothing was run", err)
		}
	}
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintf(a.stderr, "nimwiz: apply: %s: %s\n", file, p.Error())
		}
		return usageError("nothing was run; fix the plan and try again")
	}
	fmt.Fprintf(a.stderr, "nimwiz: command: %s\n", plan.CommandLine())
	if !*yes {
		if !isTerminal(a.stdin) {
			return usageError("stdin is not a terminal, so nimwiz cannot ask: add --yes to run the command above; nothing was run")
		}
		fmt.Fprint(a.stderr, wizard.YesNo(runQuestion(plan))+" ")
		if answer, _ := bufio.NewReader(a.stdin).ReadString('\n'); !wizard.Yes(answer) {
			return failure("not confirmed; nothing was run")
		}
	}

	// Hold the signals from here on: the job will be ours to protect.
	g := job.NewGuard()
	defer g.Stop()
	store := job.NewStore(a.stateDir)
	self, err := supervisorArgv(a)
	if err != nil {
		return failure("%v", err)
	}
	j, err := job.Start(store, a.exec, plan, self)
	if err != nil {
		return &exitError{startStatus(err), err}
	}
	fmt.Fprintf(a.stderr, "nimwiz: started job %s; output is kept in %s\n", j.ID, j.LogPath())
	fmt.Fprintf(a.stderr, "nimwiz: the job goes on if this terminal goes away; '%s' lists it, '%s' follows it again\n", a.command("jobs"), a.command("--plain", "attach", j.ID))
	return followJob(a, store, j.ID, j.Ended(), g)
}

// preflight is apply's check of a valid plan on the master, per kind, with
// what the admin should know before saying yes on stderr: for a create,
// the source and location on the master's disk, the resources the plan
// reuses and every name it creates; for an update, the image, its SPOT,
// the software and the nodes that use it (refused while any does), and the
// files the software names; for a copy, the old image and the new names,
// and the space the copy needs.
func (a *app) preflight(plan nim.Plan) ([]nim.Problem, error) {
	ctx, cancel := queryCtx()
	defer cancel()
	switch plan.PlanKind() {
	case nim.KindUpdate:
		uc, err := a.client.CheckUpdate(ctx, plan)
		if err != nil {
			return nil, err
		}
		probs := uc.Problems
		if len(uc.Software) > 0 {
			// The files it names, the definition's included.
			probs = append(probs, uc.SoftwarePlan(plan).CheckHost(a.hostRoot)...)
			var sw []string
			for _, k := range slices.Sorted(maps.Keys(uc.Software)) {
				sw = append(sw, k+"="+uc.Software[k])
			}
			fmt.Fprintf(a.stderr, "nimwiz: the update installs into the SPOT %s: %s\n", plan.Name, strings.Join(sw, " "))
		}
		if !uc.Use.InUse() && uc.Use.Known() {
			fmt.Fprintf(a.stderr, "nimwiz: no node uses %s: no xCAT node boots from it, NIM has it allocated to no client\n", plan.Name)
		}
		for _, w := range uc.Warnings {
			fmt.Fprintf(a.stderr, "nimwiz: %s\n", w)
		}
		return probs, nil
	case nim.KindCopy:
		probs := plan.CheckHost(a.hostRoot)
		cc, err := a.client.CheckCopy(ctx, plan)
		if err != nil {
			return nil, err
		}
		probs = append(probs, cc.Problems...)
		if cc.OldSpot.Name != "" {
			for _, l := range cc.CopySpace(plan, a.hostRoot, wizard.FreeSpace).Lines(plan) {
				fmt.Fprintf(a.stderr, "nimwiz: space: %s\n", l)
			}
		}
		if use := a.client.WhoUses(ctx, cc.Old); use.InUse() {
			fmt.Fprintf(a.stderr, "nimwiz: %s is in use (%s): the copy reads it only; move the nodes after updating the copy\n", plan.From, use.Describe())
		}
		return probs, nil
	}
	probs := plan.CheckHost(a.hostRoot)
	rprobs, err := a.client.CheckResources(ctx, plan)
	var nc nim.NameCheck
	if err == nil {
		// Every name the plan creates: mknimimage reuses what it finds.
		nc, err = a.client.CheckNames(ctx, plan)
	}
	if err != nil {
		return nil, err
	}
	probs = append(probs, rprobs...)
	probs = append(probs, nc.Problems...)
	for _, n := range nc.Names {
		if n.Reuse() && n.Object.Ready() {
			fmt.Fprintf(a.stderr, "nimwiz: NIM already has the %s %s (%s): mknimimage will reuse it as it is\n", n.Resource.Type, n.Resource.Name, n.Rstate())
		}
	}
	return probs, nil
}

// runQuestion asks to run the plan, saying when it can no longer be
// interrupted.
func runQuestion(p nim.Plan) string {
	switch p.PlanKind() {
	case nim.KindUpdate:
		return "Run it now? The whole update changes the SPOT: it cannot be interrupted once it starts."
	case nim.KindCopy:
		return "Run it now? It cannot be interrupted until its summary (the SPOT is copied in between)."
	}
	return "Run it now? Once SPOT creation starts it cannot be interrupted."
}

// startStatus is the exit status when a job did not start: 2 when the
// plan was refused (nothing was run), else 1.
func startStatus(err error) int {
	var pe *job.PlanError
	if errors.As(err, &pe) {
		return exitUsage
	}
	return exitFail
}

// supervisorArgv is how nimwiz re-executes itself as a job supervisor.
func supervisorArgv(a *app) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find the nimwiz executable to supervise the job: %w", err)
	}
	return []string{exe, "--state-dir", a.stateDir, "__supervise"}, nil
}

// followJob copies the job's output to stdout line by line from its log,
// reports phase changes on stderr, and answers signals: refused during a
// critical phase; outside one, SIGINT interrupts the job and SIGTERM,
// SIGQUIT and SIGHUP only stop following it (the job is detached and goes
// on). It returns the job's exit status once it ends; ended, if not nil,
// is closed when the end is recorded (see job.Job.Ended), so it is seen at
// once rather than at the next poll.
func followJob(a *app, store *job.Store, id string, ended <-chan struct{}, g *job.Guard) error {
	tail, err := store.OpenTail(id, 0)
	if err != nil {
		return failure("%v", err)
	}
	defer tail.Close()
	// Phases come from our own tracker over the lines we print, so each
	// phase message follows the line that started it; it is told the output
	// is live when the supervisor's record says so (same bytes, same
	// tracker). The supervisor's record decides refusals too.
	tr := nim.NewTracker(mustLoadPlan(store, id))
	// One write per batch read, not per line: per-line writes were half of
	// all CPU when mknimimage floods (docs/PERFORMANCE.md).
	bw := bufio.NewWriterSize(a.stdout, 64<<10)
	// A job that has already ended is replayed: its phases as lines, then
	// its ending; nothing is refused or accepted any more.
	var rec job.Record
	if rec, err = store.Load(id); err != nil {
		return failure("%v", err)
	}
	replay := rec.State.Ended()
	// Interrupts are refused until the output proves a phase they cannot
	// harm: said once at the start, then with each phase line, and when
	// they become accepted or refused again.
	switch {
	case replay:
		fmt.Fprintf(a.stderr, "nimwiz: job %s has ended (%s): its output, then how it ended\n", id, rec.State)
	case tr.Kind() == nim.KindUpdate:
		fmt.Fprintln(a.stderr, "nimwiz: interrupts are refused for the whole update: it changes the SPOT from its start to its end")
	case tr.Kind() == nim.KindCopy:
		fmt.Fprintln(a.stderr, "nimwiz: interrupts are refused until the copy's summary: the SPOT is copied and then changed (root password)")
	default:
		fmt.Fprintln(a.stderr, "nimwiz: interrupts are refused until mknimimage's output shows the lpp_source copy running; the SPOT is protected throughout")
	}
	const unsaid = "\x00"
	said := unsaid // the reason last said; "" when accepting
	warnedNotLive, toldSpot := false, false
	if rec.Live && !replay {
		tr.SetLive()
	}
	// protection says why interrupts are refused now ("" if they are not):
	// our tracker's reason once the output is known to be live (it is in
	// step with the lines printed), else the supervisor's record's.
	protection := func() string {
		if tr.Live() {
			return tr.Risk().Why()
		}
		if rec.Critical {
			return rec.CriticalWhy
		}
		if rec.ID == "" {
			return nim.RiskUnknown.Why()
		}
		return ""
	}
	report := func(phaseLine bool) {
		if replay {
			if phaseLine {
				fmt.Fprintf(a.stderr, "nimwiz: phase: %s\n", tr.Phase().String())
			}
			return
		}
		why := protection()
		if !tr.Phase().Before(nim.PhaseSummary) {
			g.SetCritical(false) // nothing left to interrupt
			why = ""
		} else {
			g.SetCritical(why != "")
		}
		if phaseLine && tr.Phase() == nim.PhaseSpot && !toldSpot {
			// It prints nothing for tens of minutes: say what to expect.
			toldSpot = true
			if h, err := store.HistoryBefore(nim.PhaseSpot, id); err == nil {
				defer fmt.Fprintf(a.stderr, "nimwiz: %s\n", h)
			}
		}
		switch {
		case phaseLine && why != "":
			fmt.Fprintf(a.stderr, "nimwiz: phase: %s (interrupts refused: %s)\n", tr.Phase().String(), why)
		case phaseLine:
			fmt.Fprintf(a.stderr, "nimwiz: phase: %s\n", tr.Phase().String())
		}
		if why == "" && said != "" && tr.Phase().Before(nim.PhaseSummary) {
			fmt.Fprintln(a.stderr, "nimwiz: interrupts are accepted now: the lpp_source copy runs, and Ctrl+C asks mknimimage to stop before the SPOT")
		} else if why != "" && said == "" && !phaseLine {
			fmt.Fprintf(a.stderr, "nimwiz: interrupts are refused again: %s\n", why)
		}
		said = why
		if !rec.Live && !warnedNotLive && rec.State == job.StateRunning && time.Since(rec.Started) > notLiveAfter {
			warnedNotLive = true
			fmt.Fprintf(a.stderr, "nimwiz: warning: %s\n", nim.RiskNotLive.Why())
		}
	}
	out := &lineWriter{w: bw, feed: func(b []byte) bool { return tr.FeedBytes(job.TrimLine(b)) }, changed: func() {
		bw.Flush() // the phase message follows its line
		report(true)
	}}
	wait := time.NewTimer(0)
	defer wait.Stop()
	every := followSoon
	interrupting := false
	check := true // read the record this time round
	for {
		n, _ := tail.ReadNew(out) // stdout errors (terminal gone) must not stop us
		bw.Flush()
		// The record is read only once output pauses or the end is
		// signalled: while output flows the job runs, and our own tracker
		// knows the phase.
		if n == 0 || check {
			check = false
			if rec, err = store.Load(id); err != nil {
				return failure("%v", err)
			}
			if rec.Live && !tr.Live() {
				tr.SetLive()
			}
			if rec.State.Ended() {
				// Record first, log second: all the output was in the log
				// before the end was recorded.
				tail.ReadNew(out)
				out.Flush()
				bw.Flush()
				return exitStatus(reportEnd(a, rec))
			}
			report(false)
		}
		if n > 0 {
			every = followSoon
		} else {
			every = min(2*every, followEvery)
		}
		wait.Reset(every)
		select {
		case <-wait.C:
			continue
		case <-ended:
			ended, check = nil, true
		case sig := <-g.C():
			if code, stop := onSignal(a, store, g, id, sig, protection(), &interrupting); stop {
				out.Flush()
				bw.Flush()
				return exitStatus(code)
			}
		}
	}
}

func mustLoadPlan(store *job.Store, id string) nim.Plan {
	rec, _ := store.Load(id)
	return rec.Plan
}

// onSignal decides what a signal to apply does; stop says apply should exit
// now with code. why is our own tracker's reason to refuse ("" if none).
func onSignal(a *app, store *job.Store, g *job.Guard, id string, sig os.Signal, why string, interrupting *bool) (code int, stop bool) {
	name := job.SignalName(sig)
	rec, err := store.Load(id)
	if err != nil {
		fmt.Fprintf(a.stderr, "nimwiz: %s: %v\n", name, err)
		return 0, false
	}
	if rec.State.Ended() {
		return 0, false // the loop reports the end
	}
	if why == "" && rec.Critical {
		why = rec.CriticalWhy
	}
	if why != "" {
		fmt.Fprintf(a.stderr, "nimwiz: %s refused: %s; interrupting now could leave a broken SPOT that a re-run silently reuses. mknimimage goes on.\n", name, why)
		return 0, false
	}
	if sig == syscall.SIGTSTP {
		// Caught only while a phase was critical: that has just passed.
		// Stop as ^Z asked (the job goes on); fg comes back here.
		g.Suspend()
		return 0, false
	}
	if sig != syscall.SIGINT {
		fmt.Fprintf(a.stderr, "nimwiz: %s: no longer following job %s; it goes on (follow it again: '%s'; log %s)\n", name, id, a.command("--plain", "attach", id), rec.LogPath())
		return 128 + int(sig.(syscall.Signal)), true
	}
	if *interrupting {
		fmt.Fprintln(a.stderr, "nimwiz: already stopping mknimimage; waiting for it to end")
		return 0, false
	}
	fmt.Fprintf(a.stderr, "nimwiz: SIGINT: asking mknimimage to stop (job %s)\n", id)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ev, err := store.Interrupt(ctx, id)
	switch {
	case err != nil:
		fmt.Fprintf(a.stderr, "nimwiz: %v\n", err)
	case ev.Action == job.ActionRefused:
		fmt.Fprintf(a.stderr, "nimwiz: SIGINT refused: %s; mknimimage goes on\n", ev.Why)
	default:
		*interrupting = true
	}
	return 0, false
}

// reportEnd says how the job ended (the same facts as the run screen's
// ending: summary and next steps, or errors, leftovers and cleanup) and
// returns apply's exit status.
func reportEnd(a *app, rec job.Record) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
	defer cancel()
	facts := ending.Gather(ctx, a.client, rec)
	fmt.Fprint(a.stderr, "nimwiz: "+ending.Plain(facts.Lines()))
	return ending.Status(rec)
}

// parseInterleaved parses flags that may come after positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// lineWriter passes whole lines through to w and feeds each (without its
// newline) to feed; when feed reports a change, what came up to and
// including that line is written before changed is called. A partial last
// line is held until it ends (or Flush). Lines are not copied or converted:
// a flood costs a scan for newlines and one write per batch. Write errors
// are dropped: the output is in the log.
type lineWriter struct {
	w       io.Writer
	feed    func(line []byte) bool
	changed func()
	partial []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	done := 0 // p[:done] is written
	for i := 0; i < len(p); {
		j := bytes.IndexByte(p[i:], '\n')
		if j < 0 {
			break
		}
		end := i + j // p[end] is the newline
		line := p[i:end]
		if len(l.partial) > 0 {
			// The line began in an earlier Write: write and feed it whole.
			l.partial = append(l.partial, p[i:end+1]...)
			l.w.Write(l.partial)
			line = l.partial[:len(l.partial)-1]
			done = end + 1
		}
		if l.feed(line) {
			if done < end+1 {
				l.w.Write(p[done : end+1])
				done = end + 1
			}
			l.changed()
		}
		l.partial = l.partial[:0]
		i = end + 1
	}
	// Whole lines not written yet, then hold the unfinished one.
	last := bytes.LastIndexByte(p, '\n') + 1
	if done < last {
		l.w.Write(p[done:last])
	}
	if last < len(p) {
		l.partial = append(l.partial, p[max(last, done):]...)
	}
	return n, nil
}

func (l *lineWriter) Flush() {
	if len(l.partial) > 0 {
		l.w.Write(l.partial)
		if l.feed(l.partial) {
			l.changed()
		}
		l.partial = l.partial[:0]
	}
}
