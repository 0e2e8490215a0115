package ending

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// The endings of the day-two kinds: an update (what it installed, what to
// run next, or what it left half done) and a copy (the rest of the safe
// path with the real node names), and the "complete it" offer beside the
// cleanup of a failed create.

// gatherDayTwo asks what an update's or a copy's ending needs: for a
// successful copy, the old image's definition and who uses it (one lsdef,
// then one query each side); for an update, whether it updated a copy
// (this store's copy job for the name) and then the same of the image it
// was copied from, else who uses the updated image.
func (f *Facts) gatherDayTwo(ctx context.Context, c *nim.Client) {
	plan := f.Rec.Plan.WithDefaults()
	old := ""
	switch f.Kind {
	case nim.KindCopy:
		if !f.Succeeded() {
			return
		}
		old = plan.From
	case nim.KindUpdate:
		f.CopiedFrom = copiedFrom(f.Rec)
		old = f.CopiedFrom
	}
	if old == "" {
		f.Use = c.WhoUses(ctx, nim.Osimage{Name: plan.Name, Attrs: map[string]string{"spot": plan.Name}})
		return
	}
	if def, err := c.Osimage(ctx, old); err == nil {
		f.Old = def
	} else {
		f.Old = nim.Osimage{Name: old, Attrs: map[string]string{"spot": old}}
	}
	f.Use = c.WhoUses(ctx, f.Old)
}

// copiedFrom is the image rec's osimage was copied from by a job of the
// same store, newest first, or "".
func copiedFrom(rec job.Record) string {
	if rec.Dir == "" {
		return ""
	}
	all, err := (&job.Store{Dir: filepath.Dir(rec.Dir)}).List()
	if err != nil {
		return ""
	}
	from := ""
	for _, r := range all {
		if r.State == job.StateSucceeded && r.Plan.PlanKind() == nim.KindCopy && r.Name == rec.Name && r.Started.Before(rec.Started) {
			from = r.Plan.From // List is oldest first: the newest wins
		}
	}
	return from
}

// offerComplete fills Complete for a failed create or copy whose
// definition exists.
func (f *Facts) offerComplete(plan nim.Plan) {
	switch f.Kind {
	case nim.KindCreate:
		if a, ok := nim.Complete(plan, f.Def, f.Objects, f.Missing); ok {
			f.Complete = &a
		}
	case nim.KindCopy:
		// The copy's definition is written after its SPOT and root exist
		// (L3561-3643): what failed is the SPOT update or the root
		// password, and -c does both again from the definition.
		argv := []string{"mknimimage"}
		if !plan.Quiet {
			argv = append(argv, "-V")
		}
		f.Complete = &nim.CompleteAdvice{
			Steps: []nim.CleanupStep{{Argv: append(argv, "-c", plan.Name),
				Why: "completes the copy: sets the root password in its SPOT and prints the summary"}},
			Cheaper: true,
			Why:     fmt.Sprintf("Completing costs much less: the copy's SPOT is there, while cleaning up removes it and copying %s again copies the whole SPOT.", plan.From),
		}
	}
}

// complete shows the "complete it" offer.
func (f Facts) complete(l *lines) {
	a := f.Complete
	if a == nil {
		return
	}
	l.head(fmt.Sprintf("Complete it: the osimage definition %s exists, so mknimimage -c can finish the image:", f.Rec.Name))
	for i, s := range a.Steps {
		l.add(Line{Kind: Code, Indent: 2, Text: fmt.Sprintf("%d. %s", i+1, nim.ShellLine(s.Argv))})
		l.add(Line{Kind: Subtle, Indent: 5, Text: s.Why})
	}
	kind := Text
	if a.Cheaper {
		kind = OK
	}
	l.add(Line{Kind: kind, Indent: 2, Text: a.Why})
	l.add(Line{Kind: Subtle, Indent: 2, Text: "-c makes only what the definition does not name; it never checks that a resource the definition names exists in NIM. Fix the cause of the failure first (above)."})
}

