package nim

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseLsnim(t *testing.T) {
	all := []Listing{
		{"master", "machines", "master"},
		{"boot", "resources", "boot"},
		{"nim_script", "resources", "nim_script"},
		{"net_10_192_168_0", "networks", "ent"},
		{"aix01", "machines", "standalone"},
		{"aix720509lpp", "resources", "lpp_source"},
	}
	tests := []struct {
		name string
		in   []byte
		want []Listing
	}{
		{"all, uneven widths", fixture(t, "lsnim/all_verified.txt"), all},
		{"names", fixture(t, "lsnim/names_verified.txt"), all[1:3]},
		{"CRLF", crlf(fixture(t, "lsnim/all_verified.txt")), all},
		{"truncated mid-line", []byte("boot resources boot\nnim_script resour"), all[1:2]},
		{"no final newline", []byte("boot resources boot"), all[1:2]},
		{"tabs and blank lines", []byte("\n\tboot\tresources\tboot  \n\n"), all[1:2]},
		{"0042 message is not a listing", fixture(t, "lsnim/nosuch_verified.stderr"), nil},
		{"two columns", []byte("boot resources\n"), nil},
		{"four columns", []byte("boot resources boot extra\n"), nil},
		{"junk name", []byte("bo\"ot resources boot\n-x resources boot\n"), nil},
		{"stanza is not a listing", fixture(t, "lsnim/long_lpp_source_verified.txt"), nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseLsnim(tt.in), tt.want) })
	}
	res := ParseLsnim(fixture(t, "lsnim/resources_synthetic.txt"))
	if len(res) != 10 || res[3] != (Listing{"61cosi", "resources", "spot"}) {
		t.Errorf("resources: %v", res)
	}
}

func TestParseLsnimLong(t *testing.T) {
	lpp := Object{Name: "7100-03-05-1524-lpp_source", Attrs: []Attr{
		{"class", "resources"},
		{"type", "lpp_source"},
		{"arch", "power"},
		{"Rstate", "ready for use"},
		{"prev_state", "unavailable for use"},
		{"location", "/export/nim/lpp_source/7100-03-05-1524"},
		{"simages", "yes"},
		{"alloc_count", "1"},
		{"server", "master"},
	}}
	tests := []struct {
		name string
		in   []byte
		want []Object
	}{
		{"lpp_source capture", fixture(t, "lsnim/long_lpp_source_verified.txt"), []Object{lpp}},
		{"CRLF", crlf(fixture(t, "lsnim/long_lpp_source_verified.txt")), []Object{lpp}},
		{"trailing blanks dropped", []byte("x:  \n   a   = b c  \n"), []Object{{Name: "x", Attrs: []Attr{{"a", "b c"}}}}},
		{"empty value kept", []byte("x:\n   comments =\n   b = 1\n"), []Object{{Name: "x", Attrs: []Attr{{"comments", ""}, {"b", "1"}}}}},
		{"value with =", []byte("x:\n   comments = a=b = c\n"), []Object{{Name: "x", Attrs: []Attr{{"comments", "a=b = c"}}}}},
		{"tab indent, no blanks round =", []byte("x:\n\tk=v\n"), []Object{{Name: "x", Attrs: []Attr{{"k", "v"}}}}},
		{"attrs before any header skipped", []byte("   class = resources\nx:\n   a = 1\n"), []Object{{Name: "x", Attrs: []Attr{{"a", "1"}}}}},
		{"lines without = skipped", []byte("x:\n   just text\n   a = 1\n   = nokey\n"), []Object{{Name: "x", Attrs: []Attr{{"a", "1"}}}}},
		{"header without attrs", []byte("x:\ny:\n   a = 1\n"), []Object{{Name: "x"}, {Name: "y", Attrs: []Attr{{"a", "1"}}}}},
		{"truncated", []byte("x:\n   a = 1\n   b = tw"), []Object{{Name: "x", Attrs: []Attr{{"a", "1"}, {"b", "tw"}}}}},
		{"NIM error is not a header", []byte("0042-001 nim: processing error encountered on \"master\":\n   0042-053 lsnim: there is no NIM object named \"x\"\n"), nil},
		{"bad header names skipped", []byte("a b:\n\"x\":\n:\n"), nil},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseLsnimLong(tt.in), tt.want) })
	}
}

