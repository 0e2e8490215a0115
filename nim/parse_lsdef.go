package nim

import (
	"bytes"
	"strings"
)

// lsdef's three ways of saying there is no osimage to list
// (xcat-mknimimage.md §4, CORRECTED; xCAT-server/lib/xcat/plugins/
// DBobjectdefs.pm):
const (
	// NoObjectsMessage: the object hash is empty after the names were
	// resolved; info on stdout, exit 0 (2.9.2 L2962).
	NoObjectsMessage = "Could not find any objects to display."
	// NoDefinitionsMessage: osimages exist but -w matched none; info on
	// stdout, exit 0 (HEAD L4307; 2.9.2 prints nothing at all then).
	NoDefinitionsMessage = "No object definitions have been found"
	// NoObjectsOfTypeText: no osimage at all when no name was given; an
	// error ("Error: " and, from xCAT 2.14.2, "[host]: " before it) on
	// stderr, exit 1 (processArgs, 2.9.2 L1018-1028).
	NoObjectsOfTypeText = "Could not get objects of type 'osimage'."
	// NoObjectsOfTypeMessage: asked for one osimage by name (-o NAME) when
	// there is no osimage at all; info on stdout, exit 0 (defls, 2.9.2
	// L3368).
	NoObjectsOfTypeMessage = "Could not find any objects of type 'osimage'."
)

// LsdefNone reports whether a finished lsdef -t osimage without object names
// (with -l, -w or neither) said there is no osimage, and nothing else: exit
// 0 with stdout holding only NoObjectsMessage or NoDefinitionsMessage lines
// or nothing at all, and nothing on stderr; or exit 1 with stderr holding
// only NoObjectsOfTypeText errors and stdout nothing. Any other output or
// status is not "none" (a failure stays a failure).
func LsdefNone(stdout, stderr []byte, exit int) bool {
	switch exit {
	case 0:
		if firstNonBlank(stderr) != "" {
			return false
		}
		return everyLine(stdout, func(t string) bool {
			return t == NoObjectsMessage || t == NoDefinitionsMessage || t == NoObjectsOfTypeMessage
		})
	case 1:
		if firstNonBlank(stdout) != "" || firstNonBlank(stderr) == "" {
			return false
		}
		return everyLine(stderr, func(t string) bool {
			m, ok := parseMessageLine(t)
			return ok && m.Kind == XcatError && m.Text == NoObjectsOfTypeText
		})
	}
	return false
}

// everyLine reports whether ok holds for every non-blank line of out,
// trimmed (true when there is none).
func everyLine(out []byte, ok func(string) bool) bool {
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		if t := trimBlanks(line); t != "" && !ok(t) {
			return false
		}
	}
	return true
}

// ParseLsdefList parses the short form of lsdef -t osimage: one
// "name  (osimage)" line per definition. Lines of any other shape (including
// the "no osimage" answers of LsdefNone) give nothing.
func ParseLsdefList(out []byte) []string {
	var names []string
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		name, rest := nextField(line)
		if trimBlanks(rest) == "(osimage)" && plausibleName(name) {
			names = append(names, name)
		}
	}
	return names
}

// objectNamePrefix starts every object in lsdef's long form and the
// mknimimage summary.
const objectNamePrefix = "Object name:"

// ParseLsdefLong parses the long form of lsdef -t osimage (-l, -o NAME, a name
// argument): "Object name: X" (or "Object name: X  (osimage)" when several
// types were asked for) and indented "attr=value" lines, with no blank lines
// between objects. It tolerates the -V suffix "\t(Table:...)" (dropped),
// empty values ("dump=", printed with -i), blank lines, CRLF, and the -z
// stanza form ("NAME:" headers, "objtype=osimage" lines). objtype is never
// kept as an attribute. Unindented lines that are not headers (messages,
// junk) end nothing and are skipped.
func ParseLsdefLong(out []byte) []Osimage {
	var imgs []Osimage
	cur := -1
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		if line == "" {
			continue
		}
		if !isBlank(line[0]) {
			if name, ok := objectNameLine(line); ok {
				imgs = append(imgs, Osimage{Name: name, Attrs: make(map[string]string, 8)})
				cur = len(imgs) - 1
			} else if name, ok := stanzaHeader(line); ok {
				imgs = append(imgs, Osimage{Name: name, Attrs: make(map[string]string, 8)})
				cur = len(imgs) - 1
			} else {
				// Anything else at column 0 ("Error: ...", the -z file's
				// "# <xCAT data object stanza file>") ends the current object
				// so its lines are not taken for attributes.
				cur = -1
			}
			continue
		}
		if cur < 0 {
			continue
		}
		if k, v, ok := defAttr(line); ok && k != "objtype" {
			imgs[cur].Attrs[k] = v
		}
	}
	return imgs
}

// objectNameLine recognises "Object name: X" and "Object name: X  (type)".
func objectNameLine(line string) (string, bool) {
	t, _ := trimLeft(line)
	if !strings.HasPrefix(t, objectNamePrefix) {
		return "", false
	}
	name, rest := nextField(t[len(objectNamePrefix):])
	rest = trimBlanks(rest)
	if rest != "" && (rest[0] != '(' || rest[len(rest)-1] != ')') {
		return "", false
	}
	if !plausibleName(name) {
		return "", false
	}
	return name, true
}

// defAttr splits an "attr=value" line of lsdef (4 spaces) or the summary (a
// TAB, or nothing in wiki copies). The -V suffix "\t(Table:...)" is dropped;
// trailing blanks are dropped; the value may be empty.
func defAttr(line string) (key, value string, ok bool) {
	t, _ := trimLeft(line)
	eq := strings.IndexByte(t, '=')
	if eq <= 0 {
		return "", "", false
	}
	key = t[:eq]
	if !plausibleKey(key) {
		return "", "", false
	}
	value = t[eq+1:]
	if i := strings.Index(value, "\t(Table:"); i >= 0 {
		value = value[:i]
	}
	return key, trimRight(value), true
}

// summaryIntro is the first line of mknimimage's summary block (it ends in a
// blank in the real output; the comparison ignores that).
const summaryIntro = "The following xCAT osimage definition was created."

// ParseSummary finds mknimimage's summary block in the whole output of a run:
// the three intro lines, a blank line, "Object name: X" and one "attr=value"
// line per attribute (a TAB in front in the real output; spaces or nothing in
// copies). The attribute lines end at the first line of another shape. It
// reports false when there is no intro line or no object name after it.
func ParseSummary(out []byte) (Osimage, bool) {
	// Only from the intro on is copied: it comes at the end of a long run.
	i := bytes.Index(out, []byte(summaryIntro))
	if i < 0 {
		return Osimage{}, false
	}
	s := string(out[i:])
	var img Osimage
	found := false
	for s != "" {
		var line string
		line, s = nextLine(s)
		if !found {
			if name, ok := objectNameLine(line); ok {
				img = Osimage{Name: name, Attrs: make(map[string]string, 12)}
				found = true
			}
			continue
		}
		k, v, ok := defAttr(line)
		if !ok {
			break
		}
		if k != "objtype" {
			img.Attrs[k] = v
		}
	}
	return img, found
}
