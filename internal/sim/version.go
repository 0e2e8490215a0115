package sim

import (
	"crypto/sha1"
	"fmt"
	"strconv"
	"strings"
)

// xver is an xCAT release, major.minor.fix (NIMWIZ_SIM_XCAT).
type xver [3]int

// defaultXcat is the release the simulator behaves as: xCAT for AIX ended
// with 2.9.3 (xcat-core docs/source/overview/xcat2_release.rst L132-141,
// 2016-03-11), so a real AIX management node runs 2.9.x or older.
var defaultXcat = xver{2, 9, 3}

func parseXver(s string) (xver, bool) {
	var v xver
	f := strings.Split(strings.TrimSpace(s), ".")
	if len(f) < 2 || len(f) > 3 {
		return v, false
	}
	for i, p := range f {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

func (v xver) atLeast(a, b, c int) bool {
	w := xver{a, b, c}
	for i := range v {
		if v[i] != w[i] {
			return v[i] > w[i]
		}
	}
	return true
}

func (v xver) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// xcat is the release this command behaves as.
func (p *proc) xcat() xver {
	if v, ok := parseXver(p.getenv("NIMWIZ_SIM_XCAT")); ok {
		return v
	}
	return defaultXcat
}

// serverPrefix: errors and warnings carry "[host]: " from 2.14.2 on (commit
// 7227c7f98, first in 2.14.2).
func (p *proc) serverPrefix() bool { return p.xcat().atLeast(2, 14, 2) }

// groupAbort: from 2.12.4 on (commit 95ab03684) xcatd puts each plugin in a
// process group of its own (HEAD xcatd L2049-2052) and an abort signals the
// whole group (HEAD xcatd L3137-3147); before, only the plugin's pid
// (2.9.2 xcatd L2467-2474, 2.9.3 L2475-2482).
func (p *proc) groupAbort() bool { return p.xcat().atLeast(2, 12, 4) }

// noDefsMessage: lsdef says "No object definitions have been found" when
// objects exist but none is shown, from 2.14.5 on (commit 4aa090f6e; HEAD
// DBobjectdefs.pm L4300-4309). Before, it prints nothing.
func (p *proc) noDefsMessage() bool { return p.xcat().atLeast(2, 14, 5) }

// Version strings of real builds: "Version <v> (git commit <sha>, built
// <date>)" (perl-xCAT/modifyUtils at 2.9.3 L10-18; the commit is the full
// hash, perl-xCAT/debian/rules L51). The build dates are guesses near the
// tag's commit date.
var xcatVersions = map[xver]string{
	{2, 9, 2}:  "Version 2.9.2 (git commit 2b970e21663ae1ae5205aedc2236cf7fab20bf90, built Thu Nov  5 02:10:44 EST 2015)",
	{2, 9, 3}:  "Version 2.9.3 (git commit 0cee1dd415313980d797c31132ae8acf6f0b58dc, built Fri Mar  4 01:32:17 EST 2016)",
	{2, 16, 5}: "Version 2.16.5 (git commit 9c3d9e7e34c5a1b0f8d6a2e6d3c61b0b0d6e4f21, built Wed Mar  8 04:12:17 EST 2023)",
}

// version is what lsxcatd -v and mknimimage -v report.
func (p *proc) version() string {
	v := p.xcat()
	if s, ok := xcatVersions[v]; ok {
		return s
	}
	// Another release: the same format, with a made-up commit.
	return fmt.Sprintf("Version %s (git commit %x, built Mon Jan  1 00:00:00 EST 2018)", v, sha1.Sum([]byte(v.String())))
}
