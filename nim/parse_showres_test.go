package nim

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseShowresSpot(t *testing.T) {
	capture := []Fileset{
		{Name: "bos.rte.security", Level: "7.2.1.1", State: "C", Type: "F", Description: "Base Security Function"},
		{Name: "GSKit8.gskcrypt64.ppc.rte", Level: "8.0.14.14", State: "C", Type: "F", Description: "IBM GSKit Cryptography Runtime"},
	}
	tests := []struct {
		name string
		in   []byte
		want []Fileset
	}{
		{"lslpp -L capture, wrapped name", fixture(t, "showres/spot_lslpp_L_verified.txt"), capture},
		{"CRLF", crlf(fixture(t, "showres/spot_lslpp_L_verified.txt")), capture},
		{"lslpp -Lc", fixture(t, "showres/spot_lslpp_Lc_verified.txt"), []Fileset{
			{Name: "bos.adt.base", Level: "7.2.4.1", State: "C", Type: "F", Description: "Base Application Development Toolkit"}}},
		{"lslpp -Lc CRLF", crlf(fixture(t, "showres/spot_lslpp_Lc_verified.txt")), []Fileset{
			{Name: "bos.adt.base", Level: "7.2.4.1", State: "C", Type: "F", Description: "Base Application Development Toolkit"}}},
		{"name without its level line", []byte("  GSKit8.gskcrypt64.ppc.rte\n"), nil},
		{"name, then a blank line, then a level", []byte("  GSKit8.gskcrypt64.ppc.rte\n\n     8.0.14.14 C F x\n"), nil},
		{"row without state and type", []byte("  bos.rte 7.2.0.0\n"), nil},
		{"row without description", []byte("  bos.rte 7.2.0.0 C F\n"), []Fileset{{Name: "bos.rte", Level: "7.2.0.0", State: "C", Type: "F"}}},
		{"level must be numeric", []byte("  bos.rte seven C F desc\n"), nil},
		{"truncated row", []byte("  bos.rte 7.2.0.0 C F Base\n  bos.64bit 7.2"), []Fileset{{Name: "bos.rte", Level: "7.2.0.0", State: "C", Type: "F", Description: "Base"}}},
		{"NIM error", fixture(t, "errors/nim_207_verified.txt"), nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseShowresSpot(tt.in), tt.want) })
	}
}

func TestParseShowresSpotWrapped(t *testing.T) {
	fs := ParseShowresSpot(fixture(t, "showres/spot_lslpp_L_synthetic.txt"))
	want := []Fileset{
		{"bos.64bit", "6.1.4.0", "C", "F", "Base Operating System 64 bit Runtime"},
		{"bos.rte", "6.1.4.0", "C", "F", "Base Operating System Runtime"},
		{"bos.rte.security", "6.1.4.0", "C", "F", "Base Security Function"},
		{"GSKit8.gskcrypt64.ppc.rte", "8.0.14.14", "C", "F", "IBM GSKit Cryptography Runtime"},
		{"devices.pci.df1000f7.com", "6.1.4.0", "C", "F", "Common PCI FC Adapter Device Software"},
		{"openssh.base.client", "6.0.0.6201", "C", "F", "Open Secure Shell Commands"},
		{"zlib", "1.2.11-1", "C", "R", "The zlib compression and decompression library (/bin/rpm -e zlib)"},
	}
	eq(t, fs, want) // the State/Type codes legend gives nothing
	eq(t, ParseShowresSpot(crlf(fixture(t, "showres/spot_lslpp_L_synthetic.txt"))), want)
}

