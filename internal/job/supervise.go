package job

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/nimwiz/nimwiz/internal/safefs"
	"github.com/nimwiz/nimwiz/nim"
)

// Supervisor tunables.
var (
	// InterruptGrace is how long mknimimage gets after SIGINT to its process
	// group before SIGTERM follows (only if it is still outside a critical
	// phase then).
	InterruptGrace = 15 * time.Second
	// GraceEnv, in the supervisor's environment, overrides InterruptGrace
	// (a Go duration such as "30s").
	GraceEnv = "NIMWIZ_INTERRUPT_GRACE"
	// drainTimeout bounds reading output after mknimimage exited, in case a
	// grandchild keeps the pipe open.
	drainTimeout = 5 * time.Second
	// requestPoll is how often the supervisor looks for an interrupt request
	// even without SIGUSR1.
	requestPoll = time.Second
	// maxPendingLog bounds output held in memory while output.log cannot be
	// written (disk full).
	maxPendingLog = 16 << 20
)

// readBuffer is how much of mknimimage's output one read takes: a flood
// costs a few syscalls per MiB, not per line.
const readBuffer = 256 << 10

// Settling tunables: after mknimimage ended without proof that xcatd
// finished, the supervisor asks ps every SettlePoll whether NIM works for
// the job's names, and lets the name go after SettleQuiet quiet answers in
// a row (or after settleMaxErrors failed asks, saying so). The variables
// SettlePollEnv and SettleQuietEnv override them (tests).
var (
	SettlePoll      = 5 * time.Second
	SettleQuiet     = 3
	SettlePollEnv   = "NIMWIZ_SETTLE_POLL"
	SettleQuietEnv  = "NIMWIZ_SETTLE_QUIET"
	settleMaxErrors = 12
)

// supervisor is the state of one Supervise run. mu guards rec, tracker, the
// interrupt fields and the save state: the reader goroutine, the signal loop
// and the record saver share them.
type supervisor struct {
	mu       sync.Mutex
	rec      Record
	tracker  *nim.Tracker
	client   *nim.Client
	pgid     int
	exited   bool
	escalate *time.Timer
	sink     *logSink
	split    lineSplitter
	saveErr  error
	rf       *recordFile
	// serverLost: the client printed that its connection to xcatd ended
	// early (Client.pm L367-370): xcatd's plugin may go on without it.
	serverLost bool

	// Saving job.json (a write and a sync) is done off the reader
	// goroutine: saveSoon asks the saver goroutine, which coalesces
	// requests. wmu orders the writes; seq/written keep an older snapshot
	// from replacing a newer one.
	wmu       sync.Mutex
	seq       uint64
	written   uint64 // guarded by wmu
	saveKick  chan struct{}
	saverDone chan struct{}
	final     bool // the end is being recorded: saveSoon does nothing
}

