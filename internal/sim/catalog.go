package sim

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Fileset is one installp fileset of a simulated image or SPOT.
type Fileset struct {
	Name  string `json:"name"`
	Level string `json:"level"`
	Desc  string `json:"desc"`
	Pkg   string `json:"pkg"`
}

// aixLevel is one AIX technology level the simulator knows images for.
type aixLevel struct {
	TL   string // oslevel -r form: 7300-02
	VRMF string // base fileset level: 7.3.2.0
}

var (
	level7105 = aixLevel{"7100-05", "7.1.5.0"}
	level7205 = aixLevel{"7200-05", "7.2.5.0"}
	level7302 = aixLevel{"7300-02", "7.3.2.0"}
)

type fsSpec struct{ name, desc string }

type pkgSpec struct {
	name     string
	filesets []fsSpec
	// levels by TL; empty means the AIX base level (bos and devices).
	levels map[string]string
	// optional packages are on the media but not in a SPOT NIM builds:
	// what an update (mknimimage -u) installs. GUESS at which: a SPOT
	// holds what a network boot needs, bos.adt is development tools.
	optional bool
}

// catalog is what an AIX install medium holds (abridged but real names).
// GSKit8.gskcrypt64.ppc.rte and the pciex adapter are long enough that
// lslpp -L wraps them onto two lines.
var catalog = []pkgSpec{
	{name: "bos", filesets: []fsSpec{
		{"bos.rte", "Base Operating System Runtime"},
		{"bos.rte.commands", "Commands"},
		{"bos.rte.libc", "libc Library"},
		{"bos.rte.security", "Base Security Function"},
		{"bos.64bit", "Base Operating System 64 bit Runtime"},
	}},
	{name: "bos.mp64", filesets: []fsSpec{{"bos.mp64", "Base Operating System 64-bit Multiprocessor Runtime"}}},
	{name: "bos.net", filesets: []fsSpec{
		{"bos.net.nfs.client", "Network File System Client"},
		{"bos.net.tcp.client", "TCP/IP Client Support"},
		{"bos.net.tcp.server", "TCP/IP Server"},
	}},
	{name: "bos.sysmgt", filesets: []fsSpec{
		{"bos.sysmgt.nim.client", "Network Install Manager - Client Tools"},
		{"bos.sysmgt.nim.spot", "Network Install Manager - SPOT"},
		{"bos.sysmgt.sysbr", "System Backup and BOS Install Utilities"},
	}},
	{name: "bos.diag", filesets: []fsSpec{{"bos.diag.rte", "Hardware Diagnostics"}}},
	{name: "bos.perf", filesets: []fsSpec{{"bos.perf.tools", "Base Performance Tools"}}},
	{name: "bos.acct", filesets: []fsSpec{{"bos.acct", "Accounting Services"}}},
	{name: "devices.chrp.base", filesets: []fsSpec{{"devices.chrp.base.rte", "RISC CHRP Base System Device Software"}}},
	{name: "devices.common.IBM.ethernet", filesets: []fsSpec{{"devices.common.IBM.ethernet.rte", "Common Ethernet Software"}}},
	{name: "devices.vdevice.IBM.l-lan", filesets: []fsSpec{{"devices.vdevice.IBM.l-lan.rte", "Virtual I/O Ethernet Software"}}},
	{name: "devices.vdevice.IBM.vscsi", filesets: []fsSpec{{"devices.vdevice.IBM.vscsi.rte", "Virtual SCSI Client Support"}}},
	{name: "devices.pciex.b315506714101604", filesets: []fsSpec{{"devices.pciex.b315506714101604.rte", "PCIe2 4-Port Adapter (10GbE SFP+) Software"}}},
	{name: "GSKit8.gskcrypt64", filesets: []fsSpec{{"GSKit8.gskcrypt64.ppc.rte", "IBM GSKit Cryptography Runtime"}},
		levels: map[string]string{"7100-05": "8.0.50.89", "7200-05": "8.0.55.17", "7300-02": "8.0.55.26"}},
	{name: "xlC.aix61", filesets: []fsSpec{{"xlC.aix61.rte", "IBM XL C++ Runtime for AIX 6.1 and later"}},
		levels: map[string]string{"7100-05": "13.1.3.3", "7200-05": "16.1.0.7", "7300-02": "16.1.0.15"}},
	{name: "xlC.rte", filesets: []fsSpec{{"xlC.rte", "IBM XL C/C++ Runtime"}},
		levels: map[string]string{"7100-05": "13.1.3.3", "7200-05": "16.1.0.7", "7300-02": "16.1.0.15"}},
	{name: "rsct.core", filesets: []fsSpec{
		{"rsct.core.rmc", "RSCT Resource Monitoring and Control"},
		{"rsct.core.utils", "RSCT Utilities"},
	}, levels: map[string]string{"7100-05": "3.2.3.0", "7200-05": "3.2.6.0", "7300-02": "3.3.2.0"}},
	{name: "openssl.base", filesets: []fsSpec{{"openssl.base", "Open Secure Socket Layer"}},
		levels: map[string]string{"7100-05": "1.0.2.2101", "7200-05": "1.1.2.2000", "7300-02": "3.0.10.1000"}},
	{name: "openssh.base", filesets: []fsSpec{
		{"openssh.base.client", "Open Secure Shell Commands"},
		{"openssh.base.server", "Open Secure Shell Server"},
	}, levels: map[string]string{"7100-05": "7.5.102.1800", "7200-05": "8.1.102.2103", "7300-02": "9.2.112.2300"}},
	{name: "perl.rte", filesets: []fsSpec{{"perl.rte", "Perl Version 5 Runtime Environment"}},
		levels: map[string]string{"7100-05": "5.10.1.4", "7200-05": "5.28.1.3", "7300-02": "5.34.1.6"}},
	{name: "bos.adt", optional: true, filesets: []fsSpec{
		{"bos.adt.base", "Base Application Development Toolkit"},
		{"bos.adt.include", "Base Application Development Include Files"},
		{"bos.adt.lib", "Base Application Development Libraries"},
	}},
}

