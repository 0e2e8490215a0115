package run

import (
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// A lost job has no end time; its clock stops where it was last seen
// (job.Record.LastSeen), however long the screen stays open.
func TestLostJobClockStops(t *testing.T) {
	rec := record(job.StateLost, nim.PhaseSpot, false, []nim.PhaseStatus{
		ph(nim.PhaseLppSource, "lpp_source", nim.PhaseDoneOK, 0, 3*time.Minute),
		ph(nim.PhaseSpot, "SPOT", nim.PhaseRunning, 3*time.Minute, -1),
	})
	rec.LastSeen = at(5*time.Minute + 7*time.Second)
	var frames []string
	for _, now := range []time.Duration{10 * time.Minute, 3 * time.Hour} {
		frames = append(frames, frame(screen(at(now), rec, output), 80, 24))
	}
	if frames[0] != frames[1] {
		t.Errorf("a lost job's screen changes with the clock:\n%s\n---\n%s", frames[0], frames[1])
	}
	if !strings.Contains(frames[0], "5m07s") || !strings.Contains(frames[0], "2m07s") {
		t.Errorf("want the job's 5m07s and the SPOT phase's 2m07s up to its last sign of life:\n%s", frames[0])
	}
}
