// Package job runs mknimimage as a detached job, so that no terminal, ssh
// session or key press can cut a SPOT creation short (an interrupted SPOT is
// silently reused by the next run).
//
// Start writes the job's directory under Store.Dir (<state>/jobs/<id>/:
// plan.toml, job.json, output.log, supervisor.log), then re-executes nimwiz
// as a supervisor in its own session (no controlling terminal, stdio on
// /dev/null or the job directory) and returns once mknimimage runs. The
// supervisor:
//   - holds an fcntl lock on <state>/jobs/locks/<osimage>.lock for its whole
//     life: one job per osimage name, and the kernel frees the lock however
//     the supervisor dies, so no lock goes stale;
//   - runs mknimimage in its own process group with stdout and stderr on one
//     pipe (their order is kept), appends every byte to output.log, and
//     feeds each line to nim.Tracker;
//   - rewrites job.json atomically on every phase change, signal and the end
//     (synced from the first save after mknimimage starts; what is written
//     before it starts is not, as nothing on the master has changed yet);
//   - records the end once all output is in the log, then releases the lock,
//     then syncs the log; the ready pipe to Start's process stays open until
//     the end is recorded (Job.Ended);
//   - never stops on SIGHUP, SIGINT or SIGQUIT; on SIGTERM or an interrupt
//     request (Store.Interrupt) it stops mknimimage (SIGINT to its group,
//     SIGTERM after InterruptGrace) unless a critical phase runs, in which
//     case it refuses and records the refusal;
//   - if output.log cannot be written (disk full) keeps reading the pipe,
//     holds up to 16 MiB in memory, retries, marks any gap in the log and
//     records the error: mknimimage is never blocked or stopped by our
//     failure.
//
// Watchers (apply, the TUI) read job.json and tail output.log; they hold a
// Guard for their own signals.
package job

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// State is where a job is in its life.
type State string

const (
	StateStarting    State = "starting"    // record written, supervisor not yet running mknimimage
	StateRunning     State = "running"     // mknimimage runs
	StateSucceeded   State = "succeeded"   // exit 0
	StateFailed      State = "failed"      // non-zero exit, or mknimimage could not be started
	StateInterrupted State = "interrupted" // stopped on purpose outside a critical phase
	// StateLost is never written: Load reports it for a record that says
	// running while no supervisor holds the job's lock (it was SIGKILLed or
	// the machine rebooted). mknimimage may have been cut off anywhere.
	StateLost State = "lost"
)

// Ended reports whether the job will not change any more.
func (s State) Ended() bool {
	return s == StateSucceeded || s == StateFailed || s == StateInterrupted || s == StateLost
}

// Event is one signal or interrupt request the supervisor received, and what
// it did about it.
type Event struct {
	Time    time.Time `json:"time"`
	Signal  string    `json:"signal"`            // "SIGTERM", "SIGHUP", ..., or "interrupt request"
	Request string    `json:"request,omitempty"` // id of an interrupt request (Store.Interrupt)
	Phase   string    `json:"phase"`
	Action  string    `json:"action"` // ActionRefused, ActionIgnored or ActionAccepted
}

// Event actions.
const (
	ActionRefused  = "refused"  // asked to stop during a critical phase
	ActionIgnored  = "ignored"  // SIGHUP/SIGINT/SIGQUIT: the supervisor never stops on those
	ActionAccepted = "accepted" // mknimimage is being stopped
)

// ExecSpec is what the supervisor needs to rebuild the nim.Executor.
type ExecSpec struct {
	Dirs []string `json:"dirs,omitempty"`
	Env  []string `json:"env,omitempty"`
}

