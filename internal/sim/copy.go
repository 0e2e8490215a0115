package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// mknimimage -t TYPE -i OLD [-p] NEW: a copy of an osimage, as
// aixinstall.pm at 2.9.2_aix_release does it ([aix]; notes §2, transcripts
// T3 and T4). The SPOT is copied by cpcosi, run as a child process
// (chroot.go); the root or shared_root is made by NIM's define like any
// other; OLD's paging, dump and the rest are shared by name.

// chkFSspace is [aix] chkFSspace's -V line: df of the directory.
func (r *mkrun) chkFSspace(dir string) {
	r.vrun("/usr/bin/df -m " + dir + " | /usr/bin/awk '(NR==2){print $3\":\"$7}'")
}

// copyLppSource is mk_lpp_source's -i branch ([aix] L3800-3961): OLD's
// lpp_source, shared by name; with -p a copy of it called NEW_lpp_source,
// made with cp -r and defined without a source.
func (r *mkrun) copyLppSource() (string, error) {
	p, o := r.p, r.o
	p.setPhase("lpp_source")
	r.vrun("/usr/sbin/lsnim -t lpp_source | /usr/bin/cut -f1 -d' ' 2>/dev/null")
	if v := r.attrs["lpp_source"]; perlTrue(v) {
		return v, nil
	}
	orig := r.old.Attrs["lpp_source"]
	if orig == "" {
		o.err("The " + r.copyFrom + " image definition did not contain a value for lpp_source.\n")
		return "", errFail
	}
	if !r.cplpp {
		return orig, nil
	}
	s, err := p.st.View()
	if err != nil {
		o.err(err.Error())
		return "", errFail
	}
	name := r.name + "_lpp_source"
	if ob := s.Object(name); ob != nil && ob.Type == "lpp_source" {
		o.err("Cannot create " + name + ". It already exists.\n") // and goes on
	}
	r.vrun("/usr/sbin/lsnim -a location -Z " + orig + " 2>/dev/null")
	origloc := ""
	if ob := s.Object(orig); ob != nil {
		origloc = ob.Get("location")
	}
	loc := r.base() + "/lpp_source/" + name
	r.vrun("/usr/bin/mkdir -p " + loc)
	if err := os.MkdirAll(p.host(loc), 0o755); err != nil {
		o.err("Could not create " + loc + ".\n")
		return "", errFail
	}
	r.chkFSspace(loc)
	// The copy is xCAT's own runcmd, not NIM's: it runs in the plugin.
	r.vrun("mkdir -m 644 -p " + loc + "; cp -r " + origloc + "/* " + loc)
	if err := p.copyTree(p.host(origloc), p.host(loc), p.seconds("NIMWIZ_SIM_LPP_SECONDS", p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2).Seconds()/4)); err != nil || origloc == "" {
		o.err("Could not copy " + origloc + " to " + loc + ".\n") // and goes on
	}
	if err := p.maybeHang("lpp_source"); err != nil {
		return "", err
	}
	o.info("Creating a NIM lpp_source resource called '" + name + "'.  This could take a while.\n")
	cmd := "/usr/sbin/nim -Fo define -t lpp_source -a server=master " + r.cmdAttrs(lppValidAttrs) + "-a location=" + loc + " " + name
	if _, rc := r.runcmd(cmd); rc != 0 {
		o.err(fmt.Sprintf("Could not run command '%s'. (rc = %d)\n", cmd, rc))
		return "", errFail
	}
	return name, nil
}

// copyTree copies the regular files under src into dst, spread over d.
func (p *proc) copyTree(src, dst string, d time.Duration) error {
	var files []string
	err := filepath.WalkDir(src, func(fp string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.Type().IsRegular() {
			files = append(files, fp)
		}
		return nil
	})
	if err != nil {
		return err
	}
	step := d / time.Duration(len(files)+1)
	for _, f := range files {
		rel, _ := filepath.Rel(src, f)
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return err
		}
		_ = p.sleep(step)
	}
	return nil
}

