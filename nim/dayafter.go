package nim

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
)

// What the ending of a day-two run says: what an update installed, how to
// clean up after a copy, and when mknimimage -c completes a failed create.
// Facts from aixinstall.pm at 2.9.2_aix_release ([aix]) and the
// xcat-day-two notes.

// UpdateReport is what mknimimage -u's output says it did.
type UpdateReport struct {
	Filesets     []Fileset // applied by installp (its "Installation Summary", SUCCESS rows), once each
	RPMs         []string  // "Completed Installing the following RPM packages in SPOT ...:"
	RPMsSkipped  []string  // "The following RPM packages were already installed and were not reinstalled:"
	Efixes       []string  // emgr's SUCCESS rows (GUESS at emgr's layout)
	Synced       []string  // sync_spot_files' "Running 'rsync -Lprogtz SRC... DEST' on HOST." as "SRC... -> DEST"
	ServiceNodes []string  // "Removing SPOT 'X' on service node SN.": SNs whose copy xCAT removed
	Failures     []string  // the tools' failure lines (ToolFailure)
}

// Empty reports whether the report names nothing done.
func (u UpdateReport) Empty() bool {
	return len(u.Filesets)+len(u.RPMs)+len(u.Efixes)+len(u.Synced) == 0
}

var (
	emgrRow  = regexp.MustCompile(`^\d+\s+(\S+)\s+INSTALL\s+SUCCESS$`)
	rsyncRun = regexp.MustCompile(`^Running 'rsync -Lprogtz (.+) (\S+)' on \S+\.$`)
	snRemove = regexp.MustCompile(`^Removing SPOT '[^']*' on service node (\S+)\. This could take a while\.$`)
)

// ParseUpdateReport reads an update's output (also a create's or a
// copy's, whose SPOT update installs the command line's software).
func ParseUpdateReport(out []byte) UpdateReport {
	var u UpdateReport
	list := (*[]string)(nil) // an RPM list being read
	listStarted := false
	summary := false // inside installp's Installation Summary table
	seen := map[string]bool{}
	for s := string(out); s != ""; {
		var raw string
		raw, s = nextLine(s)
		t := trimBlanks(raw)
		if list != nil {
			switch {
			case t == "" && !listStarted:
				continue
			case t == "" || strings.HasPrefix(t, "Error:") || strings.HasPrefix(t, "Warning:") || strings.HasPrefix(t, "Running command on "):
				list = nil
			default:
				listStarted = true
				*list = append(*list, t)
				continue
			}
		}
		if summary {
			f := strings.Fields(t)
			switch {
			case t == "":
				summary = false
			case len(f) == 5 && f[4] == "SUCCESS" && (f[3] == "APPLY" || f[3] == "COMMIT") && !seen[f[0]+" "+f[1]]:
				seen[f[0]+" "+f[1]] = true
				u.Filesets = append(u.Filesets, Fileset{Name: f[0], Level: f[1]})
			}
			continue
		}
		switch {
		case t == "Installation Summary":
			summary = true
		case strings.HasPrefix(t, "Completed Installing the following RPM packages in SPOT "):
			list, listStarted = &u.RPMs, false
		case strings.HasPrefix(t, "Warning: The following RPM packages were already installed and were not reinstalled:"):
			list, listStarted = &u.RPMsSkipped, false
		case emgrRow.MatchString(t):
			u.Efixes = append(u.Efixes, emgrRow.FindStringSubmatch(t)[1])
		case rsyncRun.MatchString(t):
			m := rsyncRun.FindStringSubmatch(t)
			u.Synced = append(u.Synced, m[1]+" -> "+m[2])
		case snRemove.MatchString(t):
			u.ServiceNodes = append(u.ServiceNodes, snRemove.FindStringSubmatch(t)[1])
		case ToolFailure(t) && len(u.Failures) < maxReasonLines:
			u.Failures = append(u.Failures, t)
		}
	}
	return u
}

