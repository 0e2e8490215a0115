package nim

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"strconv"
	"strings"
)

// When the xCAT client ends without its summary and without an abort
// (killed by HUP, KILL or PIPE, or its connection broke), xcatd's plugin goes
// on: it ignores the client's EOF and swallows failed sends
// (xCAT-server/sbin/xcatd at 2.9.2_aix_release, relay_fds L2431-2489 and the
// PIPE handler L203-206). nimwiz sees whether NIM still works for an image by
// the processes on the master: ps lists the NIM commands the plugin runs,
// with the image's names in their arguments (nim -Fo define -t spot ...
// NAME, cpcosi ... NAME, xcatchroot -i NAME), and xcatd's instances, whose
// titles say which xCAT command they serve ("xCATd SSL: mknimimage for
// root@host: aixinstall instance", xcatd 2.9.2 L1269, L1519, L2324-2330;
// GUESS: that AIX's ps shows Perl's $0, as Linux's does).

// Process is one line of ps -e -o pid,ppid,args.
type Process struct {
	PID, PPID int
	Args      string
}

func (p Process) String() string { return fmt.Sprintf("pid %d: %s", p.PID, p.Args) }

// PsArgs is the ps argv nimwiz runs: POSIX options, the same on AIX.
var PsArgs = []string{"-e", "-o", "pid,ppid,args"}

// ParseProcesses parses ps -e -o pid,ppid,args (header first). A line that
// is not "pid ppid args" is an error: a ps nimwiz does not understand must
// not read as "nothing runs".
func ParseProcesses(out []byte) ([]Process, error) {
	var ps []Process
	header := false
	for _, line := range bytes.Split(out, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		if s == "" {
			continue
		}
		f := strings.Fields(s)
		if !header {
			if len(f) >= 2 && f[0] == "PID" && f[1] == "PPID" {
				header = true
				continue
			}
			return nil, fmt.Errorf("ps: no header line (PID PPID COMMAND) in %q", firstLine([]byte(s)))
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("ps: cannot read %q", s)
		}
		pid, err1 := strconv.Atoi(f[0])
		ppid, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil || pid <= 0 {
			return nil, fmt.Errorf("ps: cannot read %q", s)
		}
		// The arguments as printed, after the two number columns.
		_, rest, _ := strings.Cut(s, f[0])
		rest = strings.TrimLeft(rest, " \t")
		_, rest, _ = strings.Cut(rest, f[1])
		ps = append(ps, Process{PID: pid, PPID: ppid, Args: strings.TrimSpace(rest)})
	}
	if !header {
		return nil, fmt.Errorf("ps printed nothing")
	}
	return ps, nil
}

// WorksFor reports whether a process is NIM or xCAT work for one of names:
// one of its arguments is a name (whole, or a path element), or it is an
// xcatd instance serving one of commands (e.g. "mknimimage").
func (p Process) WorksFor(names []string, commands []string) bool {
	if strings.Contains(p.Args, "xCATd") || strings.HasPrefix(p.Args, "xcatd") {
		for _, c := range commands {
			if strings.Contains(p.Args, ": "+c+" ") || strings.HasSuffix(p.Args, ": "+c) || strings.Contains(p.Args, " "+c+" for ") {
				return true
			}
		}
		return false
	}
	for _, tok := range strings.FieldsFunc(p.Args, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '/' || r == '=' || r == '\'' || r == '"' || r == ',' || r == ':'
	}) {
		for _, n := range names {
			if tok == n {
				return true
			}
		}
	}
	return false
}

// Activity returns the processes on the master that work for one of names
// (WorksFor, with the xCAT commands that change osimages), leaving out the
// pids in ignore, this process, and nimwiz's own processes.
func (c *Client) Activity(ctx context.Context, names []string, ignore ...int) ([]Process, error) {
	res, err := c.Exec.Query(ctx, "ps", PsArgs...)
	if err != nil {
		return nil, err
	}
	all, err := ParseProcesses(res.Stdout)
	if err != nil {
		return nil, err
	}
	self := os.Getpid()
	var out []Process
	for _, p := range all {
		if p.PID == self || containsInt(ignore, p.PID) {
			continue
		}
		prog, _, _ := strings.Cut(p.Args, " ")
		if b := path.Base(prog); b == "nimwiz" || b == "ps" {
			continue
		}
		if p.WorksFor(names, changingCommands) {
			out = append(out, p)
		}
	}
	return out, nil
}

// changingCommands are the xCAT commands whose xcatd instances may be
// working on an osimage.
var changingCommands = []string{"mknimimage", "rmnimimage", "chdef", "mkdsklsnode", "rmdsklsnode"}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
