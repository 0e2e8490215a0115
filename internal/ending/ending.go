// Package ending says how a mknimimage job ended, once, for every screen:
// on success the osimage definition from the summary, the Rstate of each of
// its resources and the next steps; on failure the error lines, what is left
// on the NIM master and the exact commands to clean it up. Gather collects
// the facts (the log, one lsnim -l, one lsdef); Lines renders them as kinds
// of lines that the run screen styles and apply prints as they are (Plain).
package ending

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// MaxLog is how much of the end of the log is searched for the summary and
// the error lines; mknimimage prints both last. Bounded so that a flooded
// log does not cost its size in memory (8 MiB here cost 40 MB of heap).
const MaxLog = 1 << 20

// maxMessages bounds the error lines shown.
const maxMessages = 20

// Facts are what is known about an ended job.
type Facts struct {
	Rec        job.Record
	Summary    nim.Osimage // the definition mknimimage printed
	HasSummary bool
	Messages   []nim.Message // errors and warnings in the output, at most 20
	MoreMsgs   int           // messages left out
	LogErr     error         // the log could not be read

	Asked    []string     // the resources asked about (one lsnim -l)
	Objects  []nim.Object // those NIM has
	Missing  []string     // those NIM does not have
	QueryErr error        // lsnim failed; Objects/Missing may be partial

	DefExists bool  // the xCAT osimage definition exists (failures only)
	DefErr    error // lsdef failed: DefExists unknown

	Reasons []nim.NimReason // NIM's own words on a failure (mknimimage -V)

	Cleanup []nim.CleanupStep // failures: what to run before a re-run

	// The day-two facts (kinds.go).
	Kind       nim.PlanKind
	Def        nim.Osimage         // the definition, when it exists after a failure
	Complete   *nim.CompleteAdvice // a failed create (or copy) whose definition exists: mknimimage -c
	Report     nim.UpdateReport    // what the SPOT update installed
	Old        nim.Osimage         // a copy's old image (lsdef), or an update's when it updates a copy
	CopiedFrom string              // an update of a copy: the image it was copied from (the copy's job)
	Use        nim.ImageUse        // who uses the old image (copy, update of a copy) or the image (update)
}

// Succeeded reports whether the job ended well.
func (f Facts) Succeeded() bool { return f.Rec.State == job.StateSucceeded }

// Created reports whether the osimage was created (the summary printed),
// even if xCAT also reported an error.
func (f Facts) Created() bool { return f.HasSummary }

