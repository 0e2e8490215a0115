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

// TestTruncatedFixtures: output cut anywhere (a killed command) gives a
// subset of what the whole output gives, never something new.
func TestTruncatedFixtures(t *testing.T) {
	names := map[string]func([]byte) []string{
		"lsnim/all_verified.txt": func(b []byte) (n []string) {
			for _, l := range ParseLsnim(b) {
				n = append(n, l.Name+" "+l.Type)
			}
			return
		},
		"lsnim/long_multi_synthetic.txt": func(b []byte) (n []string) {
			for _, o := range ParseLsnimLong(b) {
				n = append(n, o.Name)
			}
			return
		},
		"lsdef/long_synthetic.txt": func(b []byte) (n []string) {
			for _, o := range ParseLsdefLong(b) {
				n = append(n, o.Name)
			}
			return
		},
		"showres/spot_lslpp_L_synthetic.txt": func(b []byte) (n []string) {
			for _, f := range ParseShowresSpot(b) {
				n = append(n, f.Name+" "+f.Level)
			}
			return
		},
		"showres/lpp_installp_l_synthetic.txt": func(b []byte) (n []string) {
			for _, f := range ParseShowresLpp(b) {
				n = append(n, f.Name+" "+f.Level)
			}
			return
		},
		"lsdev/cdrom_mixed_synthetic.txt": func(b []byte) (n []string) {
			for _, d := range ParseLsdevCdrom(b) {
				n = append(n, d.Name+" "+d.Status)
			}
			return
		},
		"errors/nim_nested_verified.txt": func(b []byte) (n []string) {
			for _, m := range ParseMessages(b) {
				n = append(n, m.Code+" "+m.Command)
			}
			return
		},
	}
	for path, parse := range names {
		full := fixture(t, path)
		want := map[string]bool{}
		for _, n := range parse(full) {
			want[n] = true
		}
		for _, in := range [][]byte{truncate(full), full[:len(full)/3], full[:len(full)-1]} {
			for _, n := range parse(in) {
				if !want[n] {
					t.Errorf("%s cut to %d bytes: %q is new", path, len(in), n)
				}
			}
		}
	}
}
