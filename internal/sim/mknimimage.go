package sim

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// errFail ends a phase whose messages were already printed.
var errFail = errors.New("failed")

var mknimimageUsage = []string{
	"\n  mknimimage - Use this xCAT command to create AIX image definitions.",
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

// attrPair is xCAT's reading of an attr=val operand.
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
}

func (r *mkrun) base() string {
	if r.loc != "" {
		return r.loc
	}
	return "/install/nim"
}

// vrun prints xCAT's runcmd -V line for a command it runs locally.
func (r *mkrun) vrun(cmd string) {
	if !r.verbose {
		return
	}
	if !strings.HasSuffix(cmd, "2>&1") {
		cmd += " 2>&1"
	}
	r.o.info(fmt.Sprintf("Running command on %s: %s\n", r.host, cmd))
}

func (p *proc) mknimimage(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "mknimimage: %v\n", err)
		return 1
	}
	o := p.xcat(s.Host)
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
	if r.shared && r.nimtype != "diskless" {
		o.err("The '-r' option is only valid for diskless images.\n")
		o.info(mknimimageUsage...)
		return o.done(1)
	}
	update := op.has('u')
	if !update {
		if r.nimtype == "" {
			r.nimtype = "standalone"
		}
		if r.nimtype == "standalone" && r.method == "" {
			r.method = "rte"
		}
	}
	if r.loc != "" && !strings.HasPrefix(r.loc, "/") {
		r.loc = "/" + r.loc // the simulated client's cwd is /
	}
	r.loc = strings.TrimSuffix(r.loc, "/")
	for _, a := range op.args {
		if !strings.Contains(a, "=") {
			r.name = a
			continue
		}
		m := attrPair.FindStringSubmatch(a)
		if m == nil {
			o.errc(1, "Incorrect 'attr=val' pair - "+a+"\n")
			return o.done(3)
		}
		r.attrs[m[1]] = m[2]
	}
	if r.nimtype == "standalone" && op.has('i') {
		o.err("The '-i' option is only valid for diskless and dataless nodes.\n")
		o.info(mknimimageUsage...)
		return o.done(1)
	}
	for _, c := range []byte{'i', 'c', 'n', 'b'} {
		if op.has(c) {
			o.err(fmt.Sprintf("The '-%c' option is not supported by the nimwiz simulator.\n", c))
			return o.done(1)
		}
	}
	ret := r.run(update)
	if p.aborted() {
		return 1 // Main turns this into the client's exit; nothing more is printed
	}
	return o.done(ret)
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
	if existing != nil {
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
	newres := map[string]string{}
	switch r.nimtype {
	case "diskless", "dataless":
		if r.src == "" || r.name == "" {
			o.err("The image name and either the -s or -i option are required.\n")
			o.info(mknimimageUsage...)
			return 1
		}
		if err := r.resources(newres); err != nil {
			return 1 // messages printed, or aborted (Main handles that)
		}
	case "standalone":
		o.err("Standalone (rte and mksysb) images are not supported by the nimwiz simulator.\n")
		return 1
	}

	// The definition is written only now that every NIM resource exists.
	p.setPhase("definition")
	if err := p.maybeHang("definition"); err != nil {
		return 1
	}
	def := map[string]string{"imagetype": "NIM", "osname": "AIX", "nimtype": r.nimtype}
	if r.method != "" {
		def["nimmethod"] = r.method
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
		s.PutOsimage(&Osimage{Name: r.name, Attrs: stored})
		return nil
	}); err != nil {
		o.err("Could not create xCAT osimage definition.\n")
		return 1
	}

	if r.nimtype == "diskless" || r.nimtype == "dataless" {
		if r.spotUpdates() != nil {
			return 1
		}
		if r.rootPassword(s.RootPW) != nil && p.aborted() {
			return 1
		}
	}

	p.setPhase("summary")
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

