package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
)

// list and show are the browser's scriptable twins: no terminal needed.
// list runs exactly one command (lsdef), show at most two (lsdef, lsnim -l).

func init() {
	register(verb{name: "list", args: "[--json]", summary: "list the AIX osimages: type, mode, dump, SPOT, lpp_source (one lsdef)", run: runList})
	register(verb{name: "show", args: "NAME [--json]", summary: "show an osimage's definition and the lsnim -l details of its resources", run: runShow})
}

func queryCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
}

// osimageJSON is one osimage in --json output: its lsdef attributes.
type osimageJSON struct {
	Name  string            `json:"name"`
	Attrs map[string]string `json:"attrs"`
}

func runList(a *app, args []string) int {
	fs := flag.NewFlagSet("nimwiz list", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print every attribute as JSON: [{\"name\": ..., \"attrs\": {...}}]")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "nimwiz list: unexpected argument %q; to see one osimage: nimwiz show %s\n", fs.Arg(0), fs.Arg(0))
		return exitUsage
	}
	ctx, cancel := queryCtx()
	defer cancel()
	imgs, err := a.client.Osimages(ctx)
	if err != nil {
		fmt.Fprintf(a.stderr, "nimwiz list: %v\n", err)
		return exitFail
	}
	if *asJSON {
		out := make([]osimageJSON, 0, len(imgs))
		for _, o := range imgs {
			out = append(out, osimageJSON{o.Name, nonNil(o.Attrs)})
		}
		return writeJSON(a, out)
	}
	if len(imgs) == 0 {
		fmt.Fprintln(a.stdout, "This master has no AIX osimages (lsdef -t osimage -w imagetype==NIM listed none).")
		return exitOK
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tMODE\tDUMP\tSPOT\tLPP_SOURCE")
	for _, o := range imgs {
		mode := "stateful"
		if o.Stateless() {
			mode = "stateless"
		}
		dump := "no"
		if o.HasDump() {
			dump = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.Name, dashed(string(o.NimType())), mode, dump, dashed(o.Spot()), dashed(o.LppSource()))
	}
	tw.Flush()
	return exitOK
}

func dashed(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func nonNil(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// writeJSON prints v as indented JSON. It bypasses the terminal sanitizer,
// which would change the values: JSON has its own escaping, which
// encoding/json applies to every C0 control and termtext.JSON completes
// for DEL and the C1 controls.
func writeJSON(a *app, v any) int {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		fmt.Fprintf(a.stderr, "nimwiz: %v\n", err)
		return exitFail
	}
	if _, err := rawOut(a).Write(append(termtext.JSON(data), '\n')); err != nil {
		fmt.Fprintf(a.stderr, "nimwiz: %v\n", err)
		return exitFail
	}
	return exitOK
}

// resourceJSON is one NIM resource of an osimage in show --json.
type resourceJSON struct {
	Attr       string     `json:"attr"`
	Name       string     `json:"name"`
	Missing    bool       `json:"missing"`              // lsnim: no such object
	Unanswered bool       `json:"unanswered,omitempty"` // lsnim said nothing about it
	Ready      bool       `json:"ready"`                // Rstate is "ready for use"
	Attrs      []nim.Attr `json:"attrs"`                // lsnim -l, in its order
}

type showJSON struct {
	Name      string            `json:"name"`
	Attrs     map[string]string `json:"attrs"`
	Resources []resourceJSON    `json:"resources"`
}

func runShow(a *app, args []string) int {
	fs := flag.NewFlagSet("nimwiz show", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the definition and resources as JSON")
	// The name may come before or after --json.
	var name string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if name != "" {
			fmt.Fprintf(a.stderr, "nimwiz show: give one osimage name, not %q and %q\n", name, fs.Arg(0))
			return exitUsage
		}
		name, args = fs.Arg(0), fs.Args()[1:]
	}
	if name == "" {
		fmt.Fprintln(a.stderr, "nimwiz show: give the osimage name: nimwiz show NAME [--json]; 'nimwiz list' lists them")
		return exitUsage
	}
	if err := nim.ValidName(name); err != nil {
		fmt.Fprintf(a.stderr, "nimwiz show: osimage name %v\n", err)
		return exitUsage
	}
	ctx, cancel := queryCtx()
	defer cancel()
	o, err := a.client.Osimage(ctx, name)
	if errors.Is(err, nim.ErrNoSuchOsimage) {
		fmt.Fprintf(a.stderr, "nimwiz: no osimage named %q; run 'nimwiz list' to see them\n", name)
		if rec, ok := runningJobFor(a, name); ok {
			// mknimimage writes the definition only after every NIM resource exists.
			fmt.Fprintf(a.stderr, "nimwiz: job %s is creating it (phase: %s); the definition appears near the end. Follow it: nimwiz attach %s\n", rec.ID, rec.PhaseName, rec.ID)
		}
		return exitFail
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "nimwiz show: %v\n", err)
		return exitFail
	}
	if !o.IsNIM() {
		fmt.Fprintf(a.stderr, "nimwiz: osimage %q is not an AIX one (imagetype=%s); nimwiz shows NIM osimages only: lsdef -t osimage -o %s -l\n", name, o.Get("imagetype"), name)
		return exitFail
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
		rj := resourceJSON{Attr: r.Attr, Name: r.Name, Missing: gone[r.Name], Unanswered: !ok && !gone[r.Name], Ready: ok && ob.Ready(), Attrs: rstateFirst(ob.Attrs)}
		res = append(res, rj)
	}
	if qerr != nil && !partial {
		fmt.Fprintf(a.stderr, "nimwiz show: %v\n", qerr)
		return exitFail
	}
	if *asJSON {
		if code := writeJSON(a, showJSON{Name: o.Name, Attrs: nonNil(o.Attrs), Resources: res}); code != exitOK {
			return code
		}
	} else {
		printShow(a.stdout, o, res)
	}
	if partial {
		fmt.Fprintf(a.stderr, "nimwiz show: %v; run it again\n", qerr)
		return exitFail
	}
	return exitOK
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
			rs := nim.Object{Attrs: r.Attrs}.Get("Rstate")
			fmt.Fprintf(w, "%s: NOT READY (Rstate %q, not %q)\n", head, rs, nim.RstateReady)
		default:
			fmt.Fprintf(w, "%s\n", head)
		}
		width := 0
		for _, at := range r.Attrs {
			width = max(width, len(at.Key))
		}
		for _, at := range r.Attrs {
			fmt.Fprintf(w, "      %-*s = %s\n", width, at.Key, at.Value)
		}
		if r.Attr == "spot" {
			if lv := nim.OsLevel(nim.Object{Attrs: r.Attrs}); lv != "" && !hasKey(r.Attrs, "oslevel_r") {
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