func TestParseLsnimLongMany(t *testing.T) {
	objs := ParseLsnimLong(fixture(t, "lsnim/long_multi_synthetic.txt"))
	if len(objs) != 3 {
		t.Fatalf("got %d objects, want 3", len(objs))
	}
	names := []string{objs[0].Name, objs[1].Name, objs[2].Name}
	eq(t, names, []string{"61cosi_lpp_source", "61cosi", "61cosi_shared_root"})
	if !objs[0].Ready() || objs[1].Ready() {
		t.Errorf("Ready: lpp %v spot %v", objs[0].Ready(), objs[1].Ready())
	}
	if got := objs[1].Get("if_supported"); got != "chrp.64 ent" {
		t.Errorf("if_supported %q", got)
	}
	if got := objs[2].Get("spot"); got != "61cosi" {
		t.Errorf("shared_root spot %q", got)
	}
	// A caller appending to one object's attributes must not clobber the next.
	a := append(objs[0].Attrs, Attr{"x", "y"})
	_ = a
	if objs[1].Attrs[0] != (Attr{"class", "resources"}) {
		t.Errorf("append clobbered the next object: %v", objs[1].Attrs[0])
	}

	spot := ParseLsnimLong(fixture(t, "lsnim/long_spot_r.txt"))
	if len(spot) != 1 || len(spot[0].Attrs) != 16 || spot[0].Get("Rstate_result") != "success" || spot[0].Get("location") != "/export/spot/spot_aix61_tl9sp4/usr" {
		t.Errorf("spot: %+v", spot)
	}
	mk := ParseLsnimLong(fixture(t, "lsnim/long_mksysb_r.txt"))
	if len(mk) != 1 || mk[0].Get("creation_date") != "Mon Feb  3 20:55:28 2020" {
		t.Errorf("mksysb creation_date (inner double blank kept): %+v", mk)
	}
}

func TestParseLsnimLongRepeatedKeys(t *testing.T) {
	m := ParseLsnimLong(fixture(t, "lsnim/long_master_synthetic.txt"))
	if len(m) != 1 {
		t.Fatalf("got %d objects", len(m))
	}
	var serves []string
	for _, a := range m[0].Attrs {
		if a.Key == "serves" {
			serves = append(serves, a.Value)
		}
	}
	eq(t, serves, []string{"boot", "nim_script", "61cosi_lpp_source", "61cosi"})
	if m[0].Get("if1") != "master_net nimmaster 0" || m[0].Get("serves") != "boot" {
		t.Errorf("Get: if1 %q serves %q", m[0].Get("if1"), m[0].Get("serves"))
	}
}

func TestParseLsnimHostile(t *testing.T) {
	for name, in := range hostile() {
		t.Run(name, func(t *testing.T) {
			if got := ParseLsnim(in); len(got) != 0 {
				t.Errorf("ParseLsnim found %v", got)
			}
			if got := ParseLsnimLong(in); len(got) != 0 {
				t.Errorf("ParseLsnimLong found %v", got)
			}
		})
	}
	// A huge value is kept whole, not cut.
	big := strings.Repeat("v", 1<<20)
	o := ParseLsnimLong([]byte("x:\n   comments = " + big + "\n"))
	if len(o) != 1 || o[0].Get("comments") != big {
		t.Errorf("huge value lost")
	}
}

func checkListings(t *testing.T, ls []Listing) {
	for _, l := range ls {
		if !noBlank(l.Name) || !noBlank(l.Class) || !noBlank(l.Type) {
			t.Fatalf("bad listing %q", l)
		}
	}
}

func checkObjects(t *testing.T, objs []Object) {
	for _, o := range objs {
		if !noBlank(o.Name) || strings.ContainsRune(o.Name, ':') {
			t.Fatalf("bad object name %q", o.Name)
		}
		for _, a := range o.Attrs {
			if !noBlank(a.Key) || strings.ContainsRune(a.Key, '=') || !oneLine(a.Value) {
				t.Fatalf("bad attr %q in %q", a, o.Name)
			}
			if a.Value != strings.TrimRight(a.Value, " \t\r") {
				t.Fatalf("value with trailing blanks %q", a.Value)
			}
		}
	}
}

func FuzzParseLsnim(f *testing.F) {
	f.Add(fixture(f, "lsnim/all_verified.txt"))
	f.Add(fixture(f, "lsnim/names_verified.txt"))
	f.Add([]byte("a b c\r\n d e f\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ls := ParseLsnim(in)
		checkListings(t, ls)
		if len(ls) > bytes.Count(in, []byte("\n"))+1 {
			t.Fatalf("%d listings from %d lines", len(ls), bytes.Count(in, []byte("\n"))+1)
		}
	})
}

func FuzzParseLsnimLong(f *testing.F) {
	f.Add(fixture(f, "lsnim/long_lpp_source_verified.txt"))
	f.Add(fixture(f, "lsnim/long_master_synthetic.txt"))
	f.Add(fixture(f, "lsnim/long_multi_synthetic.txt"))
	f.Add([]byte("x:\r\n\tk=\r\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		objs := ParseLsnimLong(in)
		checkObjects(t, objs)
		n := 0
		for _, o := range objs {
			n += 1 + len(o.Attrs)
		}
		if n > bytes.Count(in, []byte("\n"))+1 {
			t.Fatalf("%d objects+attrs from %d lines", n, bytes.Count(in, []byte("\n"))+1)
		}
	})
}
