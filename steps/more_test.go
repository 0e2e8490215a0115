package steps_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/wizard"
)

func TestNodeType(t *testing.T) {
	tests := []struct {
		keys      []string
		typ       nim.NimType
		stateless bool
	}{
		{[]string{"enter"}, nim.Diskless, false},
		{[]string{"down", "enter"}, nim.Diskless, true},
		{[]string{"down", "down", "enter"}, nim.Dataless, false},
		{[]string{"down", "down", "down", "up", "enter"}, nim.Diskless, true},
	}
	for _, tc := range tests {
		s := steps.NewNodeType(common(), testEnv(t, nimtest.World()))
		h := newHarness(t, s, nim.Plan{})
		h.keys(tc.keys...)
		p := s.Apply(nim.Plan{})
		if !h.took() || p.Type != tc.typ || p.Stateless != tc.stateless {
			t.Errorf("%v: %+v", tc.keys, p)
		}
	}
	// Prefill from a dataless plan.
	s := steps.NewNodeType(common(), testEnv(t, nimtest.World()))
	h := newHarness(t, s, nim.Plan{Type: nim.Dataless})
	h.keys("enter")
	if s.Apply(nim.Plan{}).Type != nim.Dataless {
		t.Error("dataless not prefilled")
	}
}

func TestLocation(t *testing.T) {
	tests := []struct {
		name   string
		plan   nim.Plan
		free   uint64
		typed  string // replaces the default when set
		keys   []string
		took   bool
		loc    string
		warn   string
		golden bool
	}{
		{name: "default with room", plan: nim.Plan{Source: "/dev/cd0"}, free: 40 << 30, took: true, loc: "/install/nim", golden: true},
		{name: "short is a warning", plan: nim.Plan{Source: "/dev/cd0"}, free: 1 << 30, took: true, loc: "/install/nim", warn: "only 1.0 GB free on the filesystem holding /install", golden: true},
		{name: "lpp_source needs only the SPOT", plan: nim.Plan{Source: "7200-05-lpp_source"}, free: 1 << 30, took: true, loc: "/install/nim"},
		{name: "relative refused", free: 40 << 30, typed: "install/nim", loc: "install/nim", golden: true},
		{name: "spaces refused", free: 40 << 30, typed: "/install/my nim", loc: "/install/my nim"},
		{name: "ctrl+d restores default", free: 40 << 30, typed: "/x", keys: []string{"ctrl+d"}, took: true, loc: "/install/nim"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := testEnv(t, nimtest.World())
			var asked string
			env.FreeSpace = func(p string) (uint64, error) { asked = p; return tc.free, nil }
			s := steps.NewLocation(common(), env)
			h := newHarness(t, s, tc.plan)
			if tc.typed != "" {
				h.keys("ctrl+u")
				h.typ(tc.typed)
			}
			h.keys(tc.keys...)
			h.keys("enter")
			if got := h.took(); got != tc.took {
				t.Fatalf("took %v, want %v\n%s", got, tc.took, s.View())
			}
			if got := s.Apply(nim.Plan{}).Location; tc.took && got != tc.loc {
				t.Errorf("location %q, want %q", got, tc.loc)
			}
			w := strings.Join(s.Warnings(), "\n")
			if (tc.warn == "") != (w == "") || !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
			if tc.took && asked != filepath.Join(env.Root, "install") {
				t.Errorf("statfs on %q, want the nearest existing directory under the root", asked)
			}
			if tc.took && !strings.Contains(strings.Join(strings.Fields(s.View()), " "), "/install/nim does not exist yet: it will be created by mknimimage (mkdir -p), on the filesystem of /install.") {
				t.Errorf("the view does not say mknimimage creates the location:\n%s", s.View())
			}
			if tc.golden {
				h.golden(t)
			}
		})
	}
}

