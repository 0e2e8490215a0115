package nim

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// problemsAt flattens problems to "field: message" for the tables below.
func problemsAt(probs []Problem) []string {
	var out []string
	for _, p := range probs {
		out = append(out, p.Error())
	}
	return out
}

// checkProblems asserts that probs are exactly one per want, in order, each
// "field: ..." containing the want's text after the field.
func checkProblems(t *testing.T, probs []Problem, want []string) {
	t.Helper()
	if len(probs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(probs), len(want), strings.Join(problemsAt(probs), "\n"))
	}
	for i, w := range want {
		field, says, _ := strings.Cut(w, ": ")
		if probs[i].Field != field || !strings.Contains(probs[i].Message, says) {
			t.Errorf("problem %d = %q, want field %q saying %q", i, probs[i].Error(), field, says)
		}
	}
}

func TestValidateUpdate(t *testing.T) {
	up := func(name string, extra ...string) Plan {
		p := Plan{Kind: KindUpdate, Name: name, Extra: map[string]string{}}
		for i := 0; i+1 < len(extra); i += 2 {
			p.Extra[extra[i]] = extra[i+1]
		}
		return p
	}
	with := func(p Plan, f func(*Plan)) Plan { f(&p); return p }
	tests := []struct {
		name string
		plan Plan
		want []string // "field: text" per problem, in order; none means valid
	}{
		{"from the definition", up("71dskls"), nil},
		{"definition with flags", up("71dskls", "installp_flags", "-agQXY", "rpm_flags", "-Uvh --nodeps"), nil},
		{"ad hoc bundles", up("71dskls", "installp_bundle", "b1,b2"), nil},
		{"ad hoc otherpkgs", up("71dskls", "otherpkgs", "I:openssh.base,R:rpm1-2.0-1.aix6.1.ppc.rpm,E:IZ38930TL0.120304.epkg.Z"), nil},
		{"ad hoc synclists", up("71dskls", "synclists", "/install/sync/71.lst"), nil},
		{"explicit plan", with(up("a", "otherpkgs", "I:x"), func(p *Plan) { p.UpdateFrom = FromPlan }), nil},
		{"explicit definition", with(up("a", "emgr_flags", "-X"), func(p *Plan) { p.UpdateFrom = FromDefinition }), nil},
		{"no name", up(""), []string{"name: is required: the osimage whose SPOT to update"}},
		{"zero", up("0"), []string{"name: Perl takes it as false"}},
		{"reserved", up("master"), []string{"name: not an osimage"}},
		{"bad name", up("a;b"), []string{`name: contains ";"`}},
		{"long existing name is fine up to 39", up(strings.Repeat("a", 39)), nil},
		{"quiet", with(up("a"), func(p *Plan) { p.Quiet = true }), []string{"verbose: only the lines -V adds"}},
		{"create fields", with(up("a"), func(p *Plan) {
			p.Type, p.Source, p.Stateless, p.Dump, p.Location, p.From, p.CopyLppSource = Dataless, "/dev/cd0", true, true, "/x", "b", true
		}), []string{"type: remove type", "source: remove source", "stateless: remove stateless", "dump: remove dump",
			"location: remove location", "from: copy it first", "copy_lpp_source: remove it"}},
		{"definition but software given", with(up("a", "otherpkgs", "I:x"), func(p *Plan) { p.UpdateFrom = FromDefinition }),
			[]string{`options.otherpkgs: would replace it`}},
		{"plan but nothing given", with(up("a", "installp_flags", "-agX"), func(p *Plan) { p.UpdateFrom = FromPlan }),
			[]string{"update_from: names none"}},
		{"unknown update_from", with(up("a"), func(p *Plan) { p.UpdateFrom = "cmdline" }), []string{`update_from: "cmdline" is not where`}},
		{"nfs_vers", up("a", "nfs_vers", "4"), []string{"options.nfs_vers: updates no software"}},
		{"create-only resource", up("a", "resolv_conf", "rc"), []string{"resources.resolv_conf: mknimimage -u does not take resolv_conf"}},
		{"create-only option", up("a", "dumpsize", "50"), []string{"options.dumpsize: mknimimage -u does not take dumpsize"}},
		{"unknown", up("a", "frobs", "x"), []string{`resources.frobs: "frobs" is not an attribute`}},
		{"bad otherpkgs", up("a", "otherpkgs", "X:foo"), []string{`options.otherpkgs: has the prefix "X:"`}},
		{"bad flags", up("a", "installp_flags", "-a;reboot"), []string{`options.installp_flags: contains ";"`}},
		{"relative synclists", up("a", "synclists", "sync.lst"), []string{"options.synclists: not an absolute path"}},
		{"empty bundle", up("a", "installp_bundle", ""), []string{"resources.installp_bundle: is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkProblems(t, tt.plan.Validate(), tt.want) })
	}
}

func TestValidateCopy(t *testing.T) {
	cp := func(name, from string) Plan { return Plan{Kind: KindCopy, Name: name, From: from} }
	with := func(p Plan, f func(*Plan)) Plan { f(&p); return p }
	tests := []struct {
		name string
		plan Plan
		want []string
	}{
		{"plain", cp("71dskls_u1", "71dskls"), nil},
		{"dataless with -p and -l", with(cp("d2", "d1"), func(p *Plan) { p.Type, p.CopyLppSource, p.Location = Dataless, true, "/export/nim" }), nil},
		{"quiet copy is fine", with(cp("n", "o"), func(p *Plan) { p.Quiet = true }), nil},
		{"no from", cp("n", ""), []string{"from: is required: the osimage to copy"}},
		{"same name", cp("n", "n"), []string{"from: give the copy another name"}},
		{"from zero", cp("n", "0"), []string{"from: takes -i 0 as no -i"}},
		{"from bad", cp("n", "a b"), []string{`from: contains " "`}},
		{"no name", cp("", "o"), []string{"name: is required"}},
		{"name too long for the shared_root", cp(strings.Repeat("n", 28), "o"), []string{"name: at most 27 characters"}},
		{"name too long for -p's lpp_source", with(cp(strings.Repeat("n", 27), "o"), func(p *Plan) { p.CopyLppSource = true }), nil},
		{"standalone", with(cp("n", "o"), func(p *Plan) { p.Type = "standalone" }), []string{"type: copies only diskless and dataless"}},
		{"create fields", with(cp("n", "o"), func(p *Plan) { p.Source, p.Stateless, p.Dump, p.UpdateFrom = "/dev/cd0", true, true, FromPlan }),
			[]string{"source: shares the lpp_source of o", "stateless: gets a shared_root when o has one", "dump: shares the dump of o", "update_from: remove it"}},
		{"relative location", with(cp("n", "o"), func(p *Plan) { p.Location = "nim" }), []string{"location: is not absolute"}},
		{"extras", with(cp("n", "o"), func(p *Plan) { p.Extra = map[string]string{"otherpkgs": "I:x"} }),
			[]string{`options.otherpkgs: update it afterwards (kind = "update", name = "n")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkProblems(t, tt.plan.Validate(), tt.want) })
	}
}

func TestValidateKinds(t *testing.T) {
	checkProblems(t, Plan{Kind: "remove", Name: "a"}.Validate(), []string{`kind: "remove" is not a kind of plan`})
	// A create plan refuses the fields of the other kinds.
	p := good()
	p.From, p.CopyLppSource, p.UpdateFrom = "o", true, FromDefinition
	checkProblems(t, p.Validate(), []string{`from: write kind = "copy"`, "copy_lpp_source: remove it", "update_from: remove it"})
	// "create" written out is the default.
	p = good()
	p.Kind = KindCreate
	checkProblems(t, p.Validate(), nil)
}

func TestArgsPerKind(t *testing.T) {
	tests := []struct {
		plan Plan
		want string
	}{
		{Plan{Kind: KindUpdate, Name: "71dskls"}, "mknimimage -V -u 71dskls"},
		{Plan{Kind: KindUpdate, Name: "71dskls", Extra: map[string]string{"otherpkgs": "I:openssh.base,R:rpm1", "installp_bundle": "b1"}},
			"mknimimage -V -u 71dskls installp_bundle=b1 otherpkgs=I:openssh.base,R:rpm1"},
		{Plan{Kind: KindUpdate, Name: "71dskls", Extra: map[string]string{"rpm_flags": "-Uvh --nodeps"}},
			"mknimimage -V -u 71dskls 'rpm_flags=-Uvh --nodeps'"},
		{Plan{Kind: KindCopy, Name: "71dskls_u1", From: "71dskls"}, "mknimimage -V -t diskless -i 71dskls 71dskls_u1"},
		{Plan{Kind: KindCopy, Name: "d2", From: "d1", Type: Dataless, CopyLppSource: true, Location: "/export/nim", Quiet: true},
			"mknimimage -t dataless -l /export/nim -i d1 -p d2"},
		{Plan{Kind: KindCopy, Name: "n", From: "o", Location: DefaultLocation}, "mknimimage -V -t diskless -i o n"},
	}
	for _, tt := range tests {
		if got := tt.plan.CommandLine(); got != tt.want {
			t.Errorf("%+v:\n got %s\nwant %s", tt.plan, got, tt.want)
		}
		if probs := tt.plan.Validate(); len(probs) > 0 {
			t.Errorf("%+v: %v", tt.plan, probs)
		}
	}
}

func TestResourcesPerKind(t *testing.T) {
	up := Plan{Kind: KindUpdate, Name: "71dskls", Extra: map[string]string{"installp_bundle": "b1,b2", "otherpkgs": "I:x"}}
	want := []PlannedResource{
		{Attr: "spot", Type: "spot", Name: "71dskls", Reused: true, Changed: true},
		{Attr: "installp_bundle", Type: "installp_bundle", Name: "b1", Reused: true},
		{Attr: "installp_bundle", Type: "installp_bundle", Name: "b2", Reused: true},
	}
	if got := up.Resources(); !reflect.DeepEqual(got, want) {
		t.Errorf("update:\n got %+v\nwant %+v", got, want)
	}

	cp := Plan{Kind: KindCopy, Name: "new", From: "old"}
	want = []PlannedResource{
		{Attr: "spot", Type: "spot", Name: "new", Location: "/install/nim/spot/new/usr"},
		{Attr: "shared_root", Type: "shared_root", Name: "new_shared_root", Location: "/install/nim/shared_root/new_shared_root", Either: true},
		{Attr: "root", Type: "root", Name: "new_root", Location: "/install/nim/root/new_root", Either: true},
	}
	if got := cp.Resources(); !reflect.DeepEqual(got, want) {
		t.Errorf("copy of an unknown image:\n got %+v\nwant %+v", got, want)
	}

	old := Osimage{Name: "old", Attrs: map[string]string{"imagetype": "NIM", "nimtype": "diskless", "lpp_source": "old_lpp",
		"spot": "old", "shared_root": "old_shared_root", "paging": "old_paging", "installp_bundle": "b1,b2", "otherpkgs": "I:x"}}
	want = []PlannedResource{
		{Attr: "lpp_source", Type: "lpp_source", Name: "old_lpp", Reused: true},
		{Attr: "spot", Type: "spot", Name: "new", Location: "/install/nim/spot/new/usr"},
		{Attr: "shared_root", Type: "shared_root", Name: "new_shared_root", Location: "/install/nim/shared_root/new_shared_root"},
		{Attr: "installp_bundle", Type: "installp_bundle", Name: "b1", Reused: true},
		{Attr: "installp_bundle", Type: "installp_bundle", Name: "b2", Reused: true},
		{Attr: "paging", Type: "paging", Name: "old_paging", Reused: true},
	}
	if got := cp.ResourcesFrom(&old); !reflect.DeepEqual(got, want) {
		t.Errorf("copy of a stateless image:\n got %+v\nwant %+v", got, want)
	}

	cp.CopyLppSource, cp.Location = true, "/export/nim"
	stateful := Osimage{Name: "old", Attrs: map[string]string{"lpp_source": "old_lpp", "spot": "old", "root": "old_root", "paging": "old_paging"}}
	want = []PlannedResource{
		{Attr: "lpp_source", Type: "lpp_source", Name: "new_lpp_source", Location: "/export/nim/lpp_source/new_lpp_source"},
		{Attr: "spot", Type: "spot", Name: "new", Location: "/export/nim/spot/new/usr"},
		{Attr: "root", Type: "root", Name: "new_root", Location: "/export/nim/root/new_root"},
		{Attr: "paging", Type: "paging", Name: "old_paging", Reused: true},
	}
	if got := cp.ResourcesFrom(&stateful); !reflect.DeepEqual(got, want) {
		t.Errorf("copy of a stateful image with -p:\n got %+v\nwant %+v", got, want)
	}
	// Every attribute of the old image is carried into the copy's definition.
	d := cp.CopyDefinition(old)
	for k, v := range map[string]string{"lpp_source": "new_lpp_source", "spot": "new", "shared_root": "new_shared_root",
		"paging": "old_paging", "installp_bundle": "b1,b2", "otherpkgs": "I:x", "nimtype": "diskless"} {
		if d.Attrs[k] != v {
			t.Errorf("copy definition %s=%q, want %q", k, d.Attrs[k], v)
		}
	}
}

func TestPlanFilesOfEveryKind(t *testing.T) {
	tests := []struct {
		file string
		want Plan
		cmd  string
	}{
		{"update-definition.toml", Plan{Kind: KindUpdate, Name: "71dskls", UpdateFrom: FromDefinition, Extra: map[string]string{"installp_flags": "-agQXY"}},
			"mknimimage -V -u 71dskls installp_flags=-agQXY"},
		{"update-adhoc.toml", Plan{Kind: KindUpdate, Name: "71dskls_u1", UpdateFrom: FromPlan,
			Extra: map[string]string{"installp_bundle": "b1", "otherpkgs": "I:openssh.base,R:rpm1-2.0-1.aix6.1.ppc.rpm"}},
			"mknimimage -V -u 71dskls_u1 installp_bundle=b1 otherpkgs=I:openssh.base,R:rpm1-2.0-1.aix6.1.ppc.rpm"},
		{"copy.toml", Plan{Kind: KindCopy, Name: "71dskls_u1", From: "71dskls", Type: Diskless, CopyLppSource: true, Extra: map[string]string{}},
			"mknimimage -V -t diskless -i 71dskls -p 71dskls_u1"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := LoadPlan(filepath.Join("..", "testdata", "plans", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("loaded\n %+v\nwant %+v", p, tt.want)
			}
			if probs := p.Validate(); len(probs) > 0 {
				t.Errorf("problems: %v", probs)
			}
			if got := p.CommandLine(); got != tt.cmd {
				t.Errorf("command %s, want %s", got, tt.cmd)
			}
			// Saved and loaded again, it is the same plan.
			path := filepath.Join(t.TempDir(), "p.toml")
			if err := SavePlan(path, p); err != nil {
				t.Fatal(err)
			}
			back, err := LoadPlan(path)
			if err != nil || !reflect.DeepEqual(back, p) {
				t.Errorf("round trip: %+v, %v", back, err)
			}
		})
	}
}

func TestRPMWarning(t *testing.T) {
	for v, want := range map[string]bool{"I:a,R:b": true, "x.rpm": true, "I:openssh.base,E:f.epkg.Z": false, "": false} {
		p := Plan{Kind: KindUpdate, Name: "a", Extra: map[string]string{"otherpkgs": v}}
		if got := len(p.Warnings()) > 0; got != want {
			t.Errorf("otherpkgs=%q: warning %v, want %v", v, got, want)
		}
	}
	if !strings.Contains(RPMWarning, "may corrupt the SPOT or even hang your management system") {
		t.Error("the man page's words changed")
	}
}

// Any plan of any kind that validates gives an argv that needs no quoting
// outside option values, and names NIM takes.
func FuzzValidKindIsSafe(f *testing.F) {
	f.Add("update", "71dskls", "", false, "installp_bundle", "b1")
	f.Add("copy", "n", "o", true, "", "")
	f.Add("update", "a", "", false, "otherpkgs", "R:x;y")
	f.Add("copy", "$(x)", "o", false, "", "")
	f.Fuzz(func(t *testing.T, kind, name, from string, cplpp bool, attr, val string) {
		p := Plan{Kind: PlanKind(kind), Name: name, From: from, CopyLppSource: cplpp, Extra: map[string]string{}}
		if attr != "" {
			p.Extra[attr] = val
		}
		if len(p.Validate()) > 0 {
			return
		}
		for i, a := range p.Args() {
			if ShellQuote(a) == a || i == 0 {
				continue
			}
			k, _, _ := strings.Cut(a, "=")
			spec, ok := LookupAttr(k)
			if !ok || spec.Kind != OptionAttr || strings.Trim(a, safeArgBytes+" *") != "" {
				t.Errorf("valid plan %+v has an argument needing quotes: %q", p, a)
			}
		}
		for _, r := range p.Resources() {
			if err := ValidName(r.Name); err != nil {
				t.Errorf("valid plan %+v names a bad resource: %v", p, err)
			}
		}
	})
}
