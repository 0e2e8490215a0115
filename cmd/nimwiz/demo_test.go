package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/nim"
)

// TestMain lets the test binary answer as the simulated commands the demo
// links to it, exactly as the nimwiz binary does.
func TestDemoSeedsWorldAndLinks(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if rc := run([]string{"--demo", "--state-dir", dir, "help"}, nil, &out, &errb); rc != exitOK {
		t.Fatalf("run --demo help: rc %d, stderr %q", rc, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "demo", "world", "var", "sim", "state.json")); err != nil {
		t.Fatalf("demo world not seeded: %v", err)
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	for _, c := range sim.Links {
		got, err := os.Readlink(filepath.Join(dir, "demo", "bin", c))
		if err != nil || got != self {
			t.Errorf("link %s -> %q (%v), want %q", c, got, err, self)
		}
	}
	// The xCAT clients are the simulator's Perl client, as on a master.
	for _, c := range sim.Clients {
		p := filepath.Join(dir, "demo", "bin", c)
		b, err := os.ReadFile(p)
		fi, _ := os.Lstat(p)
		if err != nil || !bytes.HasPrefix(b, []byte("#!/usr/bin/perl\n")) || fi == nil || fi.Mode().Perm() != 0o755 {
			t.Errorf("client %s: %v, mode %v", c, err, fi)
		}
	}
}

func TestSetupDemoExecutorRunsSimulator(t *testing.T) {
	t.Setenv("NIMWIZ_SIM_SPOT_SECONDS", "")
	os.Unsetenv("NIMWIZ_SIM_SPOT_SECONDS")
	a := &app{stateDir: t.TempDir(), exec: &nim.Executor{}}
	if err := setupDemo(a, false); err != nil {
		t.Fatal(err)
	}
	env := strings.Join(a.exec.Env, " ")
	if !strings.Contains(env, "NIMWIZ_SIM_SPOT_SECONDS=20") || !strings.Contains(env, "NIMWIZ_SIM_ROOT=") {
		t.Errorf("demo env = %q, want the world root and 20 s SPOTs", env)
	}
	res, err := a.exec.Query(context.Background(), "lsdef", "-t", "osimage", "-w", "imagetype==NIM")
	if err != nil {
		t.Fatalf("lsdef through the demo: %v", err)
	}
	if !strings.Contains(string(res.Stdout), "aix73_full  (osimage)") || strings.Contains(string(res.Stdout), "rhels") {
		t.Errorf("lsdef -w imagetype==NIM = %q", res.Stdout)
	}
	if _, err := a.exec.Query(context.Background(), "lsxcatd", "-v"); err != nil {
		t.Fatal(err)
	}
}

func TestSetupDemoKeepsUserSpotSecondsAndRelinks(t *testing.T) {
	t.Setenv("NIMWIZ_SIM_SPOT_SECONDS", "1.5")
	dir := t.TempDir()
	bin := filepath.Join(dir, "demo", "bin")
	// A link left by an earlier "go run" build that no longer exists.
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/tmp/go-build-gone/exe/nimwiz", filepath.Join(bin, "lsnim")); err != nil {
		t.Fatal(err)
	}
	a := &app{stateDir: dir, exec: &nim.Executor{}}
	if err := setupDemo(a, false); err != nil {
		t.Fatal(err)
	}
	env := strings.Join(a.exec.Env, " ")
	if !strings.Contains(env, "NIMWIZ_SIM_SPOT_SECONDS=1.5") || strings.Contains(env, "NIMWIZ_SIM_SPOT_SECONDS=20") {
		t.Errorf("env = %q, want the user's 1.5 only", env)
	}
	res, err := a.exec.Query(context.Background(), "lsnim", "-t", "spot")
	if err != nil {
		t.Fatalf("lsnim via refreshed link: %v", err)
	}
	if !strings.Contains(string(res.Stdout), "aix73_test") {
		t.Errorf("lsnim -t spot = %q", res.Stdout)
	}

	// --demo-reset recreates the world.
	if err := os.WriteFile(filepath.Join(dir, "demo", "world", "marker"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := setupDemo(&app{stateDir: dir, exec: &nim.Executor{}}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "demo", "world", "marker")); !os.IsNotExist(err) {
		t.Errorf("reset kept the old world: %v", err)
	}
}

func TestRealModeWithoutNIMPointsToDemo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	saved := nim.SearchDirs
	nim.SearchDirs = []string{t.TempDir()}
	t.Cleanup(func() { nim.SearchDirs = saved })
	plan := filepath.Join(t.TempDir(), "p.toml")
	if err := os.WriteFile(plan, []byte("name = \"x1\"\nsource = \"/dev/cd0\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	rc := run([]string{"--state-dir", t.TempDir(), "apply", "--yes", plan}, nil, &out, &errb)
	if rc == exitOK || !strings.Contains(errb.String(), "mknimimage: command not found") || !strings.Contains(errb.String(), "nimwiz --demo") {
		t.Errorf("apply: rc %d, stderr %q", rc, errb.String())
	}
	err := preflight(&nim.Executor{})
	if err == nil || !strings.Contains(err.Error(), "lacks mknimimage, rmnimimage, lsdef") || !strings.Contains(err.Error(), "nimwiz --demo") {
		t.Errorf("preflight: %v", err)
	}
}

func TestDemoSaysItIsASimulation(t *testing.T) {
	var out, errb bytes.Buffer
	rc := run([]string{"--demo", "--state-dir", t.TempDir(), "jobs"}, nil, &out, &errb)
	if rc != exitOK || !strings.Contains(errb.String(), "DEMO: a simulated NIM master") {
		t.Errorf("rc %d, stderr %q", rc, errb.String())
	}
}

// In real mode nimwiz first makes sure mknimimage runs here: with
// site.nimprime naming another NIM master it says to run nimwiz there and
// runs nothing else.
func TestRealModeRefusesAnotherNIMPrimary(t *testing.T) {
	bin := t.TempDir()
	for _, c := range nimCommands {
		script := "#!/bin/sh\necho \"$0 $*\" >> \"" + filepath.Join(bin, "ran") + "\"\n"
		if c == "lsdef" {
			script += "printf 'Object name: clustersite\\n    master=10.0.0.1\\n    nimprime=nim01\\n'\n"
		}
		if err := os.WriteFile(filepath.Join(bin, c), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	saved, savedHost := nim.SearchDirs, thisHost
	nim.SearchDirs = []string{t.TempDir()}
	thisHost = func() nim.Host {
		h := nim.ThisHost()
		h.Lookup = func(context.Context, string) ([]net.IP, error) { return []net.IP{net.ParseIP("192.0.2.7")}, nil }
		h.ServiceNode = func() bool { return false }
		return h
	}
	t.Cleanup(func() { nim.SearchDirs, thisHost = saved, savedHost })

	var out, errb bytes.Buffer
	rc := run([]string{"--plain", "--state-dir", t.TempDir(), "create"}, strings.NewReader("\n"), &out, &errb)
	if rc != exitFail || !strings.Contains(errb.String(), "site.nimprime is nim01 (192.0.2.7)") || !strings.Contains(errb.String(), "Run nimwiz on nim01") {
		t.Errorf("rc %d, stderr %q", rc, errb.String())
	}
	ran, _ := os.ReadFile(filepath.Join(bin, "ran"))
	if want := filepath.Join(bin, "lsdef") + " -t site -i master,nimprime\n"; string(ran) != want {
		t.Errorf("ran %q, want only %q", ran, want)
	}
	if out.Len() != 0 {
		t.Errorf("the wizard started: %q", out.String())
	}
}