// Supervise is the body of the internal verb "__supervise JOBDIR": it runs
// the job recorded in dir to its end and returns the process exit status.
// What it runs comes on stdin from Start (see launch), never from the job
// directory. Its own output goes nowhere; everything it has to say is in
// job.json.
func Supervise(dir string) int {
	// First of all: SIGUSR1 kills by default, and Start's caller may send it
	// as soon as we report ready. Caught, not ignored: see startChild.
	sigc := make(chan os.Signal, 16)
	signal.Notify(sigc, caughtSignals...)

	if d, err := time.ParseDuration(os.Getenv(GraceEnv)); err == nil && d > 0 {
		InterruptGrace = d
	}
	if d, err := time.ParseDuration(os.Getenv(SettlePollEnv)); err == nil && d > 0 {
		SettlePoll = d
	}
	if n, err := strconv.Atoi(os.Getenv(SettleQuietEnv)); err == nil && n > 0 {
		SettleQuiet = n
	}
	// The ready pipe: one line saying whether mknimimage runs; after "ok"
	// it stays open until the end is recorded, so whoever started the job
	// learns of the end at once (Job.Ended) instead of polling for it.
	var ready *os.File
	if fd, err := strconv.Atoi(os.Getenv(readyFDEnv)); err == nil && fd > 2 {
		syscall.CloseOnExec(fd)
		ready = os.NewFile(uintptr(fd), "ready")
	}
	reported := false
	closeReady := func() {
		if ready != nil {
			ready.Close()
			ready = nil
		}
	}
	report := func(msg string) {
		if ready != nil && !reported {
			reported = true
			ready.WriteString(msg + "\n")
			if msg != "ok" {
				closeReady()
			}
		}
	}
	defer closeReady()
	defer report("error: the supervisor ended early")

	dir, err := filepath.Abs(dir)
	if err != nil {
		report("error: " + err.Error())
		return 1
	}
	l, err := readLaunch(os.Stdin)
	if err != nil {
		report("error: " + err.Error())
		return 1
	}
	rf, err := openRecordFile(dir)
	if err != nil {
		report("error: " + err.Error())
		return 1
	}
	defer rf.Close()
	rec, err := readRecord(dir)
	if err != nil {
		report("error: read job record: " + err.Error())
		return 1
	}
	// The record is ours to write; what to run is the launch's.
	rec.Plan, rec.Argv, rec.Name = l.Plan, l.Argv, l.Plan.Name
	store := &Store{Dir: filepath.Dir(dir)}
	ex := l.executor()
	s := &supervisor{rec: rec, rf: rf, client: nim.NewClient(ex)}
	s.rec.SupervisorPID = os.Getpid()

	var locks []*os.File
	closeLocks := func() {
		for _, l := range locks {
			l.Close()
		}
		locks = nil
	}
	defer closeLocks() // early returns; at the end they are released once NIM is quiet
	for _, name := range JobLocks(l.Plan) {
		lock, err := store.acquireLock(name, rec.ID)
		if err != nil {
			var b *BusyError
			if errors.As(err, &b) {
				id := b.JobID
				if id == "" {
					id = "-"
				}
				report(fmt.Sprintf("busy %s %d", id, b.PID))
				return 1
			}
			return s.failStart(report, err)
		}
		locks = append(locks, lock)
	}

	// Make sure the record can be written before anything runs.
	if err := rf.save(&s.rec, false); err != nil {
		report("error: " + err.Error())
		return 1
	}
	logf, err := safefs.OpenNoFollow(filepath.Join(dir, logFile), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return s.failStart(report, fmt.Errorf("open log: %w", err))
	}
	s.sink = &logSink{w: logf, max: maxPendingLog}
	cmd, err := ex.Command(l.Argv[0], l.Argv[1:]...)
	if err != nil {
		return s.failStart(report, err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return s.failStart(report, err)
	}
	// One pipe for stdout and stderr keeps their order as written.
	cmd.Stdout, cmd.Stderr = pw, pw
	growPipe(pr, readBuffer)
	// The live module reports on fd 3 that it made STDOUT unbuffered.
	var liveR, liveW *os.File
	if ex.LiveDir != "" {
		if liveR, liveW, err = os.Pipe(); err != nil {
			pw.Close()
			pr.Close()
			return s.failStart(report, err)
		}
		cmd.ExtraFiles = []*os.File{liveW}
		cmd.Env = append(cmd.Env, nim.LiveFDEnv+"=3")
	}
	// Own process group: an interrupt goes to mknimimage and everything it
	// started, and only when we decide.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.tracker = nim.NewTracker(l.Plan)
	err = startChild(cmd, sigc)
	pw.Close()
	if liveW != nil {
		liveW.Close()
	}
	if err != nil {
		pr.Close()
		if liveR != nil {
			liveR.Close()
		}
		return s.failStart(report, fmt.Errorf("start %s: %w", l.Argv[0], err))
	}

	s.mu.Lock()
	s.pgid = cmd.Process.Pid
	s.rec.ChildPID, s.rec.ChildPGID = cmd.Process.Pid, cmd.Process.Pid
	s.rec.State = StateRunning
	s.rec.Started = time.Now()
	s.setPhase()
	s.save(false) // readers see "running" at once; the saver syncs it below
	s.mu.Unlock()
	report("ok")

	s.saveKick, s.saverDone = make(chan struct{}, 1), make(chan struct{})
	go s.saver()
	s.mu.Lock()
	s.saveSoon()
	s.mu.Unlock()
	if liveR != nil {
		go s.watchLive(liveR)
	}
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		buf := make([]byte, readBuffer)
		for {
			n, err := pr.Read(buf)
			if n > 0 {
				s.output(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	waitDone := make(chan error, 1)
	go func() { waitDone <- cmd.Wait() }()

	tick := time.NewTicker(requestPoll)
	defer tick.Stop()
	var werr error
loop:
	for {
		select {
		case sig := <-sigc:
			s.onSignal(sig)
		case <-tick.C:
			s.checkRequest()
		case werr = <-waitDone:
			break loop
		}
	}
	s.mu.Lock()
	s.exited = true
	if s.escalate != nil {
		s.escalate.Stop()
	}
	s.mu.Unlock()

	select {
	case <-readDone:
	case <-time.After(drainTimeout):
		pr.Close()
		<-readDone
	}
	pr.Close()
	s.stopSaver()
	settle := s.finish(cmd, werr)
	closeReady() // the end is recorded
	if settle {
		// NIM may still be working: the name stays ours until it is quiet.
		s.settle(sigc)
	}
	closeLocks() // the next job for these names may start now
	s.syncLog(logf)
	return 0
}

// caughtSignals are the signals the supervisor notes and answers (SIGTERM,
// SIGUSR1) or notes and ignores (the rest): it never stops on them.
var caughtSignals = []os.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGPIPE}

// inheritIgnored are the signals mknimimage starts with ignored (SIG_IGN
// survives fork and exec; Perl keeps it, and the client sets handlers only
// for INT and TERM, Client.pm L285-287). HUP, QUIT and PIPE end the xCAT
// client without an abort while xcatd's plugin goes on unseen
// (xcat-client-behaviour.md §2): ignored, a stray kill -HUP does not cut
// nimwiz off from the run, and if the supervisor dies (SIGKILL, the OOM
// killer) the client's next write fails with EPIPE instead of killing it,
// so it reads xcatd's answers to the end and the job's work completes.
var inheritIgnored = []os.Signal{syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGPIPE}

// startChild starts cmd with inheritIgnored ignored. Go resets caught
// signals to their default in the child and keeps ignored ones ignored, so
// they are ignored for the moment of the fork and caught again after it.
func startChild(cmd *exec.Cmd, sigc chan os.Signal) error {
	signal.Ignore(inheritIgnored...)
	err := cmd.Start()
	signal.Notify(sigc, inheritIgnored...)
	return err
}

// watchLive reads the live module's report: "live <pid>" proves that the
// client's STDOUT is unbuffered, so the output shows where the run is.
func (s *supervisor) watchLive(r *os.File) {
	defer r.Close()
	br := bufio.NewReader(io.LimitReader(r, 4096))
	for {
		line, err := br.ReadString('\n')
		if strings.HasPrefix(line, nim.LiveMarker) {
			s.mu.Lock()
			s.tracker.SetLive()
			s.rec.Live = true
			s.setPhase()
			s.saveSoon()
			s.mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}

// failStart records that mknimimage could not be started.
func (s *supervisor) failStart(report func(string), err error) int {
	s.rec.State = StateFailed
	s.rec.Error = err.Error()
	s.rec.Ended = time.Now()
	s.rec.ExitCode = -1
	s.rec.Critical, s.rec.CriticalWhy = false, ""
	s.rf.save(&s.rec, true)
	report("error: " + err.Error())
	return 1
}

// save writes the record now (synced if durable); mu must be held. A
// failure is kept and retried at the next save: mknimimage is never stopped
// because we cannot write.
func (s *supervisor) save(durable bool) {
	seq, data, err := s.snapshot()
	if err == nil {
		err = s.write(seq, data, durable)
	}
	if err != nil {
		s.saveErr = err
	}
}

// saveSoon has the saver write the record shortly, without waiting for the
// disk; mu must be held. Before the saver runs and after the end, it saves
// now.
func (s *supervisor) saveSoon() {
	if s.saveKick == nil || s.final {
		s.save(true)
		return
	}
	select {
	case s.saveKick <- struct{}{}:
	default: // a save is already pending; it will take this state too
	}
}

// snapshot encodes the record as it is now; mu must be held.
func (s *supervisor) snapshot() (uint64, []byte, error) {
	if s.sink != nil {
		s.rec.LogBytes = s.sink.received
		if s.sink.err != nil && s.rec.LogError == "" {
			s.rec.LogError = s.sink.err.Error()
		}
		s.rec.LogDropped = s.sink.dropped
	}
	data, err := encodeRecord(&s.rec)
	if err != nil {
		return 0, nil, err
	}
	s.seq++
	return s.seq, data, nil
}

// write stores snapshot seq unless a newer one is stored already.
func (s *supervisor) write(seq uint64, data []byte, durable bool) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if seq <= s.written {
		return nil
	}
	if err := s.rf.write(data, durable); err != nil {
		return err
	}
	s.written = seq
	return nil
}

// saver writes the record each time saveSoon asks, outside mu, so the
// reader never waits for the disk.
func (s *supervisor) saver() {
	defer close(s.saverDone)
	for range s.saveKick {
		s.mu.Lock()
		seq, data, err := s.snapshot()
		s.mu.Unlock()
		if err == nil {
			err = s.write(seq, data, true)
		}
		if err != nil {
			s.mu.Lock()
			s.saveErr = err
			s.mu.Unlock()
		}
	}
}

// stopSaver lets a pending save finish and stops the saver; saves from now
// on are immediate. mu must not be held.
func (s *supervisor) stopSaver() {
	s.mu.Lock()
	s.final = true
	close(s.saveKick)
	s.mu.Unlock()
	<-s.saverDone
}

// output handles one chunk of mknimimage's output: into the log first, then
// line by line into the phase tracker.
func (s *supervisor) output(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sink.Write(p)
	s.split.feed(p, s.feedLine)
}

func (s *supervisor) feedLine(line []byte) {
	line = TrimLine(line)
	if bytes.HasPrefix(line, []byte(nim.PrematureEnd)) {
		s.serverLost = true
	}
	wasCritical := s.tracker.Critical()
	if !s.tracker.FeedBytes(line) && s.tracker.Critical() == wasCritical {
		return
	}
	s.setPhase()
	s.saveSoon()
}

func (s *supervisor) setPhase() {
	ph := s.tracker.Phase()
	s.rec.Phase = ph
	s.rec.PhaseName = ph.String()
	risk := s.tracker.Risk()
	s.rec.Critical = risk != nim.RiskNone
	s.rec.CriticalWhy = risk.Why()
	s.rec.Phases = s.tracker.Statuses()
}

func (s *supervisor) onSignal(sig os.Signal) {
	switch sig {
	case syscall.SIGUSR1:
		s.checkRequest()
	case syscall.SIGTERM:
		s.interrupt(signalName(sig), "")
	default:
		// SIGHUP, SIGINT, SIGQUIT (and SIGPIPE) never stop a job: only an
		// explicit request does. Noted for the record.
		s.mu.Lock()
		s.event(signalName(sig), "", ActionIgnored, "")
		s.saveSoon()
		s.mu.Unlock()
	}
}

func (s *supervisor) event(sig, req, action, why string) {
	s.rec.Events = append(s.rec.Events, Event{
		Time: time.Now(), Signal: sig, Request: req,
		Phase: s.tracker.Phase().String(), Action: action, Why: why,
	})
}

// checkRequest acts on an interrupt request file written by Store.Interrupt.
func (s *supervisor) checkRequest() {
	path := filepath.Join(s.rec.Dir, interruptFile)
	data, err := safefs.ReadFile(path, 4096)
	if err != nil {
		return
	}
	os.Remove(path)
	s.interrupt("interrupt request", strings.TrimSpace(string(data)))
}

// interrupt stops mknimimage only where that cannot harm the SPOT: the
// output is live and shows the lpp_source copy running (nim.Tracker.Risk),
// and ps shows NIM's lpp_source define still at work, so the SPOT cannot
// have started behind output that has not reached us yet (xcatd relays it
// about once a second). Then SIGINT goes to mknimimage's process group: the
// xCAT client asks xcatd to abort and exits 0 (Client.pm L285-287). SIGTERM
// (the same abort) follows after InterruptGrace if it is still running and
// still interruptible. Anything else is refused and recorded with why.
func (s *supervisor) interrupt(sig, req string) {
	s.mu.Lock()
	if s.exited {
		s.mu.Unlock()
		return
	}
	why := s.tracker.Risk().Why()
	if why == "" && s.tracker.Phase() != nim.PhaseLppSource {
		why = "mknimimage has done its work and is ending"
	}
	if why != "" || !s.rec.Interrupted.IsZero() {
		if why == "" {
			why = "mknimimage is already being stopped"
		}
		s.event(sig, req, ActionRefused, why)
		s.saveSoon()
		s.mu.Unlock()
		return
	}
	lpp := s.rec.Plan.WithDefaults().Name + "_lpp_source"
	s.mu.Unlock()

	// Outside the lock: ps takes a moment and the output must flow.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	procs, err := s.client.Activity(ctx, []string{lpp}, os.Getpid())
	cancel()
	copying := false
	for _, p := range procs {
		if strings.Contains(p.Args, "define") && strings.Contains(p.Args, "lpp_source") {
			copying = true
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.exited:
		return
	case err != nil:
		why = fmt.Sprintf("nimwiz could not confirm that the lpp_source copy is still running (%v)", err)
	case !copying:
		why = "the lpp_source copy has just ended and the SPOT comes next"
	case s.tracker.Risk() != nim.RiskNone:
		why = s.tracker.Risk().Why()
	}
	if why != "" {
		s.event(sig, req, ActionRefused, why)
		s.saveSoon()
		return
	}
	s.event(sig, req, ActionAccepted, "")
	s.rec.Interrupted = time.Now()
	syscall.Kill(-s.pgid, syscall.SIGINT)
	s.escalate = time.AfterFunc(InterruptGrace, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.exited && !s.tracker.Critical() {
			syscall.Kill(-s.pgid, syscall.SIGTERM)
		}
	})
	s.saveSoon()
}

// finish records the end; the saver has stopped. Every byte of output is
// written to the log before the end is recorded, so a reader who sees the
// end and then reads the log has it all. It reports whether NIM may still
// be working for the job (see settle).
//
// A job succeeded only when mknimimage exited 0, printed the summary for
// this osimage, and NIM then shows the osimage defined with its SPOT ready
// for use: the client also exits 0, silently, when it is interrupted.
func (s *supervisor) finish(cmd *exec.Cmd, werr error) (settle bool) {
	s.mu.Lock()
	s.split.flush(s.feedLine)
	s.sink.close()
	code := -1
	if ps := cmd.ProcessState; ps != nil {
		code = ps.ExitCode()
		if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal())
			s.rec.ExitSig = signalName(ws.Signal())
		}
	} else if werr != nil {
		s.rec.Error = werr.Error()
	}
	s.rec.EndedIn = s.tracker.Phase().String()
	s.tracker.Finish(code)
	s.setPhase()
	s.rec.ExitCode = code
	s.rec.Usage = measureUsage()
	plan := s.rec.Plan
	summary := s.summaryFor(s.rec.Name)
	proof := s.tracker.UpdateProof()
	s.mu.Unlock()

	var verified, verr string
	if plan.PlanKind() == nim.KindUpdate {
		// No summary: the end markers of the work the update had to do
		// stand for it (ended), and NIM must show the SPOT ready.
		summary = false
		if code == 0 && proof.Started {
			var done bool
			done, verified, verr = s.verifyUpdate(plan, proof)
			summary = done
		}
	} else if code == 0 && summary {
		verified, verr = s.verify(plan)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.rec.Verified, s.rec.VerifyError = verified, verr
	switch {
	case code == 0 && summary && verr == "":
		s.rec.State = StateSucceeded
	case code == 0 && summary:
		s.rec.State = StateFailed
	case !s.rec.Interrupted.IsZero() && s.rec.ExitSig == "":
		s.rec.State, settle = StateInterrupted, true
	case s.rec.ExitSig != "" || s.serverLost:
		s.rec.State, settle = StateContactLost, true
	case code == 0:
		// Exit 0 without the summary: the xCAT client's answer to an INT
		// or TERM (it asks xcatd to abort, Client.pm L285-287) that did not
		// come from nimwiz.
		s.rec.State, settle = StateInterrupted, true
	default:
		s.rec.State = StateFailed
	}
	s.rec.Settling = settle
	s.rec.Ended = time.Now()
	s.saveErr = nil // earlier failures are moot once the end is stored
	s.save(true)
	// The record is written in place, so a full disk cannot stop it; an
	// I/O error might pass: retry a while.
	for i := 0; s.saveErr != nil && i < 30; i++ {
		s.mu.Unlock()
		time.Sleep(time.Second)
		s.mu.Lock()
		s.saveErr = nil
		s.save(true)
	}
	return settle
}

// summaryFor reports whether mknimimage printed its summary for osimage
// name (seen in the stream: a full disk may have kept it out of the log);
// mu must be held.
func (s *supervisor) summaryFor(name string) bool {
	return s.tracker.SummaryName() == name
}

// verify asks NIM whether the osimage of plan p exists with its SPOT ready
// for use; it returns what it saw, or why that does not prove success.
func (s *supervisor) verify(p nim.Plan) (seen, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
	defer cancel()
	img, err := s.client.Osimage(ctx, p.Name)
	if err != nil {
		if errors.Is(err, nim.ErrNoSuchOsimage) {
			return "", fmt.Sprintf("mknimimage printed its summary, but xCAT has no osimage %s", p.Name)
		}
		return "", fmt.Sprintf("nimwiz could not confirm the osimage: %v", err)
	}
	spot := img.Attrs["spot"]
	if spot == "" {
		return "", fmt.Sprintf("the osimage %s names no SPOT", p.Name)
	}
	objs, missing, err := s.client.Objects(ctx, spot)
	switch {
	case err != nil:
		return "", fmt.Sprintf("nimwiz could not confirm the SPOT %s: %v", spot, err)
	case len(missing) > 0 || len(objs) == 0:
		return "", fmt.Sprintf("the osimage %s names the SPOT %s, which NIM does not have", p.Name, spot)
	case !objs[0].Ready():
		return "", fmt.Sprintf("the SPOT %s is %q, not %q", spot, objs[0].Get("Rstate"), nim.RstateReady)
	}
	return fmt.Sprintf("osimage %s defined; SPOT %s %s", p.Name, spot, nim.RstateReady), ""
}

// verifyUpdate decides whether mknimimage -u, which exited 0 after
// "Updating the NIM spot resource", ran to its end (ended) and then
// whether that proves success: the end marker of each part of the work is
// in its output ("Updated software in the NIM SPOT called" when software
// was to be installed, "Updated synclists files." when files were to be
// synced: aixinstall.pm 2.9.2 L1654-1660, L1691-1697, -V lines), no tool
// reported a failure inside the SPOT (xcatchroot may hide one), and NIM
// shows the SPOT ready for use. The work comes from the plan, or from the
// osimage definition (one lsdef) when the update takes its software from
// there. A run without its end markers was cut off (an INT or TERM to the
// client from elsewhere): not ended, and NIM may still be working.
func (s *supervisor) verifyUpdate(p nim.Plan, proof nim.UpdateProof) (ended bool, seen, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
	defer cancel()
	work := map[string]string{}
	for _, a := range []string{"installp_bundle", "otherpkgs", "synclists"} {
		work[a] = p.Extra[a]
	}
	if p.UpdateSource() == nim.FromDefinition {
		img, err := s.client.Osimage(ctx, p.Name)
		if err != nil {
			return true, "", fmt.Sprintf("nimwiz could not read the definition of %s to know what the update was to do: %v", p.Name, err)
		}
		for a := range work {
			work[a] = strings.TrimSpace(img.Get(a))
		}
	}
	software := work["installp_bundle"] != "" || work["otherpkgs"] != ""
	switch {
	case software && !proof.SoftwareDone, work["synclists"] != "" && !proof.SyncDone:
		return false, "", ""
	case len(proof.Failures) > 0:
		return true, "", fmt.Sprintf("mknimimage -u exited 0, but inside the SPOT the tools reported failures (%s)", strings.Join(proof.Failures, "; "))
	}
	objs, missing, err := s.client.Objects(ctx, p.Name)
	switch {
	case err != nil:
		return true, "", fmt.Sprintf("nimwiz could not confirm the SPOT %s: %v", p.Name, err)
	case len(missing) > 0 || len(objs) == 0:
		return true, "", fmt.Sprintf("NIM has no SPOT %s after the update", p.Name)
	case !objs[0].Ready():
		return true, "", fmt.Sprintf("the SPOT %s is %q after the update, not %q", p.Name, objs[0].Get("Rstate"), nim.RstateReady)
	}
	var did []string
	if software {
		did = append(did, "software installed")
	}
	if work["synclists"] != "" {
		did = append(did, "files synced")
	}
	return true, fmt.Sprintf("SPOT %s updated (%s) and %s", p.Name, strings.Join(did, ", "), nim.RstateReady), ""
}

// settle keeps the osimage name locked while NIM works for the job: it
// asks ps every SettlePoll and stops after SettleQuiet quiet answers in a
// row, then records what NIM shows. xcatd's plugin goes on when the client
// ends early (xcat-client-behaviour.md §2), and after an abort the 2.9.x
// xcatd signals only the plugin, not its running nim (xcatd 2.9.2
// L2464-2481).
func (s *supervisor) settle(sigc chan os.Signal) {
	s.mu.Lock()
	plan := s.rec.Plan
	s.mu.Unlock()
	names := JobNames(plan)
	quiet, errs := 0, 0
	tick := time.NewTicker(SettlePoll)
	defer tick.Stop()
	for quiet < SettleQuiet && errs < settleMaxErrors {
		ctx, cancel := context.WithTimeout(context.Background(), nim.DefaultQueryTimeout)
		procs, err := s.client.Activity(ctx, names, os.Getpid())
		cancel()
		s.mu.Lock()
		switch {
		case err != nil:
			errs++
			s.rec.SettleError = err.Error()
		case len(procs) > 0:
			quiet, errs = 0, 0
			s.rec.SettleError = ""
			s.rec.Activity = s.rec.Activity[:0]
			for _, p := range procs {
				s.rec.Activity = append(s.rec.Activity, p.String())
			}
		default:
			quiet++
			errs = 0
			s.rec.SettleError = ""
		}
		s.save(true)
		s.mu.Unlock()
		if quiet >= SettleQuiet {
			break
		}
		for waiting := true; waiting; {
			select {
			case <-tick.C:
				waiting = false
			case sig := <-sigc:
				s.mu.Lock()
				s.event(signalName(sig), "", ActionIgnored, "NIM may still be working for this job")
				s.save(true)
				s.mu.Unlock()
			}
		}
	}
	after := s.look(plan)
	s.mu.Lock()
	defer s.mu.Unlock()
	if errs >= settleMaxErrors {
		s.rec.SettleError = "nimwiz stopped watching after " + strconv.Itoa(errs) + " failed looks: " + s.rec.SettleError + "; check NIM yourself before running it again"
	}
	s.rec.Settling, s.rec.Settled, s.rec.After = false, time.Now(), after
	s.rec.Activity = nil
	s.save(true)
}

// look says what NIM shows of the job's osimage and SPOT.
func (s *supervisor) look(p nim.Plan) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*nim.DefaultQueryTimeout)
	defer cancel()
	var parts []string
	if _, err := s.client.Osimage(ctx, p.Name); err == nil {
		parts = append(parts, "osimage "+p.Name+" defined")
	} else if errors.Is(err, nim.ErrNoSuchOsimage) {
		parts = append(parts, "no osimage "+p.Name)
	} else {
		parts = append(parts, "osimage "+p.Name+": "+err.Error())
	}
	objs, missing, err := s.client.Objects(ctx, p.Name)
	switch {
	case err != nil:
		parts = append(parts, "SPOT "+p.Name+": "+err.Error())
	case len(missing) > 0 || len(objs) == 0:
		parts = append(parts, "NIM has no SPOT "+p.Name)
	default:
		parts = append(parts, "SPOT "+p.Name+" "+objs[0].Get("Rstate"))
	}
	return strings.Join(parts, "; ")
}

// syncLog makes the log durable once the end is recorded: a flood's worth
// (80 MB) takes the disk ~0.1 s, which whoever follows the job need not wait
// for. A failure is added to the record.
func (s *supervisor) syncLog(logf *os.File) {
	err := logf.Sync()
	if cerr := logf.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close log: %w", cerr)
	} else if err != nil {
		err = fmt.Errorf("sync log: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil && s.sink.err == nil {
		s.sink.err = err
		s.save(true)
	}
}

func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok {
		switch s {
		case syscall.SIGHUP:
			return "SIGHUP"
		case syscall.SIGINT:
			return "SIGINT"
		case syscall.SIGQUIT:
			return "SIGQUIT"
		case syscall.SIGTERM:
			return "SIGTERM"
		case syscall.SIGKILL:
			return "SIGKILL"
		case syscall.SIGUSR1:
			return "SIGUSR1"
		case syscall.SIGPIPE:
			return "SIGPIPE"
		case syscall.SIGTSTP:
			return "SIGTSTP"
		}
		return "signal " + strconv.Itoa(int(s))
	}
	return sig.String()
}

