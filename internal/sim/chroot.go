package sim

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// The long work of a SPOT update and of a copy, as child processes of
// xCAT's plugin (run through runcmd, like NIM's defines): xcatchroot
// (xCAT-client/bin/xcatchroot at 2.9.2_aix_release, [xc]) runs a script
// inside a SPOT; cpcosi (AIX) copies a SPOT. Both register for ps, log the
// signals they get and end the way the signal would end them; a killed one
// leaves its work half done.
//
// What xcatchroot does to NIM ([xc], notes §1.4): it reads the osimage's
// spot and lpp_source from the definition (L147-162), marks both
// "unavailable for use" (m_chattr -a Rstate=unavailable, L253-258), runs
// the script in the SPOT with the lpp_source mounted, marks them available
// again (L262-268) and leaves "chroot session <pid> has ended" in the
// SPOT's comments (L272). GUESS: killed in between, the Rstates stay
// unavailable (its trap handler does not restore them); its exit status is
// the script's (notes: "rc" is never set, INFERRED either way).
//
// What runs inside is simulated from the world: installp installs the
// lpp_source's images into the SPOT's filesets, rpm and emgr its RPMs and
// interim fixes. installp's layout is the real one of the notes' T1/T2
// (aix-nim.md §3.2); emgr's and rpm's lines are GUESSES in their usual
// layout.

// xcatchroot is "xcatchroot [-V] -i OSIMAGE SCRIPT".
func (p *proc) xcatchroot(args []string) int {
	verbose := false
	var image, script string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-V":
			verbose = true
		case "-i":
			if i+1 < len(args) {
				image = args[i+1]
				i++
			}
		default:
			script = strings.Join(args[i:], " ")
			i = len(args)
		}
	}
	p.setPhase("chroot")
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "xcatchroot: %v\n", err)
		return 1
	}
	def := s.Osimage(image)
	if def == nil || def.Attrs["spot"] == "" {
		fmt.Fprintln(p.stdout, "ERROR: Could not get spot name from xCAT osimage definition.")
		return 1
	}
	spot, lpp := def.Attrs["spot"], def.Attrs["lpp_source"]
	spotOb, lppOb := s.Object(spot), s.Object(lpp)
	if spotOb == nil {
		fmt.Fprintf(p.stdout, "ERROR: Could not get the location of %s.\n", spot)
		return 1
	}
	spotLoc := spotOb.Get("location")
	lppLoc := ""
	if lppOb != nil {
		lppLoc = lppOb.Get("location")
	}
	if verbose {
		// [xc] L147-261 with -V; ${new_root} and ${chroot} come from NIM's
		// c_sh_lib (unknown), "$3" expands empty inside the double quotes.
		for _, l := range []string{
			"Running command: '/opt/xcat/bin/lsdef -t osimage -o " + image + " -i spot | grep spot | cut -f2 -d ='",
			"Running command: '/opt/xcat/bin/lsdef -t osimage -o " + image + " -i lpp_source | grep lpp_source | cut -f2 -d ='",
			"Running command: /usr/sbin/lsnim -a server " + spot + " | /usr/bin/awk '/server/ {print }'",
			"Running command: /usr/sbin/lsnim -a location " + spot + " | /usr/bin/awk '/location/ {print }'",
			"Running command: /usr/sbin/lsnim -a server " + lpp + " | /usr/bin/awk '/server/ {print }'",
			"Running command: /usr/sbin/lsnim -a location " + lpp + " | /usr/bin/awk '/location/ {print }'",
			"Running command: echo '#!/bin/ksh\n" + script + "' > " + spotLoc + "/xcatchrootscript",
			"Running command: 'mount " + lppLoc + " " + spotLoc + "/lpp/bos/inst_root/lpp_source'",
			"Running command: chroot " + spotLoc + "/lpp/bos/inst_root /usr/xcatchrootscript",
		} {
			p.progress("%s\n", l)
		}
	}
	mark := func(state string) {
		_ = p.st.Update(func(s *State) error {
			for _, n := range []string{spot, lpp} {
				if ob := s.Object(n); ob != nil && ob.Get("Rstate") != state {
					ob.setState(state)
				}
			}
			return nil
		})
	}
	mark("unavailable for use")
	rc := p.chrootScript(spot, spotLoc, lppLoc, script)
	mark("ready for use")
	_ = p.st.Update(func(s *State) error {
		if ob := s.Object(spot); ob != nil {
			ob.Set("comments", fmt.Sprintf("chroot session %d has ended", os.Getpid()))
		}
		return nil
	})
	return rc
}