func TestDump(t *testing.T) {
	tests := []struct {
		name    string
		version nim.Version
		fail    error
		keys    []string
		took    bool
		dump    bool
		want    string
		golden  bool
	}{
		{name: "default no", version: nim.Version{Major: 2, Minor: 16}, keys: []string{"enter"}, took: true},
		{name: "yes", version: nim.Version{Major: 2, Minor: 16}, keys: []string{"down", "enter"}, took: true, dump: true, golden: true},
		{name: "old xcat refuses yes", version: nim.Version{Major: 2, Minor: 4, Patch: 1, Raw: "2.4.1"}, keys: []string{"down", "enter"}, dump: true, want: "need xCAT 2.5 or later", golden: true},
		{name: "version shown as a number", version: nim.Version{Major: 2, Minor: 16, Patch: 5, Raw: "Version 2.16.5 (git commit 0123abc, built Tue Jan 12 08:35:35 EST 2021)"}, keys: []string{"enter"}, took: true, want: "2.16.5:"},
		{name: "old xcat allows no", version: nim.Version{Major: 2, Minor: 4, Patch: 1, Raw: "2.4.1"}, keys: []string{"enter"}, took: true},
		{name: "version unknown warns", fail: errors.New("lsxcatd: command not found"), keys: []string{"down", "enter"}, took: true, dump: true, want: "Press r to try again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := nimtest.World()
			f.Version = tc.version
			if tc.fail != nil {
				f.Fail("XcatVersion", tc.fail)
			}
			s := steps.NewDump(common(), testEnv(t, f))
			h := newHarness(t, s, nim.Plan{})
			h.keys(tc.keys...)
			if got := h.took(); got != tc.took {
				t.Fatalf("took %v, want %v\n%s", got, tc.took, s.View())
			}
			if s.Apply(nim.Plan{}).Dump != tc.dump {
				t.Errorf("dump %v", !tc.dump)
			}
			if !strings.Contains(s.View(), tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, s.View())
			}
			if tc.golden {
				h.golden(t)
			}
		})
	}
}

func TestExtras(t *testing.T) {
	tests := []struct {
		name   string
		plan   nim.Plan
		keys   []string
		typed  string
		after  []string
		took   bool
		extra  map[string]string
		want   string
		warn   string
		golden bool
	}{
		{name: "none", keys: []string{"enter"}, took: true},
		{name: "select two", keys: []string{"space", "down", "down", "down", "space", "enter"}, took: true,
			extra: map[string]string{"resolv_conf": "cluster_resolv", "installp_bundle": "hpc_bundle"}},
		{name: "scripts are a list", keys: []string{"down", "space", "down", "space", "enter"}, took: true,
			extra: map[string]string{"script": "mount_gpfs,setup_ntp"}}, // xCAT splits script on ','
		{name: "option explained, then typed", keys: []string{"tab"}, typed: "otherpkgs", after: []string{"enter"},
			want: "otherpkgs: installp/RPM/epkg packages for the SPOT", golden: true},
		{name: "option typed", keys: []string{"tab"}, typed: "otherpkgs=I:openssh.base", after: []string{"enter", "tab", "enter"}, took: true,
			extra: map[string]string{"otherpkgs": "I:openssh.base"}},
		{name: "option row edited", keys: []string{"down", "down", "down", "down", "down", "space"}, typed: "I:openssh.base", after: []string{"enter", "tab"},
			extra: map[string]string{"otherpkgs": "I:openssh.base"}, want: "[=] otherpkgs       I:openssh.base", golden: true},
		{name: "option refused", keys: []string{"tab"}, typed: "nfs_vers=2", after: []string{"enter"}, want: `nfs_vers: "2" is not one of 3, 4`},
		{name: "typed resource", keys: []string{"tab"}, typed: "bosinst_data=bos_answers", after: []string{"enter", "tab", "enter"}, took: true,
			extra: map[string]string{"bosinst_data": "bos_answers"}},
		{name: "typed unknown refused", keys: []string{"tab"}, typed: "resolv_conf=nosuch", after: []string{"enter"}, want: "Create it with NIM first", golden: true},
		{name: "typed wrong attr refused", keys: []string{"tab"}, typed: "spot=72cosi", after: []string{"enter"}, want: `"spot" is not one of`},
		{name: "prefill drops what NIM lost", plan: nim.Plan{Extra: map[string]string{"installp_bundle": "hpc_bundle,gone_bundle"}}, keys: []string{"enter"}, took: true,
			extra: map[string]string{"installp_bundle": "hpc_bundle"}, warn: "installp_bundle=gone_bundle", golden: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := steps.NewExtras(common(), testEnv(t, nimtest.World()))
			h := newHarness(t, s, tc.plan)
			h.keys(tc.keys...)
			h.typ(tc.typed)
			h.keys(tc.after...)
			if got := h.took(); got != tc.took {
				t.Fatalf("took %v, want %v\n%s", got, tc.took, s.View())
			}
			got := s.Apply(nim.Plan{}).Extra
			if len(got) != len(tc.extra) {
				t.Errorf("extra %v, want %v", got, tc.extra)
			}
			for k, v := range tc.extra {
				if got[k] != v {
					t.Errorf("extra %v, want %v", got, tc.extra)
				}
			}
			if !strings.Contains(s.View(), tc.want) {
				t.Errorf("view lacks %q:\n%s", tc.want, s.View())
			}
			if w := strings.Join(s.Warnings(), "\n"); !strings.Contains(w, tc.warn) {
				t.Errorf("warnings %q, want %q", w, tc.warn)
			}
			if tc.golden {
				h.golden(t)
			}
		})
	}
}

