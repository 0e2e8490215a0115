package run

import (
	"os"
	"slices"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
)

// TestMain: the test binary is also the simulated NIM master's commands
// and the job supervisor. Goldens show what NO_COLOR users see.
func TestMain(m *testing.M) {
	if i := slices.Index(os.Args, "__supervise"); i > 0 && i+1 < len(os.Args) {
		os.Exit(job.Supervise(os.Args[i+1]))
	}
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	simtest.Main(m)
}
