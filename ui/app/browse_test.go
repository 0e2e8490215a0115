package app

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

func browseConfig(f *nimtest.Fake) Config {
	return Config{Start: StartBrowse, Services: Services{NIM: f, Run: f}}
}

func (h *harness) typ(s string) { h.t.Helper(); h.d.Type(s) }

func (h *harness) sees(s ...string) {
	h.t.Helper()
	v := h.m.View()
	for _, x := range s {
		if !strings.Contains(v, x) {
			h.t.Fatalf("screen lacks %q:\n%s", x, v)
		}
	}
}

// goldenBoth goldens the current screen at both sizes.
func (h *harness) goldenBoth(t *testing.T, name string) {
	t.Helper()
	h.goldenAt(t, name, sizes)
}

// goldenAt goldens the current screen at each of szs.
func (h *harness) goldenAt(t *testing.T, name string, szs [][2]int) {
	t.Helper()
	for _, sz := range szs {
		h.d.Send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) { h.golden(t) })
	}
	h.d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
}

// TestBrowseScreens goldens the browser's screens at both sizes.
// A view with its own esc binding does not get the global one too.
func TestBrowseHelpNamesEscOnce(t *testing.T) {
	h := newHarness(t, browseConfig(nimtest.BrowseWorld()), 160, 40)
	h.sees("71dskls")
	h.keys("down", "enter", "down", "enter")
	h.sees("installed software")
	if n := strings.Count(h.m.View(), "esc back"); n != 1 {
		t.Errorf("the help line names esc back %d times:\n%s", n, h.m.View())
	}
}

func TestBrowseScreens(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.sees("71dskls", "7100-05-lpp_source", "lsdef -t osimage -l -w imagetype==NIM")
	h.goldenBoth(t, "01-list")

	h.keys("/")
	h.typ("71d")
	h.sees("2 of 5 osimages")
	h.goldenBoth(t, "02-list-filtered")
	h.keys("esc")

	// 72cosi: a SPOT not ready, gone_bundle missing, cluster_resolv shared with aix73.
	h.keys("down", "down", "down", "enter")
	h.sees("Osimage 72cosi", "! NOT READY", "! MISSING", "lsnim -l 7200-05-lpp_source 72cosi", "Used by  no node")
	h.goldenBoth(t, "03-details")
	h.keys("down", "down", "down", "down", "down", "down", "down")
	h.sees("shared with osimage aix73")
	h.keys("esc")

	// 71dskls: the SPOT's contents, filtered.
	h.keys("up", "up", "enter", "down", "enter")
	h.sees("SPOT 71dskls: installed software", "nim -o showres 71dskls")
	h.keys("/")
	h.typ("bos.net")
	h.keys("enter")
	h.sees("filter: bos.net", "2 of 6")
	h.goldenBoth(t, "04-contents-filtered")
	h.keys("esc", "esc")

	h.keys("d")
	h.sees("rmnimimage -x 71dskls", "7100-05-lpp_source (add -d")
	h.goldenBoth(t, "05-remove-confirm")
	h.keys("d", "x")
	h.sees("rmnimimage -d 71dskls", "rm -R /install/nim/spot/71dskls", "! it will name NIM resources")
	h.goldenBoth(t, "06-remove-confirm-d-x")
	h.keys("d", "x", "y")
	h.sees("rmnimimage refused", "7100-05-lpp_source is also used by 71dtls", "-f overrides the check")
	h.goldenBoth(t, "07-refusal-shared")
	h.keys("enter", "esc") // back to the details, then the list

	// 71dtls with -f: its root is allocated.
	h.keys("down", "d", "f", "y")
	h.sees("still allocated", "71dtls_root", "rmdsklsnode", "nim -o deallocate -a subclass=all NODE")
	h.goldenBoth(t, "08-refusal-allocated")
	h.keys("enter")

	// -x removed 71dtls's definition: the cursor is on 72cosi, next in line.
	h.sees("4 osimages", "> 72cosi")
	// Change resources of 72cosi: resolv_conf.
	h.keys("c")
	h.goldenBoth(t, "09-change-attrs")
	for i := 0; i < 7; i++ { // to resolv_conf
		h.keys("down")
	}
	h.sees("> resolv_conf")
	h.keys("enter")
	h.sees("(none) drop resolv_conf", "other_resolv")
	h.goldenBoth(t, "10-change-picker")
	h.keys("down", "down", "enter")
	h.sees("chdef -t osimage -o 72cosi resolv_conf=other_resolv")
	h.goldenBoth(t, "11-change-preview")
	h.keys("esc", "esc", "esc")

	h.keys("n")
	h.goldenBoth(t, "12-recreate")
	h.keys("down", "enter")
	h.sees("chdef -t osimage -o 72cosi installp_bundle= lpp_source= resolv_conf=", "rmnimimage -d -x 72cosi")
	h.goldenBoth(t, "13-replace-confirm")
}