// resources creates or reuses lpp_source, SPOT, root, dump and paging.
func (r *mkrun) resources(newres map[string]string) error {
	o := r.o
	lpp, err := r.lppSource()
	if err != nil {
		if err == errFail {
			o.err("Could not create lpp_source definition.\n")
		}
		return err
	}
	newres["lpp_source"] = lpp

	spot, err := r.spot(lpp)
	if err != nil {
		if err == errFail {
			o.err("Could not create spot definition.\n")
		}
		return err
	}
	newres["spot"] = spot

	// root or shared_root
	r.p.setPhase("root")
	rootName := r.attrs["root"]
	if v := r.attrs["shared_root"]; v != "" {
		rootName = v
	}
	rtype := "root"
	if r.shared {
		rtype = "shared_root"
	}
	if rootName == "" {
		rootName = r.name + "_" + rtype
		if r.nimres[rootName] {
			o.info("Using existing root resource named '" + rootName + "'.\n")
		} else if err := r.mknimres(rootName, rtype, spot, "root"); err != nil {
			return err
		}
	}
	newres[rtype] = rootName

	// dump: only with -D on AIX 6.1.4 and later
	if r.dump {
		r.p.setPhase("dump")
		dumpName := r.attrs["dump"]
		if dumpName == "" {
			dumpName = r.name + "_dump"
			if r.nimres[dumpName] {
				o.info("Using existing dump resource named '" + dumpName + "'.\n")
			} else if err := r.mknimres(dumpName, "dump", "", "dump"); err != nil {
				return err
			}
		}
		newres["dump"] = dumpName
	}

	// paging: diskless only
	pagingName := r.attrs["paging"]
	if pagingName == "" && r.nimtype == "diskless" {
		r.p.setPhase("paging")
		pagingName = r.name + "_paging"
		if r.nimres[pagingName] {
			o.info("Using existing paging resource named '" + pagingName + "'.\n")
		} else if err := r.mknimres(pagingName, "paging", "", "paging"); err != nil {
			return err
		}
	}
	newres["paging"] = pagingName
	return nil
}

var lppValidAttrs = []string{"verbose", "nfs_vers", "nfs_sec", "packages", "use_source_simages", "arch", "show_progress", "multi_volume", "group"}
var spotValidAttrs = []string{"verbose", "nfs_vers", "nfs_sec", "auto_expand", "installp_flags", "source", "show_progress", "debug"}

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

// lppSource is xCAT's mk_lpp_source followed by NIM's define.
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
	if v := r.attrs["lpp_source"]; v != "" {
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
	src := r.src
	if !strings.HasPrefix(src, "/") {
		src = "/" + src
	}
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
	rc, err := r.nimDefineLpp(name, src, loc)
	if err != nil {
		return "", err
	}
	if rc != 0 {
		o.err(fmt.Sprintf("Could not run command '%s'. (rc = %d)\n", cmd, rc))
		return "", errFail
	}

	// openssh: find it in the source and copy it next to the other images.
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
	dir := "."
	if len(found) > 0 {
		rel, _ := filepath.Rel(p.st.root, filepath.Dir(found[0]))
		dir = "/" + filepath.ToSlash(rel)
	}
	r.vrun("/usr/bin/cp " + dir + "/openssh* " + loc + "/installp/ppc 2>/dev/null")
	// xCAT takes dirname of find's whole output: with several matches the
	// "directory" spans lines and the cp fails.
	if len(found) != 1 {
		o.warn("Could not copy openssh to " + loc + "/installp/ppc.\n")
	}
	r.vrun("/usr/sbin/inutoc " + loc + "/installp/ppc")
	if err := writeTOC(p.host(loc + "/installp/ppc")); err != nil {
		o.err("Could not run inutoc on " + loc + "/installp/ppc.\n")
	}
	return name, nil
}

