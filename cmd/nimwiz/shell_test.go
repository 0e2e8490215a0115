package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The demo shell runs the simulated master's commands by hand: lsnim,
// lsdef, rmnimimage and the cleanup's rm -R act on the simulated host, as
// the commands nimwiz shows would on a real one.
func TestDemoShell(t *testing.T) {
	state := t.TempDir()
	t.Setenv("SHELL", "/bin/sh")
	world := filepath.Join(state, "demo", "world")
	script := strings.Join([]string{
		"echo SIMROOT=$NIMWIZ_SIM_ROOT",
		"for c in lsnim mknimimage rmnimimage chdef chkosimage nim lsdef; do command -v $c; done",
		"lsnim -t spot",
		"lsdef -t osimage",
		"rmnimimage aix72_dataless; echo refused=$?",
		"rmnimimage -f aix72_dataless; echo rmnimimage=$?",
		"lsnim -t spot",
		"mkdir -p $NIMWIZ_SIM_ROOT/install/nim/scratch/x && rm -R /install/nim/scratch; echo rm=$?",
	}, "\n")
	code, out, errs := runIn(state, "shell", "-c", script)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "DEMO shell") {
		t.Errorf("no banner:\n%s", errs)
	}
	if !strings.Contains(out, "SIMROOT="+world+"\n") {
		t.Errorf("the shell is not on the simulated world:\n%s", out)
	}
	for _, c := range []string{"lsnim", "mknimimage", "rmnimimage", "chdef", "chkosimage", "nim", "lsdef"} {
		if !strings.Contains(out, filepath.Join(state, "demo", "bin", c)+"\n") {
			t.Errorf("%s is not the simulator's:\n%s", c, out)
		}
	}
	before, after, _ := strings.Cut(out, "rmnimimage=")
	if !strings.Contains(before, "aix73_stateless") || !strings.Contains(before, "aix72_dataless") {
		t.Errorf("lsnim/lsdef did not list the world:\n%s", before)
	}
	if !strings.Contains(before, "refused=1") || !strings.Contains(errs, "The osimage aix72_dataless will not be removed") {
		t.Errorf("rmnimimage without -f did not refuse as xCAT does:\n%s", errs)
	}
	if !strings.HasPrefix(after, "0\n") || strings.Contains(after, "aix72_dataless") {
		t.Errorf("rmnimimage did not remove the osimage's SPOT:\n%s\nstderr:\n%s", out, errs)
	}
	if !strings.Contains(out, "rm=0") {
		t.Errorf("rm -R failed:\n%s\n%s", out, errs)
	}
	if _, err := os.Stat(filepath.Join(world, "install", "nim", "scratch")); !os.IsNotExist(err) {
		t.Errorf("rm -R /install/nim/scratch did not remove the simulated host's: %v", err)
	}
	// Without --demo there is no shell.
	code, _, errs = run3("--state-dir", t.TempDir(), "shell", "-c", "true")
	if code != exitUsage || !strings.Contains(errs, "--demo shell") {
		t.Errorf("without --demo: exit %d %s", code, errs)
	}
}

func run3(args ...string) (int, string, string) {
	var out, errb strings.Builder
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}
