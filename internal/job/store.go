package job

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nimwiz/nimwiz/internal/safefs"

	"github.com/nimwiz/nimwiz/nim"
)

// Store keeps jobs under Dir (normally <stateDir>/jobs): one directory per job
// named by its id, and locks/ for the per-osimage locks.
type Store struct {
	Dir string
}

// NewStore returns the store under stateDir.
func NewStore(stateDir string) *Store { return &Store{Dir: filepath.Join(stateDir, "jobs")} }

// startTimeout bounds how long a job may stay "starting" before it is
// considered lost (the nimwiz that started it died before its supervisor).
const startTimeout = time.Minute

func (s *Store) init() error {
	if err := safefs.MkdirPrivate(s.Dir); err != nil {
		return fmt.Errorf("job store: %w", err)
	}
	if err := safefs.MkdirPrivate(s.lockDir()); err != nil {
		return fmt.Errorf("job store: %w", err)
	}
	return nil
}

// newJobDir creates the directory of a new job and returns its id. Ids sort
// by start time (UTC): 20261125-184501-71cosi, with -2, -3... on a clash.
func (s *Store) newJobDir(name string, now time.Time) (string, error) {
	base := now.UTC().Format("20060102-150405") + "-" + name
	for i := 1; i < 1000; i++ {
		id := base
		if i > 1 {
			id += "-" + strconv.Itoa(i)
		}
		err := os.Mkdir(filepath.Join(s.Dir, id), 0o700)
		if err == nil {
			return id, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("job directory: %w", err)
		}
	}
	return "", fmt.Errorf("job directory: too many jobs named %s in one second", base)
}

func validID(id string) error {
	if id == "" || id == "." || id == ".." || id == "locks" || strings.ContainsAny(id, `/\`) || strings.HasPrefix(id, ".") {
		return fmt.Errorf("%q is not a job id (see 'nimwiz jobs')", id)
	}
	return nil
}

// NoJobError says the store has no job of that id.
type NoJobError struct{ ID, Dir string }

func (e *NoJobError) Error() string {
	return fmt.Sprintf("no job %s in %s (see 'nimwiz jobs')", e.ID, e.Dir)
}

// Load reads the record of job id.
func (s *Store) Load(id string) (Record, error) {
	if err := validID(id); err != nil {
		return Record{}, err
	}
	r, err := readRecord(filepath.Join(s.Dir, id))
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, &NoJobError{ID: id, Dir: s.Dir}
	}
	if err != nil {
		return Record{}, fmt.Errorf("job %s: %w", id, err)
	}
	s.settle(&r)
	return r, nil
}

// settle tells what became of a job whose record says it runs while no
// supervisor holds its lock (SIGKILLed, the OOM killer, a reboot): while
// mknimimage still lives it is StateSupervisorLost, otherwise StateLost.
func (s *Store) settle(r *Record) {
	switch r.State {
	case StateRunning:
		b, err := s.probeLock(r.Name)
		if err == nil && (b == nil || b.JobID != r.ID) {
			// The supervisor records the end before it lets go of the
			// lock, so a record read just before that is stale: read again.
			if again, err := readRecord(r.Dir); err == nil && again.State != StateRunning {
				*r = again
				return
			}
			r.State = StateLost
			if r.ChildPID > 0 && pidAlive(r.ChildPID) {
				r.State = StateSupervisorLost
			}
			r.LastSeen = lastWrite(*r)
		}
	case StateStarting:
		// A start time in the future (a clock set back, or a planted
		// record) does not keep a job starting for ever.
		age := time.Since(r.Started)
		if (age > startTimeout || age < -time.Minute) && (r.SupervisorPID == 0 || !pidAlive(r.SupervisorPID)) {
			r.State = StateLost
			r.LastSeen = lastWrite(*r)
		}
	}
}

// lastWrite is the latest modification of a job's record or log, never
// later than now nor earlier than its start (a planted or clock-skewed
// time must not make a negative or future duration).
func lastWrite(r Record) time.Time {
	var t time.Time
	for _, f := range []string{recordName, logFile} {
		if fi, err := os.Lstat(filepath.Join(r.Dir, f)); err == nil && fi.ModTime().After(t) {
			t = fi.ModTime()
		}
	}
	if now := time.Now(); t.After(now) {
		t = now
	}
	if t.Before(r.Started) {
		t = r.Started
	}
	return t
}

// List returns every job, newest first. A job directory whose record
// cannot be read is listed as StateUnreadable with the error; an absent
// store is empty.
func (s *Store) List() ([]Record, error) {
	ents, err := os.ReadDir(s.Dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("job store: %w", err)
	}
	var out []Record
	for _, e := range ents {
		if validID(e.Name()) != nil {
			continue
		}
		if !e.IsDir() {
			if e.Type()&os.ModeSymlink != 0 {
				// Never followed; listed so that the admin sees it.
				to, _ := os.Readlink(filepath.Join(s.Dir, e.Name()))
				out = append(out, Record{ID: e.Name(), State: StateUnreadable, Dir: filepath.Join(s.Dir, e.Name()),
					Error: fmt.Sprintf("%s is a symbolic link (to %s), not a job directory: nimwiz never follows one in its state; move it aside", filepath.Join(s.Dir, e.Name()), to)})
			}
			continue
		}
		r, err := readRecord(filepath.Join(s.Dir, e.Name()))
		if err != nil {
			// Listed, not hidden: the admin must know a job is there.
			r = Record{ID: e.Name(), State: StateUnreadable, Error: err.Error(), Dir: filepath.Join(s.Dir, e.Name())}
			if fi, err := e.Info(); err == nil {
				r.Started = fi.ModTime()
			}
			out = append(out, r)
			continue
		}
		s.settle(&r)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Started.Equal(out[j].Started) {
			return out[i].Started.After(out[j].Started)
		}
		return out[i].ID > out[j].ID
	})
	return out, nil
}

// Running returns the newest job that has not ended, if any.
func (s *Store) Running() (Record, bool, error) {
	all, err := s.List()
	if err != nil {
		return Record{}, false, err
	}
	for _, r := range all {
		if !r.State.Ended() {
			return r, true, nil
		}
	}
	return Record{}, false, nil
}

// Using returns the jobs that may still be working on the NIM master (Busy)
// and create or use one of names: the osimage they make, a resource they
// create, or an existing resource they reuse (an lpp_source a SPOT is being
// built from). What such a job uses must not be removed or changed.
func (s *Store) Using(names ...string) ([]Record, error) {
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range all {
		if !r.Busy() || r.State == StateUnreadable {
			continue
		}
		if slices.ContainsFunc(JobUses(r.Plan), func(n string) bool { return slices.Contains(names, n) }) {
			out = append(out, r)
		}
	}
	return out, nil
}

// JobUses are the names a job of plan p creates or uses: JobNames, the
// existing lpp_source it builds from and the existing resources it names.
func JobUses(p nim.Plan) []string {
	p = p.WithDefaults()
	names := JobNames(p)
	if p.SourceKind() == nim.SourceLppSource {
		names = append(names, p.Source)
	}
	for _, r := range p.Resources() {
		if r.Reused && !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	return names
}