// isOptional reports whether a package is left out of the SPOTs NIM builds.
func isOptional(pkg string) bool {
	for _, p := range catalog {
		if p.name == pkg {
			return p.optional
		}
	}
	return false
}

// spotFilesets are the filesets of fs that NIM installs into a new SPOT:
// all but the optional packages'.
func spotFilesets(fs []Fileset) []Fileset {
	var out []Fileset
	for _, f := range fs {
		if !isOptional(f.Pkg) {
			out = append(out, f)
		}
	}
	return out
}

// simagesPkgs are the packages an lpp_source needs for simages = yes (what
// a SPOT and a BOS install need), abridged.
var simagesPkgs = []string{"bos", "bos.mp64", "bos.net", "bos.sysmgt", "devices.chrp.base"}

// image is one installp image file: a package at one level.
type image struct {
	File, Pkg, Level string
	Filesets         []Fileset
}

func (p pkgSpec) level(l aixLevel) string {
	if v, ok := p.levels[l.TL]; ok {
		return v
	}
	return l.VRMF
}

// imagesFor lists the install images of one AIX level, without openssh if
// withSSH is false (a medium someone copied without the expansion pack).
func imagesFor(l aixLevel, withSSH bool) []image {
	var out []image
	for _, p := range catalog {
		if p.name == "openssh.base" && !withSSH {
			continue
		}
		lv := p.level(l)
		im := image{File: p.name + "." + lv + ".I", Pkg: p.name, Level: lv}
		for _, f := range p.filesets {
			im.Filesets = append(im.Filesets, Fileset{Name: f.name, Level: lv, Desc: f.desc, Pkg: p.name})
		}
		out = append(out, im)
	}
	return out
}

var bffName = regexp.MustCompile(`^(.+?)\.(\d+\.\d+\.\d+\.\d+)(\.N)?\.(I|U|bff)$`)

