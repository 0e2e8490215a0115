package main

import (
	"errors"
	"flag"
	"fmt"
)

// Exit codes shared by every verb.
const (
	exitOK          = 0
	exitFail        = 1   // the job or a NIM/xCAT command failed
	exitUsage       = 2   // bad input: nothing was run
	exitInterrupted = 130 // a run interrupted on purpose
)

// exitError ends a verb that did not succeed: its exit status and, unless
// the verb already said why, what went wrong. Verbs return errors; exit
// turns them into a message and a status, in one place.
type exitError struct {
	code int
	err  error // nil: nothing more to say
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is bad input: exit 2, nothing was run.
func usageError(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

// failure is a failed command or job: exit 1.
func failure(format string, args ...any) error {
	return &exitError{exitFail, fmt.Errorf(format, args...)}
}

// flagError is how a verb ends when its flags could not be parsed: -h
// (the usage was printed) with 0, a bad flag (the flag set said why) 2.
func flagError(err error) error {
	if err == flag.ErrHelp {
		return &exitError{code: exitOK}
	}
	return exitStatus(exitUsage)
}

// exitStatus ends with code, the verb having said all there is to say.
func exitStatus(code int) error {
	if code == exitOK {
		return nil
	}
	return &exitError{code: code}
}

// exit says err, after "nimwiz NAME: " (NAME the verb, or none), and
// returns the exit status: 0 for nil, exitError's code, else 1.
func (a *app) exit(name string, err error) int {
	if err == nil {
		return exitOK
	}
	code, msg := exitFail, err
	var e *exitError
	if errors.As(err, &e) {
		code, msg = e.code, e.err
	}
	if msg != nil {
		prefix := "nimwiz: "
		if name != "" {
			prefix = "nimwiz " + name + ": "
		}
		fmt.Fprintf(a.stderr, "%s%v\n", prefix, msg)
	}
	return code
}

// do runs the verb called name with args and returns its exit status.
func (a *app) do(name string, args []string) int {
	return a.exit(name, verbs[name].run(a, args))
}
