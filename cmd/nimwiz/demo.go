package main

// simulatedCommand runs the simulator when nimwiz was started under the name
// of a NIM/xCAT command (the demo links them to the nimwiz binary).
// Placeholder until the simulator lands.
func simulatedCommand(argv []string) (int, bool) { return 0, false }

// setupDemo points a's executor at the simulated NIM master under the state
// directory, creating (or with reset, recreating) its world.
func setupDemo(a *app, reset bool) error { return nil }
