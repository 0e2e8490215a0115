package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nimwiz/nimwiz/nim"
)

// showHierarchy is show --hierarchy: the osimage's matrix (resources × the
// management node and each service node that serves nodes) from the
// hierarchy query and ONE xdsh to every SN (nim.Client.HierarchyMatrix).
func showHierarchy(a *app, name string, asJSON bool) error {
	// xdsh's own -t bounds each silence; this bounds the whole.
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout+3*nim.XdshTimeout*1e9)
	defer cancel()
	m, err := a.client.HierarchyMatrix(ctx, name, nil, nil)
	if errors.Is(err, nim.ErrNoSuchOsimage) {
		fmt.Fprintf(a.stderr, "nimwiz: no osimage named %q; run 'nimwiz list' to see them\n", name)
		return exitStatus(exitFail)
	}
	if err != nil && len(m.Servers) == 0 {
		return failure("%v", err)
	}
	if asJSON {
		out := struct {
			nim.Matrix
			Remove []nim.ServerImpact `json:"rmnimimage"` // rmnimimage -x NAME on each server
			Update nim.UpdateEffect   `json:"mknimimage_u"`
		}{m, nim.RemoveImpact(m, false), nim.UpdateImpact(m)}
		if werr := writeJSON(a, out); werr != nil {
			return werr
		}
	} else {
		printMatrix(a.stdout, m)
	}
	if err != nil {
		return failure("%v", err)
	}
	for _, s := range m.Servers {
		if s.State != nim.SNAnswered {
			return failure("service node %s %s (%s): its column is unknown", s.Name, s.State, s.Reason)
		}
	}
	return nil
}

// printMatrix is the matrix as text: one line per resource, one column per
// server, then the drift and the servers that did not answer.
func printMatrix(w io.Writer, m nim.Matrix) {
	fmt.Fprintf(w, "osimage %s  sharedinstall=%s  (%d commands, one xdsh for all service nodes)\n\n", m.Image, m.SharedInstall, m.Queries)
	if len(m.Servers) == 1 {
		fmt.Fprintln(w, "No service node serves nodes: only the management node holds the resources.")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "RESOURCE\tTYPE")
	for _, s := range m.Servers {
		fmt.Fprint(tw, "\t"+s.Name)
	}
	fmt.Fprintln(tw)
	for _, r := range m.Rows {
		fmt.Fprintf(tw, "%s\t%s", r.Resource, r.Attr)
		for _, s := range m.Servers {
			fmt.Fprint(tw, "\t"+nim.CellText(s, r.Cells[s.Name]))
		}
		fmt.Fprintln(tw)
	}
	_ = tw.Flush()
	if d := m.SortedDrift(); len(d) > 0 {
		fmt.Fprintln(w, "\nDrift:")
		for _, l := range d {
			fmt.Fprintln(w, "  "+l)
		}
	}
	for _, s := range m.Servers {
		if s.State != nim.SNAnswered {
			fmt.Fprintf(w, "\n%s %s: %s\n", s.Name, s.State, strings.TrimSpace(s.Reason))
		}
	}
	if len(m.Servers) > 1 {
		fmt.Fprintln(w, "\nrmnimimage -x "+m.Image+" (lpp_source only with -d):")
		for _, si := range nim.RemoveImpact(m, false) {
			switch {
			case si.Unknown:
				fmt.Fprintf(w, "  %s: not known (%s)\n", si.Server, si.Reason)
			default:
				fmt.Fprintf(w, "  %s: removes %s", si.Server, orNone(si.Removes))
				if len(si.Allocated) > 0 {
					fmt.Fprintf(w, "; leaves %s (allocated there)", strings.Join(si.Allocated, ", "))
				}
				fmt.Fprintln(w)
			}
		}
		e := nim.UpdateImpact(m)
		switch {
		case len(e.RefusedBy) > 0:
			fmt.Fprintf(w, "mknimimage -u: refused, the SPOT is allocated on %s\n", strings.Join(e.RefusedBy, ", "))
		case len(e.RemovesOn) > 0:
			fmt.Fprintf(w, "mknimimage -u: removes the SPOT on %s (copied again by the next mkdsklsnode)\n", strings.Join(e.RemovesOn, ", "))
		}
	}
}

func orNone(l []string) string {
	if len(l) == 0 {
		return "nothing"
	}
	return strings.Join(l, ", ")
}
