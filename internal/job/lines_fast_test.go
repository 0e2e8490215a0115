package job

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// refLines is Lines as it was before its fast paths: every line copied,
// sanitized and pushed. The fast paths must keep what it keeps.
type refLines struct {
	ring     []string
	partial  []byte
	overflow bool
	lines    int64
	bytes    int64
}

func (l *refLines) Write(p []byte) {
	l.bytes += int64(len(p))
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.add(p)
			return
		}
		l.add(p[:i])
		l.lines++
		l.ring = append(l.ring, Sanitize(l.partial))
		l.partial, l.overflow = l.partial[:0], false
		p = p[i+1:]
	}
}

func (l *refLines) add(p []byte) {
	if l.overflow {
		return
	}
	l.partial = append(l.partial, p...)
	if len(l.partial) <= maxPartial {
		return
	}
	if i := bytes.LastIndexByte(l.partial, '\r'); i >= 0 {
		l.partial = append(l.partial[:0], l.partial[i+1:]...)
	}
	if len(l.partial) > maxPartial {
		l.partial, l.overflow = l.partial[:maxPartial], true
	}
}

func (l *refLines) snapshot(max int) []string {
	out := append([]string(nil), l.ring[len(l.ring)-min(max, len(l.ring)):]...)
	if len(l.partial) > 0 {
		out = append(out, Sanitize(l.partial))
	}
	return out
}

// checkLines writes out in pieces of the given sizes (cycled) to a Lines
// of capacity max and to the reference, and compares what they keep.
func checkLines(t *testing.T, max int, out []byte, sizes []int) {
	t.Helper()
	l, ref := NewLines(max), &refLines{}
	for i, k := 0, 0; i < len(out); k++ {
		n := min(max1(sizes[k%len(sizes)]), len(out)-i)
		l.Write(out[i : i+n])
		ref.Write(out[i : i+n])
		i += n
	}
	if got, want := l.Snapshot(0), ref.snapshot(max); (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
		t.Fatalf("capacity %d, pieces %v: Snapshot(0)\n got %q\nwant %q", max, sizes, got, want)
	}
	if lines, n := l.Total(); lines != ref.lines || n != ref.bytes {
		t.Fatalf("capacity %d, pieces %v: Total = %d, %d; want %d, %d", max, sizes, lines, n, ref.lines, ref.bytes)
	}
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// A flood written in large pieces keeps the same last lines and counts as
// one written line by line; so do escapes, \r and overlong lines.
func TestLinesLargeWritesKeepTheSame(t *testing.T) {
	var flood strings.Builder
	for i := range 3000 {
		switch i % 7 {
		case 3:
			flood.WriteString("\x1b[1mbold\x1b[0m\tline\n")
		case 5:
			flood.WriteString("10%\r50%\r100%\r\n")
		default:
			flood.WriteString("    restored /dev/cd0/installp/ppc/flood.fileset.7.3.2.0.I (8192 bytes)\n")
		}
	}
	flood.WriteString(strings.Repeat("z", maxPartial+10) + "\n" + strings.Repeat("é", 2000) + "\nunfinished")
	out := []byte(flood.String())
	for _, max := range []int{1, 3, 100, 5000} {
		for _, sizes := range [][]int{{len(out)}, {1 << 16}, {1}, {7, 300, 4096}, {100000, 3}} {
			checkLines(t, max, out, sizes)
		}
	}
}

func FuzzLinesLargeWrites(f *testing.F) {
	f.Add([]byte("a\nb\r\nc\x1b[0m\nd"), uint8(2), uint16(5))
	f.Add([]byte(strings.Repeat("line\n", 200)), uint8(3), uint16(1000))
	f.Fuzz(func(t *testing.T, out []byte, max uint8, piece uint16) {
		checkLines(t, int(max%8)+1, out, []int{int(piece), 1, int(piece) / 3})
	})
}

// printableASCII's word-at-a-time test agrees with the byte loop on every
// byte value at every position.
func TestPrintableASCII(t *testing.T) {
	simple := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c > 0x7e {
				return false
			}
		}
		return true
	}
	base := []byte("The quick brown fox jumps over the lazy dog")
	for c := 0; c < 256; c++ {
		for pos := range base {
			b := append([]byte(nil), base...)
			b[pos] = byte(c)
			if got, want := printableASCII(b), simple(b); got != want {
				t.Fatalf("byte %#x at %d: %v, want %v", c, pos, got, want)
			}
		}
	}
}

func FuzzPrintableASCII(f *testing.F) {
	f.Add([]byte("plain text line"))
	f.Add([]byte("tab\there\x7f\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := true
		for _, c := range b {
			if c < 0x20 || c > 0x7e {
				want = false
			}
		}
		if got := printableASCII(b); got != want {
			t.Fatalf("printableASCII(%q) = %v", b, got)
		}
	})
}

// BenchmarkLinesFlood: a megabyte of flood in one Write, as the run screen
// reads it; most lines scroll out of the ring and are only counted.
func BenchmarkLinesFlood(b *testing.B) {
	line := "    restored /dev/cd0/installp/ppc/flood.fileset.123456.7.3.2.0.I (8192 bytes)\n"
	chunk := []byte(strings.Repeat(line, (4<<20)/len(line)))
	l := NewLines(5000)
	b.SetBytes(int64(len(chunk)))
	b.ReportAllocs()
	for b.Loop() {
		l.Write(chunk)
	}
}
