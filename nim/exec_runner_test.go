package nim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// ExecRunner runs a real process by argv: both streams in output order,
// the exit code, Observe told.
func TestExecRunner(t *testing.T) {
	e := scriptExec(t, "rmnimimage", `echo "Removed the xCAT osimage definition '$2'."
echo "Error: One or more resources are being used in other osimage definitions." >&2
echo "Error: Return=1." >&2
exit 1
`)
	var seen []string
	e.Observe = func(r Result) { seen = append(seen, strings.Join(r.Argv, " ")) }
	res, err := ExecRunner{Exec: e}.Run(context.Background(), []string{"rmnimimage", "-x", "a b"})
	var ce *CommandError
	if !errors.As(err, &ce) || res.ExitCode != 1 {
		t.Fatalf("err %v, exit %d", err, res.ExitCode)
	}
	want := "Removed the xCAT osimage definition 'a b'.\nError: One or more resources are being used in other osimage definitions.\nError: Return=1.\n"
	if string(res.Stdout) != want {
		t.Errorf("output %q", res.Stdout)
	}
	if rep := ParseRmnimimage(res.Stdout); !rep.SharedRefused {
		t.Errorf("report %+v", rep)
	}
	if len(seen) != 1 || seen[0] != "rmnimimage -x a b" {
		t.Errorf("observed %q", seen)
	}
}

func TestExecRunnerTimeout(t *testing.T) {
	e := scriptExec(t, "chdef", "exec sleep 30\n")
	_, err := ExecRunner{Exec: e, Timeout: 100 * time.Millisecond}.Run(context.Background(), []string{"chdef"})
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("err %v", err)
	}
	_, err = ExecRunner{Exec: e}.Run(context.Background(), []string{"nosuch"})
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing command: %v", err)
	}
}
