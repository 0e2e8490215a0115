package ending

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// BenchmarkGatherFlooded is the ending of a job whose output was a flood:
// reading the log's last MaxLog bytes and finding the summary and messages
// in them (no NIM query: apply's wall time shows that separately).
func BenchmarkGatherFlooded(b *testing.B) {
	dir := b.TempDir()
	var sb strings.Builder
	for i := 1; sb.Len() < 2*MaxLog; i++ {
		sb.WriteString("    restored /dev/cd0/installp/ppc/flood.fileset." + strconv.Itoa(i) + ".7.3.2.0.I (8192 bytes)\n")
	}
	sb.WriteString("Creating a NIM SPOT resource. This could take a while.\n\n" +
		"The following xCAT osimage definition was created. Use the xCAT lsdef command \n" +
		"to view the xCAT definition and the AIX lsnim command to view the individual \n" +
		"NIM resources that are included in this definition.\n\n" +
		"Object name: flood\n\timagetype=NIM\n\tlpp_source=flood_lpp_source\n\tnimtype=diskless\n" +
		"\tosname=AIX\n\tpaging=flood_paging\n\troot=flood_root\n\tspot=flood\n")
	if err := os.WriteFile(filepath.Join(dir, "output.log"), []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	rec := job.Record{Dir: dir, State: job.StateSucceeded, Plan: nim.Plan{Name: "flood", Type: nim.Diskless, Source: "/dev/cd0"}}
	b.SetBytes(MaxLog)
	b.ReportAllocs()
	for b.Loop() {
		f := Gather(b.Context(), nil, rec)
		if !f.HasSummary || len(f.Asked) != 4 {
			b.Fatalf("summary %v, asked %v", f.HasSummary, f.Asked)
		}
	}
}
