// Package sim is a simulated xCAT management node that is also the NIM
// master. It answers mknimimage (creation, -u, -i/-p, -c), rmnimimage,
// chkosimage, lsdef (osimages, nodes, site), chdef, lsxcatd, lsnim, nim,
// lsdev and ps with the formats, messages and exit codes of the real
// commands (see the reference notes), from a world kept in files under a
// root directory, and it behaves like them as processes: buffering,
// signals, exit codes and what survives whose death come from xCAT's code
// (xcat2/xcat-core, tags 2.9.2_aix_release and 2.9.3, and HEAD for the
// later releases), cited where each behaviour is built.
//
// It deliberately does not use nimwiz's nim parsers: tests of those parsers
// against the simulator would otherwise prove nothing.
//
// # Processes
//
// Install puts the commands in a directory. The xCAT clients (mknimimage,
// rmnimimage, lsdef, chdef, lsxcatd) are a real Perl script, client.pl,
// modelled line by line on xCAT-client/bin/xcatDBcmds and
// perl-xCAT/xCAT/Client.pm: it sends the request to xcatd, prints what
// comes back through handle_response (info on STDOUT, which Perl
// block-buffers on a pipe; "Error:"/"Warning:" on unbuffered STDERR),
// traps INT and TERM only once the request is sent (abort, pause, exit 0),
// and exits with the OR of the error codes. Because it is real Perl it
// honours PERL5OPT/PERL5LIB as a real client does (nimwiz's live module).
//
// The other names (xcatd, lsnim, nim, lsdev, ps, xcatchroot, cpcosi) are
// links to the binary
// that calls Main (nimwiz itself in the demo, the test binary under
// simtest). The processes of one xCAT command, and what each stands for:
//
//	perl .../mknimimage ARGS   the client; nimwiz's child
//	└ xcatd (connection)       xcatd's connection process, "xCATd SSL: mknimimage
//	  │                        for root@localhost": started by the client through a
//	  │                        socketpair, fork, setsid, fork and exec, so it is in a
//	  │                        session of its own, is not the client's child and
//	  │                        outlives it (the real one is forked by the xcatd
//	  │                        listener). It logs the invocation, starts the plugin,
//	  │                        relays its replies, sends serverdone, and on an abort
//	  │                        request signals the plugin and exits.
//	  └ xcatd plugin           the plugin process, "...: aixinstall instance": runs
//	    │                      the command (mknimimage.go, lsdef.go, ...) and sends
//	    │                      each reply as it is produced. From 2.12.4 on it leads
//	    │                      a process group of its own.
//	    └ /usr/sbin/nim -Fo define -t spot ...
//	                           NIM's define, run as xCAT's runcmd runs it (backticks,
//	                           stdout and stderr on one pipe the plugin reads): it
//	                           copies the lpp_source, builds the SPOT, writes its
//	                           progress lines to that pipe. The same for cpcosi
//	                           (mknimimage -i copies the SPOT) and for xcatchroot
//	                           -i IMAGE '<script>' (installp, rpm, emgr and the root
//	                           password inside the SPOT: mknimimage -u, and the end
//	                           of every create, copy and -c), which marks the SPOT
//	                           and its lpp_source unavailable while it works
//	                           (chroot.go, update.go).
//
// What happens to each when the client gets a signal (xcat-client-behaviour.md
// §2, verified in the code cited in xcatd.go):
//
//   - INT, TERM: the client sends {abortcommand}, pauses, exits 0, printing
//     nothing. The connection process signals the plugin (INT, then TERM) and
//     exits. Before 2.12.4 only the plugin's pid: the plugin dies (its
//     INT/TERM are default), its nim child is not signalled, and dies of
//     SIGPIPE at its next write to the pipe nobody reads any more (INFERRED
//     from the code: runcmd's backticks, xcatd's plugin without handlers).
//     From 2.12.4 on the whole group: the nim child dies at once. Either way
//     the SPOT (or lpp_source) is left half-built.
//   - HUP, QUIT, KILL, PIPE: the client dies of it, without an abort. xcatd
//     ignores the client's EOF and swallows failed sends, so the plugin runs
//     to completion unseen.
//   - A client started with SIGPIPE ignored whose stdout reader is gone
//     reads on to the end and exits with xcatd's error code; but Perl 5.24
//     and later (perl.c perl_destruct, commit 8abddda39a) print "Unable to
//     flush stdout: Broken pipe" when the final flush fails and turn exit 0
//     into 1. The client is whatever /usr/bin/perl runs it.
//
// The world: NIM objects (lpp_sources whose media hold optional packages
// no SPOT has, installp_bundles, RPMs and an interim fix on the 7.3
// lpp_sources), osimages, and xCAT nodes with their provmethod; the
// stateless image is allocated to two NIM clients (dln01 made by
// mkdsklsnode, dln02_aix73_stateless by mkdsklsnode -n) and cn01 still
// names aix72_stateful (rmdsklsnode never clears provmethod). Service nodes
// (servicenode.go: SeedServiceNodes, which the demo calls) each keep a NIM
// database of their own, reached only through xdsh; the SPOT update's
// service-node checks and removals do not look at them yet.
//
// GUESSES: the plugin's child is nim itself (the shell of runcmd's
// backticks execs it); NIM's SPOT progress lines (aix-nim.md §3.2); ps's
// column widths; the xcatd connection's parent (here whatever adopts it,
// on a master the xcatd listener).
//
// Every sim process registers in <root>/var/sim/procs (see procs.go) so the
// simulated ps lists this world's live processes, and appends each signal
// it gets to <root>/var/sim/signals.log ("time SIGNAME command phase pid";
// the client's phase is "client"), so tests can prove what reached whom.
//
// Run (tests) runs one command in the calling process: an xCAT command's
// replies are printed as handle_response prints them, without the client's
// buffering, and NIM's define runs in-process too.
//
// # Knobs
//
// Behaviour is tuned by the environment of each command (the client passes
// its environment to xcatd):
//
//	NIMWIZ_SIM_ROOT           the simulated host's "/" (required)
//	NIMWIZ_SIM_XCAT=V         the xCAT release to behave as (default 2.9.3, the last
//	                          for AIX): from 2.12.4 an abort kills the plugin's whole
//	                          process group; from 2.14.2 errors and warnings carry
//	                          "[host]: "; from 2.14.5 lsdef says "No object
//	                          definitions have been found"; lsxcatd reports V
//	NIMWIZ_SIM_RELAY_SECONDS  how often the client hands replies to handle_response
//	                          (real: when time() passes the next whole second, i.e.
//	                          every 1-2 s, the default; 0: every read at once)
//	NIMWIZ_SIM_ABORT_SECONDS  the client's pause after INT/TERM (real and default: 2)
//	NIMWIZ_SIM_CLIENT_SIGLOG=0  the client logs no signals (tests comparing exit
//	                          statuses with and without the logging)
//	NIMWIZ_SIM_SPOT_SECONDS   how long SPOT creation takes (default 2)
//	NIMWIZ_SIM_UPDATE_SECONDS how long the work inside the SPOT takes: installp (spread
//	                          over the filesets), rpm, the root password (default 0.2)
//	NIMWIZ_SIM_COPY_SECONDS   how long cpcosi takes to copy a SPOT (default SPOT/2)
//	NIMWIZ_SIM_LPP_SECONDS    how long the lpp_source copy takes (default SPOT/4)
//	NIMWIZ_SIM_FAIL=<phase>   fail in lpp_source, spot (NIM's define, or cpcosi for a
//	                          copy), root, dump, paging (in NIM's define), definition,
//	                          update (installp half-way: the last item of a list is
//	                          not on the media, the others are applied; xCAT's error
//	                          alone when there is no software) or password
//	NIMWIZ_SIM_HANG=<phase>   hang in that phase (the same ones, or summary) until killed
//	NIMWIZ_SIM_HANG_QUERY=<command>  make that command (lsnim, lsdef, ...) hang
//	NIMWIZ_SIM_GARBLE_QUERY=<command> spoil that command's output the way
//	NIMWIZ_SIM_GARBLE says: truncated, garbage, code (an unknown 0042 error)
//	                          or empty (see cmdlog.go)
//	NIMWIZ_SIM_FLOOD=N        send N extra info lines (about 80 bytes each, as fast
//	                          as it can) during the lpp_source phase
//	NIMWIZ_SIM_NIMPRIME=host  site.nimprime, whatever the world's site table says
package sim

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Clients are the xCAT client commands: Install writes the Perl client
// under these names.
var Clients = []string{"mknimimage", "rmnimimage", "lsdef", "chdef", "lsxcatd", "chkosimage", "xdsh"}

