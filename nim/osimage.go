package nim

import (
	"sort"
	"strings"
)

// osimageResourceAttrs are the osimage attributes whose values name NIM
// resources (the nimimage table's resource columns).
var osimageResourceAttrs = []string{
	"bosinst_data", "dump", "fb_script", "home", "image_data", "installp_bundle",
	"lpp_source", "mksysb", "paging", "resolv_conf", "root", "script",
	"shared_home", "shared_root", "spot", "tmp",
}

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
// resources, sorted by attribute. Values are as lsdef printed them
// (installp_bundle may be a comma-separated list).
func (o Osimage) ResourceAttrs() []Attr {
	var attrs []Attr
	for _, k := range osimageResourceAttrs {
		if v := o.Attrs[k]; v != "" {
			attrs = append(attrs, Attr{Key: k, Value: v})
		}
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Key < attrs[j].Key })
	return attrs
}