// chrootScript runs one of the scripts xCAT hands xcatchroot.
func (p *proc) chrootScript(spot, spotLoc, lppLoc, script string) int {
	// "cd DIR; export INUCLIENTS=1; CMD" or "export INUCLIENTS=1;CMD"
	var cmd string
	for _, part := range strings.Split(script, ";") {
		part = strings.TrimSpace(part)
		if part == "" || strings.HasPrefix(part, "cd ") || strings.HasPrefix(part, "export ") {
			continue
		}
		cmd = part
	}
	words := strings.Fields(cmd)
	if len(words) == 0 {
		return 0
	}
	switch path.Base(words[0]) {
	case "installp":
		p.setPhase("installp")
		return p.chrootInstallp(spot, spotLoc, lppLoc, words[1:])
	case "updtvpkg":
		p.setPhase("updtvpkg")
		return 0
	case "rpm":
		p.setPhase("rpm")
		return p.chrootRPM(spot, lppLoc, words[1:])
	case "emgr":
		p.setPhase("emgr")
		return p.chrootEmgr(spot, lppLoc, words[1:])
	case "echo": // the root password: "echo root:PW | chpasswd -c"
		p.setPhase("password")
		_ = p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2))
		if p.fault("password") {
			return 1
		}
		return 0
	}
	fmt.Fprintf(p.stdout, "ksh: %s: not found.\n", words[0])
	return 127
}

// lppFilesets are the installp filesets the lpp_source's images hold.
func (p *proc) lppFilesets(lppLoc string) []Fileset {
	return filesetsOf(scanImages(imageDir(p.host(lppLoc))))
}

