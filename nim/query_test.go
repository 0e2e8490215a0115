package nim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fakeCmd is one fake NIM/xCAT command: a /bin/sh script that logs its argv,
// prints its stdout and stderr files and exits. Tests only: production code
// never builds a shell script or string.
type fakeCmd struct {
	stdout, stderr []byte
	exit           int
	hang           bool // sleeps far past any test timeout
}

type fakeMaster struct {
	c   *Client
	log string
}

func newFake(t *testing.T, cmds map[string]fakeCmd) *fakeMaster {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(dir, "argv.log")
	for name, fc := range cmds {
		out, errf := filepath.Join(dir, name+".out"), filepath.Join(dir, name+".err")
		if err := os.WriteFile(out, fc.stdout, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(errf, fc.stderr, 0o644); err != nil {
			t.Fatal(err)
		}
		script := "#!/bin/sh\necho \"" + name + " $*\" >> \"$FAKE_ARGV_LOG\"\n"
		if fc.hang {
			script += "exec sleep 60\n"
		}
		script += "cat '" + out + "'\ncat '" + errf + "' >&2\nexit " + strconv.Itoa(fc.exit) + "\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	e := &Executor{Dirs: []string{bin}, Env: []string{"FAKE_ARGV_LOG=" + log}, Timeout: 10 * time.Second}
	return &fakeMaster{c: NewClient(e), log: log}
}

// ran returns the command lines the fakes saw, in order.
func (f *fakeMaster) ran(t *testing.T) []string {
	b, err := os.ReadFile(f.log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

var queryCtx = context.Background()

func TestOsimages(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/long_mixed_synthetic.txt")}})
	imgs, err := f.c.Osimages(queryCtx)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, f.ran(t), []string{"lsdef -t osimage -l -w imagetype==NIM"})
	if len(imgs) != 2 || imgs[0].Name != "61cosi" || imgs[1].Name != "71dskls" {
		t.Errorf("want 61cosi, 71dskls (sorted, Linux left out): %v", imgs)
	}

	// lsdef's three answers for "no osimage", and 2.9.2's silence when -w
	// matches none: an empty list.
	for _, fc := range noneAnswers(t) {
		imgs, err = newFake(t, map[string]fakeCmd{"lsdef": fc}).c.Osimages(queryCtx)
		if err != nil || len(imgs) != 0 {
			t.Errorf("no osimages (%q%q exit %d): %v %v", fc.stdout, fc.stderr, fc.exit, imgs, err)
		}
	}
	// Only those: the same texts in another form are failures.
	for _, fc := range notNoneAnswers(t) {
		_, err = newFake(t, map[string]fakeCmd{"lsdef": fc}).c.Osimages(queryCtx)
		if err == nil || !strings.Contains(err.Error(), "lsdef -t osimage -l -w imagetype==NIM") {
			t.Errorf("(%q%q exit %d) is a failure: %v", fc.stdout, fc.stderr, fc.exit, err)
		}
	}

	imgs, err = newFake(t, map[string]fakeCmd{"lsdef": {stdout: hostile()["binary"]}}).c.Osimages(queryCtx)
	if !errors.Is(err, ErrUnexpectedOutput) || len(imgs) != 0 {
		t.Errorf("garbage: %v %v", imgs, err)
	}
	_, err = newFake(t, map[string]fakeCmd{"lsdef": {stderr: []byte("Error: [mn]: Permission denied\n"), exit: 1}}).c.Osimages(queryCtx)
	if err == nil || !strings.Contains(err.Error(), "lsdef -t osimage") || !strings.Contains(err.Error(), "Permission denied") {
		t.Errorf("failure: %v", err)
	}
}

func TestOsimage(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/long_types_synthetic.txt")}})
	img, err := f.c.Osimage(queryCtx, "61cosi")
	if err != nil || img.Name != "61cosi" || img.Spot() != "61cosi" {
		t.Fatalf("%v %v", img, err)
	}
	eq(t, f.ran(t), []string{"lsdef -t osimage -o 61cosi -l"})

	for _, in := range []string{"lsdef/notfound_verified.stderr", "lsdef/notfound_host_synthetic.stderr"} {
		_, err = newFake(t, map[string]fakeCmd{"lsdef": {stderr: fixture(t, in), exit: 1}}).c.Osimage(queryCtx, "nosuch")
		if !errors.Is(err, ErrNoSuchOsimage) || !strings.Contains(err.Error(), "Could not find an object named 'nosuch' of type 'osimage'.") {
			t.Errorf("%s: %v", in, err)
		}
	}
	_, err = newFake(t, map[string]fakeCmd{"lsdef": {}}).c.Osimage(queryCtx, "nosuch")
	if !errors.Is(err, ErrNoSuchOsimage) {
		t.Errorf("empty output: %v", err)
	}
	// A fresh master: no osimage at all, asked for one by name (defls,
	// DBobjectdefs.pm at 2.9.2_aix_release L3368; info, exit 0).
	_, err = newFake(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/none_named_inferred.txt")}}).c.Osimage(queryCtx, "first")
	if !errors.Is(err, ErrNoSuchOsimage) {
		t.Errorf("no osimage at all: %v", err)
	}
	_, err = newFake(t, map[string]fakeCmd{"lsdef": {stdout: []byte("\x00\x01garbage\n")}}).c.Osimage(queryCtx, "x")
	if !errors.Is(err, ErrUnexpectedOutput) {
		t.Errorf("garbage: %v", err)
	}
}

func TestObjects(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsnim": {
		stdout: fixture(t, "lsnim/long_multi_synthetic.txt"),
		stderr: fixture(t, "lsnim/nosuch_verified.stderr"),
		exit:   1,
	}})
	found, missing, err := f.c.Objects(queryCtx, "61cosi_lpp_source", "61cosi", "quimby07", "61cosi_shared_root")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, f.ran(t), []string{"lsnim -l 61cosi_lpp_source 61cosi quimby07 61cosi_shared_root"})
	eq(t, missing, []string{"quimby07"})
	if len(found) != 3 || found[1].Name != "61cosi" || found[1].Ready() {
		t.Errorf("found %v", found)
	}

	// lsnim stopped at the unknown name: the rest is unanswered, not missing.
	f = newFake(t, map[string]fakeCmd{"lsnim": {
		stdout: fixture(t, "lsnim/long_lpp_source_verified.txt"),
		stderr: fixture(t, "lsnim/nosuch_verified.stderr"),
		exit:   1,
	}})
	found, missing, err = f.c.Objects(queryCtx, "7100-03-05-1524-lpp_source", "quimby07", "later")
	if !errors.Is(err, ErrUnanswered) || !strings.Contains(err.Error(), "later") || len(found) != 1 {
		t.Errorf("unanswered: %v %v %v", found, missing, err)
	}
	eq(t, missing, []string{"quimby07"})

	// Any other NIM error is an error naming the command.
	f = newFake(t, map[string]fakeCmd{"lsnim": {stderr: fixture(t, "errors/nim_207_verified.txt"), exit: 1}})
	_, _, err = f.c.Objects(queryCtx, "spot_72V_2114")
	if err == nil || errors.Is(err, ErrUnanswered) || !strings.Contains(err.Error(), "lsnim -l spot_72V_2114") {
		t.Errorf("other failure: %v", err)
	}
	// Non-zero exit without any message.
	_, _, err = newFake(t, map[string]fakeCmd{"lsnim": {exit: 2}}).c.Objects(queryCtx, "x")
	if err == nil || !strings.Contains(err.Error(), "lsnim -l x") {
		t.Errorf("silent failure: %v", err)
	}
	// Garbage: no invented objects.
	found, missing, err = newFake(t, map[string]fakeCmd{"lsnim": {stdout: hostile()["binary"]}}).c.Objects(queryCtx, "x")
	if len(found) != 0 || len(missing) != 0 || !errors.Is(err, ErrUnexpectedOutput) {
		t.Errorf("garbage: %v %v %v", found, missing, err)
	}
	// No names: nothing runs.
	f = newFake(t, map[string]fakeCmd{"lsnim": {}})
	if found, missing, err := f.c.Objects(queryCtx); found != nil || missing != nil || err != nil || f.ran(t) != nil {
		t.Errorf("no names ran %v", f.ran(t))
	}
}

