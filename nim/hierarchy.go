package nim

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The xCAT hierarchy on AIX: each service node (SN) is a NIM master of its
// own holding copies of the osimages' resources under the same names
// (xcat-hierarchy.md). nimwiz learns it with two lsdef calls:
//
//  1. lsdef -t site -i master,nimprime,sharedinstall (the site object in
//     the long form, as Client.Site reads it);
//  2. lsdef -t node -i servicenode,groups -c: one "node: attr=value" line
//     per node and attribute, shown even when empty (DBobjectdefs.pm 2.9.2
//     L3557).
//
// A compute node's SN is noderes.servicenode, a comma list: primary, then
// backup; unset means site.master (xcat-hierarchy.md "who serves whom").
// The SNs rmnimimage acts on are exactly the distinct servicenode values
// (aixinstall.pm 2.9.2 L5860-5888), so those are the columns nimwiz shows;
// nodes of group "service" (xCAT's convention for SNs) that serve nobody
// are listed too, as idle.

// HierarchyQueries is how many xCAT calls Client.Hierarchy makes.
const HierarchyQueries = 2

// Hierarchy is who serves whom.
type Hierarchy struct {
	Master        string // site.master as written
	Nimprime      string // site.nimprime; "" when unset (the MN)
	SharedInstall string // site.sharedinstall: no (default), sns or all
	// ServiceNodes are the SNs, sorted: every servicenode value other than
	// the MN, and the nodes of group "service".
	ServiceNodes []string
	// Serves maps an SN to the nodes it serves, primary or backup, sorted.
	Serves map[string][]string
	// ServedBy maps a node to its servicenode list (primary first); a node
	// served by the MN alone is absent.
	ServedBy map[string][]string
}

// Serving reports whether sn serves any node.
func (h Hierarchy) Serving(sn string) bool { return len(h.Serves[sn]) > 0 }

// ServersOf returns the SNs that serve any of nodes, sorted.
func (h Hierarchy) ServersOf(nodes []string) []string {
	var out []string
	for _, n := range nodes {
		for _, sn := range h.ServedBy[n] {
			out = appendUnique(out, sn)
		}
	}
	sort.Strings(out)
	return out
}

// ServiceGroup is the xCAT group service nodes are put in by convention.
const ServiceGroup = "service"

// ParseHierarchy builds the hierarchy from lsdef -t node -i
// servicenode,groups -c output and the site values. Values naming the
// management node (site.master, or its short name) are not SNs. Unusable
// SN names (see ValidNodeName) are errors: they would reach xdsh.
func ParseHierarchy(nodesOut []byte, site Site, sharedInstall string) (Hierarchy, error) {
	h := Hierarchy{Master: site.Master, Nimprime: site.Nimprime, SharedInstall: sharedInstall,
		Serves: map[string][]string{}, ServedBy: map[string][]string{}}
	if h.SharedInstall == "" {
		h.SharedInstall = "no"
	}
	isMaster := func(n string) bool {
		if n == "" || site.Master == "" {
			return false
		}
		short, _, _ := strings.Cut(site.Master, ".")
		return n == site.Master || n == short
	}
	var sns []string
	addSN := func(sn string) error {
		if err := ValidNodeName(sn); err != nil {
			return fmt.Errorf("service node %w", err)
		}
		sns = appendUnique(sns, sn)
		return nil
	}
	for _, a := range ParseLsdefCompressed(nodesOut) {
		switch a.Attr {
		case "groups":
			for _, g := range splitList(a.Value) {
				if g == ServiceGroup {
					if err := addSN(a.Object); err != nil {
						return Hierarchy{}, err
					}
				}
			}
		case "servicenode":
			for _, sn := range splitList(a.Value) {
				if isMaster(sn) {
					continue
				}
				if err := addSN(sn); err != nil {
					return Hierarchy{}, err
				}
				h.ServedBy[a.Object] = appendUnique(h.ServedBy[a.Object], sn)
				h.Serves[sn] = appendUnique(h.Serves[sn], a.Object)
			}
		}
	}
	for _, v := range h.Serves {
		sort.Strings(v)
	}
	sort.Strings(sns)
	h.ServiceNodes = sns
	return h, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ValidNodeName checks an xCAT node name before it reaches xdsh's noderange
// or a remote command: letters, digits, '-', '_' and '.', starting with a
// letter or digit, at most 255 characters. Everything else (',', '+', '@',
// '[', '/', '^', '*', blanks) would be read as noderange syntax.
func ValidNodeName(s string) error {
	if s == "" || len(s) > 255 || !isAlnum(s[0]) {
		return fmt.Errorf("name %q: a node name starts with a letter or digit and has 1 to 255 characters", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return fmt.Errorf("name %q has %q: nimwiz passes only letters, digits, '-', '_' and '.' to xdsh; rename the node or run xdsh yourself", s, string(c))
		}
	}
	return nil
}

// Hierarchy asks xCAT for the hierarchy with HierarchyQueries calls. No
// nodes at all (NoNodesText) is a cluster without SNs.
func (c *Client) Hierarchy(ctx context.Context) (Hierarchy, error) {
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "site", "-i", "master,nimprime,sharedinstall")
	if err != nil {
		return Hierarchy{}, err
	}
	objs := ParseLsdefLong(res.Stdout)
	if err := readable(res, len(objs)); err != nil {
		return Hierarchy{}, err
	}
	var site Site
	shared := ""
	found := false
	for _, o := range objs {
		if o.Name == siteObject {
			site = Site{Master: o.Attrs["master"], Nimprime: o.Attrs["nimprime"]}
			shared = o.Attrs["sharedinstall"]
			found = true
		}
	}
	if !found {
		return Hierarchy{}, fmt.Errorf("%s: %w: no %s object in %q", argvString(res), ErrUnexpectedOutput, siteObject, firstNonBlank(res.Stdout))
	}
	res, err = c.Exec.Query(ctx, "lsdef", "-t", "node", "-i", "servicenode,groups", "-c")
	if err != nil {
		if ce, ran := ranAndFailed(err); ran && firstNonBlank(ce.Result.Stdout) == "" &&
			strings.Contains(string(ce.Result.Stderr), NoNodesText) {
			return ParseHierarchy(nil, site, shared)
		}
		return Hierarchy{}, err
	}
	attrs := ParseLsdefCompressed(res.Stdout)
	if err := readable(res, len(attrs)+boolInt(everyLine(res.Stdout, func(t string) bool { return t == NoDefinitionsMessage }))); err != nil {
		return Hierarchy{}, err
	}
	h, err := ParseHierarchy(res.Stdout, site, shared)
	if err != nil {
		return Hierarchy{}, fmt.Errorf("%s: %w", argvString(res), err)
	}
	return h, nil
}

// errNoServiceNodes marks a fan-out with nobody to ask.
var errNoServiceNodes = errors.New("no service nodes")
