package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// knownBug skips a test of a bug reported to the lead, unless
// NIMWIZ_E2E_STRICT=1 (then it fails).
func knownBug(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("NIMWIZ_E2E_STRICT") == "1" {
		t.Fatal(msg)
	}
	t.Skip("KNOWN BUG (see e2e/README.md; NIMWIZ_E2E_STRICT=1 makes it fail): " + msg)
}

// simApp is an app on a simulated NIM master with a short query timeout.
func simApp(t *testing.T, opts ...simtest.Option) (*app, *bytes.Buffer, *bytes.Buffer, *simtest.World) {
	t.Helper()
	w := simtest.New(t, opts...)
	w.Exec.Timeout = 5 * time.Second // a race-built simulator on a busy machine is slow
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, exec: w.Exec, client: nim.NewClient(w.Exec), hostRoot: w.Root, demo: true, stateDir: t.TempDir()}
	return a, &out, &errb, w
}

// TestBrokenQueries: a NIM/xCAT query that hangs, fails or prints
// something nimwiz does not understand makes list and show fail with exit 1
// and an error naming the command; never a hang, a panic or a made-up
// answer.
func TestBrokenQueries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opt     simtest.Option
		verb    string
		args    []string
		want    []string // all in stderr
		partial bool     // exit 0 allowed if stdout is honest (see below)
	}{
		{"list lsdef hangs", simtest.HangQuery("lsdef"), "list", nil, []string{"lsdef -t osimage", "timed out"}, false},
		{"list lsdef garbage", simtest.Garble("lsdef", sim.GarbleGarbage), "list", nil, []string{"lsdef -t osimage", "unexpected output"}, false},
		{"list lsdef unknown 0042 code", simtest.Garble("lsdef", sim.GarbleCode), "list", nil, []string{"lsdef -t osimage", "0042-999"}, false},
		{"list lsdef truncated", simtest.Garble("lsdef", sim.GarbleTruncated), "list", nil, []string{"lsdef -t osimage"}, true},
		{"show lsdef hangs", simtest.HangQuery("lsdef"), "show", []string{"aix73_full"}, []string{"lsdef -t osimage -o aix73_full", "timed out"}, false},
		{"show lsdef garbage", simtest.Garble("lsdef", sim.GarbleGarbage), "show", []string{"aix73_full"}, []string{"lsdef -t osimage -o aix73_full", "unexpected output"}, false},
		{"show lsnim hangs", simtest.HangQuery("lsnim"), "show", []string{"aix73_full"}, []string{"lsnim -l", "timed out"}, false},
		{"show lsnim garbage", simtest.Garble("lsnim", sim.GarbleGarbage), "show", []string{"aix73_full"}, []string{"lsnim -l"}, false},
		{"show lsnim unknown 0042 code", simtest.Garble("lsnim", sim.GarbleCode), "show", []string{"aix73_full"}, []string{"lsnim -l", "0042-999"}, false},
		{"show lsnim truncated", simtest.Garble("lsnim", sim.GarbleTruncated), "show", []string{"aix73_full"}, []string{"lsnim -l"}, true},
		{"show lsnim empty", simtest.Garble("lsnim", sim.GarbleEmpty), "show", []string{"aix73_full"}, []string{"lsnim -l"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, out, errb, _ := simApp(t, tc.opt)
			start := time.Now()
			code := verbs[tc.verb].run(a, tc.args)
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %s", d)
			}
			if tc.partial && code == exitOK {
				// Output cut mid-line parses into a last object with
				// attributes missing, printed as if it were the truth.
				knownBug(t, "nimwiz %s exits 0 on output cut mid-line, printing a made-up last row:\n%s", tc.verb, out)
			}
			if code != exitFail {
				t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errb)
			}
			for _, w := range tc.want {
				if !strings.Contains(errb.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, errb)
				}
			}
		})
	}
}