// Gather collects the facts of job rec, which has ended, asking NIM through
// c (nil: no questions). It never fails: what could not be learnt is
// recorded with its error.
func Gather(ctx context.Context, c *nim.Client, rec job.Record) Facts {
	f := Facts{Rec: rec}
	out, err := job.ReadTail(rec.LogPath(), MaxLog)
	f.LogErr = err
	f.Summary, f.HasSummary = nim.ParseSummary(out)
	f.Reasons = nim.ParseNimReasons(out)
	for _, m := range nim.ParseMessages(out) {
		if strings.TrimSpace(m.Text) == "" {
			continue // xCAT's empty "Error: " after a message ending in two newlines
		}
		if len(f.Messages) < maxMessages {
			f.Messages = append(f.Messages, m)
		} else {
			f.MoreMsgs++
		}
	}
	plan := rec.Plan.WithDefaults()
	f.Kind = plan.PlanKind()
	f.Report = nim.ParseUpdateReport(out)
	if f.Kind == nim.KindUpdate {
		f.Asked = []string{plan.Name}
	} else if f.HasSummary {
		for _, a := range f.Summary.ResourceAttrs() {
			for _, n := range strings.Split(a.Value, ",") {
				if n = strings.TrimSpace(n); n != "" && nim.ValidName(n) == nil {
					f.Asked = appendNew(f.Asked, n)
				}
			}
		}
	} else {
		for _, r := range plan.Resources() {
			if !r.Reused {
				f.Asked = appendNew(f.Asked, r.Name)
			}
		}
	}
	if c == nil {
		f.QueryErr = errors.New("no NIM client")
		return f
	}
	f.Objects, f.Missing, f.QueryErr = c.Objects(ctx, f.Asked...)
	if f.Kind != nim.KindCreate {
		f.gatherDayTwo(ctx, c)
	}
	if f.Succeeded() || f.Kind == nim.KindUpdate {
		return f
	}
	if f.HasSummary {
		f.DefExists = true // mknimimage writes it before the summary
	} else if def, err := c.Osimage(ctx, plan.Name); err == nil {
		f.DefExists, f.Def = true, def
	} else if !errors.Is(err, nim.ErrNoSuchOsimage) {
		f.DefErr = err
	}
	// Never a cleanup while NIM may still be working for the job, and never
	// of what was there before it started.
	if f.QueryErr == nil && f.DefErr == nil && !rec.Busy() {
		var left []nim.Object
		for _, o := range f.Objects {
			if !slices.Contains(rec.Existing, o.Name) {
				left = append(left, o)
			}
		}
		defOurs := f.DefExists && !slices.Contains(rec.Existing, nim.OsimagePrefix+plan.Name)
		if f.Kind == nim.KindCopy {
			f.Cleanup = nim.CleanupCopy(plan, left, defOurs)
		} else {
			f.Cleanup = nim.Cleanup(plan, left, f.Missing, defOurs)
		}
		if defOurs && !f.HasSummary {
			f.offerComplete(plan)
		}
	}
	return f
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Status is the exit status nimwiz reports for an ended job: 0 succeeded,
// 130 interrupted on purpose by nimwiz, mknimimage's own status when it
// failed with one (xCAT uses 1 and 3), else 1.
func Status(rec job.Record) int {
	switch rec.State {
	case job.StateSucceeded:
		return 0
	case job.StateInterrupted:
		if !rec.Interrupted.IsZero() {
			return 130
		}
	case job.StateFailed:
		if rec.ExitCode > 0 && rec.ExitCode < 256 {
			return rec.ExitCode
		}
	}
	return 1
}

// Kind is what a line is, for styling.
type Kind int

const (
	Text    Kind = iota
	Heading      // a section title
	OK           // good news
	Error        // "error: ..."
	Warning      // "warning: ..."
	Code         // a command to copy: never wrapped
	Subtle       // explanations
)

// Line is one line of the ending. Indent is the leading spaces of Text,
// repeated on wrapped continuation lines.
type Line struct {
	Kind   Kind
	Indent int
	Text   string
}

// Headline is the first line: how the job ended.
func (f Facts) Headline() Line {
	r := f.Rec
	during := r.EndedIn
	if during == "" {
		during = r.Phase.String()
	}
	if h, ok := f.dayTwoHeadline(during); ok {
		return h
	}
	switch r.State {
	case job.StateSucceeded:
		return Line{Kind: OK, Text: fmt.Sprintf("Job %s succeeded: osimage %s was created%s.", r.ID, r.Name, took(r))}
	case job.StateInterrupted:
		if r.Interrupted.IsZero() {
			return Line{Kind: Error, Text: fmt.Sprintf("Job %s was interrupted during %s, not by nimwiz: mknimimage got an INT or TERM from elsewhere, asked xcatd to abort and exited 0 without its summary. Osimage %s was not created.", r.ID, during, r.Name)}
		}
		for _, ev := range r.Events {
			if ev.Action == job.ActionAccepted {
				during = ev.Phase
				break
			}
		}
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s was interrupted during %s: nimwiz asked mknimimage to stop and xCAT aborted its work. Osimage %s was not created.", r.ID, during, r.Name)}
	case job.StateContactLost:
		how := "its connection to xcatd broke"
		if r.ExitSig != "" {
			how = "it was killed by " + r.ExitSig
		}
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s lost contact with xCAT during %s: mknimimage ended (%s) without its summary. xcatd goes on without it, so NIM may have gone on working.", r.ID, during, how)}
	case job.StateSupervisorLost:
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s lost its supervisor (killed) during %s; mknimimage (pid %d) still runs, and its output since then is not kept.", r.ID, during, r.ChildPID)}
	case job.StateLost:
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s lost its supervisor and mknimimage (killed, or the machine restarted) during %s: mknimimage may have been cut off anywhere, and NIM may still be working.", r.ID, during)}
	}
	how := fmt.Sprintf("exit status %d", r.ExitCode)
	if r.ExitSig != "" {
		how = "killed by " + r.ExitSig
	}
	if r.Error != "" {
		how = r.Error
	}
	if r.VerifyError != "" {
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s failed: mknimimage reported success, but %s.", r.ID, r.VerifyError)}
	}
	if f.HasSummary {
		first := "see the output"
		for _, m := range f.Messages {
			if m.Kind.IsError() {
				first = m.Text
				break
			}
		}
		return Line{Kind: Warning, Text: fmt.Sprintf("Job %s failed (%s): osimage %s was created, but xCAT reported an error: %s", r.ID, how, r.Name, first)}
	}
	d := ""
	if r.EndedIn != "" {
		d = " during " + r.EndedIn
	}
	return Line{Kind: Error, Text: fmt.Sprintf("Job %s failed (%s)%s: osimage %s was not created.", r.ID, how, d, r.Name)}
}

func took(r job.Record) string {
	if r.Ended.IsZero() || r.Started.IsZero() {
		return ""
	}
	return " in " + Duration(r.Ended.Sub(r.Started))
}

// Duration renders d as 45s, 3m05s or 1h02m03s.
func Duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

// Lines is the whole ending, headline first.
func (f Facts) Lines() []Line {
	var l lines
	l.add(f.Headline())
	// Most useful first: a small screen shows the top.
	switch {
	case f.Kind == nim.KindUpdate && !f.Rec.Busy():
		f.updateLines(&l)
	case f.Rec.Busy():
		f.busy(&l)
		f.messages(&l)
		f.leftBehind(&l)
	case f.Succeeded() && f.Kind == nim.KindCopy:
		f.copyNextSteps(&l)
		f.rstates(&l, "NIM resources of the osimage (lsnim -l):")
		f.checkHint(&l)
		f.definition(&l)
		f.messages(&l)
	case f.Succeeded():
		f.nextSteps(&l)
		f.rstates(&l, "NIM resources of the osimage (lsnim -l):")
		f.checkHint(&l)
		f.definition(&l)
		f.messages(&l)
	case f.HasSummary:
		f.messages(&l)
		f.reasons(&l)
		f.nextSteps(&l)
		f.rstates(&l, "NIM resources of the osimage (lsnim -l):")
		f.definition(&l)
		f.cleanup(&l, "To remove it and start over instead:")
	default:
		f.settled(&l)
		f.messages(&l)
		f.reasons(&l)
		f.complete(&l)
		title := fmt.Sprintf("Clean up before running mknimimage for %s again:", f.Rec.Name)
		if f.Complete != nil {
			title = "Or clean up and run it again:"
		}
		f.cleanup(&l, title)
		f.leftBehind(&l)
	}
	l.blank()
	l.add(Line{Kind: Subtle, Text: "Full output: " + f.Rec.LogPath()})
	if f.LogErr != nil {
		l.add(Line{Kind: Warning, Text: "warning: could not read the log: " + f.LogErr.Error()})
	}
	return l
}

// busy says what goes on while NIM may still be working for the job: no
// cleanup now, the name stays locked, what to look at.
func (f Facts) busy(l *lines) {
	r := f.Rec
	l.head("NIM may still be working for this job:")
	switch r.State {
	case job.StateSupervisorLost:
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("mknimimage (pid %d) runs on, reading xcatd's answers to the end; nothing was sent to it. The name %s stays taken until it has ended and NIM is quiet.", r.ChildPID, r.Name)})
	case job.StateLost:
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("The name %s stays taken until nimwiz has seen NIM quiet (it looks when a job for the name is started).", r.Name)})
	default:
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("nimwiz keeps the name %s taken and watches NIM's processes for it; this ending is completed when they have stopped.", r.Name)})
	}
	for _, a := range r.Activity {
		l.add(Line{Kind: Subtle, Indent: 4, Text: "working: " + a})
	}
	if r.SettleError != "" {
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: " + r.SettleError})
	}
	l.add(Line{Kind: Warning, Indent: 2, Text: "Do not clean up or run mknimimage for this image until then: removing or reusing a SPOT that NIM is still building breaks it."})
	l.add(Line{Kind: Text, Indent: 2, Text: "To look yourself:"})
	l.add(Line{Kind: Code, Indent: 4, Text: "ps -ef | grep -w " + nim.ShellQuote(r.Name)})
	l.add(Line{Kind: Code, Indent: 4, Text: "lsnim -l " + nim.ShellQuote(r.Name)})
}

