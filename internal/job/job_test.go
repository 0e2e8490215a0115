package job

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job/jobtest"
	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/testutil"
	"github.com/nimwiz/nimwiz/nim"
)

func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "__supervise" {
		os.Exit(Supervise(os.Args[2]))
	}
	// Started under a simulated command's name (simtest worlds link them
	// to this binary), the test binary is that command.
	if name := filepath.Base(os.Args[0]); sim.IsCommand(name) {
		os.Exit(sim.Main(name, os.Args[1:], os.Stdout, os.Stderr))
	}
	if os.Getenv("JOBTEST_WATCH") != "" {
		os.Exit(watchMain())
	}
	os.Exit(m.Run())
}

// env is one test's world: a store, a fake mknimimage and its control dir.
type env struct {
	t     *testing.T
	state string
	store *Store
	fake  string
	exec  *nim.Executor
	self  []string
}

func newEnv(t *testing.T, fakeEnv ...string) *env {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, state: t.TempDir(), fake: t.TempDir()}
	e.store = NewStore(e.state)
	e.exec = &nim.Executor{Dirs: []string{jobtest.Bin(t)}, LiveDir: jobtest.LiveDir(t), Env: append([]string{jobtest.EnvDir + "=" + e.fake}, fakeEnv...)}
	// Settle fast: the fake's NIM work ends when the test lets it.
	t.Setenv(SettlePollEnv, "20ms")
	t.Setenv(SettleQuietEnv, "2")
	e.self = []string{exe, "__supervise"}
	t.Cleanup(func() {
		// Let any held fake go and wait for every job, so no process outlives the test.
		jobtest.Let(t, e.fake, "lpp")
		jobtest.Let(t, e.fake, "spot")
		all, _ := e.store.List()
		for _, r := range all {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			e.store.Wait(ctx, r.ID)
			cancel()
		}
	})
	return e
}

func plan(name string) nim.Plan {
	return nim.Plan{Name: name, Type: nim.Diskless, Source: jobtest.Source, Stateless: true}
}

// output is what the fake prints for plan(name).
func output(name string, noise int) string {
	return jobtest.Output(name, jobtest.Source, noise, slices.Contains(plan(name).Args(), "-V"))
}

func (e *env) start(name string) *Job {
	e.t.Helper()
	j, err := Start(e.store, e.exec, plan(name), e.self)
	if err != nil {
		e.t.Fatalf("Start: %v", err)
	}
	return j
}

func (e *env) wait(id string) Record {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := e.store.Wait(ctx, id)
	if err != nil {
		e.t.Fatalf("Wait %s: %v", id, err)
	}
	return r
}

func (e *env) at(point string) {
	e.t.Helper()
	jobtest.Eventually(e.t, "fake at "+point, func() bool {
		_, err := os.Stat(filepath.Join(e.fake, jobtest.AtFile(point)))
		return err == nil
	})
}

// untilRecord polls the record until cond holds.
func (e *env) untilRecord(id, what string, cond func(Record) bool) Record {
	e.t.Helper()
	var r Record
	jobtest.Eventually(e.t, what, func() bool {
		var err error
		r, err = e.store.Load(id)
		return err == nil && cond(r)
	})
	return r
}

