package sim

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// mknimimage as xCAT's aixinstall plugin runs it: xCAT-server/lib/xcat/
// plugins/aixinstall.pm at 2.9.2_aix_release (cited as [aix]; the messages
// are the same at HEAD). NIM's own work (copying the lpp_source, building
// the SPOT, defining root, paging and dump) is done by "/usr/sbin/nim -Fo
// define ..." run as runcmd runs it (runcmd.go; the define itself is in
// nimdefine.go).

// errFail ends a phase whose messages were already printed.
var errFail = errors.New("failed")

var mknimimageUsage = []string{
	"\n  mknimimage - Use this xCAT command to create xCAT osimage definitions \n\t\tand related AIX/NIM resources. The command can also be used \n\t\tto update an existing AIX diskless image(SPOT).\n",
	"  Usage: ",
	"\tmknimimage [-h | --help]",
	"or",
	"\tmknimimage [-V] -u osimage_name [attr=val [attr=val ...]]",
	"or",
	"\tmknimimage [-V] [-f|--force] [-t nimtype] [-m nimmethod] [-c|--completeosimage]\n\t\t[-r|--sharedroot] [-D|--mkdumpres] [-l <location>] [-s image_source]\n\t\t[-i current_image] [-p|--cplpp] [-n mksysbnode] [-b mksysbfile]\n\t\tosimage_name [attr=val [attr=val ...]]\n",
}

var mknimimageSpec = optSpec{
	short: map[byte]bool{'b': true, 'c': false, 'D': false, 'f': false, 'h': false, 's': true, 'r': false,
		'l': true, 'i': true, 't': true, 'm': true, 'n': true, 'p': false, 'u': false, 'V': false, 'v': false},
	long: map[string]string{"completeosimage": "c", "mkdumpres": "D", "force": "f", "help": "h", "sharedroot": "r",
		"cplpp": "p", "update": "u", "verbose": "V", "version": "v"},
}

// attrPair is xCAT's reading of an attr=val operand ([aix] L2352).
var attrPair = regexp.MustCompile(`^\s*(\S+?)\s*=\s*(\S*.*)$`)

// mkrun is one mknimimage run.
type mkrun struct {
	p       *proc
	o       *xout
	host    string
	verbose bool
	name    string
	nimtype string
	method  string
	src     string
	loc     string // -l, or "" for the default
	shared  bool
	dump    bool
	forced  bool
	attrs   map[string]string
	nimres  map[string]bool // lsnim -c resources, taken once like xCAT does

	copyFrom string   // -i OLD
	cplpp    bool     // -p
	old      *Osimage // OLD's definition (-i); empty when it has none
	complete bool     // -c
	cdef     *Osimage // NAME's definition (-c), nil when none
}

func (r *mkrun) base() string {
	if r.loc != "" {
		return r.loc
	}
	return "/install/nim"
}

// vrun prints xCAT's runcmd -V line for a command it runs locally
// (perl-xCAT/xCAT/Utils.pm at 2.9.2_aix_release L975-991: " 2>&1" added
// unless the command ends with it).
func (r *mkrun) vrun(cmd string) {
	if !r.verbose {
		return
	}
	if !strings.HasSuffix(cmd, "2>&1") {
		cmd += " 2>&1"
	}
	r.o.info(fmt.Sprintf("Running command on %s: %s\n", r.host, cmd))
}

// fullPath is xCAT::Utils->full_path: a relative path taken from the
// client's working directory.
func (p *proc) fullPath(s string) string {
	if strings.HasPrefix(s, "/") {
		return s
	}
	return path.Join(p.cwd, s)
}

