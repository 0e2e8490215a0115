package hint

import (
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	t.Cleanup(func() { SetGlobals() })
	for _, tc := range []struct {
		globals []string
		verb    string
		args    []string
		want    string
	}{
		{nil, "apply", []string{"/root/aix72.toml"}, "nimwiz apply /root/aix72.toml"},
		{[]string{"--demo"}, "jobs", nil, "nimwiz --demo jobs"},
		{[]string{"--demo", "--state-dir", "/tmp/my state"}, "apply", []string{"/tmp/my state/p.toml"},
			"nimwiz --demo --state-dir '/tmp/my state' apply '/tmp/my state/p.toml'"},
		{[]string{"--plain", "--state-dir", "/st"}, "attach", []string{"20261204-1"}, "nimwiz --plain --state-dir /st attach 20261204-1"},
	} {
		SetGlobals(tc.globals...)
		if got := Command(tc.verb, tc.args...); got != tc.want {
			t.Errorf("Command(%q, %q) with %q = %q, want %q", tc.verb, tc.args, tc.globals, got, tc.want)
		}
	}
}

func TestWordsAndOptions(t *testing.T) {
	for _, tc := range []struct {
		demo bool
		dir  string
		args []string
		want string
	}{
		{false, "", []string{"jobs"}, "nimwiz jobs"},
		{true, "", []string{"apply", "FILE"}, "nimwiz --demo apply FILE"},
		{true, "/root/my st", []string{"--plain", "attach", "1"}, "nimwiz --demo --state-dir '/root/my st' --plain attach 1"},
	} {
		if got := strings.Join(Words(Options(tc.demo, tc.dir), tc.args...), " "); got != tc.want {
			t.Errorf("Words(Options(%v, %q), %q) = %q, want %q", tc.demo, tc.dir, tc.args, got, tc.want)
		}
	}
}
