package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// nimwizBin is the nimwiz binary under test, built once by TestMain.
var nimwizBin string

// TestMain builds nimwiz once. Started under a simulated command's name
// (the in-process wizard tests link them to this test binary, see simtest),
// the test binary answers as that command instead.
func TestMain(m *testing.M) {
	if name := filepath.Base(os.Args[0]); sim.IsCommand(name) {
		os.Exit(sim.Main(name, os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	// Job supervisors watch NIM settle quickly: the simulator's NIM work
	// ends in moments.
	for k, v := range map[string]string{"NIMWIZ_SETTLE_POLL": "50ms", "NIMWIZ_SETTLE_QUIET": "2"} {
		if os.Getenv(k) == "" {
			os.Setenv(k, v)
		}
	}
	dir, err := os.MkdirTemp("", "nimwiz-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	nimwizBin = filepath.Join(dir, "nimwiz")
	build := exec.Command("go", "build", "-o", nimwizBin, "github.com/nimwiz/nimwiz/cmd/nimwiz")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build ./cmd/nimwiz:", err)
		return 1
	}
	return m.Run()
}

// newWorld is simtest.New with the simulated commands linked to the built
// nimwiz binary (which answers as them, like the demo) rather than to this
// test binary: under -race each start of the test binary costs far more.
func newWorld(t *testing.T, opts ...simtest.Option) *simtest.World {
	t.Helper()
	w := simtest.New(t, opts...)
	if err := sim.Install(w.Bin, nimwizBin); err != nil {
		t.Fatal(err)
	}
	return w
}