func (p *proc) mknimimage(argv []string) int {
	p.setPhase("start")
	s, err := p.st.View()
	if err != nil {
		o := p.xcat0()
		o.err(err.Error())
		return o.done(1)
	}
	o := p.xcatOut(s.Host)
	if len(argv) == 0 {
		o.info(mknimimageUsage...)
		return 0
	}
	op, err := mknimimageSpec.parse(argv, true)
	if err != nil {
		// Getopt::Long's complaint goes to xcatd's log; the user sees the usage.
		o.info(mknimimageUsage...)
		return 0
	}
	if op.has('h') {
		o.info(mknimimageUsage...)
		return 0
	}
	if op.has('v') {
		o.info("mknimimage " + p.version() + "\n")
		return 0
	}
	r := &mkrun{p: p, o: o, host: s.Host, verbose: op.has('V'), nimtype: op.str('t'), method: op.str('m'),
		src: op.str('s'), loc: op.str('l'), shared: op.has('r'), dump: op.has('D'), forced: op.has('f'), attrs: map[string]string{}}
	if op.has('p') && !op.has('i') {
		o.err("The '-p' option is only valid when using the -i' option.\n")
		return o.done(1)
	}
	// The operands: "while (my $a = shift(@ARGV))" ([aix] L2338) stops at
	// the first operand Perl takes as false, "0" or "": an image named 0 is
	// never seen, nor anything after it.
	for _, a := range op.args {
		if !perlTrue(a) {
			break
		}
		if !strings.Contains(a, "=") {
			r.name = strings.TrimSuffix(a, "\n") // chomp
			continue
		}
		m := attrPair.FindStringSubmatch(a)
		if m == nil {
			o.errc(1, "Incorrect 'attr=val' pair - "+a+"\n")
			return o.done(3)
		}
		r.attrs[m[1]] = m[2]
	}
	update := op.has('u')
	r.copyFrom, r.cplpp, r.complete = op.str('i'), op.has('p'), op.has('c')
	if r.complete {
		// -c takes nimtype, nimmethod, -r and -s from the existing
		// definition ([aix] L2390-2430).
		if st, err := p.st.View(); err == nil {
			r.cdef = st.Osimage(r.name)
		}
	}
	cget := func(a string) string {
		if r.cdef == nil {
			return ""
		}
		return r.cdef.Attrs[a]
	}
	if r.nimtype == "" {
		switch {
		case cget("nimtype") != "":
			r.nimtype = cget("nimtype")
		case update:
			r.nimtype = "diskless"
		default:
			r.nimtype = "standalone"
		}
	}
	if r.method == "" {
		switch {
		case cget("nimmethod") != "":
			r.method = cget("nimmethod")
		case !update && r.nimtype == "standalone":
			r.method = "rte"
		}
	}
	if cget("shared_root") != "" {
		r.shared = true
	}
	if !perlTrue(r.src) && cget("lpp_source") != "" {
		r.src = cget("lpp_source")
	}
	if r.shared && r.nimtype != "diskless" {
		o.err("The '-r' option is only valid for diskless images.\n")
		o.info(mknimimageUsage...)
		return o.done(1)
	}
	if r.loc != "" {
		r.loc = p.fullPath(r.loc)
	}
	r.loc = strings.TrimSuffix(r.loc, "/")
	if r.nimtype == "standalone" && op.has('i') {
		o.err("The '-i' option is only valid for diskless and dataless nodes.\n")
		o.info(mknimimageUsage...)
		return o.done(1)
	}
	for _, c := range []byte{'n', 'b'} {
		if op.has(c) {
			o.err(fmt.Sprintf("The '-%c' option is not supported by the nimwiz simulator.\n", c))
			return o.done(1)
		}
	}
	return o.done(r.run(update))
}

