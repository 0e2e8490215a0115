package job

import (
	"fmt"
	"strings"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// History is how long a phase took in earlier jobs on this master: SPOT
// creation prints nothing for tens of minutes, and what it took before is
// the best guess of what it will take now.
type History struct {
	Phase    nim.Phase
	Runs     int
	Min, Max time.Duration
}

// History looks at the jobs of kind that succeeded here and the time phase
// took in each (the rows of their records, with their start and end). Only
// one kind counts: a copy's "SPOT creation" is cpcosi, not NIM's define.
func (s *Store) History(kind nim.PlanKind, phase nim.Phase) (History, error) {
	h := History{Phase: phase}
	all, err := s.List()
	if err != nil {
		return h, err
	}
	for _, r := range all {
		if r.State != StateSucceeded || r.Plan.PlanKind() != kind {
			continue
		}
		for _, st := range r.Phases {
			if st.Phase != phase || st.State != nim.PhaseDoneOK || st.Started.IsZero() || st.Ended.Before(st.Started) {
				continue
			}
			d := st.Ended.Sub(st.Started)
			if h.Runs == 0 || d < h.Min {
				h.Min = d
			}
			if d > h.Max {
				h.Max = d
			}
			h.Runs++
		}
	}
	return h, nil
}

// String says what to expect, for the admin.
func (h History) String() string {
	if h.Runs == 0 {
		return fmt.Sprintf("no earlier %s on this master to go by", h.Phase)
	}
	took := roundDuration(h.Min)
	if hi := roundDuration(h.Max); hi != took {
		lo, unit, ok := strings.Cut(took, " ")
		if hiN, hiUnit, _ := strings.Cut(hi, " "); ok && hiUnit == unit {
			took = lo + "–" + hiN + " " + unit // "21–24 min"
		} else {
			took += "–" + hi
		}
	}
	runs := "1 earlier run"
	if h.Runs > 1 {
		runs = fmt.Sprintf("%d earlier runs", h.Runs)
	}
	return fmt.Sprintf("%s took %s in %s here", h.Phase, took, runs)
}

func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return d.Round(time.Minute).String()
	case d >= time.Minute:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	}
	return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
}
