package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/job/jobtest"
)

// Plans of the other kinds through apply, against the demo's simulated
// master, as real processes where signals matter.

func planText(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name+".toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func updatePlanFile(t *testing.T, image string) string {
	return planText(t, image+"-update", fmt.Sprintf("kind = \"update\"\nname = %q\n\n[resources]\ninstallp_bundle = \"devel_bnd\"\n\n[options]\notherpkgs = \"R:curl-8.4.0-1.aix7.1.ppc.rpm\"\n", image))
}

func copyPlanFile(t *testing.T, from, name string) string {
	return planText(t, name, fmt.Sprintf("kind = \"copy\"\nname = %q\nfrom = %q\ntype = \"diskless\"\n", name, from))
}

// The whole update is protected: every signal to apply, from the checks to
// the end, is refused and reaches nothing; the ending says what was
// installed and what to run next.
func TestApplyUpdateRefusesEverySignal(t *testing.T) {
	t.Parallel()
	state := t.TempDir()
	cmd, stderr, done := demoApply(t, state, updatePlanFile(t, "aix73_full"), "NIMWIZ_SIM_UPDATE_SECONDS=4")
	jobtest.Eventually(t, "the protection said", func() bool {
		return strings.Contains(stderr.String(), "interrupts are refused for the whole update")
	})
	jobtest.Eventually(t, "installp inside the SPOT", func() bool {
		return strings.Contains(stderr.String(), "nimwiz: phase: installp filesets (interrupts refused: the SPOT is being updated)")
	})
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP} {
		cmd.Process.Signal(sig)
		jobtest.Eventually(t, job.SignalName(sig)+" refused", func() bool {
			return strings.Contains(stderr.String(), job.SignalName(sig)+" refused: the SPOT is being updated")
		})
	}
	waitDone(t, done, stderr)
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"nimwiz: command: mknimimage -V -u aix73_full installp_bundle=devel_bnd otherpkgs=R:curl-8.4.0-1.aix7.1.ppc.rpm",
		"nimwiz: the update installs into the SPOT aix73_full: installp_bundle=devel_bnd otherpkgs=R:curl-8.4.0-1.aix7.1.ppc.rpm",
		"WARNING: Installing random RPM packages in a SPOT may have unpredictable consequences.",
		"nimwiz: phase: RPM packages",
		"succeeded: the SPOT of osimage aix73_full was updated",
		"installp  bos.adt.base",
		"rpm       curl-8.4.0-1.aix7.1.ppc.rpm",
		"nim -Fo check aix73_full",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if r := onlyJob(t, state); r.State != job.StateSucceeded {
		t.Errorf("job %s", r.State)
	}
	if s := simSignals(state); s != "" {
		t.Errorf("signals reached the simulated master:\n%s", s)
	}
}

// An image nodes use: refused before anything runs (exit 2), naming them
// and the safe path.
func TestApplyUpdateRefusedWhileInUse(t *testing.T) {
	state := t.TempDir()
	var errb bytes.Buffer
	code := run([]string{"--demo", "--state-dir", state, "apply", updatePlanFile(t, "aix73_stateless"), "--yes"}, nil, &bytes.Buffer{}, &errb)
	if code != exitUsage {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	for _, want := range []string{"the SPOT aix73_stateless is in use: the xCAT nodes dln01,dln02 boot from it",
		"Take the safe path instead:", "1. mknimimage -V -t diskless -i aix73_stateless aix73_stateless_u1",
		"3. mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02", "nothing was run"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	if all, _ := job.NewStore(state).List(); len(all) != 0 {
		t.Errorf("%d jobs", len(all))
	}
}

// The safe path through apply: copy (the space shown, then the next steps
// with the nodes' names), update the copy (its ending moves the nodes).
func TestApplyCopyThenUpdate(t *testing.T) {
	t.Setenv("NIMWIZ_SIM_SPOT_SECONDS", "0.3")
	t.Setenv("NIMWIZ_SIM_UPDATE_SECONDS", "0.1")
	state := t.TempDir()
	var errb bytes.Buffer
	code := run([]string{"--demo", "--state-dir", state, "apply", copyPlanFile(t, "aix73_stateless", "aix73_stateless_u1"), "--yes"}, nil, &bytes.Buffer{}, &errb)
	if code != exitOK {
		t.Fatalf("copy: exit %d\n%s", code, errb.String())
	}
	for _, want := range []string{
		"nimwiz: space: SPOT: ", "to copy into /install/nim/spot, which has",
		"nimwiz: aix73_stateless is in use (the xCAT nodes dln01,dln02 boot from it",
		"nimwiz: command: mknimimage -V -t diskless -i aix73_stateless aix73_stateless_u1",
		"interrupts are refused until the copy's summary",
		"nimwiz: phase: SPOT creation (interrupts refused: the SPOT is being copied (cpcosi))",
		"was created as a copy of aix73_stateless",
		"mkdsklsnode -n -i aix73_stateless_u1 dln01,dln02",
	} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("copy stderr lacks %q:\n%s", want, errb.String())
		}
	}
	errb.Reset()
	code = run([]string{"--demo", "--state-dir", state, "apply", updatePlanFile(t, "aix73_stateless_u1"), "--yes"}, nil, &bytes.Buffer{}, &errb)
	if code != exitOK {
		t.Fatalf("update: exit %d\n%s", code, errb.String())
	}
	for _, want := range []string{"Move the nodes of aix73_stateless onto this copy", "rmdsklsnode -r -i aix73_stateless dln02", "rmdef -t osimage -o aix73_stateless"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("update stderr lacks %q", want)
		}
	}
}

