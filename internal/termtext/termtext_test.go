package termtext

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile is what NIM, xCAT or a planted file could hand nimwiz, each with
// the visible form the admin reads instead.
var hostile = []struct{ name, in, want string }{
	{"OSC 0 window title", "a\x1b]0;pwned\x07b", "a^[]0;pwned^Gb"},
	{"OSC 52 clipboard", "\x1b]52;c;cm0gLXJmIC8K\x1b\\", "^[]52;c;cm0gLXJmIC8K^[\\"},
	{"CSI 2J clear", "x\x1b[2Jy", "x^[[2Jy"},
	{"SGR conceal", "\x1b[8mhidden\x1b[0m", "^[[8mhidden^[[0m"},
	{"bare ESC", "\x1b", "^["},
	{"CR overwrite", "ready for use\rnot ready", "ready for use^Mnot ready"},
	{"BEL", "\a", "^G"},
	{"NUL", "a\x00b", "a^@b"},
	{"DEL", "a\x7fb", "a^?b"},
	{"backspace", "safe\b\b\b\bevil", "safe^H^H^H^Hevil"},
	{"C1 CSI in UTF-8", "a\u009b2Jb", `a\u009b2Jb`},
	{"C1 OSC in UTF-8", "\u009d0;t\u009c", `\u009d0;t\u009c`},
	{"raw 0x9b (8-bit CSI)", "a\x9b2Jb", `a\x9b2Jb`},
	{"invalid UTF-8", "caf\xe9 \xff\xfe", `caf\xe9 \xff\xfe`},
	{"cut UTF-8 at the end", "x\xe2\x82", `x\xe2\x82`},
	{"surrogate half", "\xed\xa0\x80", `\xed\xa0\x80`},
	{"tab and newline kept", "a\tb\nc", "a\tb\nc"},
	{"Unicode kept", "Größe 12€ ✓ 日本 \U0001F600 \u00a0", "Größe 12€ ✓ 日本 \U0001F600 \u00a0"},
	{"U+FFFD itself kept", "\ufffd", "\ufffd"},
	{"plain", "Creating a NIM SPOT resource.", "Creating a NIM SPOT resource."},
}

// safe reports what in s could still act on a terminal.
func unsafeIn(s string) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r < 0xa0 {
			return fmt.Sprintf("control %U", r)
		}
	}
	return ""
}

