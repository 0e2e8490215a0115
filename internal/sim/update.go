package sim

import (
	"os"
	"path"
	"regexp"
	"strings"
)

// spot_updates and the SPOT's software, as aixinstall.pm at
// 2.9.2_aix_release does them ([aix]): after a create or copy (only the
// command line's software) and for mknimimage -u (the command line's, or
// else the osimage definition's). The work inside the SPOT runs as
// "/opt/xcat/bin/xcatchroot -i NAME '<script>'" through runcmd: a child
// process of the plugin, like NIM's defines (chroot.go). Texts and order
// from the xcat-day-two notes §1 (transcripts T1, T2), checked in [aix].
//
// Service nodes (servicenode.go): -u refuses when the SPOT is allocated on
// one ([aix] L1471-1535) and, after the update, removes the SPOT (and an
// unallocated shared_root) on each SN that has it (L1704-1775), so the
// next mkdsklsnode copies it again. Not simulated: -u nfs_vers=4 (L2917).

// spotUpdates is [aix] spot_updates L1400-1790 for the SPOT named like the
// osimage (L1413), def the osimage definition (its software is used only
// by -u when the command line names none, L1560-1600).
func (r *mkrun) spotUpdates(def *Osimage, update bool) error {
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
	// InstUtils get_nim_attr_val L376.
	r.vrun("/usr/sbin/lsnim -a alloc_count -Z " + spot + " 2>/dev/null")
	if n := atoi(ob.Get("alloc_count")); n != 0 {
		o.err("The resource named '" + spot + "' is currently allocated. It cannot be updated.\n")
		return errFail
	}
	// -u: the SNs that hold the SPOT ([aix] L1471-1535), through xdsh.
	var snList []string
	if update {
		for _, sn := range s.ServiceNodes {
			if p.snDown(sn) {
				o.info("Could not get NIM spot definitions from " + sn.Name + ".")
				continue
			}
			c := sn.object(spot)
			if c == nil {
				continue
			}
			if atoi(c.Get("alloc_count")) != 0 {
				o.err("The resource named '" + spot + "' is currently allocated on service node '" + sn.Name + "' and cannot be removed.\n")
				return errFail
			}
			snList = append(snList, sn.Name)
		}
	}
	o.info("Updating the NIM spot resource named '" + spot + "'. This could take a while.\n")
	if err := p.maybeHang("update"); err != nil {
		return err
	}
	// The definition's software only for -u with none on the command
	// line (L1566-1596).
	get := func(a string) string { return r.attrs[a] }
	if update && r.attrs["installp_bundle"] == "" && r.attrs["otherpkgs"] == "" && r.attrs["synclists"] == "" {
		get = func(a string) string {
			if def == nil {
				return ""
			}
			return def.Attrs[a]
		}
	}
	bundles, otherpkgs, synclists := get("installp_bundle"), get("otherpkgs"), get("synclists")
	iflags, rflags, eflags := "-abgQXY ", " -Uvh ", ""
	if v := r.attrs["installp_flags"]; v != "" {
		iflags = v
	}
	if v := r.attrs["rpm_flags"]; v != "" {
		rflags = v
	}
	if v := r.attrs["emgr_flags"]; v != "" {
		eflags = v
	}
	if bundles == "" && otherpkgs == "" && p.fault("update") {
		// The simulator's own failure of an update with nothing to
		// install (NIMWIZ_SIM_FAIL=update): xCAT's last message only.
		o.err("Could not update software in the NIM SPOT called '" + spot + "'.\n")
		return errFail
	}
	if bundles != "" || otherpkgs != "" {
		if r.updateSpotSW(spot, bundles, otherpkgs, iflags, rflags, eflags) != 0 {
			o.err("Could not update software in the NIM SPOT called '" + spot + "'.\n")
			return errFail
		}
		if r.verbose {
			o.info("Updated software in the NIM SPOT called '" + spot + "'.\n")
		}
	}
	if synclists != "" {
		if r.syncSpotFiles(spot, synclists) != 0 {
			o.err("Could not update synclists files.\n")
			return errFail
		}
		if r.verbose {
			o.info("Updated synclists files.\n")
		}
	}
	if len(snList) > 0 && p.site(s)["sharedinstall"] != "sns" {
		r.removeOnSNs(spot, def, snList)
	}
	return nil
}