// copySpot is mk_spot's -i branch ([aix] L4191-4259): cpcosi copies OLD's
// SPOT to one named NEW, with no check whether NEW exists first; only 800
// MB free are checked (chkFSspace); cpcosi's output is shown only on
// failure.
func (r *mkrun) copySpot() (string, error) {
	p, o := r.p, r.o
	p.setPhase("spot")
	if v := r.attrs["spot"]; perlTrue(v) {
		return v, nil // sic: then nothing is copied
	}
	name := r.name
	cur := r.old.Attrs["spot"]
	if cur == "" {
		o.err("The " + r.copyFrom + " image definition did not contain a value for a SPOT resource.\n")
		return "", errFail
	}
	cmd := "/usr/sbin/cpcosi -c " + cur + " "
	spotloc := "/install/nim/spot"
	if r.loc != "" {
		spotloc = r.loc + "/spot"
		cmd += "-l " + spotloc + " "
	} else {
		cmd += "-l " + spotloc + "  "
	}
	cmd += name + "  2>&1"
	r.chkFSspace(spotloc)
	_ = os.MkdirAll(p.host(spotloc), 0o755)
	o.info("Creating a NIM SPOT resource. This could take a while.\n")
	out, rc := r.runcmd(cmd)
	if rc != 0 {
		o.err(" The cpcosi command failed. \n"+out+"\n", "Could not create a NIM definition for '"+name+"'.\n")
		return "", errFail
	}
	return name, nil
}

