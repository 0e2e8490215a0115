package nim

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// SearchDirs is where NIM and xCAT commands live on an xCAT management node
// when they are not on PATH (sudo and cron give a bare PATH).
var SearchDirs = []string{"/opt/xcat/bin", "/opt/xcat/sbin", "/usr/sbin", "/usr/bin"}

// DefaultQueryTimeout bounds every query; a hung lsnim must not freeze nimwiz.
const DefaultQueryTimeout = 60 * time.Second

// Executor runs NIM/xCAT commands by argv, never through a shell.
type Executor struct {
	// Dirs, when set, is the only place commands are looked up (the demo's
	// simulated commands); otherwise PATH, then SearchDirs.
	Dirs []string
	// Env is set on top of the environment every command gets (Environ).
	Env []string
	// Base replaces the caller's environment (os.Environ) in Environ: tests.
	Base []string
	// LiveDir, when set, is the directory of the live module (see
	// InstallLiveModule): every command gets PERL5OPT and PERL5LIB to load
	// it, so an xCAT client's output is not held back in Perl's buffer.
	LiveDir string
	// Timeout bounds each query; zero means DefaultQueryTimeout.
	Timeout time.Duration
	// Hint, when set, is added to "command not found" errors (it tells the
	// admin where nimwiz is meant to run).
	Hint string
	// Observe, when set, is told of every query after it ran (for counting
	// commands in benchmarks and for showing the admin what ran).
	Observe func(Result)
}

// Result is the outcome of one command.
type Result struct {
	Argv     []string
	Stdout   []byte
	Stderr   []byte
	ExitCode int
	Duration time.Duration
}

// CommandError says which command failed and how. Callers inspect Result for
// NIM/xCAT messages (see ParseMessages).
type CommandError struct {
	Result Result
	Err    error // the cause: a timeout, a missing binary, or a non-zero exit
}

func (e *CommandError) Error() string {
	msg := strings.TrimSpace(firstLine(e.Result.Stderr))
	if msg != "" {
		return fmt.Sprintf("%s: %v: %s", strings.Join(e.Result.Argv, " "), e.Err, msg)
	}
	return fmt.Sprintf("%s: %v", strings.Join(e.Result.Argv, " "), e.Err)
}

func (e *CommandError) Unwrap() error { return e.Err }

// ErrTimeout marks a query that ran past the executor's timeout.
var ErrTimeout = errors.New("timed out")

// ErrNotFound marks a command that is not installed.
var ErrNotFound = errors.New("command not found")

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

// LookPath resolves a command name the way the executor runs it.
func (e *Executor) LookPath(name string) (string, error) {
	if strings.ContainsRune(name, '/') {
		return "", fmt.Errorf("%s: command names must not contain '/'", name)
	}
	dirs := e.Dirs
	if len(dirs) == 0 {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		dirs = SearchDirs
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	where := "PATH, " + strings.Join(SearchDirs, ", ")
	if len(e.Dirs) > 0 {
		where = strings.Join(e.Dirs, ", ")
	}
	if e.Hint != "" {
		return "", fmt.Errorf("%s: %w in %s; %s", name, ErrNotFound, where, e.Hint)
	}
	return "", fmt.Errorf("%s: %w in %s", name, ErrNotFound, where)
}

// Environ is the environment every command gets (xcat-client-behaviour.md
// §3): the caller's own, because the xCAT clients need PERL5LIB (on AIX
// from /etc/environment, or they cannot load XML::Simple: xcat-core issue
// #546) and honour XCATHOST, XCATROOT and XCATSSLVER; with LANG=C and
// LC_ALL=C so messages are the English ones the parsers know (other LC_*
// dropped); without the variables that change what the clients print or
// where they run (XCATBYPASS runs the plugin in-process, XCATSHOWXML,
// XCATXMLTRACE, XCATXMLWARNING and XCATSHOWSVR alter the output); with the
// live module when LiveDir is set; then the executor's Env on top.
func (e *Executor) Environ() []string {
	base := e.Base
	if base == nil {
		base = os.Environ()
	}
	env := make(map[string]string, len(base)+8)
	var order []string
	set := func(k, v string) {
		if _, ok := env[k]; !ok {
			order = append(order, k)
		}
		env[k] = v
	}
	for _, kv := range base {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || dropEnv[k] || strings.HasPrefix(k, "LC_") {
			continue
		}
		set(k, v)
	}
	set("LANG", "C")
	set("LC_ALL", "C")
	if _, ok := env["PERL5LIB"]; !ok {
		if v := systemEnvironment("PERL5LIB"); v != "" {
			set("PERL5LIB", v)
		}
	}
	if e.LiveDir != "" {
		if _, ok := env["PERL5OPT"]; !ok {
			order = append(order, "PERL5OPT")
		}
		if _, ok := env["PERL5LIB"]; !ok {
			order = append(order, "PERL5LIB")
		}
		liveEnv(env, e.LiveDir)
	}
	for _, kv := range e.Env {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			set(k, v)
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+env[k])
	}
	return out
}

// dropEnv are the caller's variables a command never gets: they change what
// an xCAT client prints or make it bypass xcatd (perl-xCAT/xCAT/Client.pm
// at 2.9.2_aix_release: XCATBYPASS L160, XCATXMLTRACE L333, XCATXMLWARNING
// L337, XCATSHOWXML in handle_response L1082; XCATSHOWSVR at HEAD), and
// nimwiz's own descriptor variable, which only the job supervisor sets.
var dropEnv = map[string]bool{
	"XCATBYPASS": true, "XCATSHOWXML": true, "XCATXMLTRACE": true,
	"XCATXMLWARNING": true, "XCATSHOWSVR": true, LiveFDEnv: true,
}

