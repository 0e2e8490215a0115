package plain

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		indent, in string
		w          int
		want       string
	}{
		{"", "a b c", 3, "a b\nc"},
		{"  ", "one two three", 9, "  one two\n  three"},
		{"", "run `inutoc /export/notoc` first", 10, "run\n`inutoc /export/notoc`\nfirst"},
		{"", "/a/very/long/path/that/does/not/fit", 5, "/a/very/long/path/that/does/not/fit"},
		{"", "unclosed `quote runs to the end", 8, "unclosed\n`quote runs to the end"},
		{"", "", 10, ""},
	}
	for _, tt := range tests {
		if got := wrap(tt.indent, tt.in, tt.w); got != tt.want {
			t.Errorf("wrap(%q, %q, %d) =\n%q\nwant\n%q", tt.indent, tt.in, tt.w, got, tt.want)
		}
	}
}

func TestPrintable(t *testing.T) {
	if got := printable("a\x1b[2Jb\tc"); strings.ContainsAny(got, "\x1b\t") {
		t.Fatalf("printable kept control characters: %q", got)
	}
}
