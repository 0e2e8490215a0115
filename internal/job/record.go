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
	"path/filepath"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// State is where a job is in its life.
type State string

const (
	StateStarting    State = "starting"    // record written, supervisor not yet running mknimimage
	StateRunning     State = "running"     // mknimimage runs
	StateSucceeded   State = "succeeded"   // exit 0, the summary printed, the osimage and its ready SPOT seen in NIM
	StateFailed      State = "failed"      // xCAT reported a failure, or success could not be proven
	StateInterrupted State = "interrupted" // stopped on purpose: by nimwiz outside a protected phase, or by an INT/TERM to the client from elsewhere
	// StateContactLost: mknimimage (the xCAT client) ended without its
	// summary and without an abort (killed by HUP, KILL, PIPE..., or its
	// connection to xcatd broke). xcatd's plugin goes on without it
	// (xcat-client-behaviour.md §2), so NIM may still be working; the name
	// stays locked until NIM is seen to be quiet (Record.Settling).
	StateContactLost State = "contact lost"
	// StateSupervisorLost is never written: Load reports it for a record
	// that says running while no supervisor holds the job's lock (it was
	// SIGKILLed, the OOM killer) and mknimimage still runs. Its output after
	// that moment is lost; the name stays locked.
	StateSupervisorLost State = "supervisor lost"
	// StateLost is never written: Load reports it for a record that says
	// running (or starting) while neither its supervisor nor mknimimage is
	// alive (the machine rebooted, or both were killed). mknimimage may have
	// been cut off anywhere and NIM may still be working.
	StateLost State = "lost"
	// StateUnreadable is never written: List reports it for a job directory
	// whose record cannot be read (Record.Error says why).
	StateUnreadable State = "unreadable"
)

// Ended reports whether mknimimage has ended (it will not print anything
// more). NIM may still be working after that: see Record.Busy.
func (s State) Ended() bool {
	switch s {
	case StateSucceeded, StateFailed, StateInterrupted, StateContactLost, StateLost, StateUnreadable:
		return true
	}
	return false
}

// Event is one signal or interrupt request the supervisor received, and what
// it did about it.
type Event struct {
	Time    time.Time `json:"time"`
	Signal  string    `json:"signal"`            // "SIGTERM", "SIGHUP", ..., or "interrupt request"
	Request string    `json:"request,omitempty"` // id of an interrupt request (Store.Interrupt)
	Phase   string    `json:"phase"`
	Action  string    `json:"action"`        // ActionRefused, ActionIgnored or ActionAccepted
	Why     string    `json:"why,omitempty"` // for a refusal: why an interrupt could harm the SPOT now
}

// Event actions.
const (
	ActionRefused  = "refused"  // asked to stop during a critical phase
	ActionIgnored  = "ignored"  // SIGHUP/SIGINT/SIGQUIT: the supervisor never stops on those
	ActionAccepted = "accepted" // mknimimage is being stopped
)