// SystemEnvironmentFile is AIX's system-wide environment, read by login;
// installing xCAT-client appends PERL5LIB to it (xCAT-client.spec at
// 2.9.2_aix_release L319-322). nimwiz reads it only for PERL5LIB, when the
// caller has none (cron, su without -), and only if root owns it and nobody
// else can write it.
var SystemEnvironmentFile = "/etc/environment"

// systemEnvironment returns key's value in SystemEnvironmentFile, or "".
func systemEnvironment(key string) string {
	f, err := os.Open(SystemEnvironmentFile)
	if err != nil {
		return ""
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o022 != 0 || fi.Size() > 1<<20 {
		return ""
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); !ok || st.Uid != 0 {
		return ""
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return ""
	}
	val := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			val = strings.TrimSpace(v) // the last one wins, as for login
		}
	}
	return val
}

// Command builds an exec.Cmd for name and args with the executor's lookup and
// environment, stdin from /dev/null. Callers set stdout/stderr and process
// attributes (the job runner) or use Query.
func (e *Executor) Command(name string, args ...string) (*exec.Cmd, error) {
	path, err := e.LookPath(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.Args[0] = name
	cmd.Env = e.Environ()
	cmd.Stdin = nil // /dev/null
	return cmd, nil
}

// Query runs a short command with a timeout and returns its output. A non-zero
// exit gives both the Result and a *CommandError.
func (e *Executor) Query(ctx context.Context, name string, args ...string) (Result, error) {
	timeout := e.Timeout
	if timeout <= 0 {
		timeout = DefaultQueryTimeout
	}
	return e.run(ctx, timeout, false, name, args)
}

// Run runs a command that may take long (one that changes the master, such
// as rmnimimage or chdef) with timeout as a backstop against a hung xcatd
// (zero or less: ctx alone bounds it). Unlike Query, stdout and stderr are
// captured together in output order, in Result.Stdout: the commands'
// messages interleave the two streams. A non-zero exit gives both the
// Result and a *CommandError.
func (e *Executor) Run(ctx context.Context, timeout time.Duration, name string, args ...string) (Result, error) {
	return e.run(ctx, timeout, true, name, args)
}

// run runs name and waits for it, killing it when ctx ends or timeout
// passes; combined puts stderr into Stdout.
func (e *Executor) run(ctx context.Context, timeout time.Duration, combined bool, name string, args []string) (Result, error) {
	argv := append([]string{name}, args...)
	res := Result{Argv: argv, ExitCode: -1}
	cmd, err := e.Command(name, args...)
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if combined {
		cmd.Stderr = &stdout
	}
	cmd.WaitDelay = 2 * time.Second // grandchildren holding the pipes must not hang us
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		switch {
		case timeout > 0 && ctx.Err() == context.DeadlineExceeded && combined:
			// A command that changes the master: killing the xCAT client
			// stops only the client; xcatd's plugin goes on unseen
			// (xcat-client-behaviour.md §2).
			err = fmt.Errorf("%w after %s: the command was stopped, but xcatd may still be working on the NIM master; look (lsdef -t osimage, lsnim -l) before doing anything else", ErrTimeout, timeout)
		case timeout > 0 && ctx.Err() == context.DeadlineExceeded:
			err = fmt.Errorf("%w after %s", ErrTimeout, timeout)
		default:
			err = ctx.Err()
		}
	}
	res.Stdout, res.Duration = stdout.Bytes(), time.Since(start)
	if !combined {
		res.Stderr = stderr.Bytes()
	}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if e.Observe != nil {
		e.Observe(res)
	}
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	return res, nil
}

// Stream runs a query whose lines matter as they arrive (xdsh's per-node
// answers): onLine gets every line of stdout and stderr, one call at a
// time, in the order each stream delivers them. timeout bounds the whole
// run. The Result holds the exit status only; a non-zero exit gives a
// *CommandError as Query does.
func (e *Executor) Stream(ctx context.Context, timeout time.Duration, name string, args []string, onLine func(string)) (Result, error) {
	argv := append([]string{name}, args...)
	res := Result{Argv: argv, ExitCode: -1}
	cmd, err := e.Command(name, args...)
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	outR, err := cmd.StdoutPipe()
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	errR, err := cmd.StderrPipe()
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	read := func(r io.Reader) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			mu.Lock()
			onLine(sc.Text())
			mu.Unlock()
		}
	}
	wg.Add(2)
	go read(outR)
	go read(errR)
	readDone := make(chan struct{})
	go func() { wg.Wait(); close(readDone) }()
	select {
	case <-readDone:
		err = cmd.Wait()
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		_ = outR.(io.Closer).Close()
		_ = errR.(io.Closer).Close()
		<-readDone
		_ = cmd.Wait()
		if timeout > 0 && ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("%w after %s", ErrTimeout, timeout)
		} else {
			err = ctx.Err()
		}
	}
	res.Duration = time.Since(start)
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if e.Observe != nil {
		e.Observe(res)
	}
	if err != nil {
		return res, &CommandError{Result: res, Err: err}
	}
	return res, nil
}
