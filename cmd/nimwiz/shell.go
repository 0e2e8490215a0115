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

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// shell is the demo's practice shell: $SHELL (else /bin/sh) with the
// simulated master's commands first on PATH, so every command nimwiz shows
// (mknimimage, lsnim, lsdef, nim, rmnimimage, chdef, chkosimage, and the
// cleanup's rm -R) can be tried by hand before it is typed on a real
// master. The simulated commands take /install/nim/... as the simulated
// host's (NIMWIZ_SIM_ROOT); the shell's own rm does the same for the
// master's directories (shellRm), and touches nothing else differently.

func init() {
	register(verb{
		name:    "shell",
		args:    "[SHELL ARGS]",
		summary: "with --demo: a shell whose mknimimage, lsnim, lsdef, nim, rmnimimage, chdef, chkosimage and rm act on the simulated master",
		run:     runShell,
	})
}

// demoShellDir holds the shell's own commands (rm), before the simulator's.
const demoShellDir = "shell-bin"

// hostDirs are the master's directories the demo's world has: a path under
// one of them, given to the shell's rm, means the simulated host's.
var hostDirs = []string{"/install", "/export", "/tftpboot"}

// shellRm is the demo shell's rm: an argument under hostDirs is taken in
// the simulated host's root, everything else is passed as it is, and the
// system's rm does the work. (It is a fixed script: no argument is ever
// put into shell code.)
const shellRm = `#!/bin/sh
# nimwiz demo shell: rm, with the NIM master's directories (/install,
# /export, /tftpboot) taken in the simulated host ($NIMWIZ_SIM_ROOT).
root=${NIMWIZ_SIM_ROOT:?not in the nimwiz demo shell}
n=$#
while [ "$n" -gt 0 ]; do
	a=$1
	shift
	case $a in
	/install|/install/*|/export|/export/*|/tftpboot|/tftpboot/*) a=$root$a ;;
	esac
	set -- "$@" "$a"
	n=$((n - 1))
done
for d in /bin/rm /usr/bin/rm; do
	if [ -x "$d" ]; then exec "$d" "$@"; fi
done
echo "rm: no /bin/rm" >&2
exit 127
`

func runShell(a *app, args []string) error {
	if !a.demo {
		return usageError("the shell is the demo's: run '%s' to practise on the simulated master", a.command("--demo", "shell"))
	}
	bin := filepath.Join(a.stateDir, "demo", demoShellDir)
	if err := safefs.MkdirPrivate(bin); err != nil {
		return failure("demo shell: %v", err)
	}
	if err := safefs.WriteFileAtomic(filepath.Join(bin, "rm"), []byte(shellRm), 0o700, false); err != nil {
		return failure("demo shell: %v", err)
	}
	sh := os.Getenv("SHELL")
	if sh == "" || !filepath.IsAbs(sh) {
		sh = "/bin/sh"
	}
	env := shellEnv(os.Environ(), bin, a.exec.Dirs, a.exec.Env)
	fmt.Fprintf(a.stderr, "nimwiz: DEMO shell (%s): mknimimage, lsnim, lsdef, nim, rmnimimage, chdef, chkosimage and rm act on the simulated NIM master; /install/nim/... means %s/install/nim/.... Nothing touches a real system. 'exit' leaves.\n",
		sh, a.hostRoot)
	cmd := exec.Command(sh, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, rawOut(a), rawErr(a)
	// Keys the shell's commands are for: nimwiz waits, it does not die
	// (caught, not ignored: an ignored signal would stay ignored in the shell).
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return exitStatus(ee.ExitCode())
	case err != nil:
		return failure("demo shell %s: %v", sh, err)
	}
	return nil
}

// shellEnv is the demo shell's environment: the caller's, with the
// shell's and the simulator's commands first on PATH, the simulator's
// settings (NIMWIZ_SIM_ROOT, ...), and a prompt that says where it is.
func shellEnv(base []string, shellBin string, simDirs, simEnv []string) []string {
	path := strings.Join(append([]string{shellBin}, simDirs...), string(os.PathListSeparator))
	var env []string
	for _, kv := range base {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			path += string(os.PathListSeparator) + strings.TrimPrefix(kv, "PATH=")
		case strings.HasPrefix(kv, "PS1="), strings.HasPrefix(kv, "NIMWIZ_SIM_"):
		default:
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+path, "PS1=nimwiz-demo$ ", "NIMWIZ_DEMO_SHELL=1")
	return append(env, simEnv...)
}

// rawErr is stderr as it is (the shell's own terminal).
func rawErr(a *app) io.Writer {
	if u, ok := a.stderr.(interface{ Unwrap() io.Writer }); ok {
		return u.Unwrap()
	}
	return a.stderr
}