// chrootInstallp is installp -f LIST inside the SPOT: each item a fileset
// or a package (all its filesets) of the lpp_source. Missing ones fail
// pre-installation verification (rc 1); the others are applied, one after
// the other, the SPOT's files written as they go. NIMWIZ_SIM_FAIL=update
// makes the last item missing, whatever the media hold: a failure half-way.
func (p *proc) chrootInstallp(spot, spotLoc, lppLoc string, args []string) int {
	list := ""
	for i := 0; i < len(args); i++ {
		if args[i] == "-f" && i+1 < len(args) {
			list = args[i+1]
		}
	}
	data, err := os.ReadFile(p.host(list))
	if err != nil {
		fmt.Fprintf(p.stdout, "installp:  Cannot open %s.\n", list)
		return 1
	}
	var items []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			items = append(items, l)
		}
	}
	avail := p.lppFilesets(lppLoc)
	s, _ := p.st.View()
	have := map[string]string{}
	if s != nil {
		if ob := s.Object(spot); ob != nil {
			for _, f := range ob.Filesets {
				have[f.Name] = f.Level
			}
		}
	}
	var apply, already []Fileset
	var missing []string
	for i, it := range items {
		var got []Fileset
		for _, f := range avail {
			if f.Name == it || f.Pkg == it {
				got = append(got, f)
			}
		}
		if len(got) == 0 || (p.fault("update") && i == len(items)-1) {
			missing = append(missing, it)
			continue
		}
		for _, f := range got {
			if have[f.Name] == f.Level {
				already = append(already, f)
			} else {
				apply = append(apply, f)
			}
		}
	}
	var b strings.Builder
	rule := "+-----------------------------------------------------------------------------+\n"
	b.WriteString(rule + "                    Pre-installation Verification...\n" + rule)
	b.WriteString("Verifying selections...done\nVerifying requisites...done\nResults...\n\n")
	if len(apply) > 0 {
		b.WriteString("SUCCESSES\n---------\n  Filesets listed in this section passed pre-installation verification\n  and will be installed.\n\n  Selected Filesets\n  -----------------\n")
		for _, f := range apply {
			desc := f.Desc
			if len(desc) > 30 {
				desc = desc[:27] + "..."
			}
			fmt.Fprintf(&b, "  %-44s# %s\n", f.Name+" "+f.Level, desc)
		}
		b.WriteString("\n  << End of Success Section >>\n\n")
	}
	if len(already) > 0 {
		// GUESS at installp's words for -g with nothing new (aix-nim.md
		// has no capture of it).
		b.WriteString("WARNINGS\n--------\n  Problems described in this section are not likely to be the source of any\n  immediate or serious failures, but further actions may be necessary or\n  desired.\n\n  Already Installed\n  -----------------\n  The following filesets which you selected are either already installed\n  or effectively installed through superseding filesets.\n\n")
		for _, f := range already {
			fmt.Fprintf(&b, "  %-44s# %s\n", f.Name+" "+f.Level, f.Desc)
		}
		b.WriteString("\n  << End of Warning Section >>\n\n")
	}
	if len(missing) > 0 {
		b.WriteString("FAILURES\n--------\n  Filesets listed in this section failed pre-installation verification\n  and will not be installed.\n\n  Missing Filesets\n  ----------------\n" +
			"  The following filesets could not be found on the installation media.\n  If you feel these filesets really are on the media, check for typographical\n" +
			"  errors in the name specified or, if installing from directory, check for\n  discrepancies between the Table of Contents file (.toc) and the images that\n  reside in the directory.\n\n")
		for _, m := range missing {
			b.WriteString("    " + m + "\n")
		}
		b.WriteString("\n  << End of Failure Section >>\n\n")
		b.WriteString(rule + "                   BUILDDATE Verification ...\n" + rule + "Verifying build dates...done\nFILESET STATISTICS \n------------------\n")
		fmt.Fprintf(&b, "%5d  Selected to be installed, of which:\n%9d  Passed pre-installation verification\n%9d  FAILED pre-installation verification\n  ----\n%5d  Total to be installed\n\n",
			len(items), len(items)-len(missing), len(missing), len(apply))
	}
	p.progress("%s", strings.TrimSuffix(b.String(), "\n"))
	b.Reset()
	start := time.Now()
	if len(apply) > 0 {
		p.progress("%s", rule+"                         Installing Software...\n"+rule+"\ninstallp:  APPLYING software for:")
		for _, f := range apply {
			p.progress("        %s %s", f.Name, f.Level)
		}
		p.progress("")
		step := p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2) / time.Duration(len(apply))
		for i, f := range apply {
			// The fileset's files, half written when a signal ends us.
			rel := "lpp/" + f.Name + "/liblpp.a"
			if err := p.writeHalves(filepath.Join(p.host(spotLoc), rel), 16<<10, step, ""); err != nil {
				fmt.Fprintf(p.stdout, "installp: %v\n", err)
				return 1
			}
			err := p.st.Update(func(s *State) error {
				ob := s.Object(spot)
				if ob == nil {
					return fmt.Errorf("SPOT %s vanished", spot)
				}
				kept := ob.Filesets[:0]
				for _, g := range ob.Filesets {
					if g.Name != f.Name {
						kept = append(kept, g)
					}
				}
				ob.Filesets = append(kept, f)
				sort.Slice(ob.Filesets, func(i, j int) bool { return ob.Filesets[i].Name < ob.Filesets[j].Name })
				return nil
			})
			if err != nil {
				fmt.Fprintf(p.stdout, "installp: %v\n", err)
				return 1
			}
			p.progress("        Filesets processed:  %d of %d  (Total time:  %s).\n", i+1, len(apply), totalTime(time.Since(start)))
		}
		p.progress("Finished processing all filesets.  (Total time:  %s).\n", totalTime(time.Since(start)))
	}
	b.WriteString(rule + "                                Summaries:\n" + rule + "\n")
	if len(missing) > 0 {
		b.WriteString("Pre-installation Failure/Warning Summary\n----------------------------------------\nName                      Level           Pre-installation Failure/Warning\n-------------------------------------------------------------------------------\n")
		for _, m := range missing {
			fmt.Fprintf(&b, "%-42sNot found on the installation media\n", m)
		}
		b.WriteString("\n")
	}
	if len(apply) > 0 {
		b.WriteString("Installation Summary\n--------------------\nName                        Level           Part        Event       Result\n-------------------------------------------------------------------------------\n")
		for _, f := range apply {
			for _, part := range []string{"USR", "ROOT"} {
				fmt.Fprintf(&b, "%-28s%-16s%-12s%-12s%s\n", f.Name, f.Level, part, "APPLY", "SUCCESS")
			}
		}
		b.WriteString("\n")
	}
	p.progress("%s", strings.TrimRight(b.String(), "\n"))
	if len(missing) > 0 {
		return 1
	}
	return 0
}

