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
	switch p.PlanKind() {
	case nim.KindUpdate:
		printUpdatePlan(a.stdout, p)
	case nim.KindCopy:
		printCopyPlan(a.stdout, p)
	default:
		printPlan(a.stdout, p)
	}
	return nil
}

func planUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: nimwiz plan FILE")
	fmt.Fprintln(w, "Checks the TOML plan FILE and shows the mknimimage command, the NIM resources and the")
	fmt.Fprintln(w, "osimage definition it would make or change. Nothing is run. Keys: kind (create, the")
	fmt.Fprintln(w, "default; update: mknimimage -u; copy: mknimimage -i), name, type, source, stateless,")
	fmt.Fprintln(w, "location, dump, verbose (default true: -V), from and copy_lpp_source (copy),")
	fmt.Fprintln(w, "update_from (update: \"definition\" or \"plan\"), a [resources] table of attr = \"existing")
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

// printUpdatePlan shows a valid update plan: the command, where its
// software comes from, what it changes, and what apply checks first.
func printUpdatePlan(w io.Writer, p nim.Plan) {
	p = p.WithDefaults()
	fmt.Fprintf(w, "Plan to update the SPOT of osimage %s is valid. Nothing was run. The command:\n\n", p.Name)
	fmt.Fprintf(w, "  %s\n\n", p.CommandLine())
	if p.UpdateSource() == nim.FromDefinition {
		fmt.Fprintf(w, "The software comes from the osimage definition of %s: its installp_bundle, otherpkgs and\n", p.Name)
		fmt.Fprintln(w, "synclists (mknimimage -u with none of them on the command line; the definition keeps the record).")
	} else {
		fmt.Fprintln(w, "The software comes from this plan (an ad hoc update): the definition's installp_bundle,")
		fmt.Fprintf(w, "otherpkgs and synclists are neither used nor changed (to record it: chdef -t osimage -o %s ...).\n", p.Name)
	}
	fmt.Fprintln(w, "\nNIM resources it changes or reads:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tHOW")
	for _, r := range p.Resources() {
		how := "read"
		if r.Changed {
			how = "changed: installp, rpm and emgr run inside it (xcatchroot)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Name, r.Type, how)
	}
	tw.Flush()
	if opts := planOptions(p); len(opts) > 0 {
		fmt.Fprintln(w, "\nOptions for mknimimage:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, o := range opts {
			fmt.Fprintf(tw, "  %s=%s\t%s\n", o.Name, p.Extra[o.Name], o.What)
		}
		tw.Flush()
	}
	for _, warn := range p.Warnings() {
		fmt.Fprintf(w, "\n%s\n", warn)
	}
	fmt.Fprintf(w, "\nBefore it runs, apply checks that the SPOT %s is ready for use, that NIM has it allocated to\n", p.Name)
	fmt.Fprintln(w, "no client and that no xCAT node boots from the image; otherwise it refuses and shows the safe")
	fmt.Fprintln(w, "path instead (copy the image, update the copy, move the nodes). The whole run is a SPOT update:")
	fmt.Fprintln(w, "interrupts are refused from its start to its end. mknimimage -u prints no summary and writes no")
	fmt.Fprintln(w, "definition; nimwiz proves the end from -V's \"Updated software in the NIM SPOT called ...\".")
}

// printCopyPlan shows a valid copy plan: the command, what it makes, what
// it shares with the image it copies.
func printCopyPlan(w io.Writer, p nim.Plan) {
	p = p.WithDefaults()
	fmt.Fprintf(w, "Plan to copy osimage %s to %s is valid. Nothing was run. The command:\n\n", p.From, p.Name)
	fmt.Fprintf(w, "  %s\n", p.CommandLine())
	fmt.Fprintf(w, "  %s\n\n", wizard.VerboseNote(p))
	fmt.Fprintln(w, "NIM resources, in the order mknimimage makes them:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tTYPE\tNEW/SHARED\tLOCATION")
	if !p.CopyLppSource {
		fmt.Fprintf(tw, "  (%s's)\tlpp_source\tshared\t(existing resource)\n", p.From)
	}
	for _, r := range p.Resources() {
		state, loc := "new", r.Location
		switch {
		case r.Reused:
			state, loc = "shared", "(existing resource)"
		case r.Attr == "spot":
			loc += "  (cpcosi copies " + p.From + "'s SPOT)"
		case r.Either:
			loc += fmt.Sprintf("  (if %s has a %s)", p.From, r.Attr)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Name, r.Type, state, loc)
	}
	tw.Flush()
	fmt.Fprintf(w, "  Shared with %s, by name: its paging, dump, resolv_conf, installp_bundles and every other\n", p.From)
	fmt.Fprintf(w, "  resource; every attribute of %s's definition is carried into %s's.\n", p.From, p.Name)
	if p.Location == nim.DefaultLocation {
		fmt.Fprintf(w, "  (%s is mknimimage's default, <site.installdir>/nim: nimwiz does not pass -l for it.)\n", nim.DefaultLocation)
	}
	fmt.Fprintf(w, "\nxCAT checks only for %d MB free for the SPOT", nim.XcatSpotMB)
	if p.CopyLppSource {
		fmt.Fprintf(w, " and %d MB for the lpp_source", nim.XcatLppMB)
	}
	fmt.Fprintf(w, "; apply measures the SPOT of %s\nand the free space before it runs. Interrupts are refused from the start to the summary.\n", p.From)
	fmt.Fprintf(w, "\nThen: update the copy (kind = \"update\", name = %q) and move the nodes of %s onto it.\n", p.Name, p.From)
}