// settled says what NIM showed once it was quiet after a contact loss or
// an abort.
func (f Facts) settled(l *lines) {
	r := f.Rec
	if r.Settled.IsZero() {
		return
	}
	l.blank()
	l.add(Line{Kind: Text, Text: fmt.Sprintf("NIM has been quiet for this job since %s: %s.", r.Settled.Local().Format("15:04:05"), r.After)})
	if r.SettleError != "" {
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: " + r.SettleError})
	}
}

// reasons shows NIM's own words on the failure, its innermost messages
// first, and for a tool run inside the SPOT (installp, rpm, emgr) the
// lines that say what failed; the whole text is in the log.
func (f Facts) reasons(l *lines) {
	if len(f.Reasons) == 0 {
		return
	}
	var nimSaid, toolSaid bool
	for _, r := range f.Reasons {
		if r.From == "Command output" {
			toolSaid = true
		} else {
			nimSaid = true
		}
	}
	if nimSaid {
		l.head("NIM's reason (from mknimimage -V):")
		for _, r := range f.Reasons {
			if r.From == "Command output" {
				continue
			}
			for _, m := range r.Core {
				l.add(Line{Kind: Error, Indent: 2, Text: m.String()})
			}
			if len(r.Core) == 0 {
				for _, t := range r.Text {
					l.add(Line{Kind: Text, Indent: 2, Text: t})
				}
			}
		}
		l.add(Line{Kind: Subtle, Indent: 2, Text: "NIM's whole text is in the output (Error message is: '...')."})
	}
	if toolSaid {
		l.head("What failed inside the SPOT (installp, rpm or emgr, from their output):")
		for _, r := range f.Reasons {
			if r.From != "Command output" {
				continue
			}
			show := r.Failures
			if len(show) == 0 {
				// No line says FAILED or error: its last lines, where
				// the tools sum up.
				show = r.Text[max(0, len(r.Text)-6):]
			}
			for _, t := range show {
				l.add(Line{Kind: Error, Indent: 2, Text: strings.TrimSpace(t)})
			}
		}
		l.add(Line{Kind: Subtle, Indent: 2, Text: "Their whole output is in the log (Error: Command output:)."})
	}
}

