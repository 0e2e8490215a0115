package nim

import (
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