func TestObjectsOfType(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsnim": {stdout: fixture(t, "lsnim/long_spot_r.txt")}})
	objs, err := f.c.ObjectsOfType(queryCtx, "spot")
	if err != nil || len(objs) != 1 || objs[0].Get("type") != "spot" {
		t.Fatalf("%v %v", objs, err)
	}
	eq(t, f.ran(t), []string{"lsnim -l -t spot"})
	for _, fc := range []fakeCmd{{}, {exit: 1}, {stdout: []byte("\n"), exit: 1}} {
		objs, err := newFake(t, map[string]fakeCmd{"lsnim": fc}).c.ObjectsOfType(queryCtx, "dump")
		if err != nil || len(objs) != 0 {
			t.Errorf("none of type (exit %d): %v %v", fc.exit, objs, err)
		}
	}
	_, err = newFake(t, map[string]fakeCmd{"lsnim": {stderr: []byte("0042-024 lsnim: \"bogus\" is not a valid type\n"), exit: 1}}).c.ObjectsOfType(queryCtx, "bogus")
	if err == nil || !strings.Contains(err.Error(), "lsnim -l -t bogus") {
		t.Errorf("bad type: %v", err)
	}
}

func TestResourcesAndDevices(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{
		"lsnim": {stdout: fixture(t, "lsnim/resources_synthetic.txt")},
		"lsdev": {stdout: fixture(t, "lsdev/cdrom_mixed_synthetic.txt")},
	})
	res, err := f.c.Resources(queryCtx)
	if err != nil || len(res) != 10 {
		t.Errorf("resources: %v %v", res, err)
	}
	devs, err := f.c.CDDevices(queryCtx)
	if err != nil || len(devs) != 4 || devs[2].Location != "" {
		t.Errorf("devices: %v %v", devs, err)
	}
	eq(t, f.ran(t), []string{"lsnim -c resources", "lsdev -Cc cdrom"})
}

