package job

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nimwiz/nimwiz/internal/safefs"
	"github.com/nimwiz/nimwiz/nim"
)

// Job is a started job.
type Job struct {
	ID    string
	Dir   string
	Store *Store

	ended chan struct{} // closed once the end is recorded; nil if unknown
}

// Ended is closed as soon as the job's end is recorded, so the process that
// started it need not poll for the end. It is nil (never ready) for a job
// whose supervisor could not be heard from; poll Record then.
func (j *Job) Ended() <-chan struct{} { return j.ended }

// Record reads the job's current record.
func (j *Job) Record() (Record, error) { return j.Store.Load(j.ID) }

// LogPath is the job's output.log.
func (j *Job) LogPath() string { return filepath.Join(j.Dir, logFile) }

// PlanError lists what is wrong with a plan; nothing was started.
type PlanError struct {
	Problems []nim.Problem
}

func (e *PlanError) Error() string {
	var b strings.Builder
	b.WriteString("the plan cannot run as it is:")
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.Error())
	}
	return b.String()
}

// readyTimeout bounds how long Start waits for the supervisor to report
// that mknimimage runs.
const readyTimeout = 60 * time.Second

// readyFDEnv tells the supervisor which descriptor to report readiness on.
const readyFDEnv = "NIMWIZ_SUPERVISOR_READY_FD"

// Start validates plan, records a new job in store, and starts a supervisor
// process that runs mknimimage detached from this process and its terminal.
// self is the argv that re-executes nimwiz as supervisor, e.g.
// [os.Executable(), "__supervise"]; Start appends the job directory. Start
// returns once mknimimage runs, or with an error when nothing was started:
// a *PlanError, a *BusyError when another job holds the osimage name, or an
// error saying why the job could not be recorded or started.
func Start(store *Store, ex *nim.Executor, plan nim.Plan, self []string) (*Job, error) {
	plan = plan.WithDefaults()
	if probs := plan.Validate(); len(probs) > 0 {
		return nil, &PlanError{Problems: probs}
	}
	if len(self) == 0 {
		return nil, errors.New("start job: no supervisor command")
	}
	argv := plan.Args()
	if len(argv) == 0 || argv[0] != "mknimimage" {
		argv = append([]string{"mknimimage"}, argv...)
	}
	if _, err := ex.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("%w; nothing was started", err)
	}
	self0, err := exec.LookPath(self[0])
	if err == nil {
		self0, err = filepath.Abs(self0)
	}
	if err != nil {
		return nil, fmt.Errorf("start job: supervisor %s: %w", self[0], err)
	}
	dirAbs, err := filepath.Abs(store.Dir)
	if err != nil {
		return nil, fmt.Errorf("job store %s: %w", store.Dir, err)
	}
	s := &Store{Dir: dirAbs}
	if err := s.init(); err != nil {
		return nil, fmt.Errorf("cannot record the job: %w; nothing was started", err)
	}
	for _, name := range JobLocks(plan) {
		if b, err := s.waitFree(name, ex); err != nil {
			return nil, err
		} else if b != nil {
			return nil, b
		}
	}
	// Right before the run, what only NIM and xCAT can tell (Preflight).
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
	existing, probs, err := Preflight(ctx, nim.NewClient(ex), plan)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("%w; nothing was started", err)
	}
	if len(probs) > 0 {
		return nil, &PlanError{Problems: probs}
	}

	now := time.Now()
	id, err := s.newJobDir(plan.Name, now)
	if err != nil {
		return nil, fmt.Errorf("cannot record the job in %s: %w; nothing was started", s.Dir, err)
	}
	dir := filepath.Join(s.Dir, id)
	rec := Record{
		ID: id, Name: plan.Name, Plan: plan, Argv: argv,
		State: StateStarting, Started: now, ExitCode: -1,
		Phase: nim.PhaseStart, PhaseName: nim.PhaseStart.String(),
		Critical: true, CriticalWhy: nim.NewTracker(plan).Risk().Why(),
		Existing: existing,
		Dir:      dir,
	}
	if err := writeJobFiles(&rec); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("cannot record the job in %s: %w; nothing was started", dir, err)
	}
	// What the supervisor runs comes from us, on its stdin, never from a
	// file in the job directory that someone could have replaced.
	spec, err := json.Marshal(launch{
		Plan: plan, Argv: argv, Dirs: ex.Dirs, Base: baseEnv(ex), Env: ex.Env,
		LiveDir: ex.LiveDir, Timeout: ex.Timeout,
	})
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start job: %w", err)
	}

	pr, pw, err := os.Pipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start job: %w", err)
	}
	defer func() {
		if pr != nil {
			pr.Close()
		}
	}()
	cmd := exec.Command(self0, append(append([]string{}, self[1:]...), dir)...)
	cmd.Args[0] = self[0]
	cmd.Dir = "/" // do not pin the caller's working directory for hours
	cmd.Env = append(os.Environ(), readyFDEnv+"=3")
	cmd.ExtraFiles = []*os.File{pw}
	cmd.Stdin = bytes.NewReader(spec)
	// The supervisor says everything in job.json; a Go panic would still
	// go to stderr, so keep that in the job directory rather than lose it.
	if f, err := safefs.CreateExcl(filepath.Join(dir, supervisorLog), 0o600); err == nil {
		defer f.Close()
		cmd.Stderr = f
	}
	// Own session: no controlling terminal, not in the terminal's process
	// groups, so closing the terminal or ^C/^Z there never reaches it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		pw.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start job supervisor %s: %w; nothing was started", self0, err)
	}
	pw.Close()
	go cmd.Wait() // reap it if it ends while we live; otherwise init does

	pr.SetReadDeadline(time.Now().Add(readyTimeout))
	br := bufio.NewReader(pr)
	msg, _ := br.ReadString('\n')
	msg = strings.TrimSpace(msg)
	job := &Job{ID: id, Dir: dir, Store: s}
	if msg == "ok" {
		// The supervisor closes the pipe once the end is recorded (or when
		// it dies): EOF is the end.
		pr.SetReadDeadline(time.Time{})
		job.ended = make(chan struct{})
		keep := pr
		pr = nil // not closed on return
		go func() {
			io.Copy(io.Discard, br)
			keep.Close()
			close(job.ended)
		}()
		return job, nil
	}
	// Not started, or we could not hear about it.
	if r, err := readRecord(dir); err == nil && r.ChildPID != 0 {
		return job, nil // it runs; the report was lost
	}
	if msg == "" {
		// It crashed or hung before running mknimimage: keep the job
		// directory, whose supervisor.log may say why.
		cmd.Process.Kill()
		why := "the job supervisor ended without starting mknimimage"
		if r, err := readRecord(dir); err == nil && r.Error != "" {
			why = r.Error
		}
		return nil, fmt.Errorf("%s (see %s); nothing was started", why, filepath.Join(dir, supervisorLog))
	}
	os.RemoveAll(dir)
	if rest, ok := strings.CutPrefix(msg, "busy "); ok {
		b := &BusyError{Name: plan.Name}
		f := strings.Fields(rest)
		if len(f) > 0 && f[0] != "-" {
			b.JobID = f[0]
		}
		if len(f) > 1 {
			b.PID, _ = strconv.Atoi(f[1])
		}
		return nil, b
	}
	return nil, fmt.Errorf("%s; nothing was started", strings.TrimPrefix(msg, "error: "))
}

