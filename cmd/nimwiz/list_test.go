package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// fakeCmd is one fake NIM/xCAT command: a /bin/sh script printing fixed
// stdout and stderr files and exiting (the nim/query_test.go technique).
// Tests only: nimwiz itself never builds a shell script.
type fakeCmd struct {
	stdout, stderr []byte
	exit           int
}

func fixture(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeApp returns an app whose executor finds only cmds, and counts the
// commands it runs with Executor.Observe.
func fakeApp(t *testing.T, cmds map[string]fakeCmd) (*app, *bytes.Buffer, *bytes.Buffer, *[]string) {
	t.Helper()
	dir := t.TempDir()
	for name, fc := range cmds {
		out, errf := filepath.Join(dir, name+".out"), filepath.Join(dir, name+".err")
		os.WriteFile(out, fc.stdout, 0o644)
		os.WriteFile(errf, fc.stderr, 0o644)
		script := "#!/bin/sh\ncat '" + out + "'\ncat '" + errf + "' >&2\nexit " + strconv.Itoa(fc.exit) + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var ran []string
	e := &nim.Executor{Dirs: []string{dir}, Timeout: 10 * time.Second,
		Observe: func(r nim.Result) { ran = append(ran, strings.Join(r.Argv, " ")) }}
	var stdout, stderr bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, exec: e, client: nim.NewClient(e)}
	return a, &stdout, &stderr, &ran
}

// checkGolden compares out with testdata/NAME (UPDATE_GOLDEN=1 rewrites).
func checkGolden(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updatePlanGolden {
		os.WriteFile(path, []byte(out), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create)", err)
	}
	if out != string(want) {
		t.Errorf("output differs from %s:\n%s", path, out)
	}
}

func TestList(t *testing.T) {
	a, out, errb, ran := fakeApp(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/long_synthetic.txt")}})
	if code := a.do("list", nil); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	if want := []string{"lsdef -t osimage -l -w imagetype==NIM"}; !reflect.DeepEqual(*ran, want) {
		t.Errorf("ran %q, want exactly %q", *ran, want)
	}
	checkGolden(t, "list.golden", out.String())
}

func TestListJSON(t *testing.T) {
	a, out, _, ran := fakeApp(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/long_mixed_synthetic.txt")}})
	if code := a.do("list", []string{"--json"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if len(*ran) != 1 {
		t.Errorf("ran %q", *ran)
	}
	var got []struct {
		Name  string            `json:"name"`
		Attrs map[string]string `json:"attrs"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	// Linux images are left out; sorted by name; every attribute kept.
	if len(got) != 2 || got[0].Name != "61cosi" || got[1].Name != "71dskls" || got[1].Attrs["root"] != "71dskls_root" || got[0].Attrs["imagetype"] != "NIM" {
		t.Errorf("got %+v", got)
	}
}

func TestListEmptyAndFailure(t *testing.T) {
	// lsdef's three answers for "no osimage" (real texts), and 2.9.2's
	// silence when -w matches none.
	for _, none := range []fakeCmd{
		{stdout: fixture(t, "lsdef/none_verified.txt")},
		{stdout: fixture(t, "lsdef/none_where_verified.txt")},
		{stderr: fixture(t, "lsdef/none_oftype_verified.stderr"), exit: 1},
		{stderr: fixture(t, "lsdef/none_oftype_host_synthetic.stderr"), exit: 1},
		{},
	} {
		a, out, errb, _ := fakeApp(t, map[string]fakeCmd{"lsdef": none})
		if code := a.do("list", []string{"--json"}); code != exitOK || strings.TrimSpace(out.String()) != "[]" || errb.Len() != 0 {
			t.Errorf("%q%q: exit %d, %q %q", none.stdout, none.stderr, code, out, errb)
		}
		a, out, _, _ = fakeApp(t, map[string]fakeCmd{"lsdef": none})
		if code := a.do("list", nil); code != exitOK || !strings.Contains(out.String(), "no AIX osimages") {
			t.Errorf("%q%q: exit %d, %q", none.stdout, none.stderr, code, out)
		}
	}
	a, _, errb, _ := fakeApp(t, map[string]fakeCmd{"lsdef": {stderr: []byte("Error: Could not get objects of type 'node'.\n"), exit: 1}})
	if code := a.do("list", nil); code != exitFail || !strings.Contains(errb.String(), "lsdef -t osimage -l -w imagetype==NIM") {
		t.Errorf("another type: exit %d, %q", code, errb)
	}
	a, _, errb, _ = fakeApp(t, map[string]fakeCmd{"lsdef": {stderr: []byte("Error: [mn]: Permission denied\n"), exit: 1}})
	if code := a.do("list", nil); code != exitFail || !strings.Contains(errb.String(), "Permission denied") {
		t.Errorf("exit %d, %q", code, errb)
	}
	a, _, _, _ = fakeApp(t, nil)
	if code := a.do("list", []string{"extra"}); code != exitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}

// show: lsdef, then one lsnim -l for every resource; a missing one is
// flagged, a not-ready one marked.
func showFake(t *testing.T) map[string]fakeCmd {
	return map[string]fakeCmd{
		"lsdef": {stdout: fixture(t, "lsdef/long_synthetic.txt")},
		"lsnim": {stdout: fixture(t, "lsnim/long_multi_synthetic.txt"),
			stderr: []byte("0042-053 lsnim: there is no NIM object named \"61cosi_paging\"\n"), exit: 1},
	}
}

func TestShow(t *testing.T) {
	a, out, errb, ran := fakeApp(t, showFake(t))
	if code := a.do("show", []string{"61cosi"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	want := []string{"lsdef -t osimage -o 61cosi -l", "lsnim -l 61cosi_lpp_source 61cosi 61cosi_shared_root 61cosi_paging"}
	if !reflect.DeepEqual(*ran, want) {
		t.Errorf("ran %q, want %q", *ran, want)
	}
	for _, w := range []string{"spot 61cosi: NOT READY (Rstate \"unavailable for use\", not \"ready for use\")\n      Rstate       = unavailable for use", "paging 61cosi_paging: MISSING"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q", w)
		}
	}
	checkGolden(t, "show-61cosi.golden", out.String())
}

func TestShowJSON(t *testing.T) {
	a, out, _, ran := fakeApp(t, showFake(t))
	if code := a.do("show", []string{"--json", "61cosi"}); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if len(*ran) > 2 {
		t.Errorf("ran %d commands: %q", len(*ran), *ran)
	}
	var got struct {
		Name      string            `json:"name"`
		Attrs     map[string]string `json:"attrs"`
		Resources []struct {
			Attr    string            `json:"attr"`
			Name    string            `json:"name"`
			Rstate  string            `json:"rstate"`
			Missing bool              `json:"missing"`
			Ready   bool              `json:"ready"`
			Attrs   map[string]string `json:"attrs"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if got.Name != "61cosi" || got.Attrs["nimtype"] != "diskless" || len(got.Resources) != 4 {
		t.Fatalf("got %+v", got)
	}
	r := got.Resources
	if r[0].Attr != "lpp_source" || !r[0].Ready || r[0].Rstate != "ready for use" || r[0].Attrs["Rstate"] != "ready for use" {
		t.Errorf("lpp_source %+v", r[0])
	}
	if r[1].Attr != "spot" || r[1].Ready || r[1].Missing {
		t.Errorf("spot %+v", r[1])
	}
	if r[3].Name != "61cosi_paging" || !r[3].Missing || len(r[3].Attrs) != 0 {
		t.Errorf("paging %+v", r[3])
	}
	// The name may also come first.
	a, out2, _, _ := fakeApp(t, showFake(t))
	if code := a.do("show", []string{"61cosi", "--json"}); code != exitOK || out2.String() != out.String() {
		t.Errorf("NAME --json: exit %d", code)
	}
}

func TestShowExitCodes(t *testing.T) {
	notFound := map[string]fakeCmd{"lsdef": {stderr: fixture(t, "lsdef/notfound_verified.stderr"), exit: 1}}
	tests := []struct {
		name string
		cmds map[string]fakeCmd
		args []string
		code int
		err  string
		runs int
	}{
		{"unknown", notFound, []string{"nosuch"}, exitFail, `nimwiz: no osimage named "nosuch"; run 'nimwiz list' to see them` + "\n", 1},
		{"bad name", notFound, []string{"a;b"}, exitUsage, "nimwiz show: osimage name \"a;b\" contains", 0},
		{"leading dash", notFound, []string{"--", "-x"}, exitUsage, "starts with '-'", 0},
		{"no name", notFound, nil, exitUsage, "give the osimage name", 0},
		{"two names", notFound, []string{"a", "b"}, exitUsage, "give one osimage name", 0},
		{"linux", map[string]fakeCmd{"lsdef": {stdout: []byte("Object name: rh\n    imagetype=linux\n    osname=Linux\n")}}, []string{"rh"}, exitFail, "is not an AIX one", 1},
		{"lsnim fails", map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/long_synthetic.txt")}, "lsnim": {stderr: []byte("0042-001 lsnim: processing error\n"), exit: 1}}, []string{"61cosi"}, exitFail, "nimwiz show: lsnim -l", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, out, errb, ran := fakeApp(t, tc.cmds)
			code := a.do("show", tc.args)
			if code != tc.code || !strings.Contains(errb.String(), tc.err) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tc.code, errb, tc.err)
			}
			if len(*ran) != tc.runs {
				t.Errorf("ran %q, want %d commands", *ran, tc.runs)
			}
			if tc.code != exitOK && out.Len() != 0 && tc.name != "lsnim fails" {
				t.Errorf("stdout %q", out)
			}
		})
	}
}

// Both work without a terminal through run(); browse refuses with exit 2.
func TestListShowBrowseVerbs(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"--state-dir", t.TempDir(), "browse"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "needs a terminal") || !strings.Contains(stderr.String(), "nimwiz show NAME") {
		t.Errorf("browse without a terminal: exit %d, %q", code, stderr.String())
	}
	stdout.Reset()
	run([]string{"--state-dir", t.TempDir(), "help"}, strings.NewReader(""), &stdout, &stdout)
	for _, w := range []string{"list [--json]", "show NAME [--json]", "browse "} {
		if !strings.Contains(stdout.String(), w) {
			t.Errorf("help lacks %q:\n%s", w, stdout.String())
		}
	}
}
