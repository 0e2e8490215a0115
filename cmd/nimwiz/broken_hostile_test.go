package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

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
// answer (output cut mid-line included: its last object would be made up).
func TestBrokenQueries(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  simtest.Option
		verb string
		args []string
		want []string // all in stderr
	}{
		{"list lsdef hangs", simtest.HangQuery("lsdef"), "list", nil, []string{"lsdef -t osimage", "timed out"}},
		{"list lsdef garbage", simtest.Garble("lsdef", sim.GarbleGarbage), "list", nil, []string{"lsdef -t osimage", "unexpected output"}},
		{"list lsdef unknown 0042 code", simtest.Garble("lsdef", sim.GarbleCode), "list", nil, []string{"lsdef -t osimage", "0042-999"}},
		{"list lsdef truncated", simtest.Garble("lsdef", sim.GarbleTruncated), "list", nil, []string{"lsdef -t osimage"}},
		{"show lsdef hangs", simtest.HangQuery("lsdef"), "show", []string{"aix73_full"}, []string{"lsdef -t osimage -o aix73_full", "timed out"}},
		{"show lsdef garbage", simtest.Garble("lsdef", sim.GarbleGarbage), "show", []string{"aix73_full"}, []string{"lsdef -t osimage -o aix73_full", "unexpected output"}},
		{"show lsnim hangs", simtest.HangQuery("lsnim"), "show", []string{"aix73_full"}, []string{"lsnim -l", "timed out"}},
		{"show lsnim garbage", simtest.Garble("lsnim", sim.GarbleGarbage), "show", []string{"aix73_full"}, []string{"lsnim -l"}},
		{"show lsnim unknown 0042 code", simtest.Garble("lsnim", sim.GarbleCode), "show", []string{"aix73_full"}, []string{"lsnim -l", "0042-999"}},
		{"show lsnim truncated", simtest.Garble("lsnim", sim.GarbleTruncated), "show", []string{"aix73_full"}, []string{"lsnim -l"}},
		{"show lsnim empty", simtest.Garble("lsnim", sim.GarbleEmpty), "show", []string{"aix73_full"}, []string{"lsnim -l"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, out, errb, _ := simApp(t, tc.opt)
			start := time.Now()
			code := a.do(tc.verb, tc.args)
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("took %s", d)
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