// noneAnswers are lsdef's ways of saying there is no osimage, from the
// real texts: the error when there is none at all (2.9.2, and with the
// "[host]: " prefix of xCAT >= 2.14.2), the info when -w matched none (HEAD;
// 2.9.2 prints nothing), and the info when nothing is left to display.
func noneAnswers(t *testing.T) []fakeCmd {
	return []fakeCmd{
		{stderr: fixture(t, "lsdef/none_oftype_verified.stderr"), exit: 1},
		{stderr: fixture(t, "lsdef/none_oftype_host_synthetic.stderr"), exit: 1},
		{stdout: fixture(t, "lsdef/none_where_verified.txt")},
		{stdout: fixture(t, "lsdef/none_verified.txt")},
		{},
	}
}

// notNoneAnswers are failures that only look like those answers.
func notNoneAnswers(t *testing.T) []fakeCmd {
	return []fakeCmd{
		{stderr: fixture(t, "lsdef/none_verified.txt"), exit: 1},
		{stdout: fixture(t, "lsdef/none_oftype_verified.stderr"), exit: 1},
		{stderr: fixture(t, "lsdef/none_oftype_verified.stderr")},
		{stderr: append(fixture(t, "lsdef/none_oftype_verified.stderr"), "Error: Could not get xCAT object definitions.\n"...), exit: 1},
		{stderr: []byte("Error: Could not get objects of type 'node'.\n"), exit: 1},
		{stderr: fixture(t, "lsdef/none_oftype_verified.stderr"), exit: 2},
		{stdout: fixture(t, "lsdef/none_where_verified.txt"), stderr: []byte("Warning: the site table is locked\n")},
	}
}

