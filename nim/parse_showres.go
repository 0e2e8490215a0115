package nim

import "strings"

// ParseShowresSpot parses nim -o showres of a SPOT. Two forms, line by line:
//
//   - lslpp -L columns (the default): "name level state type description".
//     A long fileset name stands alone on its line and its level starts the
//     next one; a long description wraps onto lines indented to the
//     description column, which are joined with one blank. The header, the
//     dash line and the "State codes:"/"Type codes:" legend are skipped.
//   - lslpp -Lc colons (-a lslpp_flags=Lc): "package:fileset:level:state:
//     PTF:fix state:type:description:...", after a "Package Name:..." header.
//     State is the fix-state field when set (where lslpp -Lc puts the C), else
//     the state field.
//
// Rows whose level does not start with a digit are not filesets and are
// skipped.
func ParseShowresSpot(out []byte) []Fileset {
	return parseFilesets(string(out), spotColumns, spotColons)
}

// ParseShowresLpp parses nim -o showres of an lpp_source:
//
//   - installp -l (the default): "name level I/U Q content" under a
//     "Fileset Name ..." header and a "====" line; "#" lines after a fileset
//     are its description. Type is the I/U column; State stays empty.
//   - installp -L colons (-a installp_flags=L): "package:fileset:level:
//     PTF:type:...:description:..."; Type is field 5 and Description field 12
//     (the layout of public captures), each only when present.
//
// RPM entries ("zlib  ALL  @@R:zlib _all_filesets") have no numeric level and
// are skipped.
func ParseShowresLpp(out []byte) []Fileset {
	return parseFilesets(string(out), lppColumns, lppColons)
}

type filesetForm int

const (
	spotColumns filesetForm = iota
	lppColumns
)

type colonForm int

const (
	spotColons colonForm = iota
	lppColons
)

func parseFilesets(s string, cols filesetForm, colons colonForm) []Fileset {
	// Rows are rarely shorter than 40 bytes; sizing from that avoids most
	// regrowth without trusting a flood of newlines.
	fs := make([]Fileset, 0, len(s)/64+1)
	pending := "" // a long fileset name waiting for its level line
	descCol := -1 // column of the last row's description; -1: no row to continue
	// Continuation text of the last row. The first piece is kept as a
	// substring (most wraps are one line: no allocation until the join);
	// further pieces go to a builder so a flood of them stays linear.
	var first string
	var more strings.Builder
	add := func(piece string) {
		if first == "" {
			first = piece
			return
		}
		if more.Len() == 0 {
			more.WriteString(first)
		}
		more.WriteByte(' ')
		more.WriteString(piece)
	}
	flush := func() {
		cont := first
		if more.Len() > 0 {
			cont = more.String()
		}
		if cont != "" && len(fs) > 0 {
			f := &fs[len(fs)-1]
			if f.Description == "" {
				f.Description = cont
			} else {
				f.Description = f.Description + " " + cont
			}
		}
		first = ""
		more.Reset()
	}
	for s != "" {
		var line string
		line, s = nextLine(s)
		t, indent := trimLeft(line)
		t = trimRight(t)
		if t == "" {
			flush()
			pending, descCol = "", -1
			continue
		}
		if cols == lppColumns && t[0] == '#' {
			// installp -l: "#   description" belongs to the row above.
			if descCol >= 0 {
				if d := trimBlanks(t[1:]); d != "" {
					add(d)
				}
			}
			continue
		}
		if indent == 0 && strings.Count(t, ":") >= 4 {
			flush()
			pending, descCol = "", -1
			if f, ok := colonFileset(t, colons); ok {
				fs = append(fs, f)
			}
			continue
		}
		if pending != "" && indent > 0 {
			if f, col, ok := filesetRow(pending, t, cols); ok {
				flush()
				fs = append(fs, f)
				descCol = indent + col
				pending = ""
				continue
			}
		}
		pending = ""
		if cols == spotColumns && descCol > 0 && indent >= descCol-1 {
			// A wrapped description: indented to (about) the description
			// column, right under a row or another continuation.
			add(t)
			continue
		}
		flush()
		descCol = -1
		name, rest := nextField(t)
		if trimBlanks(rest) == "" {
			if plausibleName(name) && !isLevel(name) {
				pending = name
			}
			continue
		}
		if !plausibleName(name) {
			continue
		}
		if f, col, ok := filesetRow(name, rest, cols); ok {
			fs = append(fs, f)
			descCol = indent + len(t) - len(rest) + col
		}
	}
	flush()
	if len(fs) == 0 {
		return nil
	}
	return fs[:len(fs):len(fs)]
}

// filesetRow parses what follows the name on a row: "level state type
// description" (lslpp -L) or "level I/U Q content" (installp -l). col is where
// the description starts within rest (0 if there is none).
func filesetRow(name, rest string, cols filesetForm) (Fileset, int, bool) {
	level, r := nextField(rest)
	f1, r := nextField(r)
	f2, r := nextField(r)
	if !isLevel(level) || !codeWord(f1) || !codeWord(f2) {
		return Fileset{}, 0, false
	}
	f := Fileset{Name: name, Level: level}
	col := 0
	switch cols {
	case spotColumns:
		f.State, f.Type = f1, f2
		d, _ := trimLeft(r)
		f.Description = trimRight(d)
		if f.Description != "" {
			col = len(rest) - len(d)
		}
	case lppColumns:
		// I/U, then the Q column; the content (usr,root) is not kept.
		f.Type = f1
	}
	return f, col, true
}

// colonFileset parses one row of lslpp -Lc or installp -L.
func colonFileset(t string, form colonForm) (Fileset, bool) {
	var fld [18]string
	n := 0
	for n < len(fld) {
		i := strings.IndexByte(t, ':')
		if i < 0 {
			fld[n] = t
			n++
			break
		}
		fld[n] = t[:i]
		t = t[i+1:]
		n++
	}
	if n < 3 || !plausibleName(fld[1]) || !isLevel(fld[2]) {
		return Fileset{}, false // also the "Package Name:Fileset:Level:..." header
	}
	f := Fileset{Name: fld[1], Level: fld[2]}
	switch form {
	case spotColons:
		if n > 5 {
			f.State = trimBlanks(fld[5])
		}
		if f.State == "" && n > 3 {
			f.State = trimBlanks(fld[3])
		}
		if n > 6 {
			f.Type = trimBlanks(fld[6])
		}
		if n > 7 {
			f.Description = trimBlanks(fld[7])
		}
	case lppColons:
		if n > 4 {
			f.Type = trimBlanks(fld[4])
		}
		if n > 11 {
			f.Description = trimBlanks(fld[11])
		}
	}
	return f, true
}

// isLevel reports whether s looks like a fileset level: "7.2.1.1",
// "8.0.14.14", an RPM's "1.2.11-1".
func isLevel(s string) bool {
	if s == "" || !isDigit(s[0]) || strings.IndexByte(s, '.') < 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '.' && c != '-' && c != '_' && c != '+' {
			return false
		}
	}
	return true
}

// codeWord reports whether s is a short code column: lslpp's state (C, A, B,
// ?) and type (F, P, R, E), installp's I/U and Q.
func codeWord(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '?' && c != '-' && c != '+' {
			return false
		}
	}
	return true
}
