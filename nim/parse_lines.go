package nim

import "strings"

// Helpers shared by the parsers. Every parser converts its input to a string
// once and slices it: names and values are substrings of that one copy, which
// keeps parsing of large listings to a handful of allocations. Nothing here
// uses bufio.Scanner, so a huge line is just a long line, never an error.
//
// Common rules: lines that do not have the expected shape are skipped, never
// guessed at; CRLF and blank lines are tolerated. A last line without its
// newline is parsed like any other: a value cut short there cannot be told
// from a short value (Executor.Query fails on a killed command anyway, so cut
// output only reaches the parsers on error paths).

// nextLine returns the first line of s without its "\n" and without a
// trailing "\r" (CRLF output), and the rest after the newline.
func nextLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		line, rest = s[:i], s[i+1:]
	} else {
		line, rest = s, ""
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// trimLeft drops leading blanks and says how many there were.
func trimLeft(s string) (string, int) {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:], i
}

func trimRight(s string) string {
	i := len(s)
	for i > 0 && isBlank(s[i-1]) {
		i--
	}
	return s[:i]
}

func trimBlanks(s string) string {
	s, _ = trimLeft(s)
	return trimRight(s)
}

// nextField returns the first blank-separated field of s and what follows it
// (with its leading blanks still on).
func nextField(s string) (field, rest string) {
	s, _ = trimLeft(s)
	i := 0
	for i < len(s) && !isBlank(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

// plausibleName reports whether s can be the name of a NIM object, an xCAT
// osimage, a fileset or a device as the commands print it: printable ASCII,
// no blanks, none of the separators the formats use, starting with a letter
// or digit. It is deliberately looser than NIM's naming rule (old objects and
// Linux osimages have dots) and strict enough to turn away binary junk.
func plausibleName(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			return false
		}
		switch c {
		case ':', '=', '"', '\'', '`', '\\', '(', ')', '[', ']', '{', '}', ';', '|', '&', '<', '>', '$', '*', '?', ',':
			return false
		}
	}
	return true
}

// plausibleKey reports whether s can be an attribute name (lsnim -l, lsdef).
func plausibleKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// plausibleWord reports whether s is a class, type or status word.
func plausibleWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// singleQuoted returns the text between the first pair of single quotes in s.
func singleQuoted(s string) (string, bool) {
	i := strings.IndexByte(s, '\'')
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(s[i+1:], '\'')
	if j < 0 {
		return "", false
	}
	return s[i+1 : i+1+j], true
}

// appendUnique appends s to list unless it is already there (lists here are
// short: the resources of one osimage).
func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