func TestNameTaken(t *testing.T) {
	list := fixture(t, "lsdef/list_synthetic.txt")
	tests := []struct {
		name  string
		lsnim fakeCmd
		lsdef fakeCmd
		arg   string
		want  Taken
		err   string
	}{
		{"both", fakeCmd{stdout: []byte("61cosi          resources       spot\n")}, fakeCmd{stdout: list}, "61cosi", Taken{Osimage: true, NIMType: "spot"}, ""},
		{"NIM only", fakeCmd{stdout: []byte("boot  resources  boot\n")}, fakeCmd{stdout: list}, "boot", Taken{NIMType: "boot"}, ""},
		{"free", fakeCmd{stderr: []byte("0042-053 lsnim: there is no NIM object named \"newimg\"\n"), exit: 1}, fakeCmd{stdout: list}, "newimg", Taken{}, ""},
		{"xCAT only", fakeCmd{stderr: []byte("0042-053 lsnim: there is no NIM object named \"71dskls\"\n"), exit: 1}, fakeCmd{stdout: list}, "71dskls", Taken{Osimage: true}, ""},
		{"no osimages at all", fakeCmd{stderr: []byte("0042-053 lsnim: there is no NIM object named \"x\"\n"), exit: 1}, fakeCmd{stderr: fixture(t, "lsdef/none_oftype_verified.stderr"), exit: 1}, "x", Taken{}, ""},
		{"no osimages (2.14 prefix)", fakeCmd{stderr: []byte("0042-053 lsnim: there is no NIM object named \"x\"\n"), exit: 1}, fakeCmd{stderr: fixture(t, "lsdef/none_oftype_host_synthetic.stderr"), exit: 1}, "x", Taken{}, ""},
		{"nothing to display", fakeCmd{stderr: []byte("0042-053 lsnim: there is no NIM object named \"x\"\n"), exit: 1}, fakeCmd{stdout: fixture(t, "lsdef/none_verified.txt")}, "x", Taken{}, ""},
		{"not quite none", fakeCmd{}, fakeCmd{stdout: fixture(t, "lsdef/none_verified.txt"), exit: 1}, "x", Taken{}, "lsdef -t osimage"},
		{"lsdef garbage", fakeCmd{}, fakeCmd{stdout: []byte("garbage\n")}, "x", Taken{}, "lsdef -t osimage: unexpected output"},
		{"lsnim fails otherwise", fakeCmd{stderr: fixture(t, "errors/nim_207_verified.txt"), exit: 1}, fakeCmd{stdout: list}, "x", Taken{}, "lsnim x"},
		{"lsdef fails", fakeCmd{}, fakeCmd{stderr: []byte("Error: Permission denied\n"), exit: 1}, "x", Taken{}, "lsdef -t osimage"},
		{"lsnim garbage", fakeCmd{stdout: []byte("garbage\n")}, fakeCmd{stdout: list}, "x", Taken{}, "unexpected output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newFake(t, map[string]fakeCmd{"lsnim": tt.lsnim, "lsdef": tt.lsdef}).c.NameTaken(queryCtx, tt.arg)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want || got.Any() != (tt.want != Taken{}) {
				t.Errorf("%+v %v, want %+v", got, err, tt.want)
			}
		})
	}
}

func TestXcatVersion(t *testing.T) {
	v, err := newFake(t, map[string]fakeCmd{"lsxcatd": {stdout: fixture(t, "lsxcatd/version_synthetic.txt")}}).c.XcatVersion(queryCtx)
	if err != nil || v.Major != 2 || v.Minor != 16 || v.Patch != 5 || !v.AtLeast(2, 14) {
		t.Errorf("%+v %v", v, err)
	}
	_, err = newFake(t, map[string]fakeCmd{"lsxcatd": {stdout: []byte("no idea\n")}}).c.XcatVersion(queryCtx)
	if !errors.Is(err, ErrUnexpectedOutput) || !strings.Contains(err.Error(), "lsxcatd -v") {
		t.Errorf("garbage: %v", err)
	}
}