// CleanupCopy is Cleanup for a copy (mknimimage -i): only what the copy
// made is removed, never what it shares with the old image. rmnimimage
// cannot do it: the copy's definition names the old image's paging,
// lpp_source, bundles ..., which rmnimimage -f -d would delete (rmnimres
// L6010-6133; notes §2.2). A re-run needs the new SPOT gone whatever its
// state (cpcosi does not reuse an existing one: [aix] L4191-4259 checks
// nothing before it), the -p lpp_source gone (mk_lpp_source says "Cannot
// create ... It already exists." and its define fails), and the
// definition gone ("already exists"); a root or shared_root that is ready
// is reused ("Using existing root resource named"). Dependents first: the
// root, then the SPOT, then the lpp_source, then the definition.
func CleanupCopy(p Plan, left []Object, definitionExists bool) []CleanupStep {
	p = p.WithDefaults()
	byName := map[string]Object{}
	for _, o := range left {
		byName[o.Name] = o
	}
	var steps []CleanupStep
	res := p.Resources()
	for i := len(res) - 1; i >= 0; i-- {
		r := res[i]
		o, ok := byName[r.Name]
		if r.Reused || !ok {
			continue
		}
		if (r.Attr == "root" || r.Attr == "shared_root") && o.Ready() && !definitionExists {
			continue // reused as it is by a re-run
		}
		loc := o.Get("location")
		if loc == "" {
			loc = r.Location
		}
		dir := loc
		if r.Attr == "spot" && path.Base(loc) == "usr" {
			dir = path.Dir(loc)
		}
		steps = append(steps, CleanupStep{Argv: []string{"nim", "-Fo", "remove", r.Name},
			Why: fmt.Sprintf("the copy's %s %s (Rstate %q): a re-run would stop at it", r.Attr, r.Name, rstateOf(o))})
		if path.IsAbs(dir) && path.Base(dir) == r.Name {
			steps = append(steps, CleanupStep{Argv: []string{"rm", "-R", dir}, Why: "NIM leaves its files on disk"})
		}
	}
	if definitionExists {
		steps = append(steps, CleanupStep{Argv: []string{"rmdef", "-t", "osimage", "-o", p.Name},
			Why: fmt.Sprintf("the copy's definition (a re-run would stop at \"already exists\"); only the definition: it names %s's shared resources, which rmnimimage -f -d would delete", p.From)})
	}
	return steps
}

// RemoveOld is how to remove the old image after its nodes moved to a copy
// of it (the safe path's last step; notes §2.2): a copy shares the old
// image's paging, dump, bundles and (without -p) lpp_source, so rmnimimage
// OLD refuses ("One or more resources are being used in other osimage
// definitions", prermnimimage L5786-5837) and rmnimimage -f OLD would
// remove what the copy still uses. Only the old image's own SPOT and root
// or shared_root go, then its definition.
func RemoveOld(old Osimage) []CleanupStep {
	var steps []CleanupStep
	for _, a := range []string{"shared_root", "root", "spot"} {
		if n := strings.TrimSpace(old.Get(a)); n != "" && ValidName(n) == nil {
			steps = append(steps, CleanupStep{Argv: []string{"nim", "-Fo", "remove", n}, Why: fmt.Sprintf("%s's own %s (its files stay: delete its directory after)", old.Name, a)})
		}
	}
	return append(steps, CleanupStep{Argv: []string{"rmdef", "-t", "osimage", "-o", old.Name},
		Why: "the definition; the resources the copy shares (paging, lpp_source, bundles ...) stay"})
}

// CompleteAdvice says how mknimimage -c would finish an osimage whose
// create failed after its definition was written, and whether that costs
// less than cleaning up and running again.
type CompleteAdvice struct {
	Steps   []CleanupStep // the commands, mknimimage -c last
	Makes   []string      // what -c makes again
	Cheaper bool          // -c costs less than cleaning up and running again
	Why     string        // which costs less, and why
}