// run does what aixinstall.pm's mknimimage does, in its order; it returns
// the plugin's return code.
func (r *mkrun) run(update bool) int {
	p, o := r.p, r.o
	p.setPhase("check")
	r.vrun("/usr/sbin/lsnim -l >/dev/null 2>&1")
	s, err := p.st.View()
	if err != nil {
		o.err(err.Error())
		return 1
	}
	existing := s.Osimage(r.name)
	if update {
		return r.update(existing)
	}
	if existing != nil && !r.complete {
		if r.forced {
			if err := p.st.Update(func(s *State) error { s.RemoveOsimage(r.name); return nil }); err != nil {
				o.err("Could not remove the existing xCAT definition for '" + r.name + "'.\n")
			}
		} else {
			o.err("The osimage definition '" + r.name + "' already exists.\n")
			return 1
		}
	}
	r.vrun("/usr/sbin/lsnim -c resources | /usr/bin/cut -f1 -d' ' 2>/dev/null")
	r.nimres = map[string]bool{}
	for _, ob := range s.Objects {
		if ob.Class == "resources" {
			r.nimres[ob.Name] = true
		}
	}
	if r.complete && r.cdef == nil && !perlTrue(r.src) {
		// Nothing to complete and nothing to make an lpp_source from
		// (notes §3.2, RAN).
		o.err("Could not get an lpp_source resource for this diskless image.\n")
		o.err("Could not create lpp_source definition.\n")
		return 1
	}
	newres := map[string]string{}
	switch r.nimtype {
	case "diskless", "dataless":
		if r.copyFrom != "" {
			// getobjdefs gives an empty definition for an unknown OLD
			// ([dbobj] L485): mk_lpp_source says what is missing.
			r.old = &Osimage{Name: r.copyFrom, Attrs: map[string]string{}}
			if o := s.Osimage(r.copyFrom); o != nil {
				r.old = o
			}
			if r.old.Attrs["shared_root"] != "" {
				r.shared = true // NEW_shared_root ([aix] L3161-3240)
			}
		}
		if !r.complete && ((r.src == "" && r.copyFrom == "") || r.name == "") {
			o.err("The image name and either the -s or -i option are required.\n")
			o.info(mknimimageUsage...)
			return 1
		}
		if err := r.resources(newres); err != nil {
			return 1 // messages printed
		}
	case "standalone":
		o.err("Standalone (rte and mksysb) images are not supported by the nimwiz simulator.\n")
		return 1
	}

	// The definition is written only now that every NIM resource exists
	// ([aix] L3560-3643): imagetype, osname, nimtype, nimmethod, the
	// resources, then every attr=val given overlaid (the "include" check
	// of L3614-3628 never excludes: its "my $include = 0" is a new
	// variable). Only osimage schema attributes are stored.
	p.setPhase("definition")
	if err := p.maybeHang("definition"); err != nil {
		return 1
	}
	def := map[string]string{"imagetype": "NIM", "osname": "AIX", "nimtype": r.nimtype}
	if r.method != "" {
		def["nimmethod"] = r.method
	}
	if r.old != nil {
		// Every attribute of OLD, after nimtype ([aix] L3586-3633: the
		// filter meant to keep only resources NIM has never excludes).
		for k, v := range r.old.Attrs {
			def[k] = v
		}
	}
	for k, v := range newres {
		def[k] = v
	}
	for k, v := range r.attrs {
		def[k] = v
	}
	if p.fault("definition") {
		o.err("Could not create xCAT osimage definition.\n")
		return 1
	}
	stored := map[string]string{}
	for k, v := range def {
		if osimageAttr(k) && v != "" {
			stored[k] = v
		}
	}
	if err := p.st.Update(func(s *State) error {
		if r.complete {
			// setobjdefs changes only the attributes it is given.
			if cur := s.Osimage(r.name); cur != nil {
				for k, v := range cur.Attrs {
					if _, ok := stored[k]; !ok {
						stored[k] = v
					}
				}
			}
		}
		s.PutOsimage(&Osimage{Name: r.name, Attrs: stored})
		return nil
	}); err != nil {
		o.err("Could not create xCAT osimage definition.\n")
		return 1
	}

	if r.nimtype == "diskless" || r.nimtype == "dataless" {
		if r.spotUpdates(nil, false) != nil {
			return 1
		}
		_ = r.rootPassword(s.RootPW)
	}

	// The summary ([aix] L3740-3771): schema attributes only, sorted, a
	// TAB before each, empty values left out.
	p.setPhase("summary")
	if err := p.maybeHang("summary"); err != nil {
		return 1
	}
	data := []string{
		"The following xCAT osimage definition was created. Use the xCAT lsdef command \nto view the xCAT definition and the AIX lsnim command to view the individual \nNIM resources that are included in this definition.",
		"\nObject name: " + r.name,
	}
	keys := make([]string, 0, len(def))
	for k := range def {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "objtype" || !osimageAttr(k) || def[k] == "" {
			continue
		}
		data = append(data, "\t"+k+"="+def[k])
	}
	o.info(data...)
	return 0
}

