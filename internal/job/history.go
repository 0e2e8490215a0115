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

// History looks at the jobs that succeeded here and the time phase took in
// each (the rows of their records).
func (s *Store) History(phase nim.Phase) (History, error) { return s.HistoryBefore(phase, "") }

// HistoryBefore is History as job id sees it: only the jobs that started
// before it. A fast job may have ended, its phase done, by the time the
// question is asked, and must not count as its own "earlier run".
func (s *Store) HistoryBefore(phase nim.Phase, id string) (History, error) {
	h := History{Phase: phase}
	all, err := s.List()
	if err != nil {
		return h, err
	}
	var self time.Time
	for _, r := range all {
		if r.ID == id {
			self = r.Started
		}
	}
	for _, r := range all {
		if r.State != StateSucceeded || r.ID == id || (!self.IsZero() && !r.Started.Before(self)) {
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
	took, most := roundDuration(h.Min), roundDuration(h.Max)
	if most != took {
		// "21–24 min", the unit once when both have it.
		lo, hi := strings.Fields(took), strings.Fields(most)
		if len(lo) == 2 && len(hi) == 2 && lo[1] == hi[1] {
			took = lo[0]
		}
		took += "–" + most
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
