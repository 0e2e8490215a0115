package termtext

// JSON completes encoding/json's escaping for a terminal: encoding/json
// writes every C0 control in a string as \u00XX, and invalid UTF-8 as
// U+FFFD, but DEL and the C1 controls U+0080-U+009F as they are, and a
// UTF-8 terminal may act on U+009B as on ESC [. JSON writes them as
// \u007f and \u0080-\u009f, which JSON reads back as the same characters:
// the values are unchanged. They can only occur inside strings, so the
// document stays valid. enc must be the output of encoding/json (valid
// UTF-8); a clean one is returned as it is.
func JSON(enc []byte) []byte {
	i := jsonClean(enc)
	if i == len(enc) {
		return enc
	}
	out := make([]byte, 0, len(enc)+32)
	for {
		out = append(out, enc[:i]...)
		if i == len(enc) {
			return out
		}
		if enc[i] == 0x7f {
			out = append(out, `\u007f`...)
			enc = enc[i+1:]
		} else { // 0xc2 0x80-0x9f
			c := enc[i+1] // C2 80-9F encodes U+0080-U+009F
			out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			enc = enc[i+2:]
		}
		i = jsonClean(enc)
	}
}

// jsonClean is the length of the prefix of enc without DEL or a C1 control.
func jsonClean(enc []byte) int {
	for i := 0; i < len(enc); i++ {
		switch c := enc[i]; {
		case c == 0x7f:
			return i
		case c == 0xc2 && i+1 < len(enc) && enc[i+1] >= 0x80 && enc[i+1] <= 0x9f:
			return i
		}
	}
	return len(enc)
}