// dayTwoHeadline is the headline of an update or copy, when its kind says
// more than a create's would.
func (f Facts) dayTwoHeadline(during string) (Line, bool) {
	r := f.Rec
	p := r.Plan
	switch {
	case f.Kind == nim.KindCopy && r.State == job.StateSucceeded:
		return Line{Kind: OK, Text: fmt.Sprintf("Job %s succeeded: osimage %s was created as a copy of %s%s.", r.ID, r.Name, p.From, took(r))}, true
	case f.Kind != nim.KindUpdate:
		return Line{}, false
	}
	switch r.State {
	case job.StateSucceeded:
		return Line{Kind: OK, Text: fmt.Sprintf("Job %s succeeded: the SPOT of osimage %s was updated%s.", r.ID, r.Name, took(r))}, true
	case job.StateInterrupted:
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s was cut off during %s, not by nimwiz: mknimimage got an INT or TERM from elsewhere and exited 0 without the end of its update. The SPOT %s may be half updated.", r.ID, during, r.Name)}, true
	case job.StateContactLost:
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s lost contact with xCAT during %s: xcatd goes on without mknimimage, so the update of %s may have gone on.", r.ID, during, r.Name)}, true
	case job.StateFailed:
		if r.VerifyError != "" {
			return Line{Kind: Error, Text: fmt.Sprintf("Job %s failed: the update of %s ran to its end, but %s.", r.ID, r.Name, r.VerifyError)}, true
		}
		d := ""
		if r.EndedIn != "" {
			d = " during " + r.EndedIn
		}
		return Line{Kind: Error, Text: fmt.Sprintf("Job %s failed (exit status %d)%s: the update of the SPOT %s stopped there.", r.ID, r.ExitCode, d, r.Name)}, true
	}
	return Line{}, false
}

// installed lists what the update installed.
func (f Facts) installed(l *lines, title string) {
	u := f.Report
	l.head(title)
	if u.Empty() {
		l.add(Line{Kind: Subtle, Indent: 2, Text: "Nothing, as far as the output says."})
	}
	for _, fs := range u.Filesets {
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("installp  %-32s %s", fs.Name, fs.Level)})
	}
	for _, r := range u.RPMs {
		l.add(Line{Kind: Text, Indent: 2, Text: "rpm       " + r})
	}
	for _, r := range u.RPMsSkipped {
		l.add(Line{Kind: Subtle, Indent: 2, Text: "rpm       " + r + " (already installed: not reinstalled)"})
	}
	for _, e := range u.Efixes {
		l.add(Line{Kind: Text, Indent: 2, Text: "efix      " + e})
	}
	for _, s := range u.Synced {
		l.add(Line{Kind: Text, Indent: 2, Text: "synced    " + s})
	}
}

// updateLines is the ending of an update that is not busy.
func (f Facts) updateLines(l *lines) {
	name := f.Rec.Name
	switch {
	case f.Succeeded():
		f.installed(l, fmt.Sprintf("Installed into the SPOT %s:", name))
		f.updateNextSteps(l)
		f.rstates(l, "The SPOT (lsnim -l):")
		f.checkHint(l)
		f.messages(l)
		return
	case f.Rec.State == job.StateFailed:
		f.messages(l)
		f.reasons(l)
	default: // cut off, or contact lost and since quiet
		f.settled(l)
		f.messages(l)
	}
	if !f.Report.Empty() {
		f.installed(l, "What the update did before it stopped (xCAT undoes nothing):")
	}
	f.rstates(l, "The SPOT (lsnim -l):")
	l.head("What to do:")
	o, ok := f.object(name)
	if ok && !o.Ready() {
		l.add(Line{Kind: Warning, Indent: 2, Text: fmt.Sprintf("The SPOT is %q: xcatchroot was cut off inside it. Make it usable again and check it:", orUnknown(o.Get("Rstate")))})
		l.add(Line{Kind: Code, Indent: 4, Text: "nim -Fo reset " + name})
	}
	l.add(Line{Kind: Text, Indent: 2, Text: "Check the SPOT (it syncs the diskless roots and rebuilds the boot images: run it when no node boots from the SPOT):"})
	l.add(Line{Kind: Code, Indent: 4, Text: "nim -Fo check " + name})
	l.add(Line{Kind: Text, Indent: 2, Text: "Fix what failed (above), then run the same update again: installp and rpm leave what is already installed (\"Already installed\", \"already installed and were not reinstalled\")."})
}

