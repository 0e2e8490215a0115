package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updatePlanGolden rewrites the golden files: UPDATE_GOLDEN=1 go test.
// (An environment variable, not a flag: other test files of this package
// may define their own -update.)
var updatePlanGolden = os.Getenv("UPDATE_GOLDEN") != ""

func planFile(name string) string { return filepath.Join("..", "..", "testdata", "plans", name) }

func runPlanCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"--state-dir", t.TempDir(), "plan"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// Valid plans print the command, resources and definition; golden files
// hold the whole output.
func TestPlanVerbGood(t *testing.T) {
	for _, name := range []string{"stateful.toml", "stateless.toml", "dataless-reuse.toml", "options.toml", "quiet.toml", "update-definition.toml", "update-adhoc.toml", "copy.toml"} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runPlanCmd(t, planFile(name))
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden := filepath.Join("testdata", "plan-"+strings.TrimSuffix(name, ".toml")+".golden")
			if updatePlanGolden {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, out)
			}
		})
	}
}

func TestPlanVerbShowsExactCommand(t *testing.T) {
	_, out, _ := runPlanCmd(t, planFile("stateless.toml"))
	want := "  mknimimage -V -t diskless -r -D -l /export/nim -s /export/images/6100-04 61cosi home=cluster_home resolv_conf=site_resolv_conf\n"
	if !strings.Contains(out, want) {
		t.Errorf("command line missing:\n%s", out)
	}
	for _, w := range []string{"61cosi_shared_root  shared_root  new ", "cluster_home        home         reused", "      shared_root=61cosi_shared_root\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestPlanVerbBad(t *testing.T) {
	tests := []struct {
		file string
		want []string // stderr lines, by prefix
	}{
		{"hostile-name.toml", []string{`name: "$(rm -rf /)" contains "$" at position 1`}},
		{"long-name.toml", []string{`name: "aix73_production_compute_nodes_stateless" is 40 characters`}},
		{"derived-too-long.toml", []string{`name: "aix73_production_compute_nod" is 28 characters: mknimimage would name a resource "aix73_production_compute_nod_shared_root" (40 characters)`}},
		{"relative-source.toml", []string{`source: "images/7300" is a relative path`}},
		{"unknown-key.toml", []string{`sharedroot: line 3: unknown key`}},
		{"wrong-types.toml", []string{"name: line 1: must be a quoted string", "stateless: line 3:", "dump: line 4:", "resources.home: line 7:"}},
		{"syntax-error.toml", []string{"source: line 2: expected value but found '/' instead"}},
		{"binary.toml", []string{"file: is binary"}},
		{"empty.toml", []string{"file: is empty"}},
		{"comments-only.toml", []string{"file: has no settings"}},
		{"many-problems.toml", []string{"name:", "type:", "source:", "location:", "options.installp_flags: \"-agX -Y\" has a blank", "resources.spot:"}},
		{"missing.toml", []string{"file: plan file: lstat "}}, // looked at before it is opened
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, errOut := runPlanCmd(t, planFile(tt.file))
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(tt.want), errOut)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("line %d:\n got %q\nwant prefix %q", i+1, lines[i], w)
				}
			}
		})
	}
}

func TestPlanVerbUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"a.toml", "b.toml"}} {
		code, out, errOut := runPlanCmd(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "usage: nimwiz plan FILE") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	code, out, _ := runPlanCmd(t, "--help")
	if code != exitOK || !strings.Contains(out, "usage: nimwiz plan FILE") {
		t.Errorf("--help: exit %d, stdout %q", code, out)
	}
	// The verb is listed in nimwiz help.
	var help bytes.Buffer
	run([]string{"--state-dir", t.TempDir(), "help"}, strings.NewReader(""), &help, &help)
	if !strings.Contains(help.String(), "plan FILE") || !strings.Contains(help.String(), "check a plan file and show the command it would run") {
		t.Errorf("help lacks the plan verb:\n%s", help.String())
	}
}

// A huge file is refused without reading it all.
func TestPlanVerbHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.toml")
	if err := os.WriteFile(path, bytes.Repeat([]byte("# x\n"), 1<<19), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runPlanCmd(t, path)
	if code != exitUsage || !strings.HasPrefix(errOut, "file: is 1048577 bytes") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
