package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
)

// lineWriterRun writes out to a lineWriter in the given pieces and returns
// the stream as its writer and changed saw it (a change shows as "<P>"),
// and the lines fed.
func lineWriterRun(out string, cuts []int) (string, []string) {
	var stream bytes.Buffer
	var fed []string
	lw := &lineWriter{
		w: &stream,
		feed: func(line []byte) bool {
			fed = append(fed, string(line))
			return bytes.HasPrefix(bytes.TrimSpace(line), []byte("Creating"))
		},
		changed: func() { stream.WriteString("<P>") },
	}
	prev := 0
	for _, c := range append(cuts, len(out)) {
		lw.Write([]byte(out[prev:c]))
		prev = c
	}
	lw.Flush()
	return stream.String(), fed
}

// Each line is written whole before the message about it, whatever the
// pieces the log arrives in; the unfinished last line comes with Flush.
func TestLineWriterKeepsMessagesAfterTheirLine(t *testing.T) {
	out := "Configuring\nCreating a NIM lpp_source resource called 'x'.\r\nnoise 1\nnoise 2\n\n" +
		"  Creating a NIM SPOT resource.\nmore\nCreating 'x_root'.\nunfinished Creating"
	var want strings.Builder
	var wantFed []string
	lines := strings.SplitAfter(out, "\n")
	for _, l := range lines {
		want.WriteString(l)
		body := strings.TrimSuffix(l, "\n")
		wantFed = append(wantFed, body)
		if strings.HasPrefix(strings.TrimSpace(body), "Creating") {
			want.WriteString("<P>")
		}
	}
	check := func(cuts []int) {
		t.Helper()
		got, fed := lineWriterRun(out, cuts)
		if got != want.String() {
			t.Fatalf("pieces cut at %v:\n got %q\nwant %q", cuts, got, want.String())
		}
		if strings.Join(fed, "|") != strings.Join(wantFed, "|") {
			t.Fatalf("pieces cut at %v: fed %q, want %q", cuts, fed, wantFed)
		}
	}
	check(nil)
	for i := 0; i <= len(out); i++ {
		check([]int{i})
		for j := i; j <= len(out); j += 7 {
			check([]int{i, j})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		var cuts []int
		for c := r.IntN(4); c < len(out); c += r.IntN(12) {
			cuts = append(cuts, c)
		}
		check(cuts)
	}
}

// BenchmarkApplyStream is apply's stdout path for a flood of mknimimage
// output, as followJob wires it: 1 MiB reads of the log into lineWriter,
// which feeds the tracker and writes whole lines to a 64 KiB buffer over
// stdout. "raw" is stdout as it was before the sanitizer; "sanitized" is
// stdout through termtext.Writer (what run gives every verb); "escapes" is
// the same with a carriage return and an SGR sequence on every line.
func BenchmarkApplyStream(b *testing.B) {
	var clean, dirty bytes.Buffer
	for i := 0; clean.Len() < 8<<20; i++ {
		fmt.Fprintf(&clean, "    installp: APPLYING software for: bos.rte.libc 7.3.%d.0 (line %d of the flood)\n", i%10, i)
		fmt.Fprintf(&dirty, "    installp: APPLYING software for: bos.rte.libc 7.3.%d.0\r \x1b[1mline %d\x1b[0m\n", i%10, i)
	}
	for _, tc := range []struct {
		name     string
		data     []byte
		sanitize bool
	}{{"raw", clean.Bytes(), false}, {"sanitized", clean.Bytes(), true}, {"escapes", dirty.Bytes(), true}} {
		b.Run(tc.name, func(b *testing.B) {
			var stdout io.Writer = io.Discard
			if tc.sanitize {
				stdout = termtext.NewWriter(io.Discard)
			}
			tr := nim.NewTracker(nim.Plan{Name: "k1", Type: nim.Diskless, Source: "/dev/cd0"}.WithDefaults())
			bw := bufio.NewWriterSize(stdout, 64<<10)
			lw := &lineWriter{w: bw, feed: func(l []byte) bool { return tr.FeedBytes(job.TrimLine(l)) }, changed: func() { bw.Flush() }}
			b.SetBytes(int64(len(tc.data)))
			b.ReportAllocs()
			for b.Loop() {
				for p := tc.data; len(p) > 0; {
					n := min(len(p), 1<<20)
					lw.Write(p[:n])
					bw.Flush()
					p = p[n:]
				}
			}
		})
	}
}
