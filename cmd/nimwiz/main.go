// Command nimwiz guides AIX cluster administrators through creating xCAT
// diskless and dataless osimages with mknimimage, runs it safely, and browses
// the osimages a NIM master already has.
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
)

// app is what every verb gets: where to write, where state lives, and how to
// reach NIM (the real master, or the demo's simulator).
type app struct {
	stdin io.Reader
	// stdout and stderr are for people: run wraps them in termtext.Writers,
	// so nothing from NIM, xCAT or the state can act on the terminal. JSON
	// and the full-screen UI write to rawOut(a), with their own escaping.
	stdout, stderr io.Writer
	stateDir       string
	// stateDirFlag is the state directory when --state-dir named it: the
	// hints nimwiz prints carry it (app.command).
	stateDirFlag string
	demo         bool
	plain        bool
	theme        string // "", "light" or "dark"
	exec         *nim.Executor
	client       *nim.Client
	// hostRoot prefixes paths on the NIM master's filesystem: the demo's
	// simulated host root, "" on a real master.
	hostRoot string
}

// verb is one nimwiz subcommand. Each lives in its own file and registers
// itself in init. run's error says why it did not succeed and, as an
// exitError, with which status (exit.go).
type verb struct {
	name    string
	args    string // usage after the name, e.g. "FILE"
	summary string
	run     func(a *app, args []string) error
	// fullScreen verbs show the demo banner on every screen themselves.
	fullScreen bool
}

var verbs = map[string]verb{}

func register(v verb) { verbs[v.name] = v }

func main() {
	stop := startProfile(os.Args) // NIMWIZ_CPUPROFILE, see profile.go
	code, ok := simulatedCommand(os.Args)
	if !ok {
		code = run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	}
	stop()
	os.Exit(code)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// One sanitizer for everything every verb says to a person: what it
	// shows of NIM, xCAT, the simulator, job records and plan files comes
	// through here, so new code cannot forget it (termtext).
	out, errOut := termtext.NewWriter(stdout), termtext.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	a := &app{stdin: stdin, stdout: out, stderr: errOut}
	name, rest, err := a.setUp(args)
	if err != nil || name == "" {
		return a.exit("", err)
	}
	return a.do(name, rest)
}

// setUp reads the global flags, checks the state directory, readies the
// executor (the demo's or the master's) and returns the verb to run and
// its arguments; "" when nothing is left to do (help).
func (a *app) setUp(args []string) (string, []string, error) {
	fs := flag.NewFlagSet("nimwiz", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.BoolVar(&a.demo, "demo", false, "run against the built-in simulated NIM master")
	demoReset := fs.Bool("demo-reset", false, "recreate the demo's simulated world (implies --demo)")
	fs.StringVar(&a.stateDir, "state-dir", "", "where nimwiz keeps jobs and the demo world (default $NIMWIZ_STATE_DIR, /var/lib/nimwiz for root, else the XDG state home)")
	fs.BoolVar(&a.plain, "plain", false, "line-by-line prompts and plain logs instead of the full-screen UI")
	fs.StringVar(&a.theme, "theme", "", "light or dark, to override terminal background detection")
	fs.Usage = func() { usage(a.stderr, fs) }
	if err := parseFlags(fs, args); err != nil {
		return "", nil, err
	}
	if a.theme != "" && a.theme != "light" && a.theme != "dark" {
		return "", nil, usageError("--theme %q: use light or dark", a.theme)
	}
	if os.Getenv("TERM") == "dumb" {
		a.plain = true
	}
	if *demoReset {
		a.demo = true
	}
	dir, err := stateDir(a.stateDir)
	if err != nil {
		return "", nil, &exitError{exitUsage, err}
	}
	// Before anything runs: a state directory someone else controls would
	// give them root (statedir.go).
	if a.stateDir, err = checkState(dir); err != nil {
		return "", nil, usageError("refusing to use the state directory %s: %v\nnimwiz: nothing was run.", dir, err)
	}
	if flagGiven(fs, "state-dir") {
		a.stateDirFlag = a.stateDir
	}
	// The wizard's hints (package hint) carry the same global options as
	// a.command's.
	hint.SetGlobals(hint.Options(a.demo, a.stateDirFlag)...)
	a.exec = &nim.Executor{Hint: notNIMMaster}
	// Every xCAT client nimwiz runs loads the live module (PERL5OPT), so
	// its output reaches nimwiz as printed (nim/live.go); rewritten at each
	// start so an old or altered copy never runs.
	// NIMWIZ_LIVE=off runs them without it (a site whose policy forbids
	// PERL5OPT): nimwiz then cannot see the phases and protects the whole
	// run.
	switch live := os.Getenv(liveEnv); live {
	case "", "on":
		a.exec.LiveDir = filepath.Join(a.stateDir, perlDir)
		if err := nim.InstallLiveModule(a.exec.LiveDir); err != nil {
			return "", nil, &exitError{exitUsage, err}
		}
	case "off":
	default:
		return "", nil, usageError("%s=%q: use on or off", liveEnv, live)
	}
	if a.demo {
		if err := setupDemo(a, *demoReset); err != nil {
			return "", nil, failure("demo: %v", err)
		}
	}
	a.client = nim.NewClient(a.exec)

	rest := fs.Args()
	name := "home"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" {
		usage(a.stdout, fs)
		return "", nil, nil
	}
	v, ok := verbs[name]
	if !ok {
		return "", nil, usageError("unknown command %q; run 'nimwiz help' for the list", name)
	}
	if a.demo && (a.plain || !v.fullScreen) {
		// Full-screen views carry their own banner.
		fmt.Fprintf(a.stderr, "nimwiz: DEMO: a simulated NIM master (%s); nothing touches a real system\n", a.hostRoot)
	}
	return name, rest, nil
}

