package sim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// NIM's "nim -o define": what xCAT's mknimimage has NIM do (it runs these
// commands through runcmd, runcmd.go). Copying an lpp_source and building a
// SPOT take a while: the object exists, "unavailable for use", from the
// start, files appear as they are written, and NIM writes progress lines to
// its stdout (a pipe xCAT's plugin reads and never shows, unless the define
// fails and the run is verbose). A write to that pipe once its reader is
// gone ends the process by SIGPIPE; a signal ends it where it stands, the
// resource half-built, and is logged with the phase (the define's type).
//
// The progress texts: the lpp_source lines are a real capture
// (aix-nim.md §3.1); the SPOT's NIM lines are from memory of real runs
// (GUESS, aix-nim.md §3.2) around installp's layout.

// defineArgs are nim define's -a attributes, in order; keys may repeat.
type defineArgs []Attr

func (d defineArgs) get(k string) string {
	for _, a := range d {
		if a.K == k {
			return a.V
		}
	}
	return ""
}

// progress writes one of NIM's output lines. A write that fails (the
// plugin that read the pipe is gone: EPIPE, and SIGPIPE on its way to the
// handler that ends the process) stops the define where it is.
func (p *proc) progress(format string, a ...any) {
	if _, err := fmt.Fprintf(p.stdout, format+"\n", a...); err != nil && errors.Is(err, syscall.EPIPE) {
		// Wait for the SIGPIPE handler (catchSignals) to end the process;
		// if SIGPIPE was ignored, end it as NIM would, failing.
		time.Sleep(5 * time.Second)
		os.Exit(1)
	}
}

// nimDefine is "nim -o define -t TYPE -a k=v ... NAME".
func (p *proc) nimDefine(op opts, name string) int {
	typ := op.str('t')
	var attrs defineArgs
	for _, a := range op.val['a'] {
		k, v, _ := strings.Cut(a, "=")
		attrs = append(attrs, Attr{k, v})
	}
	phase := typ
	if typ == "shared_root" {
		phase = "root" // one fault knob for both kinds of root
	}
	p.setPhase(phase)
	if attrs.get("location") == "" && typ != "spot" {
		fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-032 m_mkres: the \"location\" attribute is required for \"%s\" resources", typ)))
		return 1
	}
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "nim: %v\n", err)
		return 1
	}
	if s.Object(name) != nil {
		fmt.Fprintf(p.stderr, "0042-032 nim: \"%s\" is already defined\n", name)
		return 1
	}
	switch typ {
	case "lpp_source":
		return p.defineLpp(name, attrs)
	case "spot":
		return p.defineSpot(name, attrs)
	case "root", "shared_root", "paging", "dump":
		return p.defineRes(name, typ, phase, attrs)
	}
	fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-028 nim: defining \"%s\" resources is not supported by the nimwiz simulator", typ)))
	return 1
}

// defineLpp copies the images (gencopy), then checks for the support
// images.
func (p *proc) defineLpp(name string, attrs defineArgs) int {
	src, loc := attrs.get("source"), attrs.get("location")
	if src == "" {
		return p.defineLppInPlace(name, loc)
	}
	p.progress("Preparing to copy install images (this will take several minutes)...")
	ims := scanImages(imageDir(p.host(src)))
	if len(ims) == 0 {
		// GUESS at NIM's words; xCAT captures them and shows its own.
		fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-134 m_mklpp: no install images were found in \"%s\"", src)))
		return 1
	}
	dst := p.host(loc + "/installp/ppc")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
		return 1
	}
	obj := &NimObject{Name: name, Class: "resources", Type: "lpp_source", Attrs: []Attr{
		{"arch", "power"}, {"Rstate", "unavailable for use"}, {"prev_state", "unavailable for use"},
		{"location", loc}, {"alloc_count", "0"}, {"server", "master"},
	}}
	if err := p.st.Update(func(s *State) error {
		if s.Object(name) != nil {
			return fmt.Errorf("0042-032 nim: \"%s\" is already defined", name)
		}
		s.Objects = append(s.Objects, obj)
		return nil
	}); err != nil {
		fmt.Fprintln(p.stderr, err)
		return 1
	}
	step := p.seconds("NIMWIZ_SIM_LPP_SECONDS", p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2).Seconds()/4) / time.Duration(len(ims))
	srcDir := strings.TrimSuffix(src, "/")
	if rel, err := filepath.Rel(p.host(""), imageDir(p.host(src))); err == nil {
		srcDir = "/" + filepath.ToSlash(rel)
	}
	for i, im := range ims {
		if i == len(ims)/2 {
			if err := p.maybeHang("lpp_source"); err != nil {
				return 1
			}
			if p.fault("lpp_source") {
				_ = p.st.Update(func(s *State) error { s.Remove(name); return nil })
				fmt.Fprint(p.stderr, nimProcessingError("   0042-175 m_mklpp: An unexpected result was returned by the \"/usr/sbin/gencopy\" command:\n\ngencopy: 0503-008 There is not enough free disk space in the target file system.\nrc=175"))
				return 1
			}
		}
		b, err := os.ReadFile(filepath.Join(imageDir(p.host(src)), im.File))
		if err == nil {
			err = os.WriteFile(filepath.Join(dst, im.File), b, 0o644)
		}
		if err != nil {
			_ = p.st.Update(func(s *State) error { s.Remove(name); return nil })
			fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
			return 1
		}
		p.progress("%s/%s", srcDir, im.File)
		_ = p.sleep(step)
	}
	p.progress("Now checking for missing install images...")
	_ = writeTOC(dst)
	simages := "no"
	if hasSimages(ims) {
		simages = "yes"
		p.progress("All required install images have been found. This lpp_source is now ready.")
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
		fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
		return 1
	}
	return 0
}

