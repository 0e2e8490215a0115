package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nimwiz/nimwiz/internal/safefs"
	"github.com/nimwiz/nimwiz/internal/sim"
)

// demoSpotSeconds is how long the demo's SPOT creation takes: long enough
// to watch the run screen, short enough to wait for.
const demoSpotSeconds = "20"

// simulatedCommand runs the simulator when nimwiz was started under the name
// of one of the links the demo installs (sim.Links: the simulated xcatd, the
// AIX commands lsnim, nim, lsdev and ps). The xCAT clients (mknimimage,
// lsdef, ...) are the simulator's Perl client, which starts the nimwiz
// binary as xcatd.
func simulatedCommand(argv []string) (int, bool) {
	if len(argv) == 0 {
		return 0, false
	}
	name := filepath.Base(argv[0])
	if !sim.IsCommand(name) {
		return 0, false
	}
	return sim.Main(name, argv[1:], os.Stdout, os.Stderr), true
}

// setupDemo points a's executor at the simulated NIM master under the state
// directory, creating (or with reset, recreating) its world.
func setupDemo(a *app, reset bool) error {
	dir := filepath.Join(a.stateDir, "demo")
	world := filepath.Join(dir, "world")
	bin := filepath.Join(dir, "bin")
	// The simulator runs as the admin (root, often): its directory is made
	// private before anything is put in it.
	if err := safefs.MkdirPrivate(dir); err != nil {
		return err
	}
	if reset {
		if err := os.RemoveAll(world); err != nil {
			return fmt.Errorf("reset %s: %w", world, err)
		}
	}
	if _, err := os.Stat(filepath.Join(world, "var", "sim", "state.json")); err != nil {
		if err := sim.Seed(world); err != nil {
			return err
		}
		// Two service nodes with drift, for the hierarchy view.
		if err := sim.SeedServiceNodes(world); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the nimwiz binary: %w", err)
	}
	if r, err := filepath.EvalSymlinks(self); err == nil {
		self = r
	}
	// Refreshed every start: "go run" builds to a new temporary path. The
	// xCAT clients are written as the Perl client (#!/usr/bin/perl), the
	// other names linked to this binary.
	if err := sim.Install(bin, self); err != nil {
		return err
	}
	a.exec.Dirs = []string{bin}
	a.exec.Hint = ""
	a.exec.Env = append(a.exec.Env, "NIMWIZ_SIM_ROOT="+world)
	a.hostRoot = world
	spot := false
	for _, kv := range os.Environ() {
		// The admin's own NIMWIZ_SIM_* (faults, durations) reach the simulator.
		if strings.HasPrefix(kv, "NIMWIZ_SIM_") && !strings.HasPrefix(kv, "NIMWIZ_SIM_ROOT=") {
			a.exec.Env = append(a.exec.Env, kv)
			spot = spot || strings.HasPrefix(kv, "NIMWIZ_SIM_SPOT_SECONDS=")
		}
	}
	if !spot {
		a.exec.Env = append(a.exec.Env, "NIMWIZ_SIM_SPOT_SECONDS="+demoSpotSeconds)
	}
	return nil
}
