package job

import (
	"bytes"
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

// supervisor is the state of one Supervise run. mu guards rec, tracker, the
// interrupt fields and the save state: the reader goroutine, the signal loop
// and the record saver share them.
type supervisor struct {
	mu         sync.Mutex
	rec        Record
	tracker    *nim.Tracker
	sawSummary bool
	pgid       int
	exited     bool
	escalate   *time.Timer
	sink       *logSink
	split      lineSplitter
	saveErr    error

	// Saving job.json (two fsyncs) is done off the reader goroutine:
	// saveSoon asks the saver goroutine, which coalesces requests. wmu
	// orders the writes; seq/written keep an older snapshot from replacing
	// a newer one.
	wmu       sync.Mutex
	seq       uint64
	written   uint64 // guarded by wmu
	saveKick  chan struct{}
	saverDone chan struct{}
	final     bool // the end is being recorded: saveSoon does nothing
}

// Supervise is the body of the internal verb "__supervise JOBDIR": it runs
// the job recorded in dir to its end and returns the process exit status.
// Its own output goes nowhere (Start gives it /dev/null); everything it has
// to say is in job.json.
func Supervise(dir string) int {
	// First of all: SIGUSR1 kills by default, and Start's caller may send it
	// as soon as we report ready. Catching (not ignoring) keeps mknimimage's
	// own dispositions at their defaults.
	sigc := make(chan os.Signal, 16)
	signal.Notify(sigc, syscall.SIGHUP, syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGPIPE)

	if d, err := time.ParseDuration(os.Getenv(GraceEnv)); err == nil && d > 0 {
		InterruptGrace = d
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
	rec, err := readRecord(dir)
	if err != nil {
		report("error: read job record: " + err.Error())
		return 1
	}
	store := &Store{Dir: filepath.Dir(dir)}
	s := &supervisor{rec: rec}
	s.rec.SupervisorPID = os.Getpid()

	lock, err := store.acquireLock(rec.Name, rec.ID)
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
	defer lock.Close() // early returns; at the end it is released once the end is recorded

	// Make sure the record can be written before anything runs.
	if err := saveRecord(&s.rec, false); err != nil {
		report("error: " + err.Error())
		return 1
	}
	logf, err := os.OpenFile(filepath.Join(dir, logFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return s.failStart(report, fmt.Errorf("open log: %w", err))
	}
	s.sink = &logSink{w: logf, max: maxPendingLog}
	ex := &nim.Executor{Dirs: rec.Exec.Dirs, Env: rec.Exec.Env}
	if len(rec.Argv) == 0 {
		return s.failStart(report, errors.New("job record has no command"))
	}
	cmd, err := ex.Command(rec.Argv[0], rec.Argv[1:]...)
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
	// Own process group: an interrupt goes to mknimimage and everything it
	// started, and only when we decide.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.tracker = nim.NewTracker(rec.Plan)
	if err := cmd.Start(); err != nil {
		pw.Close()
		pr.Close()
		return s.failStart(report, fmt.Errorf("start %s: %w", rec.Argv[0], err))
	}
	pw.Close()

	s.mu.Lock()
	s.pgid = cmd.Process.Pid
	s.rec.ChildPID, s.rec.ChildPGID = cmd.Process.Pid, cmd.Process.Pid
	s.rec.State = StateRunning
	s.rec.Started = time.Now()
	s.save(false) // readers see "running" at once; the saver syncs it below
	s.mu.Unlock()
	report("ok")

	s.saveKick, s.saverDone = make(chan struct{}, 1), make(chan struct{})
	go s.saver()
	s.mu.Lock()
	s.saveSoon()
	s.mu.Unlock()
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
	s.finish(cmd, werr)
	closeReady() // the end is recorded
	lock.Close() // the next job for this name may start now
	s.syncLog(logf)
	return 0
}

// failStart records that mknimimage could not be started.
func (s *supervisor) failStart(report func(string), err error) int {
	s.rec.State = StateFailed
	s.rec.Error = err.Error()
	s.rec.Ended = time.Now()
	s.rec.ExitCode = -1
	saveRecord(&s.rec, true)
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
	s.rec.LogBytes = s.sink.received
	if s.sink.err != nil && s.rec.LogError == "" {
		s.rec.LogError = s.sink.err.Error()
	}
	s.rec.LogDropped = s.sink.dropped
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
	if err := writeRecordData(s.rec.Dir, data, durable); err != nil {
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
	if !s.tracker.FeedBytes(TrimLine(line)) {
		return
	}
	s.setPhase()
	s.saveSoon()
}

func (s *supervisor) setPhase() {
	ph := s.tracker.Phase()
	if ph == nim.PhaseSummary {
		s.sawSummary = true
	}
	s.rec.Phase = ph
	s.rec.PhaseName = PhaseName(ph)
	s.rec.Critical = s.tracker.Critical()
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
		s.event(signalName(sig), "", ActionIgnored)
		s.saveSoon()
		s.mu.Unlock()
	}
}

func (s *supervisor) event(sig, req, action string) {
	s.rec.Events = append(s.rec.Events, Event{
		Time: time.Now(), Signal: sig, Request: req,
		Phase: PhaseName(s.tracker.Phase()), Action: action,
	})
}

// checkRequest acts on an interrupt request file written by Store.Interrupt.
func (s *supervisor) checkRequest() {
	path := filepath.Join(s.rec.Dir, interruptFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	os.Remove(path)
	s.interrupt("interrupt request", strings.TrimSpace(string(data)))
}

// interrupt stops mknimimage unless it is in a critical phase: SIGINT to its
// process group, then SIGTERM after InterruptGrace if it is still running
// and still outside a critical phase.
func (s *supervisor) interrupt(sig, req string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exited {
		return
	}
	if s.tracker.Critical() {
		s.event(sig, req, ActionRefused)
		s.saveSoon()
		return
	}
	s.event(sig, req, ActionAccepted)
	if s.rec.Interrupted.IsZero() {
		s.rec.Interrupted = time.Now()
		syscall.Kill(-s.pgid, syscall.SIGINT)
		s.escalate = time.AfterFunc(InterruptGrace, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.exited && !s.tracker.Critical() {
				syscall.Kill(-s.pgid, syscall.SIGTERM)
			}
		})
	}
	s.saveSoon()
}

// finish records the end; the saver has stopped. Every byte of output is
// written to the log before the end is recorded, so a reader who sees the
// end and then reads the log has it all.
func (s *supervisor) finish(cmd *exec.Cmd, werr error) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	s.rec.EndedIn = PhaseName(s.tracker.Phase())
	s.tracker.Finish(code)
	s.setPhase()
	s.rec.ExitCode = code
	s.rec.Usage = measureUsage()
	s.rec.Ended = time.Now()
	switch {
	case !s.rec.Interrupted.IsZero() && !s.sawSummary:
		s.rec.State = StateInterrupted
	case code == 0:
		s.rec.State = StateSucceeded
	default:
		s.rec.State = StateFailed
	}
	s.saveErr = nil // earlier failures are moot once the end is stored
	s.save(true)
	// The end must be recorded: a full disk may free up, so retry a while.
	for i := 0; s.saveErr != nil && i < 30; i++ {
		time.Sleep(time.Second)
		s.saveErr = nil
		s.save(true)
	}
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
