package nim

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fixture reads a file from the repository's top-level testdata.
func fixture(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", rel))
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return b
}

// crlf turns LF line ends into CRLF (output copied through Windows).
func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// truncate cuts b in the middle of a line, as a killed command leaves it.
func truncate(b []byte) []byte { return b[:len(b)*2/3] }

// hostile is input no parser may panic on or find anything in.
func hostile() map[string][]byte {
	r := rand.New(rand.NewSource(1))
	bin := make([]byte, 64<<10)
	r.Read(bin)
	return map[string][]byte{
		"empty":        nil,
		"binary":       bin,
		"nul":          bytes.Repeat([]byte{0}, 4096),
		"huge line":    bytes.Repeat([]byte("x"), 4<<20),
		"newlines":     bytes.Repeat([]byte("\n"), 1<<20),
		"blanks":       bytes.Repeat([]byte(" \t\r\n"), 1000),
		"invalid utf8": []byte("\xff\xfe\xfd:\n\t\xff = \xfe\n"),
		"crs":          bytes.Repeat([]byte("\r"), 1000),
		"colons":       bytes.Repeat([]byte(":"), 100000),
		"equals":       bytes.Repeat([]byte("  ="), 100000),
	}
}

func eq(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

// noBlank reports whether s is non-empty and has no blank or control byte.
func noBlank(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// oneLine reports whether s has no line break (parsers never return one).
func oneLine(s string) bool { return !strings.Contains(s, "\n") }
