package nim

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseLsdefList(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{"list", fixture(t, "lsdef/list_synthetic.txt"), []string{"61cosi", "71dskls", "rhels7.9-ppc64le-install-compute"}},
		{"CRLF", crlf(fixture(t, "lsdef/list_synthetic.txt")), []string{"61cosi", "71dskls", "rhels7.9-ppc64le-install-compute"}},
		{"nothing to display", fixture(t, "lsdef/none_verified.txt"), nil},
		{"other types skipped", []byte("node1  (node)\n61cosi  (osimage)\n"), []string{"61cosi"}},
		{"long form is not a list", fixture(t, "lsdef/long_synthetic.txt"), nil},
		{"error is not a list", fixture(t, "lsdef/notfound_verified.stderr"), nil},
		{"truncated", []byte("61cosi  (osimage)\n71dskls  (osim"), []string{"61cosi"}},
		{"junk", []byte("a b  (osimage)\n(osimage)\n\"x\"  (osimage)\n"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseLsdefList(tt.in), tt.want) })
	}
}

func TestParseLsdefLong(t *testing.T) {
	cosi := Osimage{Name: "61cosi", Attrs: map[string]string{
		"imagetype": "NIM", "lpp_source": "61cosi_lpp_source", "nimtype": "diskless", "osname": "AIX",
		"paging": "61cosi_paging", "shared_root": "61cosi_shared_root", "spot": "61cosi",
	}}
	imgs := ParseLsdefLong(fixture(t, "lsdef/long_synthetic.txt"))
	if len(imgs) != 3 {
		t.Fatalf("got %d osimages", len(imgs))
	}
	eq(t, imgs[0], cosi)
	if imgs[1].Get("usercomment") != "built from the 7.1 TL5 DVD, see ticket 4711" || imgs[1].Get("dump") != "71dskls_dump" {
		t.Errorf("71dskls: %v", imgs[1].Attrs)
	}
	if imgs[2].NimType() != Dataless || imgs[2].Get("root") != "61dtls_root" {
		t.Errorf("61dtls: %v", imgs[2].Attrs)
	}
	eq(t, ParseLsdefLong(crlf(fixture(t, "lsdef/long_synthetic.txt"))), imgs)

	tests := []struct {
		name string
		in   []byte
		want []Osimage
	}{
		{"-V table suffixes dropped", fixture(t, "lsdef/long_V_synthetic.txt"), []Osimage{{Name: "61cosi", Attrs: map[string]string{
			"imagetype": "NIM", "lpp_source": "61cosi_lpp_source", "nimtype": "diskless", "osname": "AIX", "spot": "61cosi"}}}},
		{"several types: (osimage) suffix", fixture(t, "lsdef/long_types_synthetic.txt"), []Osimage{{Name: "61cosi", Attrs: map[string]string{
			"imagetype": "NIM", "nimtype": "diskless", "spot": "61cosi"}}}},
		{"-i: empty values kept", fixture(t, "lsdef/long_i_synthetic.txt"), []Osimage{{Name: "61cosi", Attrs: map[string]string{
			"dump": "", "nimtype": "diskless", "spot": "61cosi"}}}},
		{"-z stanzas, objtype dropped", fixture(t, "lsdef/stanza_z_synthetic.txt"), []Osimage{
			{Name: "61cosi", Attrs: map[string]string{"imagetype": "NIM", "lpp_source": "61cosi_lpp_source", "nimtype": "diskless", "osname": "AIX", "spot": "61cosi"}},
			{Name: "71dskls", Attrs: map[string]string{"imagetype": "NIM", "nimtype": "diskless", "root": "71dskls_root", "spot": "71dskls"}},
		}},
		{"nothing to display", fixture(t, "lsdef/none_verified.txt"), nil},
		{"error", fixture(t, "lsdef/notfound_verified.stderr"), nil},
		{"message at column 0 ends the object", []byte("Object name: a\n    x=1\nError: bad\n    y=2\n"), []Osimage{{Name: "a", Attrs: map[string]string{"x": "1"}}}},
		{"truncated", []byte("Object name: a\n    x=1\n    y"), []Osimage{{Name: "a", Attrs: map[string]string{"x": "1"}}}},
		{"junk names", []byte("Object name: a b c\nObject name: \nObject name: a  osimage\n    x=1\n"), nil},
		{"bad keys skipped", []byte("Object name: a\n    =1\n    a b=2\n    ok=3\n"), []Osimage{{Name: "a", Attrs: map[string]string{"ok": "3"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseLsdefLong(tt.in), tt.want) })
	}
}

func TestParseSummary(t *testing.T) {
	cosi := Osimage{Name: "61cosi", Attrs: map[string]string{
		"imagetype": "NIM", "lpp_source": "61cosi_lpp_source", "nimtype": "diskless", "osname": "AIX",
		"paging": "61cosi_paging", "shared_root": "61cosi_shared_root", "spot": "61cosi",
	}}
	tests := []struct {
		name string
		in   []byte
		want Osimage
		ok   bool
	}{
		{"whole run, TABs", fixture(t, "summary/run_stateless_inferred.txt"), cosi, true},
		{"CRLF", crlf(fixture(t, "summary/run_stateless_inferred.txt")), cosi, true},
		{"wiki copy, no indent", fixture(t, "summary/wiki_verified.txt"), cosi, true},
		{"failed run", fixture(t, "summary/failed_nosummary_inferred.txt"), Osimage{}, false},
		{"lsdef output is not a summary", fixture(t, "lsdef/long_synthetic.txt"), Osimage{}, false},
		{"intro without object", []byte(summaryIntro + " \n"), Osimage{}, false},
		{"cut after the name", []byte(summaryIntro + "\n\nObject name: x\n"), Osimage{Name: "x", Attrs: map[string]string{}}, true},
		{"cut mid-attribute", []byte(summaryIntro + "\n\nObject name: x\n\tspot=x\n\tlpp_so"), Osimage{Name: "x", Attrs: map[string]string{"spot": "x"}}, true},
		{"empty", nil, Osimage{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseSummary(tt.in)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			eq(t, got, tt.want)
		})
	}

	// -D and spaces instead of TABs.
	d, ok := ParseSummary(fixture(t, "summary/dump_spaces_synthetic.txt"))
	if !ok || !d.HasDump() || d.Stateless() || d.Get("root") != "71dskls_root" || len(d.Attrs) != 8 {
		t.Errorf("dump summary: %v %v", ok, d)
	}
	// An error after the block (Unable to set root password, Return=1) does
	// not leak into the attributes.
	r, ok := ParseSummary(fixture(t, "summary/rootpw_error_inferred.txt"))
	if !ok || len(r.Attrs) != 6 || r.Get("root") != "61cosi_root" {
		t.Errorf("summary before the error footer: %v %v", ok, r)
	}
}

func TestOsimageHelpers(t *testing.T) {
	imgs := ParseLsdefLong(fixture(t, "lsdef/long_mixed_synthetic.txt"))
	if len(imgs) != 3 {
		t.Fatalf("got %d", len(imgs))
	}
	dskls, linux, cosi := imgs[0], imgs[1], imgs[2]
	if !dskls.IsNIM() || linux.IsNIM() || !cosi.IsNIM() {
		t.Errorf("IsNIM: %v %v %v", dskls.IsNIM(), linux.IsNIM(), cosi.IsNIM())
	}
	if !cosi.Stateless() || dskls.Stateless() || cosi.HasDump() {
		t.Errorf("Stateless/HasDump wrong")
	}
	if cosi.NimType() != Diskless || cosi.Spot() != "61cosi" || cosi.LppSource() != "61cosi_lpp_source" || cosi.Get("nosuch") != "" {
		t.Errorf("getters wrong: %v", cosi)
	}
	eq(t, cosi.ResourceAttrs(), []Attr{
		{"lpp_source", "61cosi_lpp_source"}, {"paging", "61cosi_paging"}, {"shared_root", "61cosi_shared_root"}, {"spot", "61cosi"},
	})
	if linux.ResourceAttrs() != nil {
		t.Errorf("linux image has NIM resources: %v", linux.ResourceAttrs())
	}
	var zero Osimage
	if zero.Get("spot") != "" || zero.IsNIM() || zero.ResourceAttrs() != nil {
		t.Errorf("zero Osimage")
	}
	all := Osimage{Attrs: map[string]string{}}
	for _, k := range AttrNames(func(a AttrSpec) bool { return a.Kind == ResourceAttr }) {
		all.Attrs[k] = "r_" + k
	}
	all.Attrs["otherpkgs"] = "I:not.a.resource"
	all.Attrs["nimtype"] = "diskless"
	ra := all.ResourceAttrs()
	if len(ra) != 16 {
		t.Errorf("ResourceAttrs: %d of 16", len(ra))
	}
	for i := 1; i < len(ra); i++ {
		if ra[i-1].Key >= ra[i].Key {
			t.Errorf("not sorted: %v", ra)
		}
	}
}

func TestParseLsdefHostile(t *testing.T) {
	for name, in := range hostile() {
		t.Run(name, func(t *testing.T) {
			if got := ParseLsdefList(in); len(got) != 0 {
				t.Errorf("list: %v", got)
			}
			if got := ParseLsdefLong(in); len(got) != 0 {
				t.Errorf("long: %v", got)
			}
			if got, ok := ParseSummary(in); ok {
				t.Errorf("summary: %v", got)
			}
		})
	}
}

func checkOsimages(t *testing.T, imgs []Osimage) {
	for _, o := range imgs {
		checkOsimage(t, o)
	}
}

func checkOsimage(t *testing.T, o Osimage) {
	if !noBlank(o.Name) {
		t.Fatalf("bad osimage name %q", o.Name)
	}
	for k, v := range o.Attrs {
		if !noBlank(k) || strings.ContainsRune(k, '=') || !oneLine(v) || strings.Contains(v, "\t(Table:") {
			t.Fatalf("bad attr %q=%q", k, v)
		}
		if k == "objtype" {
			t.Fatalf("objtype kept")
		}
	}
}

func FuzzParseLsdefList(f *testing.F) {
	f.Add(fixture(f, "lsdef/list_synthetic.txt"))
	f.Add(fixture(f, "lsdef/none_verified.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, n := range ParseLsdefList(in) {
			if !noBlank(n) {
				t.Fatalf("bad name %q", n)
			}
		}
	})
}