// updateNextSteps is what to run after a successful update.
func (f Facts) updateNextSteps(l *lines) {
	name := f.Rec.Name
	l.head("Next steps:")
	l.add(Line{Kind: Text, Indent: 2, Text: "1. Check the SPOT: xCAT does not, and NIM's check rebuilds its network boot images:"})
	l.add(Line{Kind: Code, Indent: 5, Text: "nim -Fo check " + name})
	n := 2
	if len(f.Report.ServiceNodes) > 0 {
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%d. xCAT removed the SPOT's copies on the service nodes %s: mkdsklsnode makes them again when you initialise the nodes they serve:", n, strings.Join(f.Report.ServiceNodes, ", "))})
		l.add(Line{Kind: Code, Indent: 5, Text: "mkdsklsnode -i " + name + " noderange"})
		n++
	}
	switch {
	case f.CopiedFrom != "":
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%d. Move the nodes of %s onto this copy, without downtime%s:", n, f.CopiedFrom, f.useSource())})
		for _, c := range nim.MoveNodes(f.CopiedFrom, name, f.Use) {
			l.add(Line{Kind: Code, Indent: 5, Text: c})
		}
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%d. Then remove %s's own resources (not rmnimimage: the copy shares its paging, lpp_source, bundles ...):", n+1, f.CopiedFrom)})
		for _, s := range nim.RemoveOld(f.Old) {
			l.add(Line{Kind: Code, Indent: 5, Text: nim.ShellLine(s.Argv)})
		}
	case f.Use.InUse():
		nodes := strings.Join(f.Use.AllNodes(), ",")
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%d. Reboot the nodes that use it, so they boot the updated SPOT:", n)})
		l.add(Line{Kind: Code, Indent: 5, Text: "rpower " + nodes + " reset"})
	default:
		l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("%d. No node uses %s: initialise nodes with it, or move nodes onto it from their image (OLD) without downtime:", n, name)})
		for _, c := range nim.MoveNodes("OLD", name, nim.ImageUse{}) {
			l.add(Line{Kind: Code, Indent: 5, Text: c})
		}
	}
	if err := f.Use.Err(); err != nil {
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: nimwiz could not ask which nodes use it: " + err.Error()})
	}
}

// useSource says where the node names come from.
func (f Facts) useSource() string {
	if len(f.Use.AllNodes()) == 0 {
		return " (xCAT and NIM know no node of it: give the noderange)"
	}
	return " (the nodes xCAT and NIM know of)"
}

// copyNextSteps is the rest of the safe path after a copy, with the real
// node names of the old image where xCAT and NIM know them.
func (f Facts) copyNextSteps(l *lines) {
	p := f.Rec.Plan
	name, old := f.Rec.Name, p.From
	l.head("Next steps (the safe update: copy, update the copy, move the nodes):")
	l.add(Line{Kind: Text, Indent: 2, Text: "1. Update the copy (nimwiz apply a plan with kind = \"update\", or):"})
	l.add(Line{Kind: Code, Indent: 5, Text: "mknimimage -V -u " + name + " installp_bundle=... otherpkgs=..."})
	l.add(Line{Kind: Text, Indent: 2, Text: "2. Check its SPOT (xCAT does not; NIM rebuilds the boot images):"})
	l.add(Line{Kind: Code, Indent: 5, Text: "nim -Fo check " + name})
	l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("3. Move the nodes of %s onto it without downtime%s:", old, f.useSource())})
	for _, c := range nim.MoveNodes(old, name, f.Use) {
		l.add(Line{Kind: Code, Indent: 5, Text: c})
	}
	l.add(Line{Kind: Text, Indent: 2, Text: fmt.Sprintf("4. Then remove %s's own resources (not rmnimimage: the copy shares its paging, lpp_source, bundles ...):", old)})
	for _, s := range nim.RemoveOld(f.Old) {
		l.add(Line{Kind: Code, Indent: 5, Text: nim.ShellLine(s.Argv)})
	}
	if err := f.Use.Err(); err != nil {
		l.add(Line{Kind: Warning, Indent: 2, Text: "warning: nimwiz could not ask which nodes use " + old + ": " + err.Error()})
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
