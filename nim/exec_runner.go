package nim

import (
	"context"
	"fmt"
	"time"
)

// ChangeTimeout bounds a command that changes the master (rmnimimage,
// chdef). Removing a SPOT (nim -Fo remove, then rm -R of gigabytes with -d)
// on the management node and every service node can take many minutes;
// killing rmnimimage half-way leaves resources half-removed, so this is only
// a backstop against a hung xcatd, not a limit expected to be reached.
const ChangeTimeout = 30 * time.Minute

// ExecRunner runs the commands that change the master through the
// executor: by argv, with the executor's lookup and environment, stdout and
// stderr captured together in output order (rmnimimage's messages
// interleave them). It does not use Query's timeout: removal can take many
// minutes; Timeout (default ChangeTimeout) is a backstop against a hung
// xcatd.
type ExecRunner struct {
	Exec    *Executor
	Timeout time.Duration
}

// Run runs argv with Executor.Run. Result.Stdout holds both streams; a
// non-zero exit gives a *CommandError along with the Result.
func (r ExecRunner) Run(ctx context.Context, argv []string) (Result, error) {
	if len(argv) == 0 {
		return Result{Argv: argv, ExitCode: -1}, fmt.Errorf("no command")
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = ChangeTimeout
	}
	return r.Exec.Run(ctx, timeout, argv[0], argv[1:]...)
}
