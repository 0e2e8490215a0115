// Package sim is a simulated xCAT management node that is also the NIM
// master. It answers mknimimage, rmnimimage, lsdef, chdef, lsnim, nim, lsdev
// and lsxcatd with the formats, messages and exit codes of the real commands
// (see the reference notes), from a world kept in files under a root
// directory, so that nimwiz cannot tell it from a real master.
//
// It deliberately does not use nimwiz's nim parsers: tests of those parsers
// against the simulator would otherwise prove nothing.
//
// Behaviour is tuned by the environment of each command:
//
//	NIMWIZ_SIM_ROOT           the simulated host's "/" (required)
//	NIMWIZ_SIM_SPOT_SECONDS   how long SPOT creation takes (default 2)
//	NIMWIZ_SIM_UPDATE_SECONDS how long the SPOT update takes (default 0.2)
//	NIMWIZ_SIM_LPP_SECONDS    how long the lpp_source copy takes (default SPOT/4)
//	NIMWIZ_SIM_ABORT_SECONDS  the xCAT client's pause after Ctrl-C (real: 2; default 0.2)
//	NIMWIZ_SIM_FAIL=<phase>   fail in lpp_source, spot, root, dump, paging,
//	                          definition, update or password
//	NIMWIZ_SIM_HANG=<phase>   hang in that phase until killed
//	NIMWIZ_SIM_HANG_QUERY=<command>  make that command (lsnim, lsdef, ...) hang
//	NIMWIZ_SIM_GARBLE_QUERY=<command> spoil that command's output the way
//	NIMWIZ_SIM_GARBLE says: truncated, garbage, code (an unknown 0042 error)
//	                          or empty (see cmdlog.go)
//	NIMWIZ_SIM_FLOOD=N        print N extra output lines (about 80 bytes each, buffered,
//	                          as fast as it can) during the lpp_source phase
//	NIMWIZ_SIM_XCAT=2.9.2     behave like the AIX-era xCAT (no "[host]: " in errors)
package sim

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Commands are the names the simulator answers to.
var Commands = []string{"mknimimage", "rmnimimage", "lsdef", "chdef", "lsnim", "nim", "lsdev", "lsxcatd"}

// IsCommand reports whether name is one of Commands.
func IsCommand(name string) bool {
	for _, c := range Commands {
		if c == name {
			return true
		}
	}
	return false
}

// xcatCommands are xCAT clients: on SIGINT/SIGTERM they ask xcatd to abort,
// pause and exit 0. The others are AIX commands that die of the signal.
var xcatCommands = map[string]bool{"mknimimage": true, "rmnimimage": true, "lsdef": true, "chdef": true, "lsxcatd": true}

// xCAT version strings the simulated lsxcatd reports.
const (
	xcatVersion       = "Version 2.16.5 (git commit 9c3d9e7e34c5a1b0f8d6a2e6d3c61b0b0d6e4f21, built Wed Mar  8 04:12:17 EST 2023)"
	xcatLegacyVersion = "Version 2.9.2 (git commit 2c1fc4b2b6d0b26f0d7b1d0e3c1a2f7e9b4a6d10, built Thu Nov  5 10:02:44 EST 2015)"
)

// Main runs one simulated command as a process would: it catches the
// signals a real run could get (recording each in the world's signal log;
// every invocation is recorded in the command log, see cmdlog.go)
// and returns the exit code.
func Main(name string, args []string, stdout, stderr io.Writer) int {
	p := newProc(name, os.Getenv, stdout, stderr)
	sigc := make(chan os.Signal, 16)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigc)
	go func() {
		for s := range sigc {
			p.signaled(s)
		}
	}()
	code := p.run(args)
	if p.aborted() {
		return p.abortExit()
	}
	return code
}

// Run runs one simulated command in this process, without signal handling,
// with env as its environment (tests).
func Run(name string, args []string, env []string, stdout, stderr io.Writer) int {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return newProc(name, func(k string) string { return m[k] }, stdout, stderr).run(args)
}

// errAborted ends a run that a signal interrupted.
var errAborted = errors.New("aborted by a signal")