func TestShowres(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"nim": {stdout: fixture(t, "showres/spot_lslpp_L_synthetic.txt")}})
	fs, err := f.c.Showres(queryCtx, "61cosi", "spot")
	if err != nil || len(fs) != 7 {
		t.Errorf("spot: %d %v", len(fs), err)
	}
	eq(t, f.ran(t), []string{"nim -o showres 61cosi"})

	fs, err = newFake(t, map[string]fakeCmd{"nim": {stdout: fixture(t, "showres/lpp_installp_l_synthetic.txt")}}).c.Showres(queryCtx, "61cosi_lpp_source", "lpp_source")
	if err != nil || len(fs) != 5 {
		t.Errorf("lpp_source: %d %v", len(fs), err)
	}

	f = newFake(t, map[string]fakeCmd{"nim": {}})
	if _, err := f.c.Showres(queryCtx, "61cosi_paging", "paging"); err == nil || f.ran(t) != nil {
		t.Errorf("paging: %v, ran %v", err, f.ran(t))
	}

	_, err = newFake(t, map[string]fakeCmd{"nim": {stderr: fixture(t, "errors/nim_207_verified.txt"), exit: 1}}).c.Showres(queryCtx, "spot_72V_2114", "spot")
	if !errors.Is(err, ErrResourceBusy) || !strings.Contains(err.Error(), "nim -o showres spot_72V_2114") {
		t.Errorf("busy: %v", err)
	}
	fs, err = newFake(t, map[string]fakeCmd{"nim": {stdout: hostile()["binary"]}}).c.Showres(queryCtx, "x", "spot")
	if !errors.Is(err, ErrUnexpectedOutput) || len(fs) != 0 {
		t.Errorf("garbage: %v %v", fs, err)
	}
}

func TestQueriesRefuseBadNames(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsnim": {}, "lsdef": {}, "nim": {}})
	for _, bad := range []string{"", "a b", "a;rm -rf /", "-l", "x/y", "a.b", "$(id)", strings.Repeat("a", 40), "caf\xc3\xa9"} {
		errs := map[string]error{}
		_, errs["Osimage"] = f.c.Osimage(queryCtx, bad)
		_, _, errs["Objects"] = f.c.Objects(queryCtx, "ok", bad)
		_, errs["ObjectsOfType"] = f.c.ObjectsOfType(queryCtx, bad)
		_, errs["NameTaken"] = f.c.NameTaken(queryCtx, bad)
		_, errs["Showres"] = f.c.Showres(queryCtx, bad, "spot")
		for q, err := range errs {
			if !errors.Is(err, errBadName) {
				t.Errorf("%s(%q): %v", q, bad, err)
			}
		}
	}
	if r := f.ran(t); r != nil {
		t.Errorf("commands ran: %v", r)
	}
	for _, good := range []string{strings.Repeat("a", 39), "7100-03-05-1524-lpp_source", "61cosi_shared_root", "_x", "A-b_9"} {
		if err := checkName(good); err != nil {
			t.Errorf("%q refused: %v", good, err)
		}
	}
}

func TestQueryHungCommand(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsnim": {hang: true}})
	f.c.Exec.Timeout = 200 * time.Millisecond
	res, err := f.c.Resources(queryCtx)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "lsnim -c resources") || res != nil {
		t.Errorf("hung lsnim: %v %v", res, err)
	}
}

