package wizard_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/wizard"
)

// hostRoot is a simulated host root with image directories of each kind.
func hostRoot(t testing.TB) string { return nimtest.ImageDirs(t) }

// A wrapped command line still runs as one when pasted into a shell.
func TestWrapCommand(t *testing.T) {
	argv := []string{"mknimimage", "-t", "diskless", "-r", "-s", "/export/images/7200", "aix72_stateless_full", "installp_bundle=hpc_bundle", "resolv_conf=cluster_resolv_conf"}
	got := wizard.WrapCommand(argv, 40)
	for _, line := range strings.Split(got, "\n") {
		if len(line) > 40 {
			t.Errorf("line longer than 40: %q", line)
		}
	}
	joined := strings.ReplaceAll(got, " \\\n  ", " ")
	if joined != strings.Join(argv, " ") {
		t.Errorf("unwrapped %q\nwant     %q", joined, strings.Join(argv, " "))
	}
	if one := wizard.WrapCommand(argv, 200); strings.Contains(one, "\n") {
		t.Errorf("wrapped although it fits: %q", one)
	}
}

// What typed attr=value does at the extras step, in both modes; a refusal
// changes nothing.
func TestExtraTyped(t *testing.T) {
	items := []nim.Listing{
		{Name: "cluster_resolv", Type: "resolv_conf"},
		{Name: "mount_gpfs", Type: "script"},
		{Name: "setup_ntp", Type: "script"},
		{Name: "hpc_bundle", Type: "installp_bundle"},
		{Name: "gpfs_bundle", Type: "installp_bundle"},
	}
	tests := []struct {
		in      string
		ok      bool
		msg     string
		checked []int             // after, starting from script mount_gpfs checked
		kept    map[string]string // after, starting from root=myroot
		first   int
	}{
		{"resolv_conf=cluster_resolv", true, "added resolv_conf=cluster_resolv", []int{0, 1}, map[string]string{"root": "myroot"}, 0},
		{" installp_bundle = hpc_bundle , gpfs_bundle ", true, "added installp_bundle=hpc_bundle,gpfs_bundle", []int{1, 3, 4}, map[string]string{"root": "myroot"}, 3},
		{"script=setup_ntp,mount_gpfs", true, "added script=setup_ntp,mount_gpfs", []int{1, 2}, map[string]string{"root": "myroot"}, 2},
		{"otherpkgs = I:openssh.base,R:curl.rpm ", true, "added otherpkgs=I:openssh.base,R:curl.rpm", []int{1},
			map[string]string{"root": "myroot", "otherpkgs": "I:openssh.base,R:curl.rpm"}, -1},
		{"rpm_flags=-Uvh --replacepkgs", true, "added rpm_flags=-Uvh --replacepkgs", []int{1},
			map[string]string{"root": "myroot", "rpm_flags": "-Uvh --replacepkgs"}, -1},
		{"otherpkgs=X:foo", false, `otherpkgs: "X:foo" has the prefix "X:"`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"dumpsize=20", false, "dumpsize: it configures the dump resource mknimimage creates with -D, and this plan creates none", []int{1}, map[string]string{"root": "myroot"}, -1},
		{"synclists=/install/nothere", false, "synclists: /install/nothere does not exist on this NIM master", []int{1}, map[string]string{"root": "myroot"}, -1},
		{"synclists=/export/afile", true, "added synclists=/export/afile", []int{1}, map[string]string{"root": "myroot", "synclists": "/export/afile"}, -1},
		{"configdump=full", false, `"configdump" is not one of the resources nimwiz adds here`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"resolv_conf=0", false, `resolv_conf: resource name "0"`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"root=", true, "removed root", []int{1}, map[string]string{}, -1},
		{"script=", true, "removed every script", nil, map[string]string{"root": "myroot"}, -1},
		{"dump=", false, "dump is not in the plan: nothing to remove", []int{1}, map[string]string{"root": "myroot"}, -1},
		{"root=otherroot", false, `"root" is not one of the resources nimwiz adds here`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"=x", false, wizard.ExtraUsage, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"resolv_conf", false, wizard.ExtraUsage, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"resolv_conf=a,b", false, "resolv_conf takes one resource; type one name", []int{1}, map[string]string{"root": "myroot"}, -1},
		{"installp_bundle=hpc_bundle,bad.name", false, `installp_bundle: resource name "bad.name" contains '.'`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"installp_bundle=hpc_bundle,nosuch", false, `NIM has no installp_bundle resource named "nosuch"`, []int{1}, map[string]string{"root": "myroot"}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			checked := map[int]bool{1: true}
			kept := map[string]string{"root": "myroot"}
			p := nim.Plan{Name: "aix73", Source: "/dev/cd0"}
			msg, ok, first := wizard.ExtraTyped(tc.in, p, hostRoot(t), items, kept, func(i int, on bool) { checked[i] = on })
			if ok != tc.ok || !strings.HasPrefix(msg, tc.msg) || first != tc.first {
				t.Errorf("= %q, %v, %d; want %q, %v, %d", msg, ok, first, tc.msg, tc.ok, tc.first)
			}
			var got []int
			for i := range items {
				if checked[i] {
					got = append(got, i)
				}
			}
			if !slices.Equal(got, tc.checked) || !maps.Equal(kept, tc.kept) {
				t.Errorf("checked %v kept %v; want %v %v", got, kept, tc.checked, tc.kept)
			}
		})
	}
}

