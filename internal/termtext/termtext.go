// Package termtext makes bytes that nimwiz did not write itself safe to show
// on a terminal: output and attributes from NIM and xCAT, the simulator,
// job records and plan files. nimwiz runs as root on the NIM master; an OSC 52
// (clipboard write), an OSC 0 (window title), an ESC[2J or a reply-requesting
// CSI hidden in an osimage attribute, an lsdev description or mknimimage's
// output must be shown as text, never acted on by the terminal.
//
// The visible forms (chosen to stay one line, ASCII and short):
//   - tab and newline are kept;
//   - other C0 controls in caret notation: NUL ^@, BEL ^G, BS ^H, CR ^M,
//     ESC ^[, ... ^_; DEL is ^?;
//   - C1 controls U+0080-U+009F, well-formed in UTF-8, as \u0080-\u009f
//     (a UTF-8 terminal may act on them like their ESC forms: U+009B is CSI);
//   - each byte that is not part of well-formed UTF-8 as \xHH (a bare 0x9b,
//     which an 8-bit terminal takes as CSI, is \x9b).
//
// Everything else, including all other Unicode, passes unchanged. The forms
// are for reading, not reversible: a literal "^[" in the data looks the
// same as an ESC. Where the exact bytes matter they are elsewhere: the job's
// output.log is byte-exact, and --json keeps JSON's own escaping (JSON).
//
// Where it applies (so new code cannot forget it): cmd/nimwiz wraps its
// stdout and stderr in a Writer once, for every verb; the full-screen UI
// passes its whole frame through KeepSGR, which keeps only the SGR (colour)
// sequences that lipgloss writes, and the views sanitize NIM values before
// layout (String) so their widths are right.
package termtext

import (
	"encoding/binary"
	"unicode/utf8"
)

// String returns s with every control character, C1 control and byte of
// invalid UTF-8 in its visible form. A clean s is returned as it is,
// without allocating.
func String(s string) string {
	i := cleanPrefixString(s)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	return string(appendFrom(b, []byte(s[i:])))
}

// Bytes is String for a byte slice: the result shares nothing with b.
func Bytes(b []byte) string {
	i := cleanPrefix(b)
	if i == len(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	return string(appendFrom(out, b[i:]))
}

// Append appends b to dst with every unsafe byte in its visible form.
func Append(dst, b []byte) []byte { return appendFrom(dst, b) }

// Clean reports whether s would be shown unchanged.
func Clean(s string) bool { return cleanPrefixString(s) == len(s) }

// appendFrom is the general case: clean runs are copied, the rest escaped.
func appendFrom(dst, b []byte) []byte {
	for len(b) > 0 {
		i := cleanPrefix(b)
		dst = append(dst, b[:i]...)
		if i == len(b) {
			break
		}
		var n int
		dst, n = appendEscape(dst, b[i:])
		b = b[i+n:]
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendEscape appends the visible form of the unsafe character that b
// starts with and says how many bytes it took.
func appendEscape(dst, b []byte) ([]byte, int) {
	c := b[0]
	switch {
	case c == 0x7f:
		return append(dst, '^', '?'), 1
	case c < 0x20:
		return append(dst, '^', c+0x40), 1
	case c < 0x80:
		return append(dst, c), 1 // not reached: printable ASCII is clean
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 {
		return append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&15]), 1
	}
	if r < 0xa0 { // C1 control
		return append(dst, '\\', 'u', '0', '0', hexDigits[r>>4], hexDigits[r&15]), n
	}
	return append(dst, b[:n]...), n // not reached: other runes are clean
}

// Eight bytes at a time: a byte below 0x20 borrows into its top bit when
// 0x20 is subtracted, 0x7f sets it when 0x01 is added, a byte of 0x80 or
// more has it already. A word that fails is looked at byte by byte.
const ones, highs = 0x0101010101010101, 0x8080808080808080

func printable8(w uint64) bool { return ((w-0x20*ones)&^w|(w+ones)|w)&highs == 0 }

// cleanPrefix is the length of b's longest prefix that String leaves as it is.
func cleanPrefix(b []byte) int {
	i := 0
	for i < len(b) {
		for i+8 <= len(b) && printable8(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		// The word that failed, byte by byte: a newline or a multi-byte
		// character costs one failed word, not one per byte before it.
		for end := min(i+8, len(b)); i < end; {
			c := b[i]
			switch {
			case c >= 0x20 && c < 0x7f || c == '\t' || c == '\n':
				i++
			case c < 0x80:
				return i
			default:
				r, n := utf8.DecodeRune(b[i:])
				if r == utf8.RuneError && n <= 1 || r < 0xa0 {
					return i
				}
				i += n
			}
		}
	}
	return i
}

func cleanPrefixString(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f || c == '\t' || c == '\n':
			i++
		case c < 0x80:
			return i
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 || r < 0xa0 {
				return i
			}
			i += n
		}
	}
	return i
}