// logSink appends output to the log. When a write fails (disk full) it keeps
// what it could not write in memory, up to max bytes, retries on each later
// chunk, and when it gets through writes a marker saying how much was lost.
// It never blocks or fails the reader, so mknimimage never blocks on its
// pipe and is never stopped because of us.
type logSink struct {
	w        io.Writer
	max      int
	pending  []byte
	received int64 // bytes mknimimage wrote
	dropped  int64 // bytes not kept (pending was full)
	marked   int64 // dropped bytes already reported in the log
	err      error // first write error
}

func (l *logSink) Write(p []byte) {
	l.received += int64(len(p))
	if !l.clean() {
		l.retry()
	}
	if l.clean() {
		n, err := l.w.Write(p)
		if err == nil {
			return
		}
		l.fail(err)
		p = p[n:]
	}
	l.hold(p)
}

// clean reports whether nothing waits to be written and no loss is unreported.
func (l *logSink) clean() bool { return len(l.pending) == 0 && l.dropped == l.marked }

// hold keeps p for later, or counts it as lost. After a loss nothing more is
// held until the marker is written, so the marker sits where the gap is.
func (l *logSink) hold(p []byte) {
	room := l.max - len(l.pending)
	if l.dropped > l.marked || room <= 0 {
		l.dropped += int64(len(p))
		return
	}
	if len(p) > room {
		l.dropped += int64(len(p) - room)
		p = p[:room]
	}
	l.pending = append(l.pending, p...)
}

