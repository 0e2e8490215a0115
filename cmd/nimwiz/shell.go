package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/nimwiz/nimwiz/internal/sim"
)

// shell is the demo's practice ground: the admin's own shell with the
// simulated master's commands first on PATH and the environment the demo
// gives them, so every command nimwiz shows (cleanup advice, next steps)
// can be tried by hand against the simulated master before the real one.

func init() {
	register(verb{name: "shell", args: "[SHELL ARGS]", summary: "with --demo: a shell whose mknimimage, lsnim, lsdef, nim, rmnimimage, chdef... are the demo's simulated master", run: runShell})
}

func runShell(a *app, args []string) error {
	if !a.demo {
		return usageError("the shell is the demo's: run 'nimwiz --demo shell'. On a real master the xCAT and NIM commands are already on PATH")
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(a.stderr, "Usage: nimwiz --demo shell [ARGS]   ($SHELL, or /bin/sh, with ARGS, e.g. -c 'lsnim -t spot')")
		return nil
	}
	sh := os.Getenv("SHELL")
	if sh == "" || !filepath.IsAbs(sh) {
		sh = "/bin/sh"
	}
	bin := a.exec.Dirs[0]
	env := demoShellEnv(os.Environ(), bin, a.exec.Env)
	if len(args) == 0 {
		// Interactive: say where the admin is, once.
		fmt.Fprintf(a.stderr, `nimwiz: DEMO SHELL: %s with the simulated NIM master's commands first on PATH:
nimwiz:   %s
nimwiz: /install/nim/... in these commands is the simulated host's (%s); nothing touches a real system.
nimwiz: Try what nimwiz shows: lsnim -t spot, lsdef -t osimage, rmnimimage NAME, nim -o remove NAME ...
nimwiz: rm, ls and every other command are this machine's own: for them the simulated /install/nim is
nimwiz:   $NIMWIZ_SIM_ROOT/install/nim (e.g. rm -R "$NIMWIZ_SIM_ROOT/install/nim/spot/NAME"), never /install/nim.
nimwiz: ps here lists the simulated master's processes. Type exit to leave.
`, sh, strings.Join(sim.Commands, " "), a.hostRoot)
	}
	cmd := exec.Command(sh, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, rawOut(a), rawErr(a)
	if cmd.Stdin == nil {
		cmd.Stdin = os.Stdin
	}
	// As system(3): ^C and ^\ are the shell's, not ours.
	signal.Ignore(syscall.SIGINT, syscall.SIGQUIT)
	defer signal.Reset(syscall.SIGINT, syscall.SIGQUIT)
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return exitStatus(128 + int(ws.Signal()))
		}
		return exitStatus(ee.ExitCode())
	case err != nil:
		return failure("start %s: %v", sh, err)
	}
	return nil
}

// demoShellEnv is the demo shell's environment: the admin's, with the
// simulated commands' directory first on PATH, the variables the demo gives
// those commands (NIMWIZ_SIM_ROOT, its NIMWIZ_SIM_* settings), and a prompt
// that says it is the demo.
func demoShellEnv(base []string, bin string, simEnv []string) []string {
	var env []string
	path := ""
	for _, kv := range base {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			path = strings.TrimPrefix(kv, "PATH=")
		case strings.HasPrefix(kv, "NIMWIZ_SIM_"), strings.HasPrefix(kv, "PS1="):
		default:
			env = append(env, kv)
		}
	}
	if path == "" {
		path = "/usr/bin:/bin:/usr/sbin:/sbin"
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+path, "NIMWIZ_DEMO_SHELL=1", "PS1=[nimwiz demo] $ ")
	for _, kv := range simEnv {
		if strings.HasPrefix(kv, "NIMWIZ_SIM_") {
			env = append(env, kv)
		}
	}
	return env
}

// rawErr is stderr as it is (see rawOut).
func rawErr(a *app) io.Writer {
	if u, ok := a.stderr.(interface{ Unwrap() io.Writer }); ok {
		return u.Unwrap()
	}
	return a.stderr
}
