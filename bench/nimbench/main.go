// Command nimbench measures nimwiz end to end against its simulated NIM
// master, as real processes: streaming a flood of mknimimage output
// (producer alone, apply, the run screen in a pseudo-terminal), list and
// show over a large world, and start-up to the first full screen. It prints
// Markdown tables. bench/run builds nimwiz and runs it together with the Go
// benchmarks; docs/PERFORMANCE.md records the results.
//
//	go run ./bench/nimbench -nimwiz /tmp/nimwiz [-quick] [streaming browsing startup]
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/nim"
)

var (
	nimwiz    = flag.String("nimwiz", "", "the nimwiz binary to measure (required)")
	quick     = flag.Bool("quick", false, "tiny sizes, one repetition: proves the harness works (CI)")
	linesFlag = flag.String("lines", "200000,1000000", "streaming: flood sizes, comma-separated")
	images    = flag.Int("images", 2000, "browsing: extra osimages in the large world")
	resources = flag.Int("resources", 10000, "browsing: NIM objects in the large world")
	reps      = flag.Int("reps", 3, "repetitions of each short measurement (the median is shown)")
	keep      = flag.Bool("keep", false, "keep the scratch directory")
	endText   = flag.String("run-end", "succeeded", "text the run screen shows once the job has ended")
)

