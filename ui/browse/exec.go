package browse

import (
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

// Run runs argv with nim.Executor.Run. Result.Stdout holds both streams; a
// non-zero exit gives a *nim.CommandError along with the Result.
func (r ExecRunner) Run(ctx context.Context, argv []string) (nim.Result, error) {
	if len(argv) == 0 {
		return nim.Result{Argv: argv, ExitCode: -1}, fmt.Errorf("no command")
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = runTimeout
	}
	return r.Exec.Run(ctx, timeout, argv[0], argv[1:]...)
}