// Links are the names Install links to the binary, which answers as them
// through Main: the simulated xcatd and the AIX commands.
var Links = []string{"xcatd", "lsnim", "nim", "lsdev", "ps", "xcatchroot", "cpcosi", "ls"}

// Commands are all the names Install puts in the command directory.
var Commands = append(append([]string{}, Clients...), Links...)

// IsCommand reports whether a binary started under name should hand over
// to Main (one of Links).
func IsCommand(name string) bool {
	for _, c := range Links {
		if c == name {
			return true
		}
	}
	return false
}

func isClient(name string) bool {
	for _, c := range Clients {
		if c == name {
			return true
		}
	}
	return false
}

// Main runs one simulated command as a process and returns its exit code:
// the simulated xcatd, or an AIX command. It registers the process for ps
// and records the signals it gets (see the package doc); a signal ends it
// the way the signal would end the real command.
func Main(name string, args []string, stdout, stderr io.Writer) int {
	if name == "xcatd" {
		return xcatdMain(args)
	}
	p := newProc(name, os.Getenv, stdout, stderr)
	if isClient(name) {
		fmt.Fprintf(stderr, "%s: an xCAT client: sim.Install writes it as a Perl script that talks to the simulated xcatd\n", name)
		return 127
	}
	p.binDir = filepath.Dir(os.Args[0])
	p.by = os.Getenv("NIMWIZ_SIM_BY")
	unregister := p.st.register(strings.Join(os.Args, " "))
	defer unregister()
	sigs := []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}
	if p.by == "xcatd" {
		// NIM's define, cpcosi and xcatchroot write to a pipe xCAT's plugin
		// reads: SIGPIPE (the plugin gone) is one of the ways they end.
		// (Other commands die of SIGPIPE on fd 1 or 2 as Go does, unlogged.)
		sigs = append(sigs, syscall.SIGPIPE)
	}
	p.catchSignals(unregister, nil, sigs...)
	return p.run(args)
}

