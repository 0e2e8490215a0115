package nim

import (
	"fmt"
	"path"
	"slices"
	"strings"
)

// CleanupStep is one command that puts right what a failed or interrupted
// mknimimage left behind, and why it is needed. nimwiz only shows these; the
// admin runs them.
type CleanupStep struct {
	Argv []string
	Why  string
}

// Cleanup says what to run before mknimimage is run again for plan p, given
// what NIM has now: left are the plan's resources lsnim -l printed, missing
// the ones it reported unknown, definitionExists whether the xCAT osimage
// definition exists (lsdef). No steps means nothing stands in the way of a
// re-run.
//
// Why it matters (xcat-mknimimage.md §6, aix-nim.md §3.3): a re-run reuses
// every resource with the expected name without looking at its state, so a
// half-built SPOT or lpp_source would silently end up in the new image; and
// an existing definition makes the re-run stop at "already exists".
//   - definition exists: rmnimimage -f -d -x NAME removes the definition,
//     every NIM resource it names and their directories. Resources the plan
//     only borrowed (an existing lpp_source, resolv_conf, ...) are first
//     detached from the definition with chdef, or -d would delete them too.
//   - otherwise, per resource this run was to create, only when its Rstate
//     is not "ready for use" (a ready one is complete and is fine to reuse):
//     a complete SPOT (it has boot images or a level) is reset and checked;
//     a half-built SPOT, and any other resource, is removed from NIM and its
//     directory deleted. Dependents go first (paging, dump, root, then the
//     SPOT, then the lpp_source), as rmnimimage does.
//
// A directory is only ever deleted when its last element is the resource's
// own name (the SPOT's is <location>/spot/<name>, above its /usr): with -l,
// mknimimage puts the dump resource at the -l directory itself, which must
// not be deleted.
func Cleanup(p Plan, left []Object, missing []string, definitionExists bool) []CleanupStep {
	p = p.WithDefaults()
	res := p.Resources()
	if definitionExists {
		return cleanupDefinition(p, res, left)
	}
	byName := make(map[string]Object, len(left))
	for _, o := range left {
		byName[o.Name] = o
	}
	var steps []CleanupStep
	for i := len(res) - 1; i >= 0; i-- {
		r := res[i]
		if r.Reused {
			continue // not ours: never touched
		}
		o, ok := byName[r.Name]
		if !ok || o.Ready() {
			continue
		}
		steps = append(steps, cleanupResource(p, r, o)...)
	}
	return steps
}

func rstateOf(o Object) string {
	if s := o.Get("Rstate"); s != "" {
		return s
	}
	return "unknown"
}

// cleanupResource is the steps for one resource of the plan that exists
// but is not ready for use.
func cleanupResource(p Plan, r PlannedResource, o Object) []CleanupStep {
	state := rstateOf(o)
	loc := o.Get("location")
	if loc == "" {
		loc = r.Location
	}
	if r.Attr == "spot" {
		dir := p.Location + "/spot/" + r.Name
		if loc != "" && path.Base(loc) == "usr" {
			dir = path.Dir(loc)
		}
		if SpotComplete(o) {
			return []CleanupStep{
				{Argv: []string{"nim", "-Fo", "reset", r.Name},
					Why: fmt.Sprintf("the SPOT %s was built but its Rstate is %q: reset makes it ready for use again", r.Name, state)},
				{Argv: []string{"nim", "-Fo", "check", r.Name},
					Why: fmt.Sprintf("verifies the SPOT and rebuilds its boot images; if it fails, remove it instead: nim -Fo remove %s, then rm -R %s", r.Name, dir)},
			}
		}
		steps := []CleanupStep{{Argv: []string{"nim", "-Fo", "remove", r.Name},
			Why: fmt.Sprintf("the SPOT %s is half-built (Rstate %q): a re-run would reuse it as it is", r.Name, state)}}
		if path.Base(dir) == r.Name && path.IsAbs(dir) {
			steps = append(steps, CleanupStep{Argv: []string{"rm", "-R", dir},
				Why: "its files stay on disk; a new SPOT at the same place would be refused (0042-081)"})
		}
		return steps
	}
	what := "the " + r.Attr + " resource " + r.Name
	if r.Attr == "lpp_source" {
		what = "the lpp_source " + r.Name + " is suspect: its copy may not have finished, and it"
	} else {
		what += " is not usable, and it"
	}
	steps := []CleanupStep{{Argv: []string{"nim", "-Fo", "remove", r.Name},
		Why: fmt.Sprintf("%s would be reused as it is by a re-run (Rstate %q)", what, state)}}
	switch {
	case loc != "" && path.IsAbs(loc) && path.Base(loc) == r.Name:
		steps = append(steps, CleanupStep{Argv: []string{"rm", "-R", loc},
			Why: "NIM leaves the files of a removed " + r.Attr + " on disk"})
	case loc != "":
		// The -l dump quirk: its location is the base directory itself.
		steps[0].Why += "; its directory " + loc + " is shared with other resources: delete only what belongs to " + r.Name
	}
	return steps
}

// cleanupDefinition is the steps when the osimage definition exists.
func cleanupDefinition(p Plan, res []PlannedResource, left []Object) []CleanupStep {
	var steps []CleanupStep
	var borrowed, detach []string
	for _, r := range res {
		if !r.Reused || slices.Contains(detach, r.Attr) {
			continue
		}
		borrowed = append(borrowed, r.Name)
		detach = append(detach, r.Attr)
	}
	argvs := DetachThenRemove(p.Name, detach, true)
	if len(argvs) > 1 {
		steps = append(steps, CleanupStep{
			Argv: argvs[0],
			Why:  "detaches the existing resources this image only uses (" + strings.Join(borrowed, ", ") + ") so that the next command leaves them alone",
		})
	}
	steps = append(steps, CleanupStep{
		Argv: argvs[len(argvs)-1],
		Why:  "the osimage definition " + p.Name + " exists (a re-run would stop at \"already exists\"): this removes it, the NIM resources it names and their directories (-d: the lpp_source too)",
	})
	// rmnimimage -d does not delete the dump directory.
	for _, r := range res {
		if r.Attr != "dump" || r.Reused || path.Base(r.Location) != r.Name || !path.IsAbs(r.Location) {
			continue
		}
		for _, o := range left {
			if o.Name == r.Name {
				steps = append(steps, CleanupStep{Argv: []string{"rm", "-R", r.Location},
					Why: "rmnimimage -d leaves the dump directory on disk"})
			}
		}
	}
	return steps
}

// SpotComplete reports whether a SPOT's lsnim -l stanza shows a finished
// install: NIM records the boot images it supports (if_supported) and the
// AIX level (oslevel_r) only once the SPOT is built. A SPOT being created,
// or cut off while being created, has neither.
func SpotComplete(o Object) bool {
	return o.Get("if_supported") != "" || o.Get("oslevel_r") != ""
}
