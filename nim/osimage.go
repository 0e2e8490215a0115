package nim

import (
	"fmt"
	"sort"
	"strings"
)

// Get returns the value of attr, or "".
func (o Osimage) Get(attr string) string { return o.Attrs[attr] }

// NimType is the image's nimtype (diskless, dataless, standalone).
func (o Osimage) NimType() NimType { return NimType(o.Get("nimtype")) }

// Stateless reports whether the image has a shared_root (mknimimage -r).
func (o Osimage) Stateless() bool { return o.Get("shared_root") != "" }

// HasDump reports whether the image has a dump resource.
func (o Osimage) HasDump() bool { return o.Get("dump") != "" }

// Spot is the name of the image's SPOT.
func (o Osimage) Spot() string { return o.Get("spot") }

// LppSource is the name of the image's lpp_source.
func (o Osimage) LppSource() string { return o.Get("lpp_source") }

// NotCarried lists, as attr=value, the attributes of o that re-creating it
// with plan p (PlanFromOsimage, maybe edited) would not give the new
// definition: p's definition is compared under o's name, so resources
// named after the osimage count as kept.
func NotCarried(o Osimage, p Plan) []string {
	q := p
	q.Name = o.Name
	def := q.Definition()
	var out []string
	for _, k := range sortedKeys(o.Attrs) {
		v := strings.TrimSpace(o.Attrs[k])
		if v == "" || k == "objtype" {
			continue
		}
		if def.Get(k) != v {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ChangeProblem says why setting attr to value (empty: dropping it) in
// o's definition with chdef would leave an image no node can boot, or "".
// xCAT's chdef takes any of these; NIM and mkdsklsnode do not:
//   - a diskless node boots from a root (stateful) or a shared_root
//     (stateless), never both, and needs one of them (mknimimage makes
//     one or the other: -r, xcat-mknimimage.md §2);
//   - a shared_root is only for diskless (stateless) images;
//   - a dataless node pages on its local disk: no paging resource
//     (Plan.extraConflict's rule, the same for a plan);
//   - a mksysb only installs standalone machines.
func (o Osimage) ChangeProblem(attr, value string) string {
	after := map[string]string{}
	for k, v := range o.Attrs {
		after[k] = strings.TrimSpace(v)
	}
	after[attr] = strings.TrimSpace(value)
	root, shared := after["root"], after["shared_root"]
	dataless := o.NimType() == Dataless
	switch attr {
	case "root", "shared_root":
		switch {
		case root != "" && shared != "":
			other := "shared_root " + shared
			if attr == "shared_root" {
				other = "root " + root
			}
			return fmt.Sprintf("%s already boots from its %s: a node gets a root (stateful) or a shared_root (stateless), never both. Drop %s first, or re-create the image as the other kind", o.Name, other, map[bool]string{true: "shared_root", false: "root"}[attr == "root"])
		case shared != "" && dataless:
			return fmt.Sprintf("%s is dataless: a shared_root is only for stateless diskless images; a dataless node uses a root", o.Name)
		case root == "" && shared == "" && (o.NimType() == Diskless || dataless):
			return fmt.Sprintf("%s is %s: its nodes need a root or a shared_root to boot; choose another instead of dropping it", o.Name, o.NimType())
		}
	case "paging":
		if value != "" && dataless {
			return fmt.Sprintf("%s is dataless: its nodes page on their local disk and take no paging resource", o.Name)
		}
	case "mksysb":
		if value != "" && (o.NimType() == Diskless || dataless) {
			return "a mksysb only installs standalone machines; diskless and dataless nodes boot from the SPOT"
		}
	}
	return ""
}

// IsNIM reports whether this is an AIX (NIM) image rather than a Linux one.
func (o Osimage) IsNIM() bool { return strings.EqualFold(o.Get("imagetype"), "NIM") }

// ResourceAttrs returns the image's non-empty attributes that name NIM
// resources (the attribute table's ResourceAttr rows), sorted by
// attribute. Values are as lsdef printed them (a list attribute, such as
// installp_bundle or script, may hold several names).
func (o Osimage) ResourceAttrs() []Attr {
	var attrs []Attr
	for _, spec := range Attrs(func(a AttrSpec) bool { return a.Kind == ResourceAttr }) {
		if v := o.Attrs[spec.Name]; v != "" {
			attrs = append(attrs, Attr{Key: spec.Name, Value: v})
		}
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	return attrs
}
