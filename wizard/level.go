package wizard

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// Level is the AIX level of a source, as far as the master's files and NIM
// tell it, and where that came from.
type Level struct {
	TL   string // oslevel -r form: 7300-02; "" when unknown
	VRMF string // 7.3.2.0 when known
	From string // where it was read: "lsnim oslevel_r", "OSLEVEL", ".toc (bos.rte)", ...
	Why  string // when unknown: why
}

// Known reports whether the level was found.
func (l Level) Known() bool { return l.TL != "" }

// String is the level as listed: "7300-02", or "level unknown".
func (l Level) String() string {
	if l.TL == "" {
		return "level unknown"
	}
	return l.TL
}

// Text says the level in a sentence's words, with where it was read.
func (l Level) Text() string {
	if !l.Known() {
		if l.Why != "" {
			return "AIX level unknown: " + l.Why
		}
		return "AIX level unknown"
	}
	s := "AIX " + l.TL
	if l.VRMF != "" {
		s += " (" + l.VRMF + ")"
	}
	if l.From != "" {
		s += ", from " + l.From
	}
	return s
}

// Same reports whether both levels are known and the same technology level.
func (l Level) Same(o Level) bool { return l.Known() && l.TL == o.TL }

var (
	vrmfRE = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)\.(\d+)$`)
	tlRE   = regexp.MustCompile(`^(\d)(\d)00-(\d\d)`)
)

// fromVRMF is the level of bos.rte (or the media's OSLEVEL) v.r.m.f:
// AIX V.R technology level M, "VR00-MM" as oslevel -r says it. The .toc
// writes levels zero-padded (07.03.0002.0000).
func fromVRMF(v, from string) (Level, bool) {
	m := vrmfRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return Level{}, false
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	if n[0] < 4 || n[0] > 9 || n[1] > 9 {
		return Level{}, false
	}
	return Level{TL: fmt.Sprintf("%d%d00-%02d", n[0], n[1], n[2]), VRMF: fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3]), From: from}, true
}

// LppLevel is lpp_source o's level: NIM's own attribute where it shows one
// (oslevel_r; or version/release/mod, as a SPOT shows them: aix-nim.md §3
// marks the lpp_source's optional attributes as a guess, so both readings
// are taken), else bos.rte's level in the .toc at its location on the
// master (root prefixes host paths).
func LppLevel(root string, o nim.Object) Level {
	if r := strings.TrimSpace(o.Get("oslevel_r")); tlRE.MatchString(r) {
		return Level{TL: r[:7], From: "lsnim oslevel_r"}
	}
	if v, r, m := o.Get("version"), o.Get("release"), o.Get("mod"); v != "" && r != "" && m != "" {
		if l, ok := fromVRMF(v+"."+r+"."+m+".0", "lsnim version/release/mod"); ok {
			l.VRMF = ""
			return l
		}
	}
	loc := o.Get("location")
	if !path.IsAbs(loc) {
		return Level{Why: "NIM shows no level and no location"}
	}
	return DirLevel(root, loc)
}

// DirLevel is the level of the installp images in dir (a host path): an
// OSLEVEL file at its top (as on the media), else bos.rte in its .toc
// (installp/ppc, the top, usr/sys/inst.images), else the level in the name
// of the bos or bos.rte image file.
func DirLevel(root, dir string) Level {
	p := hostPath(root, dir)
	if l, ok := oslevelFile(filepath.Join(p, "OSLEVEL")); ok {
		return l
	}
	for _, sub := range []string{"installp/ppc", ".", "usr/sys/inst.images"} {
		if l, ok := tocLevel(filepath.Join(p, sub, ".toc")); ok {
			return l
		}
	}
	for _, sub := range []string{"installp/ppc", ".", "usr/sys/inst.images"} {
		if l, ok := imageNameLevel(filepath.Join(p, sub)); ok {
			return l
		}
	}
	return Level{Why: "no OSLEVEL file, and no bos.rte in a .toc or image name"}
}

// MediaLevel is the level of the disc in drive dev (/dev/cd0). The disc's
// OSLEVEL file can only be read when it is mounted: on a real master the
// drive is a device, and nimwiz does not mount it. (The demo's simulated
// drive is a directory, read as DirLevel reads one.)
func MediaLevel(root, dev string) Level {
	if fi, err := os.Stat(hostPath(root, dev)); err == nil && fi.IsDir() {
		return DirLevel(root, dev)
	}
	return Level{Why: "the disc is not mounted; nimwiz does not mount it (mount -v cdrfs -o ro " + dev + " /mnt, then cat /mnt/OSLEVEL, shows it)"}
}

// oslevelFile reads the media's OSLEVEL file: "OSLEVEL=7.2.0.0" (aix-nim.md
// §5, a public capture), or the bare level.
func oslevelFile(p string) (Level, bool) {
	b, err := readSmall(p)
	if err != nil {
		return Level{}, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "OSLEVEL=")
		if l, ok := fromVRMF(line, "OSLEVEL"); ok {
			return l, true
		}
	}
	return Level{}, false
}

// tocLevel finds the highest bos.rte level in a .toc: fileset lines are
// "bos.rte 07.03.0002.0000 1 N U en_US Base Operating System Runtime".
func tocLevel(p string) (Level, bool) {
	f, err := os.Open(p)
	if err != nil {
		return Level{}, false
	}
	defer f.Close()
	var best Level
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 2 || fs[0] != "bos.rte" {
			continue
		}
		if l, ok := fromVRMF(fs[1], ".toc (bos.rte)"); ok && laterVRMF(l.VRMF, best.VRMF) {
			best = l
		}
	}
	return best, best.Known()
}

var bosImage = regexp.MustCompile(`^bos(?:\.rte)?\.(\d+\.\d+\.\d+\.\d+)\.(?:I|U)$`)

// imageNameLevel reads the level from the bos (or bos.rte) image's file
// name, pkg.v.r.m.f.I (aix-nim.md §5 bff naming), in a directory
// without .toc.
func imageNameLevel(dir string) (Level, bool) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return Level{}, false
	}
	var best Level
	for _, e := range ents {
		if m := bosImage.FindStringSubmatch(e.Name()); m != nil {
			if l, ok := fromVRMF(m[1], "image "+e.Name()); ok && laterVRMF(l.VRMF, best.VRMF) {
				best = l
			}
		}
	}
	return best, best.Known()
}

func laterVRMF(a, b string) bool {
	if b == "" {
		return true
	}
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x > y
		}
	}
	return false
}

func readSmall(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 4096)
	n, err := f.Read(b)
	if n > 0 {
		return b[:n], nil
	}
	return nil, err
}

// LppUsable reports whether lpp_source o can be the source: ready for use
// and with simages.
func LppUsable(o nim.Object) bool { return o.Ready() && o.HasSimages() }

// LppProblem says why lpp_source o cannot be the source and how to fix it,
// or "".
func LppProblem(o nim.Object) string {
	switch {
	case !o.Ready():
		return LppRefusal(o)
	case !o.HasSimages():
		return NoSimages(o)
	}
	return ""
}

// LppNote is why o is listed as not usable, in a few words, or "".
func LppNote(o nim.Object) string {
	switch {
	case !o.Ready():
		return fmt.Sprintf("its Rstate is not %q", nim.RstateReady)
	case !o.HasSimages():
		return "no simages: a SPOT cannot be built from it"
	}
	return ""
}

// LevelFound is the line that says the level of the media or directory
// just chosen.
func LevelFound(l Level) string { return l.Text() + "." }

// LppLevels are the levels of lpps, in order (reads files: off the event
// loop).
func LppLevels(root string, lpps []nim.Object) []Level {
	out := make([]Level, len(lpps))
	for i, o := range lpps {
		out[i] = LppLevel(root, o)
	}
	return out
}

// SameLevelLpp is the first usable lpp_source of lpps whose level is lvl's
// (levels[i] is lpps[i]'s), or -1.
func SameLevelLpp(lpps []nim.Object, levels []Level, lvl Level) int {
	for i, o := range lpps {
		if i < len(levels) && LppUsable(o) && levels[i].Same(lvl) {
			return i
		}
	}
	return -1
}

// ReuseQuestion offers lpp_source o, at the same level lvl as the media or
// directory src just chosen (each mode adds how to answer).
func ReuseQuestion(o nim.Object, lvl Level, src string) string {
	return fmt.Sprintf("NIM already has lpp_source %s at the same AIX level (%s), ready and with simages. Reuse it instead of copying %s? It skips a copy of 1-2 GB, often the longest part of the run after the SPOT",
		o.Name, lvl.TL, src)
}

// NoSimages refuses lpp_source o without simages.
func NoSimages(o nim.Object) string {
	return fmt.Sprintf("%s does not have simages = yes: it lacks the support images (bos, bos.64bit, ...) that a SPOT is built from, so NIM refuses to build a SPOT from it. Add the missing images to it and run `nim -Fo check %s`, or choose another source.", o.Name, o.Name)
}