func goodPlan() nim.Plan {
	return nim.Plan{Name: "aix72", Source: "/dev/cd0", Extra: map[string]string{"resolv_conf": "cluster_resolv"}}.WithDefaults()
}

func TestPreviewCreateNeedsConfirmation(t *testing.T) {
	for _, tc := range []struct {
		keys   []string
		create bool
	}{
		{[]string{"enter", "y"}, true},
		{[]string{"c", "Y"}, true},
		{[]string{"enter", "n"}, false},
		{[]string{"enter", "esc"}, false},
		{[]string{"enter", "x"}, false},
	} {
		s := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Name", "Source"}, t.TempDir())
		h := newHarness(t, s, goodPlan())
		h.keys(tc.keys...)
		var got *steps.CreateMsg
		for _, m := range h.got {
			if c, ok := m.(steps.CreateMsg); ok {
				got = &c
			}
		}
		if (got != nil) != tc.create {
			t.Errorf("%v: create %v", tc.keys, got != nil)
		}
		if got != nil && got.Plan.Name != "aix72" {
			t.Errorf("plan %+v", got.Plan)
		}
	}
}

func TestPreviewRefusesBadPlan(t *testing.T) {
	s := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Name", "Source"}, t.TempDir())
	h := newHarness(t, s, nim.Plan{Name: "aix72"}.WithDefaults())
	h.keys("enter", "y")
	if len(h.got) != 0 {
		t.Fatalf("a plan without source went on: %v", h.got)
	}
	if !strings.Contains(s.View(), "problem(s) to fix first") {
		t.Errorf("view:\n%s", s.View())
	}
}

func TestPreviewGoto(t *testing.T) {
	s := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Name", "Source", "Node type"}, t.TempDir())
	h := newHarness(t, s, goodPlan())
	h.keys("2")
	if len(h.got) != 1 || h.got[0] != (steps.GotoMsg{Index: 1}) {
		t.Fatalf("got %v", h.got)
	}
}