// lsnimLocation is get_res_loc ([aix] L6723-6768): lsnim -l NAME's
// location, "" when there is none.
func (r *mkrun) lsnimLocation(name string) string {
	r.vrun("/usr/sbin/lsnim -l " + name + " 2>/dev/null")
	s, err := r.p.st.View()
	if err != nil {
		return ""
	}
	if ob := s.Object(name); ob != nil {
		return ob.Get("location")
	}
	return ""
}

// splitPkg is how update_spot_sw and parse_otherpkgs sort one item
// ([aix] L14530-14560, L15200-15245): ".rpm" anywhere or "R:" an RPM,
// "epkg.Z" anywhere or "E:" an interim fix, anything else installp; the
// name is the field after the first ':' (split /:/), or the whole item.
func splitPkg(item string) (kind byte, name string) {
	switch {
	case strings.Contains(item, ".rpm") || strings.HasPrefix(item, "R:"):
		kind = 'R'
	case strings.Contains(item, "epkg.Z") || strings.HasPrefix(item, "E:"):
		kind = 'E'
	default:
		kind = 'I'
	}
	name = item
	if strings.Contains(item, ":") {
		name = strings.Split(item, ":")[1]
	}
	return kind, name
}

// writeList writes a package list file on the NIM primary (/tmp/tmp_*).
func (r *mkrun) writeList(file string, names []string) error {
	_ = os.MkdirAll(r.p.host(path.Dir(file)), 0o755)
	return os.WriteFile(r.p.host(file), []byte(strings.Join(names, "\n")+"\n"), 0o644)
}

// rmList is "/usr/bin/rm -f <file>" through xcmd (so a -V line).
func (r *mkrun) rmList(file string) {
	r.vrun("/usr/bin/rm -f " + file)
	_ = os.Remove(r.p.host(file))
}

// updateSpotSW is [aix] update_spot_sw L14415-14863: bundles first
// (installp, updtvpkg, emgr, rpm), then otherpkgs (installp, rpm, emgr).
func (r *mkrun) updateSpotSW(spot, bundles, otherpkgs, iflags, rflags, eflags string) int {
	p, o := r.p, r.o
	var bndls []string
	if bundles != "" {
		r.vrun("/usr/sbin/lsnim -t installp_bundle | /usr/bin/cut -f1 -d' ' 2>/dev/null")
		s, err := p.st.View()
		if err != nil {
			o.err("Could not get NIM installp_bundle resource definitions.\n")
			return 1
		}
		bndls = strings.Split(bundles, ",")
		for _, b := range bndls {
			if ob := s.Object(b); ob == nil || ob.Type != "installp_bundle" {
				o.err("The installp_bundle resource '" + b + "' is not defined to NIM.\n") // sic
				return 1
			}
		}
	}
	spotloc := r.lsnimLocation(spot)
	if spotloc == "" {
		o.err("Could not get the location for .\n") // sic: the undefined variable, L14479
		return 1
	}
	chrootLpp := spotloc + "/lpp/bos/inst_root/lpp_source"
	if r.verbose {
		o.info("NIM lpp_resource location in chroot env: '" + chrootLpp + "'.\n")
	}
	if len(bndls) > 0 {
		var ilist, rlist, elist []string
		for _, b := range bndls {
			loc := r.lsnimLocation(b)
			if loc == "" {
				o.err("Could not get the location for " + b + ".\n")
				return 1
			}
			// The file is read on the NIM primary's own disk (L14528).
			data, err := os.ReadFile(p.host(loc))
			if err != nil {
				o.err("Could not open " + loc + ".\n")
				return 1
			}
			for _, line := range strings.Split(string(data), "\n") {
				if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
					continue
				}
				switch k, n := splitPkg(line); k {
				case 'R':
					rlist = append(rlist, n)
				case 'E':
					elist = append(elist, n)
				default:
					ilist = append(ilist, n)
				}
			}
		}
		if len(ilist) > 0 {
			_ = r.writeList("/tmp/tmp_installp", ilist)
			if r.updateSpotInstallp(spot, chrootLpp, "/tmp/tmp_installp", iflags) != 0 {
				return 1
			}
			r.rmList("/tmp/tmp_installp")
			cmd := `/opt/xcat/bin/xcatchroot -i ` + spot + ` "/usr/sbin/updtvpkg"`
			if _, rc := r.runcmd(cmd); rc != 0 {
				o.err("Could not run command: " + cmd + ".\n")
				return 1
			}
		}
		if len(elist) > 0 {
			_ = r.writeList("/tmp/tmp_emgr", elist)
			if r.updateSpotEpkg(spot, chrootLpp+"/emgr/ppc", "/tmp/tmp_emgr", eflags) != 0 {
				return 1
			}
			r.rmList("/tmp/tmp_emgr")
		}
		if len(rlist) > 0 {
			_ = r.writeList("/tmp/tmp_rpm", rlist)
			if r.updateSpotRPM(spot, chrootLpp+"/RPMS/ppc", rlist, rflags) != 0 {
				return 1
			}
			r.rmList("/tmp/tmp_rpm")
		}
	}
	if otherpkgs != "" {
		var ilist, rlist, elist []string
		for _, it := range strings.Split(otherpkgs, ",") {
			switch k, n := splitPkg(it); k {
			case 'R':
				rlist = append(rlist, n)
			case 'E':
				elist = append(elist, n)
			default:
				ilist = append(ilist, n)
			}
		}
		if len(ilist) > 0 {
			_ = r.writeList("/tmp/tmp_installp", ilist)
			if r.updateSpotInstallp(spot, chrootLpp, "/tmp/tmp_installp", iflags) != 0 {
				return 1
			}
			r.rmList("/tmp/tmp_installp")
		}
		if len(rlist) > 0 {
			if r.updateSpotRPM(spot, chrootLpp+"/RPMS/ppc", rlist, rflags) != 0 {
				return 1
			}
		}
		if len(elist) > 0 {
			_ = r.writeList("/tmp/tmp_epkg", elist)
			if r.updateSpotEpkg(spot, chrootLpp+"/emgr/ppc", "/tmp/tmp_epkg", eflags) != 0 {
				return 1
			}
			r.rmList("/tmp/tmp_epkg")
		}
	}
	return 0
}

