package nim

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
		says string // part of the message
	}{
		{"aix73", true, ""},
		{"AIX_7300-02-sp1", true, ""},
		{"a", true, ""},
		{strings.Repeat("a", 39), true, ""},
		{strings.Repeat("a", 40), false, "at most 39"},
		{"", false, "empty"},
		{"aix!73", false, "'!'"},
		{"aix7.3", false, "dots"},
		{"-f", false, "option"},
		{"aix 73", false, "position 4"},
		{"$(rm -rf /)", false, "\"$\""},
		{"a;b", false, "\";\""},
		{"a`b`", false, "\"`\""},
		{"a\nb", false, "control character"},
		{"aïx", false, "non-ASCII"},
		{"a/b", false, "\"/\""},
	}
	for _, tt := range tests {
		err := ValidName(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), tt.says) {
			t.Errorf("ValidName(%q) = %q, want it to say %q", tt.name, err, tt.says)
		}
	}
}

func TestSourceKind(t *testing.T) {
	tests := []struct {
		src  string
		want SourceKind
	}{
		{"/dev/cd0", SourceDevice},
		{"/dev/", SourceDevice},
		{"/export/images/7300", SourceDirectory},
		{"/", SourceDirectory},
		{"aix73_lpp_source", SourceLppSource},
		{"7300-02-02-lpp_source", SourceLppSource},
		{"images/7300", SourceUnknown},
		{"", SourceUnknown},
		{"a.b", SourceUnknown},
		{"-x", SourceUnknown},
	}
	for _, tt := range tests {
		if got := (Plan{Source: tt.src}).SourceKind(); got != tt.want {
			t.Errorf("SourceKind(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	p := Plan{Name: "a"}.WithDefaults()
	if p.Type != Diskless || p.Location != DefaultLocation || p.Extra == nil {
		t.Errorf("WithDefaults = %+v", p)
	}
	q := Plan{Type: Dataless, Location: "/x", Extra: map[string]string{"home": "h"}}.WithDefaults()
	if q.Type != Dataless || q.Location != "/x" || q.Extra["home"] != "h" {
		t.Errorf("WithDefaults overwrote: %+v", q)
	}
}

func TestLongestName(t *testing.T) {
	tests := []struct {
		plan Plan
		want int
	}{
		{Plan{Source: "/dev/cd0", Stateless: true}, 39 - len("_shared_root")},
		{Plan{Source: "/dev/cd0"}, 39 - len("_lpp_source")},
		{Plan{Source: "aix73_lpp_source"}, 39 - len("_paging")},
		{Plan{Source: "aix73_lpp_source", Type: Dataless}, 39 - len("_root")},
		{Plan{Source: "aix73_lpp_source", Type: Dataless, Extra: map[string]string{"root": "r"}}, 39},
		{Plan{Source: "lpp", Stateless: true, Extra: map[string]string{"shared_root": "sr"}}, 39 - len("_paging")},
		{Plan{Source: "lpp", Stateless: true, Extra: map[string]string{"shared_root": "sr", "paging": "pg"}}, 39},
	}
	for _, tt := range tests {
		if got := tt.plan.LongestName(); got != tt.want {
			t.Errorf("%+v: LongestName = %d, want %d", tt.plan, got, tt.want)
		}
	}
}

func good() Plan {
	return Plan{Name: "aix73", Source: "/export/images/7300"}
}

func TestValidateGood(t *testing.T) {
	plans := []Plan{
		good(),
		{Name: "aix73", Source: "/dev/cd0", Stateless: true, Dump: true},
		{Name: "aix73", Source: "aix73_base_lpp", Type: Dataless, Location: "/export/nim"},
		{Name: strings.Repeat("a", 27), Source: "/dev/cd0", Stateless: true},
		{Name: "aix73", Source: "/dev/cd0", Extra: map[string]string{
			"resolv_conf": "rc", "home": "h", "shared_home": "sh", "tmp": "t", "script": "s",
			"fb_script": "fb", "installp_bundle": "b1,b2", "bosinst_data": "bd", "root": "myroot", "dump": "mydump",
		}},
		{Name: "aix73", Source: "/dev/cd0", Stateless: true, Extra: map[string]string{"shared_root": "common_sr"}},
		// Every option of the man page, lists where it allows them, and a
		// paging mknimimage takes instead of creating NAME_paging.
		{Name: "aix73", Source: "/dev/cd0", Dump: true, Extra: map[string]string{
			"paging": "big_paging", "script": "s1,s2", "installp_bundle": "b1",
			"otherpkgs": "I:openssh.base,openssh.license,R:curl-7.9.3.rpm,R:bash*,E:IZ38930TL0.120304.epkg.Z,foo.rpm",
			"synclists": "/install/custom/synclist", "installp_flags": "-abgQXY", "rpm_flags": "-Uvh --replacepkgs --define=_x=1",
			"emgr_flags": "-X", "nfs_vers": "4", "nfs_sec": "krb5p", "dumpsize": "50", "max_dumps": "2", "snapcollect": "yes",
		}},
	}
	for _, p := range plans {
		if probs := p.Validate(); len(probs) != 0 {
			t.Errorf("%+v: unexpected problems %v", p, probs)
		}
	}
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Plan)
		want []string // "field: part of message", one per problem, in order
	}{
		{"no name", func(p *Plan) { p.Name = "" }, []string{"name: is required"}},
		{"hostile name", func(p *Plan) { p.Name = "$(rm -rf /)" }, []string{`name: "$(rm -rf /)" contains "$"`}},
		{"bang", func(p *Plan) { p.Name = "aix!" }, []string{"name: \"aix!\" contains '!': NIM allows it"}},
		{"40 chars", func(p *Plan) { p.Name = strings.Repeat("x", 40) }, []string{"name: \"" + strings.Repeat("x", 40) + "\" is 40 characters: mknimimage would name a resource \"" + strings.Repeat("x", 40) + "_lpp_source\" (51 characters), over NIM's limit of 39. This plan allows names of at most 28 characters; shorten it. xCAT does not check this: NIM would refuse it at the first step"}},
		{"40 chars, existing lpp_source", func(p *Plan) { p.Name = strings.Repeat("x", 40); p.Source = "lpp" }, []string{"NIM would refuse the SPOT, which takes the osimage's name"}},
		{"dot and bang", func(p *Plan) { p.Name = "aix.73!" }, []string{`(e.g. "aix_73_")`}},
		{"derived too long", func(p *Plan) { p.Name = strings.Repeat("x", 29); p.Stateless = true },
			[]string{"name: \"" + strings.Repeat("x", 29) + "\" is 29 characters: mknimimage would name a resource \"" + strings.Repeat("x", 29) + "_shared_root\" (41 characters), over NIM's limit of 39. This plan allows names of at most 27 characters; shorten it. xCAT does not check this: NIM would refuse it at the first step"}},
		{"derived too long after SPOT", func(p *Plan) { p.Name = strings.Repeat("x", 28); p.Stateless = true; p.Source = "lpp" },
			[]string{"name: \"" + strings.Repeat("x", 28) + "\" is 28 characters: mknimimage would name a resource \"" + strings.Repeat("x", 28) + "_shared_root\" (40 characters), over NIM's limit of 39. This plan allows names of at most 27 characters; shorten it. xCAT does not check this: NIM would fail half-way, after the SPOT exists"}},
		{"paging too long", func(p *Plan) {
			p.Name = strings.Repeat("x", 33)
			p.Source = "lpp"
			p.Extra = map[string]string{"root": "r"}
		},
			[]string{"_paging\" (40 characters), over NIM's limit of 39. This plan allows names of at most 32 characters; shorten it. xCAT does not check this: NIM would fail half-way, after the SPOT exists"}},
		{"reserved", func(p *Plan) { p.Name = "boot" }, []string{"name: \"boot\" is a NIM object every master has"}},
		{"standalone", func(p *Plan) { p.Type = "standalone" }, []string{"type: standalone images are installed"}},
		{"bad type", func(p *Plan) { p.Type = "diskfull" }, []string{`type: "diskfull" is not an image type`}},
		{"no source", func(p *Plan) { p.Source = "" }, []string{"source: is required"}},
		{"relative", func(p *Plan) { p.Source = "images/7300" }, []string{"source: \"images/7300\" is a relative path: mknimimage would resolve it against the xcatd client's working directory"}},
		{"dot", func(p *Plan) { p.Source = "." }, []string{"source: \".\" is a relative path"}},
		{"tilde", func(p *Plan) { p.Source = "~/img" }, []string{"source: \"~/img\" is a relative path"}},
		{"unclean", func(p *Plan) { p.Source = "/export/../images/" }, []string{`source: directory "/export/../images/" is not a clean path`}},
		{"double slash", func(p *Plan) { p.Source = "/export//images" }, []string{`write "/export/images"`}},
		{"trailing slash", func(p *Plan) { p.Source = "/export/images/" }, []string{`write "/export/images"`}},
		{"metachar", func(p *Plan) { p.Source = "/export/$(reboot)" }, []string{`source: directory "/export/$(reboot)" contains "$" at position 9: xCAT passes paths to NIM through a shell`}},
		{"semicolon", func(p *Plan) { p.Source = "/x;reboot" }, []string{`contains ";"`}},
		{"quote", func(p *Plan) { p.Source = "/x'y" }, []string{`contains "'"`}},
		{"space", func(p *Plan) { p.Source = "/my images" }, []string{"contains a space"}},
		{"newline", func(p *Plan) { p.Source = "/x\nreboot" }, []string{"control character"}},
		{"root dir", func(p *Plan) { p.Source = "/" }, []string{"source: \"/\" is the root file system"}},
		{"dev only", func(p *Plan) { p.Source = "/dev/" }, []string{"source: device \"/dev/\" is not a clean path"}},
		{"dev nested", func(p *Plan) { p.Source = "/dev/a/b" }, []string{"is not a device"}},
		{"cd0", func(p *Plan) { p.Source = "cd0" }, []string{"source: \"cd0\" looks like a CD device"}},
		{"bad lpp name", func(p *Plan) { p.Source = "lpp.7300" }, []string{"source: \"lpp.7300\" is neither"}},
		{"relative location", func(p *Plan) { p.Location = "nim" }, []string{"location: \"nim\" is not absolute"}},
		{"location metachar", func(p *Plan) { p.Location = "/install/nim|x" }, []string{`location: "/install/nim|x" contains "|"`}},
		{"location root", func(p *Plan) { p.Location = "/" }, []string{"location: \"/\" would put"}},
		{"location unclean", func(p *Plan) { p.Location = "/install/nim/" }, []string{"location: \"/install/nim/\" is not a clean path"}},
		{"stateless dataless", func(p *Plan) { p.Type = Dataless; p.Stateless = true },
			[]string{"stateless: The '-r' option is only valid for diskless images."}},
		{"dataless paging", func(p *Plan) { p.Type = Dataless; p.Extra = map[string]string{"paging": "p"} },
			[]string{"resources.paging: dataless clients page on their local disk"}},
		{"spot extra", func(p *Plan) { p.Extra = map[string]string{"spot": "s"} }, []string{"resources.spot: mknimimage would use that SPOT, but its SPOT update step always looks for a SPOT named aix73"}},
		{"lpp extra", func(p *Plan) { p.Extra = map[string]string{"lpp_source": "l"} }, []string{"resources.lpp_source: the lpp_source comes from source"}},
		{"root in stateless", func(p *Plan) { p.Stateless = true; p.Extra = map[string]string{"root": "r"} },
			[]string{"resources.root: a stateless plan uses a shared_root"}},
		{"shared_root in stateful", func(p *Plan) { p.Extra = map[string]string{"shared_root": "r"} },
			[]string{"resources.shared_root: a shared_root is only used by stateless images"}},
		{"dump twice", func(p *Plan) { p.Dump = true; p.Extra = map[string]string{"dump": "d"} },
			[]string{"resources.dump: dump = true makes mknimimage create aix73_dump"}},
		{"mksysb", func(p *Plan) { p.Extra = map[string]string{"mksysb": "m"} }, []string{"resources.mksysb: a mksysb resource only installs standalone"}},
		{"unknown attr", func(p *Plan) { p.Extra = map[string]string{"homes": "h"} },
			[]string{`resources.homes: "homes" is not an attribute mknimimage takes; use one of bosinst_data, dump, dumpsize, emgr_flags, fb_script, home, installp_bundle, installp_flags, max_dumps, nfs_sec, nfs_vers, otherpkgs, paging, resolv_conf, root, rpm_flags, script, shared_home, shared_root, snapcollect, synclists, tmp`}},
		{"definition only, bad value", func(p *Plan) { p.Extra = map[string]string{"configdump": "most"} },
			[]string{"options.configdump:"}},
		{"image_data", func(p *Plan) { p.Extra = map[string]string{"image_data": "id"} }, []string{"resources.image_data: mknimimage does not take image_data"}},
		{"name 0", func(p *Plan) { p.Name = "0" }, []string{`name: "0" cannot be an osimage name: mknimimage reads its operands in a loop that stops at "0"`}},
		{"lpp_source 0", func(p *Plan) { p.Source = "0" }, []string{`source: an lpp_source named "0" cannot be used`}},
		{"resource 0", func(p *Plan) { p.Extra = map[string]string{"home": "0"} }, []string{`resources.home: resource name "0": xCAT's Perl code takes "0" as no value`}},
		{"otherpkgs prefix", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:a.b,X:c"} },
			[]string{`options.otherpkgs: item 2: "X:c" has the prefix "X:": xCAT knows I: (installp), R: (RPM) and E: (interim fix) and would install "c" as an installp fileset`}},
		{"otherpkgs two colons", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "R:a:b.rpm"} }, []string{`options.otherpkgs: "R:a:b.rpm" has more than one ':'`}},
		{"otherpkgs contradiction", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:foo-1.0.rpm"} },
			[]string{`options.otherpkgs: "I:foo-1.0.rpm" says I: but xCAT installs a name with ".rpm" in it as an RPM; write R:foo-1.0.rpm`}},
		{"otherpkgs epkg as installp", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:IZ1.epkg.Z"} }, []string{`write E:IZ1.epkg.Z`}},
		{"otherpkgs shell", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "R:a$(x).rpm"} }, []string{`options.otherpkgs: "R:a$(x).rpm" contains "$"`}},
		{"otherpkgs star not rpm", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:bos*"} }, []string{`contains "*"`}},
		{"otherpkgs empty item", func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:a,,R:b.rpm"} }, []string{`has an empty item`}},
		{"list blanks", func(p *Plan) { p.Extra = map[string]string{"script": "a, b"} },
			[]string{`resources.script: "a, b" has blanks around "b": xCAT splits the list on ',' alone and would look for " b"; write the items with commas only, like a,b`}},
		{"installp_flags blank", func(p *Plan) { p.Extra = map[string]string{"installp_flags": "-agX -Y"} }, []string{`options.installp_flags: "-agX -Y" has a blank`}},
		{"installp_flags shell", func(p *Plan) { p.Extra = map[string]string{"installp_flags": "-a;reboot"} }, []string{`options.installp_flags: "-a;reboot" contains ";"`}},
		{"installp_flags no dash", func(p *Plan) { p.Extra = map[string]string{"installp_flags": "agX"} }, []string{`is not installp flags`}},
		{"rpm_flags word", func(p *Plan) { p.Extra = map[string]string{"rpm_flags": "-Uvh foo"} }, []string{`options.rpm_flags: "-Uvh foo" has the word "foo", which is not a flag`}},
		{"rpm_flags shell", func(p *Plan) { p.Extra = map[string]string{"rpm_flags": "-Uvh `id`"} }, []string{"has the word \"`id`\""}},
		{"emgr_flags quote", func(p *Plan) { p.Extra = map[string]string{"emgr_flags": `-X"`} }, []string{`options.emgr_flags: "-X\"" contains "\""`}},
		{"nfs_vers", func(p *Plan) { p.Extra = map[string]string{"nfs_vers": "2"} }, []string{`options.nfs_vers: "2" is not one of 3, 4`}},
		{"nfs_sec", func(p *Plan) { p.Extra = map[string]string{"nfs_sec": "krb4"} }, []string{`options.nfs_sec: "krb4" is not one of sys, krb5, krb5i, krb5p`}},
		{"dumpsize without dump", func(p *Plan) { p.Extra = map[string]string{"dumpsize": "20"} },
			[]string{"options.dumpsize: it configures the dump resource mknimimage creates with -D, and this plan creates none: create one (dump = true), or leave dumpsize out"}},
		{"dumpsize word", func(p *Plan) { p.Dump = true; p.Extra = map[string]string{"dumpsize": "20GB"} }, []string{`options.dumpsize: "20GB" is not a whole number`}},
		{"max_dumps zero", func(p *Plan) { p.Dump = true; p.Extra = map[string]string{"max_dumps": "0"} }, []string{`options.max_dumps: "0" is not a whole number`}},
		{"snapcollect", func(p *Plan) { p.Dump = true; p.Extra = map[string]string{"snapcollect": "YES"} }, []string{`options.snapcollect: "YES" is not one of yes, no`}},
		{"synclists relative", func(p *Plan) { p.Extra = map[string]string{"synclists": "sync/list"} }, []string{`options.synclists: "sync/list" is not an absolute path`}},
		{"synclists hostile", func(p *Plan) { p.Extra = map[string]string{"synclists": "/x;y"} }, []string{`options.synclists: "/x;y" contains ";"`}},
		{"empty option", func(p *Plan) { p.Extra = map[string]string{"nfs_vers": ""} }, []string{"options.nfs_vers: is empty: give a value (NFS version of the resources: 3 or 4), like nfs_vers=4, or remove the line"}},
		{"hostile value", func(p *Plan) { p.Extra = map[string]string{"home": "h;reboot"} }, []string{`resources.home: resource name "h;reboot" contains ";"`}},
		{"empty value", func(p *Plan) { p.Extra = map[string]string{"home": ""} }, []string{"resources.home: is empty"}},
		{"bundle list", func(p *Plan) { p.Extra = map[string]string{"installp_bundle": "a,b!"} }, []string{`resources.installp_bundle: item 2: resource name "b!" contains '!'`}},
		{"list where xCAT takes one", func(p *Plan) { p.Extra = map[string]string{"home": "a,b"} }, []string{`resources.home: resource name "a,b" contains ","`}},
		{"everything at once", func(p *Plan) {
			*p = Plan{Name: "a.b", Type: "x", Source: "rel/dir", Location: "loc", Extra: map[string]string{"zzz": "1", "home": "$x"}}
		}, []string{"name:", "type:", "source:", "location:", "resources.home:", "resources.zzz:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			tt.edit(&p)
			probs := p.Validate()
			if len(probs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(probs), len(tt.want), probs)
			}
			for i, w := range tt.want {
				if !strings.Contains(probs[i].Error(), w) {
					t.Errorf("problem %d:\n got %q\nwant it to contain %q", i, probs[i].Error(), w)
				}
			}
		})
	}
}

