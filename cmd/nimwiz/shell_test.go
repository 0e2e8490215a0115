package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoShell: nimwiz --demo shell runs $SHELL with the simulated
// commands first on PATH and the demo's environment, non-interactively
// here (-c, and commands on stdin): lsnim, lsdef and rmnimimage answer as
// the simulated master, /install/nim/... is the simulated host's, and a
// removal there is seen by nimwiz itself.
func TestDemoShell(t *testing.T) {
	state := t.TempDir()
	t.Setenv("SHELL", "/bin/sh")
	code, out, errs := demoRun(state, "shell", "-c", `echo "sim=$NIMWIZ_SIM_ROOT"; command -v lsnim; lsnim -t spot; lsdef -t osimage -o aix72_dataless -i spot; lsnim -l aix7205_lpp | grep location`)
	world := filepath.Join(state, "demo", "world")
	bin := filepath.Join(state, "demo", "bin")
	for _, want := range []string{"sim=" + world, bin + "/lsnim", "aix73_stateless", "spot=aix72_dataless", "location    = /install/nim/lpp_source/aix7205_lpp"} {
		if !strings.Contains(out, want) {
			t.Errorf("shell -c lacks %q (exit %d):\n%s\n%s", want, code, out, errs)
		}
	}
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(world, "install/nim/lpp_source/aix7205_lpp")); err != nil {
		t.Errorf("the lpp_source's /install/nim path is not the simulated host's: %v", err)
	}

	// Commands on stdin, as an admin types them: rmnimimage goes through
	// the simulated xcatd and answers as xCAT does (the lpp_source is
	// shared, so it refuses); the shell's status is ours.
	var o, e strings.Builder
	c := run([]string{"--demo", "--state-dir", state, "shell"}, strings.NewReader("rmnimimage aix72_dataless\nlsdef -t osimage -o aix72_dataless\nexit 7\n"), &o, &e)
	for _, want := range []string{"DEMO SHELL", "The osimage aix72_dataless will not be removed", "Object name: aix72_dataless"} {
		if !strings.Contains(o.String()+e.String(), want) {
			t.Errorf("shell on stdin lacks %q:\nstdout:\n%s\nstderr:\n%s", want, o.String(), e.String())
		}
	}
	if c != 7 {
		t.Errorf("shell on stdin: exit %d, want the shell's 7", c)
	}
	// Only in the demo.
	if code, _, errs := run2(t, "--state-dir", state, "shell", "-c", "true"); code != exitUsage || !strings.Contains(errs, "nimwiz --demo shell") {
		t.Errorf("without --demo: exit %d %q", code, errs)
	}
}

func run2(t *testing.T, args ...string) (int, string, string) {
	var o, e strings.Builder
	code := run(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}
