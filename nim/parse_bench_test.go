package nim

import (
	"bytes"
	"fmt"
	"testing"
)

// genLsnimLong writes n lsnim -l stanzas in the real layout (3-blank indent,
// keys padded to the longest in the stanza), alternating resource types.
func genLsnimLong(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "img%05d_lpp_source:\n   class       = resources\n   type        = lpp_source\n   arch        = power\n   Rstate      = ready for use\n   prev_state  = unavailable for use\n   location    = /install/nim/lpp_source/img%05d_lpp_source\n   simages     = yes\n   alloc_count = 0\n   server      = master\n", i, i)
		case 1:
			fmt.Fprintf(&b, "img%05d:\n   class         = resources\n   type          = spot\n   plat_defined  = chrp\n   arch          = power\n   bos_license   = yes\n   Rstate        = ready for use\n   prev_state    = verification is being performed\n   location      = /install/nim/spot/img%05d/usr\n   version       = 7\n   release       = 2\n   mod           = 5\n   oslevel_r     = 7200-05\n   alloc_count   = 0\n   server        = master\n   if_supported  = chrp.64 ent\n   Rstate_result = success\n", i, i)
		default:
			fmt.Fprintf(&b, "img%05d_shared_root:\n   class       = resources\n   type        = shared_root\n   Rstate      = ready for use\n   prev_state  = unavailable for use\n   location    = /install/nim/shared_root/img%05d_shared_root\n   alloc_count = 0\n   server      = master\n   spot        = img%05d\n", i, i, i)
		}
	}
	return b.Bytes()
}

func genLsdefLong(n int) []byte {
	var b bytes.Buffer
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Object name: img%05d\n    imagetype=NIM\n    lpp_source=img%05d_lpp_source\n    nimtype=diskless\n    osname=AIX\n    paging=img%05d_paging\n    shared_root=img%05d_shared_root\n    spot=img%05d\n", i, i, i, i, i)
	}
	return b.Bytes()
}

// genLslppL writes n lslpp -L rows; every 10th has a long name pushed onto
// its own line and every 7th a description wrapped onto a second line.
func genLslppL(n int) []byte {
	var b bytes.Buffer
	b.WriteString("  Fileset                      Level  State  Type  Description (Uninstaller)\n")
	b.WriteString("  ----------------------------------------------------------------------------\n")
	for i := 0; i < n; i++ {
		switch {
		case i%10 == 0:
			fmt.Fprintf(&b, "  GSKit8.gskcrypt64.ppc.rte%05d\n                           8.0.14.14    C     F    IBM GSKit Cryptography Runtime\n", i)
		case i%7 == 0:
			fmt.Fprintf(&b, "  devices.pci.df%05d.com   7.2.5.0    C     F    Common PCI FC Adapter Device\n                                                   Software\n", i)
		default:
			fmt.Fprintf(&b, "  bos.rte.fs%05d           7.2.5.1    C     F    Base Operating System File\n", i)
		}
	}
	b.WriteString("\nState codes:\n A -- Applied.\n C -- Committed.\n\nType codes:\n F -- Installp Fileset\n")
	return b.Bytes()
}

func BenchmarkParseLsnimLong10k(b *testing.B) {
	in := genLsnimLong(10000)
	if got := len(ParseLsnimLong(in)); got != 10000 {
		b.Fatalf("parsed %d objects", got)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ParseLsnimLong(in)
	}
}

func BenchmarkParseLsdefLong2k(b *testing.B) {
	in := genLsdefLong(2000)
	if got := len(ParseLsdefLong(in)); got != 2000 {
		b.Fatalf("parsed %d osimages", got)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ParseLsdefLong(in)
	}
}

func BenchmarkParseShowresSpot5k(b *testing.B) {
	in := genLslppL(5000)
	if got := len(ParseShowresSpot(in)); got != 5000 {
		b.Fatalf("parsed %d filesets", got)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ParseShowresSpot(in)
	}
}