// Complete says how to complete the osimage of create plan p with
// mknimimage -c, given its definition def and what NIM has of the
// resources it names (objs; missing: reported unknown). ok is false when
// -c cannot help: def names no resource nimwiz knows of.
//
// mknimimage -c ([aix] L2390-2430, L3111-3440; notes §3) takes every
// resource the definition names by name, without asking NIM, and makes only
// the ones it does not name; it then re-runs the SPOT update with the
// command line's software only (so the plan's installp_bundle, otherpkgs
// and synclists go on the command line again), sets the root password and
// prints the summary. So for a resource the definition names but NIM lacks
// (or has broken), the attribute is cleared first (chdef attr=) and a
// broken one removed; the lpp_source needs -s again.
func Complete(p Plan, def Osimage, objs []Object, missing []string) (CompleteAdvice, bool) {
	p = p.WithDefaults()
	var a CompleteAdvice
	if p.PlanKind() != KindCreate {
		return a, false
	}
	byName := map[string]Object{}
	for _, o := range objs {
		byName[o.Name] = o
	}
	var clear []string
	lpp := false
	for _, r := range p.Resources() {
		if r.Reused {
			continue // the plan's own choice: -c takes it from the definition as it is
		}
		name := strings.TrimSpace(def.Get(r.Attr))
		if name == "" {
			a.Makes = append(a.Makes, r.Attr)
			lpp = lpp || r.Attr == "lpp_source"
			continue
		}
		o, ok := byName[name]
		switch {
		case ok && o.Ready():
			continue
		case ok && r.Attr == "spot" && SpotComplete(o):
			a.Steps = append(a.Steps,
				CleanupStep{Argv: []string{"nim", "-Fo", "reset", name}, Why: fmt.Sprintf("the SPOT %s was built but is %q: -c would use it as it is", name, rstateOf(o))},
				CleanupStep{Argv: []string{"nim", "-Fo", "check", name}, Why: "verifies it and rebuilds its boot images"})
			continue
		case ok:
			loc := o.Get("location")
			if r.Attr == "spot" && path.Base(loc) == "usr" {
				loc = path.Dir(loc)
			}
			a.Steps = append(a.Steps, CleanupStep{Argv: []string{"nim", "-Fo", "remove", name},
				Why: fmt.Sprintf("the %s %s is %q, and -c would use it as it is", r.Attr, name, rstateOf(o))})
			if path.IsAbs(loc) && path.Base(loc) == name {
				a.Steps = append(a.Steps, CleanupStep{Argv: []string{"rm", "-R", loc}, Why: "NIM leaves its files on disk"})
			}
		case !nameIn(missing, name):
			continue // not asked about: nothing known
		}
		clear = append(clear, r.Attr+"=")
		a.Makes = append(a.Makes, r.Attr)
		lpp = lpp || r.Attr == "lpp_source"
	}
	if len(clear) > 0 {
		a.Steps = append(a.Steps, CleanupStep{Argv: append([]string{"chdef", "-t", "osimage", "-o", p.Name}, clear...),
			Why: "-c makes only what the definition does not name: it never checks that a named resource exists in NIM"})
	}
	argv := []string{"mknimimage"}
	if !p.Quiet {
		argv = append(argv, "-V")
	}
	argv = append(argv, "-c")
	if lpp {
		argv = append(argv, "-s", p.Source)
	}
	argv = append(argv, p.Name)
	for _, k := range slices.Sorted(maps.Keys(p.Extra)) {
		if spec, ok := LookupAttr(k); ok && spec.Has(UseUpdate) && k != "nfs_vers" {
			argv = append(argv, k+"="+p.Extra[k])
		}
	}
	what := "sets the root password in the SPOT and prints the summary"
	if len(updateSoftwareOf(p)) > 0 {
		what = "installs the plan's software into the SPOT again (" + strings.Join(updateSoftwareOf(p), ", ") + "), sets the root password and prints the summary"
	}
	if len(a.Makes) > 0 {
		what = "makes " + strings.Join(a.Makes, ", ") + ", " + what
	}
	a.Steps = append(a.Steps, CleanupStep{Argv: argv, Why: "completes " + p.Name + ": " + what})

	// The cost: what each way makes again. Cleaning up removes the whole
	// image (rmnimimage -f -d -x), and a re-run makes it all again.
	rerun := []string{"the SPOT (the long part)"}
	if p.SourceKind() != SourceLppSource {
		rerun = append([]string{"the lpp_source (a copy of every image)"}, rerun...)
	}
	heavy := slices.Contains(a.Makes, "spot") || slices.Contains(a.Makes, "lpp_source")
	switch {
	case slices.Contains(a.Makes, "spot") && (slices.Contains(a.Makes, "lpp_source") || p.SourceKind() == SourceLppSource):
		a.Why = "Both cost about the same: -c builds the SPOT again too."
	case heavy:
		a.Why = fmt.Sprintf("Completing costs less: it makes %s again, while cleaning up removes the whole image and a re-run makes %s again.", strings.Join(a.Makes, ", "), strings.Join(rerun, " and "))
		a.Cheaper = true
	default:
		a.Why = fmt.Sprintf("Completing costs much less: the resources are there, while cleaning up removes the whole image and a re-run makes %s again.", strings.Join(rerun, " and "))
		a.Cheaper = true
	}
	return a, true
}

// updateSoftwareOf lists the plan's installp_bundle, otherpkgs and
// synclists as attr=value.
func updateSoftwareOf(p Plan) []string {
	var out []string
	for _, a := range updateSoftware {
		if v := p.Extra[a]; v != "" {
			out = append(out, a+"="+v)
		}
	}
	return out
}
