package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nimwiz/nimwiz/internal/job"
)

// payload is one hostile string and how the admin must see it. Each ends in
// a marker, so the test can tell it reached the output at all.
type payload struct{ raw, visible string }

// payloads can be planted in the simulator's world (JSON: valid UTF-8).
var payloads = []payload{
	{"\x1b]0;TITLE1\x07", "^[]0;TITLE1^G"},              // OSC 0: window title
	{"\x1b]52;c;Q0xJUDI=\x1b\\", `^[]52;c;Q0xJUDI=^[\`}, // OSC 52: clipboard write
	{"\x1b[2JCLEAR3", "^[[2JCLEAR3"},                    // CSI 2J: clear screen
	{"\x1bBARE4", "^[BARE4"},                            // bare ESC
	{"CR5\rX", "CR5^MX"},                                // CR: overwrite the line
	{"BEL6\x07", "BEL6^G"},
	{"\u009b2JC1CSI7", `\u009b2JC1CSI7`}, // C1 CSI in UTF-8
	{"NUL8\x00", "NUL8^@"},
	{"DEL9\x7f", "DEL9^?"},
	{"\x1b[8mHIDE10\x1b[0m", "^[[8mHIDE10^[[0m"}, // SGR conceal
}

// viaXcat is what a payload becomes on its way through xcatd, which
// replaces every byte outside \011-\177 with "?" before it sends a reply
// (xCAT-server/sbin/xcatd at 2.9.2_aix_release, send_response L2178; the
// simulator does the same): ESC passes, BEL, NUL and C1 do not. Values from
// lsdef (an xCAT client) arrive so; values from lsnim and lsdev (AIX
// commands) arrive raw.
func viaXcat(ps []payload) []payload {
	out := make([]payload, len(ps))
	for i, p := range ps {
		var raw strings.Builder
		for _, r := range p.raw {
			if r < 0o11 || r > 0o177 {
				raw.WriteByte('?')
			} else {
				raw.WriteRune(r)
			}
		}
		out[i] = payload{raw.String(), strings.NewReplacer("^G", "?", "^@", "?", `\u009b`, "?").Replace(p.visible)}
	}
	return out
}

// rawPayloads only a byte stream can carry (mknimimage's output).
var rawPayloads = []payload{
	{"\x9bRAW11", `\x9bRAW11`},         // 8-bit CSI, invalid UTF-8
	{"BAD12\xff\xfe", `BAD12\xff\xfe`}, // invalid UTF-8
}

func joinRaw(ps []payload) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.raw + " ")
	}
	return b.String()
}

// assertShownAsText fails if out holds a byte that a terminal could act
// on (a control other than tab and newline, DEL, a C1 control, invalid
// UTF-8), or lacks the visible form of any of ps.
func assertShownAsText(t *testing.T, where, out string, ps []payload) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8 reached the terminal:\n%q", where, out)
	}
	for i, r := range out {
		if r < 0x20 && r != '\t' && r != '\n' || r >= 0x7f && r < 0xa0 {
			t.Errorf("%s: raw %U at byte %d reached the terminal: ...%q...", where, r, i, out[max(0, i-30):min(len(out), i+30)])
			break
		}
	}
	for _, p := range ps {
		if !strings.Contains(out, p.visible) {
			t.Errorf("%s: %q is not shown as %q:\n%s", where, p.raw, p.visible, out)
		}
	}
}

// hostileState seeds a demo world in a new state directory and plants the
// payloads where NIM and xCAT keep free text: an osimage attribute, a
// SPOT's Rstate, location and comments, an osimage's nimtype, and the
// description of a CD drive.
func hostileState(t *testing.T) (state, bad string) {
	t.Helper()
	state = t.TempDir()
	var out, errb bytes.Buffer
	if rc := run([]string{"--demo", "--state-dir", state, "help"}, nil, &out, &errb); rc != exitOK {
		t.Fatalf("seed the demo: %d %s", rc, errb.String())
	}
	bad = joinRaw(payloads)
	path := filepath.Join(state, "demo", "world", "var", "sim", "state.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	imgs := w["osimages"].([]any)
	imgs = append(imgs,
		map[string]any{"name": "evil", "attrs": map[string]any{
			"imagetype": "NIM", "nimtype": "diskless", "osname": "AIX", "spot": "evil", "lpp_source": "aix7302_lpp", "usercomment": bad}},
		map[string]any{"name": "evil2", "attrs": map[string]any{
			"imagetype": "NIM", "nimtype": bad, "osname": "AIX", "spot": "aix73_full", "lpp_source": "aix7302_lpp"}})
	w["osimages"] = imgs
	objs := w["objects"].([]any)
	objs = append(objs, map[string]any{"name": "evil", "class": "resources", "type": "spot", "complete": true, "attrs": []any{
		map[string]any{"k": "Rstate", "v": "ready for use" + bad},
		map[string]any{"k": "location", "v": "/install/nim/spot/evil/usr" + bad},
		map[string]any{"k": "comments", "v": bad},
		map[string]any{"k": "alloc_count", "v": "0"},
	}})
	w["objects"] = objs
	w["cdroms"] = append(w["cdroms"].([]any), map[string]any{"Name": "cd2", "Status": "Available", "Location": "05-C0", "Description": bad})
	if data, err = json.Marshal(w); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return state, bad
}

func runIn(state string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"--demo", "--state-dir", state}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// list and show print what lsdef and lsnim said as text; --json keeps the
// values exactly, in JSON's own escaping.
func TestListAndShowShowHostileValuesAsText(t *testing.T) {
	state, bad := hostileState(t)
	code, out, errs := runIn(state, "list")
	if code != exitOK {
		t.Fatalf("list: %d %s", code, errs)
	}
	assertShownAsText(t, "list", out+errs, viaXcat(payloads)) // lsdef

	code, out, errs = runIn(state, "show", "evil")
	if code != exitOK {
		t.Fatalf("show: %d %s", code, errs)
	}
	assertShownAsText(t, "show", out+errs, viaXcat(payloads)) // lsdef
	assertShownAsText(t, "show", out+errs, payloads)          // lsnim
	if !strings.Contains(out, "usercomment="+strings.TrimSuffix(visibleOf(viaXcat(payloads)), " ")) {
		t.Errorf("show: the comments are not readable:\n%s", out)
	}

	for _, tc := range []struct {
		args []string
		want []string // in JSON's escaping
		bad  string   // the planted values as they came
	}{
		{[]string{"list", "--json"}, []string{`\u001b]0;TITLE1?`, `DEL9\u007f`}, viaXcat([]payload{{raw: bad}})[0].raw},
		{[]string{"show", "evil", "--json"}, []string{`\u001b]0;TITLE1\u0007`, `\u009b2JC1CSI7`, `DEL9\u007f`}, bad},
	} {
		code, out, errs = runIn(state, tc.args...)
		if code != exitOK {
			t.Fatalf("%v: %d %s", tc.args, code, errs)
		}
		assertShownAsText(t, strings.Join(tc.args, " "), out, nil)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: %s not in JSON's escaping:\n%s", tc.args, w, out)
			}
		}
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: not JSON: %v", tc.args, err)
		}
		if !strings.Contains(fmt.Sprint(v), strings.TrimSpace(tc.bad)) { // lsdef and lsnim values lose trailing blanks
			t.Errorf("%v: the values did not survive exactly", tc.args)
		}
	}
}

func visibleOf(ps []payload) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.visible + " ")
	}
	return b.String()
}

// A plan file's keys are shown as text in plan's and apply's messages
// (the TOML library quotes a key with escapes itself; the sanitizer is there
// whatever a message quotes).
func TestPlanMessagesShowHostileKeysAsText(t *testing.T) {
	state := t.TempDir()
	p := filepath.Join(t.TempDir(), "bad.toml")
	var key strings.Builder
	for _, pl := range payloads {
		key.WriteString(pl.raw)
	}
	// A quoted TOML key with every control as an escape: TOML refuses raw
	// ones, and hands the parsed key on as it is.
	k := `"`
	for _, r := range key.String() {
		if r < 0x20 || r >= 0x7f && r < 0xa0 || r == '"' || r == '\\' {
			k += fmt.Sprintf(`\u%04X`, r)
		} else {
			k += string(r)
		}
	}
	os.WriteFile(p, []byte("name = \"x\"\nsource = \"/dev/cd0\"\n"+k+"\" = 1\n"), 0o600)
	for _, verb := range []string{"plan", "apply"} {
		code, out, errs := runIn(state, verb, p, "--yes")
		if verb == "plan" {
			code, out, errs = runIn(state, verb, p)
		}
		if code != exitUsage {
			t.Fatalf("%s: exit %d: %s", verb, code, errs)
		}
		assertShownAsText(t, verb, out+errs, nil)
		if !strings.Contains(errs, "unknown key") || !strings.Contains(errs, "TITLE1") {
			t.Errorf("%s: %s", verb, errs)
		}
	}
}

