package browse

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// ExecRunner runs the browser's commands through the executor: by argv,
// with the executor's lookup and environment, stdout and stderr captured
// together in output order (rmnimimage's messages interleave them). It does
// not use Query's timeout: removal can take many minutes; Timeout (default
// 30 minutes) is a backstop against a hung xcatd.
type ExecRunner struct {
	Exec    *nim.Executor
	Timeout time.Duration
}

// Run runs argv. Result.Stdout holds both streams; a non-zero exit gives a
// *nim.CommandError along with the Result.
func (r ExecRunner) Run(ctx context.Context, argv []string) (nim.Result, error) {
	res := nim.Result{Argv: argv, ExitCode: -1}
	if len(argv) == 0 {
		return res, fmt.Errorf("no command")
	}
	cmd, err := r.Exec.Command(argv[0], argv[1:]...)
	if err != nil {
		return res, &nim.CommandError{Result: res, Err: err}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = runTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, &nim.CommandError{Result: res, Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		if ctx.Err() == context.DeadlineExceeded {
			err = fmt.Errorf("%w after %s", nim.ErrTimeout, timeout)
		} else {
			err = ctx.Err()
		}
	}
	res.Stdout, res.Duration = out.Bytes(), time.Since(start)
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if r.Exec.Observe != nil {
		r.Exec.Observe(res)
	}
	if err != nil {
		return res, &nim.CommandError{Result: res, Err: err}
	}
	return res, nil
}
