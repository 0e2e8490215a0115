package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/nimwiz/nimwiz/nim"
)

// check looks at an osimage without changing anything (nim.CheckImage):
// lsdef, one lsnim -l, the two node queries and chkosimage -V. It does not
// run "nim -o check", which syncs the diskless clients' roots and rebuilds
// the SPOT's boot images: it says when to run it.

func init() {
	register(verb{name: "check", args: "NAME [--json]", summary: "check an osimage without changing it: its definition, NIM resources, software (chkosimage) and who uses it", run: runCheck})
}

func runCheck(a *app, args []string) error {
	fs := flag.NewFlagSet("nimwiz check", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if len(files) != 1 {
		return usageError("give one osimage name: nimwiz check NAME; 'nimwiz list' lists them")
	}
	name := files[0]
	if err := nim.ValidName(name); err != nil {
		return usageError("osimage name %v", err)
	}
	ctx, cancel := queryCtx()
	defer cancel()
	ic, err := a.client.CheckImage(ctx, name)
	if errors.Is(err, nim.ErrNoSuchOsimage) {
		return failure("no osimage named %q; run '%s' to see them", name, a.command("list"))
	}
	if err != nil {
		return failure("%v", err)
	}
	if *asJSON {
		if err := writeJSON(a, checkOut(ic)); err != nil {
			return err
		}
		if ic.Problems() > 0 {
			return exitStatus(exitFail)
		}
		return nil
	}
	fmt.Fprintf(a.stdout, "Checked osimage %s (%s). Nothing was changed.\n\n", name, describeImage(ic.Osimage))
	for _, f := range ic.Findings {
		mark := map[nim.FindingLevel]string{nim.FindingOK: "ok     ", nim.FindingWarning: "warning", nim.FindingProblem: "PROBLEM"}[f.Level]
		fmt.Fprintf(a.stdout, "  %s  %s\n", mark, f.Text)
		if f.Fix != "" {
			fmt.Fprintf(a.stdout, "           -> %s\n", f.Fix)
		}
	}
	if n := ic.Problems(); n > 0 {
		fmt.Fprintf(a.stdout, "\n%d problem(s).\n", n)
		return exitStatus(exitFail)
	}
	fmt.Fprintln(a.stdout, "\nNo problem found.")
	return nil
}

// describeImage says an image's kind in a few words.
func describeImage(o nim.Osimage) string {
	mode := "stateful"
	if o.Stateless() {
		mode = "stateless"
	}
	return fmt.Sprintf("%s, %s, SPOT %s, lpp_source %s", dashed(string(o.NimType())), mode, dashed(o.Spot()), dashed(o.LppSource()))
}