func TestPreviewSave(t *testing.T) {
	dir := t.TempDir()
	s := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Name"}, dir)
	h := newHarness(t, s, goodPlan())
	h.keys("s")
	if !strings.Contains(s.View(), filepath.Join(dir, "aix72.toml")) {
		t.Fatalf("default path not offered:\n%s", s.View())
	}
	h.keys("enter")
	if len(h.got) != 1 {
		t.Fatalf("got %v\n%s", h.got, s.View())
	}
	saved := h.got[0].(steps.SavedMsg)
	p, err := nim.LoadPlan(saved.Path)
	if err != nil || p.Name != "aix72" || p.Source != "/dev/cd0" {
		t.Fatalf("saved plan %+v, %v", p, err)
	}
	// Saving again asks before replacing.
	h.got = nil
	h.keys("s", "enter")
	if len(h.got) != 0 || !strings.Contains(s.View(), "press enter again") {
		t.Fatalf("replaced without asking: %v\n%s", h.got, s.View())
	}
	h.keys("enter")
	if len(h.got) != 1 {
		t.Fatalf("second enter did not replace: %v", h.got)
	}
	// A path that cannot be written says so at the prompt.
	h.got = nil
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	h.keys("s", "ctrl+u")
	h.typ(filepath.Join(blocker, "x.toml"))
	h.keys("enter")
	if len(h.got) != 0 || !strings.Contains(s.View(), "error:") {
		t.Fatalf("no error shown: %v\n%s", h.got, s.View())
	}
	h.keys("esc")
}

func TestPreviewScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {120, 37}} {
		s := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Name", "Source", "Node type", "Location", "Dump", "Extras"}, "/plans")
		s.SetNotes([]string{"only 1.0 GB free on the filesystem holding /install; this plan needs about 2.3 GB."})
		h := newHarness(t, s, goodPlan())
		s.SetSize(size[0], size[1])
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) { h.golden(t) })
	}
}

// flat is s with its wrapping undone: words joined by single spaces.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// A plan's attributes the extras step does not offer (a root or dump named
// by a saved plan) are kept as they are, not reported as gone from NIM;
// "attr=" in the field removes one. Offered resources are checked, and an
// offered one NIM lacks is still dropped with a warning.
func TestExtrasKeepsWhatItDoesNotOffer(t *testing.T) {
	start := nim.Plan{Extra: map[string]string{
		"root": "myroot", "dump": "mydump",
		"resolv_conf": "cluster_resolv", "tmp": "gone_tmp",
	}}
	s := steps.NewExtras(common(), testEnv(t, nimtest.World()))
	h := newHarness(t, s, start)

	keptLine := "Also in the plan, kept as they are (type attr= in the field (tab) to remove one): dump=mydump, root=myroot"
	if v := flat(s.View()); !strings.Contains(v, keptLine) || !strings.Contains(v, "[x] resolv_conf cluster_resolv") {
		t.Fatalf("view lacks the kept line or the checked resolv_conf:\n%s", s.View())
	}
	w := s.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "tmp=gone_tmp") {
		t.Errorf("warnings %q, want only tmp=gone_tmp", w)
	}
	for _, x := range w {
		if strings.Contains(x, "root") || strings.Contains(x, "dump") {
			t.Errorf("a kept attr is reported as dropped: %q", x)
		}
	}
	want := map[string]string{"root": "myroot", "dump": "mydump", "resolv_conf": "cluster_resolv"}
	if got := s.Apply(nim.Plan{}).Extra; !maps.Equal(got, want) {
		t.Errorf("extra %v, want %v", got, want)
	}
	t.Run("kept", func(t *testing.T) { h.golden(t) })

	// Nothing to remove: refused, nothing changes.
	h.keys("tab")
	h.typ("nope=")
	h.keys("enter")
	if v := flat(s.View()); !strings.Contains(v, "error: nope is not in the plan: nothing to remove") {
		t.Fatalf("nope= not refused:\n%s", s.View())
	}
	// A kept attr cannot be changed here, only removed.
	h.keys("ctrl+u")
	h.typ("root=otherroot")
	h.keys("enter")
	if v := flat(s.View()); !strings.Contains(v, `"root" is not one of`) {
		t.Fatalf("root=otherroot not refused:\n%s", s.View())
	}
	if got := s.Apply(nim.Plan{}).Extra; !maps.Equal(got, want) {
		t.Errorf("after refusals: extra %v, want %v", got, want)
	}

	h.keys("ctrl+u")
	h.typ("root=")
	h.keys("enter")
	v := flat(s.View())
	if !strings.Contains(v, "ok: removed root") || !strings.Contains(v, "kept as they are (type attr= in the field (tab) to remove one): dump=mydump Add by name") {
		t.Fatalf("root= did not remove root:\n%s", s.View())
	}
	t.Run("root removed", func(t *testing.T) { h.golden(t) })
	want = map[string]string{"dump": "mydump", "resolv_conf": "cluster_resolv"}
	if got := s.Apply(nim.Plan{}).Extra; !maps.Equal(got, want) {
		t.Errorf("after root=: extra %v, want %v", got, want)
	}

	// The last kept one removed: no kept line any more.
	h.typ("dump=")
	h.keys("enter", "tab", "enter")
	if !h.took() {
		t.Fatalf("enter in the list did not go on:\n%s", s.View())
	}
	if strings.Contains(flat(s.View()), "kept as they are") {
		t.Errorf("kept line shown with nothing kept:\n%s", s.View())
	}
	want = map[string]string{"resolv_conf": "cluster_resolv"}
	if got := s.Apply(nim.Plan{}).Extra; !maps.Equal(got, want) {
		t.Errorf("after dump=: extra %v, want %v", got, want)
	}
	if w := strings.Join(s.Warnings(), "\n"); strings.Contains(w, "root") || strings.Contains(w, "dump") {
		t.Errorf("warnings mention a removed kept attr: %q", w)
	}
}