// An attribute's name typed alone explains it; anything else is not help.
func TestAttrHelp(t *testing.T) {
	for in, want := range map[string]string{
		"otherpkgs":    "otherpkgs: installp/RPM/epkg packages for the SPOT. Type otherpkgs=I:openssh.base,R:curl-7.9.3-2.aix4.3.ppc.rpm",
		" script ":     "script: standalone installs only (nimnodeset). Type script=NAME1,NAME2",
		"resolv_conf":  "resolv_conf: name servers for the nodes. Type resolv_conf=NAME",
		"root":         "",
		"configdump":   "",
		"otherpkgs=":   "",
		"nosuch":       "",
		"installp_bun": "",
	} {
		got, ok := wizard.AttrHelp(in)
		if got != want || ok != (want != "") {
			t.Errorf("AttrHelp(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// A plan's Extra split for the extras step: offered and present, kept,
// offered but gone.
func TestExtraPrefill(t *testing.T) {
	items := []nim.Listing{{Name: "cluster_resolv", Type: "resolv_conf"}, {Name: "hpc_bundle", Type: "installp_bundle"}}
	checked, kept, dropped := wizard.ExtraPrefill(map[string]string{
		"root": "myroot", "dump": "mydump", "resolv_conf": "cluster_resolv", "installp_bundle": "hpc_bundle,gone_bundle", "otherpkgs": "I:a",
	}, items)
	if !slices.Equal(checked, []int{1, 0}) || !maps.Equal(kept, map[string]string{"root": "myroot", "dump": "mydump", "otherpkgs": "I:a"}) ||
		!slices.Equal(dropped, []string{"installp_bundle=gone_bundle"}) {
		t.Errorf("checked %v kept %v dropped %v", checked, kept, dropped)
	}
	if _, kept, _ := wizard.ExtraPrefill(nil, items); kept == nil {
		t.Error("kept is nil: attr= could not remove from it")
	}
}

func TestInspectDir(t *testing.T) {
	root := hostRoot(t)
	tests := []struct {
		dir    string
		layout wizard.DirLayout
		images int
		usable bool
	}{
		{"/export/aix72", wizard.LayoutInstallp, 2, true},
		{"/export/flat", wizard.LayoutFlat, 1, true},
		{"/export/old", wizard.LayoutInstImage, 1, true},
		{"/export/notoc", wizard.LayoutNoTOC, 3, true},
		{"/export/empty", wizard.LayoutEmpty, 0, false},
		{"/export/afile", wizard.LayoutNotDir, 0, false},
		{"/export/missing", wizard.LayoutMissing, 0, false},
	}
	for _, tc := range tests {
		r := wizard.InspectDir(root, tc.dir)
		if r.Layout != tc.layout || r.Images != tc.images || r.Usable() != tc.usable {
			t.Errorf("%s: %+v, want layout %d, %d images, usable %v", tc.dir, r, tc.layout, tc.images, tc.usable)
		}
	}
}

func TestCompleteDir(t *testing.T) {
	root := hostRoot(t)
	tests := []struct{ typed, want, matches string }{
		{"/exp", "/export/", "export"},
		{"/export/a", "/export/aix72/", "aix72"},
		{"/export/", "/export/", "aix72 empty flat notoc old"},
		{"/export/zz", "/export/zz", ""},
		{"/nowhere/x", "/nowhere/x", ""},
	}
	for _, tc := range tests {
		got, m := wizard.CompleteDir(root, tc.typed)
		if got != tc.want || strings.Join(m, " ") != tc.matches {
			t.Errorf("CompleteDir(%q) = %q %q, want %q %q", tc.typed, got, m, tc.want, tc.matches)
		}
	}
}

func TestFreeSpaceReal(t *testing.T) {
	n, err := wizard.FreeSpace(t.TempDir())
	if err != nil || n == 0 {
		t.Fatalf("FreeSpace = %d, %v", n, err)
	}
}

func TestSuggestBases(t *testing.T) {
	got := wizard.SuggestBases(nim.Plan{Source: "/export/AIX 7.2!"}, "")
	if strings.Join(got, ",") != "AIX72,osimage" {
		t.Errorf("got %q", got)
	}
}

// Every text is true for the choice in front of the admin.
func TestWordingForTheChoice(t *testing.T) {
	for _, tc := range []struct {
		name        string
		text        string
		want, never []string
	}{
		{"dump, diskless", wizard.DumpExplain(nim.Plan{Type: nim.Diskless}),
			[]string{"a diskless node writes", "stops, because the osimage already exists"}, []string{"add one later", "again with -D."}},
		{"dump, dataless", wizard.DumpExplain(nim.Plan{Type: nim.Dataless}),
			[]string{"Dataless nodes have a local disk", "stops, because the osimage already exists"}, []string{"diskless", "add one later"}},
		{"lpp_source left unavailable", wizard.LppRefusal(nim.Object{Name: "k2_lpp_source", Attrs: []nim.Attr{{Key: "Rstate", Value: "unavailable for use"}}}),
			[]string{`"unavailable for use"`, "remove it as that run's ending says", "not check it"}, nil},
		{"directory without .toc", wizard.NoTOC(wizard.DirReport{Dir: "/export/notoc", Layout: wizard.LayoutNoTOC, Images: 3, ImgDir: "."}),
			[]string{"mknimimage runs inutoc on the copy", "/export/notoc itself is left unchanged"}, []string{"before creating"}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.text, w) {
				t.Errorf("%s: %q lacks %q", tc.name, tc.text, w)
			}
		}
		for _, n := range tc.never {
			if strings.Contains(tc.text, n) {
				t.Errorf("%s: %q says %q", tc.name, tc.text, n)
			}
		}
	}
}

// The AIX level of each kind of source, from the files and attributes real
// masters have (the .toc's zero-padded levels, the media's OSLEVEL in both
// readings, NIM's attributes in both readings).
func TestLevels(t *testing.T) {
	toc := "0 1705400000 2\nbos.7.2.5.0.I 4 R I bos {\nbos.rte 07.02.0005.0000 1 N U en_US Base Operating System Runtime\n[\n%\n%\n]\n}\n" +
		"bos.7.2.5.1.U 4 R S bos {\nbos.rte 07.02.0005.0001 1 N U en_US Base Operating System Runtime\n[\n%\n]\n}\n"
	root := nimtest.HostRoot(t, map[string]string{
		"media/OSLEVEL":                        "OSLEVEL=7.3.2.0\n",
		"media/installp/ppc/.toc":              toc,
		"bare/OSLEVEL":                         "7.1.5.0\n",
		"lpp/7205/installp/ppc/.toc":           toc,
		"lpp/7205/installp/ppc/bos.7.2.5.0.I":  "",
		"names/bos.7.3.1.0.I":                  "",
		"names/bos.rte.7.3.1.2.U":              "",
		"nolevel/.toc":                         "0 1705400000 2\n",
		"nolevel/openssh.base.9.7.3013.1000.I": "",
	})
	obj := func(kv ...string) nim.Object {
		o := nim.Object{Name: "x"}
		for i := 0; i+1 < len(kv); i += 2 {
			o.Attrs = append(o.Attrs, nim.Attr{Key: kv[i], Value: kv[i+1]})
		}
		return o
	}
	for _, tc := range []struct {
		name string
		got  wizard.Level
		tl   string
		from string
	}{
		{"media OSLEVEL=", wizard.DirLevel(root, "/media"), "7300-02", "OSLEVEL"},
		{"bare OSLEVEL", wizard.DirLevel(root, "/bare"), "7100-05", "OSLEVEL"},
		{"drive mounted as a directory (demo)", wizard.MediaLevel(root, "/media"), "7300-02", "OSLEVEL"},
		{"drive a device", wizard.MediaLevel(root, "/dev/cd0"), "", ""},
		{".toc, highest bos.rte", wizard.DirLevel(root, "/lpp/7205"), "7200-05", ".toc (bos.rte)"},
		{"image names", wizard.DirLevel(root, "/names"), "7300-01", "image bos.rte.7.3.1.2.U"},
		{"nothing to read", wizard.DirLevel(root, "/nolevel"), "", ""},
		{"lsnim oslevel_r", wizard.LppLevel(root, obj("oslevel_r", "7200-05", "location", "/nowhere")), "7200-05", "lsnim oslevel_r"},
		{"lsnim version/release/mod", wizard.LppLevel(root, obj("version", "7", "release", "3", "mod", "2")), "7300-02", "lsnim version/release/mod"},
		{"lpp_source .toc at its location", wizard.LppLevel(root, obj("location", "/lpp/7205", "simages", "yes")), "7200-05", ".toc (bos.rte)"},
		{"lpp_source without location", wizard.LppLevel(root, obj("Rstate", "ready for use")), "", ""},
	} {
		if tc.got.TL != tc.tl || tc.got.From != tc.from {
			t.Errorf("%s: %+v, want %q from %q", tc.name, tc.got, tc.tl, tc.from)
		}
	}
	if l := wizard.DirLevel(root, "/lpp/7205"); l.VRMF != "7.2.5.1" {
		t.Errorf("VRMF %q, want the highest bos.rte 7.2.5.1", l.VRMF)
	}
	lpps := []nim.Object{
		obj("Rstate", "ready for use", "simages", "no", "oslevel_r", "7200-05"),
		obj("Rstate", "unavailable for use", "simages", "yes", "oslevel_r", "7200-05"),
		obj("Rstate", "ready for use", "simages", "yes", "oslevel_r", "7200-05"),
	}
	want := wizard.Level{TL: "7200-05"}
	if i := wizard.SameLevelLpp(lpps, wizard.LppLevels(root, lpps), want); i != 2 {
		t.Errorf("SameLevelLpp = %d, want 2 (the only usable one)", i)
	}
	if i := wizard.SameLevelLpp(lpps, wizard.LppLevels(root, lpps), wizard.Level{}); i != -1 {
		t.Errorf("an unknown level matched %d", i)
	}
}
