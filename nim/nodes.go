package nim

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Which nodes use an image, asked of both sides, one query each
// (xcat-day-two notes §6):
//   - xCAT: mkdsklsnode sets provmethod=<image> on every node it
//     initialises (aixinstall.pm 2.9.2 L12270-12281) and rmdsklsnode never
//     clears it (L13753-14105), so it names the image a node was last given.
//     "lsdef -t node -w provmethod==NAME -i provmethod -c" lists them, one
//     "node: provmethod=NAME" line each (DBobjectdefs.pm 2.9.2 L3416,
//     L3557); with -i only the -i and -w attributes are read (L2852-2857).
//   - NIM: a resource is allocated while its alloc_count is above 0 (the
//     only test xCAT makes, InstUtils.pm get_nim_attr_val L376); which
//     clients hold it, "lsnim -l -c machines" tells: each client's stanza
//     has one "<type> = <resource>" line per allocated resource.

// NoNodesText is lsdef's error when the cluster has no node at all
// (DBobjectdefs.pm 2.9.2 processArgs L1018-1026: no node means none uses
// the image).
const NoNodesText = "Could not get objects of type 'node'."

// CompressedAttr is one "object: attr=value" line of lsdef -i ... -c.
type CompressedAttr struct {
	Object, Attr, Value string
}

// ParseLsdefCompressed parses lsdef's -i ATTRS -c form: "obj: attr=value"
// per line (DBobjectdefs.pm 2.9.2 L3557). Lines of other shapes (messages,
// blank lines, HEAD's "No object definitions have been found") give nothing.
func ParseLsdefCompressed(out []byte) []CompressedAttr {
	var attrs []CompressedAttr
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		line = trimBlanks(line)
		obj, rest, ok := strings.Cut(line, ": ")
		if !ok || !plausibleName(obj) {
			continue
		}
		k, v, ok := strings.Cut(rest, "=")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		attrs = append(attrs, CompressedAttr{Object: obj, Attr: k, Value: v})
	}
	return attrs
}

// NodesUsing returns the xCAT nodes whose provisioning method is image,
// sorted, with one lsdef. None matching (2.9.2: no output; later releases:
// "No object definitions have been found") and no nodes at all
// (NoNodesText) are an empty list.
func (c *Client) NodesUsing(ctx context.Context, image string) ([]string, error) {
	if err := checkName(image); err != nil {
		return nil, fmt.Errorf("nodes using an osimage: %w", err)
	}
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "node", "-w", "provmethod=="+image, "-i", "provmethod", "-c")
	if err != nil {
		if ce, ran := ranAndFailed(err); ran && firstNonBlank(ce.Result.Stdout) == "" &&
			everyLine(ce.Result.Stderr, func(t string) bool {
				m, ok := parseMessageLine(t)
				return ok && m.Kind == XcatError && m.Text == NoNodesText
			}) && firstNonBlank(ce.Result.Stderr) != "" {
			return nil, nil
		}
		return nil, err
	}
	attrs := ParseLsdefCompressed(res.Stdout)
	if err := readable(res, len(attrs)+boolInt(everyLine(res.Stdout, func(t string) bool { return t == NoDefinitionsMessage }))); err != nil {
		return nil, err
	}
	var nodes []string
	for _, a := range attrs {
		// -w is an exact match (Utils.pm selection_string_match
		// L2533-2573); a line for another value would be lsdef ignoring -w.
		if a.Attr == "provmethod" && a.Value == image {
			nodes = appendUnique(nodes, a.Object)
		}
	}
	sort.Strings(nodes)
	return nodes, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// NimClient is one NIM machine that has resources of an image allocated.
type NimClient struct {
	Name   string // the NIM client: the node's short name, or <node>_<image> after mkdsklsnode -n
	Type   string // diskless, dataless, standalone
	Cstate string
	Uses   []Attr // the allocated resources that were asked about: "spot" = "71dskls", ...
}

// Node is the xCAT node the client stands for: the client's name without
// a trailing "_<image>" (mkdsklsnode -n names clients <node>_<image>,
// aixinstall.pm 2.9.2 L11255-11271).
func (n NimClient) Node(image string) string {
	if s, ok := strings.CutSuffix(n.Name, "_"+image); ok && s != "" {
		return s
	}
	return n.Name
}

// Suffixed reports whether the client was made with mkdsklsnode -n for
// image (its name is <node>_<image>): rmdsklsnode then needs -i image to
// find it (L13863-13870).
func (n NimClient) Suffixed(image string) bool { return n.Node(image) != n.Name }