// nimDefineLpp is NIM's "define -t lpp_source -a source=...": copy the
// images (gencopy), then check for the support images. It returns NIM's rc.
func (r *mkrun) nimDefineLpp(name, src, loc string) (int, error) {
	p := r.p
	ims := scanImages(imageDir(p.host(src)))
	if len(ims) == 0 {
		return 1, nil // "0042-001 ... no images" is captured by xCAT, not shown
	}
	dst := p.host(loc + "/installp/ppc")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 1, nil
	}
	obj := &NimObject{Name: name, Class: "resources", Type: "lpp_source", Attrs: []Attr{
		{"arch", "power"}, {"Rstate", "unavailable for use"}, {"prev_state", "unavailable for use"},
		{"location", loc}, {"alloc_count", "0"}, {"server", "master"},
	}}
	if err := p.st.Update(func(s *State) error {
		if s.Object(name) != nil {
			return fmt.Errorf("exists")
		}
		s.Objects = append(s.Objects, obj)
		return nil
	}); err != nil {
		return 1, nil
	}
	step := p.seconds("NIMWIZ_SIM_LPP_SECONDS", p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2).Seconds()/4) / time.Duration(len(ims))
	for i, im := range ims {
		if i == len(ims)/2 {
			if err := p.maybeHang("lpp_source"); err != nil {
				return 0, err
			}
			if p.fault("lpp_source") {
				_ = p.st.Update(func(s *State) error { s.Remove(name); return nil })
				return 1, nil
			}
		}
		b, err := os.ReadFile(filepath.Join(imageDir(p.host(src)), im.File))
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, im.File), b, 0o644)
		}
		if err != nil {
			_ = p.st.Update(func(s *State) error { s.Remove(name); return nil })
			return 1, nil
		}
		if err := p.sleep(step); err != nil {
			return 0, err
		}
	}
	_ = writeTOC(dst)
	simages := "no"
	if hasSimages(ims) {
		simages = "yes"
	}
	err := p.st.Update(func(s *State) error {
		ob := s.Object(name)
		if ob == nil {
			return fmt.Errorf("lpp_source %s vanished", name)
		}
		ob.Set("Rstate", "ready for use")
		ob.Attrs = insertAfter(ob.Attrs, "location", Attr{"simages", simages})
		ob.Filesets = filesetsOf(ims)
		return nil
	})
	if err != nil {
		return 1, nil
	}
	return 0, nil
}

func insertAfter(attrs []Attr, key string, a Attr) []Attr {
	for i := range attrs {
		if attrs[i].K == key {
			out := append([]Attr{}, attrs[:i+1]...)
			out = append(out, a)
			return append(out, attrs[i+1:]...)
		}
	}
	return append(attrs, a)
}

