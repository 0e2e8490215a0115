package nim

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an xCAT version as lsxcatd -v prints it.
type Version struct {
	Major, Minor, Patch int
	Raw                 string // the line it came from
}

// AtLeast reports whether v is major.minor or later.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// ParseXcatVersion reads lsxcatd -v output: "Version 2.16.5 (git commit
// 0123abc, built Tue Jan 12 08:35:35 EST 2021)". Other shapes are tolerated:
// the first "N.N[.N]" after the word "Version", or else the first one on any
// line. A missing patch level is 0.
func ParseXcatVersion(out []byte) (Version, bool) {
	s := string(out)
	var fallback Version
	haveFallback := false
	for s != "" {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if i := strings.Index(t, "Version "); i >= 0 {
			w, _ := nextField(t[i+len("Version "):])
			if v, ok := dottedVersion(w); ok {
				v.Raw = t
				return v, true
			}
		}
		if haveFallback {
			continue
		}
		for rest := t; rest != ""; {
			var w string
			w, rest = nextField(rest)
			if w == "" {
				break
			}
			if v, ok := dottedVersion(w); ok {
				v.Raw = t
				fallback, haveFallback = v, true
				break
			}
		}
	}
	return fallback, haveFallback
}

// dottedVersion parses "2.16.5", "2.16", "v2.9" (and a trailing comma or
// period).
func dottedVersion(w string) (Version, bool) {
	w = strings.TrimPrefix(strings.TrimRight(w, ",.;)"), "v")
	parts := strings.Split(w, ".")
	if len(parts) < 2 || len(parts) > 4 {
		return Version{}, false
	}
	var n [3]int
	for i, p := range parts {
		if p == "" || len(p) > 6 {
			return Version{}, false
		}
		for j := 0; j < len(p); j++ {
			if !isDigit(p[j]) {
				return Version{}, false
			}
		}
		if i < 3 {
			n[i], _ = strconv.Atoi(p)
		}
	}
	return Version{Major: n[0], Minor: n[1], Patch: n[2]}, true
}
