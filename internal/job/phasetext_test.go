package job

import (
	"testing"

	"github.com/nimwiz/nimwiz/nim"
)

// PhaseText is the one phase text of the job list, the Jobs screen and the
// JSON.
func TestPhaseText(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Record
		want string
	}{
		{"running, critical", Record{State: StateRunning, Phase: nim.PhaseSpot, Critical: true}, nim.PhaseSpot.String() + " (protected)"},
		{"running, named", Record{State: StateRunning, Phase: nim.PhaseSpot, PhaseName: "SPOT update"}, "SPOT update"},
		{"ended in a phase", Record{State: StateFailed, Phase: nim.PhaseSpot, EndedIn: "SPOT creation", Critical: true}, "SPOT creation"},
		{"ended, critical no longer", Record{State: StateInterrupted, Phase: nim.PhaseSpot, Critical: true}, nim.PhaseSpot.String()},
		{"unreadable", Record{State: StateUnreadable, Phase: nim.PhaseSpot}, ""},
	} {
		if got := tc.r.PhaseText(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
