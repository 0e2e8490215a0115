package termtext

import (
	"io"
	"strings"
	"testing"
)

// mknimimage's output as apply passes it on: 64 KiB writes of lines.
var (
	cleanChunk = []byte(strings.Repeat("+-----------------------------------------------------------------------------+\n    installp: APPLYING software for: bos.rte.libc 7.3.1.0\n", 600))[:64<<10]
	dirtyChunk = []byte(strings.Repeat("Creating a NIM SPOT resource.\r\n\x1b[1mdone\x1b[0m\n", 2000))[:64<<10]
)

func BenchmarkWriterClean(b *testing.B) {
	w := NewWriter(io.Discard)
	b.SetBytes(int64(len(cleanChunk)))
	b.ReportAllocs()
	for b.Loop() {
		w.Write(cleanChunk)
	}
}

func BenchmarkWriterEscapes(b *testing.B) {
	w := NewWriter(io.Discard)
	b.SetBytes(int64(len(dirtyChunk)))
	b.ReportAllocs()
	for b.Loop() {
		w.Write(dirtyChunk)
	}
}

func BenchmarkKeepSGRFrame(b *testing.B) {
	frame := strings.Repeat("\x1b[38;5;4mNAME\x1b[0m  aix73_full  diskless  stateful  \x1b[2myes\x1b[0m\n", 40)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		_ = KeepSGR(frame)
	}
}