// Record is the content of job.json.
type Record struct {
	ID       string    `json:"id"`
	Name     string    `json:"osimage"`
	Plan     nim.Plan  `json:"plan"`
	Argv     []string  `json:"argv"` // argv[0] is "mknimimage"; for display: the supervisor runs what Start hands it
	State    State     `json:"state"`
	Started  time.Time `json:"started"`
	Ended    time.Time `json:"ended,omitzero"`
	ExitCode int       `json:"exit_code"`        // once ended: mknimimage's status, 128+n when killed by signal n, -1 when it never ran
	ExitSig  string    `json:"signal,omitempty"` // signal that ended mknimimage, if any

	SupervisorPID int `json:"supervisor_pid,omitempty"`
	ChildPID      int `json:"child_pid,omitempty"`
	ChildPGID     int `json:"child_pgid,omitempty"`

	Phase     nim.Phase `json:"phase"`
	PhaseName string    `json:"phase_name"`
	// Critical: interrupts are refused now; CriticalWhy says why. True from
	// the start until the output proves a phase an interrupt cannot harm
	// (nim.Tracker.Risk).
	Critical    bool   `json:"critical"`
	CriticalWhy string `json:"critical_why,omitempty"`
	// Live: the live module reported from inside mknimimage, so its output
	// reaches nimwiz as it is printed (nim.InstallLiveModule). Without it
	// the whole run stays protected.
	Live    bool              `json:"live"`
	Phases  []nim.PhaseStatus `json:"phases,omitempty"`
	EndedIn string            `json:"ended_in,omitempty"` // name of the phase mknimimage was in when it exited

	// Existing are the names the plan creates that NIM or xCAT had before
	// the job started ("osimage:<name>" for the definition), reused as
	// they were: what is left afterwards under them is not this job's to
	// clean up.
	Existing []string `json:"existing_before,omitempty"`

	Events      []Event   `json:"events,omitempty"`
	Interrupted time.Time `json:"interrupted,omitzero"` // when an accepted interrupt was sent to mknimimage

	// Verified is what nimwiz saw in NIM after mknimimage printed its
	// summary (the osimage definition, the SPOT's Rstate); a job succeeds
	// only when that proves it. VerifyError says why it could not.
	Verified    string `json:"verified,omitempty"`
	VerifyError string `json:"verify_error,omitempty"`

	// Settling: mknimimage ended without proof that xcatd finished (contact
	// lost, or an abort), so NIM may still be working for this job; the
	// supervisor keeps the osimage name locked and watches NIM's processes
	// until none works for the job's names. Settled is when it saw that;
	// Activity is what it saw working last; After what NIM showed then.
	Settling    bool      `json:"settling,omitempty"`
	Settled     time.Time `json:"settled,omitzero"`
	Activity    []string  `json:"activity,omitempty"`
	SettleError string    `json:"settle_error,omitempty"`
	After       string    `json:"nim_after,omitempty"`

	LogBytes   int64  `json:"log_bytes"`
	LogError   string `json:"log_error,omitempty"`   // first failure writing output.log
	LogDropped int64  `json:"log_dropped,omitempty"` // output bytes that could not be kept
	Error      string `json:"error,omitempty"`       // why the job failed outside mknimimage
	Usage      *Usage `json:"usage,omitempty"`       // CPU and memory, recorded at the end

	// Dir is the job directory; not stored.
	Dir string `json:"-"`
	// LastSeen, for a lost job (never stored: Load finds it), is its last
	// sign of life: the latest write to its log or record. A lost job has
	// no end time, and its clock must not run on as if it still worked.
	LastSeen time.Time `json:"-"`
}

// Until is when the job's clock stops: its end, a lost job's last sign
// of life, or now while it runs.
func (r Record) Until(now time.Time) time.Time {
	switch {
	case r.State.Ended() && !r.Ended.IsZero():
		return r.Ended
	case r.State == StateLost && !r.LastSeen.IsZero():
		return r.LastSeen
	}
	return now
}

// LogPath is where mknimimage's output is kept.
func (r Record) LogPath() string { return filepath.Join(r.Dir, logFile) }

// PhaseText is the phase the job is in, or ended in, as the job list and
// the JSON show it: "(protected)" while a critical phase runs, "" for an
// unreadable record.
func (r Record) PhaseText() string {
	if r.State == StateUnreadable {
		return ""
	}
	if r.State.Ended() && r.EndedIn != "" {
		return r.EndedIn
	}
	s := r.PhaseName
	if s == "" {
		s = r.Phase.String()
	}
	if r.Critical && !r.State.Ended() {
		s += " (protected)"
	}
	return s
}

// Busy reports whether the job may still be working on the NIM master:
// mknimimage runs, or it ended without proof that xcatd finished and NIM has
// not been seen quiet since. A busy job keeps its osimage name.
func (r Record) Busy() bool {
	switch r.State {
	case StateStarting, StateRunning, StateSupervisorLost, StateLost:
		return true
	}
	return r.Settling
}

// Files in a job directory.
const (
	recordName    = "job.json"
	planFile      = "plan.toml"
	logFile       = "output.log"
	interruptFile = "interrupt"
	supervisorLog = "supervisor.log" // the supervisor's stderr: empty unless it crashed
)
