package sim_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

func TestCommandLogRecordsEveryInvocation(t *testing.T) {
	w := simtest.New(t)
	if got := w.Commands(t); len(got) != 0 {
		t.Fatalf("a fresh world ran %q", got)
	}
	ctx := context.Background()
	w.Exec.Query(ctx, "lsnim", "-t", "spot")
	w.Exec.Query(ctx, "lsdef", "-t", "osimage", "-o", "has space", "-l")
	w.Exec.Query(ctx, "lsnim", "-l", "$(touch /tmp/x)\nnext")
	// Concurrent commands: every line stays whole.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); w.Exec.Query(ctx, "lsxcatd", "-v") }()
	}
	wg.Wait()
	got := w.Commands(t)
	want := [][]string{
		{"lsnim", "-t", "spot"},
		{"lsdef", "-t", "osimage", "-o", "has space", "-l"},
		{"lsnim", "-l", "$(touch /tmp/x)\nnext"},
	}
	if len(got) != 11 || !reflect.DeepEqual(got[:3], want) {
		t.Fatalf("log:\n%q", got)
	}
	if n := len(simtest.Ran(got, "lsxcatd")); n != 8 {
		t.Errorf("%d lsxcatd lines, want 8", n)
	}
	if ch := simtest.Changing(got); len(ch) != 0 {
		t.Errorf("queries counted as changes: %q", ch)
	}
	if ch := simtest.Changing([][]string{{"nim", "-o", "showres", "x"}, {"nim", "-o", "remove", "x"}, {"mknimimage", "a"}}); len(ch) != 2 {
		t.Errorf("Changing = %q", ch)
	}
}

func TestGarbledOutput(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		mode     string
		exit     int
		stdout   func(string) bool
		stderrHa string
	}{
		{sim.GarbleTruncated, 0, func(s string) bool { return s != "" && !strings.HasSuffix(s, "\n") }, ""},
		{sim.GarbleGarbage, 0, func(s string) bool { return strings.Contains(s, "\x00") }, ""},
		{sim.GarbleCode, 1, func(s string) bool { return s == "" }, "0042-999"},
		{sim.GarbleEmpty, 0, func(s string) bool { return s == "" }, ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			w := simtest.New(t, simtest.Garble("lsnim", tc.mode))
			res, err := w.Exec.Query(ctx, "lsnim", "-l", "-t", "lpp_source")
			var ce *nim.CommandError
			if tc.exit != 0 && !errors.As(err, &ce) {
				t.Fatalf("err %v", err)
			}
			if res.ExitCode != tc.exit || !tc.stdout(string(res.Stdout)) || !strings.Contains(string(res.Stderr), tc.stderrHa) {
				t.Errorf("exit %d stdout %q stderr %q", res.ExitCode, res.Stdout, res.Stderr)
			}
			// Other commands are untouched.
			if res, err := w.Exec.Query(ctx, "lsdef", "-t", "osimage"); err != nil || len(res.Stdout) == 0 {
				t.Errorf("lsdef: %v %q", err, res.Stdout)
			}
		})
	}
}

// An xCAT command's output can be spoiled only the ways its client lets
// through: cut by a connection that drops, junk turned into "?" by xcatd,
// an error reply, nothing.
func TestGarbledXcatOutput(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		mode   string
		exit   int
		stdout func(string) bool
		stderr string
	}{
		{sim.GarbleTruncated, 1, func(s string) bool { return s != "" && !strings.HasSuffix(s, "  (osimage)\n") },
			"ERROR/WARNING: communication with the xCAT server seems to have been ended prematurely\n"},
		{sim.GarbleGarbage, 0, func(s string) bool { return strings.Contains(s, "?") && !strings.ContainsAny(s, "\x00\x01\xff") }, ""},
		{sim.GarbleCode, 1, func(s string) bool { return s == "" }, "Error: 0042-999 lsdef: an unexpected condition occurred (code 1234).\n\tPlease report this to your service representative.\n"},
		{sim.GarbleEmpty, 0, func(s string) bool { return s == "" }, ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			w := simtest.New(t, simtest.Garble("lsdef", tc.mode))
			res, _ := w.Exec.Query(ctx, "lsdef", "-t", "osimage")
			if res.ExitCode != tc.exit || !tc.stdout(string(res.Stdout)) || string(res.Stderr) != tc.stderr {
				t.Errorf("exit %d stdout %q stderr %q", res.ExitCode, res.Stdout, res.Stderr)
			}
		})
	}
}
