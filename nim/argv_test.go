package nim

import (
	"reflect"
	"testing"
)

func TestReplaceArgvs(t *testing.T) {
	tests := []struct {
		o    Osimage
		want [][]string
	}{
		{Osimage{Name: "a", Attrs: map[string]string{"spot": "a", "root": "a_root", "paging": "a_paging", "lpp_source": "a_lpp_source"}},
			[][]string{{"chdef", "-t", "osimage", "-o", "a", "lpp_source="}, {"rmnimimage", "-d", "-x", "a"}}},
		{Osimage{Name: "a", Attrs: map[string]string{"spot": "a", "dump": "shared_dump", "installp_bundle": "x,y"}},
			[][]string{{"chdef", "-t", "osimage", "-o", "a", "dump=", "installp_bundle="}, {"rmnimimage", "-d", "-x", "a"}}},
		{Osimage{Name: "a", Attrs: map[string]string{"spot": "a"}},
			[][]string{{"rmnimimage", "-d", "-x", "a"}}},
	}
	for _, tc := range tests {
		if got, _ := ReplaceArgvs(tc.o); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v:\n got %q\nwant %q", tc.o.Attrs, got, tc.want)
		}
	}
	if got := ShellLine(RemoveArgv("a", true, true, true)); got != "rmnimimage -f -d -x a" {
		t.Errorf("%s", got)
	}
}
