package termtext

import (
	"io"
	"sync"
	"unicode/utf8"
)

// maxKeep bounds the escape buffer a Writer keeps between writes.
const maxKeep = 256 << 10

// Writer passes what is written to it on to a terminal (or a pipe a person
// reads) with every unsafe byte in its visible form (see String). A write
// of clean bytes is passed on as it is, in one write and without copying;
// one that needs escaping is rebuilt in a buffer kept between writes and
// passed on in one write. A UTF-8 character cut between two writes is held
// (at most 3 bytes) until the next write or Flush, so it is not taken for
// invalid bytes. Safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	hold [utf8.UTFMax]byte
	nh   int
	buf  []byte
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Unwrap is the writer underneath: for a terminal check, or for bytes that
// are already safe in their own way (JSON).
func (t *Writer) Unwrap() io.Writer { return t.w }

// Write writes p in its visible form. It reports len(p) when everything
// was passed on.
func (t *Writer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	out := t.buf[:0]
	escaped := false // out is what goes out, not p
	for t.nh > 0 {
		// The character held from the last write, completed from p.
		var tmp [utf8.UTFMax]byte
		m := copy(tmp[:], t.hold[:t.nh])
		for k := 0; !utf8.FullRune(tmp[:m]) && k < len(p); k++ {
			tmp[m] = p[k]
			m++
		}
		if !utf8.FullRune(tmp[:m]) { // still cut: hold all of it
			t.nh = copy(t.hold[:], tmp[:m])
			p = p[:0]
			break
		}
		escaped = true
		r, size := utf8.DecodeRune(tmp[:m])
		if r == utf8.RuneError && size <= 1 {
			// Not a character after all: show its first byte, retry the rest.
			out, _ = appendEscape(out, tmp[:1])
			t.nh = copy(t.hold[:], t.hold[1:t.nh])
			continue
		}
		out = appendFrom(out, tmp[:size])
		p = p[size-t.nh:]
		t.nh = 0
	}
	i := 0
	for {
		j := i + cleanPrefix(p[i:])
		if j == len(p) {
			break
		}
		if rest := p[j:]; rest[0] >= 0xc0 && !utf8.FullRune(rest) {
			// A character cut at the end of p: wait for its other bytes.
			t.nh = copy(t.hold[:], rest)
			p = p[:j]
			break
		}
		out = append(out, p[i:j]...)
		var k int
		out, k = appendEscape(out, p[j:])
		i = j + k
		escaped = true
	}
	var err error
	switch {
	case !escaped:
		if len(p) > 0 {
			_, err = t.w.Write(p)
		}
	default:
		out = append(out, p[i:]...)
		_, err = t.w.Write(out)
		if cap(out) <= maxKeep {
			t.buf = out[:0]
		} else {
			t.buf = nil
		}
	}
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Flush writes a held partial character: as the end of the stream, it is
// invalid UTF-8 and shown as such.
func (t *Writer) Flush() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.nh == 0 {
		return nil
	}
	out := appendFrom(nil, t.hold[:t.nh])
	t.nh = 0
	_, err := t.w.Write(out)
	return err
}