// spot is xCAT's mk_spot followed by NIM's SPOT install.
func (r *mkrun) spot(lpp string) (string, error) {
	p, o := r.p, r.o
	p.setPhase("spot")
	if v := r.attrs["spot"]; v != "" {
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
	r.vrun(cmd)
	out, err := r.buildSpot(name, lpp, parent)
	if err != nil {
		return "", err
	}
	if out != "" {
		o.err("Could not create a NIM definition for '" + name + "'.\n")
		if r.verbose {
			o.info("Error message is: '" + out + "'\n")
		}
		return "", errFail
	}
	return name, nil
}

// buildSpot installs a SPOT the way NIM does, slowly: the object exists
// (not ready) from the start and files appear under <parent>/<name>/usr.
// It returns NIM's error output when the define fails.
func (r *mkrun) buildSpot(name, lpp, parent string) (string, error) {
	p := r.p
	loc := parent + "/" + name + "/usr"
	var filesets []Fileset
	var lvl aixLevel
	var nimErr string
	err := p.st.Update(func(s *State) error {
		src := s.Object(lpp)
		switch {
		case src == nil:
			nimErr = fmt.Sprintf("0042-001 nim: processing error encountered on \"master\":\n   0042-053 m_mkspot: there is no NIM object named \"%s\"", lpp)
			return nil
		case src.Get("Rstate") != "ready for use":
			nimErr = fmt.Sprintf("0042-001 nim: processing error encountered on \"master\":\n   0042-012 m_mkspot: the Rstate for \"%s\" does not allow this operation; the Rstate is \"%s\"", lpp, src.Get("Rstate"))
			return nil
		case src.Get("simages") != "yes":
			nimErr = fmt.Sprintf("0042-001 nim: processing error encountered on \"master\":\n   0042-158 m_mkspot: the \"%s\" resource does not have the support images (simages) needed to create a SPOT", lpp)
			return nil
		}
		for _, ob := range s.Objects {
			if ob.Get("location") == loc {
				nimErr = fmt.Sprintf("0042-001 nim: processing error encountered on \"master\":\n0042-081 m_mkspot: a resource already exists on \"master\" at\n  location \"%s\"; due to NFS export restrictions, the\n  new location \"%s\" may not be used", loc, loc)
				return nil
			}
		}
		filesets = append(filesets, src.Filesets...)
		for _, f := range src.Filesets {
			if f.Name == "bos.rte" {
				lvl, _ = tlOf([]image{{Pkg: "bos", Level: f.Level}})
			}
		}
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: "spot", Attrs: []Attr{
			{"arch", "power"}, {"Rstate", "unavailable for use"}, {"prev_state", "unavailable for use"},
			{"location", loc}, {"alloc_count", "0"}, {"server", "master"},
		}})
		return nil
	})
	if err != nil {
		return err.Error(), nil
	}
	if nimErr != "" {
		return nimErr, nil
	}
	root := p.host(loc)
	files := spotFiles(filesets)
	dur := p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2)
	step := dur / time.Duration(len(files)+1)
	verifyAt := len(files) * 9 / 10
	for i, f := range files {
		if i == len(files)/2 {
			if err := p.maybeHang("spot"); err != nil {
				return "", err
			}
			if p.fault("spot") {
				return "0042-001 nim: processing error encountered on \"master\":\n   0042-175 m_mkspot: An unexpected result was returned by the \"/usr/sbin/installp\" command:\n\ninstallp: An internal error occurred while attempting\n\tto access the Software Vital Product Data.\nrc=175", nil
			}
		}
		if i == verifyAt {
			_ = p.st.Update(func(s *State) error {
				if ob := s.Object(name); ob != nil {
					ob.setState("verification is being performed")
				}
				return nil
			})
		}
		if err := r.writeHalves(filepath.Join(root, f.rel), f.size, step); err != nil {
			return "", err
		}
	}
	// network boot images land in /tftpboot
	for _, k := range []string{"chrp.64.ent", "chrp.mp.ent"} {
		_ = os.WriteFile(p.host("/tftpboot/"+name+"."+k), make([]byte, 4096), 0o644)
	}
	err = p.st.Update(func(s *State) error {
		ob := s.Object(name)
		if ob == nil {
			return fmt.Errorf("SPOT %s vanished", name)
		}
		*ob = *spotObject(name, loc, lvl, filesets)
		ob.Set("prev_state", "verification is being performed")
		return nil
	})
	if err != nil {
		return err.Error(), nil
	}
	return "", nil
}

// writeHalves writes a file in two halves with a pause between them, so an
// interrupted build leaves a half-written file as a killed installp would.
func (r *mkrun) writeHalves(fp string, size int, step time.Duration) error {
	if err := os.MkdirAll(filepath.Dir(fp), 0o755); err != nil {
		return err
	}
	f, err := os.Create(fp)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, size/2)
	for i := range buf {
		buf[i] = byte('a' + i%26)
	}
	if _, err := f.Write(buf); err != nil {
		return err
	}
	if err := r.p.sleep(step / 2); err != nil {
		return err
	}
	if _, err := f.Write(buf); err != nil {
		return err
	}
	return r.p.sleep(step / 2)
}

type spotFile struct {
	rel  string
	size int
}

// spotFiles is what a SPOT install writes: files per fileset, then the
// kernel and boot images.
func spotFiles(fs []Fileset) []spotFile {
	var out []spotFile
	for _, f := range fs {
		out = append(out, spotFile{"lpp/" + f.Name + "/liblpp.a", 48 << 10})
		out = append(out, spotFile{"lib/objrepos/" + f.Name + ".odm", 16 << 10})
	}
	out = append(out, spotFile{"lib/boot/unix_64", 512 << 10}, spotFile{"lib/boot/network/chrp.64.ent", 256 << 10})
	return out
}

