package nim

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

func names(keep func(AttrSpec) bool) []string {
	n := AttrNames(keep)
	sort.Strings(n)
	return n
}

// The table holds the facts of xCAT 2.9.2 it cites; each list here is
// copied from the source named.
func TestAttrTableFacts(t *testing.T) {
	eq := func(what string, got, want []string) {
		t.Helper()
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", what, got, want)
		}
	}
	// mknimimage.1.pod, "Currently supported attributes".
	eq("mknimimage attributes", names(func(a AttrSpec) bool { return a.Has(UseCreate) }), strings.Fields(
		"bosinst_data dump fb_script home installp_bundle lpp_source mksysb otherpkgs paging resolv_conf root script "+
			"shared_home shared_root spot synclists tmp installp_flags rpm_flags emgr_flags dumpsize max_dumps snapcollect nfs_vers nfs_sec"))
	// The pod's note on comma lists; xCAT splits exactly these.
	eq("lists", names(func(a AttrSpec) bool { return a.List }), []string{"installp_bundle", "otherpkgs", "script"})
	// spot_updates and -u nfs_vers=4.
	eq("-u", names(func(a AttrSpec) bool { return a.Has(UseUpdate) }), strings.Fields(
		"installp_bundle otherpkgs synclists installp_flags rpm_flags emgr_flags nfs_vers"))
	// Schema.pm nimimage columns naming NIM things, and osimage.synclists.
	eq("definition", names(func(a AttrSpec) bool { return a.Has(UseDef) }), strings.Fields(
		"lpp_source spot root dump paging resolv_conf tmp home shared_home script bosinst_data installp_bundle mksysb "+
			"fb_script shared_root otherpkgs image_data configdump synclists"))
	// rmnimres -d.
	eq("rm -R location", names(func(a AttrSpec) bool { return a.Removes == RemovesLocation }), strings.Fields(
		"lpp_source bosinst_data script installp_bundle root shared_root paging"))
	eq("rm -R dirname", names(func(a AttrSpec) bool { return a.Removes == RemovesParent }), []string{"resolv_conf", "spot"})

	for _, a := range Attrs(nil) {
		if a.What == "" {
			t.Errorf("%s: no description", a.Name)
		}
		if a.Wizard && !a.Has(UseCreate) {
			t.Errorf("%s: offered by the wizard but not taken at creation", a.Name)
		}
		if a.Change && !a.Has(UseDef) {
			t.Errorf("%s: offered to chdef but not an osimage attribute", a.Name)
		}
		switch a.Kind {
		case ResourceAttr:
			if a.NIMType == "" || a.check != nil || a.HostFile {
				t.Errorf("%s: a resource needs its NIM type and no check of its own", a.Name)
			}
		case OptionAttr:
			if a.check == nil || a.Example == "" || a.Removes != RemovesNothing || a.NIMType != "" {
				t.Errorf("%s: an option needs a check and an example, and has no NIM type", a.Name)
			}
			if err := a.Check(a.Example); err != nil {
				t.Errorf("%s: its own example is refused: %v", a.Name, err)
			}
		default:
			t.Errorf("%s: no kind", a.Name)
		}
		if got, _ := LookupAttr(a.Name); got.Name != a.Name {
			t.Errorf("LookupAttr(%s) = %+v", a.Name, got)
		}
	}
	if _, ok := LookupAttr("nimtype"); ok {
		t.Error("nimtype is not an attr=val of mknimimage")
	}
}

func TestAttrRemovedDir(t *testing.T) {
	for _, tt := range []struct{ attr, loc, want string }{
		{"spot", "/install/nim/spot/61cosi/usr", "/install/nim/spot/61cosi"},
		{"resolv_conf", "/install/nim/resolv_conf/r/resolv.conf", "/install/nim/resolv_conf/r"},
		{"lpp_source", "/install/nim/lpp_source/l", "/install/nim/lpp_source/l"},
		{"paging", "/install/nim/paging/p", "/install/nim/paging/p"},
		{"dump", "/install/nim/dump/d", ""},
		{"home", "/install/nim/home/h", ""},
		{"spot", "", ""},
	} {
		a, _ := LookupAttr(tt.attr)
		if got := a.RemovedDir(tt.loc); got != tt.want {
			t.Errorf("%s at %q: %q, want %q", tt.attr, tt.loc, got, tt.want)
		}
	}
}