func (l *logSink) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// retry writes pending output and the loss marker, if the log takes them now.
func (l *logSink) retry() {
	for len(l.pending) > 0 {
		n, err := l.w.Write(l.pending)
		l.pending = l.pending[n:]
		if err != nil {
			l.fail(err)
			return
		}
	}
	l.pending = nil
	if l.dropped > l.marked {
		msg := fmt.Sprintf("\n[nimwiz: %d bytes of mknimimage output were lost here: %v]\n", l.dropped-l.marked, l.err)
		if _, err := io.WriteString(l.w, msg); err != nil {
			return
		}
		l.marked = l.dropped
	}
}

func (l *logSink) close() {
	if len(l.pending) > 0 || l.dropped > l.marked {
		l.retry()
	}
	if n := int64(len(l.pending)); n > 0 {
		l.dropped += n
		l.pending = nil
	}
}

// lineSplitter cuts a byte stream into lines for the tracker, in place: a
// line within one chunk is passed as a slice of it, only a line spanning
// chunks is copied. A line longer than maxTrackLine is cut: phase messages
// are short.
type lineSplitter struct {
	buf []byte
}

const maxTrackLine = 4096

func (ls *lineSplitter) feed(p []byte, line func([]byte)) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			ls.buf = append(ls.buf, p...)
			if len(ls.buf) > maxTrackLine {
				line(ls.buf)
				ls.buf = ls.buf[:0]
			}
			return
		}
		if len(ls.buf) > 0 {
			ls.buf = append(ls.buf, p[:i]...)
			line(ls.buf)
			ls.buf = ls.buf[:0]
		} else {
			line(p[:i])
		}
		p = p[i+1:]
	}
}

func (ls *lineSplitter) flush(line func([]byte)) {
	if len(ls.buf) > 0 {
		line(ls.buf)
		ls.buf = ls.buf[:0]
	}
}

// TrimLine drops trailing carriage returns and keeps what follows the last
// one left (a redrawn progress line shows its last state). The supervisor
// and every follower feed their trackers through it, so they agree.
func TrimLine(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b // most lines
	}
	b = bytes.TrimRight(b, "\r")
	if i := bytes.LastIndexByte(b, '\r'); i >= 0 {
		b = b[i+1:]
	}
	return b
}
