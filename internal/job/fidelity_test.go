package job

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/nim"
)

// The tests in this file run the job against a fake mknimimage that is a
// Perl process behaving as the real xCAT client does (see jobtest): they
// prove what nimwiz sees and does on a real master.

// fakePID is the pid of the running fake mknimimage.
func (e *env) fakePID() int {
	e.t.Helper()
	var pid int
	jobtest.Eventually(e.t, "fake pid", func() bool {
		b, err := os.ReadFile(filepath.Join(e.fake, jobtest.PIDFile))
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		return err == nil && pid > 0
	})
	return pid
}

func readLog(t *testing.T, r Record) string {
	t.Helper()
	b, err := os.ReadFile(r.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Without the live module the client's STDOUT is block-buffered on the
// pipe: nothing it printed has reached the log while it waits in the
// lpp_source copy, and the run stays protected; with it, the line is there
// at once and the phase is known.
func TestOutputIsLiveOnlyWithTheModule(t *testing.T) {
	t.Run("buffered", func(t *testing.T) {
		e := newEnv(t, jobtest.EnvHold+"=lpp")
		e.exec.LiveDir = ""
		j := e.start("buf1")
		e.at("lpp") // printed the lpp_source line before it got here
		r := e.untilRecord(j.ID, "running", func(r Record) bool { return r.State == StateRunning })
		if log := readLog(t, r); strings.Contains(log, "Creating a NIM lpp_source") {
			t.Fatalf("the lpp_source line reached the log through a pipe before exit:\n%s", log)
		}
		if r.Live || !r.Critical || r.CriticalWhy != nim.RiskUnknown.Why() {
			t.Fatalf("live %v critical %v why %q", r.Live, r.Critical, r.CriticalWhy)
		}
		ev, err := e.store.Interrupt(context.Background(), j.ID)
		if err != nil || ev.Action != ActionRefused || ev.Why != nim.RiskUnknown.Why() {
			t.Fatalf("Interrupt: %+v, %v; want refused because the output is not live", ev, err)
		}
		jobtest.Let(t, e.fake, "lpp")
		r = e.wait(j.ID)
		if r.State != StateSucceeded {
			t.Fatalf("state %s: %s", r.State, r.VerifyError)
		}
		// STDERR is unbuffered: the warning overtook the info printed first.
		log := readLog(t, r)
		if w, c := strings.Index(log, "Warning:"), strings.Index(log, "Creating a NIM lpp_source"); w < 0 || c < 0 || w > c {
			t.Errorf("want the warning before the earlier info line in a buffered run:\n%s", log)
		}
		if sigs := jobtest.Signals(e.fake); len(sigs) != 0 {
			t.Errorf("fake received %v", sigs)
		}
	})
	t.Run("live", func(t *testing.T) {
		e := newEnv(t, jobtest.EnvHold+"=lpp")
		j := e.start("live1")
		e.at("lpp")
		r := e.untilRecord(j.ID, "live and in the lpp_source", func(r Record) bool {
			return r.Live && r.Phase == nim.PhaseLppSource && !r.Critical
		})
		if log := readLog(t, r); !strings.Contains(log, "Creating a NIM lpp_source") {
			t.Fatalf("the lpp_source line is not in the log:\n%s", log)
		}
		jobtest.Let(t, e.fake, "lpp")
		if r := e.wait(j.ID); r.State != StateSucceeded || readLog(t, r) != output("live1", 0) {
			t.Fatalf("state %s, log:\n%s", r.State, readLog(t, r))
		}
	})
}

// The client starts with HUP, QUIT and PIPE ignored: a stray kill -HUP, or
// the supervisor's death (its next write fails with EPIPE instead of
// killing it), no longer ends it while xcatd works on. Perl keeps an
// inherited SIG_IGN, and the client sets handlers only for INT and TERM.
func TestClientStartsWithHupQuitPipeIgnored(t *testing.T) {
	e := newEnv(t)
	script := "#!/usr/bin/perl\nfor my $s (qw(HUP QUIT PIPE INT TERM)) { print \"$s=\", (defined $SIG{$s} ? $SIG{$s} : ''), \"\\n\"; }\nexit 1;\n"
	if err := os.WriteFile(filepath.Join(e.exec.Dirs[0], "mknimimage"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r := e.wait(e.start("sigs1").ID)
	log := readLog(t, r)
	for _, want := range []string{"HUP=IGNORE\n", "QUIT=IGNORE\n", "PIPE=IGNORE\n", "INT=\n", "TERM=\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("want %q in what the client saw:\n%s", want, log)
		}
	}
}

// An INT or TERM that reaches the client from elsewhere makes it ask xcatd
// to abort and exit 0 without its summary: never a success. NIM may go on
// (2.9.x xcatd signals only the plugin, not its running nim), so the name
// stays busy until ps shows nothing working for the job.
func TestExitZeroWithoutSummaryIsNotSuccess(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("int1")
	e.at("spot")
	if err := syscall.Kill(e.fakePID(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r := e.wait(j.ID)
	if r.State != StateInterrupted || r.ExitCode != 0 || !r.Interrupted.IsZero() {
		t.Fatalf("state %s exit %d interrupted-by-nimwiz %v", r.State, r.ExitCode, r.Interrupted)
	}
	// The fake's "nim define" still runs, as the real one would.
	r = e.untilRecord(j.ID, "NIM activity seen", func(r Record) bool { return len(r.Activity) > 0 })
	if !r.Settling || !strings.Contains(strings.Join(r.Activity, "\n"), "define -t spot") {
		t.Fatalf("settling %v activity %q", r.Settling, r.Activity)
	}
	var b *BusyError
	if _, err := Start(e.store, e.exec, plan("int1"), e.self); !errors.As(err, &b) || b.JobID != j.ID {
		t.Fatalf("a new job for the name while NIM works: %v", err)
	}
	jobtest.Let(t, e.fake, "spot")
	r = e.untilRecord(j.ID, "settled", func(r Record) bool { return !r.Busy() })
	if r.State != StateInterrupted || r.Settled.IsZero() || !strings.Contains(r.After, "SPOT int1") {
		t.Fatalf("after settling: %s settled %v after %q", r.State, r.Settled, r.After)
	}
	if r := e.wait(e.start("int1").ID); r.State != StateSucceeded {
		t.Fatalf("the next job: %s", r.State)
	}
}

// HUP no longer reaches the client (ignored); KILL does, and ends it
// without an abort: contact lost, and the name stays busy while NIM works.
func TestClientKilledIsContactLost(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("kill1")
	e.at("spot")
	pid := e.fakePID()
	syscall.Kill(pid, syscall.SIGHUP)
	syscall.Kill(pid, syscall.SIGQUIT)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r := e.wait(j.ID)
	if r.State != StateContactLost || r.ExitSig != "SIGKILL" || !r.Settling {
		t.Fatalf("state %s signal %s settling %v", r.State, r.ExitSig, r.Settling)
	}
	if sigs := jobtest.Signals(e.fake); len(sigs) != 0 {
		t.Errorf("HUP or QUIT reached the client: %v", sigs)
	}
	e.untilRecord(j.ID, "NIM activity seen", func(r Record) bool { return len(r.Activity) > 0 })
	var b *BusyError
	if _, err := Start(e.store, e.exec, plan("kill1"), e.self); !errors.As(err, &b) {
		t.Fatalf("a new job for the name while NIM works: %v", err)
	}
	jobtest.Let(t, e.fake, "spot")
	e.untilRecord(j.ID, "settled", func(r Record) bool { return !r.Busy() })
}

// A supervisor killed outright (SIGKILL, the OOM killer) sends nothing to
// the client, which reads on to the end; the name stays busy while it runs,
// and once it is gone and NIM is quiet the next job may start.
func TestSupervisorDeathKeepsTheName(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("orphan1")
	e.at("spot")
	r := e.untilRecord(j.ID, "running", func(r Record) bool { return r.State == StateRunning })
	if err := syscall.Kill(r.SupervisorPID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r = e.untilRecord(j.ID, "supervisor lost", func(r Record) bool { return r.State == StateSupervisorLost })
	if !r.Busy() || r.State.Ended() {
		t.Fatalf("supervisor lost: busy %v ended %v", r.Busy(), r.State.Ended())
	}
	_, err := Start(e.store, e.exec, plan("orphan1"), e.self)
	var b *BusyError
	if !errors.As(err, &b) || b.PID != r.ChildPID || !strings.Contains(err.Error(), "still runs") {
		t.Fatalf("Start beside a running mknimimage: %v", err)
	}
	jobtest.Let(t, e.fake, "spot")
	// The client wrote into a pipe nobody reads: EPIPE, not death, so it
	// finished its work (the fake leaves the osimage it made).
	jobtest.Eventually(t, "the orphaned client finished", func() bool {
		_, err := os.Stat(filepath.Join(e.fake, "defined-orphan1"))
		return err == nil && !pidAlive(r.ChildPID)
	})
	if r, _ := e.store.Load(j.ID); r.State != StateLost {
		t.Fatalf("after the client ended: %s", r.State)
	}
	if sigs := jobtest.Signals(e.fake); len(sigs) != 0 {
		t.Errorf("fake received %v", sigs)
	}
	// The next start finds NIM quiet and settles the orphaned job; the
	// orphan created the osimage, so the name is refused as it exists.
	var pe *PlanError
	if _, err := Start(e.store, e.exec, plan("orphan1"), e.self); !errors.As(err, &pe) || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("the next start: %v", err)
	}
	if r, _ := e.store.Load(j.ID); r.State != StateContactLost || r.Busy() {
		t.Errorf("the orphaned job after the next start: %s busy %v", r.State, r.Busy())
	}
}

// Exit 0 and the summary are not enough: NIM must show the osimage defined
// and its SPOT ready for use.
func TestSuccessNeedsNIMsProof(t *testing.T) {
	for _, tt := range []struct {
		name, env, why string
	}{
		{"nodef1", jobtest.EnvNoDef + "=1", "xCAT has no osimage nodef1"},
		{"spotbad1", jobtest.EnvSpot + "=unavailable for use", `"unavailable for use"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.env)
			r := e.wait(e.start(tt.name).ID)
			if r.State != StateFailed || r.ExitCode != 0 || !strings.Contains(r.VerifyError, tt.why) {
				t.Fatalf("state %s exit %d verify %q", r.State, r.ExitCode, r.VerifyError)
			}
		})
	}
	e := newEnv(t)
	r := e.wait(e.start("good1").ID)
	if r.State != StateSucceeded || !strings.Contains(r.Verified, "SPOT good1 ready for use") {
		t.Fatalf("state %s verified %q", r.State, r.Verified)
	}
}

// A full file system stops the log, never the record: the end is recorded
// truthfully and the lost output counted. On a real small file system when
// the test can mount one (root; CI must), else the record file alone.
func TestFullDiskEndsTruthfully(t *testing.T) {
	e := newEnv(t, jobtest.EnvNoise+"=60000")
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a small tmpfs: %v: %s", err, out)
		}
		t.Logf("cannot mount a tmpfs here (%v); the in-place record is tested by TestRecordIsWrittenInPlace", err)
		return
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	e.store = NewStore(mnt)
	r := e.wait(e.start("full1").ID)
	if r.State != StateSucceeded || r.LogDropped == 0 || !strings.Contains(r.LogError, "no space") {
		t.Fatalf("state %s dropped %d log error %q", r.State, r.LogDropped, r.LogError)
	}
}

// The record is rewritten in place: its size never changes, and a torn
// read (a writer caught half-way) is detected by the checksum.
func TestRecordIsWrittenInPlace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x") // a record is its directory's
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	r := Record{ID: "x", Name: "x", State: StateRunning}
	rf, err := createRecordFile(dir, &r)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	for i := range 3 * maxEvents {
		r.Events = append(r.Events, Event{Signal: "SIGINT", Action: ActionIgnored, Why: strings.Repeat("w", 100)})
		if err := rf.save(&r, false); err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
	}
	fi, _ := os.Stat(filepath.Join(dir, recordName))
	if fi.Size() != recordSize {
		t.Fatalf("record file is %d bytes, want %d", fi.Size(), recordSize)
	}
	got, err := readRecord(dir)
	if err != nil || len(got.Events) != maxEvents {
		t.Fatalf("read: %d events, %v", len(got.Events), err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, recordName))
	b[len(recordMagic)+20] ^= 1 // a byte of the JSON, as a torn write leaves it
	if _, err := parseRecordFile(b); !errors.Is(err, errTorn) {
		t.Fatalf("torn record: %v", err)
	}
}

// A job directory whose record cannot be read is listed as unreadable with
// its path, not hidden; a record dated in the future does not stay
// "starting" for ever.
func TestListShowsUnreadableAndFutureRecords(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(e.store.Dir, "20260101-000000-bad")
	os.Mkdir(bad, 0o700)
	os.WriteFile(filepath.Join(bad, recordName), []byte("{not json"), 0o600)
	future := "20991231-000000-future"
	os.Mkdir(filepath.Join(e.store.Dir, future), 0o700)
	rf, err := createRecordFile(filepath.Join(e.store.Dir, future), &Record{ID: future, Name: "future", State: StateStarting, Started: time.Now().Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	all, err := e.store.List()
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]Record{}
	for _, r := range all {
		states[r.ID] = r
	}
	if r := states["20260101-000000-bad"]; r.State != StateUnreadable || !strings.Contains(r.Error, recordName) {
		t.Errorf("unreadable record: %+v", r)
	}
	if r := states[future]; r.State != StateLost {
		t.Errorf("record from the future: %s", r.State)
	}
}

// What SPOT creation took before, from the records of earlier successful
// jobs; jobs that did not succeed do not count.
func TestHistoryOfAPhase(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	h, _ := e.store.History(nim.PhaseSpot)
	if h.Runs != 0 || h.String() != "no earlier SPOT creation on this master to go by" {
		t.Fatalf("no history: %+v %q", h, h.String())
	}
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i, tc := range []struct {
		state State
		took  time.Duration
	}{{StateSucceeded, 21 * time.Minute}, {StateSucceeded, 24 * time.Minute}, {StateFailed, 2 * time.Minute}, {StateSucceeded, 23 * time.Minute}} {
		id := fmt.Sprintf("2026120%d-100000-h%d", i+1, i)
		os.Mkdir(filepath.Join(e.store.Dir, id), 0o700)
		r := &Record{ID: id, Name: "h", State: tc.state, Started: t0, Ended: t0.Add(time.Hour), Phases: []nim.PhaseStatus{
			{Phase: nim.PhaseSpot, State: nim.PhaseDoneOK, Started: t0, Ended: t0.Add(tc.took)},
		}}
		rf, err := createRecordFile(filepath.Join(e.store.Dir, id), r)
		if err != nil {
			t.Fatal(err)
		}
		rf.Close()
	}
	h, err := e.store.History(nim.PhaseSpot)
	if err != nil || h.Runs != 3 || h.String() != "SPOT creation took 21–24 min in 3 earlier runs here" {
		t.Fatalf("%+v %q %v", h, h.String(), err)
	}
}

// A job that may still be working uses what it creates and what it builds
// from: the browser must not remove or change those.
func TestUsingNamesTheJobsThatUseAResource(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	p := plan("use1")
	p.Source = "aix73_lpp"
	j, err := Start(e.store, e.exec, p, e.self)
	if err != nil {
		t.Fatal(err)
	}
	e.at("spot")
	for _, n := range []string{"aix73_lpp", "use1", "use1_shared_root"} {
		rs, err := e.store.Using(n)
		if err != nil || len(rs) != 1 || rs[0].ID != j.ID {
			t.Errorf("Using(%s): %v %v", n, ids(rs), err)
		}
	}
	if rs, _ := e.store.Using("other_lpp"); len(rs) != 0 {
		t.Errorf("Using(other_lpp): %v", ids(rs))
	}
	jobtest.Let(t, e.fake, "spot")
	e.wait(j.ID)
	if rs, _ := e.store.Using("aix73_lpp"); len(rs) != 0 {
		t.Errorf("after the end: %v", ids(rs))
	}
}

// A job that says running while neither its supervisor nor mknimimage
// lives is lost, and its clock stops at its last sign of life: the latest
// write to its record or log.
func TestLostJobLastSeen(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	id := "20261204-120000-lastseen"
	dir := filepath.Join(e.store.Dir, id)
	os.Mkdir(dir, 0o700)
	started := time.Now().Add(-time.Hour)
	rf, err := createRecordFile(dir, &Record{ID: id, Name: "lastseen", State: StateRunning, Started: started})
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	os.WriteFile(filepath.Join(dir, logFile), []byte("Creating a NIM SPOT resource. This could take a while.\n"), 0o600)
	recAt, logAt := started.Add(2*time.Minute), started.Add(9*time.Minute)
	os.Chtimes(filepath.Join(dir, recordName), recAt, recAt)
	os.Chtimes(filepath.Join(dir, logFile), logAt, logAt)
	r, err := e.store.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if r.State != StateLost || !r.LastSeen.Equal(logAt) {
		t.Fatalf("state %s, last seen %v: want lost, last seen at the log's last write %v", r.State, r.LastSeen, logAt)
	}
	if u := r.Until(time.Now()); !u.Equal(logAt) {
		t.Errorf("Until = %v, want %v", u, logAt)
	}
}

// A job asking what SPOT creation took before counts only the jobs that
// started before it, never itself (a fast job may already have ended).
func TestHistoryBeforeAJob(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i, took := range []time.Duration{21 * time.Minute, 24 * time.Minute, time.Second} {
		id := fmt.Sprintf("2026120%d-100000-hb%d", i+1, i)
		ids = append(ids, id)
		os.Mkdir(filepath.Join(e.store.Dir, id), 0o700)
		start := t0.Add(time.Duration(i) * time.Hour)
		rf, err := createRecordFile(filepath.Join(e.store.Dir, id), &Record{ID: id, Name: "hb", State: StateSucceeded, Started: start, Ended: start.Add(took),
			Phases: []nim.PhaseStatus{{Phase: nim.PhaseSpot, State: nim.PhaseDoneOK, Started: start, Ended: start.Add(took)}}})
		if err != nil {
			t.Fatal(err)
		}
		rf.Close()
	}
	if h, err := e.store.HistoryBefore(nim.PhaseSpot, ids[2]); err != nil || h.Runs != 2 || h.Min != 21*time.Minute || h.Max != 24*time.Minute {
		t.Errorf("before the third job: %+v %v; want the first two", h, err)
	}
	if h, _ := e.store.HistoryBefore(nim.PhaseSpot, ids[0]); h.Runs != 0 {
		t.Errorf("before the first job: %+v; want none", h)
	}
	if h, _ := e.store.History(nim.PhaseSpot); h.Runs != 3 {
		t.Errorf("all: %+v", h)
	}
}