// spotObject is a finished SPOT's lsnim -l attributes (layout of a real one).
func spotObject(name, loc string, l aixLevel, fs []Fileset) *NimObject {
	v, rel, mod := "7", "3", "2"
	if f := strings.Split(l.VRMF, "."); len(f) == 4 {
		v, rel, mod = f[0], f[1], f[2]
	}
	return &NimObject{Name: name, Class: "resources", Type: "spot", Complete: true, Filesets: fs, Attrs: []Attr{
		{"plat_defined", "chrp"}, {"arch", "power"}, {"bos_license", "yes"},
		{"Rstate", "ready for use"}, {"prev_state", "verification is being performed"},
		{"location", loc}, {"version", v}, {"release", rel}, {"mod", mod}, {"oslevel_r", l.TL},
		{"alloc_count", "0"}, {"server", "master"}, {"if_supported", "chrp.64 ent"}, {"Rstate_result", "success"},
	}}
}

// mknimres defines root, shared_root, paging or dump (xCAT's mknimres and
// mkdumpres); phase names the fault to inject.
func (r *mkrun) mknimres(name, typ, spot, phase string) error {
	p, o := r.p, r.o
	if err := p.maybeHang(phase); err != nil {
		return err
	}
	loc := r.base() + "/" + typ + "/" + name
	if typ == "dump" && r.loc != "" {
		loc = r.loc // sic: with -l the dump resource is the -l directory itself
	}
	extra := ""
	if typ == "shared_root" {
		extra = "-a spot=" + spot + " "
	}
	var dumpAttrs []Attr
	if typ == "dump" {
		for _, k := range []string{"dumpsize", "max_dumps", "notify", "snapcollect"} {
			if v, ok := r.attrs[k]; ok {
				extra += "-a " + k + "=" + v + " "
				dumpAttrs = append(dumpAttrs, Attr{k, v})
			}
		}
	}
	cmd := "/usr/sbin/nim -Fo define -t " + typ + " -a server=master " + extra + "-a location=" + loc + " " + name + "  2>&1"
	if r.verbose {
		o.info("Creating '" + name + "'.\n")
		if typ != "dump" {
			o.info("Running command: '" + cmd + "'.\n")
		}
	}
	r.vrun(cmd)
	fail := func() error {
		o.err("Could not create a NIM definition for '" + name + "'.\n")
		return errFail
	}
	if p.fault(phase) {
		return fail()
	}
	if err := os.MkdirAll(p.host(loc), 0o755); err != nil {
		return fail()
	}
	if typ == "shared_root" {
		// NIM fills a shared_root from the SPOT's root part.
		for _, d := range []string{"etc", "sbin", "var"} {
			_ = os.MkdirAll(p.host(loc+"/"+d), 0o755)
		}
		_ = os.WriteFile(p.host(loc+"/etc/inittab"), []byte("init:2:initdefault:\n"), 0o644)
		if err := p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2) / 2); err != nil {
			return err
		}
	}
	attrs := []Attr{{"Rstate", "ready for use"}, {"prev_state", "unavailable for use"}, {"location", loc}}
	if typ == "shared_root" {
		attrs = append(attrs, Attr{"spot", spot})
	}
	attrs = append(attrs, dumpAttrs...)
	attrs = append(attrs, Attr{"alloc_count", "0"}, Attr{"server", "master"})
	err := p.st.Update(func(s *State) error {
		if s.Object(name) != nil {
			return fmt.Errorf("0042-032 nim: \"%s\" is already defined", name)
		}
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: typ, Attrs: attrs})
		return nil
	})
	if err != nil {
		return fail()
	}
	return nil
}