// attr= of an offered type unchecks its resources, as at the plain prompts.
func TestExtrasTypedRemovesOfferedType(t *testing.T) {
	s := steps.NewExtras(common(), testEnv(t, nimtest.World()))
	h := newHarness(t, s, nim.Plan{Extra: map[string]string{"script": "mount_gpfs,setup_ntp", "resolv_conf": "cluster_resolv"}})
	h.keys("tab")
	h.typ("script=")
	h.keys("enter")
	if !strings.Contains(s.View(), "ok: removed every script") {
		t.Fatalf("view:\n%s", s.View())
	}
	want := map[string]string{"resolv_conf": "cluster_resolv"}
	if got := s.Apply(nim.Plan{}).Extra; !maps.Equal(got, want) {
		t.Errorf("extra %v, want %v", got, want)
	}
}

// A kept attr reaches the preview's command and definition; a bad kept
// value is a problem listed there and blocks creating, not a crash.
func TestExtrasKeptReachPreview(t *testing.T) {
	tests := []struct {
		name, root string
		problem    string
	}{
		{"good", "myroot", ""},
		{"bad name", "my.root", `resource name "my.root" contains '.'`},
		{"empty", "", "is empty: give the name of an existing NIM root resource"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex := steps.NewExtras(common(), testEnv(t, nimtest.World()))
			base := nim.Plan{Name: "aix72", Source: "/dev/cd0", Extra: map[string]string{"root": tc.root, "resolv_conf": "cluster_resolv"}}
			newHarness(t, ex, base).keys("enter")
			p := ex.Apply(base)
			if got, ok := p.Extra["root"]; !ok || got != tc.root {
				t.Fatalf("root not kept: %v", p.Extra)
			}

			pv := steps.NewPreview(common(), testEnv(t, nimtest.World()), []string{"Extras"}, t.TempDir())
			h := newHarness(t, pv, p)
			pv.SetSize(200, 200)
			v := pv.View()
			if !strings.Contains(v, "root="+tc.root+" ") && !strings.Contains(v, "root="+tc.root+"\n") && tc.root != "" {
				t.Errorf("command lacks root=%s:\n%s", tc.root, v)
			}
			if !strings.Contains(v, "      root="+tc.root) {
				t.Errorf("definition lacks root=%s:\n%s", tc.root, v)
			}
			if tc.problem == "" {
				if strings.Contains(v, wizard.ProblemsLabel) {
					t.Errorf("problems shown for a good plan:\n%s", v)
				}
				return
			}
			if !strings.Contains(flat(v), tc.problem) {
				t.Errorf("preview lacks the problem %q:\n%s", tc.problem, v)
			}
			h.keys("enter", "y")
			for _, m := range h.got {
				if _, ok := m.(steps.CreateMsg); ok {
					t.Fatalf("a plan with a bad kept attr was created")
				}
			}
		})
	}
}