// chkosimage is aixinstall.pm's chkosimage ([aix] L1796-2169; notes §4):
// a check of the definition and of the software it names against its
// lpp_source. It never looks at the SPOT or NIM's state. With -c it
// removes all but the newest of RPMs that match one name.
func (p *proc) chkosimage(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		o := p.xcat0()
		o.err(err.Error())
		return o.done(1)
	}
	o := p.xcatOut(s.Host)
	spec := optSpec{short: map[byte]bool{'c': false, 'h': false, 'V': false, 'v': false},
		long: map[string]string{"clean": "c", "help": "h", "verbose": "V", "version": "v"}}
	op, err := spec.parse(argv, true)
	usage := []string{"\n  chkosimage - Check an xCAT osimage.", "  Usage: ", "\tchkosimage [-h | --help]", "or", "\tchkosimage [-V] [-c|--clean] image_name\n"}
	if err != nil || len(argv) == 0 || op.has('h') {
		o.info(usage...)
		return 0
	}
	if op.has('v') {
		o.info("chkosimage " + p.version() + "\n")
		return 0
	}
	r := &mkrun{p: p, o: o, host: s.Host, verbose: op.has('V')}
	name := ""
	if len(op.args) > 0 {
		name = op.args[0]
	}
	def := map[string]string{}
	if img := s.Osimage(name); img != nil {
		def = img.Attrs
	}
	rc := 0
	// Definition problems: errors, and processing goes on (L1896-1929).
	if def["nimtype"] == "diskless" {
		for _, c := range []struct {
			bad bool
			msg string
		}{
			{def["spot"] == "", "A diskless osimage must include a spot resource.\n"},
			{def["paging"] == "", "A diskless osimage must include a paging resource.\n"},
			{def["root"] == "" && def["shared_root"] == "", "A diskless osimage must include either a 'root' or a 'shared_root' resource.\n"},
			{def["root"] != "" && def["shared_root"] != "", "Cannot have both a 'root' and a 'shared_root' resources.\n"},
		} {
			if c.bad {
				o.err(c.msg)
			}
		}
	}
	// The software: otherpkgs, then the lines of each bundle NIM knows.
	var pkgs []string
	for _, it := range strings.Split(def["otherpkgs"], ",") {
		if it != "" {
			pkgs = append(pkgs, it)
		}
	}
	if b := def["installp_bundle"]; b != "" {
		r.vrun("/usr/sbin/lsnim -t installp_bundle | /usr/bin/cut -f1 -d' ' 2>/dev/null")
		for _, bn := range strings.Split(b, ",") {
			ob := s.Object(bn)
			if ob == nil || ob.Type != "installp_bundle" {
				continue // unknown bundles are skipped silently
			}
			r.vrun("/usr/sbin/lsnim -a location -Z " + bn + " 2>/dev/null")
			loc := ob.Get("location")
			r.vrun("cat " + loc)
			data, err := os.ReadFile(p.host(loc))
			if err != nil {
				o.err("Command: cat " + loc + " failed.")
				continue
			}
			for _, l := range strings.Split(string(data), "\n") {
				if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
					pkgs = append(pkgs, t)
				}
			}
		}
	}
	if len(pkgs) == 0 {
		o.info("\nThere was no additional software listed in the 'otherpkgs' or 'installp_bundle' attributes.\n")
		return o.rc
	}
	lpp := def["lpp_source"]
	r.vrun("/usr/sbin/lsnim -a location -Z " + lpp + " 2>/dev/null")
	loc := ""
	if ob := s.Object(lpp); ob != nil {
		loc = ob.Get("location")
	}
	list := func(dir, suffix string) []string {
		var out []string
		ents, _ := os.ReadDir(p.host(dir))
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), suffix) {
				out = append(out, e.Name())
			}
		}
		return out
	}
	r.vrun("/usr/bin/ls " + loc + "/RPMS/ppc 2>/dev/null")
	rpms := list(loc+"/RPMS/ppc", ".rpm")
	r.vrun("/usr/bin/ls " + loc + "/emgr/ppc 2>/dev/null")
	epkgs := list(loc+"/emgr/ppc", "epkg.Z")
	r.vrun("installp -L -d " + loc + "/installp/ppc | /usr/bin/cut -f2 -d':' 2>/dev/null")
	var filesets []string
	for _, f := range filesetsOf(scanImages(imageDir(p.host(loc + "/installp/ppc")))) {
		filesets = append(filesets, f.Name)
	}
	missing, dups := false, false
	var removed []string
	for _, it := range pkgs {
		rpm := strings.Contains(it, ".rpm") || strings.HasPrefix(it, "R:")
		n := it
		for _, pre := range []string{"I:", "R:", "E:"} {
			n = strings.TrimPrefix(n, pre)
		}
		n = strings.ReplaceAll(n, "*", "")
		pool := filesets
		switch {
		case rpm:
			pool = rpms
		case strings.Contains(it, "epkg.Z") || strings.HasPrefix(it, "E:"):
			pool = epkgs
		}
		if r.verbose {
			o.info("Check for '" + n + "'.\n")
		}
		var found []string
		for _, f := range pool {
			if f == n || strings.HasPrefix(f, n) {
				found = append(found, f)
			}
		}
		if len(found) == 0 {
			o.warn("Could not find " + n + " in " + lpp + ".\n")
			missing = true
			continue
		}
		if r.verbose {
			o.info("Found '" + strings.Join(found, "  ") + "  '.\n")
		}
		if rpm && len(found) > 1 {
			if op.has('c') {
				// "ls -t": the newest first; all the others go.
				r.vrun("cd " + loc + "/RPMS/ppc; /bin/ls -t " + n + "* 2>/dev/null")
				for _, f := range found[1:] {
					r.vrun("cd " + loc + "/RPMS/ppc; /bin/rm " + f + " 2>/dev/null")
					if os.Remove(p.host(loc+"/RPMS/ppc/"+f)) != nil {
						o.info("Could not remove '" + f + "'")
						continue
					}
					removed = append(removed, f)
				}
			} else {
				dups = true
				o.info("Found multiple matches for " + n + ": (" + strings.Join(found, "  ") + "  )\n")
			}
		}
	}
	if len(removed) > 0 {
		o.info("Removed the following duplicate rpms:\n" + strings.Join(removed, "\n") + "\n\n")
	}
	if missing {
		o.warn("One or more software packages could not be found in or selected from the " + lpp + " resource.\n")
	} else {
		o.info("All the software packages were found in the lpp_source '" + lpp + "'\n")
	}
	if dups {
		o.err("Found multiple matches for one or more rpm packages. This will cause installation errors. Remove the unwanted rpm packages from the lpp_source directory " + loc + "/RPMS/ppc.\n(Use the chkosimage -c option to remove all but the most recently added rpm.)\n")
	}
	if missing || dups {
		rc = 1
	}
	return o.done(rc)
}