// resources creates or reuses lpp_source, SPOT, root, dump and paging
// ([aix] L3111-3440).
func (r *mkrun) resources(newres map[string]string) error {
	o := r.o
	cget := func(a string) string {
		if !r.complete || r.cdef == nil {
			return ""
		}
		return r.cdef.Attrs[a]
	}
	var lpp string
	var err error
	switch {
	case cget("lpp_source") != "":
		lpp = cget("lpp_source") // -c trusts the definition ([aix] L3115-3121)
	case r.copyFrom != "":
		lpp, err = r.copyLppSource()
	default:
		lpp, err = r.lppSource()
	}
	if err != nil {
		if err == errFail {
			o.err("Could not create lpp_source definition.\n")
		}
		return err
	}
	newres["lpp_source"] = lpp

	var spot string
	switch {
	case cget("spot") != "":
		spot = cget("spot") // [aix] L3137-3142
	case r.copyFrom != "":
		spot, err = r.copySpot()
	default:
		spot, err = r.spot(lpp)
	}
	if err != nil {
		if err == errFail {
			o.err("Could not create spot definition.\n")
		}
		return err
	}
	newres["spot"] = spot

	// root or shared_root ([aix] L3158-3236): a name given as root= or
	// shared_root= is used as is (Perl truth: "0" is no name).
	r.p.setPhase("root")
	rootName := ""
	if v := r.attrs["root"]; perlTrue(v) {
		rootName = v
	}
	if v := r.attrs["shared_root"]; perlTrue(v) {
		rootName = v
	}
	if rootName == "" { // [aix] L3165-3170
		rootName = cget("root") + cget("shared_root")
	}
	rtype := "root"
	if r.shared {
		rtype = "shared_root"
	}
	if rootName == "" {
		rootName = r.name + "_" + rtype
		if r.nimres[rootName] {
			o.info("Using existing root resource named '" + rootName + "'.\n")
		} else if err := r.mknimres(rootName, rtype, spot); err != nil {
			return err
		}
	}
	newres[rtype] = rootName

	// dump: only with -D on AIX 6.1.4 and later ([aix] L3238-3306), which
	// lslpp tells; a definition's dump is kept (L3258-3262); a copy
	// shares OLD's.
	r.vrun("/usr/bin/lslpp -cLq bos.rte")
	switch {
	case cget("dump") != "":
		newres["dump"] = cget("dump")
	case r.dump && r.old != nil && r.old.Attrs["dump"] != "" && !perlTrue(r.attrs["dump"]):
		newres["dump"] = r.old.Attrs["dump"]
	case r.dump:
		r.p.setPhase("dump")
		dumpName := ""
		if v := r.attrs["dump"]; perlTrue(v) {
			dumpName = v
		} else {
			dumpName = r.name + "_dump"
			if r.nimres[dumpName] {
				o.info("Using existing dump resource named '" + dumpName + "'.\n")
			} else if err := r.mkdumpres(dumpName); err != nil {
				return err
			}
		}
		newres["dump"] = dumpName
	}

	// paging: paging= is used as is ("if ($::attrres{paging})", [aix]
	// L3313); otherwise diskless images get <img>_paging ([aix] L3318-3370).
	pagingName := ""
	if v := r.attrs["paging"]; perlTrue(v) {
		pagingName = v
	}
	if pagingName == "" {
		pagingName = cget("paging") // [aix] L3320-3322
	}
	if pagingName == "" && r.old != nil {
		pagingName = r.old.Attrs["paging"] // a copy shares OLD's
	}
	if pagingName == "" && r.nimtype == "diskless" {
		r.p.setPhase("paging")
		pagingName = r.name + "_paging"
		if r.nimres[pagingName] {
			o.info("Using existing paging resource named '" + pagingName + "'.\n")
		} else if err := r.mknimres(pagingName, "paging", ""); err != nil {
			return err
		}
	}
	newres["paging"] = pagingName
	return nil
}

// The attributes each define passes on to NIM ([aix] mk_lpp_source L3780,
// mk_spot L4176, mkdumpres L7083, mknimres L7223).
var (
	lppValidAttrs    = []string{"verbose", "nfs_vers", "nfs_sec", "packages", "use_source_simages", "arch", "show_progress", "multi_volume", "group"}
	spotValidAttrs   = []string{"verbose", "nfs_vers", "nfs_sec", "auto_expand", "installp_flags", "source", "show_progress", "debug"}
	dumpValidAttrs   = []string{"dumpsize", "max_dumps", "notify", "snapcollect", "verbose", "nfs_vers", "group"}
	nimresValidAttrs = []string{"nfs_vers", "verbose", "group"}
)

