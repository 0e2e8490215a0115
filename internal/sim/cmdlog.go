package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The command log: every simulated command appends one JSON line
// (time, pid, argv) to <root>/var/sim/commands.log before it does anything,
// so tests can prove what nimwiz ran, and above all what it did not run. An
// xCAT client's line is written by xcatd's connection process when the
// request arrives (argv: the client's command name, then its arguments; pid:
// the client's); the NIM commands xCAT's plugin runs are marked by "xcatd".
// Lines are written with one O_APPEND write each: concurrent commands never
// interleave within a line.

const cmdLogRel = "var/sim/commands.log"

// CommandLogPath is the command log of the world rooted at root.
func CommandLogPath(root string) string { return filepath.Join(root, filepath.FromSlash(cmdLogRel)) }

// Invocation is one line of the command log.
type Invocation struct {
	Time time.Time `json:"time"`
	PID  int       `json:"pid"`
	Argv []string  `json:"argv"`
	// By is "" for a command nimwiz ran (an xCAT client: logged by xcatd
	// with the client's pid) and "xcatd" for one an xCAT plugin ran (NIM's
	// define under mknimimage).
	By string `json:"by,omitempty"`
}

// logInvocation records argv (name first) in the command log.
func (p *proc) logInvocation(pid int, argv []string, by string) {
	if p.st.root == "" {
		return
	}
	line, err := json.Marshal(Invocation{Time: time.Now().UTC(), PID: pid, Argv: argv, By: by})
	if err != nil {
		return
	}
	path := CommandLogPath(p.st.root)
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = f.Write(append(line, '\n'))
}

// ReadCommandLog returns the invocations recorded in the world rooted at
// root, oldest first. No log means nothing ran.
func ReadCommandLog(root string) ([]Invocation, error) {
	b, err := os.ReadFile(CommandLogPath(root))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Invocation
	for i, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var inv Invocation
		if err := json.Unmarshal(line, &inv); err != nil {
			return out, fmt.Errorf("%s line %d: %w", CommandLogPath(root), i+1, err)
		}
		out = append(out, inv)
	}
	return out, nil
}

// Output faults (NIMWIZ_SIM_GARBLE_QUERY=<command>, NIMWIZ_SIM_GARBLE=<mode>):
// the named command runs as usual but what it prints is spoiled, the way a
// broken NFS mount, a half-upgraded fileset or a newer AIX might:
//
//	truncated  stdout cut in the middle of a line (exit status kept)
//	garbage    stdout replaced by binary junk, exit 0
//	code       nothing on stdout; an unknown 0042 message on stderr, exit 1
//	empty      nothing at all, exit 0
//
// An xCAT command's output can only be spoiled the ways its client lets
// through (garbleReplies): truncated is xcatd's connection dropping in the
// middle of a reply (the text cut mid-line, the client's "communication with
// the xCAT server seems to have been ended prematurely", exit 1); garbage
// is a reply of junk, which xcatd turns into "?"s outside tab..DEL; code an
// error reply; empty a reply of nothing.
const (
	GarbleTruncated = "truncated"
	GarbleGarbage   = "garbage"
	GarbleCode      = "code"
	GarbleEmpty     = "empty"
)

// garbled runs fn with its output captured and spoiled per mode.
func (p *proc) garbled(mode string, fn func() int) int {
	out, errb := p.stdout, p.stderr
	var bo, be bytes.Buffer
	p.stdout, p.stderr = &bo, &be
	code := fn()
	p.stdout, p.stderr = out, errb
	switch mode {
	case GarbleTruncated:
		b := bo.Bytes()
		cut := len(b) / 2
		// Cut inside a line, never right after a newline.
		for cut > 0 && cut < len(b) && b[cut-1] == '\n' {
			cut--
		}
		_, _ = out.Write(b[:cut])
		_, _ = io.Copy(errb, &be)
		return code
	case GarbleGarbage:
		_, _ = out.Write([]byte("\x00\x1b[31m\xff\xfe#!%@ 0x7f3a NIM-ODM\x00\x00 corrupt\x01\n\x8f\x90\n"))
		return 0
	case GarbleCode:
		fmt.Fprintf(errb, "0042-999 %s: an unexpected condition occurred (code 1234).\n\tPlease report this to your service representative.\n", p.name)
		return 1
	case GarbleEmpty:
		return 0
	}
	_, _ = io.Copy(out, &bo)
	_, _ = io.Copy(errb, &be)
	return code
}

// garbleReplies sends the replies an xCAT command produced (rs), spoiled
// per NIMWIZ_SIM_GARBLE, to out. It reports whether the connection is cut
// (no serverdone follows).
func garbleReplies(p *proc, rs []response, out responder) (cut bool) {
	switch p.getenv("NIMWIZ_SIM_GARBLE") {
	case GarbleTruncated:
		var lines []string
		for _, r := range rs {
			lines = append(lines, r.Info...)
		}
		b := strings.Join(lines, "\n")
		n := len(b) / 2
		for n > 0 && n < len(b) && b[n-1] == '\n' {
			n--
		}
		if n > 0 {
			out.send(response{Info: []string{b[:n]}})
		}
		return true
	case GarbleGarbage:
		out.send(response{Info: []string{"\x00\x1b[31m\xff\xfe#!%@ 0x7f3a NIM-ODM\x00\x00 corrupt\x01\n\x8f\x90"}})
		return false
	case GarbleCode:
		out.send(response{Error: []string{fmt.Sprintf("0042-999 %s: an unexpected condition occurred (code 1234).\n\tPlease report this to your service representative.", p.name)}, ErrorCode: []int{1}})
		return false
	case GarbleEmpty:
		return false
	}
	for _, r := range rs {
		out.send(r)
	}
	return false
}
