package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkSchema walks a --json document: every key snake_case (but the
// names of NIM's and xCAT's own attributes under "attrs", which are
// strings); "state", "phase", "kind" and "type" are strings, never numbers.
func checkSchema(t *testing.T, verb string, v any, path string) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := path + "." + k
			if strings.HasSuffix(path, ".attrs") {
				if _, ok := val.(string); !ok {
					t.Errorf("%s: %s is %T, want a string", verb, p, val)
				}
				continue
			}
			if !snakeKey.MatchString(k) {
				t.Errorf("%s: key %s is not snake_case", verb, p)
			}
			switch k {
			case "state", "phase", "kind", "type", "action", "level":
				if _, ok := val.(string); !ok {
					t.Errorf("%s: %s is %T, want a string", verb, p, val)
				}
			}
			checkSchema(t, verb, val, p)
		}
	case []any:
		for _, e := range x {
			checkSchema(t, verb, e, path+"[]")
		}
	}
}

// checkJSON checks out's schema and compares it with testdata/json/NAME.
func checkJSON(t *testing.T, verb, name, out string) {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", verb, err, out)
	}
	checkSchema(t, verb, v, "")
	for _, bad := range []string{`"Key"`, `"Value"`, `"Name"`, `"Attrs"`} {
		if strings.Contains(out, bad+":") {
			t.Errorf("%s: a Go field name %s:\n%s", verb, bad, out)
		}
	}
	checkGolden(t, filepath.Join("json", name), out)
}

// list --json and show --json over the demo's world.
func TestJSONSchemaListShow(t *testing.T) {
	a, out, errb, _ := simApp(t)
	if code := a.do("list", []string{"--json"}); code != exitOK {
		t.Fatalf("list: exit %d %s", code, errb)
	}
	checkJSON(t, "list", "list.json", out.String())
	out.Reset()
	if code := a.do("show", []string{"--json", "aix73_stateless"}); code != exitOK {
		t.Fatalf("show: exit %d %s", code, errb)
	}
	checkJSON(t, "show", "show-aix73_stateless.json", out.String())
	out.Reset()
	// check: its findings; exit 1 when one is a problem, as without --json.
	code := a.do("check", []string{"--json", "aix73_stateless"})
	if code != exitOK && code != exitFail {
		t.Fatalf("check: exit %d %s", code, errb)
	}
	var c struct {
		Problems int `json:"problems"`
	}
	json.Unmarshal(out.Bytes(), &c)
	if (c.Problems > 0) != (code == exitFail) {
		t.Errorf("check: exit %d with %d problems", code, c.Problems)
	}
	checkJSON(t, "check", "check-aix73_stateless.json", out.String())
}

// writeRecord puts a job record in state as a supervisor would leave it.
func writeRecord(t *testing.T, state string, r job.Record) {
	t.Helper()
	dir := filepath.Join(state, "jobs", r.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600)
	os.WriteFile(filepath.Join(dir, "output.log"), nil, 0o600)
}

// jobs --json: a succeeded create and a failed update, as the supervisor
// records them.
func TestJSONSchemaJobs(t *testing.T) {
	state := t.TempDir()
	t0 := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	plan := nim.Plan{Name: "71cosi", Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}.WithDefaults()
	ok := job.Record{ID: "20261204-150000-71cosi", Name: "71cosi", Plan: plan, Argv: plan.Args(), State: job.StateSucceeded,
		Started: t0, Ended: t0.Add(24*time.Minute + 5*time.Second), ExitCode: 0, Phase: nim.PhaseDone, PhaseName: nim.PhaseDone.String(),
		EndedIn: "summary", Live: true, LogBytes: 2048, Verified: "osimage 71cosi defined; SPOT 71cosi ready for use",
		Phases: []nim.PhaseStatus{
			{Phase: nim.PhaseLppSource, Label: "lpp_source", State: nim.PhaseDoneOK, Started: t0, Ended: t0.Add(41 * time.Second)},
			{Phase: nim.PhaseSpot, Label: "SPOT", State: nim.PhaseDoneOK, Started: t0.Add(41 * time.Second), Ended: t0.Add(23 * time.Minute)},
			{Phase: nim.PhaseDump, Label: "dump", State: nim.PhaseSkipped},
		}}
	up := nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", Extra: map[string]string{"installp_bundle": "devel_bnd"}}
	bad := job.Record{ID: "20261204-170000-aix73_full", Name: "aix73_full", Plan: up, Argv: up.Args(), State: job.StateFailed,
		Started: t0.Add(2 * time.Hour), Ended: t0.Add(2*time.Hour + 3*time.Minute), ExitCode: 1, Phase: nim.PhaseSpotUpdate,
		PhaseName: nim.PhaseSpotUpdate.String(), EndedIn: nim.PhaseSpotUpdate.String(),
		Events: []job.Event{{Time: t0.Add(2*time.Hour + time.Minute), Signal: "SIGINT", Phase: "SPOT update", Action: job.ActionRefused, Why: "the SPOT is being updated"}}}
	writeRecord(t, state, ok)
	writeRecord(t, state, bad)
	code, out, errs := runIn(state, "jobs", "--json")
	if code != exitOK {
		t.Fatalf("jobs: exit %d %s", code, errs)
	}
	checkJSON(t, "jobs", "jobs.json", strings.ReplaceAll(out, state, "/var/lib/nimwiz"))
	code, out, errs = runIn(state, "jobs", "--json", ok.ID)
	if code != exitOK {
		t.Fatalf("jobs ID: exit %d %s", code, errs)
	}
	checkJSON(t, "jobs ID", "jobs-one.json", strings.ReplaceAll(out, state, "/var/lib/nimwiz"))
}

// One exit status per meaning in every verb: an unknown osimage name or job
// id is 1 (the master or the store was asked and has none), a malformed
// one 2 (nothing was asked).
func TestUnknownNameSameStatus(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"show", "nosuch"}, exitFail},
		{[]string{"show", "--json", "nosuch"}, exitFail},
		{[]string{"check", "nosuch"}, exitFail},
		{[]string{"jobs", "nosuch"}, exitFail},
		{[]string{"jobs", "--json", "nosuch"}, exitFail},
		{[]string{"attach", "nosuch"}, exitFail},
		{[]string{"--plain", "attach", "nosuch"}, exitFail},
		{[]string{"show", "a;b"}, exitUsage},
		{[]string{"check", "a;b"}, exitUsage},
		{[]string{"jobs", "../x"}, exitUsage},
		{[]string{"attach", "../x"}, exitUsage},
	} {
		a, _, errb, _ := simApp(t)
		args := tc.args
		if args[0] == "--plain" {
			a.plain, args = true, args[1:]
		}
		if code := a.do(args[0], args[1:]); code != tc.code {
			t.Errorf("%v: exit %d, want %d: %s", tc.args, code, tc.code, errb)
		}
	}
}
