package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Seed creates the demo world under root: a NIM master with lpp_sources at
// three AIX levels, finished osimages (stateful, stateless, one with a dump
// and extra resources, two sharing an lpp_source, one allocated to a
// diskless client), a SPOT left broken by an interrupted run, a Linux
// osimage, a CD drive with media and directories of install images. It is
// deterministic: the same world every time.
func Seed(root string) error {
	w := seeder{root: root}
	w.build()
	if w.err != nil {
		return fmt.Errorf("seed %s: %w", root, w.err)
	}
	return store{root: root}.write(w.s)
}

type seeder struct {
	root string
	s    *State
	err  error
}

func (w *seeder) path(p string) string { return filepath.Join(w.root, filepath.FromSlash(p)) }

func (w *seeder) mkdir(p string) {
	if w.err == nil {
		w.err = os.MkdirAll(w.path(p), 0o755)
	}
}

func (w *seeder) file(p string, b []byte) {
	w.mkdir(filepath.Dir(p))
	if w.err == nil {
		w.err = os.WriteFile(w.path(p), b, 0o644)
	}
}

// images writes install images into dir, with a .toc unless noTOC.
func (w *seeder) images(dir string, ims []image, noTOC bool) {
	w.mkdir(dir)
	for _, im := range ims {
		w.file(dir+"/"+im.File, bffBytes(im, 8<<10))
	}
	if !noTOC && w.err == nil {
		w.err = writeTOC(w.path(dir))
	}
}

func ready(loc string, extra ...Attr) []Attr {
	a := []Attr{{"Rstate", "ready for use"}, {"prev_state", "unavailable for use"}, {"location", loc}}
	a = append(a, extra...)
	return append(a, Attr{"alloc_count", "0"}, Attr{"server", "master"})
}

func (w *seeder) add(ob *NimObject) *NimObject {
	w.s.Objects = append(w.s.Objects, ob)
	return ob
}

func (w *seeder) res(name, typ, loc string, extra ...Attr) *NimObject {
	w.mkdir(loc)
	return w.add(&NimObject{Name: name, Class: "resources", Type: typ, Attrs: ready(loc, extra...)})
}

func (w *seeder) fileRes(name, typ, loc, content string) *NimObject {
	w.file(loc, []byte(content))
	return w.add(&NimObject{Name: name, Class: "resources", Type: typ, Attrs: ready(loc)})
}

func (w *seeder) lpp(name string, l aixLevel) *NimObject {
	loc := "/install/nim/lpp_source/" + name
	ims := imagesFor(l, true)
	w.images(loc+"/installp/ppc", ims, false)
	a := []Attr{{"arch", "power"}}
	a = append(a, ready(loc, Attr{"simages", "yes"})...)
	return w.add(&NimObject{Name: name, Class: "resources", Type: "lpp_source", Attrs: a, Filesets: filesetsOf(ims)})
}

// spot writes a finished SPOT; with broken, one that an interrupted
// mknimimage left: half its files, not ready.
func (w *seeder) spot(name string, l aixLevel, broken bool) *NimObject {
	loc := "/install/nim/spot/" + name + "/usr"
	fs := spotFilesets(filesetsOf(imagesFor(l, true)))
	// A sample of what a SPOT holds (writing every file would make each
	// seed slow): some filesets' files, then the kernel and boot image.
	all := spotFiles(fs)
	files := append(all[:8:8], all[len(all)-2:]...)
	if broken {
		files = all[:5]
	}
	for i, f := range files {
		size := f.size / 8
		if broken && i == len(files)-1 {
			size /= 2 // the file installp was writing when killed
		}
		w.file(loc+"/"+f.rel, make([]byte, size))
	}
	if broken {
		return w.add(&NimObject{Name: name, Class: "resources", Type: "spot", Filesets: fs, Attrs: []Attr{
			{"arch", "power"}, {"Rstate", "unavailable for use"}, {"prev_state", "unavailable for use"},
			{"location", loc}, {"alloc_count", "0"}, {"server", "master"},
		}})
	}
	for _, k := range []string{"chrp.64.ent", "chrp.mp.ent"} {
		w.file("/tftpboot/"+name+"."+k, make([]byte, 4096))
	}
	return w.add(spotObject(name, loc, l, fs))
}

func (w *seeder) osimage(name string, attrs map[string]string) {
	w.s.PutOsimage(&Osimage{Name: name, Attrs: attrs})
}

