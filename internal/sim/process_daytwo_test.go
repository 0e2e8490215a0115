package sim_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// The SPOT update's work is a real child process of xCAT's plugin:
// xcatchroot, which ps lists and which marks the SPOT unavailable while it
// installs. An abort of the client cuts it off as it cuts off NIM's
// define: xCAT 2.9.x signals only the plugin, and xcatchroot dies of
// SIGPIPE at its next write; from 2.12.4 the whole group gets SIGINT.
// Either way the SPOT is left "unavailable for use": why nimwiz refuses
// interrupts for the whole of mknimimage -u.
func TestAbortDuringSpotUpdate(t *testing.T) {
	for _, v := range []struct{ version, death string }{{"2.9.3", "SIGPIPE"}, {"2.16.5", "SIGINT"}} {
		t.Run(v.version, func(t *testing.T) {
			t.Parallel()
			// Long enough that the abort lands in the update on a loaded machine
			// (with 4 s the update once ended first); the abort ends it at once.
			w := simtest.New(t, simtest.XCAT(v.version), simtest.UpdateSeconds(10), simtest.Env("NIMWIZ_SIM_ABORT_SECONDS", "0.1"))
			cmd, out, errb := start(t, w, "-V", "-u", "aix73_full", "installp_bundle=devel_bnd")
			var pid int
			waitFor(t, "xcatchroot installing into the SPOT", func() bool {
				var ok bool
				pid, _, ok = procWith(w, `/opt/xcat/bin/xcatchroot -i aix73_full export INUCLIENTS=1;/usr/sbin/installp `)
				return ok && rstateUnavailable.MatchString(lsnimL(w, "aix73_full"))
			})
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if rc := exitCode(cmd.Wait()); rc != 0 {
				t.Errorf("exit %d, want 0 (the client's abort)", rc)
			}
			if strings.Contains(out.String(), "Updated software") || errb.Len() != 0 {
				t.Errorf("an aborted update says nothing more: %q %q", out, errb)
			}
			waitFor(t, "every process of the run to end", func() bool { return idle(w) })
			if got := signalsMatching(w, " xcatchroot "); len(got) != 1 || !strings.Contains(got[0], v.death+" ") || !strings.HasSuffix(got[0], fmt.Sprintf(" %d", pid)) {
				t.Errorf("xcatchroot's signals %q, want %s to pid %d", got, v.death, pid)
			}
			if l := lsnimL(w, "aix73_full"); !rstateUnavailable.MatchString(l) {
				t.Errorf("a cut-off update must leave the SPOT unavailable: %q", l)
			}
		})
	}
}

// The client killed (no abort): xcatd's plugin and xcatchroot finish the
// update unseen, and the SPOT ends ready with the software in it.
func TestClientDeathDuringUpdate(t *testing.T) {
	w := simtest.New(t, simtest.UpdateSeconds(1))
	cmd, _, _ := start(t, w, "-u", "aix73_full", "otherpkgs=I:bos.adt.base")
	waitFor(t, "xcatchroot", func() bool { _, _, ok := procWith(w, "/opt/xcat/bin/xcatchroot -i aix73_full"); return ok })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	waitFor(t, "the server to finish", func() bool { return idle(w) })
	if l := lsnimL(w, "aix73_full"); !strings.Contains(l, "Rstate        = ready for use") || !strings.Contains(l, "chroot session") {
		t.Errorf("SPOT after the client's death: %q", l)
	}
	res, err := w.Exec.Query(t.Context(), "nim", "-o", "showres", "aix73_full")
	if err != nil || !strings.Contains(string(res.Stdout), "bos.adt.base") {
		t.Errorf("the update went on unseen: %v %q", err, res.Stdout)
	}
}