// defineLppInPlace defines an lpp_source from the images already at loc
// (no -a source: what mknimimage -i -p does after its own cp -r): NIM
// checks them and builds the .toc, copying nothing.
func (p *proc) defineLppInPlace(name, loc string) int {
	dir := p.host(loc + "/installp/ppc")
	ims := scanImages(dir)
	if len(ims) == 0 {
		fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-134 m_mklpp: no install images were found in \"%s\"", loc)))
		return 1
	}
	_ = writeTOC(dir)
	simages := "no"
	if hasSimages(ims) {
		simages = "yes"
	}
	err := p.st.Update(func(s *State) error {
		if s.Object(name) != nil {
			return fmt.Errorf("0042-032 nim: \"%s\" is already defined", name)
		}
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: "lpp_source", Filesets: filesetsOf(ims),
			Attrs: []Attr{{"arch", "power"}, {"Rstate", "ready for use"}, {"prev_state", "unavailable for use"},
				{"location", loc}, {"simages", simages}, {"alloc_count", "0"}, {"server", "master"}}})
		return nil
	})
	if err != nil {
		fmt.Fprintln(p.stderr, err)
		return 1
	}
	return 0
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

// defineSpot installs a SPOT the way NIM does, slowly: the object exists
// (not ready) from the start and files appear under <location>/<name>/usr.
func (p *proc) defineSpot(name string, attrs defineArgs) int {
	lpp, parent := attrs.get("source"), attrs.get("location")
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
		filesets = append(filesets, spotFilesets(src.Filesets)...)
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
		fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
		return 1
	}
	if nimErr != "" {
		fmt.Fprintln(p.stderr, nimErr)
		return 1
	}
	p.progress("\nCreating SPOT in \"%s\" on machine \"master\" from \"%s\" ...\n", parent, lpp)
	p.progress("Restoring files from BOS image.  This may take several minutes ...\n")
	p.progress("Installing filesets ...\n")
	p.progress("Be sure to check the output from the SPOT installation\nto verify that all the expected software was successfully\ninstalled.  You can use the NIM \"showlog\" operation to\nview the installation log file for the SPOT.\n")
	p.progress("+-----------------------------------------------------------------------------+\n                    Pre-installation Verification...\n+-----------------------------------------------------------------------------+\nVerifying selections...done\nVerifying requisites...done\nResults...\n")
	p.progress("+-----------------------------------------------------------------------------+\n                         Installing Software...\n+-----------------------------------------------------------------------------+\n")
	root := p.host(loc)
	files := spotFiles(filesets)
	dur := p.seconds("NIMWIZ_SIM_SPOT_SECONDS", 2)
	step := dur / time.Duration(len(files)+1)
	verifyAt := len(files) * 9 / 10
	start := time.Now()
	for i, f := range files {
		if i == len(files)/2 {
			if err := p.maybeHang("spot"); err != nil {
				return 1
			}
			if p.fault("spot") {
				fmt.Fprintln(p.stderr, "0042-001 nim: processing error encountered on \"master\":\n   0042-175 m_mkspot: An unexpected result was returned by the \"/usr/sbin/installp\" command:\n\ninstallp: An internal error occurred while attempting\n\tto access the Software Vital Product Data.\nrc=175")
				return 1
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
		if i%2 == 0 && i/2 < len(filesets) {
			fs := filesets[i/2]
			p.progress("installp:  APPLYING software for:\n        %s %s\n", fs.Name, fs.Level)
		}
		if err := p.writeHalves(filepath.Join(root, f.rel), f.size, step, loc+"/"+f.rel); err != nil {
			fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
			return 1
		}
		if i%2 == 1 {
			p.progress("        Filesets processed:  %d of %d  (Total time:  %s).\n", i/2+1, len(filesets), totalTime(time.Since(start)))
		}
	}
	p.progress("Finished processing all filesets.  (Total time:  %s).\n", totalTime(time.Since(start)))
	// network boot images land in /tftpboot
	for _, k := range []string{"chrp.64.ent", "chrp.mp.ent"} {
		_ = os.WriteFile(p.host("/tftpboot/"+name+"."+k), make([]byte, 4096), 0o644)
	}
	p.progress("Checking filesets and network boot images for SPOT \"%s\".\nThis may take several minutes ...\n", name)
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
		fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
		return 1
	}
	return 0
}