// Run runs one simulated command in this process, without signal handling,
// with env as its environment (tests). An xCAT command's replies are printed
// as the client's handle_response prints them, but at once (no Perl
// buffering), and the exit code is the OR of their error codes; NIM's
// define runs in this process too.
func Run(name string, args []string, env []string, stdout, stderr io.Writer) int {
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	p := newProc(name, func(k string) string { return m[k] }, stdout, stderr)
	if !isClient(name) {
		return p.run(args)
	}
	pr := &printer{stdout: stdout, stderr: stderr}
	p.rs = pr
	if p.st.root == "" {
		p.xcat0().err("NIMWIZ_SIM_ROOT is not set: it must name the simulated host's root directory")
		return pr.exit
	}
	p.logInvocation(os.Getpid(), append([]string{name}, args...), "")
	cwd := "/"
	if wd, err := os.Getwd(); err == nil {
		cwd = wd
	}
	if p.getenv("NIMWIZ_SIM_GARBLE_QUERY") == name {
		c := &collector{}
		p.rs = c
		p.plugin(args, cwd)
		if garbleReplies(p, c.rs, pr) {
			fmt.Fprintln(stderr, "ERROR/WARNING: communication with the xCAT server seems to have been ended prematurely")
			pr.exit = 1
		}
		return pr.exit
	}
	p.plugin(args, cwd)
	return pr.exit
}

