package nim

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func planFixture(name string) string { return filepath.Join("..", "testdata", "plans", name) }

func TestLoadPlanGood(t *testing.T) {
	tests := []struct {
		file string
		want Plan
	}{
		{"stateful.toml", Plan{Name: "aix73", Source: "/dev/cd0", Extra: map[string]string{}}},
		{"stateless.toml", Plan{Name: "61cosi", Type: Diskless, Source: "/export/images/6100-04", Stateless: true,
			Location: "/export/nim", Dump: true, Extra: map[string]string{"resolv_conf": "site_resolv_conf", "home": "cluster_home"}}},
		{"dataless-reuse.toml", Plan{Name: "dl72", Type: Dataless, Source: "7200-05-lpp_source",
			Extra: map[string]string{"installp_bundle": "xcat_aix_base,site_tools"}}},
		{"options.toml", Plan{Name: "aix73", Source: "/dev/cd0", Dump: true, Extra: map[string]string{
			"installp_bundle": "xcat_aix_base", "script": "setup_ntp,mount_gpfs",
			"otherpkgs": "I:openssh.base,R:curl-7.9.3-2.aix4.3.ppc.rpm", "installp_flags": "-abgQXY", "rpm_flags": "-Uvh --replacepkgs",
			"nfs_vers": "4", "dumpsize": "20", "max_dumps": "2", "snapcollect": "yes",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := LoadPlan(planFixture(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p, tt.want) {
				t.Errorf("got  %+v\nwant %+v", p, tt.want)
			}
			if probs := p.Validate(); len(probs) > 0 {
				t.Errorf("fixture does not validate: %v", probs)
			}
		})
	}
}

func TestLoadPlanBad(t *testing.T) {
	tests := []struct {
		file string
		want []string // Problem.Error() of each problem, by prefix
	}{
		{"empty.toml", []string{"file: is empty: a plan needs at least name = \"aix73\" and source = \"/dev/cd0\""}},
		{"comments-only.toml", []string{"file: has no settings, only comments"}},
		{"binary.toml", []string{"file: is binary (a NUL byte at offset 3), not a TOML plan"}},
		{"syntax-error.toml", []string{"source: line 2: "}},
		{"unknown-key.toml", []string{`sharedroot: line 3: unknown key: a plan has kind, name, type, source, stateless, location, dump, verbose, from, copy_lpp_source, update_from, and the tables [resources] and [options]`}},
		{"wrong-types.toml", []string{
			`name: line 1: must be a quoted string, like name = "73", not the number 73`,
			`stateless: line 3: must be true or false without quotes, not the string "yes"`,
			`dump: line 4: must be true or false without quotes, not the number 1`,
			`resources.home: line 7: must be the quoted name of an existing NIM resource, like home = "my_home", not the boolean true`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := planFixture(tt.file)
			_, err := LoadPlan(path)
			var pe *PlanFileError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want *PlanFileError", err, err)
			}
			if pe.Path != path {
				t.Errorf("Path %q, want %q", pe.Path, path)
			}
			if len(pe.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d: %v", len(pe.Problems), len(tt.want), pe.Problems)
			}
			for i, w := range tt.want {
				if got := pe.Problems[i].Error(); !strings.HasPrefix(got, w) {
					t.Errorf("problem %d:\n got %q\nwant prefix %q", i, got, w)
				}
			}
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("Error() %q does not start with the path", err)
			}
		})
	}
}

// verbose: true when missing (old plan files too), false drops -V, and
// saved plans say it.
func TestPlanVerbose(t *testing.T) {
	for _, tt := range []struct {
		toml  string
		quiet bool
	}{
		{"name = \"a\"\nsource = \"/dev/cd0\"\n", false},
		{"name = \"a\"\nsource = \"/dev/cd0\"\nverbose = true\n", false},
		{"name = \"a\"\nsource = \"/dev/cd0\"\nverbose = false\n", true},
	} {
		p, err := ParsePlan([]byte(tt.toml))
		if err != nil || p.Quiet != tt.quiet {
			t.Fatalf("%q: %+v %v", tt.toml, p, err)
		}
		if got := slices.Contains(p.Args(), "-V"); got == tt.quiet || (got && p.Args()[1] != "-V") {
			t.Errorf("%q: args %q", tt.toml, p.Args())
		}
		out, _ := p.TOML()
		want := "verbose = true\n"
		if tt.quiet {
			want = "verbose = false\n"
		}
		if !strings.Contains(string(out), want) {
			t.Errorf("saved plan lacks %q:\n%s", want, out)
		}
	}
}

