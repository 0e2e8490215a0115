package nim

// Stand-ins for the plan and tracker API another helper is writing; the lead
// deletes this file at merge.

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

func (p Plan) Validate() []Problem {
	if err := ValidName(p.Name); err != nil {
		return []Problem{{Field: "name", Message: err.Error()}}
	}
	return nil
}

func (p Plan) Args() []string {
	a := []string{"mknimimage", "-t", string(p.Type)}
	if p.Stateless {
		a = append(a, "-r")
	}
	if p.Dump {
		a = append(a, "-D")
	}
	if p.Location != "" && p.Location != DefaultLocation {
		a = append(a, "-l", p.Location)
	}
	a = append(a, "-s", p.Source, p.Name)
	keys := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a = append(a, k+"="+p.Extra[k])
	}
	return a
}

func (p Plan) CommandLine() string { return strings.Join(p.Args(), " ") }

func (p Plan) WithDefaults() Plan {
	if p.Type == "" {
		p.Type = Diskless
	}
	return p
}

func ParsePlan(data []byte) (Plan, error) {
	var p Plan
	if err := toml.Unmarshal(data, &p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

func LoadPlan(path string) (Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Plan{}, err
	}
	p, err := ParsePlan(data)
	if err != nil {
		return Plan{}, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func ValidName(s string) error {
	if s == "" || len(s) > MaxNameLen {
		return fmt.Errorf("name must be 1 to %d characters", MaxNameLen)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return fmt.Errorf("name %q: use letters, digits, '_' and '-'", s)
		}
	}
	return nil
}

type Tracker struct {
	Now   func() time.Time
	phase Phase
}

func NewTracker(p Plan) *Tracker { return &Tracker{Now: time.Now} }

func (t *Tracker) Feed(line string) bool {
	next := t.phase
	switch {
	case strings.Contains(line, "Creating a NIM SPOT resource"):
		next = PhaseSpot
	case strings.Contains(line, "Updating the NIM spot resource"):
		next = PhaseSpotUpdate
	case strings.Contains(line, "The following xCAT osimage definition was created"):
		next = PhaseSummary
	}
	changed := next != t.phase
	t.phase = next
	return changed
}

func (t *Tracker) Phase() Phase { return t.phase }

func (t *Tracker) Critical() bool { return t.phase.Critical() }

func (t *Tracker) Statuses() []PhaseStatus {
	return []PhaseStatus{{Phase: t.phase, Label: "stub", State: PhaseRunning}}
}

func (t *Tracker) Finish(exitCode int) { t.phase = PhaseDone }
