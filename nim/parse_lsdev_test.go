package nim

import (
	"bytes"
	"testing"
)

func TestParseLsdevCdrom(t *testing.T) {
	scsi := CDDevice{Name: "cd0", Status: "Available", Location: "04-C0-00-3,0", Description: "SCSI Multimedia CD-ROM Drive"}
	virt := CDDevice{Name: "cd0", Status: "Available", Description: "Virtual SCSI Optical Served by VIO Server"}
	tests := []struct {
		name string
		in   []byte
		want []CDDevice
	}{
		{"physical", fixture(t, "lsdev/cdrom_verified.txt"), []CDDevice{scsi}},
		{"virtual: no location", fixture(t, "lsdev/cdrom_virtual_verified.txt"), []CDDevice{virt}},
		{"CRLF", crlf(fixture(t, "lsdev/cdrom_virtual_verified.txt")), []CDDevice{virt}},
		{"padded columns, Defined, physical location code", fixture(t, "lsdev/cdrom_mixed_synthetic.txt"), []CDDevice{
			scsi,
			{Name: "cd1", Status: "Defined", Location: "04-D0-00-1,0", Description: "SCSI Multimedia CD-ROM Drive"},
			{Name: "cd2", Status: "Available", Description: "Virtual SCSI Optical Served by VIO Server"},
			{Name: "cd3", Status: "Available", Location: "U78A0.001.DNWHZS4-P1-T1-L1", Description: "USB DVD-COMBO Drive"},
		}},
		{"-F name:status", fixture(t, "lsdev/cdrom_F_synthetic.txt"), []CDDevice{{Name: "cd0", Status: "Available"}, {Name: "cd1", Status: "Defined"}}},
		{"virtual description that looks like a location", []byte("cd0 Available  4.7-GB Virtual DVD\n"), []CDDevice{{Name: "cd0", Status: "Available", Description: "4.7-GB Virtual DVD"}}},
		{"name only", []byte("cd0\n"), nil},
		{"lowercase status", []byte("cd0 available 04-C0 x\n"), nil},
		{"truncated", []byte("cd0 Available 04-C0-00-3,0 SCSI\ncd1 Avai"), []CDDevice{{Name: "cd0", Status: "Available", Location: "04-C0-00-3,0", Description: "SCSI"}}},
		{"lsdev error", []byte("lsdev: 0514-521 Cannot find information in the predefined device\n"), nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseLsdevCdrom(tt.in), tt.want) })
	}
}

func TestParseLsdevHostile(t *testing.T) {
	for name, in := range hostile() {
		if got := ParseLsdevCdrom(in); len(got) != 0 {
			t.Errorf("%s: %v", name, got)
		}
	}
}

func FuzzParseLsdevCdrom(f *testing.F) {
	f.Add(fixture(f, "lsdev/cdrom_verified.txt"))
	f.Add(fixture(f, "lsdev/cdrom_mixed_synthetic.txt"))
	f.Add(fixture(f, "lsdev/cdrom_F_synthetic.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, d := range ParseLsdevCdrom(in) {
			if !noBlank(d.Name) || !noBlank(d.Status) || (d.Location != "" && !noBlank(d.Location)) || !oneLine(d.Description) {
				t.Fatalf("bad device %+v", d)
			}
			if !bytes.Contains(in, []byte(d.Name)) {
				t.Fatalf("invented device %+v", d)
			}
		}
	})
}