func TestBrowseRefusalNotRemoved(t *testing.T) {
	f := nimtest.BrowseWorld()
	f.Canned = map[string]nim.Result{"rmnimimage": {Stdout: []byte(
		"xcatmn: Removed the NIM resource named '61cosi_paging'.\n\nError: xcatmn: Could not remove the NIM resource definition '61cosi'.\n" +
			"0042-001 nim: processing error encountered on \"master\":\n   0042-062 m_rmspot: cannot remove 61cosi because it is allocated\n\n" +
			"Error: xcatmn: One or more errors occurred when trying to remove the xCAT osimage definition '61cosi' and the related NIM resources.\n\nError: Return=1.\n"),
		ExitCode: 1}}
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("d", "y")
	h.sees("NIM could not remove 61cosi", "0042-062 m_rmspot")
	h.goldenBoth(t, "notremoved")
}

func TestBrowseRemoveRefreshes(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("enter", "d", "y") // 61cosi shares nothing
	h.sees("ok: removed the definition 61cosi and the NIM resources", "61cosi_shared_root,")
	if _, ok := f.Images["61cosi"]; ok {
		t.Fatal("61cosi still defined")
	}
	if got := strings.Join(h.f.Calls(), ","); strings.Count(got, "Osimages") != 2 {
		t.Errorf("the list was not refreshed once: %s", got)
	}
	h.keys("enter")
	h.sees("4 osimages", "71dskls")
}

// Re-creating opens the wizard prefilled: the plan each kind of osimage
// gives, as a new name.
func TestBrowseRecreatePrefill(t *testing.T) {
	tests := []struct {
		image string
		downs int
		want  nim.Plan
	}{
		{"61cosi", 0, nim.Plan{Type: nim.Diskless, Source: "61cosi_lpp_source", Stateless: true}},
		{"71dskls", 1, nim.Plan{Type: nim.Diskless, Source: "7100-05-lpp_source", Dump: true}},
		{"71dtls", 2, nim.Plan{Type: nim.Dataless, Source: "7100-05-lpp_source"}},
		{"72cosi", 3, nim.Plan{Type: nim.Diskless, Source: "7200-05-lpp_source", Stateless: true, Dump: true,
			Extra: map[string]string{"installp_bundle": "hpc_bundle,gone_bundle", "resolv_conf": "cluster_resolv"}}},
		{"aix73", 4, nim.Plan{Type: nim.Diskless, Source: "7300-02-lpp_source",
			Extra: map[string]string{"resolv_conf": "cluster_resolv", "root": "golden_root", "script": "setup_ntp"}}},
	}
	for _, tc := range tests {
		t.Run(tc.image, func(t *testing.T) {
			h := newHarness(t, browseConfig(nimtest.BrowseWorld()), 80, 24)
			for i := 0; i < tc.downs; i++ {
				h.keys("down")
			}
			h.keys("n", "enter")
			h.at(StepName)
			want := tc.want.WithDefaults()
			if got := h.m.Plan(); !reflect.DeepEqual(got, want) {
				t.Errorf("plan\n got %+v\nwant %+v", got, want)
			}
			if h.m.name.Base != tc.image {
				t.Errorf("suggestions start from %q", h.m.name.Base)
			}
			// esc on the first step returns to the browser.
			h.keys("esc")
			h.sees("AIX osimages")
		})
	}
}

// Replacing removes the old osimage (detaching what the new one reuses)
// and opens the wizard with the same name.
func TestBrowseReplace(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("down", "down", "down", "down", "n", "down", "enter") // aix73
	h.sees("chdef -t osimage -o aix73 lpp_source= resolv_conf= root= script=", "rmnimimage -d -x aix73")
	h.keys("y")
	h.at(StepName)
	var ran []string
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "Run:") {
			ran = append(ran, c)
		}
	}
	want := []string{"Run:chdef -t osimage -o aix73 lpp_source= resolv_conf= root= script=", "Run:rmnimimage -d -x aix73"}
	if !reflect.DeepEqual(ran, want) {
		t.Errorf("ran %q", ran)
	}
	if _, ok := f.Images["aix73"]; ok {
		t.Error("aix73 still defined")
	}
	for _, keep := range []string{"7300-02-lpp_source", "golden_root", "cluster_resolv", "setup_ntp"} {
		if !listed(f, keep) {
			t.Errorf("%s was removed; the new image reuses it", keep)
		}
	}
	for _, gone := range []string{"aix73", "aix73_paging"} {
		if listed(f, gone) {
			t.Errorf("%s was not removed", gone)
		}
	}
	p := h.m.Plan()
	if p.Name != "aix73" || p.Source != "7300-02-lpp_source" || p.Extra["root"] != "golden_root" {
		t.Errorf("plan %+v", p)
	}
	h.sees("> aix73")
}