// jobs lists a record's values as text, in the table and for one job.
func TestJobsShowHostileRecordsAsText(t *testing.T) {
	state := t.TempDir()
	bad := joinRaw(payloads)
	id := "20260101-000000-evil"
	dir := filepath.Join(state, "jobs", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rec := job.Record{ID: id, Name: "evil", Argv: []string{"mknimimage", bad}, State: job.StateFailed, ExitCode: 1,
		PhaseName: "SPOT creation" + bad, EndedIn: "SPOT creation" + bad, Error: bad, LogError: bad,
		Events: []job.Event{{Signal: "SIGTERM" + bad, Phase: bad, Action: bad}}}
	data, _ := json.Marshal(rec)
	os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600)
	os.WriteFile(filepath.Join(dir, "output.log"), nil, 0o600)

	code, out, errs := runIn(state, "jobs")
	if code != exitOK {
		t.Fatalf("jobs: %d %s", code, errs)
	}
	assertShownAsText(t, "jobs", out+errs, payloads)
	code, out, errs = runIn(state, "jobs", id)
	if code != exitOK {
		t.Fatalf("jobs ID: %d %s", code, errs)
	}
	assertShownAsText(t, "jobs ID", out+errs, payloads)
	code, out, _ = runIn(state, "jobs", "--json", id)
	if code != exitOK {
		t.Fatal(code)
	}
	assertShownAsText(t, "jobs --json", out, nil)
	var back jobJSON
	if err := json.Unmarshal([]byte(out), &back); err != nil || back.Error != bad {
		t.Fatalf("jobs --json changed the record: %v %q", err, back.Error)
	}
}