// Preflight asks NIM and xCAT, right before a run, what stands in its way,
// per kind: a create's names (mknimimage reuses what it finds under them as
// it is: nim.Client.CheckNames); a copy's old image and new names
// (CheckCopy); an update's image, SPOT, software and the nodes that use it
// (CheckUpdate: a SPOT in use is refused, with the safe path). existing are
// the names the run must never clean up ("osimage:<name>" for a
// definition): what NIM and xCAT had before it, and for an update the
// image itself. The error is for a query that failed.
func Preflight(ctx context.Context, c *nim.Client, plan nim.Plan) (existing []string, probs []nim.Problem, err error) {
	switch plan.PlanKind() {
	case nim.KindUpdate:
		uc, err := c.CheckUpdate(ctx, plan)
		if err != nil {
			return nil, nil, err
		}
		return []string{nim.OsimagePrefix + plan.Name, plan.Name}, uc.Problems, nil
	case nim.KindCopy:
		cc, err := c.CheckCopy(ctx, plan)
		if err != nil {
			return nil, nil, err
		}
		return cc.Names.Existing(), cc.Problems, nil
	}
	nc, err := c.CheckNames(ctx, plan)
	if err != nil {
		return nil, nil, err
	}
	return nc.Existing(), nc.Problems, nil
}

// JobLocks are the osimage names a job of plan p keeps to itself: its own,
// and for a copy the image it copies (cpcosi must not copy a SPOT an
// update is changing).
func JobLocks(p nim.Plan) []string {
	names := []string{p.Name}
	if p.PlanKind() == nim.KindCopy && p.From != "" && p.From != p.Name {
		names = append(names, p.From)
	}
	return names
}

// launch is what Start hands its supervisor on stdin: the plan, the argv to
// run and the executor to run it with (command directories, the caller's
// environment, the live module).
type launch struct {
	Plan    nim.Plan      `json:"plan"`
	Argv    []string      `json:"argv"`
	Dirs    []string      `json:"dirs,omitempty"`
	Base    []string      `json:"base"`
	Env     []string      `json:"env,omitempty"`
	LiveDir string        `json:"live_dir,omitempty"`
	Timeout time.Duration `json:"timeout,omitempty"`
}

// executor rebuilds the caller's executor.
func (l launch) executor() *nim.Executor {
	return &nim.Executor{Dirs: l.Dirs, Base: l.Base, Env: l.Env, LiveDir: l.LiveDir, Timeout: l.Timeout}
}

// baseEnv is the environment ex starts from: its Base, or ours.
func baseEnv(ex *nim.Executor) []string {
	if ex.Base != nil {
		return ex.Base
	}
	return os.Environ()
}

