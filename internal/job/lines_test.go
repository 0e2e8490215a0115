package job

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	long := strings.Repeat("x", MaxLineWidth+10)
	for _, tc := range []struct{ in, want string }{
		{"Creating a NIM SPOT resource. This could take a while.", "Creating a NIM SPOT resource. This could take a while."},
		{"\timagetype=NIM", "        imagetype=NIM"},
		{"ab\tc", "ab      c"},
		{"10%\r20%\r30%", "30%"},
		{"done\r\n", "done"},
		{"done\r", "done"},
		{"\x1b[1;31mError:\x1b[0m bad", "^[[1;31mError:^[[0m bad"},
		{"\x1b]0;title\x07text", "^[]0;title^Gtext"},
		{"\x1b]8;;http://x\x1b\\link", "^[]8;;http://x^[\\link"},
		{"bell\x07 nul\x00 del\x7f", "bell^G nul^@ del^?"},
		{"bad \xff utf8", "bad \\xff utf8"},
		{"c1 \u009b2J", "c1 \\u009b2J"},
		{"é ü", "é ü"},
		{long, strings.Repeat("x", MaxLineWidth-1) + "…"},
		{strings.Repeat("x", MaxLineWidth), strings.Repeat("x", MaxLineWidth)},
	} {
		if got := Sanitize([]byte(tc.in)); got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"a\tb", "\x1b[31mx", "1\r2", "\x1b]0;t\x07", "\xff\xfe", "\x1b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Sanitize(b)
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 %q", s)
		}
		if n := utf8.RuneCountInString(s); n > MaxLineWidth {
			t.Fatalf("%d runes", n)
		}
		for _, r := range s {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("control %U in %q", r, s)
			}
		}
	})
}

func TestLinesRing(t *testing.T) {
	l := NewLines(3)
	fmt.Fprint(l, "one\ntwo\nthr")
	fmt.Fprint(l, "ee\nfour\n")
	fmt.Fprint(l, "fi")
	if got := strings.Join(l.Snapshot(0), "|"); got != "two|three|four|fi" {
		t.Errorf("Snapshot(0) = %q", got)
	}
	if got := strings.Join(l.Snapshot(2), "|"); got != "four|fi" {
		t.Errorf("Snapshot(2) = %q", got)
	}
	fmt.Fprint(l, "ve\n")
	if got := strings.Join(l.Snapshot(10), "|"); got != "three|four|five" {
		t.Errorf("Snapshot(10) = %q", got)
	}
	if lines, bytes := l.Total(); lines != 5 || bytes != int64(len("one\ntwo\nthree\nfour\nfive\n")) {
		t.Errorf("Total = %d, %d", lines, bytes)
	}
}

func TestLinesBoundsAnUnendedLine(t *testing.T) {
	l := NewLines(2)
	chunk := []byte(strings.Repeat("p", 1000) + "\r")
	for i := 0; i < 1000; i++ { // a megabyte of progress redraws
		l.Write(chunk)
	}
	if len(l.partial) > maxPartial {
		t.Fatalf("partial line kept %d bytes", len(l.partial))
	}
	l.Write([]byte(strings.Repeat("y", 2*maxPartial)))
	l.Write([]byte("\nnext\n"))
	s := l.Snapshot(0)
	if len(s) != 2 || !strings.HasSuffix(s[0], "…") || s[1] != "next" {
		t.Errorf("Snapshot = %q...", s[len(s)-1])
	}
}

func BenchmarkLinesWrite(b *testing.B) {
	l := NewLines(5000)
	line := []byte("installp:  APPLYING software for:\tbos.rte.libc 7.1.5.0\n")
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		l.Write(line)
	}
}

// Sanitize's fast path for printable ASCII gives what the general case
// gives, at and around the width limit too.
func TestSanitizePlainFastPath(t *testing.T) {
	for _, n := range []int{0, 1, 80, MaxLineWidth - 1, MaxLineWidth, MaxLineWidth + 1, 3000} {
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, byte(0x20+i%95))
		}
		if got, want := Sanitize(b), sanitize(b); got != want {
			t.Errorf("%d bytes: fast path %q, general %q", n, got, want)
		}
	}
}

// BenchmarkLinesWritePlain is the common case: printable ASCII lines (a
// flood of installp output), which take Sanitize's fast path.
func BenchmarkLinesWritePlain(b *testing.B) {
	l := NewLines(5000)
	line := []byte("    restored /dev/cd0/installp/ppc/flood.fileset.123456.7.3.2.0.I (8192 bytes)\n")
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		l.Write(line)
	}
}

// flakyWriter fails with ENOSPC while full is set.
type flakyWriter struct {
	full bool
	data []byte
}

func (w *flakyWriter) Write(p []byte) (int, error) {
	if w.full {
		n := min(len(p), 3) // a partial write, then the disk is full
		w.data = append(w.data, p[:n]...)
		w.full = true
		return n, syscall.ENOSPC
	}
	w.data = append(w.data, p...)
	return len(p), nil
}

func TestLogSinkKeepsOutputThroughAFullDisk(t *testing.T) {
	w := &flakyWriter{}
	l := &logSink{w: w, max: 10}
	l.Write([]byte("first\n"))
	w.full = true
	l.Write([]byte("abcdefgh\n")) // 3 written, 6 held
	l.Write([]byte("ijkl\n"))     // retry writes 3 more; 3 held + 5 = 8 held
	l.Write([]byte("mnopqrstuvwxyz\n"))
	if l.err == nil || !errors.Is(l.err, syscall.ENOSPC) {
		t.Fatalf("error not kept: %v", l.err)
	}
	if l.dropped == 0 {
		t.Fatal("nothing counted as lost")
	}
	w.full = false
	l.Write([]byte("back\n"))
	l.close()
	got := string(w.data)
	if !strings.HasPrefix(got, "first\n") || !strings.Contains(got, "bytes of mknimimage output were lost here") || !strings.HasSuffix(got, "back\n") {
		t.Fatalf("log:\n%s", got)
	}
	if int64(len("first\nabcdefgh\nijkl\nmnopqrstuvwxyz\nback\n")) != l.received {
		t.Errorf("received %d", l.received)
	}
	// Every byte received is either in the log or counted as lost.
	marker := got[strings.Index(got, "\n[nimwiz"):]
	marker = marker[:strings.Index(marker, "]\n")+2]
	if kept := int64(len(got) - len(marker)); kept+l.dropped != l.received {
		t.Errorf("kept %d + dropped %d != received %d", kept, l.dropped, l.received)
	}
}

func TestGuardKeepsCatchingSignals(t *testing.T) {
	g := NewGuard()
	defer g.Stop()
	g.SetCritical(true)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGINT} {
		syscall.Kill(os.Getpid(), sig)
		if got := <-g.C(); got != sig {
			t.Fatalf("got %v, want %v", got, sig)
		}
	}
	syscall.Kill(os.Getpid(), syscall.SIGTSTP) // ignored while critical: we are not stopped
	g.SetCritical(false)
}

// A redrawn progress line counts as its last state; plain lines pass as
// they are.
func TestTrimLine(t *testing.T) {
	for in, want := range map[string]string{
		"Creating a NIM SPOT resource.":               "Creating a NIM SPOT resource.",
		"copying 10%\rcopying 90%\rUpdating the spot": "Updating the spot",
		"line with a CR end\r\r":                      "line with a CR end",
		"":                                            "",
	} {
		if got := string(TrimLine([]byte(in))); got != want {
			t.Errorf("TrimLine(%q) = %q, want %q", in, got, want)
		}
	}
}
