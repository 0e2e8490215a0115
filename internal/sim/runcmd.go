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
// Only NIM's long work goes through here (nim -Fo define, cpcosi,
// xcatchroot), as a child process of the plugin run from p.binDir (or in
// this process when p.binDir is ""). GUESS: the shell execs the command
// rather than waiting for it (ksh and dash do that for a single command),
// so the plugin's child is the command itself; the sim splits the command
// into words as the shell would (quotes kept together), and a trailing
// ">/dev/null" throws the output away.
func (p *proc) runcmd(cmd string) (string, int) {
	words := shellWords(cmd)
	discard := false
	for len(words) > 0 {
		last := words[len(words)-1]
		if last == "2>&1" {
			words = words[:len(words)-1]
			continue
		}
		if last == ">/dev/null" {
			words, discard = words[:len(words)-1], true
			continue
		}
		break
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
	if discard {
		return "", rc
	}
	return strings.TrimSuffix(out.String(), "\n"), rc
}

// shellWords splits a command line into words as a POSIX shell does for
// the commands xCAT builds: blanks separate, single and double quotes hold
// a word together (and are removed). Nothing else is interpreted.
func shellWords(cmd string) []string {
	var words []string
	var cur strings.Builder
	in := false // inside a word
	quote := byte(0)
	for i := 0; i < len(cmd); i++ {
		c := cmd[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words
}

// runcmd is p.runcmd after the -V line xCAT's runcmd prints.
func (r *mkrun) runcmd(cmd string) (string, int) {
	r.vrun(cmd)
	return r.p.runcmd(cmd)
}