// The preview runs the pre-flight job.Start runs: what NIM already has
// under a name the plan creates is "reuse" with its Rstate, and what the
// run would refuse is a problem here (no create question), with the ways
// forward.
func TestPreviewPreflight(t *testing.T) {
	obj := func(name, typ, rstate string) nim.Object {
		return nim.Object{Name: name, Attrs: []nim.Attr{{Key: "class", Value: "resources"}, {Key: "type", Value: typ},
			{Key: "Rstate", Value: rstate}, {Key: "location", Value: "/install/nim/" + typ + "/" + name}}}
	}
	for _, tc := range []struct {
		name    string
		objs    []nim.Object
		rows    []string
		problem string
		asks    bool
	}{
		{"nothing there", nil, []string{"create  lpp_source  k2_lpp_source", "create  spot        k2 "}, "", true},
		{"ready lpp_source reused", []nim.Object{obj("k2_lpp_source", "lpp_source", nim.RstateReady)},
			[]string{"reuse   lpp_source  k2_lpp_source", "(ready for use) /install/nim/lpp_source/k2_lpp_source"}, "", true},
		{"half-built SPOT refused", []nim.Object{obj("k2_lpp_source", "lpp_source", nim.RstateReady), obj("k2", "spot", "unavailable for use")},
			[]string{"reuse   spot        k2             (unavailable for use) /install/nim/spot/k2"}, `NIM already has the spot k2 and it is "unavailable for use"`, false},
	} {
		for _, sz := range [][2]int{{80, 24}, {60, 20}} {
			t.Run(fmt.Sprintf("%s/%dx%d", tc.name, sz[0], sz[1]), func(t *testing.T) {
				f := nimtest.World()
				if f.Details == nil {
					f.Details = map[string]nim.Object{}
				}
				for _, o := range tc.objs {
					f.Details[o.Name] = o
				}
				s := steps.NewPreview(common(), testEnv(t, f), []string{"Name", "Source", "Node type", "Location", "Dump", "Extras"}, "/plans")
				h := newHarness(t, s, nim.Plan{Name: "k2", Source: "/dev/cd0"}.WithDefaults())
				s.SetSize(sz[0], 200) // the whole plan, for the assertions
				v := s.View()
				if sz[0] == 80 {
					for _, r := range tc.rows {
						if !strings.Contains(v, r) {
							t.Errorf("the preview lacks %q:\n%s", r, v)
						}
					}
				}
				if tc.problem != "" && !strings.Contains(strings.Join(strings.Fields(v), " "), tc.problem) {
					t.Errorf("the preview lacks the problem %q:\n%s", tc.problem, v)
				}
				h.keys("enter")
				if asked := strings.Contains(s.View(), "Create osimage k2 now?"); asked != tc.asks {
					t.Errorf("create question asked = %v, want %v:\n%s", asked, tc.asks, s.View())
				}
				s.SetSize(sz[0], sz[1])
				h.golden(t)
			})
		}
	}
}

// A name a running nimwiz job holds is refused at the preview with the job
// (not as leftovers in NIM), before NIM is asked.
func TestPreviewNameBusy(t *testing.T) {
	f := nimtest.World()
	env := testEnv(t, f)
	env.Busy = func(name string) string { return wizard.NameBusy(name, "20261204-1", "running") }
	s := steps.NewPreview(common(), env, []string{"Name", "Source", "Node type", "Location", "Dump", "Extras"}, "/plans")
	h := newHarness(t, s, nim.Plan{Name: "k2", Source: "/dev/cd0"}.WithDefaults())
	s.SetSize(80, 200)
	h.keys("enter")
	v := strings.Join(strings.Fields(s.View()), " ")
	if !strings.Contains(v, "osimage k2 is in use by nimwiz job 20261204-1 (running)") || strings.Contains(v, "Create osimage k2 now?") {
		t.Errorf("preview:\n%s", s.View())
	}
	for _, c := range f.Calls() {
		if c == "Objects" || c == "Osimage" {
			t.Errorf("NIM was asked (%s) about a name a job holds", c)
		}
	}
}