// proc is one running simulated command.
type proc struct {
	name           string
	getenv         func(string) string
	stdout, stderr io.Writer // an AIX command's output
	rs             responder // an xCAT plugin's replies
	st             store
	cwd            string // the client's working directory, as the world sees it
	stdin          string // what the client read from its stdin (xcatDBcmds L52-72)
	// binDir is where the command links live: NIM's define runs as a child
	// process from there; "" runs it in this process (Run).
	binDir string
	by     string // who started this command: "" (nimwiz) or "xcatd"

	phase atomic.Value // string: what the command is doing, for the signal log
}

func newProc(name string, getenv func(string) string, stdout, stderr io.Writer) *proc {
	p := &proc{name: name, getenv: getenv, stdout: stdout, stderr: stderr, cwd: "/"}
	p.st = store{root: getenv("NIMWIZ_SIM_ROOT")}
	p.setPhase("start")
	return p
}

func (p *proc) setPhase(s string) { p.phase.Store(s) }

func (p *proc) phaseName() string {
	s, _ := p.phase.Load().(string)
	return s
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
	case syscall.SIGPIPE:
		return "SIGPIPE"
	case syscall.SIGKILL:
		return "SIGKILL"
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
	fmt.Fprintf(f, "%s %s %s %s %d\n", time.Now().UTC().Format(time.RFC3339Nano), sigName(s), p.name, p.phaseName(), os.Getpid())
}

// catchSignals records the first of sigs that arrives, runs before (if
// any), and ends the process by that signal, as the real command would die
// of it: the wait status says so.
func (p *proc) catchSignals(cleanup func(), before func(os.Signal), sigs ...os.Signal) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, sigs...)
	go func() {
		s := <-c
		// Signals sent together (an abort's INT then TERM) may reach Go's
		// threads in either order; a single-threaded command would get the
		// lowest-numbered pending one first, as Linux delivers them.
		settle := time.NewTimer(5 * time.Millisecond)
	drain:
		for {
			select {
			case o := <-c:
				if o.(syscall.Signal) < s.(syscall.Signal) {
					s = o
				}
			case <-settle.C:
				break drain
			}
		}
		p.recordSignal(s)
		if before != nil {
			before(s)
		}
		if cleanup != nil {
			cleanup()
		}
		dieBy(s.(syscall.Signal), sigs...)
	}()
}

// dieBy ends the process by sig. Go's runtime dies of INT, TERM and HUP
// with their default action once they are no longer notified; QUIT makes
// it print goroutines and exit 2, and it ignores a SIGPIPE it did not get
// from writing fd 1 or 2. So for those the process becomes a shell (same
// pid, same parent, default dispositions) that sends itself the signal.
func dieBy(sig syscall.Signal, notified ...os.Signal) {
	signal.Reset(notified...)
	switch sig {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL:
		_ = syscall.Kill(os.Getpid(), sig)
	default:
		_ = syscall.Exec("/bin/sh", []string{"sh", "-c", "kill -" + strconv.Itoa(int(sig)) + " $$"}, os.Environ())
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}
	time.Sleep(5 * time.Second)
	os.Exit(128 + int(sig))
}

func (p *proc) sleep(d time.Duration) error {
	if d > 0 {
		time.Sleep(d)
	}
	return nil
}

