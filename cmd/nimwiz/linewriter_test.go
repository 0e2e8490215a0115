package main

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
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