func nimImage(nimtype string, kv ...string) map[string]string {
	m := map[string]string{"imagetype": "NIM", "osname": "AIX", "nimtype": nimtype}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func (w *seeder) build() {
	w.s = &State{Host: "xcatmn", Domain: "cluster.example.com", RootPW: "cluster"}
	s := w.s
	s.Site = defaultSite(s)
	s.CDROMs = []CDROM{
		{"cd0", "Available", "04-C0-00-3,0", "SCSI Multimedia CD-ROM Drive"},
		{"cd1", "Defined", "", "Virtual SCSI Optical Served by VIO Server"},
	}

	// Media and image directories.
	w.file("/dev/cd0/OSLEVEL", []byte("OSLEVEL=7.3.2.0\n"))
	w.images("/dev/cd0/installp/ppc", imagesFor(level7302, true), false)
	w.mkdir("/dev/cd1") // a drive with no disc in it
	w.images("/export/images/7200/installp/ppc", imagesFor(level7205, true), false)
	w.images("/export/images/7300_notoc", imagesFor(level7302, false), true)
	w.mkdir("/export/images/empty")
	for _, d := range []string{"lpp_source", "spot", "root", "shared_root", "paging", "dump"} {
		w.mkdir("/install/nim/" + d)
	}
	w.mkdir("/tftpboot")

	// What nim_master_setup / nimconfig leave behind.
	w.add(&NimObject{Name: "master", Class: "machines", Type: "master", Attrs: []Attr{
		{"max_nimesis_threads", "20"}, {"comments", "machine which controls the NIM environment"},
		{"platform", "chrp"}, {"netboot_kernel", "64"},
		{"if1", "master_net xcatmn." + s.Domain + " 0 ent0"}, {"cable_type1", "N/A"},
		{"Cstate", "ready for a NIM operation"}, {"prev_state", "ready for a NIM operation"},
		{"Mstate", "currently running"}, {"master_port", "1058"}, {"registration_port", "1059"},
		{"reserved", "yes"},
	}})
	w.res("boot", "boot", "/tftpboot")
	w.res("nim_script", "nim_script", "/export/nim/scripts")
	w.add(&NimObject{Name: "master_net", Class: "networks", Type: "ent", Attrs: []Attr{
		{"Nstate", "ready for use"}, {"prev_state", "information is missing from this object's definition"},
		{"net_addr", "10.0.0.0"}, {"snm", "255.255.255.0"}, {"routing1", "default 10.0.0.1"},
	}})

	// lpp_sources at three levels; the 7100 one is not usable.
	w.lpp("aix7205_lpp", level7205)
	w.lpp("aix7302_lpp", level7302)
	old := w.lpp("aix7105_lpp", level7105)
	old.Set("Rstate", "unavailable for use")
	old.Set("prev_state", "ready for use")
	w.lpp("aix73_stateless_lpp_source", level7302)

	// Resources shared by several images.
	w.fileRes("cluster_resolv_conf", "resolv_conf", "/install/nim/resolv_conf/cluster_resolv_conf/resolv.conf",
		"search cluster.example.com\nnameserver 10.0.0.1\n")
	w.res("cluster_home", "home", "/install/nim/home/cluster_home")
	w.res("cluster_shared_home", "shared_home", "/install/nim/shared_home/cluster_shared_home")
	w.res("cluster_tmp", "tmp", "/install/nim/tmp/cluster_tmp")
	w.fileRes("postinstall_script", "script", "/install/nim/scripts/postinstall.sh",
		"#!/usr/bin/ksh\n# site customisation run after install\nchsec -f /etc/security/login.cfg -s default -a maxlogins=64\n")
	w.fileRes("base_bnd", "installp_bundle", "/install/nim/installp_bundle/base.bnd",
		"I:openssh.base.client\nI:openssh.base.server\nI:perl.rte\n")
	// What an update installs: development tools, which no SPOT has.
	w.fileRes("devel_bnd", "installp_bundle", "/install/nim/installp_bundle/devel.bnd",
		"# development tools for the compute nodes\nI:bos.adt.base\nI:bos.adt.include\n")
	// RPMs and an interim fix on the 7.3 lpp_sources (two bash levels: what
	// chkosimage reports as multiple matches), and a synclist.
	for _, lpp := range []string{"aix7302_lpp", "aix73_stateless_lpp_source"} {
		for _, r := range []string{"bash-5.2.15-1.aix7.1.ppc.rpm", "bash-5.1.16-1.aix7.1.ppc.rpm", "curl-8.4.0-1.aix7.1.ppc.rpm"} {
			w.file("/install/nim/lpp_source/"+lpp+"/RPMS/ppc/"+r, []byte("nimwiz simulated RPM "+r+"\n"))
		}
		w.file("/install/nim/lpp_source/"+lpp+"/emgr/ppc/IJ47643s2a.230912.epkg.Z", []byte("nimwiz simulated interim fix\n"))
	}
	w.file("/install/sync/compute.synclist", []byte("/etc/motd /etc/ntp.conf -> /etc/\n"))
	w.file("/etc/motd", []byte("Welcome to the compute cluster.\n"))
	w.file("/etc/ntp.conf", []byte("server 10.0.0.1\n"))

	// A stateful and a dataless image sharing one lpp_source.
	w.spot("aix72_stateful", level7205, false)
	w.res("aix72_stateful_root", "root", "/install/nim/root/aix72_stateful_root")
	w.res("aix72_stateful_paging", "paging", "/install/nim/paging/aix72_stateful_paging")
	w.osimage("aix72_stateful", nimImage("diskless", "lpp_source", "aix7205_lpp", "spot", "aix72_stateful",
		"root", "aix72_stateful_root", "paging", "aix72_stateful_paging"))
	w.spot("aix72_dataless", level7205, false)
	w.res("aix72_dataless_root", "root", "/install/nim/root/aix72_dataless_root")
	w.osimage("aix72_dataless", nimImage("dataless", "lpp_source", "aix7205_lpp", "spot", "aix72_dataless",
		"root", "aix72_dataless_root"))

	// A stateless image allocated to a diskless node.
	w.spot("aix73_stateless", level7302, false)
	w.res("aix73_stateless_shared_root", "shared_root", "/install/nim/shared_root/aix73_stateless_shared_root",
		Attr{"spot", "aix73_stateless"})
	w.res("aix73_stateless_paging", "paging", "/install/nim/paging/aix73_stateless_paging")
	w.osimage("aix73_stateless", nimImage("diskless", "lpp_source", "aix73_stateless_lpp_source",
		"spot", "aix73_stateless", "shared_root", "aix73_stateless_shared_root",
		"paging", "aix73_stateless_paging", "shared_home", "cluster_shared_home"))

	// A stateless image with a dump and extra resources.
	w.spot("aix73_full", level7302, false)
	w.res("aix73_full_shared_root", "shared_root", "/install/nim/shared_root/aix73_full_shared_root",
		Attr{"spot", "aix73_full"})
	w.res("aix73_full_dump", "dump", "/install/nim/dump/aix73_full_dump")
	w.res("aix73_full_paging", "paging", "/install/nim/paging/aix73_full_paging")
	w.osimage("aix73_full", nimImage("diskless", "lpp_source", "aix7302_lpp", "spot", "aix73_full",
		"shared_root", "aix73_full_shared_root", "dump", "aix73_full_dump", "configdump", "selective",
		"paging", "aix73_full_paging", "resolv_conf", "cluster_resolv_conf", "home", "cluster_home",
		"tmp", "cluster_tmp", "script", "postinstall_script", "installp_bundle", "base_bnd"))

	// What a Ctrl-C during "Creating a NIM SPOT resource" left: a SPOT
	// object that is not ready, half its files, and no osimage definition.
	w.spot("aix73_test", level7302, true)

	// Two diskless nodes using the stateless image: dln01 initialised with
	// mkdsklsnode (NIM client dln01), dln02 with mkdsklsnode -n (client
	// dln02_aix73_stateless, aixinstall.pm 2.9.2 L11255-11271).
	for _, c := range []struct{ client, node, cpuid string }{
		{"dln01", "dln01", "00F9C1D84C00"}, {"dln02_aix73_stateless", "dln02", "00F9C1D84C01"},
	} {
		w.add(&NimObject{Name: c.client, Class: "machines", Type: "diskless", Attrs: []Attr{
			{"platform", "chrp"}, {"netboot_kernel", "64"},
			{"if1", "master_net " + c.node + "." + s.Domain + " 0"}, {"cable_type1", "N/A"},
			{"Cstate", "diskless or dataless boot is enabled"}, {"prev_state", "ready for a NIM operation"},
			{"Mstate", "currently running"},
			{"spot", "aix73_stateless"}, {"shared_root", "aix73_stateless_shared_root"},
			{"paging", "aix73_stateless_paging"}, {"shared_home", "cluster_shared_home"},
			{"cpuid", c.cpuid}, {"Cstate_result", "success"},
		}})
	}
	for _, n := range []string{"aix73_stateless", "aix73_stateless_shared_root", "aix73_stateless_paging", "cluster_shared_home"} {
		s.Object(n).Set("alloc_count", "2")
	}
	// The xCAT nodes: mkdsklsnode set provmethod (L12270-12281). cn01 was
	// last initialised with aix72_stateful and since removed from NIM with
	// rmdsklsnode, which never clears provmethod; cn02 has none.
	node := func(name, prov string) {
		n := &Node{Name: name, Attrs: map[string]string{"groups": "aixnodes,all", "os": "AIX", "arch": "ppc64",
			"mgt": "hmc", "netboot": "nimol", "nodetype": "ppc,osi", "xcatmaster": "xcatmn"}}
		if prov != "" {
			n.Attrs["provmethod"], n.Attrs["profile"] = prov, prov
		}
		s.Nodes = append(s.Nodes, n)
	}
	node("cn01", "aix72_stateful")
	node("cn02", "")
	node("dln01", "aix73_stateless")
	node("dln02", "aix73_stateless")

	// A Linux image: lsdef lists it too, so filtering matters.
	w.osimage("rhels8.6-ppc64le-install-compute", map[string]string{
		"imagetype": "linux", "osname": "Linux", "osvers": "rhels8.6", "osarch": "ppc64le",
		"osdistroname": "rhels8.6-ppc64le", "profile": "compute", "provmethod": "install",
		"pkgdir":   "/install/rhels8.6/ppc64le",
		"pkglist":  "/opt/xcat/share/xcat/install/rh/compute.rhels8.pkglist",
		"template": "/opt/xcat/share/xcat/install/rh/compute.rhels8.tmpl",
	})
}

// SeedLarge creates the demo world (see Seed) plus osimages extra AIX
// osimages and NIM resources for them, until the NIM database holds at
// least resources resources: a master at scale, for benchmarks. Each extra
// osimage has its SPOT, a root or shared_root, a paging space, every third
// a dump, and an lpp_source shared by twenty osimages; any resources still
// missing are resolv_conf objects. The objects carry their attributes but
// no files or filesets (showres of an extra SPOT lists nothing).
func SeedLarge(root string, osimages, resources int) error {
	w := seeder{root: root}
	w.build()
	if w.err != nil {
		return fmt.Errorf("seed %s: %w", root, w.err)
	}
	w.scale(osimages, resources)
	return store{root: root}.write(w.s)
}

func (w *seeder) scale(osimages, resources int) {
	s := w.s
	obj := func(name, typ, loc string, extra ...Attr) {
		s.Objects = append(s.Objects, &NimObject{Name: name, Class: "resources", Type: typ, Attrs: ready(loc, extra...), Complete: true})
	}
	for i := 0; i < osimages; i++ {
		name := fmt.Sprintf("bench%05d", i)
		lpp := fmt.Sprintf("bench_lpp%03d", i/20)
		if i%20 == 0 {
			obj(lpp, "lpp_source", "/install/nim/lpp_source/"+lpp, Attr{"simages", "yes"})
		}
		spot := spotObject(name, "/install/nim/spot/"+name+"/usr", level7302, nil)
		spot.Complete = true
		s.Objects = append(s.Objects, spot)
		img := nimImage("diskless", "lpp_source", lpp, "spot", name, "paging", name+"_paging")
		if i%2 == 0 {
			obj(name+"_shared_root", "shared_root", "/install/nim/shared_root/"+name+"_shared_root", Attr{"spot", name})
			img["shared_root"] = name + "_shared_root"
		} else {
			obj(name+"_root", "root", "/install/nim/root/"+name+"_root")
			img["root"] = name + "_root"
		}
		obj(name+"_paging", "paging", "/install/nim/paging/"+name+"_paging")
		if i%3 == 0 {
			obj(name+"_dump", "dump", "/install/nim/dump/"+name+"_dump")
			img["dump"] = name + "_dump"
		}
		if i%5 == 4 {
			img["nimtype"] = "dataless"
		}
		s.Osimages = append(s.Osimages, &Osimage{Name: name, Attrs: img})
	}
	n := 0
	for _, o := range s.Objects {
		if o.Class == "resources" {
			n++
		}
	}
	for i := 0; n < resources; i, n = i+1, n+1 {
		name := fmt.Sprintf("bench_resolv%05d", i)
		obj(name, "resolv_conf", "/install/nim/resolv_conf/"+name+"/resolv.conf")
	}
	sort.Slice(s.Osimages, func(i, j int) bool { return s.Osimages[i].Name < s.Osimages[j].Name })
}