// A replacement whose resources are allocated does not start.
func TestBrowseReplaceBlocked(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("down", "down", "n", "down", "enter") // 71dtls: root allocated
	h.sees("error: cannot replace: root 71dtls_root is allocated to 2 NIM client(s)")
	h.keys("y")
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "Run:") {
			t.Fatalf("ran %s", c)
		}
	}
}

func listed(f *nimtest.Fake, name string) bool {
	for _, l := range f.Listing {
		if l.Name == name {
			return true
		}
	}
	return false
}

// An option of the definition is typed, checked with the attribute table
// and set with chdef; empty drops it.
func TestBrowseChangeOption(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("down", "down", "down", "enter", "c") // 72cosi details
	for range len(browse.ChangeAttrs()) - 3 {    // to otherpkgs, the first option
		h.keys("down")
	}
	h.sees("> otherpkgs")
	h.keys("enter")
	h.sees("otherpkgs: now (not set).", "installp/RPM/epkg packages for the SPOT", "mknimimage -u 72cosi")
	h.typ("I:openssh.base,X:curl")
	h.keys("enter")
	h.sees(`error: otherpkgs: item 2: "X:curl" has the prefix "X:"`)
	h.goldenBoth(t, "option-refused")
	for range len("X:curl") {
		h.keys("backspace")
	}
	h.typ("R:curl-7.9.3.rpm")
	h.keys("enter")
	h.sees("chdef -t osimage -o 72cosi otherpkgs=I:openssh.base,R:curl-7.9.3.rpm")
	h.keys("y")
	h.sees("ok: the definition was changed")
	if got := f.Images["72cosi"].Attrs["otherpkgs"]; got != "I:openssh.base,R:curl-7.9.3.rpm" {
		t.Errorf("otherpkgs = %q", got)
	}
	// Again: the field starts from the value; emptied, it drops the option.
	h.keys("enter", "c")
	for range len(browse.ChangeAttrs()) - 3 {
		h.keys("down")
	}
	h.keys("enter", "ctrl+u", "enter")
	h.sees("chdef -t osimage -o 72cosi otherpkgs=", "(dropped)")
	h.keys("y")
	h.sees("ok: the definition was changed")
	if _, ok := f.Images["72cosi"].Attrs["otherpkgs"]; ok {
		t.Error("otherpkgs still set")
	}
}

func TestBrowseChangeRuns(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("down", "down", "down", "enter", "c") // 72cosi details
	for i := 0; i < 7; i++ {
		h.keys("down")
	}
	h.keys("enter", "up", "enter") // drop resolv_conf
	h.sees("chdef -t osimage -o 72cosi resolv_conf=", "(dropped)")
	h.keys("y")
	h.sees("ok: the definition was changed")
	if _, ok := f.Images["72cosi"].Attrs["resolv_conf"]; ok {
		t.Error("resolv_conf still set")
	}
	h.keys("enter")
	h.sees("Osimage 72cosi")
	if strings.Contains(h.m.View(), "cluster_resolv") {
		t.Errorf("details not refreshed:\n%s", h.m.View())
	}
}

// ctrl+c while rmnimimage runs is refused twice, then quits.
func TestBrowseQuitWhileRunning(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("d")
	// Start the removal without running its command: the model is busy.
	_, cmd := h.m.Update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("nothing started")
	}
	for i := 0; i < 2; i++ {
		if _, c := h.m.Update(keyMsg("ctrl+c")); c != nil {
			t.Fatalf("ctrl+c %d quit while rmnimimage runs", i+1)
		}
	}
	if _, c := h.m.Update(keyMsg("ctrl+c")); c == nil {
		t.Fatal("third ctrl+c did not quit")
	}
}

func TestHomeOpensBrowser(t *testing.T) {
	f := nimtest.BrowseWorld()
	cfg := browseConfig(f)
	cfg.Start = StartHome
	h := newHarness(t, cfg, 80, 24)
	h.keys("down", "enter")
	h.sees("Browse osimages", "5 osimages", "61cosi")
	h.keys("esc")
	h.sees("What would you like to do?")
}