// totalTime is installp's "1 mins 15 secs".
func totalTime(d time.Duration) string {
	s := int(d.Seconds())
	if s < 60 {
		return fmt.Sprintf("%d secs", s)
	}
	return fmt.Sprintf("%d mins %d secs", s/60, s%60)
}

// writeHalves writes a file in two halves with a pause between them and a
// progress line after the first, so an interrupted build (a signal, or the
// SIGPIPE of that line) leaves a half-written file as a killed installp
// would.
func (p *proc) writeHalves(fp string, size int, step time.Duration, shown string) error {
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
	if shown != "" {
		p.progress("    restoring %s", shown)
	}
	_ = p.sleep(step / 2)
	if _, err := f.Write(buf); err != nil {
		return err
	}
	return p.sleep(step / 2)
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

// defineRes defines root, shared_root, paging or dump: a directory and the
// object (a shared_root gets the SPOT's root part); phase names the fault
// knob.
func (p *proc) defineRes(name, typ, phase string, attrs defineArgs) int {
	loc := attrs.get("location")
	if err := p.maybeHang(phase); err != nil {
		return 1
	}
	if p.fault(phase) {
		fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-001 m_mk%s: unable to create the directory \"%s\" on \"master\"", strings.ReplaceAll(typ, "_", ""), loc)))
		return 1
	}
	if err := os.MkdirAll(p.host(loc), 0o755); err != nil {
		fmt.Fprintf(p.stderr, "0042-001 nim: %v\n", err)
		return 1
	}
	spot := attrs.get("spot")
	if typ == "shared_root" {
		// NIM fills a shared_root from the SPOT's root part.
		for _, d := range []string{"etc", "sbin", "var"} {
			_ = os.MkdirAll(p.host(loc+"/"+d), 0o755)
		}
		_ = os.WriteFile(p.host(loc+"/etc/inittab"), []byte("init:2:initdefault:\n"), 0o644)
		_ = p.sleep(p.seconds("NIMWIZ_SIM_UPDATE_SECONDS", 0.2) / 2)
	}
	objAttrs := []Attr{{"Rstate", "ready for use"}, {"prev_state", "unavailable for use"}, {"location", loc}}
	if typ == "shared_root" {
		objAttrs = append(objAttrs, Attr{"spot", spot})
	}
	if typ == "dump" {
		for _, a := range attrs {
			switch a.K {
			case "dumpsize", "max_dumps", "notify", "snapcollect":
				objAttrs = append(objAttrs, a)
			}
		}
	}
	objAttrs = append(objAttrs, Attr{"alloc_count", "0"}, Attr{"server", "master"})
	err := p.st.Update(func(s *State) error {
		if s.Object(name) != nil {
			return fmt.Errorf("0042-032 nim: \"%s\" is already defined", name)
		}
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: typ, Attrs: objAttrs})
		return nil
	})
	if err != nil {
		fmt.Fprintln(p.stderr, err)
		return 1
	}
	return 0
}
