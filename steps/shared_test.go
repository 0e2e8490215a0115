package steps_test

import (
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
)

// shared.go is what ui/plain uses of the wizard's texts and checks; it must
// stay free of Bubble Tea, styles and keys, so both modes can say it.
func TestSharedIsPlain(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "shared.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if strings.Contains(path, "charmbracelet") || strings.HasSuffix(path, "/ui") {
			t.Errorf("shared.go imports %s: keep terminal code in the step files", path)
		}
	}
}

// A wrapped command line still runs as one when pasted into a shell.
func TestWrapCommand(t *testing.T) {
	argv := []string{"mknimimage", "-t", "diskless", "-r", "-s", "/export/images/7200", "aix72_stateless_full", "installp_bundle=hpc_bundle", "resolv_conf=cluster_resolv_conf"}
	got := steps.WrapCommand(argv, 40)
	for _, line := range strings.Split(got, "\n") {
		if len(line) > 40 {
			t.Errorf("line longer than 40: %q", line)
		}
	}
	joined := strings.ReplaceAll(got, " \\\n  ", " ")
	if joined != strings.Join(argv, " ") {
		t.Errorf("unwrapped %q\nwant     %q", joined, strings.Join(argv, " "))
	}
	if one := steps.WrapCommand(argv, 200); strings.Contains(one, "\n") {
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
		{"=x", false, steps.ExtraUsage, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"resolv_conf", false, steps.ExtraUsage, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"resolv_conf=a,b", false, "resolv_conf takes one resource; type one name", []int{1}, map[string]string{"root": "myroot"}, -1},
		{"installp_bundle=hpc_bundle,bad.name", false, `installp_bundle: resource name "bad.name" contains '.'`, []int{1}, map[string]string{"root": "myroot"}, -1},
		{"installp_bundle=hpc_bundle,nosuch", false, `NIM has no installp_bundle resource named "nosuch"`, []int{1}, map[string]string{"root": "myroot"}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			checked := map[int]bool{1: true}
			kept := map[string]string{"root": "myroot"}
			p := nim.Plan{Name: "aix73", Source: "/dev/cd0"}
			msg, ok, first := steps.ExtraTyped(tc.in, p, hostRoot(t), items, kept, func(i int, on bool) { checked[i] = on })
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
		got, ok := steps.AttrHelp(in)
		if got != want || ok != (want != "") {
			t.Errorf("AttrHelp(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

// A plan's Extra split for the extras step: offered and present, kept,
// offered but gone.
func TestExtraPrefill(t *testing.T) {
	items := []nim.Listing{{Name: "cluster_resolv", Type: "resolv_conf"}, {Name: "hpc_bundle", Type: "installp_bundle"}}
	checked, kept, dropped := steps.ExtraPrefill(map[string]string{
		"root": "myroot", "dump": "mydump", "resolv_conf": "cluster_resolv", "installp_bundle": "hpc_bundle,gone_bundle", "otherpkgs": "I:a",
	}, items)
	if !slices.Equal(checked, []int{1, 0}) || !maps.Equal(kept, map[string]string{"root": "myroot", "dump": "mydump", "otherpkgs": "I:a"}) ||
		!slices.Equal(dropped, []string{"installp_bundle=gone_bundle"}) {
		t.Errorf("checked %v kept %v dropped %v", checked, kept, dropped)
	}
	if _, kept, _ := steps.ExtraPrefill(nil, items); kept == nil {
		t.Error("kept is nil: attr= could not remove from it")
	}
}
