package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/wizard"
)

func init() {
	register(verb{name: "plan", args: "FILE", summary: "check a plan file and show the command it would run", run: runPlan})
}

// runPlan checks a plan file and shows what running it would do. It runs
// nothing: no executor, no NIM query (so it works on any machine).
func runPlan(a *app, args []string) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		planUsage(a.stdout)
		return nil
	}
	if len(args) != 1 {
		if len(args) == 0 {
			fmt.Fprintln(a.stderr, "nimwiz plan: give the plan file to check")
		} else {
			fmt.Fprintf(a.stderr, "nimwiz plan: give exactly one plan file, not %d arguments\n", len(args))
		}
		planUsage(a.stderr)
		return exitStatus(exitUsage)
	}
	path := args[0]
	p, err := nim.LoadPlan(path)
	if err != nil {
		var pe *nim.PlanFileError
		if errors.As(err, &pe) {
			for _, prob := range pe.Problems {
				fmt.Fprintln(a.stderr, prob.Error())
			}
		} else {
			fmt.Fprintf(a.stderr, "file: %v\n", err)
		}
		return exitStatus(exitUsage)
	}
	if probs := p.Validate(); len(probs) > 0 {
		for _, prob := range probs {
			fmt.Fprintln(a.stderr, prob.Error())
		}
		return exitStatus(exitUsage)
	}
	printPlan(a.stdout, p)
	return nil
}

func planUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: nimwiz plan FILE")
	fmt.Fprintln(w, "Checks the TOML plan FILE and shows the mknimimage command, the NIM resources and the")
	fmt.Fprintln(w, "osimage definition it would make. Nothing is run. Keys: name, type, source, stateless,")
	fmt.Fprintln(w, "location, dump, verbose (default true: -V), a [resources] table of attr = \"existing")
	fmt.Fprintln(w, "resource\" and an [options] table of mknimimage's other attr = \"value\" (otherpkgs,")
	fmt.Fprintln(w, "synclists, installp_flags, ...).")
}

// printPlan shows a valid plan: the exact command, the resources and the
// definition.
func printPlan(w io.Writer, p nim.Plan) {
	p = p.WithDefaults()
	fmt.Fprintf(w, "Plan for osimage %s is valid. Nothing was run. The command:\n\n", p.Name)
	fmt.Fprintf(w, "  %s\n", p.CommandLine())
	fmt.Fprintf(w, "  %s\n\n", wizard.VerboseNote(p))

	fmt.Fprintln(w, "NIM resources, in the order mknimimage makes them:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tNEW/REUSED\tLOCATION")
	for _, r := range p.Resources() {
		state, loc := "new", r.Location
		if r.Reused {
			state, loc = "reused", "(existing resource)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Name, r.Type, state, loc)
	}
	tw.Flush()
	if p.Location == nim.DefaultLocation {
		fmt.Fprintf(w, "  (%s is mknimimage's default, <site.installdir>/nim: nimwiz does not pass -l for it.)\n", nim.DefaultLocation)
	}
	if p.Dump && p.Location != nim.DefaultLocation {
		fmt.Fprintf(w, "  (With -l, mknimimage makes the dump resource the base directory %s itself.)\n", p.Location)
	}
	fmt.Fprintln(w, "  A \"new\" resource that already exists in NIM is reused by mknimimage as it is.")

	if opts := planOptions(p); len(opts) > 0 {
		fmt.Fprintln(w, "\nOptions for mknimimage:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range opts {
			fmt.Fprintf(tw, "  %s=%s\t%s\n", o.Name, p.Extra[o.Name], o.What)
		}
		tw.Flush()
	}

	d := p.Definition()
	fmt.Fprintln(w, "\nThe osimage definition it writes:")
	fmt.Fprintf(w, "  Object name: %s\n", d.Name)
	keys := slices.Sorted(maps.Keys(d.Attrs))
	for _, k := range keys {
		fmt.Fprintf(w, "      %s=%s\n", k, d.Attrs[k])
	}
}

// planOptions are the options of p (attributes that are not resources), in
// the attribute table's order.
func planOptions(p nim.Plan) []nim.AttrSpec {
	return nim.Attrs(func(a nim.AttrSpec) bool {
		_, ok := p.Extra[a.Name]
		return ok && a.Kind == nim.OptionAttr
	})
}
