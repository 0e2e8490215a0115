package sim_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/internal/testutil"
	"github.com/nimwiz/nimwiz/nim"
)

// line is one line of output and what the world looked like when it came.
type line struct {
	text    string
	defined bool // the osimage definition existed when the line was read
	running bool // the client had not ended when the line was read
}

// readLines reads r line by line until EOF, noting for each line whether
// the definition of name existed and whether the client was still running
// (ended is closed when it has ended).
func readLines(w *simtest.World, r io.Reader, name string, ended <-chan struct{}) <-chan line {
	c := make(chan line, 1024)
	go func() {
		defer close(c)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			l := line{text: strings.TrimSuffix(sc.Text(), "\r")}
			select {
			case <-ended:
			default:
				l.running = true
			}
			l.defined = defined(w, name)
			c <- l
		}
	}()
	return c
}

// On a pipe, the client's info lines (STDOUT, block-buffered by Perl)
// arrive only when it exits; its Error: lines (STDERR, unbuffered) arrive
// at once, ahead of the info printed before them.
func TestPipeHoldsInfoButNotErrors(t *testing.T) {
	// The root password fails (an error, and the run goes on), then the
	// run hangs before its summary.
	w := simtest.New(t, simtest.Buffered(), simtest.SpotSeconds(0.2), simtest.Fail("password"), simtest.Hang("summary"))
	cmd, err := w.Exec.Command("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "buf")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw // one pipe, as nimwiz's supervisor has it
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	ended := make(chan struct{})
	lines := readLines(w, pr, "buf", ended)
	first := <-lines
	if first.text != "Error: Unable to set root password." || !first.running {
		t.Fatalf("first line %+v, want the error while the client runs", first)
	}
	// aixinstall.pm's second error line is "$out\n" with $out empty
	// (2.9.2 L3700-3703): "Error: " and an empty line.
	if l := <-lines; l.text != "Error: " {
		t.Fatalf("second line %+v", l)
	}
	if l := <-lines; l.text != "" {
		t.Fatalf("third line %+v", l)
	}
	// The info lines printed before the error (lpp_source, SPOT, update
	// messages) are still in Perl's buffer; they come when the client
	// ends (here by SIGTERM: an abort, then exit 0, which flushes).
	select {
	case l := <-lines:
		t.Fatalf("%q arrived while the client was still running", l.text)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("client: %v", err)
	}
	close(ended)
	var rest []string
	for l := range lines {
		rest = append(rest, l.text)
	}
	if len(rest) == 0 || rest[0] != "Creating a NIM lpp_source resource called 'buf_lpp_source'.  This could take a while." ||
		!contains(rest, "Creating a NIM SPOT resource. This could take a while.") ||
		!contains(rest, "Updating the NIM spot resource named 'buf'. This could take a while.") {
		t.Errorf("at exit: %q", rest)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A whole run through a pipe: the first line (info) arrives only once the
// definition exists, i.e. at the very end.
func TestPipeGivesInfoAtExit(t *testing.T) {
	w := simtest.New(t, simtest.Buffered(), simtest.SpotSeconds(1))
	cmd, err := w.Exec.Command("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "late")
	if err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	lines := readLines(w, pr, "late", make(chan struct{}))
	first := <-lines
	if first.text != "Creating a NIM lpp_source resource called 'late_lpp_source'.  This could take a while." || !first.defined {
		t.Errorf("first line %+v, want the lpp_source message after the definition was written", first)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}

// checkLive reads a run's lines and checks that "Creating a NIM SPOT
// resource" arrives before the definition exists, i.e. as it is printed.
func checkLive(t *testing.T, w *simtest.World, lines <-chan line) {
	t.Helper()
	seen := false
	var all []string
	for l := range lines {
		all = append(all, l.text)
		if l.text == "Creating a NIM SPOT resource. This could take a while." {
			seen = true
			if l.defined || !l.running {
				t.Errorf("the SPOT message came late: %+v", l)
			}
		}
	}
	if !seen {
		t.Errorf("no SPOT message in %q", all)
	}
}

// With nimwiz's live module (PERL5OPT=-MNimwizLive) the client's STDOUT is
// unbuffered: lines arrive as printed, and the module reports on fd 3.
func TestLiveModuleMakesOutputLive(t *testing.T) {
	w := simtest.New(t, simtest.SpotSeconds(1.5))
	dir := filepath.Join(t.TempDir(), "live")
	if err := nim.InstallLiveModule(dir); err != nil {
		t.Fatal(err)
	}
	e := *w.Exec
	e.LiveDir = dir
	cmd, err := e.Command("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "live")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Env, nim.LiveFDEnv+"=3")
	fr, fw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{fw}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	fw.Close()
	proof, err := io.ReadAll(fr)
	if err != nil || string(proof) != fmt.Sprintf("live %d\n", cmd.Process.Pid) {
		t.Errorf("fd 3: %q %v, want live %d", proof, err, cmd.Process.Pid)
	}
	ended := make(chan struct{})
	lines := readLines(w, pr, "live", ended)
	go func() { _ = cmd.Wait(); close(ended) }()
	checkLive(t, w, lines)
	<-ended
	if !cmd.ProcessState.Success() {
		t.Errorf("client: %v", cmd.ProcessState)
	}
}

// On a terminal Perl line-buffers STDOUT: lines arrive as printed.
func TestTerminalShowsLinesAsPrinted(t *testing.T) {
	w := simtest.New(t, simtest.Buffered(), simtest.SpotSeconds(1.5))
	cmd, err := w.Exec.Command("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "tty")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(cmd.Env, "TERM=xterm")
	master, err := testutil.StartPTY(cmd, 24, 200)
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	// The master is non-blocking: read it through a poller.
	r, wr := io.Pipe()
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				_, _ = wr.Write(buf[:n])
			}
			if err != nil {
				if errorsIsAgain(err) {
					time.Sleep(5 * time.Millisecond)
					continue
				}
				wr.Close()
				return
			}
		}
	}()
	ended := make(chan struct{})
	go func() { _ = cmd.Wait(); close(ended); time.Sleep(200 * time.Millisecond); master.Close() }()
	checkLive(t, w, readLines(w, r, "tty", ended))
}

func errorsIsAgain(err error) bool {
	return strings.Contains(err.Error(), "resource temporarily unavailable")
}

// ps lists the client, xcatd's processes and the nim define while a SPOT is
// built, with their parents, and none of them afterwards.
func TestPsShowsTheRun(t *testing.T) {
	w := simtest.New(t, simtest.SpotSeconds(2))
	cmd, _, _ := start(t, w, "-t", "diskless", "-s", "/dev/cd0", "pst")
	waitFor(t, "the SPOT's nim define", func() bool {
		_, _, ok := procWith(w, "/usr/sbin/nim -Fo define -t spot ")
		return ok
	})
	ctx := context.Background()
	res, err := w.Exec.Query(ctx, "ps", "-e", "-o", "pid,ppid,args")
	if err != nil {
		t.Fatal(err)
	}
	rows := psRows(t, string(res.Stdout))
	me := "root"
	if u, err := user.Current(); err == nil {
		me = u.Username
	}
	conn := "xCATd SSL: mknimimage for " + me + "@localhost"
	client, ok1 := rows["/usr/bin/perl /opt/xcat/bin/mknimimage -t diskless -s /dev/cd0 pst"]
	xcatd, ok2 := rows[conn]
	plugin, ok3 := rows[conn+": aixinstall instance"]
	nimDef, ok4 := rows["/usr/sbin/nim -Fo define -t spot -a server=master -a source=pst_lpp_source -a location=/install/nim/spot pst"]
	if !ok1 || !ok2 || !ok3 || !ok4 {
		t.Fatalf("ps lacks a process of the run:\n%s", res.Stdout)
	}
	if client[0] != cmd.Process.Pid || client[1] != os.Getpid() || plugin[1] != xcatd[0] || nimDef[1] != plugin[0] {
		t.Errorf("pids and parents wrong:\n%s", res.Stdout)
	}
	if xcatd[1] == client[0] {
		t.Errorf("xcatd is the client's child:\n%s", res.Stdout)
	}
	res, err = w.Exec.Query(ctx, "ps", "-p", strconv.Itoa(client[0])+","+strconv.Itoa(nimDef[0]), "-o", "pid,ppid,args")
	if err != nil || strings.Count(string(res.Stdout), "\n") != 3 {
		t.Errorf("ps -p: %v %q", err, res.Stdout)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the run's processes to end", func() bool { return idle(w) })
	res, err = w.Exec.Query(ctx, "ps", "-e", "-o", "pid,ppid,args")
	if err != nil || len(psRows(t, string(res.Stdout))) != 1 {
		t.Errorf("after the run ps shows more than itself: %v\n%s", err, res.Stdout)
	}
	res, err = w.Exec.Query(ctx, "ps", "-p", strconv.Itoa(client[0]), "-o", "pid,ppid,args")
	if err == nil || string(res.Stdout) != "     PID     PPID COMMAND\n" {
		t.Errorf("ps -p of an ended process: %v %q", err, res.Stdout)
	}
}

// psRows parses ps -o pid,ppid,args output: args -> pid, ppid.
func psRows(t *testing.T, out string) map[string][2]int {
	t.Helper()
	ls := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(ls) == 0 || ls[0] != "     PID     PPID COMMAND" {
		t.Fatalf("ps header: %q", out)
	}
	rows := map[string][2]int{}
	for _, l := range ls[1:] {
		f := strings.Fields(l)
		if len(f) < 3 {
			t.Fatalf("ps line %q", l)
		}
		pid, _ := strconv.Atoi(f[0])
		ppid, _ := strconv.Atoi(f[1])
		rows[strings.Join(f[2:], " ")] = [2]int{pid, ppid}
	}
	return rows
}

// lsdef through the real client: no osimage at all, -w matching none, and
// site.nimprime.
func TestLsdefAnswersThroughTheClient(t *testing.T) {
	ctx := context.Background()
	for _, v := range []struct{ version, noneMatched string }{{"2.9.3", ""}, {"2.16.5", "No object definitions have been found\n"}} {
		w := simtest.New(t, simtest.XCAT(v.version), simtest.Site("nimprime", "nimsrv"))
		res, err := w.Exec.Query(ctx, "lsdef", "-t", "osimage", "-l", "-w", "imagetype==AIX")
		if err != nil || string(res.Stdout) != v.noneMatched || len(res.Stderr) != 0 {
			t.Errorf("%s, -w matching none: %v %q %q", v.version, err, res.Stdout, res.Stderr)
		}
		res, err = w.Exec.Query(ctx, "lsdef", "-t", "site", "-i", "nimprime")
		if err != nil || string(res.Stdout) != "Object name: clustersite\n    nimprime=nimsrv\n" {
			t.Errorf("%s, site.nimprime: %v %q", v.version, err, res.Stdout)
		}
	}
	w := simtest.New(t, simtest.Env("NIMWIZ_SIM_NIMPRIME", "other"))
	res, err := w.Exec.Query(ctx, "lsdef", "-t", "site", "-i", "nimprime")
	if err != nil || string(res.Stdout) != "Object name: clustersite\n    nimprime=other\n" {
		t.Errorf("NIMWIZ_SIM_NIMPRIME: %v %q", err, res.Stdout)
	}
	// No osimage at all: xCAT's error, exit 1.
	if err := sim.RemoveOsimages(w.Root); err != nil {
		t.Fatal(err)
	}
	res, err = w.Exec.Query(ctx, "lsdef", "-t", "osimage", "-l", "-w", "imagetype==NIM")
	if err == nil || res.ExitCode != 1 || len(res.Stdout) != 0 || string(res.Stderr) != "Error: Could not get objects of type 'osimage'.\n" {
		t.Errorf("no osimage: %v %+v", err, res)
	}
}
