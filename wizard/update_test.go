package wizard

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
)

func TestCheckOtherpkgs(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "", ""},
		{" I:openssh.base , R:curl-7.9.3-2.aix4.3.ppc.rpm,E:IV12345s5a.epkg.Z", "I:openssh.base,R:curl-7.9.3-2.aix4.3.ppc.rpm,E:IV12345s5a.epkg.Z", ""},
		{"openssh.base,,", "openssh.base", ""},
		{"X:foo", "", "the prefix X: is not I: (installp), R: (RPM) or E: (interim fix)"},
		{"R:", "", "names no package"},
		{"I:open ssh", "", "has no blanks"},
		{"I:a:b", "", "no blanks or ':'"},
	}
	for _, tc := range tests {
		got, err := CheckOtherpkgs(tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
		case got != tc.want:
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlanUpdate(t *testing.T) {
	img := nim.Osimage{Name: "71dtls_u1", Attrs: map[string]string{"imagetype": "NIM", "nimtype": "dataless", "spot": "71dtls_u1", "installp_bundle": "hpc_bundle"}}
	tests := []struct {
		name      string
		from      nim.UpdateFrom
		sw        UpdateSoftware
		chdef     []string
		extra     map[string]string
		problem   string
		warnsRPMs bool
	}{
		{"definition unchanged", nim.FromDefinition, UpdateSoftware{Bundles: []string{"hpc_bundle"}}, nil, map[string]string{}, "", false},
		{"definition changed: chdef first", nim.FromDefinition, UpdateSoftware{Bundles: []string{"sec_bundle", "hpc_bundle"}, Otherpkgs: "R:curl-7.9.3-2.aix4.3.ppc.rpm"},
			[]string{"chdef", "-t", "osimage", "-o", "71dtls_u1", "installp_bundle=hpc_bundle,sec_bundle", "otherpkgs=R:curl-7.9.3-2.aix4.3.ppc.rpm"}, map[string]string{}, "", true},
		{"definition emptied", nim.FromDefinition, UpdateSoftware{},
			[]string{"chdef", "-t", "osimage", "-o", "71dtls_u1", "installp_bundle="}, map[string]string{}, "nothing to install", false},
		{"ad hoc", nim.FromPlan, UpdateSoftware{Otherpkgs: "I:openssh.base"}, nil, map[string]string{"otherpkgs": "I:openssh.base"}, "", false},
		{"ad hoc, nothing", nim.FromPlan, UpdateSoftware{}, nil, map[string]string{}, "nothing to install", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, probs := PlanUpdate(img, tc.from, tc.sw)
			if !reflect.DeepEqual(r.Chdef, tc.chdef) {
				t.Errorf("chdef %q, want %q", r.Chdef, tc.chdef)
			}
			if !reflect.DeepEqual(r.Plan.Extra, tc.extra) {
				t.Errorf("extra %v, want %v", r.Plan.Extra, tc.extra)
			}
			if tc.problem == "" && len(probs) > 0 || tc.problem != "" && (len(probs) == 0 || !strings.Contains(probs[0].Message, tc.problem)) {
				t.Errorf("problems %v, want %q", probs, tc.problem)
			}
			if got := len(UpdateWarnings(tc.sw.Otherpkgs)) > 0; got != tc.warnsRPMs {
				t.Errorf("RPM warning %v", got)
			}
			if tc.problem == "" {
				argv := r.Plan.Args()
				if argv[0] != "mknimimage" || argv[1] != "-V" || argv[2] != "-u" || argv[3] != "71dtls_u1" {
					t.Errorf("argv %q", argv)
				}
			}
		})
	}
}