func TestAttrCheck(t *testing.T) {
	for _, tt := range []struct {
		attr, val string
		says      string // "" when valid
	}{
		{"script", "s1,s2", ""},
		{"script", "s1,", "empty item"},
		{"script", ",s1", "empty item"},
		{"home", "h1,h2", `contains ","`},
		{"installp_bundle", "b1, b2", `blanks around "b2"`},
		{"otherpkgs", "openssh.base", ""},                // no prefix: installp, as xCAT takes it
		{"otherpkgs", "curl-7.9.3-2.aix4.3.ppc.rpm", ""}, // no prefix: an RPM by its name
		{"otherpkgs", "IZ38930TL0.120304.epkg.Z", ""},    // no prefix: an interim fix by its name
		{"otherpkgs", "R:openssl*", ""},                  // an RPM pattern
		{"otherpkgs", "E:IZ1.epkg.Z,I:xlC.rte", ""},      // mixed
		{"otherpkgs", "R:", "names no package"},          // prefix only
		{"otherpkgs", "E:foo.rpm", "as an RPM; write R:foo.rpm"},
		{"otherpkgs", "i:foo", `has the prefix "i:"`},
		{"otherpkgs", "R:IZ1.epkg.Z", "write E:IZ1.epkg.Z"},
		{"otherpkgs", "R:a b.rpm", `contains " "`},
		{"synclists", "/a/b", ""},
		{"synclists", "/a/../b", "not a clean path"},
		{"synclists", "/", "is a directory"},
		{"installp_flags", "-acgNQqwXY", ""},
		{"installp_flags", "-V2", ""},
		{"installp_flags", "-", "is not installp flags"},
		{"rpm_flags", "-Uvh", ""},
		{"rpm_flags", " -Uvh ", ""}, // xCAT's own default has blanks around it
		{"rpm_flags", "--nodeps --force", ""},
		{"rpm_flags", "-Uvh\t--force", "tab, newline or form feed"},
		{"emgr_flags", "\f-", "tab, newline or form feed"},      // the fuzzer's find: not a blank to a shell
		{"rpm_flags", "-Uvh\u00a0--force", `contains "\u00a0"`}, // a Unicode space is not a blank either
		{"rpm_flags", "-Uvh >/tmp/x", `the word ">/tmp/x"`},
		{"rpm_flags", "-Uvh|x", `contains "|"`},
		{"rpm_flags", "   ", "is blank"},
		{"emgr_flags", "-X -p", ""},
		{"nfs_vers", "4", ""},
		{"nfs_vers", "4.0", "is not one of 3, 4"},
		{"dumpsize", "050", "is not a whole number"},
		{"dumpsize", "+5", "is not a whole number"},
		{"max_dumps", "99999999999999999999", "is not a whole number"},
		{"snapcollect", "no", ""},
		{"configdump", "full", ""},
		{"configdump", "all", "is not one of selective, full, none"},
		{"resolv_conf", "", "is empty: give the name of an existing NIM resolv_conf resource"},
		{"script", "", "is empty: give the names of existing NIM script resources, separated by commas"},
	} {
		a, ok := LookupAttr(tt.attr)
		if !ok {
			t.Fatalf("no %s", tt.attr)
		}
		err := a.Check(tt.val)
		switch {
		case tt.says == "" && err != nil:
			t.Errorf("%s=%q: %v", tt.attr, tt.val, err)
		case tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)):
			t.Errorf("%s=%q: %v, want it to say %q", tt.attr, tt.val, err, tt.says)
		}
	}
}

func TestAttrField(t *testing.T) {
	for attr, want := range map[string]string{"home": "resources.home", "otherpkgs": "options.otherpkgs", "zzz": "resources.zzz"} {
		if got := AttrField(attr); got != want || !IsAttrField(got) {
			t.Errorf("AttrField(%s) = %s, want %s", attr, got, want)
		}
	}
	if IsAttrField("name") {
		t.Error("name is not an attribute field")
	}
}

// Any value an attribute accepts is safe on xCAT's shell command lines:
// no byte a POSIX shell treats as special, apart from blanks between flag
// words and a trailing '*' in an RPM pattern.
func FuzzAttrCheckIsShellSafe(f *testing.F) {
	for _, a := range Attrs(nil) {
		f.Add(a.Name, a.Example)
	}
	f.Add("otherpkgs", "R:a*,I:b")
	f.Add("rpm_flags", "-Uvh;reboot")
	f.Add("installp_bundle", "a,b")
	f.Fuzz(func(t *testing.T, attr, val string) {
		a, ok := LookupAttr(attr)
		if !ok || a.Check(val) != nil {
			return
		}
		if strings.Trim(val, safeArgBytes+" *") != "" {
			t.Errorf("%s=%q accepted with a shell character", attr, val)
		}
		if strings.Contains(val, " ") && a.Name != "rpm_flags" && a.Name != "emgr_flags" {
			t.Errorf("%s=%q accepted with a blank", attr, val)
		}
		if strings.Contains(val, "*") && a.Name != "otherpkgs" {
			t.Errorf("%s=%q accepted with a '*'", attr, val)
		}
		if a.Kind == ResourceAttr {
			for _, n := range a.Items(val) {
				if ValidName(n) != nil || n == "0" {
					t.Errorf("%s=%q accepted the name %q", attr, val, n)
				}
			}
		}
	})
}
