package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// demoRun runs nimwiz --demo --state-dir state ARGS in this process.
func demoRun(state string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"--demo", "--state-dir", state}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

var (
	snakeKey  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	rfc3339   = regexp.MustCompile(`"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"`)
	seconds   = regexp.MustCompile(`"(seconds|log_bytes)": [0-9.e+-]+`)
	demoJobID = regexp.MustCompile(`\d{8}-\d{6}-`)
)

// checkSchema walks a --json document: every key of nimwiz's own objects is
// snake_case, and no value that names a state, phase, level or kind is a
// number. The xCAT attribute maps (attrs, resources, options) keep xCAT's
// own spelling.
func checkSchema(t *testing.T, verb string, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := path + "." + k
			if !snakeKey.MatchString(k) {
				t.Errorf("%s: key %s is not snake_case", verb, p)
			}
			switch k {
			case "attrs", "resources", "options":
				if m, ok := e.(map[string]any); ok {
					for ak, av := range m {
						if _, ok := av.(string); !ok {
							t.Errorf("%s: %s.%s is %T, want a string", verb, p, ak, av)
						}
					}
					continue
				}
			case "state", "phase", "level", "kind", "action", "nim_type":
				if _, ok := e.(string); !ok {
					t.Errorf("%s: %s is %T (%v), want its name", verb, p, e, e)
				}
			}
			checkSchema(t, verb, e, p)
		}
	case []any:
		for i, e := range x {
			checkSchema(t, verb, e, path+"["+string(rune('0'+i%10))+"]")
		}
	}
}

// TestJSONSchemas: list, show, check and jobs --json against the demo
// world, each checked for the one schema style and against its golden
// (UPDATE_GOLDEN=1 rewrites them); times, ids and the state directory are
// replaced by placeholders.
func TestJSONSchemas(t *testing.T) {
	state := t.TempDir()
	plan := demoPlan(t, "json17", false)
	cmd, stderr, done := demoApply(t, state, plan, "NIMWIZ_SIM_SPOT_SECONDS=0.3")
	waitDone(t, done, stderr)
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("apply: %d\n%s", code, stderr.String())
	}
	normal := func(s string) string {
		s = strings.ReplaceAll(s, state, "<state>")
		s = strings.ReplaceAll(s, plan, "<plan>")
		s = rfc3339.ReplaceAllString(s, `"<time>"`)
		s = seconds.ReplaceAllString(s, `"$1": 0`)
		return demoJobID.ReplaceAllString(s, "<id>-")
	}
	for _, tc := range []struct {
		golden string
		args   []string
		code   int
	}{
		{"list.json.golden", []string{"list", "--json"}, exitOK},
		{"show-aix73_stateless.json.golden", []string{"show", "aix73_stateless", "--json"}, exitOK},
		{"check-aix73_stateless.json.golden", []string{"check", "--json", "aix73_stateless"}, exitOK},
		{"jobs.json.golden", []string{"jobs", "--json"}, exitOK},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			code, out, errs := demoRun(state, tc.args...)
			if code != tc.code {
				t.Fatalf("%v: exit %d\n%s", tc.args, code, errs)
			}
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("%v: %v\n%s", tc.args, err, out)
			}
			checkSchema(t, tc.args[0], v, "")
			for _, goName := range []string{`"Key"`, `"Value"`, `"Phase"`, `"Name"`, `"Extra"`} {
				if strings.Contains(out, goName) {
					t.Errorf("%v prints a Go field name %s", tc.args, goName)
				}
			}
			checkGolden(t, tc.golden, normal(out))
		})
	}
	// One job by id: the same object as in the list.
	code, list, _ := demoRun(state, "jobs", "--json")
	var jobs []map[string]any
	if err := json.Unmarshal([]byte(list), &jobs); err != nil || len(jobs) != 1 || code != exitOK {
		t.Fatalf("jobs --json: %d %v %s", code, err, list)
	}
	id := jobs[0]["id"].(string)
	_, one, _ := demoRun(state, "jobs", id, "--json")
	var j map[string]any
	if err := json.Unmarshal([]byte(one), &j); err != nil || j["id"] != id || j["state"] != "succeeded" || j["kind"] != "create" {
		t.Errorf("jobs ID --json: %v %s", err, one)
	}
}

// TestUnknownNameSameStatus: an osimage or job that does not exist is exit
// 3 for every verb that takes a name; a name that cannot be one is 2.
func TestUnknownNameSameStatus(t *testing.T) {
	state := t.TempDir()
	for _, args := range [][]string{
		{"show", "nosuch"}, {"show", "--json", "nosuch"}, {"check", "nosuch"}, {"check", "--json", "nosuch"},
		{"jobs", "20260101-000000-nosuch"}, {"jobs", "--json", "20260101-000000-nosuch"},
		{"attach", "20260101-000000-nosuch"}, {"--plain", "attach", "20260101-000000-nosuch"},
	} {
		code, out, errs := demoRun(state, args...)
		if code != exitNotFound || out != "" || !strings.Contains(errs, "no ") {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", args, code, exitNotFound, out, errs)
		}
	}
	for _, args := range [][]string{{"show", "a;b"}, {"check", "a;b"}, {"jobs", "../x"}, {"attach", "../x"}} {
		if code, _, errs := demoRun(state, args...); code != exitUsage {
			t.Errorf("%v: exit %d (want %d): %s", args, code, exitUsage, errs)
		}
	}
}