type lines []Line

func (l *lines) add(x Line) { *l = append(*l, x) }
func (l *lines) blank()     { *l = append(*l, Line{}) }
func (l *lines) head(s string) {
	l.blank()
	l.add(Line{Kind: Heading, Text: s})
}

func (f Facts) definition(l *lines) {
	l.head(fmt.Sprintf("xCAT osimage definition (lsdef -t osimage -o %s):", f.Summary.Name))
	l.add(Line{Kind: Text, Indent: 2, Text: "Object name: " + f.Summary.Name})
	keys := slices.Sorted(maps.Keys(f.Summary.Attrs))
	for _, k := range keys {
		l.add(Line{Kind: Text, Indent: 6, Text: k + "=" + f.Summary.Attrs[k]})
	}
}

func (f Facts) messages(l *lines) {
	if len(f.Messages) == 0 {
		if !f.Succeeded() {
			l.head("What xCAT said:")
			l.add(Line{Kind: Subtle, Indent: 2, Text: "No error message in the output; the end of the log may say more."})
		}
		return
	}
	l.head("What xCAT and NIM said:")
	for _, m := range f.Messages {
		// xCAT's own lines already start with "Error:" or "Warning:".
		k, p := Error, "error: "
		if !m.Kind.IsError() {
			k, p = Warning, "warning: "
		}
		if m.Kind == nim.XcatError || m.Kind == nim.XcatWarning {
			p = ""
		}
		l.add(Line{Kind: k, Indent: 2, Text: p + m.String()})
	}
	if f.MoreMsgs > 0 {
		l.add(Line{Kind: Subtle, Indent: 2, Text: fmt.Sprintf("... and %d more in the log.", f.MoreMsgs)})
	}
}

func (f Facts) object(name string) (nim.Object, bool) {
	for _, o := range f.Objects {
		if o.Name == name {
			return o, true
		}
	}
	return nim.Object{}, false
}

func (f Facts) isMissing(name string) bool {
	for _, m := range f.Missing {
		if m == name {
			return true
		}
	}
	return false
}

func (f Facts) nameWidth() int {
	w := 10
	for _, n := range f.Asked {
		w = max(w, len(n))
	}
	return w
}