// hang blocks until a signal (or SIGKILL) ends the process.
func (p *proc) hang() error {
	select {}
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

// host maps a path of the simulated host to the real file system.
func (p *proc) host(path string) string {
	return filepath.Join(p.st.root, filepath.FromSlash(path))
}

// run runs an AIX command (lsnim, nim, lsdev, ps).
func (p *proc) run(args []string) int {
	if p.st.root == "" {
		fmt.Fprintf(p.stderr, "%s: NIMWIZ_SIM_ROOT is not set: it must name the simulated host's root directory\n", p.name)
		return 1
	}
	p.logInvocation(os.Getpid(), append([]string{p.name}, args...), p.by)
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

// dispatch runs the AIX command p names.
func (p *proc) dispatch(args []string) int {
	switch p.name {
	case "lsnim":
		return p.lsnim(args)
	case "nim":
		return p.nim(args)
	case "lsdev":
		return p.lsdev(args)
	case "ps":
		return p.ps(args)
	case "xcatchroot":
		return p.xcatchroot(args)
	case "cpcosi":
		return p.cpcosi(args)
	case "ls":
		return p.ls(args, nil)
	}
	fmt.Fprintf(p.stderr, "%s: not a simulated command\n", p.name)
	return 127
}

// plugin runs an xCAT command as its plugin does, sending the replies to
// p.rs; cwd is the client's working directory.
func (p *proc) plugin(args []string, cwd string) {
	p.cwd = p.worldPath(cwd)
	p.setPhase("start")
	if p.getenv("NIMWIZ_SIM_HANG_QUERY") == p.name {
		p.setPhase("hang")
		_ = p.hang()
	}
	switch p.name {
	case "mknimimage":
		p.mknimimage(args)
	case "rmnimimage":
		p.rmnimimage(args)
	case "lsdef":
		p.lsdef(args)
	case "chdef":
		p.chdef(args)
	case "lsxcatd":
		p.lsxcatd(args)
	case "chkosimage":
		p.chkosimage(args)
	case "xdsh":
		p.xdsh(args)
	default:
		// xcatd's do_request for a command no plugin handles (2.9.2 xcatd L2026-2031).
		p.rs.send(response{Error: []string{"Unsupported request"}})
	}
}

// worldPath maps a directory of the host the client runs on to the
// simulated host: inside the world root it is the path below it, outside
// it is "/".
func (p *proc) worldPath(dir string) string {
	if p.st.root == "" || dir == "" {
		return "/"
	}
	rel, err := filepath.Rel(p.st.root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "/"
	}
	return "/" + strings.TrimPrefix(filepath.ToSlash(rel), ".")
}

// xout is how a plugin reports: each call is one response (one MsgUtils
// message). The exit code is the OR of the error codes.
type xout struct {
	p    *proc
	host string
	rc   int
}

func (p *proc) xcat0() *xout { return &xout{p: p} }

func (p *proc) xcatOut(host string) *xout { return &xout{p: p, host: host} }

func (o *xout) info(data ...string) { o.p.rs.send(response{Info: data}) }

// prefix is "[host]: ", which xCAT 2.14.2 and later put in front of errors
// and warnings; the AIX-era releases do not.
func (o *xout) prefix() string {
	if !o.p.serverPrefix() || o.host == "" {
		return ""
	}
	return "[" + o.host + "]: "
}

func (o *xout) prefixed(data []string) []string {
	pre := o.prefix()
	out := make([]string, len(data))
	for i, d := range data {
		out[i] = pre + d
	}
	return out
}

func (o *xout) warn(data ...string) { o.p.rs.send(response{Warning: o.prefixed(data)}) }

func (o *xout) err(data ...string) { o.errc(1, data...) }

func (o *xout) errc(code int, data ...string) {
	o.p.rs.send(response{Error: o.prefixed(data), ErrorCode: []int{code}})
	o.rc |= code
}

// code sends an error code alone (DBobjectdefs' process_request, 2.9.2
// L166-174: {errorcode => [ret]} with no text).
func (o *xout) code(c int) {
	if c == 0 {
		return
	}
	o.p.rs.send(response{ErrorCode: []int{c}})
	o.rc |= c
}

// done ends an aixinstall command that returned ret: a failing one also
// gets the "Return=<rc>." footer (aixinstall.pm 2.9.2 process_request
// L574-590).
func (o *xout) done(ret int) int {
	if ret > 0 {
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

// perlTrue is Perl's truth of a string: "" and "0" are false.
func perlTrue(s string) bool { return s != "" && s != "0" }