// flagGiven reports whether the command line set flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// parseFlags parses fs (see flagError).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	return nil
}

// rawOut is stdout as it is, for output that escapes in its own way (JSON)
// or that is a terminal's own (the full-screen UI).
func rawOut(a *app) io.Writer {
	if u, ok := a.stdout.(interface{ Unwrap() io.Writer }); ok {
		return u.Unwrap()
	}
	return a.stdout
}

// nimCommands are the xCAT and NIM commands nimwiz runs.
var nimCommands = []string{"mknimimage", "rmnimimage", "lsdef", "chdef", "lsnim", "nim", "lsdev", "lsxcatd"}

// liveEnv turns the live module off ("off") or on ("on", the default).
const liveEnv = "NIMWIZ_LIVE"

// notNIMMaster is added to "command not found" errors in real mode.
const notNIMMaster = "nimwiz runs on the xCAT management node that is the AIX NIM master, as root; to try it anywhere, use its simulated NIM master: nimwiz --demo"

// thisHost is the host nimwiz runs on (tests replace it).
var thisHost = nim.ThisHost

// preflight, in real mode, names every NIM/xCAT command this machine lacks,
// then makes sure mknimimage runs here (nim.CheckNIMPrimary: not when
// site.nimprime names another NIM master), so that what nimwiz checks here
// is what mknimimage finds.
func preflight(e *nim.Executor) error {
	var missing []string
	for _, c := range nimCommands {
		if _, err := e.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("this machine lacks %s (looked on PATH and in %s).\n%s",
			strings.Join(missing, ", "), strings.Join(nim.SearchDirs, ", "), notNIMMaster)
	}
	ctx, cancel := queryCtx()
	defer cancel()
	return nim.NewClient(e).CheckNIMPrimary(ctx, thisHost())
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Usage: nimwiz [--demo] [--state-dir DIR] [--plain] [--theme light|dark] COMMAND [ARGS]")
	fmt.Fprintln(w, "\nCommands:")
	names := slices.Sorted(maps.Keys(verbs))
	width := 0
	for _, n := range names {
		width = max(width, len(strings.TrimSpace(n+" "+verbs[n].args)))
	}
	for _, n := range names {
		v := verbs[n]
		if v.summary == "" {
			continue // internal verbs
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, strings.TrimSpace(n+" "+v.args), v.summary)
	}
	fmt.Fprintln(w, "\nOptions:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// stateDir picks where nimwiz keeps its state: the flag, $NIMWIZ_STATE_DIR,
// /var/lib/nimwiz for root, else the XDG state home.
func stateDir(flagValue string) (string, error) {
	dir := flagValue
	if dir == "" {
		dir = os.Getenv("NIMWIZ_STATE_DIR")
	}
	if dir == "" {
		if os.Geteuid() == 0 {
			dir = "/var/lib/nimwiz"
		} else if x := os.Getenv("XDG_STATE_HOME"); x != "" {
			dir = filepath.Join(x, "nimwiz")
		} else if h, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(h, ".local", "state", "nimwiz")
		} else {
			return "", fmt.Errorf("no state directory: set --state-dir or NIMWIZ_STATE_DIR")
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("state directory %q: %w", dir, err)
	}
	return abs, nil
}