func TestStringShowsEveryControlAsText(t *testing.T) {
	for _, tc := range hostile {
		got := String(tc.in)
		if got != tc.want {
			t.Errorf("%s: String(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
		if u := unsafeIn(got); u != "" {
			t.Errorf("%s: %q still has %s", tc.name, got, u)
		}
		if b := Bytes([]byte(tc.in)); b != tc.want {
			t.Errorf("%s: Bytes = %q, want %q", tc.name, b, tc.want)
		}
		if a := string(Append([]byte("p:"), []byte(tc.in))); a != "p:"+tc.want {
			t.Errorf("%s: Append = %q", tc.name, a)
		}
		if Clean(tc.in) != (tc.in == tc.want) {
			t.Errorf("%s: Clean = %v", tc.name, Clean(tc.in))
		}
	}
	// Every byte value alone and after printable text.
	for c := 0; c < 256; c++ {
		for _, s := range []string{string([]byte{byte(c)}), "abcdefghij" + string([]byte{byte(c)}) + "klmnopq"} {
			if u := unsafeIn(String(s)); u != "" {
				t.Errorf("byte %#x: %q has %s", c, String(s), u)
			}
		}
	}
}

func TestStringDoesNotAllocateForCleanText(t *testing.T) {
	s := strings.Repeat("Creating a NIM SPOT resource, Größe ✓\t\n", 10)
	if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
		t.Fatalf("String allocated %v times for clean text", n)
	}
}

// writeInPieces sends s through a Writer cut at each given offset.
func writeInPieces(t *testing.T, s string, cuts ...int) string {
	t.Helper()
	var out bytes.Buffer
	w := NewWriter(&out)
	prev := 0
	for _, c := range append(cuts, len(s)) {
		if n, err := w.Write([]byte(s[prev:c])); err != nil || n != c-prev {
			t.Fatalf("Write = %d, %v", n, err)
		}
		prev = c
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// A Writer shows a stream exactly as String shows it whole, wherever the
// stream is cut: a character cut between two writes is not taken for
// invalid bytes, and an escape cut in two is still shown.
func TestWriterWhereverTheStreamIsCut(t *testing.T) {
	var all strings.Builder
	for _, tc := range hostile {
		all.WriteString(tc.in + "|")
	}
	s := all.String() + "€\xf0\x9f\x98\x80\xe2\x82"
	want := String(s)
	if got := writeInPieces(t, s); got != want {
		t.Fatalf("one write: %q, want %q", got, want)
	}
	for i := 0; i <= len(s); i++ {
		if got := writeInPieces(t, s, i); got != want {
			t.Fatalf("cut at %d: %q, want %q", i, got, want)
		}
		for j := i; j <= min(len(s), i+5); j++ {
			if got := writeInPieces(t, s, i, j); got != want {
				t.Fatalf("cut at %d and %d: %q, want %q", i, j, got, want)
			}
		}
	}
	// Byte by byte.
	cuts := make([]int, 0, len(s))
	for i := 1; i < len(s); i++ {
		cuts = append(cuts, i)
	}
	if got := writeInPieces(t, s, cuts...); got != want {
		t.Fatalf("byte by byte: %q, want %q", got, want)
	}
}

type countingWriter struct {
	writes int
	bytes.Buffer
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.Buffer.Write(p)
}

// Clean bytes go through in one write, uncopied and without allocating;
// bytes to escape cost one write too, and no allocation once the buffer
// has grown.
func TestWriterOneWriteNoAllocation(t *testing.T) {
	clean := []byte(strings.Repeat("Creating a NIM SPOT resource called 'x' ✓\n", 1000))
	dirty := []byte(strings.Repeat("line\r\n\x1b[2J\n", 1000))
	var cw countingWriter
	w := NewWriter(&cw)
	w.Write(clean)
	w.Write(dirty)
	if cw.writes != 2 {
		t.Fatalf("%d writes for 2, want 2", cw.writes)
	}
	w = NewWriter(io.Discard)
	if n := testing.AllocsPerRun(100, func() { w.Write(clean) }); n != 0 {
		t.Fatalf("clean write: %v allocations", n)
	}
	w.Write(dirty) // grows the buffer once
	if n := testing.AllocsPerRun(100, func() { w.Write(dirty) }); n != 0 {
		t.Fatalf("write with escapes: %v allocations", n)
	}
}

type failWriter struct{}

func (failWriter) Write(p []byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriterReportsErrors(t *testing.T) {
	w := NewWriter(failWriter{})
	if n, err := w.Write([]byte("x\x1by")); err == nil || n != 0 {
		t.Fatalf("Write = %d, %v; want the error", n, err)
	}
	if n, err := w.Write([]byte("xy")); err == nil || n != 0 {
		t.Fatalf("Write = %d, %v; want the error", n, err)
	}
	if _, ok := w.Unwrap().(failWriter); !ok {
		t.Fatal("Unwrap does not return the writer underneath")
	}
}

func TestKeepSGRKeepsColoursOnly(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x1b[1;38;5;12mtitle\x1b[0m", "\x1b[1;38;5;12mtitle\x1b[0m"},
		{"\x1b[38:2:1:2:3mx\x1b[m", "\x1b[38:2:1:2:3mx\x1b[m"},
		{"\x1b[2J", "^[[2J"},
		{"\x1b[6n", "^[[6n"},
		{"\x1b[?1049h", "^[[?1049h"},
		{"\x1b]0;t\x07", "^[]0;t^G"},
		{"\x1b]52;c;eA==\x1b\\", "^[]52;c;eA==^[\\"},
		{"\x1b[1m\x1bPq\x1b\\", "\x1b[1m^[Pq^[\\"},
		{"a\rb\u009bc\x9bd", `a^Mb\u009bc\x9bd`},
		{"\x1b[", "^[["},
		{"\x1b[12", "^[[12"},
		{"x\n\ty", "x\n\ty"},
	} {
		if got := KeepSGR(tc.in); got != tc.want {
			t.Errorf("KeepSGR(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	frame := strings.Repeat("\x1b[38;5;4mNAME\x1b[0m  aix73 ✓\n", 50)
	if n := testing.AllocsPerRun(100, func() { _ = KeepSGR(frame) }); n != 0 {
		t.Fatalf("KeepSGR allocated %v times for a clean frame", n)
	}
	for _, tc := range hostile {
		if got := KeepSGR(tc.in); got != tc.want && !strings.Contains(tc.in, "\x1b[8m") {
			t.Errorf("%s: KeepSGR = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// encoding/json escapes every C0 control itself; JSON adds DEL and the C1
// controls, and the values read back unchanged.
func TestJSONEscapesWhatEncodingJSONLeaves(t *testing.T) {
	var all []string
	for _, tc := range hostile {
		all = append(all, tc.in)
	}
	all = append(all, "\x7f\u0080\u009f\u00a0")
	enc, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []byte("\x00\x07\x0d\x1b") {
		if bytes.IndexByte(enc, c) >= 0 {
			t.Fatalf("encoding/json left %#x raw", c)
		}
	}
	if !bytes.Contains(enc, []byte("\x7f")) || !bytes.Contains(enc, []byte("\u009b")) {
		t.Fatal("encoding/json now escapes DEL and C1 itself: JSON may be unneeded")
	}
	got := JSON(enc)
	if u := unsafeIn(string(got)); u != "" {
		t.Fatalf("JSON left %s: %s", u, got)
	}
	for _, want := range []string{`\u007f`, `\u009b`, `\u0080`, `\u009f`} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("no %s in %s", want, got)
		}
	}
	var back []string
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("not JSON any more: %v\n%s", err, got)
	}
	var orig []string
	json.Unmarshal(enc, &orig)
	if strings.Join(back, "|") != strings.Join(orig, "|") {
		t.Fatalf("values changed:\n%q\n%q", back, orig)
	}
	clean := []byte(`{"a":"b ✓"}`)
	if n := testing.AllocsPerRun(10, func() { _ = JSON(clean) }); n != 0 {
		t.Fatalf("JSON allocated for clean input")
	}
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

func FuzzWriter(f *testing.F) {
	for _, tc := range hostile {
		f.Add([]byte(tc.in), uint8(3))
	}
	f.Fuzz(func(t *testing.T, b []byte, cut uint8) {
		want := Bytes(b)
		if u := unsafeIn(want); u != "" {
			t.Fatalf("%q: %s", want, u)
		}
		if String(string(b)) != want {
			t.Fatalf("String and Bytes differ on %q", b)
		}
		c := int(cut) % (len(b) + 1)
		var out bytes.Buffer
		w := NewWriter(&out)
		w.Write(b[:c])
		w.Write(b[c:])
		w.Flush()
		if out.String() != want {
			t.Fatalf("cut at %d: %q, want %q", c, out.String(), want)
		}
		if u := unsafeIn(sgr.ReplaceAllString(KeepSGR(string(b)), "")); u != "" {
			t.Fatalf("KeepSGR(%q) = %q: %s outside an SGR sequence", b, KeepSGR(string(b)), u)
		}
	})
}
