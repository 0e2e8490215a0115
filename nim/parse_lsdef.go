package nim

import (
	"bytes"
	"strings"
)

// NoObjectsMessage is lsdef's answer when there is nothing to list (exit 0).
const NoObjectsMessage = "Could not find any objects to display."

// ParseLsdefList parses the short form of lsdef -t osimage: one
// "name  (osimage)" line per definition. Lines of any other shape (including
// "Could not find any objects to display.") give nothing.
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