// installpSource is the installp flags that take -d ([aix] L15296).
var installpSource = regexp.MustCompile(`l|L|i|A|a`)

// updateSpotInstallp is [aix] update_spot_installp L15279-15340.
func (r *mkrun) updateSpotInstallp(spot, srcDir, listfile, iflags string) int {
	o := r.o
	if r.verbose {
		o.info("Installing installp filesets in SPOT " + spot + ".\n")
	}
	icmd := "export INUCLIENTS=1;/usr/sbin/installp "
	if installpSource.MatchString(iflags) {
		icmd += "-d " + srcDir + " "
	}
	icmd += iflags + " -f " + listfile
	out, rc := r.runcmd(`/opt/xcat/bin/xcatchroot -i ` + spot + ` "` + icmd + `"`)
	if rc != 0 {
		// installp's whole output, always, as an error (L15318-15324).
		o.err("Could not install installp packages in SPOT "+spot+".\n", "Command output:\n\n"+out+"\n\n")
		return 1
	}
	if r.verbose {
		o.info("Command output:\n\n"+out+"\n\n", "Completed Installing installp filesets in SPOT "+spot+".\n")
	}
	return 0
}

// updateSpotRPM is [aix] update_spot_rpm L15355-15500.
func (r *mkrun) updateSpotRPM(spot, srcDir string, rpms []string, rflags string) int {
	o := r.o
	if r.verbose {
		o.info("Installing RPM packages in SPOT " + spot + ".\n")
	}
	var rpmpkgs string
	for _, n := range rpms {
		rpmpkgs += strings.TrimSuffix(n, "\n") + " "
	}
	cdcmd := "cd " + srcDir + ";"
	doinstall := strings.Fields(rpmpkgs)
	var dontinstall []string
	if strings.Contains(rflags, "-i") || strings.Contains(rflags, "install ") || strings.Contains(rflags, "U") || strings.Contains(rflags, "update ") {
		doinstall = nil
		tflags := rflags
		if !strings.Contains(rflags, "-test") {
			tflags = " " + rflags + "  --test "
		}
		out, _ := r.runcmd(`/opt/xcat/bin/xcatchroot -i ` + spot + ` "` + cdcmd + ` export INUCLIENTS=1; /usr/bin/rpm ` + tflags + ` ` + rpmpkgs + `"`)
		var bad []string
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 1 && f[0] == "package" {
				bad = append(bad, f[1])
			}
		}
		for _, sr := range strings.Fields(rpmpkgs) {
			rr := strings.TrimSuffix(sr, "*")
			found := false
			for _, b := range bad {
				if strings.Contains(b, rr) || regexpMatch(rr, b) {
					dontinstall = append(dontinstall, sr)
					found = true
					break
				}
			}
			if !found {
				doinstall = append(doinstall, sr)
			}
		}
	}
	failed := false
	if len(doinstall) > 0 {
		v := ""
		if r.verbose {
			v = "-V "
		}
		out, rc := r.runcmd(`/opt/xcat/bin/xcatchroot ` + v + `-i ` + spot + ` "` + cdcmd + ` export INUCLIENTS=1; /usr/bin/rpm ` + rflags + ` ` + strings.Join(doinstall, " ") + `"`)
		if rc != 0 {
			failed = true
			o.err("Command output:\n\n" + out + "\n\n")
		} else if r.verbose {
			o.info("Command output:\n\n" + out + "\n\n")
		}
	}
	if len(dontinstall) > 0 {
		o.warn("The following RPM packages were already installed and were not reinstalled:\n")
		o.info(append(append([]string{}, dontinstall...), "\n")...)
	}
	if failed {
		o.err("One or more errors occurred while installing rpm packages in SPOT " + spot + ".\n")
		return 1
	}
	if len(doinstall) > 0 {
		o.info(append(append([]string{"Completed Installing the following RPM packages in SPOT " + spot + ":\n"}, doinstall...), "\n")...)
	}
	return 0
}