func TestArgs(t *testing.T) {
	tests := []struct {
		plan Plan
		want []string
		line string
	}{
		{
			good(),
			[]string{"mknimimage", "-V", "-t", "diskless", "-s", "/export/images/7300", "aix73"},
			"mknimimage -V -t diskless -s /export/images/7300 aix73",
		},
		{
			Plan{Name: "61cosi", Source: "/dev/cd0", Stateless: true, Dump: true, Location: "/export/nim",
				Extra: map[string]string{"resolv_conf": "rc1", "home": "home1"}},
			[]string{"mknimimage", "-V", "-t", "diskless", "-r", "-D", "-l", "/export/nim", "-s", "/dev/cd0", "61cosi", "home=home1", "resolv_conf=rc1"},
			"mknimimage -V -t diskless -r -D -l /export/nim -s /dev/cd0 61cosi home=home1 resolv_conf=rc1",
		},
		{
			// verbose = false drops -V
			Plan{Name: "d1", Type: Dataless, Source: "lpp1", Location: DefaultLocation, Quiet: true},
			[]string{"mknimimage", "-t", "dataless", "-s", "lpp1", "d1"},
			"mknimimage -t dataless -s lpp1 d1",
		},
		{
			// an option with blanks stays one argument
			Plan{Name: "o", Source: "/dev/cd0", Extra: map[string]string{"rpm_flags": "-Uvh --force", "otherpkgs": "R:a*"}},
			[]string{"mknimimage", "-V", "-t", "diskless", "-s", "/dev/cd0", "o", "otherpkgs=R:a*", "rpm_flags=-Uvh --force"},
			"mknimimage -V -t diskless -s /dev/cd0 o 'otherpkgs=R:a*' 'rpm_flags=-Uvh --force'",
		},
		{
			// invalid plans still display safely
			Plan{Name: "$(rm -rf /)", Source: "/it's here"},
			[]string{"mknimimage", "-V", "-t", "diskless", "-s", "/it's here", "$(rm -rf /)"},
			`mknimimage -V -t diskless -s '/it'\''s here' '$(rm -rf /)'`,
		},
	}
	for _, tt := range tests {
		if got := tt.plan.Args(); !slices.Equal(got, tt.want) {
			t.Errorf("Args = %q, want %q", got, tt.want)
		}
		if got := tt.plan.CommandLine(); got != tt.line {
			t.Errorf("CommandLine = %s, want %s", got, tt.line)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := map[string]string{
		"":             "''",
		"abc":          "abc",
		"a=b,c:d@e%f+": "a=b,c:d@e%f+",
		"a b":          "'a b'",
		"it's":         `'it'\''s'`,
		"$HOME":        "'$HOME'",
		"*":            "'*'",
		"~":            "'~'",
		"a\nb":         "'a\nb'",
	}
	for in, want := range tests {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestResources(t *testing.T) {
	tests := []struct {
		name string
		plan Plan
		want []PlannedResource
	}{
		{"stateful from dir", good(), []PlannedResource{
			{"lpp_source", "lpp_source", "aix73_lpp_source", "/install/nim/lpp_source/aix73_lpp_source", false, false, false},
			{"spot", "spot", "aix73", "/install/nim/spot/aix73/usr", false, false, false},
			{"root", "root", "aix73_root", "/install/nim/root/aix73_root", false, false, false},
			{"paging", "paging", "aix73_paging", "/install/nim/paging/aix73_paging", false, false, false},
		}},
		{"stateless, dump, lpp_source reused", Plan{Name: "s1", Source: "base_lpp", Stateless: true, Dump: true}, []PlannedResource{
			{"lpp_source", "lpp_source", "base_lpp", "", true, false, false},
			{"spot", "spot", "s1", "/install/nim/spot/s1/usr", false, false, false},
			{"shared_root", "shared_root", "s1_shared_root", "/install/nim/shared_root/s1_shared_root", false, false, false},
			{"dump", "dump", "s1_dump", "/install/nim/dump/s1_dump", false, false, false},
			{"paging", "paging", "s1_paging", "/install/nim/paging/s1_paging", false, false, false},
		}},
		{"dump with -l is the base dir", Plan{Name: "s1", Source: "/dev/cd0", Dump: true, Type: Dataless, Location: "/export/nim"}, []PlannedResource{
			{"lpp_source", "lpp_source", "s1_lpp_source", "/export/nim/lpp_source/s1_lpp_source", false, false, false},
			{"spot", "spot", "s1", "/export/nim/spot/s1/usr", false, false, false},
			{"root", "root", "s1_root", "/export/nim/root/s1_root", false, false, false},
			{"dump", "dump", "s1_dump", "/export/nim", false, false, false},
		}},
		{"reused shared_root, dump and extras", Plan{Name: "s2", Source: "/dev/cd0", Stateless: true,
			Extra: map[string]string{"shared_root": "common_sr", "dump": "big_dump", "resolv_conf": "rc", "home": "h"}}, []PlannedResource{
			{"lpp_source", "lpp_source", "s2_lpp_source", "/install/nim/lpp_source/s2_lpp_source", false, false, false},
			{"spot", "spot", "s2", "/install/nim/spot/s2/usr", false, false, false},
			{"shared_root", "shared_root", "common_sr", "", true, false, false},
			{"dump", "dump", "big_dump", "", true, false, false},
			{"paging", "paging", "s2_paging", "/install/nim/paging/s2_paging", false, false, false},
			{"home", "home", "h", "", true, false, false},
			{"resolv_conf", "resolv_conf", "rc", "", true, false, false},
		}},
		{"own paging, scripts, options", Plan{Name: "p", Source: "lpp", Extra: map[string]string{
			"paging": "big_paging", "script": "s1,s2", "otherpkgs": "I:a,I:b", "nfs_vers": "4",
		}}, []PlannedResource{
			{"lpp_source", "lpp_source", "lpp", "", true, false, false},
			{"spot", "spot", "p", "/install/nim/spot/p/usr", false, false, false},
			{"root", "root", "p_root", "/install/nim/root/p_root", false, false, false},
			{"paging", "paging", "big_paging", "", true, false, false},
			{"script", "script", "s1", "", true, false, false},
			{"script", "script", "s2", "", true, false, false},
		}},
		{"bundles", Plan{Name: "d", Type: Dataless, Source: "lpp", Extra: map[string]string{"installp_bundle": "b1,b2"}}, []PlannedResource{
			{"lpp_source", "lpp_source", "lpp", "", true, false, false},
			{"spot", "spot", "d", "/install/nim/spot/d/usr", false, false, false},
			{"root", "root", "d_root", "/install/nim/root/d_root", false, false, false},
			{"installp_bundle", "installp_bundle", "b1", "", true, false, false},
			{"installp_bundle", "installp_bundle", "b2", "", true, false, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plan.Resources(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Resources:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDefinition(t *testing.T) {
	p := Plan{Name: "61cosi", Source: "/myimages", Stateless: true, Dump: true, Extra: map[string]string{"resolv_conf": "rc", "installp_bundle": "b1,b2"}}
	got := p.Definition()
	want := Osimage{Name: "61cosi", Attrs: map[string]string{
		"imagetype": "NIM", "osname": "AIX", "nimtype": "diskless",
		"lpp_source": "61cosi_lpp_source", "spot": "61cosi", "shared_root": "61cosi_shared_root",
		"dump": "61cosi_dump", "paging": "61cosi_paging", "resolv_conf": "rc", "installp_bundle": "b1,b2",
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Definition:\n got %v\nwant %v", got, want)
	}
	// Options are kept only where xCAT's schema has them.
	o := Plan{Name: "o", Source: "lpp", Dump: true, Extra: map[string]string{"otherpkgs": "I:a,R:b.rpm", "synclists": "/s", "dumpsize": "9", "rpm_flags": "-Uvh"}}.Definition()
	if o.Attrs["otherpkgs"] != "I:a,R:b.rpm" || o.Attrs["synclists"] != "/s" || o.Attrs["dumpsize"] != "" || o.Attrs["rpm_flags"] != "" {
		t.Errorf("options in the definition: %v", o.Attrs)
	}
	d := Plan{Name: "d", Type: Dataless, Source: "lpp"}.Definition()
	if _, ok := d.Attrs["paging"]; ok || d.Attrs["root"] != "d_root" || d.Attrs["lpp_source"] != "lpp" || d.Attrs["nimtype"] != "dataless" {
		t.Errorf("dataless definition %v", d.Attrs)
	}
}

// A definition re-created from an osimage gives back the same definition.
func TestPlanFromOsimage(t *testing.T) {
	tests := []struct {
		name string
		o    Osimage
		want Plan
	}{
		{"stateless with dump", Osimage{Name: "61cosi", Attrs: map[string]string{
			"imagetype": "NIM", "osname": "AIX", "nimtype": "diskless", "lpp_source": "61cosi_lpp_source", "spot": "61cosi",
			"shared_root": "61cosi_shared_root", "dump": "61cosi_dump", "paging": "61cosi_paging", "resolv_conf": "rc",
			"otherpkgs": "R:foo.rpm", "synclists": "/x", "configdump": "full", "nimmethod": "rte",
		}}, Plan{Name: "61cosi", Type: Diskless, Source: "61cosi_lpp_source", Stateless: true, Dump: true,
			Extra: map[string]string{"resolv_conf": "rc", "otherpkgs": "R:foo.rpm", "synclists": "/x", "configdump": "full"}}},
		{"a paging of its own", Osimage{Name: "p1", Attrs: map[string]string{
			"nimtype": "diskless", "lpp_source": "l", "spot": "p1", "root": "p1_root", "paging": "big_paging", "script": "s1,s2",
		}}, Plan{Name: "p1", Type: Diskless, Source: "l", Extra: map[string]string{"paging": "big_paging", "script": "s1,s2"}}},
		{"stateful dataless reusing others", Osimage{Name: "d1", Attrs: map[string]string{
			"nimtype": "dataless", "lpp_source": "base", "spot": "d1", "root": "common_root", "dump": "big_dump", "home": "h",
		}}, Plan{Name: "d1", Type: Dataless, Source: "base", Extra: map[string]string{"root": "common_root", "dump": "big_dump", "home": "h"}}},
		{"odd type kept for Validate", Osimage{Name: "s", Attrs: map[string]string{"nimtype": "standalone", "lpp_source": "l"}},
			Plan{Name: "s", Type: "standalone", Source: "l", Extra: map[string]string{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlanFromOsimage(tt.o)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("PlanFromOsimage:\n got %+v\nwant %+v", got, tt.want)
			}
			if tt.want.Type == "standalone" {
				return
			}
			// Recreating gives the same definition, minus the osimage
			// attributes mknimimage does not take.
			def := got.Definition().Attrs
			for k, v := range tt.o.Attrs {
				if spec, ok := LookupAttr(k); (ok && !spec.Has(UseCreate)) || k == "nimmethod" {
					continue // not taken by mknimimage (-m is standalone only)
				}
				if def[k] != v {
					t.Errorf("re-created %s=%q, original %q", k, def[k], v)
				}
			}
		})
	}
}

// A plan that validates gives an argv with no byte a shell takes as
// special (blanks only inside option values, '*' only at the end of an RPM
// pattern) and names that all fit NIM's limit.
const safeArgBytes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/.+,:@%="

func FuzzValidPlanIsSafe(f *testing.F) {
	f.Add("aix73", "diskless", "/dev/cd0", false, "", false, "home", "h")
	f.Add("61cosi", "diskless", "/export/images", true, "/export/nim", true, "resolv_conf", "rc")
	f.Add("$(x)", "dataless", "lpp", false, "/a b", false, "installp_bundle", "a,b")
	f.Add("aix73", "diskless", "/dev/cd0", false, "", false, "rpm_flags", "-Uvh --replacepkgs")
	f.Add("aix73", "diskless", "/dev/cd0", false, "", false, "otherpkgs", "R:bash*,I:openssh.base")
	f.Add("aix73", "diskless", "/dev/cd0", false, "", false, "emgr_flags", "-X 'a'")
	f.Fuzz(func(t *testing.T, name, typ, src string, stateless bool, loc string, dump bool, attr, val string) {
		p := Plan{Name: name, Type: NimType(typ), Source: src, Stateless: stateless, Location: loc, Dump: dump,
			Extra: map[string]string{attr: val}}
		probs := p.Validate()
		_ = p.CommandLine()
		if len(probs) > 0 {
			return
		}
		for i, a := range p.Args() {
			if ShellQuote(a) == a {
				continue
			}
			k, _, _ := strings.Cut(a, "=")
			spec, ok := LookupAttr(k)
			if i == 0 || !ok || spec.Kind != OptionAttr || strings.Trim(a, safeArgBytes+" *") != "" {
				t.Errorf("valid plan %+v has an argument needing quotes: %q", p, a)
			}
		}
		for _, r := range p.Resources() {
			for _, n := range strings.Split(r.Name, ",") {
				if err := ValidName(n); err != nil {
					t.Errorf("valid plan %+v makes a bad name: %v", p, err)
				}
			}
		}
		if !maps.Equal(p.Definition().Attrs, p.Definition().Attrs) {
			t.Error("unstable definition")
		}
	})
}