// resourceLine is one resource with its state, and the kind of line.
func (f Facts) resourceLine(name string) Line {
	w := f.nameWidth()
	o, ok := f.object(name)
	switch {
	case ok && o.Ready():
		return Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  %s", o.Get("type"), w, name, nim.RstateReady)}
	case ok:
		state := o.Get("Rstate")
		if state == "" {
			state = "no Rstate"
		}
		note := ""
		if o.Get("type") == "spot" && !nim.SpotComplete(o) {
			note = " (half-built)"
		}
		return Line{Kind: Warning, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  %s%s", o.Get("type"), w, name, state, note)}
	case f.isMissing(name):
		return Line{Kind: Subtle, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  not in NIM", "-", w, name)}
	}
	return Line{Kind: Subtle, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  unknown (no answer)", "-", w, name)}
}

func (f Facts) queryFailed(l *lines) {
	if f.QueryErr != nil {
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: could not ask NIM: " + f.QueryErr.Error()})
		l.add(Line{Kind: Subtle, Indent: 2, Text: "Check by hand (Rstate must be \"ready for use\"):"})
		l.add(Line{Kind: Code, Indent: 4, Text: "lsnim -l " + strings.Join(f.Asked, " ")})
	}
}

func (f Facts) rstates(l *lines, title string) {
	if len(f.Asked) == 0 {
		return
	}
	l.head(title)
	if f.QueryErr != nil && len(f.Objects) == 0 {
		f.queryFailed(l)
		return
	}
	for _, n := range f.Asked {
		l.add(f.resourceLine(n))
	}
	f.queryFailed(l)
}

// checkHint offers, after a run that made or changed an image, the
// read-only check of it (nimwiz check: definition, Rstates, chkosimage,
// who uses it), as the browser's v does.
func (f Facts) checkHint(l *lines) {
	l.head("Check it without changing anything (definition, NIM resources, chkosimage, who uses it):")
	l.add(Line{Kind: Code, Indent: 2, Text: hint.Command("check", f.Rec.Name)})
}

func (f Facts) nextSteps(l *lines) {
	n := f.Rec.Name
	l.head("Next steps:")
	l.add(Line{Kind: Text, Indent: 2, Text: "1. Define and initialise the NIM clients for your nodes with this image:"})
	l.add(Line{Kind: Code, Indent: 5, Text: "mkdsklsnode -i " + n + " noderange"})
	l.add(Line{Kind: Text, Indent: 2, Text: "2. Boot the nodes from the network:"})
	l.add(Line{Kind: Code, Indent: 5, Text: "rnetboot noderange"})
	l.add(Line{Kind: Text, Indent: 5, Text: "or set the boot order and power them on:"})
	l.add(Line{Kind: Code, Indent: 5, Text: "rbootseq noderange net"})
	l.add(Line{Kind: Code, Indent: 5, Text: "rpower noderange boot"})
}

func (f Facts) leftBehind(l *lines) {
	l.head("Left behind on the NIM master:")
	if len(f.Asked) > 0 {
		if f.QueryErr != nil && len(f.Objects) == 0 {
			f.queryFailed(l)
		} else {
			for _, n := range f.Asked {
				l.add(f.resourceLine(n))
			}
			f.queryFailed(l)
		}
	}
	name := f.Rec.Name
	switch {
	case f.DefErr != nil:
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: could not ask xCAT for the osimage definition: " + f.DefErr.Error()})
		l.add(Line{Kind: Code, Indent: 4, Text: "lsdef -t osimage -o " + name})
	case f.DefExists:
		l.add(Line{Kind: Warning, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  exists", "osimage", f.nameWidth(), name)})
	default:
		l.add(Line{Kind: Subtle, Indent: 2, Text: fmt.Sprintf("%-12s %-*s  not defined", "osimage", f.nameWidth(), name)})
	}
}

func (f Facts) cleanup(l *lines, title string) {
	if f.QueryErr != nil || f.DefErr != nil {
		if !f.HasSummary {
			l.head(title)
			l.add(Line{Kind: Warning, Indent: 2, Text: "warning: nimwiz could not see what is left, so it cannot say what to clean up. A re-run reuses every resource with the same name without checking it: before running mknimimage again, check each one (Rstate must be \"ready for use\"); for one that is not, run nim -Fo remove NAME and delete its directory."})
		}
		return
	}
	if len(f.Cleanup) == 0 {
		if !f.HasSummary {
			l.blank()
			text := "Nothing needs cleaning up: what is left is ready for use. Running mknimimage again reuses it and creates the rest."
			if len(f.Objects) == 0 && !f.DefExists {
				text = "Nothing was left on the NIM master: running mknimimage again starts afresh."
			}
			l.add(Line{Kind: OK, Text: text})
		}
		return
	}
	l.head(title)
	for i, s := range f.Cleanup {
		l.add(Line{Kind: Code, Indent: 2, Text: fmt.Sprintf("%d. %s", i+1, nim.ShellLine(s.Argv))})
		l.add(Line{Kind: Subtle, Indent: 5, Text: s.Why})
	}
	if !f.HasSummary {
		l.add(Line{Kind: Warning, Indent: 2, Text: "Without this, a re-run silently reuses what is broken: mknimimage takes any resource with the expected name as it is (\"Using the existing SPOT named ...\")."})
	}
}

// Plain renders lines as plain text, one per line, indented.
func Plain(ls []Line) string {
	var b strings.Builder
	for _, x := range ls {
		if x.Text != "" {
			b.WriteString(strings.Repeat(" ", x.Indent))
			b.WriteString(x.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
