package sim

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// osimage schema attributes (xCAT Schema.pm defspec osimage), without the
// key imagename, which lsdef never shows.
var osimageAttrs = strings.Fields(`groups profile imagetype description provmethod rootfstype osdistroname
 osupdatename cfmdir osname osvers osarch synclists postscripts postbootscripts serverrole isdeletable
 kitcomponents environvar usercomment
 template boottarget addkcmdline pkglist pkgdir otherpkglist otherpkgdir exlist postinstall rootimgdir
 kerneldir nodebootif otherifce netdrivers kernelver krpmver permission dump crashkernelsize partitionfile
 driverupdatesrc
 nimtype nimmethod lpp_source spot root configdump paging resolv_conf image_data tmp home shared_home
 shared_root script fb_script bosinst_data installp_bundle otherpkgs mksysb`)

// nimOnly are the attributes shown only when imagetype=NIM (only_if).
var nimOnly = strings.Fields(`nimtype nimmethod lpp_source spot root configdump paging resolv_conf
 image_data tmp home shared_home shared_root script fb_script bosinst_data installp_bundle otherpkgs mksysb`)

func osimageAttr(k string) bool { return contains(osimageAttrs, k) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shown is what lsdef prints of a definition: schema attributes, NIM ones
// only for NIM images.
func shown(img *Osimage) map[string]string {
	out := map[string]string{}
	for k, v := range img.Attrs {
		if !osimageAttr(k) {
			continue
		}
		if contains(nimOnly, k) && img.Attrs["imagetype"] != "NIM" {
			continue
		}
		out[k] = v
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

var lsdefUsage = []string{
	"Usage: lsdef - List xCAT data object definitions.",
	"  lsdef [-h | --help ] [-t object-types]",
	"",
	"  lsdef [-V | --verbose] [-l | --long] [-s | --short] [-a | --all] [-t object-types]",
	"        [-o object-names] [-z | --stanza ] [-i attr-list] [-c | --compress]",
	"        [-w attr==val [-w attr=~val] ...] [noderange]",
}

var lsdefSpec = optSpec{
	short: map[byte]bool{'h': false, 't': true, 'o': true, 'l': false, 's': false, 'z': false, 'i': true,
		'c': false, 'w': true, 'V': false, 'a': false},
	long: map[string]string{"help": "h", "long": "l", "short": "s", "stanza": "z", "compress": "c",
		"verbose": "V", "all": "a"},
}

type whereCond struct {
	attr, op, val string
	re            *regexp.Regexp
}

var whereRe = regexp.MustCompile(`^([^=!~]+)(==|!=|=~|!~|=)(.*)$`)

func (w whereCond) match(img *Osimage) bool {
	v := img.Attrs[w.attr]
	switch w.op {
	case "==", "=":
		return v == w.val
	case "!=":
		return v != w.val
	case "=~":
		return w.re.MatchString(v)
	case "!~":
		return !w.re.MatchString(v)
	}
	return false
}

func (p *proc) lsdef(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "lsdef: %v\n", err)
		return 1
	}
	o := p.xcat(s.Host)
	op, err := lsdefSpec.parse(argv, true)
	if err != nil || op.has('h') {
		o.info(lsdefUsage...)
		if err != nil {
			return 1
		}
		return 0
	}
	typ := op.str('t')
	if typ == "" {
		typ = "node"
	}
	var names []string
	for _, v := range op.val['o'] {
		names = append(names, splitComma(v)...)
	}
	for _, a := range op.args {
		names = append(names, splitComma(a)...)
	}
	long := op.has('l') || len(names) > 0 || op.has('i') || op.has('z')
	if op.has('s') {
		long = false
	}
	var conds []whereCond
	for _, w := range op.val['w'] {
		m := whereRe.FindStringSubmatch(w)
		if m == nil {
			o.err("Incorrect format of the -w flag: '" + w + "'.")
			return o.rc
		}
		c := whereCond{attr: m[1], op: m[2], val: m[3]}
		if c.op == "=~" || c.op == "!~" {
			if c.re, err = regexp.Compile(c.val); err != nil {
				o.err("Incorrect format of the -w flag: '" + w + "'.")
				return o.rc
			}
		}
		conds = append(conds, c)
	}
	var only []string
	if op.has('i') {
		for _, a := range splitComma(op.str('i')) {
			if !osimageAttr(a) && typ == "osimage" {
				o.err("'" + a + "' is not a valid attribute name for an object type of '" + typ + "'.")
				return o.rc
			}
			only = append(only, a)
		}
		sort.Strings(only)
	}

	var list []*Osimage
	if typ == "osimage" {
		if len(names) > 0 {
			for _, n := range names {
				if img := s.Osimage(n); img != nil {
					list = append(list, img)
				} else {
					o.err("Could not find an object named '" + n + "' of type 'osimage'.")
				}
			}
		} else {
			list = s.Osimages
		}
	}
	var sel []*Osimage
	for _, img := range list {
		ok := true
		for _, c := range conds {
			ok = ok && c.match(img)
		}
		if ok {
			sel = append(sel, img)
		}
	}
	if len(sel) == 0 {
		if o.rc == 0 {
			o.info("Could not find any objects to display.")
		}
		return o.rc
	}
	sort.Slice(sel, func(i, j int) bool { return sel[i].Name < sel[j].Name })
	if op.has('z') {
		o.info("# <xCAT data object stanza file>")
	}
	for _, img := range sel {
		attrs := shown(img)
		keys := sortedKeys(attrs)
		if only != nil {
			keys = only
		}
		switch {
		case op.has('z'):
			o.info("", img.Name+":", "    objtype=osimage")
			for _, k := range keys {
				o.info("    " + k + "=" + attrs[k])
			}
		case op.has('c') && long:
			for _, k := range keys {
				if attrs[k] != "" || only != nil {
					o.info(img.Name + ": " + k + "=" + attrs[k])
				}
			}
		case long:
			o.info("Object name: " + img.Name)
			for _, k := range keys {
				if attrs[k] != "" || only != nil {
					o.info("    " + k + "=" + attrs[k])
				}
			}
		default:
			o.info(img.Name + "  (osimage)")
		}
	}
	return o.rc
}

func splitComma(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

var chdefSpec = optSpec{
	short: map[byte]bool{'h': false, 't': true, 'o': true, 'V': false, 'm': false, 'p': false, 'z': false},
	long:  map[string]string{"help": "h", "verbose": "V", "minus": "m", "plus": "p", "stanza": "z"},
}

var chdefUsage = []string{
	"Usage: chdef - Change xCAT data object definitions.",
	"  chdef [-h | --help ] [-t object-types]",
	"",
	"  chdef [-V | --verbose] [-t object-types] [-o object-names] [-d | --dynamic]",
	"        [-p | --plus] [-m | --minus] [-z | --stanza ] [noderange] [attr=val [attr=val...]]",
}

// chdef changes (or creates) osimage definitions.
func (p *proc) chdef(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "chdef: %v\n", err)
		return 1
	}
	o := p.xcat(s.Host)
	op, err := chdefSpec.parse(argv, true)
	if err != nil || op.has('h') || len(argv) == 0 {
		o.info(chdefUsage...)
		if err != nil {
			return 1
		}
		return 0
	}
	typ := op.str('t')
	var names []string
	for _, v := range op.val['o'] {
		names = append(names, splitComma(v)...)
	}
	set := map[string]string{}
	var order []string
	for _, a := range op.args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			names = append(names, splitComma(a)...)
			continue
		}
		if k == "" {
			o.err("Incorrect 'attr=val' pair - " + a)
			return o.rc
		}
		set[k] = v
		order = append(order, k)
	}
	if typ != "osimage" {
		o.err("The nimwiz simulator only keeps osimage definitions (use -t osimage).")
		return o.rc
	}
	if len(names) == 0 {
		o.err("No object names were provided.")
		return o.rc
	}
	for _, k := range order {
		if !osimageAttr(k) {
			o.err("'" + k + "' is not a valid attribute name for an object type of 'osimage'.")
			o.err("No object definitions have been created or modified.")
			return o.rc
		}
	}
	err = p.st.Update(func(s *State) error {
		for _, n := range names {
			img := s.Osimage(n)
			if img == nil {
				img = &Osimage{Name: n, Attrs: map[string]string{}}
				s.PutOsimage(img)
			}
			for _, k := range order {
				v := set[k]
				switch {
				case op.has('p'):
					img.Attrs[k] = strings.Join(append(splitComma(img.Attrs[k]), splitComma(v)...), ",")
				case op.has('m'):
					var keep []string
					for _, x := range splitComma(img.Attrs[k]) {
						if !contains(splitComma(v), x) {
							keep = append(keep, x)
						}
					}
					img.Attrs[k] = strings.Join(keep, ",")
				default:
					img.Attrs[k] = v
				}
				if img.Attrs[k] == "" {
					delete(img.Attrs, k)
				}
			}
		}
		return nil
	})
	if err != nil {
		o.err(err.Error())
		return o.rc
	}
	o.info(fmt.Sprintf("%d object definitions have been created or modified.", len(names)))
	return o.rc
}