func TestJobRunsToTheEndWithExactOutput(t *testing.T) {
	e := newEnv(t, jobtest.EnvNoise+"=500")
	j := e.start("j71cosi")
	r := e.wait(j.ID)
	if r.State != StateSucceeded || r.ExitCode != 0 {
		t.Fatalf("state %s exit %d error %q, want succeeded 0", r.State, r.ExitCode, r.Error)
	}
	got, err := os.ReadFile(j.LogPath())
	if err != nil {
		t.Fatal(err)
	}
	want := output("j71cosi", 500)
	if string(got) != want {
		t.Fatalf("log differs from the fake's output:\n got %d bytes\nwant %d bytes", len(got), len(want))
	}
	if r.LogBytes != int64(len(want)) || r.LogError != "" || r.LogDropped != 0 {
		t.Errorf("log_bytes %d error %q dropped %d", r.LogBytes, r.LogError, r.LogDropped)
	}
	if r.Phase != nim.PhaseDone || r.EndedIn != "summary" || r.Critical || r.ChildPID == 0 || r.SupervisorPID == 0 || r.Ended.IsZero() {
		t.Errorf("record: phase %v critical %v child %d supervisor %d ended %v", r.Phase, r.Critical, r.ChildPID, r.SupervisorPID, r.Ended)
	}
	if u := r.Usage; u == nil || u.SupervisorMaxRSSKB <= 0 || u.CommandMaxRSSKB <= 0 || u.SupervisorUser+u.SupervisorSys <= 0 {
		t.Errorf("usage not recorded: %+v", u)
	}
	if want := []string{"mknimimage", "-V", "-t", "diskless", "-r", "-s", "/export/aix71", "j71cosi"}; strings.Join(r.Argv, " ") != strings.Join(want, " ") {
		t.Errorf("argv %q, want %q", r.Argv, want)
	}
	var buf bytes.Buffer
	if _, off, err := e.store.Follow(context.Background(), j.ID, 0, &buf); err != nil || buf.String() != want || off != int64(len(want)) {
		t.Errorf("Follow: err %v, offset %d, equal %v", err, off, buf.String() == want)
	}
	for _, f := range []string{"", recordName, planFile, logFile} {
		fi, err := os.Stat(filepath.Join(j.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		perm := fi.Mode().Perm()
		if (f == "" && perm != 0o700) || (f != "" && perm != 0o600) {
			t.Errorf("%s mode %v", filepath.Join(j.Dir, f), perm)
		}
	}
	p, err := nim.LoadPlan(filepath.Join(j.Dir, planFile))
	if err != nil || p.Name != "j71cosi" || !p.Stateless {
		t.Errorf("plan.toml: %+v, %v", p, err)
	}
	if b, err := e.store.probeLock("j71cosi"); err != nil || b != nil {
		t.Errorf("lock still held after the end: %v %v", b, err)
	}
}

func TestJobFailureIsRecorded(t *testing.T) {
	e := newEnv(t, jobtest.EnvExit+"=3")
	r := e.wait(e.start("failing").ID)
	if r.State != StateFailed || r.ExitCode != 3 {
		t.Fatalf("state %s exit %d, want failed 3", r.State, r.ExitCode)
	}
}

func TestFollowStreamsWhileRunning(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("follow")
	var buf testutil.SyncBuffer
	done := make(chan error, 1)
	go func() {
		_, _, err := e.store.Follow(context.Background(), j.ID, 0, &buf)
		done <- err
	}()
	jobtest.Eventually(t, "SPOT line followed", func() bool {
		return strings.Contains(buf.String(), "Creating a NIM SPOT resource")
	})
	jobtest.Let(t, e.fake, "spot")
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if buf.String() != output("follow", 0) {
		t.Fatalf("followed output differs:\n%s", buf.String())
	}
}

func TestSecondJobForTheSameNameIsRefused(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	first := e.start("j71cosi")
	e.at("spot")
	_, err := Start(e.store, e.exec, plan("j71cosi"), e.self)
	var b *BusyError
	if !errors.As(err, &b) || b.JobID != first.ID {
		t.Fatalf("second Start: %v, want a BusyError naming %s", err, first.ID)
	}
	if !strings.Contains(err.Error(), first.ID) {
		t.Errorf("error does not name the first job: %v", err)
	}
	all, _ := e.store.List()
	if len(all) != 1 {
		t.Errorf("%d jobs recorded, want only the first", len(all))
	}
	// Another name is free meanwhile.
	other := e.start("72cosi")
	jobtest.Let(t, e.fake, "spot")
	e.wait(first.ID)
	e.wait(other.ID)
	// Once the first ended its osimage exists: a new run for the name is
	// refused before anything runs, and is fine again once it is removed.
	var pe *PlanError
	if _, err := Start(e.store, e.exec, plan("j71cosi"), e.self); !errors.As(err, &pe) || !strings.Contains(err.Error(), "osimage j71cosi already exists") {
		t.Fatalf("a run for an existing osimage: %v", err)
	}
	os.Remove(filepath.Join(e.fake, "defined-j71cosi"))
	e.wait(e.start("j71cosi").ID)
}

func TestStaleLockIsCleared(t *testing.T) {
	e := newEnv(t)
	if err := e.store.init(); err != nil {
		t.Fatal(err)
	}
	// A lock file left by a dead supervisor and its record that says
	// running, whose mknimimage is gone too.
	dead := "20200101-000000-stale"
	os.WriteFile(e.store.lockPath("stale"), []byte(dead+" 999999\n"), 0o600)
	os.Mkdir(filepath.Join(e.store.Dir, dead), 0o700)
	rf, err := createRecordFile(filepath.Join(e.store.Dir, dead), &Record{ID: dead, Name: "stale", Plan: plan("stale"), State: StateRunning, Started: time.Now(), SupervisorPID: 999999, ChildPID: 999998})
	if err != nil {
		t.Fatal(err)
	}
	rf.Close()
	if r, err := e.store.Load(dead); err != nil || r.State != StateLost || !r.Busy() {
		t.Fatalf("dead job: state %s busy %v, %v; want lost and busy", r.State, r.Busy(), err)
	}
	// ps shows no NIM work for it: the next job settles it and starts.
	j := e.start("stale")
	if r, err := e.store.Load(dead); err != nil || r.State != StateContactLost || r.Busy() || r.Settled.IsZero() {
		t.Fatalf("dead job after the next start: state %s busy %v settled %v, %v", r.State, r.Busy(), r.Settled, err)
	}
	if r := e.wait(j.ID); r.State != StateSucceeded {
		t.Fatalf("job after a dead one: %s (%s)", r.State, r.VerifyError)
	}
}

func TestUnwritableStateDirStartsNothing(t *testing.T) {
	e := newEnv(t)
	file := filepath.Join(t.TempDir(), "not-a-dir")
	os.WriteFile(file, nil, 0o600)
	stores := []*Store{NewStore(file)}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		os.MkdirAll(filepath.Join(ro, "jobs"), 0o700)
		os.Chmod(filepath.Join(ro, "jobs"), 0o500)
		stores = append(stores, NewStore(ro))
	}
	for _, s := range stores {
		_, err := Start(s, e.exec, plan("x"), e.self)
		if err == nil || !strings.Contains(err.Error(), "cannot record the job") || !strings.Contains(err.Error(), "nothing was started") {
			t.Errorf("Start in %s: %v", s.Dir, err)
		}
	}
	if _, err := os.Stat(filepath.Join(e.fake, jobtest.PIDFile)); err == nil {
		t.Error("mknimimage ran")
	}
}

func TestInvalidPlanStartsNothing(t *testing.T) {
	e := newEnv(t)
	_, err := Start(e.store, e.exec, plan("bad name!"), e.self)
	var pe *PlanError
	if !errors.As(err, &pe) || len(pe.Problems) == 0 {
		t.Fatalf("Start: %v, want a PlanError", err)
	}
	if all, _ := e.store.List(); len(all) != 0 {
		t.Errorf("%d jobs recorded", len(all))
	}
}

func TestMissingMknimimageStartsNothing(t *testing.T) {
	e := newEnv(t)
	e.exec.Dirs = []string{t.TempDir()}
	_, err := Start(e.store, e.exec, plan("x"), e.self)
	if !errors.Is(err, nim.ErrNotFound) {
		t.Fatalf("Start: %v", err)
	}
}

func TestInterruptsAreRefusedDuringSpotCreation(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("jcrit")
	e.at("spot")
	r := e.untilRecord(j.ID, "the SPOT phase", func(r Record) bool { return r.Phase == nim.PhaseSpot })
	if !r.Critical || r.PhaseName != "SPOT creation" {
		t.Fatalf("phase %v %q", r.Phase, r.PhaseName)
	}
	ev, err := e.store.Interrupt(context.Background(), j.ID)
	if err != nil || ev.Action != ActionRefused {
		t.Fatalf("Interrupt: %+v, %v; want refused", ev, err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT} {
		syscall.Kill(r.SupervisorPID, sig)
	}
	e.untilRecord(j.ID, "signals recorded", func(r Record) bool { return len(r.Events) == 5 })
	jobtest.Let(t, e.fake, "spot")
	r = e.wait(j.ID)
	if r.State != StateSucceeded {
		t.Fatalf("state %s", r.State)
	}
	if got := jobtest.Signals(e.fake); len(got) != 0 {
		t.Errorf("fake mknimimage received %v", got)
	}
	want := map[string]string{"interrupt request": ActionRefused, "SIGTERM": ActionRefused, "SIGINT": ActionIgnored, "SIGHUP": ActionIgnored, "SIGQUIT": ActionIgnored}
	for _, ev := range r.Events {
		if want[ev.Signal] != ev.Action || ev.Phase != "SPOT creation" {
			t.Errorf("event %+v", ev)
		}
	}
}

func TestInterruptOutsideCriticalPhase(t *testing.T) {
	for _, how := range []string{"request", "SIGTERM"} {
		t.Run(how, func(t *testing.T) {
			e := newEnv(t, jobtest.EnvHold+"=lpp")
			j := e.start("jintr")
			e.at("lpp")
			r := e.untilRecord(j.ID, "running", func(r Record) bool { return r.State == StateRunning })
			if how == "request" {
				ev, err := e.store.Interrupt(context.Background(), j.ID)
				if err != nil || ev.Action != ActionAccepted {
					t.Fatalf("Interrupt: %+v, %v", ev, err)
				}
			} else {
				syscall.Kill(r.SupervisorPID, syscall.SIGTERM)
			}
			r = e.wait(j.ID)
			// The xCAT client answers INT with an abort to xcatd and exit 0.
			if r.State != StateInterrupted || r.Interrupted.IsZero() || r.ExitCode != 0 || r.EndedIn != "lpp_source" {
				t.Fatalf("state %s exit %d ended in %q", r.State, r.ExitCode, r.EndedIn)
			}
			// NIM may go on after an abort (2.9.x xcatd signals only the
			// plugin, not its running nim): settled once ps shows it quiet.
			if !r.Settling {
				t.Errorf("after an abort: not settling")
			}
			jobtest.Let(t, e.fake, "lpp") // the fake's nim ends
			jobtest.Eventually(t, "settled", func() bool {
				r, _ = e.store.Load(j.ID)
				return !r.Busy() && !r.Settled.IsZero()
			})
			if got := jobtest.Signals(e.fake); len(got) != 1 || got[0] != "interrupt" {
				t.Errorf("fake received %v, want one SIGINT", got)
			}
			if _, err := e.store.Interrupt(context.Background(), j.ID); !errors.Is(err, ErrEnded) {
				t.Errorf("Interrupt after the end: %v", err)
			}
		})
	}
}

// watchMain is a watching nimwiz: it starts a job and follows it to stdout.
func watchMain() int {
	exe, _ := os.Executable()
	s := NewStore(os.Getenv("JOBTEST_WATCH"))
	ex := &nim.Executor{Dirs: []string{os.Getenv("JOBTEST_BIN")}, LiveDir: os.Getenv("JOBTEST_LIVE"), Env: []string{jobtest.EnvDir + "=" + os.Getenv("JOBTEST_FAKE"), jobtest.EnvHold + "=spot"}}
	j, err := Start(s, ex, plan("watched"), []string{exe, "__supervise"})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 1
	}
	s.Follow(context.Background(), j.ID, 0, os.Stdout)
	return 0
}

func TestJobSurvivesItsWatcher(t *testing.T) {
	e := newEnv(t)
	exe, _ := os.Executable()
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "JOBTEST_WATCH="+e.state, "JOBTEST_BIN="+e.exec.Dirs[0], "JOBTEST_FAKE="+e.fake, "JOBTEST_LIVE="+e.exec.LiveDir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out testutil.SyncBuffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	e.at("spot")
	jobtest.Eventually(t, "watcher saw the SPOT line", func() bool { return strings.Contains(out.String(), "SPOT") })
	// The watcher and everything in its process group die mid-SPOT, like a
	// closed terminal or a killed ssh session.
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	all, err := e.store.List()
	if err != nil || len(all) != 1 {
		t.Fatalf("jobs: %v %v", all, err)
	}
	if all[0].State != StateRunning {
		t.Fatalf("job %s after the watcher died", all[0].State)
	}
	jobtest.Let(t, e.fake, "spot")
	r := e.wait(all[0].ID)
	if r.State != StateSucceeded {
		t.Fatalf("state %s", r.State)
	}
	got, _ := os.ReadFile(r.LogPath())
	if string(got) != output("watched", 0) {
		t.Fatalf("log incomplete:\n%s", got)
	}
	if sigs := jobtest.Signals(e.fake); len(sigs) != 0 {
		t.Errorf("fake received %v", sigs)
	}
}

func TestListNewestFirstAndRunning(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	a := e.start("a1")
	e.at("spot")
	b := e.start("b1")
	all, err := e.store.List()
	if err != nil || len(all) != 2 || all[0].ID != b.ID || all[1].ID != a.ID {
		t.Fatalf("List: %v %v", ids(all), err)
	}
	r, ok, err := e.store.Running()
	if err != nil || !ok || r.ID != b.ID {
		t.Fatalf("Running: %s %v %v", r.ID, ok, err)
	}
	if _, err := e.store.Load("../x"); err == nil {
		t.Error("Load accepted a path")
	}
}

func ids(rs []Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func TestInterruptEscalatesToSIGTERM(t *testing.T) {
	t.Setenv(GraceEnv, "50ms")
	e := newEnv(t, jobtest.EnvHold+"=lpp", jobtest.EnvNoInt+"=1")
	j := e.start("stuck")
	e.at("lpp")
	if ev, err := e.store.Interrupt(context.Background(), j.ID); err != nil || ev.Action != ActionAccepted {
		t.Fatalf("Interrupt: %+v %v", ev, err)
	}
	r := e.wait(j.ID)
	if r.State != StateInterrupted || r.ExitCode != 0 {
		t.Fatalf("state %s exit %d", r.State, r.ExitCode)
	}
	if got := strings.Join(jobtest.Signals(e.fake), " "); got != "interrupt terminated" {
		t.Errorf("fake received %q, want SIGINT then SIGTERM", got)
	}
}

func TestSupervisorIgnoresTerminalSignals(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=lpp")
	j := e.start("calm")
	e.at("lpp")
	r := e.untilRecord(j.ID, "running", func(r Record) bool { return r.State == StateRunning })
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP, syscall.SIGQUIT} {
		syscall.Kill(r.SupervisorPID, sig)
	}
	r = e.untilRecord(j.ID, "3 events", func(r Record) bool { return len(r.Events) == 3 })
	for _, ev := range r.Events {
		if ev.Action != ActionIgnored {
			t.Errorf("event %+v", ev)
		}
	}
	jobtest.Let(t, e.fake, "lpp")
	if r := e.wait(j.ID); r.State != StateSucceeded {
		t.Fatalf("state %s", r.State)
	}
	if got := jobtest.Signals(e.fake); len(got) != 0 {
		t.Errorf("fake received %v", got)
	}
}

// BenchmarkJobOutput runs a job that prints 100k lines (about 3.5 MB)
// through the supervisor into the log.
func BenchmarkJobOutput(b *testing.B) {
	exe, _ := os.Executable()
	fake := b.TempDir()
	ex := &nim.Executor{Dirs: []string{jobtest.Bin(b)}, LiveDir: jobtest.LiveDir(b), Env: []string{jobtest.EnvDir + "=" + fake, jobtest.EnvNoise + "=100000"}}
	b.SetBytes(int64(len(output("bench", 100000))))
	for b.Loop() {
		os.Remove(filepath.Join(fake, "defined-bench")) // a new osimage each time
		s := NewStore(b.TempDir())
		j, err := Start(s, ex, plan("bench"), []string{exe, "__supervise"})
		if err != nil {
			b.Fatal(err)
		}
		if r, err := s.Wait(context.Background(), j.ID); err != nil || r.State != StateSucceeded {
			b.Fatal(r.State, err)
		}
	}
}

// The process that started a job hears of its end through Job.Ended, at
// the moment the end is recorded: not before, and with the log complete.
func TestEndedIsSignalledWhenTheEndIsRecorded(t *testing.T) {
	e := newEnv(t, jobtest.EnvHold+"=spot")
	j := e.start("ended")
	if j.Ended() == nil {
		t.Fatal("a started job has no end signal")
	}
	e.at("spot")
	select {
	case <-j.Ended():
		t.Fatal("end signalled while mknimimage still runs")
	default:
	}
	jobtest.Let(t, e.fake, "spot")
	select {
	case <-j.Ended():
	case <-time.After(60 * time.Second):
		t.Fatal("no end signal 60 s after mknimimage was let go")
	}
	r, err := j.Record()
	if err != nil || r.State != StateSucceeded {
		t.Fatalf("record when the end was signalled: %s, %v", r.State, err)
	}
	if got, _ := os.ReadFile(j.LogPath()); string(got) != output("ended", 0) {
		t.Errorf("log incomplete when the end was signalled:\n%s", got)
	}
}