// rpmFile finds an RPM of the lpp_source by the name xCAT hands rpm: a
// file name, or a pattern ending in '*'.
func (p *proc) rpmFile(lppLoc, name string) string {
	dir := p.host(lppLoc + "/RPMS/ppc")
	if strings.HasSuffix(name, "*") {
		ms, _ := filepath.Glob(filepath.Join(dir, name))
		sort.Sort(sort.Reverse(sort.StringSlice(ms)))
		if len(ms) > 0 {
			return filepath.Base(ms[0])
		}
		return ""
	}
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
		return name
	}
	return ""
}

// rpmName is an RPM file's name-version-release.arch, as rpm names an
// installed package.
func rpmName(file string) string {
	return strings.TrimSuffix(file, ".rpm")
}

// chrootRPM is rpm inside the SPOT: with --test it names the packages
// already installed ("package X is already installed", rpm's words); else
// it installs each (a missing file: "error: open of X failed", rc 1).
func (p *proc) chrootRPM(spot, lppLoc string, args []string) int {
	test := false
	var pkgs []string
	for _, a := range args {
		switch {
		case a == "--test":
			test = true
		case strings.HasPrefix(a, "-"):
		default:
			pkgs = append(pkgs, a)
		}
	}
	s, _ := p.st.View()
	var have []string
	if s != nil {
		if ob := s.Object(spot); ob != nil {
			have = ob.RPMs
		}
	}
	rc := 0
	var installed []string
	for _, n := range pkgs {
		f := p.rpmFile(lppLoc, n)
		if test {
			if f != "" && contains(have, rpmName(f)) {
				fmt.Fprintf(p.stdout, "\tpackage %s is already installed\n", rpmName(f))
			}
			continue
		}
		if f == "" {
			fmt.Fprintf(p.stdout, "error: open of %s failed: No such file or directory\n", n)
			rc = 1
			continue
		}
		if contains(have, rpmName(f)) {
			fmt.Fprintf(p.stdout, "\tpackage %s is already installed\n", rpmName(f))
			rc = 1
			continue
		}
		_ = p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2) / time.Duration(len(pkgs)))
		fmt.Fprintf(p.stdout, "%-28s##################################################\n", strings.SplitN(rpmName(f), "-", 2)[0])
		installed = append(installed, rpmName(f))
	}
	if len(installed) > 0 {
		_ = p.st.Update(func(s *State) error {
			if ob := s.Object(spot); ob != nil {
				for _, r := range installed {
					if !contains(ob.RPMs, r) {
						ob.RPMs = append(ob.RPMs, r)
					}
				}
			}
			return nil
		})
	}
	return rc
}

// chrootEmgr is "emgr -f LIST" inside the SPOT. GUESS at emgr's output.
func (p *proc) chrootEmgr(spot, lppLoc string, args []string) int {
	list := ""
	for i := 0; i < len(args); i++ {
		if args[i] == "-f" && i+1 < len(args) {
			list = args[i+1]
		}
	}
	data, err := os.ReadFile(p.host(list))
	if err != nil {
		fmt.Fprintf(p.stdout, "emgr: 0645-007 ATTENTION: unable to open %s.\n", list)
		return 1
	}
	rc := 0
	var done []string
	fmt.Fprintln(p.stdout, "EPKG NUMBER       LABEL               OPERATION              RESULT\n===========       ==============      =================      ==============")
	for i, f := range strings.Fields(string(data)) {
		label := strings.SplitN(f, ".", 2)[0]
		result := "SUCCESS"
		if _, err := os.Stat(p.host(lppLoc + "/emgr/ppc/" + f)); err != nil {
			result, rc = "FAILURE", 1
		} else {
			done = append(done, label)
		}
		fmt.Fprintf(p.stdout, "%-18d%-20s%-23s%s\n", i+1, label, "INSTALL", result)
	}
	_ = p.st.Update(func(s *State) error {
		if ob := s.Object(spot); ob != nil {
			ob.Efixes = append(ob.Efixes, done...)
		}
		return nil
	})
	return rc
}