// Record is the content of job.json.
type Record struct {
	ID       string    `json:"id"`
	Name     string    `json:"osimage"`
	Plan     nim.Plan  `json:"plan"`
	Argv     []string  `json:"argv"` // argv[0] is "mknimimage"
	Exec     ExecSpec  `json:"exec"`
	State    State     `json:"state"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"`
	ExitCode int       `json:"exit_code"`        // once ended: mknimimage's status, 128+n when killed by signal n, -1 when it never ran
	ExitSig  string    `json:"signal,omitempty"` // signal that ended mknimimage, if any

	SupervisorPID int `json:"supervisor_pid,omitempty"`
	ChildPID      int `json:"child_pid,omitempty"`
	ChildPGID     int `json:"child_pgid,omitempty"`

	Phase     nim.Phase         `json:"phase"`
	PhaseName string            `json:"phase_name"`
	Critical  bool              `json:"critical"`
	Phases    []nim.PhaseStatus `json:"phases,omitempty"`
	EndedIn   string            `json:"ended_in,omitempty"` // name of the phase mknimimage was in when it exited

	Events      []Event   `json:"events,omitempty"`
	Interrupted time.Time `json:"interrupted,omitzero"` // when an accepted interrupt was sent to mknimimage

	LogBytes   int64  `json:"log_bytes"`
	LogError   string `json:"log_error,omitempty"`   // first failure writing output.log
	LogDropped int64  `json:"log_dropped,omitempty"` // output bytes that could not be kept
	Error      string `json:"error,omitempty"`       // why the job failed outside mknimimage
	Usage      *Usage `json:"usage,omitempty"`       // CPU and memory, recorded at the end

	// Dir is the job directory; not stored.
	Dir string `json:"-"`
}

// LogPath is where mknimimage's output is kept.
func (r Record) LogPath() string { return filepath.Join(r.Dir, logFile) }

// Files in a job directory.
const (
	recordFile    = "job.json"
	planFile      = "plan.toml"
	logFile       = "output.log"
	interruptFile = "interrupt"
	supervisorLog = "supervisor.log" // the supervisor's stderr: empty unless it crashed
)

// PhaseName is a short human name of a phase, for messages and tables.
func PhaseName(p nim.Phase) string {
	switch p {
	case nim.PhaseStart:
		return "starting"
	case nim.PhaseCheckNIM:
		return "NIM check"
	case nim.PhaseLppSource:
		return "lpp_source"
	case nim.PhaseSpot:
		return "SPOT creation"
	case nim.PhaseRoot:
		return "root"
	case nim.PhaseDump:
		return "dump"
	case nim.PhasePaging:
		return "paging"
	case nim.PhaseDefinition:
		return "osimage definition"
	case nim.PhaseSpotUpdate:
		return "SPOT update"
	case nim.PhaseSummary:
		return "summary"
	case nim.PhaseDone:
		return "done"
	}
	return fmt.Sprintf("phase %d", int(p))
}

// writeFileAtomic writes data to path through a temporary file and a rename,
// so a reader never sees a torn file. durable also syncs the file before the
// rename and the directory after it, so a crash of the machine leaves the
// old or the new content; without it such a crash may lose the file. Each
// sync costs milliseconds: the files written before mknimimage runs skip
// them (nothing on the NIM master has changed yet), later saves are synced
// off the output path.
func writeFileAtomic(path string, data []byte, durable bool) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return err
	}
	if durable {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	if !durable {
		return nil
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: not every file system syncs directories
		d.Close()
	}
	return nil
}

func saveRecord(r *Record, durable bool) error {
	data, err := encodeRecord(r)
	if err != nil {
		return err
	}
	return writeRecordData(r.Dir, data, durable)
}

func encodeRecord(r *Record) ([]byte, error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func writeRecordData(dir string, data []byte, durable bool) error {
	if err := writeFileAtomic(filepath.Join(dir, recordFile), data, durable); err != nil {
		return fmt.Errorf("write job record: %w", err)
	}
	return nil
}

func readRecord(dir string) (Record, error) {
	data, err := os.ReadFile(filepath.Join(dir, recordFile))
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return Record{}, fmt.Errorf("%s: %w", filepath.Join(dir, recordFile), err)
	}
	r.Dir = dir
	return r, nil
}