// cmdAttrs renders the "-a k=v " options xCAT passes on to nim define
// (sorted here; xCAT's order is Perl hash order, i.e. not stable).
func (r *mkrun) cmdAttrs(valid []string) string {
	var keys []string
	for _, k := range valid {
		if _, ok := r.attrs[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "-a %s=%s ", k, r.attrs[k])
	}
	return b.String()
}

// lppSource is xCAT's mk_lpp_source ([aix] L3772-4165) for -s.
func (r *mkrun) lppSource() (string, error) {
	p, o := r.p, r.o
	p.setPhase("lpp_source")
	r.vrun("/usr/sbin/lsnim -t lpp_source | /usr/bin/cut -f1 -d' ' 2>/dev/null")
	s, err := p.st.View()
	if err != nil {
		o.err(err.Error())
		return "", errFail
	}
	isLpp := func(n string) bool { ob := s.Object(n); return ob != nil && ob.Type == "lpp_source" }
	if v := r.attrs["lpp_source"]; perlTrue(v) {
		return v, nil
	}
	if isLpp(r.src) {
		return r.src, nil // an existing lpp_source named by -s is used silently
	}
	name := r.name + "_lpp_source"
	if isLpp(name) {
		o.info("Using the existing lpp_source named '" + name + "'\n") // sic: no period
		return name, nil
	}
	src := p.fullPath(r.src)
	if _, err := os.Stat(p.host(src)); err != nil {
		o.err("'" + src + "' is not a source directory or the name of a NIM lpp_source resource.\n")
		o.info(mknimimageUsage...)
		return "", errFail
	}
	loc := r.base() + "/lpp_source/" + name
	r.vrun("/usr/bin/mkdir -p " + loc)
	if err := os.MkdirAll(p.host(loc), 0o755); err != nil {
		o.err("Could not create " + loc + ".\n")
		return "", errFail
	}
	o.info("Creating a NIM lpp_source resource called '" + name + "'.  This could take a while.\n")
	cmd := "/usr/sbin/nim -Fo define -t lpp_source -a server=master " + r.cmdAttrs(lppValidAttrs) +
		"-a location=" + loc + " -a source=" + src + " " + name
	r.vrun(cmd)
	if n := atoi(p.getenv("NIMWIZ_SIM_FLOOD")); n > 0 {
		p.flood(src, n)
	}
	_, rc := p.runcmd(cmd)
	if rc != 0 {
		o.err(fmt.Sprintf("Could not run command '%s'. (rc = %d)\n", cmd, rc))
		return "", errFail
	}

	// openssh ([aix] L4100-4140): find it in the source; each line find
	// prints gets its own cp of <dir>/openssh* (runcmd in list context
	// returns the lines). Nothing found: grep fails, one warning, no cp.
	r.vrun("/usr/bin/find " + src + " -print | /usr/bin/grep openssh.base")
	var found []string
	_ = filepath.WalkDir(p.host(src), func(fp string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(fp, "openssh.base") {
			found = append(found, fp)
		}
		return nil
	})
	if len(found) == 0 {
		o.warn("Could not find openssh file sets in source location.\n")
	}
	dst := p.host(loc + "/installp/ppc")
	for _, f := range found {
		dir := filepath.Dir(f)
		rel, _ := filepath.Rel(p.st.root, dir)
		r.vrun("/usr/bin/cp /" + filepath.ToSlash(rel) + "/openssh* " + loc + "/installp/ppc 2>/dev/null")
		if copyGlob(dir, "openssh*", dst) != nil {
			o.warn("Could not copy openssh to " + loc + "/installp/ppc.\n")
		}
	}
	r.vrun("/usr/sbin/inutoc " + loc + "/installp/ppc")
	if err := writeTOC(dst); err != nil {
		o.err("Could not run inutoc on " + loc + "/installp/ppc.\n")
	}
	return name, nil
}