// cpcosi is "cpcosi -c OLDSPOT -l PARENT NEW": NIM copies a SPOT. The new
// object exists, not ready, from the start; the files are copied; at the
// end it is the old one's twin. GUESS: cpcosi's own words (it prints
// nothing on success here; xCAT shows its output only on failure).
func (p *proc) cpcosi(args []string) int {
	var old, parent, name string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-c":
			if i+1 < len(args) {
				old = args[i+1]
				i++
			}
		case "-l":
			if i+1 < len(args) {
				parent = args[i+1]
				i++
			}
		default:
			name = args[i]
		}
	}
	p.setPhase("spot")
	if old == "" || parent == "" || name == "" {
		fmt.Fprintln(p.stderr, "Usage: cpcosi -c cosi [-S server] [-l location] [-e] NewCOSIName")
		return 1
	}
	loc := parent + "/" + name + "/usr"
	var src NimObject
	nimErr := ""
	err := p.st.Update(func(s *State) error {
		ob := s.Object(old)
		switch {
		case ob == nil || ob.Type != "spot":
			nimErr = fmt.Sprintf("0042-053 cpcosi: there is no NIM object named \"%s\"", old)
			return nil
		case s.Object(name) != nil:
			nimErr = fmt.Sprintf("0042-032 cpcosi: \"%s\" is already defined", name)
			return nil
		}
		src = *ob
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: "spot", Attrs: []Attr{
			{"arch", "power"}, {"Rstate", "unavailable for use"}, {"prev_state", "unavailable for use"},
			{"location", loc}, {"alloc_count", "0"}, {"server", "master"},
		}})
		return nil
	})
	if err != nil {
		fmt.Fprintf(p.stderr, "cpcosi: %v\n", err)
		return 1
	}
	if nimErr != "" {
		fmt.Fprintln(p.stderr, nimErr)
		return 1
	}
	// Copy the old SPOT's files, in halves, taking about
	// NIMWIZ_SIM_COPY_SECONDS (default half a SPOT build).
	srcDir := p.host(src.Get("location"))
	var files []string
	_ = filepath.WalkDir(srcDir, func(fp string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, fp)
		}
		return nil
	})
	dur := p.seconds("NIMWIZ_SIM_COPY_SECONDS", p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2).Seconds()/2)
	step := dur / time.Duration(len(files)+1)
	for i, fp := range files {
		if i == len(files)/2 {
			if err := p.maybeHang("spot"); err != nil {
				return 1
			}
			if p.fault("spot") {
				fmt.Fprintf(p.stderr, "0042-001 cpcosi: processing error encountered on \"master\":\n   0042-175 c_cpcosi: An unexpected result was returned by the \"/usr/bin/cp\" command:\n\ncp: %s: There is not enough space in the file system.\nrc=175\n", loc)
				return 1
			}
		}
		rel, _ := filepath.Rel(srcDir, fp)
		fi, err := os.Stat(fp)
		if err != nil {
			continue
		}
		if err := p.writeHalves(filepath.Join(p.host(loc), rel), int(fi.Size()), step, ""); err != nil {
			fmt.Fprintf(p.stderr, "0042-001 cpcosi: %v\n", err)
			return 1
		}
	}
	for _, k := range []string{"chrp.64.ent", "chrp.mp.ent"} {
		_ = os.WriteFile(p.host("/tftpboot/"+name+"."+k), make([]byte, 4096), 0o644)
	}
	err = p.st.Update(func(s *State) error {
		ob := s.Object(name)
		if ob == nil {
			return fmt.Errorf("SPOT %s vanished", name)
		}
		lvl := aixLevel{TL: src.Get("oslevel_r"), VRMF: src.Get("version") + "." + src.Get("release") + "." + src.Get("mod") + ".0"}
		*ob = *spotObject(name, loc, lvl, append([]Fileset(nil), src.Filesets...))
		ob.RPMs = append([]string(nil), src.RPMs...)
		ob.Efixes = append([]string(nil), src.Efixes...)
		return nil
	})
	if err != nil {
		fmt.Fprintf(p.stderr, "0042-001 cpcosi: %v\n", err)
		return 1
	}
	return 0
}