func FuzzParseLsdefLong(f *testing.F) {
	for _, p := range []string{"long_synthetic.txt", "long_V_synthetic.txt", "long_types_synthetic.txt", "stanza_z_synthetic.txt", "long_i_synthetic.txt"} {
		f.Add(fixture(f, "lsdef/"+p))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		imgs := ParseLsdefLong(in)
		checkOsimages(t, imgs)
		if len(imgs) > bytes.Count(in, []byte("\n"))+1 {
			t.Fatalf("more osimages than lines")
		}
	})
}

func FuzzParseSummary(f *testing.F) {
	f.Add(fixture(f, "summary/run_stateless_inferred.txt"))
	f.Add(fixture(f, "summary/wiki_verified.txt"))
	f.Add(fixture(f, "summary/rootpw_error_inferred.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		o, ok := ParseSummary(in)
		if !ok {
			if o.Name != "" || o.Attrs != nil {
				t.Fatalf("data without a summary: %v", o)
			}
			return
		}
		if !bytes.Contains(in, []byte(summaryIntro)) {
			t.Fatalf("summary without the intro")
		}
		checkOsimage(t, o)
	})
}

// LsdefNone knows lsdef's three answers for "no osimage" in their real
// form, and only those.
func TestLsdefNone(t *testing.T) {
	none := fixture(t, "lsdef/none_verified.txt")
	where := fixture(t, "lsdef/none_where_verified.txt")
	oftype := fixture(t, "lsdef/none_oftype_verified.stderr")
	host := fixture(t, "lsdef/none_oftype_host_synthetic.stderr")
	tests := []struct {
		name           string
		stdout, stderr []byte
		exit           int
		want           bool
	}{
		{"nothing to display", none, nil, 0, true},
		{"-w matched none (HEAD)", where, nil, 0, true},
		{"-w matched none (2.9.2 prints nothing)", nil, nil, 0, true},
		{"no osimage at all", nil, oftype, 1, true},
		{"no osimage at all, host prefix", nil, host, 1, true},
		{"CRLF and blank lines", []byte("\r\nCould not find any objects to display.\r\n\r\n"), nil, 0, true},
		{"each line once more", append(append([]byte{}, where...), none...), nil, 0, true},
		{"info with exit 1", none, nil, 1, false},
		{"info on stderr", nil, none, 0, false},
		{"error with exit 0", nil, oftype, 0, false},
		{"error on stdout", oftype, nil, 1, false},
		{"exit 1, nothing said", nil, nil, 1, false},
		{"another type", nil, []byte("Error: Could not get objects of type 'node'.\n"), 1, false},
		{"another error too", nil, append(append([]byte{}, oftype...), "Error: Permission denied\n"...), 1, false},
		{"a warning too", where, []byte("Warning: [mn]: something\n"), 0, false},
		{"an object too", append(append([]byte{}, none...), "61cosi  (osimage)\n"...), nil, 0, false},
		{"text around the message", []byte("Note: Could not find any objects to display.\n"), nil, 0, false},
		{"exit 3", nil, oftype, 3, false},
		{"exit -1 (killed)", nil, nil, -1, false},
	}
	for _, tt := range tests {
		if got := LsdefNone(tt.stdout, tt.stderr, tt.exit); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Whatever LsdefNone takes for "no osimage" holds no osimage and no
// message but the three.
func FuzzLsdefNone(f *testing.F) {
	f.Add([]byte("Could not find any objects to display.\n"), []byte(nil), 0)
	f.Add([]byte(nil), []byte("Error: [mn]: Could not get objects of type 'osimage'.\n"), 1)
	f.Add([]byte("No object definitions have been found\n"), []byte(nil), 0)
	f.Add([]byte("61cosi  (osimage)\n"), []byte(nil), 0)
	f.Fuzz(func(t *testing.T, stdout, stderr []byte, exit int) {
		if !LsdefNone(stdout, stderr, exit) {
			return
		}
		if exit != 0 && exit != 1 {
			t.Fatalf("exit %d taken for none", exit)
		}
		if len(ParseLsdefList(stdout)) > 0 || len(ParseLsdefLong(stdout)) > 0 {
			t.Fatalf("osimages in %q taken for none", stdout)
		}
		for _, m := range ParseMessages(append(append([]byte{}, stdout...), stderr...)) {
			if m.Kind != XcatError || m.Text != NoObjectsOfTypeText {
				t.Fatalf("message %q taken for none", m.String())
			}
		}
		rest := strings.NewReplacer(NoObjectsMessage, "", NoDefinitionsMessage, "", NoObjectsOfTypeText, "", "Error:", "").Replace(string(stdout) + string(stderr))
		for _, f := range strings.Fields(rest) {
			if !(strings.HasPrefix(f, "[") && strings.HasSuffix(f, "]:")) {
				t.Fatalf("other text %q in %q %q taken for none", f, stdout, stderr)
			}
		}
	})
}