// regexpMatch is Perl's "$b =~ /$r/" for an RPM name used as a pattern.
func regexpMatch(pattern, s string) bool {
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(s)
}

// updateSpotEpkg is [aix] update_spot_epkg L15522-15562.
func (r *mkrun) updateSpotEpkg(spot, srcDir, listfile, eflags string) int {
	o := r.o
	if r.verbose {
		o.info("Installing the interim fix in SPOT " + spot + ".\n")
	}
	out, rc := r.runcmd(`/opt/xcat/bin/xcatchroot -i ` + spot + ` "cd ` + srcDir + `; export INUCLIENTS=1; /usr/sbin/emgr ` + eflags + ` -f ` + listfile + `"`)
	if rc != 0 {
		o.err("Could not install the interim fix in SPOT "+spot+".\n",
			"One or more errors occurred while trying to install interim fix packages in "+spot+".\n",
			"Command output:\n\n"+out+"\n\n")
		return 1
	}
	if r.verbose {
		o.info("Completed Installing the interim fixes in SPOT "+spot+".\n", "Command output:\n\n"+out+"\n\n")
	}
	return 0
}

// syncSpotFiles is [aix] sync_spot_files L14882-15030: each "src ... ->
// dest" line of the synclist (read on the NIM primary) is rsynced into the
// SPOT: under /usr into the SPOT's /usr, anything else into its inst_root.
func (r *mkrun) syncSpotFiles(spot, synclist string) int {
	p, o := r.p, r.o
	r.vrun("/usr/sbin/lsnim -a location " + spot + " | /usr/bin/grep location 2>/dev/null")
	usrloc := ""
	if s, err := p.st.View(); err == nil {
		if ob := s.Object(spot); ob != nil {
			usrloc = ob.Get("location")
		}
	}
	if usrloc == "" {
		o.err("Could not run lsnim command: '/usr/sbin/lsnim -a location " + spot + " | /usr/bin/grep location 2>/dev/null'.\n")
		return 1
	}
	rootloc := usrloc + "/lpp/bos/inst_root"
	data, err := os.ReadFile(p.host(synclist))
	if err != nil {
		o.err("Could not open " + synclist + ".\n")
		return 1
	}
	arrow := regexp.MustCompile(`(.+) -> (.+)`)
	for _, line := range strings.Split(string(data), "\n") {
		m := arrow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		srcs := strings.Fields(m[1])
		dest := strings.NewReplacer(" ", "", "\t", "", ";", "").Replace(m[2])
		dir, target := dest, dest
		if len(srcs) == 1 {
			dir = path.Dir(dest)
		}
		if strings.HasPrefix(target, "/usr") {
			dir, target = path.Dir(usrloc)+dir, path.Dir(usrloc)+target
		} else {
			dir, target = rootloc+dir, rootloc+target
		}
		r.vrun("/usr/bin/mkdir -p " + dir)
		if err := os.MkdirAll(p.host(dir), 0o755); err != nil {
			o.err("Command: /usr/bin/mkdir -p " + dir + " failed.")
		}
		sync := "rsync -Lprogtz " + strings.Join(srcs, " ") + " " + target
		if r.verbose {
			o.info("Running '" + sync + "' on " + r.host + ".\n")
		}
		r.vrun(sync)
		for _, src := range srcs {
			b, err := os.ReadFile(p.host(src))
			dst := target
			if len(srcs) > 1 || strings.HasSuffix(dest, "/") {
				dst = target + "/" + path.Base(src)
			}
			if err == nil {
				err = os.WriteFile(p.host(dst), b, 0o644)
			}
			if err != nil {
				o.err("Command: '" + sync + "' failed.")
				return 1
			}
		}
	}
	return 0
}

