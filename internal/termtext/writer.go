package termtext

import (
	"io"
	"sync"
	"unicode/utf8"
)

// maxKeep bounds the escape buffer a Writer keeps between writes; a clean
// run longer than directRun is written as it is rather than copied.
const (
	maxKeep   = 128 << 10
	directRun = 4 << 10
)

// Writer passes what is written to it on to a terminal (or a pipe a person
// reads) with every unsafe byte in its visible form (see String). A write
// of clean bytes is passed on as it is, in one write and without copying;
// in one that needs escaping, the escapes and the short clean runs between
// them are rebuilt in a buffer kept between writes (at most maxKeep), long
// clean runs are passed on as they are. A UTF-8 character cut between two writes is held
// (at most 3 bytes) until the next write or Flush, so it is not taken for
// invalid bytes. Safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	hold [utf8.UTFMax]byte
	nh   int
	buf  []byte // kept between writes
	out  []byte // what goes out, during a write
	err  error  // the first write error, during a write
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
	t.out = t.buf[:0]
	t.err = nil
	escaped := false // what goes out is rebuilt, not p as it is
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
			t.out, _ = appendEscape(t.out, tmp[:1])
			t.nh = copy(t.hold[:], t.hold[1:t.nh])
			continue
		}
		t.out = appendFrom(t.out, tmp[:size])
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
		t.emit(p[i:j])
		var k int
		t.out, k = appendEscape(t.out, p[j:])
		i = j + k
		escaped = true
	}
	if !escaped {
		if len(p) > 0 {
			_, t.err = t.w.Write(p)
		}
	} else {
		t.emit(p[i:])
		t.flush()
	}
	if cap(t.out) <= maxKeep {
		t.buf = t.out[:0]
	}
	t.out = nil
	if t.err != nil {
		return 0, t.err
	}
	return n, nil
}

// emit adds a clean run to what goes out: copied when short, written as
// it is (after what came before it) when long, so the buffer stays small
// and a long clean run is not copied.
func (t *Writer) emit(run []byte) {
	if len(run) <= directRun {
		t.out = append(t.out, run...)
		if len(t.out) >= maxKeep/2 {
			t.flush()
		}
		return
	}
	t.flush()
	if t.err == nil {
		_, t.err = t.w.Write(run)
	}
}

// flush writes what was rebuilt so far.
func (t *Writer) flush() {
	if len(t.out) > 0 && t.err == nil {
		_, t.err = t.w.Write(t.out)
	}
	t.out = t.out[:0]
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