// A failed update exits with xCAT's status.
func TestApplyUpdateFails(t *testing.T) {
	t.Setenv("NIMWIZ_SIM_FAIL", "update")
	state := t.TempDir()
	var errb bytes.Buffer
	if code := run([]string{"--demo", "--state-dir", state, "apply", updatePlanFile(t, "aix73_full"), "--yes"}, nil, &bytes.Buffer{}, &errb); code != exitFail {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "during installp filesets") || !strings.Contains(errb.String(), "Not found on the installation media") {
		t.Errorf("stderr:\n%s", errb.String())
	}
}

func TestCheckVerb(t *testing.T) {
	state := t.TempDir()
	check := func(name string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run([]string{"--demo", "--state-dir", state, "check", name}, nil, &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, _ := check("aix73_stateless")
	if code != exitOK || !strings.Contains(out, "in use: the xCAT nodes dln01,dln02 boot from it") || !strings.Contains(out, "not run: nim -o check") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// Problems: a paging the definition does not name, an RPM two files
	// match, one not on the lpp_source; and nothing changes.
	world := filepath.Join(state, "demo", "world")
	chdef := exec.Command(filepath.Join(state, "demo", "bin", "chdef"), "-t", "osimage", "-o", "aix73_full", "paging=", "otherpkgs=R:bash,R:nosuch")
	chdef.Env = append(os.Environ(), "NIMWIZ_SIM_ROOT="+world)
	if out, err := chdef.CombinedOutput(); err != nil {
		t.Fatalf("chdef: %v %s", err, out)
	}
	code, out, _ = check("aix73_full")
	for _, want := range []string{
		"PROBLEM  definition: A diskless osimage must include a paging resource.",
		"-> mknimimage -c aix73_full makes what the definition lacks",
		"PROBLEM  nosuch is not in the lpp_source aix7302_lpp",
		"PROBLEM  the RPM bash matches several files in the lpp_source (bash-5.1.16-1.aix7.1.ppc.rpm, bash-5.2.15-1.aix7.1.ppc.rpm)",
		"chkosimage -c aix73_full (it deletes all but the newest)",
		"3 problem(s).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
	if code != exitFail {
		t.Errorf("exit %d with problems", code)
	}
	if _, err := os.Stat(filepath.Join(world, "install/nim/lpp_source/aix7302_lpp/RPMS/ppc/bash-5.1.16-1.aix7.1.ppc.rpm")); err != nil {
		t.Errorf("check removed a file: %v", err)
	}
	if code, _, errs := check("nosuch"); code != exitFail || !strings.Contains(errs, `no osimage named "nosuch"`) {
		t.Errorf("unknown image: %d %q", code, errs)
	}
	if code, _, _ := check("a;b"); code != exitUsage {
		t.Errorf("bad name: %d", code)
	}
}