// spotUpdates is xCAT's spot_updates for a new image.
func (r *mkrun) spotUpdates() error {
	p, o := r.p, r.o
	p.setPhase("update")
	spot := r.name // sic: xCAT updates the SPOT named like the image
	r.vrun("/usr/sbin/lsnim -t spot | /usr/bin/cut -f1 -d' ' 2>/dev/null")
	s, err := p.st.View()
	if err != nil {
		o.err(err.Error())
		return errFail
	}
	ob := s.Object(spot)
	if ob == nil || ob.Type != "spot" {
		o.err("The NIM resource named '" + spot + "' is not defined and therefore cannot be updated.\n")
		return errFail
	}
	r.vrun("/usr/sbin/lsnim -Z -a alloc_count " + spot)
	if n := atoi(ob.Get("alloc_count")); n != 0 {
		o.err("The resource named '" + spot + "' is currently allocated. It cannot be updated.\n")
		return errFail
	}
	o.info("Updating the NIM spot resource named '" + spot + "'. This could take a while.\n")
	if err := p.maybeHang("update"); err != nil {
		return err
	}
	software := r.attrs["installp_bundle"] != "" || r.attrs["otherpkgs"] != ""
	if software {
		// xcatchroot marks the SPOT unavailable while it installs into it.
		r.setRstate(spot, "unavailable for use")
	}
	if err := p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2)); err != nil {
		return err
	}
	if p.fault("update") {
		if software {
			r.setRstate(spot, "ready for use")
		}
		o.err("Could not update software in the NIM SPOT called '" + spot + "'.\n")
		return errFail
	}
	if software {
		r.setRstate(spot, "ready for use")
	}
	return nil
}

func (r *mkrun) setRstate(name, rstate string) {
	_ = r.p.st.Update(func(s *State) error {
		if ob := s.Object(name); ob != nil {
			ob.setState(rstate)
		}
		return nil
	})
}

// rootPassword sets root's password inside the SPOT with xcatchroot. A
// failure is an error message but not a failed command (exit 1 all the same).
func (r *mkrun) rootPassword(pw string) error {
	p, o := r.p, r.o
	p.setPhase("password")
	if pw == "" {
		return nil
	}
	if r.verbose {
		o.info("Setting the root password in the spot '" + r.name + "'\n")
	}
	r.vrun("/opt/xcat/bin/xcatchroot -i " + r.name + " \"/usr/bin/echo root:" + pw + " | /usr/bin/chpasswd -c\" >/dev/null 2>&1")
	if err := p.maybeHang("password"); err != nil {
		return err
	}
	r.setRstate(r.name, "unavailable for use")
	if err := p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2) / 4); err != nil {
		return err // killed inside xcatchroot: the SPOT stays unavailable
	}
	r.setRstate(r.name, "ready for use")
	if p.fault("password") {
		o.err("Unable to set root password.", "\n")
		return errFail
	}
	return nil
}

// update is mknimimage -u: spot_updates on an existing image, no summary.
func (r *mkrun) update(def *Osimage) int {
	if def == nil {
		r.o.err("The osimage object named '" + r.name + "' is not defined.\n")
		return 1
	}
	if def.Attrs["nimtype"] == "standalone" {
		r.o.err("The '-u' option is only valid for diskless and dataless nodes.\n")
		r.o.info(mknimimageUsage...)
		return 1
	}
	if r.spotUpdates() != nil {
		return 1
	}
	return 0
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

// flood prints n lines of about 80 bytes as fast as it can (through a
// 64 KiB buffer, as a real command writing to a pipe does): output as if
// NIM's copy listing came through. Streaming benchmarks use it.
func (p *proc) flood(src string, n int) {
	w := bufio.NewWriterSize(p.stdout, 64<<10)
	var line []byte
	for i := 1; i <= n; i++ {
		line = append(line[:0], "    restored "...)
		line = append(line, src...)
		line = append(line, "/installp/ppc/flood.fileset."...)
		line = strconv.AppendInt(line, int64(i), 10)
		line = append(line, ".7.3.2.0.I (8192 bytes)\n"...)
		w.Write(line)
	}
	w.Flush()
}
