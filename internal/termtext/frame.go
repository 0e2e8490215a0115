package termtext

// KeepSGR is String for a frame of the full-screen UI, which carries the
// SGR sequences (ESC [ digits ; : m: colours, bold, faint...) lipgloss
// writes: those are kept, everything else is made visible as String does.
// It is the UI's last line of defence: whatever a view forgot to sanitize,
// no OSC, DCS, cursor movement, screen clear, mode change or report request
// reaches the terminal from it; at worst a value's own SGR colours its text.
// A frame that needs no change is returned as it is, without allocating.
func KeepSGR(s string) string {
	i := keepPrefix(s)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+32)
	for {
		b = append(b, s[:i]...)
		if i == len(s) {
			return string(b)
		}
		var n int
		b, n = appendEscape(b, []byte(s[i:min(len(s), i+4)]))
		s = s[i+n:]
		i = keepPrefix(s)
	}
}

// keepPrefix is the length of s's longest prefix that KeepSGR keeps.
func keepPrefix(s string) int {
	i := 0
	for {
		i += cleanPrefixString(s[i:])
		if i == len(s) || s[i] != 0x1b {
			return i
		}
		n := sgrLen(s[i:])
		if n == 0 {
			return i
		}
		i += n
	}
}

// sgrLen is the length of the SGR sequence s starts with, or 0.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c == ';' || c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}