// apply copies mknimimage's output live to stdout as text, says how the job
// ended on stderr as text, and keeps output.log byte for byte. mknimimage is
// a script that prints every payload, raw 8-bit and invalid UTF-8 included.
func TestApplyShowsHostileOutputAsText(t *testing.T) {
	bin, data := t.TempDir(), t.TempDir()
	all := append(append([]payload{}, payloads...), rawPayloads...)
	stdoutBytes := "Creating a NIM lpp_source resource called 'evil_lpp_source'.\n" + joinRaw(all) + "\n"
	stderrBytes := "Error: " + joinRaw(all) + "\n"
	os.WriteFile(filepath.Join(data, "out"), []byte(stdoutBytes), 0o600)
	os.WriteFile(filepath.Join(data, "err"), []byte(stderrBytes), 0o600)
	script := fmt.Sprintf("#!/bin/sh\ncat %s\ncat %s >&2\nexit 1\n", filepath.Join(data, "out"), filepath.Join(data, "err"))
	if err := os.WriteFile(filepath.Join(bin, "mknimimage"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t) // the fake lsdef and lsnim answer apply's pre-flight
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	state := c.state
	p := filepath.Join(t.TempDir(), "evil.toml")
	os.WriteFile(p, []byte("name = \"evil\"\nsource = \"/dev/cd0\"\n"), 0o600)

	var out, errb bytes.Buffer
	code := run([]string{"--state-dir", state, "apply", p, "--yes"}, strings.NewReader(""), &out, &errb)
	if code != 1 {
		t.Fatalf("apply: exit %d, want 1 (mknimimage failed)\n%s", code, errb.String())
	}
	assertShownAsText(t, "apply stdout", out.String(), all)
	assertShownAsText(t, "apply stderr", errb.String(), payloads)
	if want := "Creating a NIM lpp_source resource called 'evil_lpp_source'.\n" + visibleOf(all) + "\n"; !strings.HasPrefix(out.String(), want) {
		t.Errorf("apply stdout:\n%q\nwant it to start with\n%q", out.String(), want)
	}
	recs, err := job.NewStore(state).List()
	if err != nil || len(recs) != 1 {
		t.Fatalf("jobs: %v %v", recs, err)
	}
	log, err := os.ReadFile(recs[0].LogPath())
	if err != nil || string(log) != stdoutBytes+stderrBytes {
		t.Fatalf("output.log is not byte-exact: %v\n%q\nwant\n%q", err, log, stdoutBytes+stderrBytes)
	}
}

// Plain mode (serial consoles, screen readers) lists lsdev's descriptions
// as text: it writes through the same sanitized stdout.
func TestPlainModeShowsHostileDescriptionsAsText(t *testing.T) {
	state, _ := hostileState(t)
	// Accept the suggested name, choose product media, then the input ends.
	code, out, errs := runInWith(state, "\n1\n", "--plain", "create")
	if code != exitUsage {
		t.Fatalf("plain create: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "/dev/cd2") {
		t.Fatalf("plain mode did not list the drives:\n%s", out)
	}
	assertShownAsText(t, "plain mode", out+errs, payloads)
}

func runInWith(state, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"--demo", "--state-dir", state}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}
