package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
)

// profileEnv, when set to a path prefix, makes every nimwiz process (the
// front end, the job supervisor it re-executes, and the demo's simulated
// commands, which are nimwiz too) write a CPU profile to
// PREFIX.NAME.PID.pprof, NAME being the verb or the simulated command. For
// measuring (docs/PERFORMANCE.md); read with `go tool pprof -top FILE`.
const profileEnv = "NIMWIZ_CPUPROFILE"

// startProfile starts the CPU profile when asked; the returned function
// stops it and must run before os.Exit.
func startProfile(argv []string) func() {
	prefix := os.Getenv(profileEnv)
	if prefix == "" || len(argv) == 0 {
		return func() {}
	}
	name := filepath.Base(argv[0])
	for _, a := range argv[1:] {
		if _, ok := verbs[a]; ok {
			name = a
			break
		}
	}
	path := prefix + "." + name + "." + strconv.Itoa(os.Getpid()) + ".pprof"
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nimwiz: %s: %v\n", profileEnv, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "nimwiz: %s: %v\n", profileEnv, err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