// maxLaunch bounds what the supervisor reads on stdin.
const maxLaunch = 4 << 20

// readLaunch reads the launch from r (the supervisor's stdin).
func readLaunch(r io.Reader) (launch, error) {
	var l launch
	data, err := io.ReadAll(io.LimitReader(r, maxLaunch+1))
	if err != nil {
		return l, fmt.Errorf("read the job's launch from stdin: %w", err)
	}
	if len(data) > maxLaunch {
		return l, errors.New("the job's launch on stdin is too large")
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return l, fmt.Errorf("the job's launch on stdin: %w", err)
	}
	if len(l.Argv) == 0 {
		return l, errors.New("the job's launch names no command")
	}
	return l, nil
}

func writeJobFiles(rec *Record) error {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(rec.Plan); err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	// Not synced: the supervisor's first save after mknimimage starts is.
	if err := safefs.WriteFileAtomic(filepath.Join(rec.Dir, planFile), buf.Bytes(), 0o600, false); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	rf, err := createRecordFile(rec.Dir, rec)
	if err != nil {
		return err
	}
	rf.Close()
	f, err := safefs.CreateExcl(filepath.Join(rec.Dir, logFile), 0o600)
	if err != nil {
		return fmt.Errorf("create log: %w", err)
	}
	return f.Close()
}

// NameBusy says which job keeps osimage name busy, or nil: one whose
// supervisor runs, or whose mknimimage or NIM may still be working (ex asks
// ps; a job seen quiet is recorded as settled on the way).
func (s *Store) NameBusy(name string, ex *nim.Executor) (*BusyError, error) {
	return s.waitFree(name, ex)
}

// waitFree returns who keeps name busy, or nil. A supervisor holds the
// name's lock for as long as it lives (one whose record already says
// ended, and that is not settling, is given a moment to let go). A job
// whose supervisor is gone keeps the name while mknimimage still runs, or
// while NIM may still be working for it: ex asks ps, and a job seen quiet
// is recorded as settled on the way.
func (s *Store) waitFree(name string, ex *nim.Executor) (*BusyError, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := s.probeLock(name)
		if err != nil {
			return nil, err
		}
		if b == nil {
			break
		}
		if b.JobID == "" || validID(b.JobID) != nil {
			return b, nil
		}
		r, err := readRecord(filepath.Join(s.Dir, b.JobID))
		if err != nil || !r.State.Ended() || r.Settling || time.Now().After(deadline) {
			if err == nil && r.Settling {
				b.Why = "mknimimage ended without proof that xcatd finished, and nimwiz is watching NIM until it is quiet"
			}
			return b, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if !slices.Contains(JobLocks(r.Plan), name) && r.Name != name || !r.Busy() {
			continue
		}
		if b := s.stillBusy(r, ex); b != nil {
			return b, nil
		}
	}
	return nil, nil
}

// stillBusy looks again at a busy job whose supervisor is gone: busy while
// mknimimage lives or ps shows NIM work for the job's names; otherwise the
// job is recorded as settled and nil returned.
func (s *Store) stillBusy(r Record, ex *nim.Executor) *BusyError {
	b := &BusyError{Name: r.Name, JobID: r.ID}
	if r.State == StateSupervisorLost || (r.ChildPID > 0 && pidAlive(r.ChildPID)) {
		b.PID = r.ChildPID
		b.Why = fmt.Sprintf("its supervisor is gone, but mknimimage (pid %d) still runs", r.ChildPID)
		return b
	}
	if r.State == StateStarting && time.Since(r.Started) < startTimeout {
		b.Why = "it is starting"
		return b
	}
	ctx, cancel := context.WithTimeout(context.Background(), nim.DefaultQueryTimeout)
	defer cancel()
	procs, err := nim.NewClient(ex).Activity(ctx, JobNames(r.Plan))
	switch {
	case err != nil:
		b.Why = fmt.Sprintf("it ended without proof that xcatd finished, and nimwiz cannot tell whether NIM still works for it (%v)", err)
		return b
	case len(procs) > 0:
		b.PID = procs[0].PID
		b.Why = "NIM is still working for it: " + procs[0].String()
		return b
	}
	// Quiet: settle it, so that jobs and attach say so too.
	if rf, err := openRecordFile(r.Dir); err == nil {
		if r.State == StateLost || r.State == StateRunning || r.State == StateStarting {
			r.State = StateContactLost
			if r.Ended.IsZero() {
				r.Ended = time.Now()
			}
		}
		r.Settling, r.Settled, r.Activity = false, time.Now(), nil
		rf.save(&r, true)
		rf.Close()
	}
	return nil
}

// JobNames are the NIM and xCAT names a job of plan p works on: the
// osimage and every resource it creates (not the existing ones it reuses).
func JobNames(p nim.Plan) []string {
	p = p.WithDefaults()
	names := []string{p.Name}
	for _, r := range p.Resources() {
		if !r.Reused && !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	return names
}
