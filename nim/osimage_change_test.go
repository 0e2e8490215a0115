package nim

import (
	"strings"
	"testing"
)

// Changes chdef would take but no node can boot are refused with the
// reason; the others pass.
func TestChangeProblem(t *testing.T) {
	stateless := Osimage{Name: "73sl", Attrs: map[string]string{"nimtype": "diskless", "spot": "73sl", "shared_root": "73sl_shared_root"}}
	stateful := Osimage{Name: "73sf", Attrs: map[string]string{"nimtype": "diskless", "spot": "73sf", "root": "73sf_root", "paging": "73sf_paging"}}
	dataless := Osimage{Name: "73dl", Attrs: map[string]string{"nimtype": "dataless", "spot": "73dl", "root": "73dl_root"}}
	for _, tc := range []struct {
		name        string
		o           Osimage
		attr, value string
		want        string // in the problem; "" for none
	}{
		{"root beside a shared_root", stateless, "root", "myroot", "already boots from its shared_root 73sl_shared_root"},
		{"shared_root beside a root", stateful, "shared_root", "sr", "already boots from its root 73sf_root"},
		{"shared_root on dataless", Osimage{Name: "x", Attrs: map[string]string{"nimtype": "dataless"}}, "shared_root", "sr", "a shared_root is only for stateless diskless images"},
		{"drop the only root", stateful, "root", "", "its nodes need a root or a shared_root"},
		{"drop the only shared_root", stateless, "shared_root", "", "its nodes need a root or a shared_root"},
		{"paging on dataless", dataless, "paging", "p", "page on their local disk"},
		{"mksysb on diskless", stateful, "mksysb", "m", "only installs standalone machines"},
		{"another shared_root", stateless, "shared_root", "other_sr", ""},
		{"another root", stateful, "root", "other_root", ""},
		{"drop paging", stateful, "paging", "", ""},
		{"drop paging on dataless", dataless, "paging", "", ""},
		{"resolv_conf", stateless, "resolv_conf", "rc", ""},
		{"configdump", stateless, "configdump", "full", ""},
	} {
		got := tc.o.ChangeProblem(tc.attr, tc.value)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: ChangeProblem(%s=%q) = %q, want %q", tc.name, tc.attr, tc.value, got, tc.want)
		}
	}
}

// NotCarried lists what re-creating from a definition would not keep.
func TestNotCarried(t *testing.T) {
	o := Osimage{Name: "61cosi", Attrs: map[string]string{
		"imagetype": "NIM", "osname": "AIX", "nimtype": "diskless", "lpp_source": "61cosi_lpp_source", "spot": "61cosi",
		"shared_root": "61cosi_shared_root", "dump": "61cosi_dump", "resolv_conf": "rc", "configdump": "selective", "nimmethod": "resolv_conf",
	}}
	got := strings.Join(NotCarried(o, PlanFromOsimage(o)), " ")
	if got != "nimmethod=resolv_conf" { // configdump is carried (DefOption)
		t.Errorf("NotCarried = %q", got)
	}
}
