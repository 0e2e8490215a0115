package sim

import (
	"regexp"
	"sort"
	"strings"
)

// lsdef as xCAT's DBobjectdefs plugin answers it: processArgs and defls of
// xCAT-server/lib/xcat/plugins/DBobjectdefs.pm at 2.9.2_aix_release (cited
// as [defobj]; [defhead] is HEAD's) with DBobjUtils getobjdefs and
// getObjectsOfType (perl-xCAT/xCAT/DBobjUtils.pm, [dbobjutils]), for the
// object types the simulated master has: osimage and site (node and the
// others have no objects here).

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

// linuxOnly are the attributes that exist only when imagetype=linux.
var linuxOnly = strings.Fields(`rootfstype template boottarget addkcmdline pkglist pkgdir otherpkglist
 otherpkgdir exlist postinstall rootimgdir kerneldir nodebootif otherifce netdrivers kernelver krpmver
 permission crashkernelsize partitionfile driverupdatesrc`)

func osimageAttr(k string) bool { return contains(osimageAttrs, k) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shown is what lsdef has of a definition: schema attributes, NIM ones
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

// hasAttr is whether getobjdefs puts attr in the object's hash, which a
// -w condition requires ([utils] selection_string_match: an attribute the
// object does not have matches nothing): set, or a column of a row the
// image has (the osimage table's for every image, nimimage's for NIM ones).
func hasAttr(img *Osimage, attr string) bool {
	if _, ok := img.Attrs[attr]; ok {
		return true
	}
	if !osimageAttr(attr) {
		return false
	}
	switch {
	case contains(nimOnly, attr):
		return img.Attrs["imagetype"] == "NIM"
	case contains(linuxOnly, attr):
		return img.Attrs["imagetype"] == "linux"
	}
	return true
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

// The options processArgs takes ([defobj] L434-458).
var lsdefSpec = optSpec{
	short: map[byte]bool{'a': false, 'c': false, 'd': false, 'f': false, 'i': true, 'h': false, '?': false,
		'l': false, 's': false, 'm': false, 'n': true, 'o': true, 'p': false, 't': true, 'V': false,
		'v': false, 'w': true, 'x': false, 'z': false, 'S': false, 'u': false},
	long: map[string]string{"all": "a", "compress": "c", "dynamic": "d", "force": "f", "help": "h", "long": "l",
		"short": "s", "minus": "m", "plus": "p", "verbose": "V", "version": "v", "xml": "x", "stanza": "z"},
}

// objectTypes are xCAT's object types ([schema] %defspec at 2.9.2 L1723-1744).
var objectTypes = strings.Fields(`node osimage network route group site policy monitoring notification
 eventlog auditlog boottarget kit kitrepo kitcomponent rack osdistro osdistroupdate zone`)

// whereCond is one -w condition ([utils] parse_selection_string).
type whereCond struct {
	attr, match, val string
	re               *regexp.Regexp
}

// parseWhere reads "attr==val", "attr=~val", "attr!=val", "attr!~val" or
// "attr=val" (perl-xCAT/xCAT/Utils.pm at 2.9.2_aix_release
// parse_selection_string); a later condition on the same attribute
// replaces an earlier one (they are kept in a hash).
func parseWhere(ws []string) (map[string]whereCond, bool) {
	out := map[string]whereCond{}
	pre := func(m, sep string) bool {
		i := strings.Index(m, sep)
		return i >= 0 && !strings.Contains(m[:i], "=")
	}
	for _, m := range ws {
		var c whereCond
		var sep string
		switch {
		case pre(m, "=="):
			c.match, sep = "match", "=="
		case pre(m, "=~"):
			c.match, sep = "regex", "=~"
		case pre(m, "!="):
			c.match, sep = "natch", "!="
		case strings.Contains(m, "!~"):
			c.match, sep = "negex", "!~"
		case regexp.MustCompile(`^[^=]*=[^=]+$`).MatchString(m):
			c.match, sep = "match", "="
		default:
			return nil, false
		}
		c.attr, c.val, _ = strings.Cut(m, sep)
		if c.match == "regex" || c.match == "negex" {
			c.val = strings.TrimSuffix(strings.TrimPrefix(c.val, "/"), "/")
			re, err := regexp.Compile(c.val)
			if err != nil {
				return nil, false
			}
			c.re = re
		}
		out[c.attr] = c
	}
	return out, true
}

// matchWhere is [utils] selection_string_match.
func matchWhere(conds map[string]whereCond, attrs map[string]string, has func(string) bool) bool {
	for _, c := range conds {
		if !has(c.attr) {
			return false
		}
		v := attrs[c.attr]
		switch c.match {
		case "match":
			if v != c.val {
				return false
			}
		case "natch":
			if v == c.val {
				return false
			}
		case "regex":
			if !c.re.MatchString(v) {
				return false
			}
		case "negex":
			if c.re.MatchString(v) {
				return false
			}
		}
	}
	return true
}

// lsdefArgs is what processArgs leaves in its globals.
type lsdefArgs struct {
	op        opts
	types     []string
	names     []string          // @::clobjnames
	typeOf    map[string]string // %::ObjTypeHash
	fromOptO  bool              // $::objectsfrom_opto
	fromArgs  bool              // $::objectsfrom_args
	fromOptT  bool              // $::objectsfrom_optt
	fromFile  bool              // $::objectsfrom_file
	noderange bool              // @::noderange non-empty
	where     map[string]whereCond
	attrList  []string
}

func (p *proc) lsdef(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		o := p.xcat0()
		o.err(err.Error())
		return o.rc
	}
	o := p.xcatOut(s.Host)
	// process_request ([defobj] L133-175): defls's return code is sent as
	// the last reply's errorcode.
	o.code(p.defls(o, s, argv))
	return o.rc
}

// processArgs is [defobj] processArgs L387-1168 for lsdef: 0 go on, 1
// return, 2 usage, 3 error.
func (p *proc) lsdefArgs(o *xout, s *State, argv []string) (*lsdefArgs, int) {
	if len(argv) == 0 || (len(argv) == 1 && argv[0] == "-S") {
		argv = []string{"-t", "node", "-s"}
	}
	if len(argv) == 2 && ((argv[0] == "-l" && argv[1] == "-S") || (argv[0] == "-S" && argv[1] == "-l")) {
		argv = append(argv, "-t", "node")
	}
	if len(argv) == 1 && argv[0] == "-l" {
		argv = append(argv, "-t", "node")
	}
	op, err := lsdefSpec.parse(argv, true)
	if err != nil {
		o.err("Invalid option..")
		return nil, 2
	}
	a := &lsdefArgs{op: op, typeOf: map[string]string{}}
	if op.has('u') {
		o.err("Option '-u' can not work with lsdef.")
		return nil, 2
	}
	optT := op.str('t')
	if optT == "" && !op.has('a') && !op.has('h') {
		optT = "node"
	}
	checks := []struct {
		bad bool
		msg string
	}{
		{op.has('x'), "The '-x' (XML format) option is not yet implemented."},
		{op.has('a') && op.str('t') != "", "The flags '-a' and '-t' cannot be used together."},
		{op.has('l') && op.has('s'), "The flags '-l' and '-s' cannot be used together."},
		{op.has('i') && op.has('s'), "The flags '-i' and '-s' cannot be used together."},
		{op.has('c') && !op.has('i'), "The flags '-c' and '-i' must be used together."},
	}
	for _, c := range checks {
		if c.bad {
			o.err(c.msg)
			return nil, 2
		}
	}
	// The operands: "while (my $a = shift(@ARGV))" ([defobj] L604) stops at
	// one Perl takes as false.
	spaced := false
	var noderange []string
	for _, arg := range op.args {
		if !perlTrue(arg) {
			break
		}
		if strings.Contains(arg, "=") {
			continue // attr=val pairs mean nothing to lsdef
		}
		if spaced {
			o.err("noderange can not contain spaces.")
			return nil, 2
		}
		spaced = true
		if optT != "" && optT != "node" {
			a.names = strings.Split(arg, ",")
			noderange = a.names
			a.fromArgs = true
		} else if nodes, ok := expandNoderange(s, arg); ok {
			a.names = nodes
			noderange = nodes
			a.fromArgs = true
		} else {
			o.errc(1, "No node in '"+arg+"', check the noderange syntax.")
			return nil, 3
		}
	}
	a.noderange = len(noderange) > 0
	if op.has('h') && optT == "" {
		return nil, 2
	}
	if op.has('v') {
		o.info("lsdef - " + p.version())
		return nil, 1
	}
	filedata := strings.TrimSpace(p.stdin) != ""
	var fileNames []string
	if filedata {
		// [defobj] L715-727 and readFileInput: object names are the stanza
		// heads ("name:").
		for _, l := range strings.Split(p.stdin, "\n") {
			if m := regexp.MustCompile(`^\s*(\S+?):\s*$`).FindStringSubmatch(l); m != nil {
				fileNames = append(fileNames, m[1])
			}
		}
		a.fromFile = true
	}
	if optT != "" {
		for _, t := range strings.Split(optT, ",") {
			if !contains(objectTypes, t) {
				o.err("\nType '" + t + "' is not a valid xCAT object type.")
				return nil, 3
			}
			a.types = append(a.types, t)
		}
	}
	if len(a.types) == 0 && !op.has('a') {
		a.types = []string{"node"}
	}
	if op.has('h') {
		// the list of valid attributes of each type ([defobj] L770-880), abridged
		for _, t := range a.types {
			if t == "osimage" {
				o.info("The valid attribute names for object type 'osimage' are:", "Attribute          Description\n", strings.Join(osimageAttrs, "\n"))
			}
		}
		return nil, 1
	}
	if v := op.str('o'); perlTrue(v) {
		a.fromOptO = true
		switch {
		case optT == "site" && v != "clustersite":
			a.names = []string{v, "clustersite"}
		case optT == "node":
			nodes, ok := expandNoderange(s, v)
			if !ok {
				o.errc(1, "No node in '"+v+"', check the noderange syntax.")
				return nil, 3
			}
			a.names = nodes
		default:
			a.names = strings.Split(v, ",")
		}
	}
	if optT == "site" && !perlTrue(op.str('o')) {
		a.names = append(a.names, "clustersite")
		a.fromOptO = true
	}
	if optT != "" && !perlTrue(op.str('o')) && !filedata && !op.has('a') && !a.noderange && len(a.names) == 0 {
		a.fromOptT = true
		for _, t := range a.types {
			var list []string
			if t == "site" {
				list = []string{"clustersite"}
			} else {
				list = objectsOfType(s, t)
				if len(list) == 0 {
					o.err("Could not get objects of type '" + t + "'.")
					return nil, 3
				}
			}
			for _, n := range list {
				a.names = append(a.names, n)
				a.typeOf[n] = t
			}
		}
	}
	if op.has('a') {
		if perlTrue(op.str('o')) || filedata || a.noderange {
			o.err("Cannot use '-a' with '-o', a noderange or file input.")
			return nil, 3
		}
		for _, t := range objectTypes {
			if t == "auditlog" || t == "eventlog" {
				continue
			}
			for _, n := range objectsOfType(s, t) {
				a.names = append(a.names, n)
				a.typeOf[n] = t
			}
		}
	}
	if len(a.names) == 0 && len(fileNames) == 0 {
		o.err("No object names were provided.")
		return nil, 3
	}
	if ws := op.val['w']; len(ws) > 0 {
		w, ok := parseWhere(ws)
		if !ok {
			o.err("Incorrect selection string specified with -w flag.")
			return nil, 3
		}
		a.where = w
	}
	if op.has('i') {
		a.attrList = strings.Split(op.str('i'), ",")
	}
	return a, 0
}

// objectsOfType is [dbobjutils] getObjectsOfType: clustersite for site, the
// osimage table's names for osimage, nothing for the rest.
func objectsOfType(s *State, t string) []string {
	switch t {
	case "site":
		return []string{"clustersite"}
	case "osimage":
		var out []string
		for _, img := range s.Osimages {
			out = append(out, img.Name)
		}
		return out
	case "node":
		var out []string
		for _, n := range s.Nodes {
			out = append(out, n.Name)
		}
		return out
	}
	return nil
}

// nodeAttrs are the node attributes the simulated master knows (xCAT
// Schema.pm defspec node, abridged to what an AIX cluster sets).
var nodeAttrs = strings.Fields(`arch groups hcp id installnic ip mac mgt netboot nodetype os parent
 primarynic profile provmethod servicenode status xcatmaster`)

// expandNoderange is xCAT's noderange for a comma list of node and group
// names (no ranges or patterns): false when an item is neither.
func expandNoderange(s *State, nr string) ([]string, bool) {
	var out []string
	for _, it := range strings.Split(nr, ",") {
		if s.Node(it) != nil {
			if !contains(out, it) {
				out = append(out, it)
			}
			continue
		}
		found := false
		for _, n := range s.Nodes {
			if contains(strings.Split(n.Attrs["groups"], ","), it) {
				found = true
				if !contains(out, n.Name) {
					out = append(out, n.Name)
				}
			}
		}
		if !found {
			return nil, false
		}
	}
	sort.Strings(out)
	return out, len(out) > 0
}

// lsdefObj is one object of getobjdefs' hash.
type lsdefObj struct {
	name, typ string
	attrs     map[string]string
	has       func(string) bool
}

// getobjdefs is [dbobjutils] getobjdefs for the objects of typeOf: with
// ATTRLIST "none" only their type, otherwise their attributes. Any osimage
// name gets an entry (its type is set while the attributes are looked up);
// the site objects get the site table's keys, none if it has no rows.
func (p *proc) getobjdefs(o *xout, s *State, typeOf map[string]string, none bool) map[string]*lsdefObj {
	out := map[string]*lsdefObj{}
	names := sortedKeys(typeOf)
	for _, n := range names {
		t := typeOf[n]
		ob := &lsdefObj{name: n, typ: t, attrs: map[string]string{}, has: func(string) bool { return false }}
		if none {
			out[n] = ob
			continue
		}
		switch t {
		case "osimage":
			if img := s.Osimage(n); img != nil {
				ob.attrs = shown(img)
				ob.has = func(a string) bool { return hasAttr(img, a) }
			}
			out[n] = ob
		case "node":
			if nd := s.Node(n); nd != nil {
				for k, v := range nd.Attrs {
					ob.attrs[k] = v
				}
				ob.has = func(a string) bool { _, ok := nd.Attrs[a]; return ok }
			}
			out[n] = ob
		case "site":
			site := p.site(s)
			if len(site) == 0 {
				o.err("Could not read the '" + n + "' object from the 'site' table.")
				continue
			}
			for k, v := range site {
				ob.attrs[k] = v
			}
			ob.has = func(a string) bool { _, ok := ob.attrs[a]; return ok }
			out[n] = ob
		default:
			out[n] = ob
		}
	}
	return out
}

// defls is [defobj] defls L2772-3642: the answer, as one reply at the end.
func (p *proc) defls(o *xout, s *State, argv []string) int {
	a, rc := p.lsdefArgs(o, s, argv)
	switch rc {
	case 1:
		return 0
	case 2:
		o.info(lsdefUsage...)
		return 0
	case 3:
		return 1
	}
	op := a.op
	long := op.has('l') || a.noderange || perlTrue(op.str('o')) || op.has('i')
	if op.has('s') {
		long = false
	}
	// $::ATTRLIST ([defobj] L2823-2842): "none" gets only the names.
	none := true
	switch {
	case op.has('l') || len(a.where) > 0, op.has('i'):
		none = false
	case a.noderange || perlTrue(op.str('o')):
		none = op.has('s')
	}

	var myhash map[string]*lsdefObj
	if a.fromOptO || a.fromArgs {
		typeOf := map[string]string{}
		for _, n := range a.names {
			typeOf[n] = a.types[0]
		}
		myhash = p.getobjdefs(o, s, typeOf, none)
		if len(myhash) == 0 {
			o.err("Could not get xCAT object definitions.")
			return 1
		}
	}
	if a.fromOptT {
		myhash = p.getobjdefs(o, s, a.typeOf, none)
		if len(myhash) == 0 {
			o.err("Could not get xCAT object definitions.")
			return 1
		}
	}
	if op.has('a') {
		myhash = p.getobjdefs(o, s, a.typeOf, false)
		if len(myhash) == 0 {
			o.err("Could not get xCAT object definitions.")
			return 1
		}
		a.types = objectTypes
	}
	if len(myhash) == 0 {
		// Reached only when the names came from a stanza file on stdin.
		o.info("Could not find any objects to display.")
		return 0
	}

	display := map[string]bool{}
	if a.where != nil {
		for _, n := range sortedObjKeys(myhash) {
			ob := myhash[n]
			if matchWhere(a.where, ob.attrs, ob.has) {
				display[n] = true
			}
		}
	}

	var data []string
	if op.has('z') {
		data = append(data, "# <xCAT data object stanza file>")
	}
	total := 0
	for _, typ := range a.types {
		var valid []string
		if op.has('i') {
			switch typ {
			case "osimage":
				valid = append([]string{"imagename"}, osimageAttrs...)
			case "node":
				valid = append([]string{"node"}, nodeAttrs...)
			}
		}
		defhash := map[string]*lsdefObj{}
		for n, ob := range myhash {
			if ob.typ == typ {
				defhash[n] = ob
			}
		}
		all := objectsOfType(s, typ)
		if len(all) == 0 {
			o.info("Could not find any objects of type '" + typ + "'.")
			continue
		}
		var attrList []string
		if typ != "site" && typ != "monitoring" {
			if len(a.attrList) > 0 {
				for _, at := range a.attrList {
					if contains(valid, at) {
						if !contains(attrList, at) {
							attrList = append(attrList, at)
						}
					} else {
						o.err("'" + at + "' is not a valid attribute name for an object type of '" + typ + "'.")
					}
				}
			} else if typ == "osimage" {
				attrList = append(attrList, osimageAttrs...)
			} else if typ == "node" {
				attrList = append(attrList, nodeAttrs...)
			}
		}
		for _, n := range sortedObjKeys(defhash) {
			ob := defhash[n]
			total++
			if a.where != nil && !display[n] {
				continue
			}
			if (a.fromArgs || perlTrue(op.str('o'))) && !contains(all, n) {
				o.err("Could not find an object named '" + n + "' of type '" + typ + "'.")
				continue
			}
			if typ == "site" || typ == "monitoring" {
				attrList = append(attrList, sortedKeys(ob.attrs)...)
			}
			if !long {
				switch {
				case op.has('a'):
					data = append(data, n+" ("+typ+")")
				case op.has('z'):
					data = append(data, "\n"+n+":")
				default:
					data = append(data, n+"  ("+typ+")")
				}
				continue
			}
			switch {
			case op.has('z'):
				data = append(data, "\n"+n+":", "    objtype="+typ)
			case len(a.types) > 1:
				data = append(data, "Object name: "+n+"  ("+typ+")")
			case !op.has('c'):
				data = append(data, "Object name: "+n)
			}
			shownList := append([]string(nil), attrList...)
			sort.Strings(shownList)
			for _, at := range shownList {
				if at == "objtype" {
					continue
				}
				val := ob.attrs[at]
				if op.has('i') {
					if contains(a.attrList, at) {
						if op.has('c') {
							data = append(data, n+": "+at+"="+val)
						} else {
							data = append(data, "    "+at+"="+val)
						}
					}
					continue
				}
				if val != "" {
					data = append(data, "    "+at+"="+val)
				}
			}
		}
	}
	switch {
	case len(data) > 0:
		o.info(data...)
	case total > 0 && p.noDefsMessage():
		// [defhead] L4300-4309; before 2.14.5 nothing is printed.
		o.info("No object definitions have been found")
	}
	return 0
}

func sortedObjKeys(m map[string]*lsdefObj) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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
