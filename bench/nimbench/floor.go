package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// The floor: the least any design can do that keeps mknimimage in a job of
// its own, as nimwiz must (the job outlives the terminal): a front end
// starts a detached process, which runs the producer into a pipe and copies
// it to a log; the front end copies the log to its stdout as it grows and
// ends when the job has. No records, locks, fsyncs, phase tracking or
// ending: what nimwiz adds beyond this row is its own cost, and what this
// row adds to "producer alone" no design of that shape avoids.
//
//	nimbench __relay LOG -- PRODUCER ARGS...      (the front end)
//	nimbench __relay-job LOG -- PRODUCER ARGS...  (the job)

const (
	relayFront     = "__relay"
	relayJob       = "__relay-job"
	relayFrontFile = "__relay-file"
	relayJobFile   = "__relay-job-file"
)

// relayMain runs a relay role when nimbench was started as one.
func relayMain(args []string) (int, bool) {
	if len(args) < 4 || args[2] != "--" {
		return 0, false
	}
	var err error
	switch args[0] {
	case relayFront:
		err = runRelayFront(relayJob, args[1], args[3:])
	case relayFrontFile:
		err = runRelayFront(relayJobFile, args[1], args[3:])
	case relayJob:
		err = runRelayJob(args[1], args[3:], true)
	case relayJobFile:
		err = runRelayJob(args[1], args[3:], false)
	default:
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "nimbench %s: %v\n", args[0], err)
		return 1, true
	}
	return 0, true
}

func runRelayFront(role, logPath string, argv []string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.WriteFile(logPath, nil, 0o600); err != nil {
		return err
	}
	job := exec.Command(self, append([]string{role, logPath, "--"}, argv...)...)
	job.Stderr = os.Stderr
	job.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := job.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- job.Wait() }()
	log, err := os.Open(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	// The same reading as apply: 1 MiB reads, polled 2 ms after output,
	// backing off to 100 ms without.
	buf := make([]byte, 1<<20)
	every, ended := 2*time.Millisecond, false
	var jobErr error
	for {
		n, err := io.CopyBuffer(os.Stdout, log, buf)
		if err != nil {
			return err
		}
		if ended {
			return jobErr
		}
		if n > 0 {
			every = 2 * time.Millisecond
		} else {
			every = min(2*every, 100*time.Millisecond)
		}
		select {
		case jobErr = <-done:
			ended = true // read what is left, then stop
		case <-time.After(every):
		}
	}
}

// runRelayJob runs the producer into a pipe copied to the log (piped), or
// with the log itself as its output.
func runRelayJob(logPath string, argv []string, piped bool) error {
	log, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	if !piped {
		cmd.Stdout, cmd.Stderr = log, log
		return cmd.Run()
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	growPipe(pr, 256<<10) // as the supervisor does
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return err
	}
	pw.Close()
	buf := make([]byte, 256<<10)
	_, cerr := io.CopyBuffer(log, onlyReader{pr}, buf)
	return errors.Join(cerr, cmd.Wait())
}

// onlyReader hides ReadFrom/WriteTo so io.CopyBuffer really copies through
// user space, as a supervisor that looks at the output must.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// viaFloor runs the relay (role relayFront or relayFrontFile) with the
// demo's mknimimage, stdout to a file.
func viaFloor(dir string, n int, role string) (streamRow, error) {
	r := streamRow{mode: "floor: minimal detached relay, through a pipe"}
	if role == relayFrontFile {
		r.mode = "floor: minimal detached relay, mknimimage writes the log"
	}
	if err := demoDir(dir, nil); err != nil {
		return r, err
	}
	args := floodPlan.WithDefaults().Args()
	if len(args) > 0 && args[0] == "mknimimage" {
		args = args[1:]
	}
	prod, err := demoExec(dir, floodEnv(n)...).Command("mknimimage", args...)
	if err != nil {
		return r, err
	}
	self, err := os.Executable()
	if err != nil {
		return r, err
	}
	logPath, outPath := filepath.Join(dir, "relay.log"), filepath.Join(dir, "stdout")
	cmd := exec.Command(self, append([]string{role, logPath, "--", prod.Path}, prod.Args[1:]...)...)
	cmd.Env = prod.Env
	cpu0 := childrenCPU()
	if err := r.runFront(cmd, outPath); err != nil {
		return r, err
	}
	r.nimwizCPU = childrenCPU() - cpu0
	r.detail = "(relay and producer together)"
	r.hash, r.bytes, err = fileHash(logPath)
	if err != nil {
		return r, err
	}
	if h, _, err := fileHash(outPath); err != nil || h != r.hash {
		return r, fmt.Errorf("the relay's stdout (sha256 %s) differs from its log (%s)", h, r.hash)
	}
	return r, nil
}