func TestParseShowresLpp(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []Fileset
	}{
		{"installp -l capture", fixture(t, "showres/lpp_installp_l_verified.txt"), []Fileset{
			{Name: "chef", Level: "12.0.0.1", Type: "I", Description: "The full stack of chef"}}},
		{"installp -l CRLF", crlf(fixture(t, "showres/lpp_installp_l_verified.txt")), []Fileset{
			{Name: "chef", Level: "12.0.0.1", Type: "I", Description: "The full stack of chef"}}},
		{"installp -L colons", fixture(t, "showres/lpp_installp_L_verified.txt"), []Fileset{
			{Name: "LGTOnw.clnt.rte", Level: "8.1.1.6", Type: "I", Description: "NetWorker Client"},
			{Name: "LGTOnw.man.rte", Level: "8.1.1.6", Type: "I", Description: "NetWorker Man Pages"}}},
		{"RPM lpp_source gives nothing", fixture(t, "showres/lpp_rpm_verified.txt"), nil},
		{"# line without a fileset", []byte("#   orphan description\n  bos.rte 7.2.0.0 I N usr\n"), []Fileset{{Name: "bos.rte", Level: "7.2.0.0", Type: "I"}}},
		{"short colon row", []byte("bos:bos.rte:7.2.0.0::I\n"), []Fileset{{Name: "bos.rte", Level: "7.2.0.0", Type: "I"}}},
		{"colon header", []byte("#Package Name:Fileset Name:Level:PTF:Type:\n"), nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseShowresLpp(tt.in), tt.want) })
	}

	fs := ParseShowresLpp(fixture(t, "showres/lpp_installp_l_synthetic.txt"))
	eq(t, fs, []Fileset{
		{Name: "bos.64bit", Level: "6.1.4.0", Type: "I", Description: "Base Operating System 64 bit Runtime"},
		{Name: "bos.rte", Level: "6.1.4.0", Type: "I", Description: "Base Operating System Runtime"},
		{Name: "bos.rte.security", Level: "6.1.4.15", Type: "U", Description: "Base Security Function"},
		{Name: "GSKit8.gskcrypt64.ppc.rte", Level: "8.0.14.14", Type: "I", Description: "IBM GSKit Cryptography Runtime 64 bit"},
		{Name: "openssh.base.client", Level: "6.0.0.6201", Type: "I"},
	})
}

func TestParseShowresHostile(t *testing.T) {
	for name, in := range hostile() {
		t.Run(name, func(t *testing.T) {
			if got := ParseShowresSpot(in); len(got) != 0 {
				t.Errorf("spot: %v", got)
			}
			if got := ParseShowresLpp(in); len(got) != 0 {
				t.Errorf("lpp: %v", got)
			}
		})
	}
}

func TestParseShowresFlood(t *testing.T) {
	// A description wrapped over 200,000 lines is joined in linear time.
	in := "  bos.rte 7.2.0.0 C F Base\n" + strings.Repeat("                       more\n", 200000)
	fs := ParseShowresSpot([]byte(in))
	if len(fs) != 1 || len(fs[0].Description) != len("Base")+200000*len(" more") {
		t.Errorf("flood: %d filesets", len(fs))
	}
}

func checkFilesets(t *testing.T, in []byte, fs []Fileset) {
	for _, f := range fs {
		if !noBlank(f.Name) || !isLevel(f.Level) || !oneLine(f.Description) {
			t.Fatalf("bad fileset %+v", f)
		}
		if !bytes.Contains(in, []byte(f.Name)) || !bytes.Contains(in, []byte(f.Level)) {
			t.Fatalf("invented fileset %+v", f)
		}
	}
}

func FuzzParseShowresSpot(f *testing.F) {
	f.Add(fixture(f, "showres/spot_lslpp_L_verified.txt"))
	f.Add(fixture(f, "showres/spot_lslpp_L_synthetic.txt"))
	f.Add(fixture(f, "showres/spot_lslpp_Lc_verified.txt"))
	f.Fuzz(func(t *testing.T, in []byte) { checkFilesets(t, in, ParseShowresSpot(in)) })
}

func FuzzParseShowresLpp(f *testing.F) {
	f.Add(fixture(f, "showres/lpp_installp_l_verified.txt"))
	f.Add(fixture(f, "showres/lpp_installp_l_synthetic.txt"))
	f.Add(fixture(f, "showres/lpp_installp_L_verified.txt"))
	f.Fuzz(func(t *testing.T, in []byte) { checkFilesets(t, in, ParseShowresLpp(in)) })
}
