package sim

import (
	"strings"
	"testing"
)

// A large world answers like the demo one, at scale.
func TestSeedLarge(t *testing.T) {
	root := t.TempDir()
	if err := SeedLarge(root, 100, 600); err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, root: root, env: []string{"NIMWIZ_SIM_ROOT=" + root}}
	s := w.state()
	if len(s.Objects) < 600+3 {
		t.Errorf("%d NIM objects, want at least 600", len(s.Objects))
	}
	r := w.run("lsdef", "-t", "osimage", "-w", "imagetype==NIM")
	if n := strings.Count(r.out, "(osimage)"); n != 104 || r.rc != 0 {
		t.Errorf("lsdef lists %d AIX osimages (rc %d), want 4 seeded + 100", n, r.rc)
	}
	r = w.run("lsdef", "-t", "osimage", "-o", "bench00003", "-l")
	for _, want := range []string{"Object name: bench00003", "spot=bench00003", "root=bench00003_root", "dump=bench00003_dump", "lpp_source=bench_lpp000"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("lsdef -o bench00003 lacks %q:\n%s", want, r.out)
		}
	}
	r = w.run("lsnim", "-l", "bench00003", "bench00003_root", "bench_lpp000")
	if r.rc != 0 || strings.Count(r.out, "ready for use") != 3 {
		t.Errorf("lsnim -l of its resources (rc %d):\n%s%s", r.rc, r.out, r.err)
	}
}

// Flood lines are about 80 bytes, all there, in order.
func TestFloodLines(t *testing.T) {
	w := newWorld(t, "NIMWIZ_SIM_FLOOD=200000")
	r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "fl")
	var n, bytes int
	for _, l := range strings.Split(r.out, "\n") {
		if strings.Contains(l, "flood.fileset.") {
			n++
			bytes += len(l) + 1
		}
	}
	if n != 200000 || r.rc != 0 {
		t.Fatalf("flood lines = %d, rc %d", n, r.rc)
	}
	if avg := bytes / n; avg < 75 || avg > 85 {
		t.Errorf("flood lines average %d bytes, want about 80", avg)
	}
	if !strings.Contains(r.out, "flood.fileset.1.7.3.2.0.I (8192 bytes)\n    restored /dev/cd0/installp/ppc/flood.fileset.2.") {
		t.Error("flood lines out of order")
	}
}