// proc is one running simulated command.
type proc struct {
	name           string
	getenv         func(string) string
	stdout, stderr io.Writer
	st             store

	phase     atomic.Value // string: what the command is doing, for the signal log
	abortOnce sync.Once
	abortc    chan struct{}
	firstSig  atomic.Value // os.Signal
}

func newProc(name string, getenv func(string) string, stdout, stderr io.Writer) *proc {
	p := &proc{name: name, getenv: getenv, stdout: stdout, stderr: stderr, abortc: make(chan struct{})}
	p.st = store{root: getenv("NIMWIZ_SIM_ROOT")}
	p.setPhase("start")
	return p
}

func (p *proc) setPhase(s string) { p.phase.Store(s) }

func (p *proc) aborted() bool {
	select {
	case <-p.abortc:
		return true
	default:
		return false
	}
}

// signaled records a signal and stops the work at its next step.
func (p *proc) signaled(s os.Signal) {
	p.recordSignal(s)
	p.firstSig.CompareAndSwap(nil, s)
	p.abortOnce.Do(func() { close(p.abortc) })
}

func sigName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGQUIT:
		return "SIGQUIT"
	}
	return s.String()
}

// recordSignal appends "time name command phase pid" to the signal log, so
// tests can prove that no signal ever reached a simulated command.
func (p *proc) recordSignal(s os.Signal) {
	if p.st.root == "" {
		return
	}
	path := p.st.path(sigRel)
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s %s %s %d\n", time.Now().UTC().Format(time.RFC3339Nano), sigName(s), p.name, p.phase.Load(), os.Getpid())
}

// abortExit is how the process ends after a signal: an xCAT client sends
// the abort to xcatd, sleeps and exits 0 on SIGINT/SIGTERM; other signals
// and the AIX commands end with 128+signal.
func (p *proc) abortExit() int {
	s, _ := p.firstSig.Load().(os.Signal)
	sig, _ := s.(syscall.Signal)
	if xcatCommands[p.name] && (sig == syscall.SIGINT || sig == syscall.SIGTERM) {
		time.Sleep(p.seconds("NIMWIZ_SIM_ABORT_SECONDS", 0.2))
		return 0
	}
	return 128 + int(sig)
}

// sleep waits d, or returns errAborted as soon as a signal came.
func (p *proc) sleep(d time.Duration) error {
	if d <= 0 {
		if p.aborted() {
			return errAborted
		}
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.abortc:
		return errAborted
	}
}

// hang blocks until a signal (or SIGKILL) ends the process.
func (p *proc) hang() error {
	<-p.abortc
	return errAborted
}

func (p *proc) seconds(key string, def float64) time.Duration {
	v := def
	if s := p.getenv(key); s != "" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 {
			v = f
		}
	}
	return time.Duration(v * float64(time.Second))
}

func (p *proc) fault(phase string) bool { return p.getenv("NIMWIZ_SIM_FAIL") == phase }

// maybeHang hangs when NIMWIZ_SIM_HANG names this phase.
func (p *proc) maybeHang(phase string) error {
	if p.getenv("NIMWIZ_SIM_HANG") == phase {
		return p.hang()
	}
	return nil
}

func (p *proc) legacy() bool { return strings.HasPrefix(p.getenv("NIMWIZ_SIM_XCAT"), "2.9") }

// host maps a path of the simulated host to the real file system.
func (p *proc) host(path string) string {
	return filepath.Join(p.st.root, filepath.FromSlash(path))
}

func (p *proc) run(args []string) int {
	if p.st.root == "" {
		fmt.Fprintf(p.stderr, "%s: NIMWIZ_SIM_ROOT is not set: it must name the simulated host's root directory\n", p.name)
		return 1
	}
	p.logInvocation(args)
	if p.getenv("NIMWIZ_SIM_HANG_QUERY") == p.name {
		p.setPhase("hang")
		_ = p.hang()
		return 1
	}
	if p.getenv("NIMWIZ_SIM_GARBLE_QUERY") == p.name {
		return p.garbled(p.getenv("NIMWIZ_SIM_GARBLE"), func() int { return p.dispatch(args) })
	}
	return p.dispatch(args)
}