func TestQueryMissingCommand(t *testing.T) {
	c := NewClient(&Executor{Dirs: []string{t.TempDir()}})
	errs := map[string]error{}
	_, errs["Osimages"] = c.Osimages(queryCtx)
	_, errs["Osimage"] = c.Osimage(queryCtx, "x")
	_, _, errs["Objects"] = c.Objects(queryCtx, "x")
	_, errs["ObjectsOfType"] = c.ObjectsOfType(queryCtx, "spot")
	_, errs["Resources"] = c.Resources(queryCtx)
	_, errs["CDDevices"] = c.CDDevices(queryCtx)
	_, errs["NameTaken"] = c.NameTaken(queryCtx, "x")
	_, errs["XcatVersion"] = c.XcatVersion(queryCtx)
	_, errs["Showres"] = c.Showres(queryCtx, "x", "spot")
	for q, err := range errs {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// scriptExec is an executor whose only command is name, a /bin/sh script
// (tests only).
func scriptExec(t *testing.T, name, body string) *Executor {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return &Executor{Dirs: []string{dir}}
}

// Run keeps both streams in output order in Stdout, reports the exit, and
// tells Observe; Query keeps them apart.
func TestRunCombinedOutput(t *testing.T) {
	e := scriptExec(t, "rmnimimage", "echo one\necho two >&2\necho three\nexit 3\n")
	var seen []Result
	e.Observe = func(r Result) { seen = append(seen, r) }
	res, err := e.Run(queryCtx, time.Minute, "rmnimimage", "-x", "a b")
	var ce *CommandError
	if !errors.As(err, &ce) || res.ExitCode != 3 {
		t.Fatalf("err %v, exit %d", err, res.ExitCode)
	}
	if string(res.Stdout) != "one\ntwo\nthree\n" || res.Stderr != nil {
		t.Errorf("stdout %q, stderr %q", res.Stdout, res.Stderr)
	}
	if strings.Join(res.Argv, "|") != "rmnimimage|-x|a b" || len(seen) != 1 {
		t.Errorf("argv %q, observed %d", res.Argv, len(seen))
	}
	res, _ = e.Query(queryCtx, "rmnimimage")
	if string(res.Stdout) != "one\nthree\n" || string(res.Stderr) != "two\n" {
		t.Errorf("query: stdout %q, stderr %q", res.Stdout, res.Stderr)
	}
}

// Run's timeout is a backstop: past it the command is killed with
// ErrTimeout; with none, cancelling ctx ends it with ctx's error.
func TestRunTimeoutAndCancel(t *testing.T) {
	e := scriptExec(t, "chdef", "exec sleep 30\n")
	if _, err := e.Run(queryCtx, 100*time.Millisecond, "chdef"); !errors.Is(err, ErrTimeout) {
		t.Errorf("timeout: %v", err)
	}
	// A cancelled ctx kills the command (which would sleep 30s) at once.
	ctx, cancel := context.WithCancel(queryCtx)
	cancel()
	if _, err := e.Run(ctx, 0, "chdef"); !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := e.Run(queryCtx, 0, "nosuch"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing command: %v", err)
	}
}

// Output a command cut off mid-line, or text of which nothing parses, is an
// error naming the command: never made-up rows, never "none".
func TestQueriesRefuseUntrustworthyOutput(t *testing.T) {
	cut := "aix71_lpp:\n   class       = resources\n   type        = lpp_source\n   Rstate      = ready for u"
	garbage := "this is not lsnim output\n"
	for _, tc := range []struct {
		name string
		cmd  string
		out  string
		call func(c *Client) error
	}{
		{"objects cut", "lsnim", cut, func(c *Client) error { _, _, err := c.Objects(queryCtx, "aix71_lpp"); return err }},
		{"objects of type cut", "lsnim", cut, func(c *Client) error { _, err := c.ObjectsOfType(queryCtx, "lpp_source"); return err }},
		{"objects of type garbage", "lsnim", garbage, func(c *Client) error { _, err := c.ObjectsOfType(queryCtx, "lpp_source"); return err }},
		{"resources garbage", "lsnim", garbage, func(c *Client) error { _, err := c.Resources(queryCtx); return err }},
		{"cd devices garbage", "lsdev", garbage, func(c *Client) error { _, err := c.CDDevices(queryCtx); return err }},
		{"osimages cut", "lsdef", "Object name: a\n    imagetype=NIM\n    nimtype=disk", func(c *Client) error { _, err := c.Osimages(queryCtx); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(newFake(t, map[string]fakeCmd{tc.cmd: {stdout: []byte(tc.out)}}).c)
			if !errors.Is(err, ErrUnexpectedOutput) || !strings.Contains(err.Error(), tc.cmd) {
				t.Errorf("got %v", err)
			}
		})
	}
}
