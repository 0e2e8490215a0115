package nim

// ParseLsnim parses plain lsnim output (lsnim, lsnim -t TYPE, lsnim -c CLASS,
// lsnim NAME...): one object a line as three blank-separated columns, name,
// class and type. Column widths vary, so lines are split on blanks, never by
// position. Lines that are not exactly three plausible columns (blank lines,
// 0042 messages that leaked into the output, junk) are skipped.
func ParseLsnim(out []byte) []Listing {
	var list []Listing
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		name, rest := nextField(line)
		class, rest := nextField(rest)
		typ, rest := nextField(rest)
		if trimBlanks(rest) != "" || !plausibleName(name) || !plausibleWord(class) || !plausibleWord(typ) {
			continue
		}
		list = append(list, Listing{Name: name, Class: class, Type: typ})
	}
	return list
}

// ParseLsnimLong parses lsnim -l stanzas: a "NAME:" header at column 0, then
// indented "key = value" lines (keys padded to a common width, values that may
// contain blanks). Attributes keep their output order and repeated keys (the
// master's serves) are all kept. Blank lines are tolerated anywhere; indented
// lines before the first header, lines without "=", and headers that are not
// a plausible name are skipped.
func ParseLsnimLong(out []byte) []Object {
	s := string(out)
	// One backing array for every object's attributes, sized from the input
	// (a real attribute line is 20-40 bytes) so it rarely grows; sizing from
	// the line count instead would let a flood of newlines allocate 32 bytes
	// each.
	all := make([]Attr, 0, len(s)/24+1)
	var objs []Object
	start := 0 // index in all where the current object's attributes begin
	closeObj := func() {
		if n := len(objs); n > 0 {
			objs[n-1].Attrs = all[start:len(all):len(all)]
			if len(objs[n-1].Attrs) == 0 {
				objs[n-1].Attrs = nil
			}
		}
		start = len(all)
	}
	for s != "" {
		var line string
		line, s = nextLine(s)
		if line == "" {
			continue
		}
		if !isBlank(line[0]) {
			if name, ok := stanzaHeader(line); ok {
				closeObj()
				objs = append(objs, Object{Name: name})
			}
			continue
		}
		if len(objs) == 0 {
			continue
		}
		if k, v, ok := lsnimAttr(line); ok {
			all = append(all, Attr{Key: k, Value: v})
		}
	}
	closeObj()
	return objs
}

// stanzaHeader recognises "NAME:" (lsnim -l, lsdef -z): a plausible name and a
// colon, nothing else but trailing blanks.
func stanzaHeader(line string) (string, bool) {
	line = trimRight(line)
	n := len(line)
	if n < 2 || line[n-1] != ':' {
		return "", false
	}
	name := line[:n-1]
	if !plausibleName(name) {
		return "", false
	}
	return name, true
}

// lsnimAttr splits "   key   = value" into key and value. The value keeps
// inner blanks; trailing blanks are dropped; it may be empty.
func lsnimAttr(line string) (key, value string, ok bool) {
	t, _ := trimLeft(line)
	i := 0
	for i < len(t) && !isBlank(t[i]) && t[i] != '=' {
		i++
	}
	key = t[:i]
	rest, _ := trimLeft(t[i:])
	if rest == "" || rest[0] != '=' || !plausibleKey(key) {
		return "", "", false
	}
	value, _ = trimLeft(rest[1:])
	return key, trimRight(value), true
}