func keyMsg(name string) tea.KeyMsg { return uitest.Key(name) }

// At the minimum size every browser screen still fits.
func TestBrowseSmallest(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 60, 20)
	for _, step := range []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"details", []string{"down", "down", "down", "enter"}},
		{"remove", []string{"d"}},
		{"change", []string{"esc", "c", "down", "enter"}},
	} {
		h.keys(step.keys...)
		t.Run(step.name, func(t *testing.T) { h.golden(t) })
	}
}

// A job that creates or uses an osimage's resources (here: a SPOT being
// built from 61cosi's lpp_source) makes the browser refuse to remove or
// change that osimage, naming the job; nothing runs.
func TestBrowseRefusesWhatARunningJobUses(t *testing.T) {
	f := nimtest.BrowseWorld()
	cfg := browseConfig(f)
	var asked [][]string
	cfg.Services.Jobs = func(names ...string) ([]job.Record, error) {
		asked = append(asked, names)
		for _, n := range names {
			if n == "61cosi_lpp_source" {
				return []job.Record{{ID: "20261204-120000-k7", Name: "k7", State: job.StateRunning}}, nil
			}
		}
		return nil, nil
	}
	h := newHarness(t, cfg, 80, 24)
	h.keys("enter", "d")
	h.sees("cannot remove: job 20261204-120000-k7", "nimwiz jobs 20261204-120000-k7")
	h.keys("y")
	h.sees("cannot remove: job 20261204-120000-k7")
	if c := f.Calls(); slices.ContainsFunc(c, func(s string) bool { return strings.HasPrefix(s, "Run:") }) {
		t.Fatalf("ran commands while a job uses the osimage: %v", c)
	}
	if len(asked) == 0 || !slices.Contains(asked[0], "61cosi") || !slices.Contains(asked[0], "61cosi_lpp_source") {
		t.Errorf("asked about %v", asked)
	}
	h.keys("esc", "esc")
	h.keys("c", "enter") // the first attribute
	for range 3 {
		h.keys("enter")
	}
	h.keys("y")
	h.sees("cannot change it now: job 20261204-120000-k7")
	if c := f.Calls(); slices.ContainsFunc(c, func(s string) bool { return strings.HasPrefix(s, "Run:") }) {
		t.Fatalf("chdef ran while a job uses the osimage: %v", c)
	}
}

// Change refuses what chdef would take but no node can boot (the rule is
// nim.Osimage.ChangeProblem): a root beside 72cosi's shared_root is refused
// when the attribute is chosen, dropping its only shared_root when the
// value is; nothing runs.
func TestBrowseChangeRefusesUnbootable(t *testing.T) {
	f := nimtest.BrowseWorld()
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("down", "down", "down", "enter", "c") // 72cosi details
	for i := 0; i < len(browse.ChangeAttrs()) && !strings.Contains(h.m.View(), "> root "); i++ {
		h.keys("down")
	}
	h.sees("> root")
	h.keys("enter")
	h.sees("error: root: 72cosi already boots from its shared_root 72cosi_shared_root")
	h.goldenAt(t, "root-refused", withSmallest)
	for i := 0; i < len(browse.ChangeAttrs()) && !strings.Contains(h.m.View(), "> shared_root "); i++ {
		h.keys("down")
	}
	h.sees("> shared_root")
	h.keys("enter")
	h.sees("(none) drop shared_root")
	h.keys("up", "up", "enter") // (none)
	h.sees("its nodes need a root or a shared_root")
	for _, c := range f.Calls() {
		if c == "Run" {
			t.Errorf("a command ran")
		}
	}
}

// Re-create keeps every attribute a plan can carry (configdump too, which
// mknimimage writes into the definition as given), shows them without
// offering them, and says before the admin chooses which ones the new
// definition would lack (nimmethod: mknimimage sets it itself).
func TestBrowseRecreateSaysWhatIsNotCarried(t *testing.T) {
	f := nimtest.BrowseWorld()
	o := f.Images["61cosi"]
	o.Attrs["configdump"] = "selective"
	o.Attrs["nimmethod"] = "rte"
	f.Images["61cosi"] = o
	h := newHarness(t, browseConfig(f), 80, 24)
	h.keys("enter", "n") // 61cosi details, re-create
	h.sees("configdump=selective", "Not carried over", "nimmethod=rte")
	h.goldenAt(t, "recreate-not-carried", withSmallest)
	if p := nim.PlanFromOsimage(o); p.Extra["configdump"] != "selective" || !strings.Contains(p.CommandLine(), "configdump=selective") {
		t.Errorf("the plan does not carry configdump: %s", p.CommandLine())
	}
}