func main() {
	if code, ok := relayMain(os.Args[1:]); ok {
		os.Exit(code)
	}
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: nimbench -nimwiz PATH [-quick] [streaming] [browsing] [startup]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *nimwiz == "" {
		flag.Usage()
		os.Exit(2)
	}
	abs, err := filepath.Abs(*nimwiz)
	if err != nil {
		fatal(err)
	}
	*nimwiz = abs
	sizes := []int{}
	for _, s := range strings.Split(*linesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fatal(fmt.Errorf("-lines %q: give line counts such as 200000,1000000", *linesFlag))
		}
		sizes = append(sizes, n)
	}
	if *quick {
		sizes, *images, *resources, *reps = []int{2000}, 30, 200, 1
	}
	if !becomeSubreaper() {
		fmt.Fprintln(os.Stderr, "nimbench: note: not a subreaper here; a supervisor that outlives apply is not in the CPU totals")
	}
	which := flag.Args()
	if len(which) == 0 {
		which = []string{"streaming", "browsing", "startup"}
	}
	scratch, err := os.MkdirTemp("", "nimbench")
	if err != nil {
		fatal(err)
	}
	if *keep {
		fmt.Fprintf(os.Stderr, "nimbench: scratch directory %s\n", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	failed := false
	for _, w := range which {
		var err error
		switch w {
		case "streaming":
			err = streaming(scratch, sizes)
		case "browsing":
			err = browsing(scratch)
		case "startup":
			err = startup(scratch)
		default:
			err = fmt.Errorf("unknown benchmark %q: use streaming, browsing or startup", w)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "nimbench: %s: %v\n", w, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "nimbench: %v\n", err)
	os.Exit(2)
}

// ---- measuring processes

func tv(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }

// childrenCPU is the CPU time of every child we have reaped so far.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return tv(ru.Utime) + tv(ru.Stime)
}

// hwm samples a process's peak memory until it exits (Linux /proc);
// stop returns the last sample.
type hwm struct {
	mu   sync.Mutex
	kb   int64
	done chan struct{}
	wg   sync.WaitGroup
}

func watchHWM(pid int) *hwm {
	h := &hwm{done: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := peakRSSKB(pid); kb > 0 {
				h.mu.Lock()
				h.kb = max(h.kb, kb)
				h.mu.Unlock()
			}
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *hwm) stop() int64 {
	close(h.done)
	h.wg.Wait()
	return h.kb
}

// frontRSS is a front end's peak: the /proc sample, else wait4's figure
// (which also counts the children it reaped).
func frontRSS(sampled int64, ps *os.ProcessState) int64 {
	if sampled > 0 {
		return sampled
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}

func fileHash(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil))[:16], n, err
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
func mb(kb int64) string        { return fmt.Sprintf("%.1f MB", float64(kb)/1024) }
func sec(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// ---- demo worlds

// demoDir sets up a state directory with the demo world (seeding it with
// seed, unless nil, first) by running nimwiz once.
func demoDir(dir string, seed func(world string) error) error {
	if seed != nil {
		if err := seed(filepath.Join(dir, "demo", "world")); err != nil {
			return err
		}
	}
	out, err := exec.Command(*nimwiz, "--demo", "--state-dir", dir, "jobs").CombinedOutput()
	if err != nil {
		return fmt.Errorf("set up the demo in %s: %v: %s", dir, err, out)
	}
	return nil
}

func demoExec(dir string, env ...string) *nim.Executor {
	return &nim.Executor{
		Dirs: []string{filepath.Join(dir, "demo", "bin")},
		Env:  append([]string{"NIMWIZ_SIM_ROOT=" + filepath.Join(dir, "demo", "world")}, env...),
		// The live path, as nimwiz runs the clients: the producer and the
		// floor are measured the same way as apply (nimwiz wrote the module
		// when it made the demo).
		LiveDir: filepath.Join(dir, "perl"),
	}
}

// ---- 1. streaming

func floodEnv(n int) []string {
	return []string{"NIMWIZ_SIM_FLOOD=" + strconv.Itoa(n), "NIMWIZ_SIM_SPOT_SECONDS=0",
		"NIMWIZ_SIM_UPDATE_SECONDS=0", "NIMWIZ_SIM_LPP_SECONDS=0"}
}

var floodPlan = nim.Plan{Name: "flood", Type: nim.Diskless, Source: "/dev/cd0"}

type streamRow struct {
	mode         string
	wall         time.Duration
	nimwizCPU    time.Duration // -1: not measured
	producerCPU  time.Duration
	frontRSS     int64 // KB
	superRSS     int64
	producerRSS  int64
	bytes        int64
	hash         string
	detail, note string

	frontCPU, superCPU time.Duration // the split shown in detail
	query              time.Duration // apply: its ending's NIM query, timed alone
	walls              string        // every run's wall, for the table
}

func streaming(scratch string, sizes []int) error {
	fmt.Println("### Streaming: mknimimage floods its output")
	fmt.Println()
	fmt.Printf("Medians of %d runs per mode, each column on its own; the walls of every run in brackets.\n", *reps)
	fmt.Println("\"− NIM query\": apply's wall less the lsnim -l its ending shows, timed alone (as start-up does).")
	fmt.Println()
	fmt.Println("| lines | MB | mode | wall (runs) | × producer | − NIM query, × producer | nimwiz CPU (front end + supervisor) | producer CPU | peak RSS front end | peak RSS supervisor | peak RSS producer | log = producer output |")
	fmt.Println("|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
	var errs []error
	for _, n := range sizes {
		var runs [][]streamRow
		for i := 0; i < *reps; i++ {
			rows, err := streamOnce(filepath.Join(scratch, strconv.Itoa(i)), n)
			if err != nil {
				errs = append(errs, fmt.Errorf("%d lines: %w", n, err))
				break
			}
			runs = append(runs, rows)
		}
		if len(runs) == 0 {
			continue
		}
		rows := medianRows(runs)
		prod, prodHash := rows[0].wall, rows[0].hash // producer alone comes first
		for _, r := range rows {
			if r.note != "" {
				fmt.Printf("| %d | | %s | | | | %s | | | | | |\n", n, r.mode, r.note)
				continue
			}
			ratio, less, same := "", "-", "-"
			if prod > 0 {
				ratio = fmt.Sprintf("%.2f", r.wall.Seconds()/prod.Seconds())
				if r.query > 0 {
					less = fmt.Sprintf("%s, %.2f", sec(r.wall-r.query), (r.wall-r.query).Seconds()/prod.Seconds())
				}
			}
			if r.mode != modeProducer {
				same = "no (" + r.hash + ")"
				if r.hash == prodHash {
					same = "yes (sha256 " + r.hash + ")"
				}
			}
			cpu, srss, frss, prss, pcpu := "-", "-", "-", "-", "-"
			if r.nimwizCPU >= 0 {
				cpu = ms(r.nimwizCPU) + " " + r.detail
			}
			if r.superRSS > 0 {
				srss = mb(r.superRSS)
			}
			if r.frontRSS > 0 {
				frss = mb(r.frontRSS)
			}
			if r.producerRSS > 0 {
				prss = mb(r.producerRSS)
			}
			if r.producerCPU > 0 {
				pcpu = ms(r.producerCPU)
			}
			fmt.Printf("| %d | %.1f | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s | %s |\n", n, float64(r.bytes)/1e6, r.mode,
				sec(r.wall), r.walls, ratio, less, cpu, pcpu, frss, srss, prss, same)
		}
	}
	fmt.Println()
	return errors.Join(errs...)
}

const modeProducer = "producer alone"

// medianRows folds several runs of the same modes into one row per mode:
// each measured figure is its own median, the walls are listed.
func medianRows(runs [][]streamRow) []streamRow {
	out := slices.Clone(runs[0])
	for m := range out {
		var wall, cpu, pcpu, query []time.Duration
		var frss, srss, prss []int64
		var walls []string
		for _, rows := range runs {
			r := rows[m]
			wall, cpu, pcpu, query = append(wall, r.wall), append(cpu, r.nimwizCPU), append(pcpu, r.producerCPU), append(query, r.query)
			frss, srss, prss = append(frss, r.frontRSS), append(srss, r.superRSS), append(prss, r.producerRSS)
			walls = append(walls, fmt.Sprintf("%.2f", r.wall.Seconds()))
			if rows[m].hash != out[m].hash {
				out[m].hash = "differs between runs"
			}
		}
		o := &out[m]
		o.wall, o.nimwizCPU, o.producerCPU, o.query = median(wall), median(cpu), median(pcpu), median(query)
		o.frontRSS, o.superRSS, o.producerRSS = medianInt(frss), medianInt(srss), medianInt(prss)
		o.walls = strings.Join(walls, ", ")
		if o.nimwizCPU >= 0 && o.detail != "" && len(runs) > 1 && strings.Contains(o.detail, " + ") {
			// the split of the median run is not the median of the split
			var front, super []time.Duration
			for _, rows := range runs {
				front, super = append(front, rows[m].frontCPU), append(super, rows[m].superCPU)
			}
			o.detail = fmt.Sprintf("(%s + %s)", ms(median(front)), ms(median(super)))
		}
	}
	return out
}

func medianInt(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func streamOnce(scratch string, n int) ([]streamRow, error) {
	base := filepath.Join(scratch, fmt.Sprintf("stream%d", n))
	planPath := filepath.Join(base, "flood.toml")
	if err := os.MkdirAll(base, 0o755); err != nil {
		return nil, err
	}
	if err := nim.SavePlan(planPath, floodPlan); err != nil {
		return nil, err
	}
	var rows []streamRow
	a, err := producerAlone(filepath.Join(base, "a"), n)
	if err != nil {
		return rows, fmt.Errorf("producer alone: %w", err)
	}
	rows = append(rows, a)
	for i, role := range []string{relayFront, relayFrontFile} {
		f, err := viaFloor(filepath.Join(base, "f"+strconv.Itoa(i)), n, role)
		if err != nil {
			return rows, fmt.Errorf("floor: %w", err)
		}
		rows = append(rows, f)
	}
	b, err := viaApply(filepath.Join(base, "b"), planPath, n)
	if err != nil {
		return rows, fmt.Errorf("apply: %w", err)
	}
	rows = append(rows, b)
	c, err := viaRunScreen(filepath.Join(base, "c"), n)
	if err != nil {
		return rows, fmt.Errorf("run screen: %w", err)
	}
	rows = append(rows, c)
	// The run leaves gigabytes of page cache behind at full sizes; drop it
	// so the next run starts as this one did.
	os.RemoveAll(base)
	return rows, nil
}

// producerAlone runs the demo's mknimimage with output to a file, stdout
// and stderr on one descriptor as the supervisor gives it.
func producerAlone(dir string, n int) (streamRow, error) {
	r := streamRow{mode: modeProducer, nimwizCPU: -1}
	if err := demoDir(dir, nil); err != nil {
		return r, err
	}
	args := floodPlan.WithDefaults().Args()
	if len(args) > 0 && args[0] == "mknimimage" {
		args = args[1:]
	}
	cmd, err := demoExec(dir, floodEnv(n)...).Command("mknimimage", args...)
	if err != nil {
		return r, err
	}
	outPath := filepath.Join(dir, "out")
	f, err := os.Create(outPath)
	if err != nil {
		return r, err
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	t0 := time.Now()
	err = cmd.Run()
	r.wall = time.Since(t0)
	if err != nil {
		return r, err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r.producerCPU = tv(ru.Utime) + tv(ru.Stime)
	r.producerRSS = int64(ru.Maxrss)
	r.hash, r.bytes, err = fileHash(outPath)
	return r, err
}

// viaApply runs nimwiz --demo apply FILE --yes with stdout to a file.
func viaApply(dir, planPath string, n int) (streamRow, error) {
	r := streamRow{mode: "nimwiz apply --yes > file"}
	if err := demoDir(dir, nil); err != nil {
		return r, err
	}
	outPath := filepath.Join(dir, "stdout")
	cmd := exec.Command(*nimwiz, "--demo", "--state-dir", dir, "apply", planPath, "--yes")
	cmd.Env = append(os.Environ(), floodEnv(n)...)
	cpu0 := childrenCPU()
	if err := r.runFront(cmd, outPath); err != nil {
		return r, err
	}
	rec, err := lastJob(dir)
	if err != nil {
		return r, err
	}
	if err := reap(rec.SupervisorPID, 30*time.Second); err != nil {
		return r, err
	}
	if err := r.fromRecord(rec, childrenCPU()-cpu0); err != nil {
		return r, err
	}
	// What apply printed is the log, too.
	if h, _, err := fileHash(outPath); err != nil || h != r.hash {
		return r, fmt.Errorf("apply's stdout (sha256 %s) differs from the job's log (%s)", h, r.hash)
	}
	r.query, err = endingQuery(dir, rec)
	return r, err
}

// endingQuery times, alone, the NIM query apply's ending makes: one lsnim -l
// of the osimage's resources (median of 3).
func endingQuery(dir string, rec job.Record) (time.Duration, error) {
	names := []string{"-l"}
	for _, res := range rec.Plan.WithDefaults().Resources() {
		if !res.Reused {
			names = append(names, res.Name)
		}
	}
	var ts []time.Duration
	for range 3 {
		cmd, err := demoExec(dir).Command("lsnim", names...)
		if err != nil {
			return 0, err
		}
		t0 := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("lsnim %s: %v: %s", strings.Join(names, " "), err, out)
		}
		ts = append(ts, time.Since(t0))
	}
	return median(ts), nil
}

// runFront runs a front end with its stdout to the file outPath until it
// exits, and notes its wall time and peak memory in r.
func (r *streamRow) runFront(cmd *exec.Cmd, outPath string) error {
	f, err := os.Create(outPath)
	if err != nil {
		return err
	}
	defer f.Close()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = f, &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	h := watchHWM(cmd.Process.Pid)
	err = cmd.Wait()
	r.wall = time.Since(t0)
	r.frontRSS = frontRSS(h.stop(), cmd.ProcessState)
	if err != nil {
		return fmt.Errorf("%v: %s", err, stderr.String())
	}
	return nil
}

func lastJob(dir string) (job.Record, error) {
	recs, err := job.NewStore(dir).List()
	if err != nil {
		return job.Record{}, err
	}
	if len(recs) == 0 {
		return job.Record{}, errors.New("no job was recorded")
	}
	return recs[0], nil
}

// fromRecord fills in the supervisor's and producer's share from the job
// record, given the CPU time of the whole process tree.
func (r *streamRow) fromRecord(rec job.Record, total time.Duration) error {
	if rec.State != job.StateSucceeded || rec.LogDropped != 0 || rec.LogError != "" {
		return fmt.Errorf("job %s: state %s, %d bytes dropped, log error %q", rec.ID, rec.State, rec.LogDropped, rec.LogError)
	}
	var err error
	r.hash, r.bytes, err = fileHash(rec.LogPath())
	if err != nil {
		return err
	}
	u := rec.Usage
	if u == nil {
		r.nimwizCPU = total
		r.detail = "(includes the producer: the supervisor recorded no usage)"
		return nil
	}
	r.producerCPU = u.CommandUser + u.CommandSys
	super := u.SupervisorUser + u.SupervisorSys
	r.nimwizCPU = total - r.producerCPU
	r.frontCPU, r.superCPU = r.nimwizCPU-super, super
	r.detail = fmt.Sprintf("(%s + %s)", ms(r.frontCPU), ms(r.superCPU))
	r.superRSS, r.producerRSS = u.SupervisorMaxRSSKB, u.CommandMaxRSSKB
	return nil
}

// hasVerb reports whether this nimwiz has a verb (nimwiz help lists it).
func hasVerb(name string) bool {
	out, _ := exec.Command(*nimwiz, "help").CombinedOutput()
	return regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(name) + `\b`).Match(out)
}

// viaRunScreen starts the job and follows it with nimwiz attach in a
// 120x40 pseudo-terminal until the screen says it ended.
func viaRunScreen(dir string, n int) (streamRow, error) {
	r := streamRow{mode: "run screen (attach, pty 120x40)"}
	if !hasVerb("attach") {
		r.note = "skipped: this nimwiz has no 'attach' verb (the run screen is not merged yet)"
		return r, nil
	}
	if err := demoDir(dir, nil); err != nil {
		return r, err
	}
	store := job.NewStore(dir)
	cpu0 := childrenCPU()
	t0 := time.Now()
	j, err := job.Start(store, demoExec(dir, floodEnv(n)...), floodPlan, []string{*nimwiz, "--state-dir", dir, "__supervise"})
	if err != nil {
		return r, err
	}
	t, err := startPTY(exec.Command(*nimwiz, "--demo", "--state-dir", dir, "attach", j.ID), "xterm-256color", true)
	if err != nil {
		return r, err
	}
	h := watchHWM(t.cmd.Process.Pid)
	seen := t.waitFor(*endText, 10*time.Minute)
	r.wall = time.Since(t0)
	ps, _ := t.quit("q")
	r.frontRSS = frontRSS(h.stop(), ps)
	if !seen {
		return r, fmt.Errorf("the run screen never showed %q; its last screen:\n%s", *endText, t.tail())
	}
	rec, err := j.Record()
	if err != nil {
		return r, err
	}
	if err := reap(rec.SupervisorPID, 30*time.Second); err != nil {
		return r, err
	}
	return r, r.fromRecord(rec, childrenCPU()-cpu0)
}

// ---- pseudo-terminal

type ptyRun struct {
	cmd  *exec.Cmd
	ptmx *os.File
	mu   sync.Mutex
	raw  []byte
	seen chan struct{} // poked on every read
	done chan struct{}
}

// ansi matches escape sequences (CSI, OSC, two-byte), for finding text on
// the screen.
var ansi = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])`)

// startPTY runs cmd in a 120x40 pseudo-terminal with TERM term. With
// answer, it answers the terminal probes Bubble Tea makes at start (OSC 11
// background colour, DSR cursor position) as a real terminal does.
func startPTY(cmd *exec.Cmd, term string, answer bool) (*ptyRun, error) {
	cmd.Env = append(os.Environ(), "TERM="+term, "COLORTERM=", "NO_COLOR=")
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		return nil, err
	}
	t := &ptyRun{cmd: cmd, ptmx: ptmx, seen: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		buf := make([]byte, 64<<10)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				chunk := buf[:n]
				if answer {
					if bytes.Contains(chunk, []byte("\x1b]11;?")) {
						ptmx.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
					}
					if bytes.Contains(chunk, []byte("\x1b[6n")) {
						ptmx.WriteString("\x1b[1;1R")
					}
				}
				t.mu.Lock()
				t.raw = append(t.raw, chunk...)
				if len(t.raw) > 4<<20 { // keep the recent screens only
					t.raw = append(t.raw[:0], t.raw[len(t.raw)-(1<<20):]...)
				}
				t.mu.Unlock()
				select {
				case t.seen <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return t, nil
}

// waitFor reports whether text appeared on the screen within timeout.
func (t *ptyRun) waitFor(text string, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		t.mu.Lock()
		window := t.raw[max(0, len(t.raw)-(256<<10)):]
		found := bytes.Contains(ansi.ReplaceAll(window, nil), []byte(text))
		t.mu.Unlock()
		if found {
			return true
		}
		select {
		case <-t.seen:
		case <-t.done:
			t.mu.Lock()
			found := bytes.Contains(ansi.ReplaceAll(t.raw, nil), []byte(text))
			t.mu.Unlock()
			return found
		case <-deadline.C:
			return false
		}
	}
}

func (t *ptyRun) tail() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := string(ansi.ReplaceAll(t.raw[max(0, len(t.raw)-4096):], []byte(" ")))
	return s
}

// quit types keys, then waits for the program to exit (terminating it if
// it does not), and returns its state.
func (t *ptyRun) quit(keys string) (*os.ProcessState, error) {
	t.ptmx.WriteString(keys)
	waited := make(chan error, 1)
	go func() { waited <- t.cmd.Wait() }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(5 * time.Second):
		t.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err = <-waited:
		case <-time.After(5 * time.Second):
			t.cmd.Process.Kill()
			err = <-waited
		}
	}
	t.ptmx.Close()
	<-t.done
	return t.cmd.ProcessState, err
}

// ---- 3. browsing

func browsing(scratch string) error {
	dir := filepath.Join(scratch, "large")
	if err := demoDir(dir, func(world string) error { return sim.SeedLarge(world, *images, *resources) }); err != nil {
		return err
	}
	name := "bench00003"
	if *images < 4 {
		return errors.New("-images must be at least 4")
	}
	// How many NIM/xCAT commands each runs, and how long they take:
	// list and show's queries, in process, with Executor.Observe.
	var calls []nim.Result
	ex := demoExec(dir)
	ex.Observe = func(r nim.Result) { calls = append(calls, r) }
	c := nim.NewClient(ex)
	ctx := context.Background()
	imgs, err := c.Osimages(ctx)
	if err != nil {
		return err
	}
	listCalls := slices.Clone(calls)
	calls = nil
	o, err := c.Osimage(ctx, name)
	if err != nil {
		return err
	}
	if _, _, err := c.Objects(ctx, nim.ResourceNames(o)...); err != nil {
		return err
	}
	showCalls := slices.Clone(calls)

	cmdLog := filepath.Join(dir, "demo", "world", "var", "sim", "commands.log")
	type cli struct {
		what  string
		args  []string
		calls []nim.Result
		rows  int
	}
	cases := []cli{
		{"nimwiz --demo list", []string{"list"}, listCalls, len(imgs)},
		{"nimwiz --demo show " + name, []string{"show", name}, showCalls, 0},
	}
	fmt.Printf("### Browsing: %d AIX osimages, %d NIM resources\n\n", len(imgs), countObjects(dir))
	fmt.Println("| command | wall (median) | NIM/xCAT commands | those commands' time | commands |")
	fmt.Println("|---|---:|---:|---:|---|")
	for _, k := range cases {
		var walls []time.Duration
		logged := -1
		for i := 0; i < *reps; i++ {
			before := lineCount(cmdLog)
			var out, errb bytes.Buffer
			cmd := exec.Command(*nimwiz, append([]string{"--demo", "--state-dir", dir}, k.args...)...)
			cmd.Stdout, cmd.Stderr = &out, &errb
			t0 := time.Now()
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("%s: %v: %s", k.what, err, errb.String())
			}
			walls = append(walls, time.Since(t0))
			if k.rows > 0 {
				if got := strings.Count(out.String(), "\n") - 1; got != k.rows {
					return fmt.Errorf("%s printed %d rows, want %d", k.what, got, k.rows)
				}
			}
			if before >= 0 {
				logged = lineCount(cmdLog) - before
			}
		}
		var qt time.Duration
		var argv []string
		for _, r := range k.calls {
			qt += r.Duration
			argv = append(argv, "`"+strings.Join(r.Argv, " ")+"`")
		}
		count := strconv.Itoa(len(k.calls))
		if logged >= 0 {
			count += fmt.Sprintf(" (the simulator's log: %d)", logged)
		}
		fmt.Printf("| `%s` | %s | %s | %s | %s |\n", k.what, ms(median(walls)), count, ms(qt), strings.Join(argv, ", "))
	}
	fmt.Println()
	return nil
}

func countObjects(dir string) int {
	var calls int
	ex := demoExec(dir)
	ls, err := nim.NewClient(ex).Resources(context.Background())
	if err != nil {
		return -1
	}
	calls = len(ls)
	return calls
}

// lineCount is how many lines a file has, -1 if it does not exist.
func lineCount(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	return bytes.Count(b, []byte("\n"))
}

// ---- 4. start-up

func startup(scratch string) error {
	small := filepath.Join(scratch, "startup")
	if err := demoDir(small, nil); err != nil {
		return err
	}
	large := filepath.Join(scratch, "large")
	if _, err := os.Stat(filepath.Join(large, "demo", "world", "var", "sim", "state.json")); err != nil {
		if err := demoDir(large, func(world string) error { return sim.SeedLarge(world, *images, *resources) }); err != nil {
			return err
		}
	}
	queryTime := func(dir string) (time.Duration, string, error) {
		var d time.Duration
		var argv []string
		var ts []time.Duration
		for i := 0; i < *reps; i++ {
			ex := demoExec(dir)
			d = 0
			ex.Observe = func(r nim.Result) { d += r.Duration; argv = r.Argv }
			if _, err := nim.NewClient(ex).Osimages(context.Background()); err != nil {
				return 0, "", err
			}
			ts = append(ts, d)
		}
		return median(ts), strings.Join(argv, " "), nil
	}
	qSmall, argv, err := queryTime(small)
	if err != nil {
		return err
	}
	qLarge, _, err := queryTime(large)
	if err != nil {
		return err
	}
	type tc struct {
		what, dir string
		args      []string
		marker    string
		query     time.Duration
	}
	cases := []tc{
		{"nimwiz --demo (home)", small, nil, "What would you like to do?", 0},
		{"nimwiz --demo browse (demo world)", small, []string{"browse"}, "osimages; / to filter", qSmall},
		{fmt.Sprintf("nimwiz --demo browse (%d osimages)", *images+4), large, []string{"browse"}, "osimages; / to filter", qLarge},
	}
	fmt.Println("### Start-up: launch to the first complete screen (pty 120x40)")
	fmt.Println()
	fmt.Printf("NIM query shown by browse: `%s`, timed alone (median of %d).\n\n", argv, *reps)
	fmt.Println("| command | TERM | first screen (median) | NIM query alone | first screen − query |")
	fmt.Println("|---|---|---:|---:|---:|")
	for _, c := range cases {
		for _, term := range []struct {
			name   string
			answer bool
			label  string
		}{{"xterm-256color", true, "xterm-256color (probes answered)"}, {"screen", false, "screen (no probe)"}} {
			var ts []time.Duration
			for i := 0; i < *reps; i++ {
				cmd := exec.Command(*nimwiz, append([]string{"--demo", "--state-dir", c.dir}, c.args...)...)
				t0 := time.Now()
				p, err := startPTY(cmd, term.name, term.answer)
				if err != nil {
					return err
				}
				ok := p.waitFor(c.marker, 30*time.Second)
				d := time.Since(t0)
				p.quit("\x03")
				if !ok {
					return fmt.Errorf("%s: never showed %q; last screen:\n%s", c.what, c.marker, p.tail())
				}
				ts = append(ts, d)
			}
			m := median(ts)
			q, rest := "-", ms(m)
			if c.query > 0 {
				q, rest = ms(c.query), ms(m-c.query)
			}
			fmt.Printf("| `%s` | %s | %s | %s | %s |\n", c.what, term.label, ms(m), q, rest)
		}
	}
	fmt.Println()
	return nil
}