// dispatch runs the command p names.
func (p *proc) dispatch(args []string) int {
	switch p.name {
	case "mknimimage":
		return p.mknimimage(args)
	case "rmnimimage":
		return p.rmnimimage(args)
	case "lsdef":
		return p.lsdef(args)
	case "chdef":
		return p.chdef(args)
	case "lsnim":
		return p.lsnim(args)
	case "nim":
		return p.nim(args)
	case "lsdev":
		return p.lsdev(args)
	case "lsxcatd":
		return p.lsxcatd(args)
	}
	fmt.Fprintf(p.stderr, "%s: not a simulated command\n", p.name)
	return 127
}

// xout writes what an xCAT client prints for a plugin's responses: info
// data to stdout, "Warning: " and "Error: " lines to stderr, one line per
// data element (plugin strings usually end in "\n", so a blank line
// follows). The exit code is the OR of the error codes.
type xout struct {
	p    *proc
	host string
	rc   int
}

func (p *proc) xcat(host string) *xout { return &xout{p: p, host: host} }

func (o *xout) info(data ...string) {
	for _, d := range data {
		fmt.Fprintf(o.p.stdout, "%s\n", d)
	}
}

// prefix is "[host]: ", which xCAT 2.14.2 and later put in front of errors
// and warnings; the AIX-era releases do not.
func (o *xout) prefix() string {
	if o.p.legacy() || o.host == "" {
		return ""
	}
	return "[" + o.host + "]: "
}

func (o *xout) warn(data ...string) {
	for _, d := range data {
		fmt.Fprintf(o.p.stderr, "Warning: %s%s\n", o.prefix(), d)
	}
}

func (o *xout) err(data ...string) { o.errc(1, data...) }

func (o *xout) errc(code int, data ...string) {
	for _, d := range data {
		fmt.Fprintf(o.p.stderr, "Error: %s%s\n", o.prefix(), d)
	}
	o.rc |= code
}

// done ends a plugin command that returned ret: a failing one also gets the
// "Return=<rc>." footer.
func (o *xout) done(ret int) int {
	if ret != 0 {
		o.errc(ret, fmt.Sprintf("Return=%d.", ret))
	}
	return o.rc
}

// getopt parses options the way Perl's Getopt::Long does with bundling (as
// xCAT configures it): single-letter options may be bundled (-VrD), values
// may be attached (-s/dev/cd0) or separate, long options need "--", and
// options may come after operands.
type optSpec struct {
	short map[byte]bool     // letter -> takes a value
	long  map[string]string // long name -> letter
}

type opts struct {
	set  map[byte]int
	val  map[byte][]string
	args []string
}

func (o opts) has(c byte) bool { return o.set[c] > 0 }
func (o opts) str(c byte) string {
	if v := o.val[c]; len(v) > 0 {
		return v[len(v)-1]
	}
	return ""
}

func (s optSpec) parse(argv []string, permute bool) (opts, error) {
	o := opts{set: map[byte]int{}, val: map[byte][]string{}}
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--":
			o.args = append(o.args, argv[i+1:]...)
			return o, nil
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			var c byte
			l, ok := s.long[name]
			if ok {
				c = l[0]
			} else if len(name) == 1 && s.hasShort(name[0]) {
				c, ok = name[0], true
			}
			if !ok {
				return o, fmt.Errorf("Unknown option: %s", name)
			}
			if s.short[c] {
				if !hasVal {
					if i+1 >= len(argv) {
						return o, fmt.Errorf("Option %s requires an argument", name)
					}
					i++
					val = argv[i]
				}
				o.val[c] = append(o.val[c], val)
			}
			o.set[c]++
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				if !s.hasShort(c) {
					return o, fmt.Errorf("Unknown option: %c", c)
				}
				o.set[c]++
				if s.short[c] {
					v := a[j+1:]
					if v == "" {
						if i+1 >= len(argv) {
							return o, fmt.Errorf("Option %c requires an argument", c)
						}
						i++
						v = argv[i]
					}
					o.val[c] = append(o.val[c], v)
					break
				}
			}
		default:
			if !permute {
				o.args = append(o.args, argv[i:]...)
				return o, nil
			}
			o.args = append(o.args, a)
		}
	}
	return o, nil
}

func (s optSpec) hasShort(c byte) bool { _, ok := s.short[c]; return ok }