// parseImage names the package and level of an image file, and its
// filesets from the catalog (unknown packages are one fileset of that name).
func parseImage(file string) (image, bool) {
	m := bffName.FindStringSubmatch(file)
	if m == nil {
		return image{}, false
	}
	im := image{File: file, Pkg: m[1], Level: m[2]}
	for _, p := range catalog {
		if p.name == im.Pkg {
			for _, f := range p.filesets {
				im.Filesets = append(im.Filesets, Fileset{Name: f.name, Level: im.Level, Desc: f.desc, Pkg: p.name})
			}
		}
	}
	if len(im.Filesets) == 0 {
		im.Filesets = []Fileset{{Name: im.Pkg, Level: im.Level, Desc: im.Pkg, Pkg: im.Pkg}}
	}
	return im, true
}

// scanImages lists the install images in dir, sorted by file name.
func scanImages(dir string) []image {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []image
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		if im, ok := parseImage(e.Name()); ok {
			out = append(out, im)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// imageDir is where the images of a source directory live: the standard
// installp/ppc layout, or the directory itself when flat.
func imageDir(src string) string {
	d := filepath.Join(src, "installp", "ppc")
	if fi, err := os.Stat(d); err == nil && fi.IsDir() {
		return d
	}
	return src
}

// tlOf derives the technology level from the bos package's level.
func tlOf(ims []image) (aixLevel, bool) {
	for _, im := range ims {
		if im.Pkg != "bos" {
			continue
		}
		f := strings.Split(im.Level, ".")
		v, _ := strconv.Atoi(f[0])
		r, _ := strconv.Atoi(f[1])
		m, _ := strconv.Atoi(f[2])
		return aixLevel{TL: fmt.Sprintf("%d%d00-%02d", v, r, m), VRMF: im.Level}, true
	}
	return aixLevel{}, false
}

func hasSimages(ims []image) bool {
	have := map[string]bool{}
	for _, im := range ims {
		have[im.Pkg] = true
	}
	for _, p := range simagesPkgs {
		if !have[p] {
			return false
		}
	}
	return true
}

func filesetsOf(ims []image) []Fileset {
	var out []Fileset
	for _, im := range ims {
		out = append(out, im.Filesets...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// bffBytes is the content of a simulated install image: a recognisable
// header and deterministic filler so it has a size on disk.
func bffBytes(im image, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "nimwiz simulated installp image: %s %s\n", im.Pkg, im.Level)
	for _, f := range im.Filesets {
		fmt.Fprintf(&b, "%s %s %s\n", f.Name, f.Level, f.Desc)
	}
	for b.Len() < size {
		b.WriteString("0123456789abcdef")
	}
	return b.Bytes()[:max(size, b.Len())]
}

// writeTOC writes the .toc that inutoc would build for dir.
func writeTOC(dir string) error {
	ims := scanImages(dir)
	var b bytes.Buffer
	b.WriteString("0 1705400000 2\n")
	for _, im := range ims {
		fmt.Fprintf(&b, "%s 4 R I %s {\n", im.File, im.Pkg)
		for _, f := range im.Filesets {
			fmt.Fprintf(&b, "%s %s 1 N U en_US %s\n[\n%%\n%%\n%%\n%%\n]\n", f.Name, tocLevel(f.Level), f.Desc)
		}
		b.WriteString("}\n")
	}
	return os.WriteFile(filepath.Join(dir, ".toc"), b.Bytes(), 0o644)
}

// tocLevel writes a level the way .toc files do: 07.03.0002.0000.
func tocLevel(l string) string {
	f := strings.Split(l, ".")
	if len(f) != 4 {
		return l
	}
	n := make([]int, 4)
	for i := range f {
		n[i], _ = strconv.Atoi(f[i])
	}
	return fmt.Sprintf("%02d.%02d.%04d.%04d", n[0], n[1], n[2], n[3])
}