// copyGlob is "cp <dir>/<pattern> <dst>".
func copyGlob(dir, pattern, dst string) error {
	ms, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(ms) == 0 {
		return fmt.Errorf("no match")
	}
	for _, m := range ms {
		b, err := os.ReadFile(m)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, filepath.Base(m)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// spot is xCAT's mk_spot ([aix] L4167-4410) for a new SPOT.
func (r *mkrun) spot(lpp string) (string, error) {
	p, o := r.p, r.o
	p.setPhase("spot")
	if v := r.attrs["spot"]; perlTrue(v) {
		return v, nil
	}
	name := r.name
	if r.nimres[name] {
		o.info("Using the existing SPOT named '" + name + "'.\n") // no state check, as in xCAT
		return name, nil
	}
	parent := r.base() + "/spot"
	r.vrun("/usr/bin/mkdir -p " + parent)
	_ = os.MkdirAll(p.host(parent), 0o755)
	r.vrun("/usr/bin/mkdir -p /tftpboot")
	_ = os.MkdirAll(p.host("/tftpboot"), 0o755)
	cmd := "/usr/sbin/nim -Fo define -t spot -a server=master " + r.cmdAttrs(spotValidAttrs) +
		"-a source=" + lpp + " -a location=" + parent + "  " + name + "  2>&1"
	o.info("Creating a NIM SPOT resource. This could take a while.\n")
	out, rc := r.runcmd(cmd)
	if rc != 0 {
		o.err("Could not create a NIM definition for '" + name + "'.\n")
		if r.verbose {
			o.info("Error message is: '" + out + "'\n")
		}
		return "", errFail
	}
	return name, nil
}

// mknimres defines root, shared_root or paging ([aix] mknimres L7165-7282).
// A failure is reported by the caller's "Could not create a NIM definition".
func (r *mkrun) mknimres(name, typ, spot string) error {
	o := r.o
	if r.verbose {
		o.info("Creating '" + name + "'.\n")
	}
	extra := r.cmdAttrs(nimresValidAttrs)
	if typ == "shared_root" {
		extra += "-a spot=" + spot + " "
	}
	cmd := "/usr/sbin/nim -Fo define -t " + typ + " -a server=master " + extra + "-a location=" + r.base() + "/" + typ + "/" + name + " " + name + "  2>&1"
	if r.verbose {
		o.info("Running command: '" + cmd + "'.\n")
	}
	if _, rc := r.runcmd(cmd); rc != 0 {
		o.err("Could not create a NIM definition for '" + name + "'.\n")
		return errFail
	}
	return nil
}

// mkdumpres defines the dump resource ([aix] mkdumpres L7059-7163): with
// -l its location is the -l directory itself.
func (r *mkrun) mkdumpres(name string) error {
	o := r.o
	if r.verbose {
		o.info("Creating '" + name + "'.\n")
	}
	loc := "/install/nim/dump/" + name
	if r.loc != "" {
		loc = r.loc // sic
	}
	cmd := "/usr/sbin/nim -Fo define -t dump -a server=master " + r.cmdAttrs(dumpValidAttrs) + "-a location=" + loc + " " + name + "  2>&1"
	if _, rc := r.runcmd(cmd); rc != 0 {
		o.err("Could not create a NIM definition for '" + name + "'.\n")
		return errFail
	}
	return nil
}

func atoi(s string) int {
	n := 0
	for _, c := range strings.TrimSpace(s) {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// flood sends n info lines of about 80 bytes as fast as it can, 1000 to a
// reply: output as if NIM's copy listing came through. Streaming
// benchmarks use it.
func (p *proc) flood(src string, n int) {
	const batch = 1000
	lines := make([]string, 0, batch)
	var line []byte
	for i := 1; i <= n; i++ {
		line = append(line[:0], "    restored "...)
		line = append(line, src...)
		line = append(line, "/installp/ppc/flood.fileset."...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, ".7.3.2.0.I (8192 bytes)"...)
		lines = append(lines, string(line))
		if len(lines) == batch {
			p.rs.send(response{Info: lines})
			lines = make([]string, 0, batch)
		}
	}
	if len(lines) > 0 {
		p.rs.send(response{Info: lines})
	}
}