// ClientsUsing returns the NIM machines that have any of the resources
// names allocated, with one lsnim -l -c machines, sorted by name.
func (c *Client) ClientsUsing(ctx context.Context, names ...string) ([]NimClient, error) {
	for _, n := range names {
		if err := checkName(n); err != nil {
			return nil, fmt.Errorf("NIM clients using a resource: %w", err)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	res, err := c.Exec.Query(ctx, "lsnim", "-l", "-c", "machines")
	if err != nil {
		return nil, err
	}
	objs := ParseLsnimLong(res.Stdout)
	if err := readable(res, len(objs)); err != nil {
		return nil, err
	}
	var out []NimClient
	for _, o := range objs {
		if o.Get("class") != "" && o.Get("class") != "machines" || o.Get("type") == "master" {
			continue
		}
		cl := NimClient{Name: o.Name, Type: o.Get("type"), Cstate: o.Get("Cstate")}
		for _, a := range o.Attrs {
			spec, ok := LookupAttr(a.Key)
			if ok && spec.Kind == ResourceAttr && nameIn(names, a.Value) {
				cl.Uses = append(cl.Uses, a)
			}
		}
		if len(cl.Uses) > 0 {
			out = append(out, cl)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ImageUse is who uses an osimage: the xCAT nodes whose provmethod names
// it and the NIM clients its own resources (SPOT, root or shared_root) are
// allocated to. Each side's error is kept: the other may still be known.
type ImageUse struct {
	Image      string
	Nodes      []string
	Clients    []NimClient
	NodesErr   error
	ClientsErr error
}

// InUse reports whether anything is known to use the image.
func (u ImageUse) InUse() bool { return len(u.Nodes) > 0 || len(u.Clients) > 0 }

// Known reports whether both questions were answered.
func (u ImageUse) Known() bool { return u.NodesErr == nil && u.ClientsErr == nil }

// Err is the first failed question, or nil.
func (u ImageUse) Err() error {
	if u.NodesErr != nil {
		return u.NodesErr
	}
	return u.ClientsErr
}

// AllNodes are the xCAT nodes known to use the image, from either side:
// provmethod, and the nodes behind the NIM clients. Sorted.
func (u ImageUse) AllNodes() []string {
	var out []string
	for _, n := range u.Nodes {
		out = appendUnique(out, n)
	}
	for _, cl := range u.Clients {
		out = appendUnique(out, cl.Node(u.Image))
	}
	sort.Strings(out)
	return out
}

// ClientNames are the NIM clients' names.
func (u ImageUse) ClientNames() []string {
	var out []string
	for _, cl := range u.Clients {
		out = append(out, cl.Name)
	}
	return out
}

// Describe says in one sentence who uses the image, or "" when nothing
// does (or nothing could be asked).
func (u ImageUse) Describe() string {
	var parts []string
	if len(u.Nodes) > 0 {
		parts = append(parts, fmt.Sprintf("the xCAT nodes %s boot from it (provmethod=%s)", strings.Join(u.Nodes, ","), u.Image))
	}
	if len(u.Clients) > 0 {
		var cs []string
		for _, cl := range u.Clients {
			var res []string
			for _, a := range cl.Uses {
				res = append(res, a.Key)
			}
			cs = append(cs, cl.Name+" ("+strings.Join(res, ", ")+")")
		}
		parts = append(parts, "NIM has it allocated to the clients "+strings.Join(cs, ", "))
	}
	return strings.Join(parts, "; ")
}

// WhoUses asks both sides, at the same time, who uses osimage img: the
// nodes whose provmethod names img.Name, and the NIM clients that have its
// SPOT or its root or shared_root allocated (shared resources such as
// paging or a shared_home say nothing about this image).
func (c *Client) WhoUses(ctx context.Context, img Osimage) ImageUse {
	u := ImageUse{Image: img.Name}
	var own []string
	for _, a := range []string{"spot", "root", "shared_root"} {
		if v := strings.TrimSpace(img.Get(a)); v != "" && ValidName(v) == nil {
			own = appendUnique(own, v)
		}
	}
	if len(own) == 0 && ValidName(img.Name) == nil {
		own = []string{img.Name} // the SPOT takes the image's name
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		u.Nodes, u.NodesErr = c.NodesUsing(ctx, img.Name)
	}()
	go func() {
		defer wg.Done()
		u.Clients, u.ClientsErr = c.ClientsUsing(ctx, own...)
	}()
	wg.Wait()
	return u
}
