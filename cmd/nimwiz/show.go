package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// show is the osimage details' scriptable twin: at most two commands
// (lsdef, lsnim -l), no terminal needed.

func init() {
	register(verb{name: "show", args: "NAME [--json]", summary: "show an osimage's definition and the lsnim -l details of its resources", run: runShow})
}

func runShow(a *app, args []string) error {
	fs := flag.NewFlagSet("nimwiz show", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the definition and resources as JSON")
	// The name may come before or after --json.
	var name string
	for {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		if name != "" {
			return usageError("give one osimage name, not %q and %q", name, fs.Arg(0))
		}
		name, args = fs.Arg(0), fs.Args()[1:]
	}
	if name == "" {
		return usageError("give the osimage name: nimwiz show NAME [--json]; 'nimwiz list' lists them")
	}
	if err := nim.ValidName(name); err != nil {
		return usageError("osimage name %v", err)
	}
	ctx, cancel := queryCtx()
	defer cancel()
	o, err := a.client.Osimage(ctx, name)
	if errors.Is(err, nim.ErrNoSuchOsimage) {
		// Said as nimwiz's own finding, not as show's failure.
		fmt.Fprintf(a.stderr, "nimwiz: no osimage named %q; run '%s' to see them\n", name, a.command("list"))
		if rec, ok := runningJobFor(a, name); ok {
			// mknimimage writes the definition only after every NIM resource exists.
			fmt.Fprintf(a.stderr, "nimwiz: job %s is creating it (phase: %s); the definition appears near the end. Follow it: %s\n", rec.ID, rec.PhaseName, a.command("attach", rec.ID))
		}
		return exitStatus(exitFail)
	}
	if err != nil {
		return failure("%v", err)
	}
	if !o.IsNIM() {
		return failure("osimage %q is not an AIX one (imagetype=%s); nimwiz shows NIM osimages only: lsdef -t osimage -o %s -l", name, o.Get("imagetype"), name)
	}
	refs := nim.ResourceRefs(o)
	found, missing, qerr := a.client.Objects(ctx, nim.ResourceNames(o)...)
	partial := errors.Is(qerr, nim.ErrUnanswered)
	objs := map[string]nim.Object{}
	for _, ob := range found {
		objs[ob.Name] = ob
	}
	gone := map[string]bool{}
	for _, n := range missing {
		gone[n] = true
	}
	res := make([]resourceJSON, 0, len(refs))
	for _, r := range refs {
		ob, ok := objs[r.Name]
		attrs := rstateFirst(ob.Attrs)
		rj := resourceJSON{Attr: r.Attr, Name: r.Name, Type: ob.Get("type"), Rstate: ob.Get("Rstate"), Missing: gone[r.Name], Unanswered: !ok && !gone[r.Name],
			Ready: ok && ob.Ready(), Attrs: attrsOut(attrs), attrList: attrs}
		res = append(res, rj)
	}
	if qerr != nil && !partial {
		return failure("%v", qerr)
	}
	if *asJSON {
		if err := writeJSON(a, showJSON{osimageJSON: osimageOut(o), Resources: res}); err != nil {
			return err
		}
	} else {
		printShow(a.stdout, o, res)
	}
	if partial {
		return failure("%v; run it again", qerr)
	}
	return nil
}

// rstateFirst puts Rstate first, the rest in lsnim's order.
func rstateFirst(attrs []nim.Attr) []nim.Attr {
	out := make([]nim.Attr, 0, len(attrs))
	for _, at := range attrs {
		if at.Key == "Rstate" {
			out = append(out, at)
		}
	}
	for _, at := range attrs {
		if at.Key != "Rstate" {
			out = append(out, at)
		}
	}
	return out
}

func printShow(w io.Writer, o nim.Osimage, res []resourceJSON) {
	fmt.Fprintf(w, "Osimage %s  (%s)\n", o.Name, nim.DefinitionCommand(o.Name))
	keys := slices.Sorted(maps.Keys(o.Attrs))
	for _, k := range keys {
		fmt.Fprintf(w, "    %s=%s\n", k, o.Attrs[k])
	}
	if len(res) == 0 {
		fmt.Fprintln(w, "\nThe definition names no NIM resources.")
		return
	}
	fmt.Fprintf(w, "\nNIM resources  (%s)\n", nim.LsnimCommand(o))
	for _, r := range res {
		head := fmt.Sprintf("  %s %s", r.Attr, r.Name)
		switch {
		case r.Missing:
			fmt.Fprintf(w, "%s: MISSING: NIM has no object of this name\n", head)
			continue
		case r.Unanswered:
			fmt.Fprintf(w, "%s: NO ANSWER: lsnim said nothing about it\n", head)
			continue
		case !r.Ready:
			fmt.Fprintf(w, "%s: NOT READY (Rstate %q, not %q)\n", head, r.Rstate, nim.RstateReady)
		default:
			fmt.Fprintf(w, "%s\n", head)
		}
		width := 0
		for _, at := range r.attrList {
			width = max(width, len(at.Key))
		}
		for _, at := range r.attrList {
			fmt.Fprintf(w, "      %-*s = %s\n", width, at.Key, at.Value)
		}
		if r.Attr == "spot" {
			if lv := nim.OsLevel(nim.Object{Attrs: r.attrList}); lv != "" && !hasKey(r.attrList, "oslevel_r") {
				fmt.Fprintf(w, "      (oslevel %s)\n", lv)
			}
		}
	}
}

func hasKey(attrs []nim.Attr, k string) bool {
	for _, a := range attrs {
		if a.Key == k {
			return true
		}
	}
	return false
}

// runningJobFor is the running job creating osimage name, if any.
func runningJobFor(a *app, name string) (job.Record, bool) {
	all, err := job.NewStore(a.stateDir).List()
	if err != nil {
		return job.Record{}, false
	}
	for _, r := range all {
		if r.Name == name && !r.State.Ended() {
			return r, true
		}
	}
	return job.Record{}, false
}
