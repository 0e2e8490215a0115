package sim

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// runcmd runs cmd as perl-xCAT/xCAT/Utils.pm runcmd does at
// 2.9.2_aix_release (L968-1087): " 2>&1" is added unless cmd ends with it,
// then "@$outref = `$cmd`" (L995): the shell runs the command with stdout
// and stderr on one pipe that the plugin reads to the end, then waits for
// it. It returns the output, all lines joined and the last newline
// chomped, and $::RUNCMD_RC, which is "$? >> 8" (L1022): 0 for a command
// killed by a signal.
//
// Only NIM's define goes through here, as a child process of the plugin
// run from p.binDir (or in this process when p.binDir is ""). GUESS: the
// shell execs the command rather than waiting for it (ksh and dash do that
// for a single command), so the plugin's child is nim itself; the sim
// splits the command into words as the shell would.
func (p *proc) runcmd(cmd string) (string, int) {
	words := strings.Fields(cmd)
	for len(words) > 0 && words[len(words)-1] == "2>&1" {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return "", 127
	}
	var out bytes.Buffer
	rc := 0
	if p.binDir == "" {
		q := newProc(filepath.Base(words[0]), p.getenv, &out, &out)
		q.by = "xcatd"
		rc = q.run(words[1:])
	} else {
		c := exec.Command(filepath.Join(p.binDir, filepath.Base(words[0])), words[1:]...)
		c.Args[0] = words[0]
		c.Env = append(os.Environ(), "NIMWIZ_SIM_BY=xcatd")
		// One pipe for both streams, read by this process, as backticks do.
		r, w, err := os.Pipe()
		if err != nil {
			return err.Error(), 1
		}
		c.Stdout, c.Stderr = w, w
		if err := c.Start(); err != nil {
			r.Close()
			w.Close()
			return err.Error(), 127
		}
		w.Close()
		_, _ = out.ReadFrom(r)
		r.Close()
		err = c.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Exited() {
				rc = ws.ExitStatus()
			}
		}
	}
	return strings.TrimSuffix(out.String(), "\n"), rc
}

// runcmd is p.runcmd after the -V line xCAT's runcmd prints.
func (r *mkrun) runcmd(cmd string) (string, int) {
	r.vrun(cmd)
	return r.p.runcmd(cmd)
}
