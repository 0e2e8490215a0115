package job

import (
	"bytes"
	"encoding/binary"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/nimwiz/nimwiz/internal/termtext"
)

// MaxLineWidth caps a sanitized line, in runes; longer lines end in "…".
const MaxLineWidth = 1024

// maxPartial bounds the bytes kept of a line that has not ended yet.
const maxPartial = 64 << 10

// Lines keeps the most recent lines of a stream for display: bounded memory,
// safe for one writer and many readers. Write it from the goroutine that
// reads the log; read it with Snapshot on the UI's tick. Lines are sanitized
// (see Sanitize) so they can be drawn as they are: when first read, so a
// flood costs a copy per line into a reused slot, and only the lines shown
// are sanitized.
type Lines struct {
	mu       sync.Mutex
	ring     []lineSlot
	start, n int
	partial  []byte
	overflow bool // partial was cut; skip until the next newline
	lines    int64
	bytes    int64
}

// NewLines keeps up to max lines (at least 1).
func NewLines(max int) *Lines {
	if max < 1 {
		max = 1
	}
	return &Lines{ring: make([]lineSlot, max)}
}

// lineSlot is one kept line: its bytes, in a buffer reused by the lines
// that come through the slot, until Snapshot sanitizes them into s. A line
// longer than rawMax is sanitized at once, so no slot holds more than that.
type lineSlot struct {
	raw  []byte
	s    string
	done bool // s is the line, sanitized
}

const rawMax = 2 * MaxLineWidth

func (sl *lineSlot) set(b []byte) {
	if len(b) > rawMax {
		sl.raw, sl.s, sl.done = sl.raw[:0], Sanitize(b), true
		return
	}
	sl.raw, sl.s, sl.done = append(sl.raw[:0], b...), "", false
}

func (sl *lineSlot) get() string {
	if !sl.done {
		sl.s, sl.done = Sanitize(sl.raw), true
	}
	return sl.s
}

// Write adds output; it never fails. Lines that more recent lines of the
// same Write would push out of the ring are counted, not kept: given a
// flood in large pieces, only what can still be shown is sanitized.
func (l *Lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bytes += int64(len(p))
	rest := p
	if len(rest) > len(l.ring)*32 { // can hold more lines than the ring
		if skip := bytes.Count(rest, nl) - len(l.ring); skip > 0 {
			for range skip {
				rest = rest[bytes.IndexByte(rest, '\n')+1:]
			}
			l.lines += int64(skip)
			l.partial = l.partial[:0]
			l.overflow = false
		}
	}
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l.addPartial(rest)
			break
		}
		if len(l.partial) == 0 && !l.overflow && i <= maxPartial {
			l.push(rest[:i]) // as addPartial would have it, without the copy
		} else {
			l.addPartial(rest[:i])
			l.push(l.partial)
		}
		l.partial = l.partial[:0]
		l.overflow = false
		rest = rest[i+1:]
	}
	return len(p), nil
}

var nl = []byte{'\n'}

func (l *Lines) addPartial(p []byte) {
	if l.overflow {
		return
	}
	l.partial = append(l.partial, p...)
	if len(l.partial) <= maxPartial {
		return
	}
	// A progress bar redraws with \r: only what follows the last one shows.
	if i := bytes.LastIndexByte(l.partial, '\r'); i >= 0 {
		l.partial = append(l.partial[:0], l.partial[i+1:]...)
	}
	if len(l.partial) > maxPartial {
		l.partial = l.partial[:maxPartial]
		l.overflow = true
	}
}

// push keeps line b (its bytes are copied).
func (l *Lines) push(b []byte) {
	l.lines++
	if l.n < len(l.ring) {
		l.ring[(l.start+l.n)%len(l.ring)].set(b)
		l.n++
		return
	}
	l.ring[l.start].set(b)
	l.start = (l.start + 1) % len(l.ring)
}

// Snapshot returns up to the last n lines, oldest first; an unfinished last
// line is included. n <= 0 means all that are kept.
func (l *Lines) Snapshot(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var part string
	hasPart := len(l.partial) > 0
	if hasPart {
		part = Sanitize(l.partial)
	}
	if n <= 0 {
		n = l.n + 1
	}
	full := n
	if hasPart {
		full--
	}
	if full > l.n {
		full = l.n
	}
	out := make([]string, 0, full+1)
	for i := l.n - full; i < l.n; i++ {
		out = append(out, l.ring[(l.start+i)%len(l.ring)].get())
	}
	if hasPart {
		out = append(out, part)
	}
	return out
}

// Total is how many complete lines and bytes were written in all.
func (l *Lines) Total() (lines, bytes int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines, l.bytes
}

// Sanitize makes one line of command output safe to draw: the text after the
// last carriage return (a redrawn progress line shows its last state),
// every other control character, escape sequence, C1 control and invalid
// byte shown in termtext's visible form (^[, \u009b, \xff: the one
// sanitizer every screen uses), tabs expanded to 8 columns, and at most
// MaxLineWidth runes.
func Sanitize(b []byte) string {
	b = bytes.TrimRight(b, "\r\n")
	if i := bytes.LastIndexByte(b, '\r'); i >= 0 {
		b = b[i+1:]
	}
	if len(b) <= MaxLineWidth && printableASCII(b) {
		return string(b) // most output: nothing to change (4x faster)
	}
	return sanitize(b)
}

// sanitize is Sanitize's general case, on a line already cut at its last \r.
func sanitize(b []byte) string {
	vis := termtext.Append(make([]byte, 0, len(b)+16), b) // keeps tabs
	// termtext keeps newlines for multi-line text; inside one line (only a
	// direct caller can pass one) a newline is a control like any other.
	if bytes.IndexByte(vis, '\n') >= 0 {
		vis = bytes.ReplaceAll(vis, []byte{'\n'}, []byte("^J"))
	}
	var sb strings.Builder
	col := 0
	for i := 0; i < len(vis); {
		if vis[i] == '\t' {
			pad := 8 - col%8
			if col+pad > MaxLineWidth {
				pad = MaxLineWidth - col
			}
			sb.WriteString(strings.Repeat(" ", pad))
			col += pad
			i++
		} else {
			_, size := utf8.DecodeRune(vis[i:])
			sb.Write(vis[i : i+size])
			i += size
			col++
		}
		if col >= MaxLineWidth {
			if i < len(vis) {
				s := sb.String()
				_, last := utf8.DecodeLastRuneInString(s)
				return s[:len(s)-last] + "…"
			}
			break
		}
	}
	return sb.String()
}

// printableASCII reports whether b has only bytes 0x20-0x7e: no escapes,
// controls, tabs or multi-byte runes, so Sanitize would not change it.
// Eight bytes at a time: a byte below 0x20 borrows into its top bit when
// 0x20 is subtracted, a byte above 0x7e sets it when 0x01 is added.
func printableASCII(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		if ((w-0x20*ones)&^w|(w+ones)|w)&highs != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