func TestParsePlanKeys(t *testing.T) {
	tests := []struct {
		name, toml string
		want       string // the error, or "" for none
	}{
		{"case matters", `Name = "a"`, `Name: line 1: unknown key: did you mean "name"?`},
		{"typo", "name = \"a\"\nsoruce = \"/dev/cd0\"", `soruce: line 2: unknown key: did you mean "source"?`},
		{"resources not a table", `resources = "home=h"`, `resources: line 1: must be a table`},
		{"inline resources table", `resources = { home = "h" }`, ""},
		{"dotted resource", `resources.home = "h"`, ""},
		{"nested table in resources", "[resources.home]\nx = \"y\"", `resources.home: line 1: must be the quoted name`},
		{"inline wrong type falls back to enclosing line", "name = \"a\"\nresources = { home = 1 }", `resources.home: line 2: must be the quoted name`},
		{"option under resources", "[resources]\notherpkgs = \"I:a\"", `resources.otherpkgs: line 2: otherpkgs is an option, not a NIM resource: put it under [options]`},
		{"resource under options", "[options]\nhome = \"h\"", `options.home: line 2: home is a NIM resource, not an option: put it under [resources]`},
		{"unknown option", "[options]\nverbosity = \"1\"", `options.verbosity: line 2: unknown option: the options are otherpkgs, synclists, installp_flags, rpm_flags, emgr_flags, nfs_vers, nfs_sec, dumpsize, max_dumps, snapcollect`},
		{"number option", "[options]\nmax_dumps = 3", ""},
		{"boolean option", "[options]\nsnapcollect = true", `options.snapcollect: line 2: must be a quoted value, like snapcollect = "yes", not the boolean true`},
		{"options not a table", `options = "x"`, `options: line 1: must be a table: a line [options] followed by lines attr = "value"`},
		{"unknown resource left to Validate", "[resources]\nhomes = \"h\"", ""},
		{"verbose not a boolean", `verbose = "no"`, `verbose: line 1: must be true or false without quotes, not the string "no"`},
		{"array", `name = ["a"]`, `name: line 1: must be a quoted string`},
		{"duplicate", "name = \"a\"\nname = \"b\"", `name: line 2: Key 'name' has already been defined.`},
		{"multi-line string skipped", "name = \"\"\"\nfoo = 1\n\"\"\"\nbar = 2", `bar: line 4: unknown key`},
		{"quoted key", `"stateless" = "no"`, `stateless: line 1: must be true or false`},
		{"invalid utf8", "name = \"a\"\nsource = \"\xff\"", `file: line 2: is not UTF-8 text`},
		{"only whitespace", " \n\t\n", `file: is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePlan([]byte(tt.toml))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestParsePlanTooBig(t *testing.T) {
	data := bytes.Repeat([]byte("# padding\n"), MaxPlanFileSize/10+1)
	_, err := ParsePlan(data)
	if err == nil || !strings.Contains(err.Error(), "may be at most 1048576 bytes") {
		t.Errorf("error %v", err)
	}
	// LoadPlan reads no more than the cap plus one byte, even of a huge file.
	path := filepath.Join(t.TempDir(), "huge.toml")
	if err := os.WriteFile(path, append(data, data...), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadPlan(path)
	if err == nil || !strings.Contains(err.Error(), "is 1048577 bytes") {
		t.Errorf("error %v", err)
	}
}

func TestLoadPlanNotAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadPlan(dir); err == nil || !strings.Contains(err.Error(), "is not a regular file") {
		t.Errorf("directory: %v", err)
	}
	if _, err := LoadPlan(filepath.Join(dir, "missing.toml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	plans := []Plan{
		{Name: "aix73", Source: "/dev/cd0", Extra: map[string]string{}},
		{Name: "61cosi", Type: Diskless, Source: "/export/images", Stateless: true, Location: "/export/nim", Dump: true,
			Extra: map[string]string{"resolv_conf": "rc", "home": "h", "installp_bundle": "a,b"}},
		{Name: "d", Type: Dataless, Source: "lpp", Quiet: true, Extra: map[string]string{}},
		{Name: "o", Source: "/dev/cd0", Extra: map[string]string{"otherpkgs": "I:a,R:b*", "rpm_flags": "-Uvh --force", "home": "h"}},
		// Invalid plans (drafts) survive too, quotes and newlines included.
		{Name: "we\"ird\nname", Type: "standalone", Source: "/a b/'c'", Location: "rel", Extra: map[string]string{"odd key": "v\t\\"}},
		{Extra: map[string]string{}},
	}
	dir := t.TempDir()
	for i, p := range plans {
		path := filepath.Join(dir, "plan.toml")
		if err := SavePlan(path, p); err != nil {
			t.Fatalf("plan %d: %v", i, err)
		}
		got, err := LoadPlan(path)
		if i == len(plans)-1 {
			// An all-empty plan still writes keys, so it loads.
			if err != nil {
				t.Fatalf("empty plan: %v", err)
			}
		} else if err != nil {
			t.Fatalf("plan %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("plan %d round trip:\n got %+v\nwant %+v", i, got, p)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	}
	// Nothing but the plan is left in the directory.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want 1", len(entries))
	}
}

// A failed save leaves the old file as it was and no temporary file.
func TestSavePlanFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.toml")
	if err := SavePlan(path, Plan{Name: "old", Source: "/dev/cd0"}); err != nil {
		t.Fatal(err)
	}
	// Renaming onto a directory fails after the temp file was written.
	bad := filepath.Join(dir, "sub")
	if err := os.Mkdir(bad, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SavePlan(bad, Plan{Name: "new"}); err == nil {
		t.Fatal("saving over a non-empty directory succeeded")
	}
	if err := SavePlan(filepath.Join(dir, "nodir", "plan.toml"), Plan{Name: "new"}); err == nil {
		t.Fatal("saving into a missing directory succeeded")
	}
	p, err := LoadPlan(path)
	if err != nil || p.Name != "old" {
		t.Errorf("old plan now %+v, %v", p, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want plan.toml and sub", names)
	}
}

func FuzzParsePlan(f *testing.F) {
	for _, name := range []string{"stateful.toml", "stateless.toml", "dataless-reuse.toml", "options.toml", "wrong-types.toml", "unknown-key.toml", "syntax-error.toml"} {
		data, err := os.ReadFile(planFixture(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePlan(data)
		if err != nil {
			var pe *PlanFileError
			if !errors.As(err, &pe) || len(pe.Problems) == 0 {
				t.Fatalf("error %v is not a PlanFileError with problems", err)
			}
			return
		}
		// Whatever parses, round-trips.
		out, err := p.TOML()
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParsePlan(out)
		if err != nil {
			t.Fatalf("re-parse of\n%s\n: %v", out, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("round trip changed %+v to %+v", p, q)
		}
		p.Validate()
	})
}
