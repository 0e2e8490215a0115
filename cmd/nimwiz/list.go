package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
)

// list and show (show.go) are the browser's scriptable twins: no terminal
// needed. list runs exactly one command (lsdef).

func init() {
	register(verb{name: "list", args: "[--json]", summary: "list the AIX osimages: type, mode, dump, SPOT, lpp_source (one lsdef)", run: runList})
}

func queryCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
}

func runList(a *app, args []string) error {
	fs := flag.NewFlagSet("nimwiz list", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the osimages as JSON (README: Machine-readable output)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q; to see one osimage: nimwiz show %s", fs.Arg(0), fs.Arg(0))
	}
	ctx, cancel := queryCtx()
	defer cancel()
	imgs, err := a.client.Osimages(ctx)
	if err != nil {
		return failure("%v", err)
	}
	if *asJSON {
		out := make([]osimageJSON, 0, len(imgs))
		for _, o := range imgs {
			out = append(out, osimageOut(o))
		}
		return writeJSON(a, out)
	}
	if len(imgs) == 0 {
		fmt.Fprintln(a.stdout, "This master has no AIX osimages (lsdef -t osimage -w imagetype==NIM listed none).")
		return nil
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
	return nil
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
func writeJSON(a *app, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return failure("%v", err)
	}
	if _, err := rawOut(a).Write(append(termtext.JSON(data), '\n')); err != nil {
		return failure("%v", err)
	}
	return nil
}