// rootPassword sets root's password inside the SPOT with xcatchroot ([aix]
// L3667-3718): the password from the passwd table, "cluster" when there is
// none; no "Running command" line (VERBOSE is forced off around it) and
// the output thrown away. A failure is an error message but not a failed
// command (exit 1 all the same).
func (r *mkrun) rootPassword(pw string) error {
	p, o := r.p, r.o
	p.setPhase("password")
	if pw == "" {
		pw = "cluster"
	}
	if r.verbose {
		o.info("Setting the root password in the spot '" + r.name + "'\n")
	}
	if err := p.maybeHang("password"); err != nil {
		return err
	}
	_, rc := p.runcmd(`/opt/xcat/bin/xcatchroot -i ` + r.name + ` "/usr/bin/echo root:` + pw + ` | /usr/bin/chpasswd -c" >/dev/null 2>&1`)
	if rc != 0 {
		o.err("Unable to set root password.", "\n")
		return errFail
	}
	return nil
}

// update is mknimimage -u ([aix] L2993-3021): spot_updates on an
// existing osimage, whatever its nimtype (nothing checks it, notes §8.2);
// no summary, no root password.
func (r *mkrun) update(def *Osimage) int {
	if def == nil {
		r.o.err("The osimage object named '" + r.name + "' is not defined.\n")
		return 1
	}
	if r.attrs["nfs_vers"] != "" {
		r.o.err("The '-u ... nfs_vers=4' path is not supported by the nimwiz simulator.\n")
		return 1
	}
	if r.spotUpdates(def, true) != nil {
		return 1
	}
	return 0
}

// removeOnSNs is the end of -u on a hierarchy ([aix] L1704-1775): the SPOT
// removed on each SN (nim -Fo remove through xdsh), then the image's
// shared_root unless allocated there.
func (r *mkrun) removeOnSNs(spot string, def *Osimage, sns []string) {
	p, o := r.p, r.o
	sr := ""
	if def != nil {
		sr = def.Attrs["shared_root"]
	}
	for _, name := range sns {
		if r.verbose {
			o.info("Removing SPOT '" + spot + "' on service node " + name + ". This could take a while.\n")
		}
		var srAllocated, srGone bool
		err := p.st.Update(func(s *State) error {
			sn := s.ServiceNode(name)
			if sn == nil {
				return nil
			}
			sn.Objects = slicesDelete(sn.Objects, spot)
			if sr != "" {
				if c := sn.object(sr); c != nil {
					if atoi(c.Get("alloc_count")) != 0 {
						srAllocated = true
					} else {
						sn.Objects, srGone = slicesDelete(sn.Objects, sr), true
					}
				}
			}
			return nil
		})
		if err != nil {
			o.err("Could not remove " + spot + " from service node " + name + ".\n")
			continue
		}
		if srAllocated {
			o.err("The resource named '" + sr + "' is currently allocated on service node '" + name + "' and cannot be removed.\n")
		} else if srGone && r.verbose {
			o.info("Removing shared_root '" + sr + "' on service node " + name + ".\n")
		}
	}
}

func slicesDelete(objs []*NimObject, name string) []*NimObject {
	out := objs[:0:0]
	for _, o := range objs {
		if o.Name != name {
			out = append(out, o)
		}
	}
	return out
}
