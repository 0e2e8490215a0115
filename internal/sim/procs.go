package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// The process registry: every simulated process (the Perl client, xcatd's
// connection and plugin processes, NIM's define, the AIX commands) writes
// <root>/var/sim/procs/<pid> when it starts and removes it when it ends, so
// the simulated ps lists this world's live processes, and nothing else. A
// process killed by a signal cannot remove its entry: an entry counts only
// while its pid is alive and, where /proc/<pid>/stat exists (Linux), not a
// zombie and started at the time the entry says (a reused pid is another
// process). ps removes the dead entries it meets.

const procsRel = "var/sim/procs"

// Process is one live process of a simulated world.
type Process struct {
	PID   int    `json:"pid"`
	PPID  int    `json:"ppid"`
	Start string `json:"start"` // /proc/<pid>/stat starttime, "" where there is none
	Args  string `json:"args"`  // what ps shows as args: argv, or xcatd's process title
}

// procStat reads state, ppid and starttime from /proc/<pid>/stat.
func procStat(pid int) (state string, ppid int, start string, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0, "", false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", 0, "", false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return "", 0, "", false
	}
	ppid, _ = strconv.Atoi(f[1])
	return f[0], ppid, f[19], true
}

func hasProc() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}

// register adds this process to the registry with args; the returned
// function removes it.
func (st store) register(args string) func() {
	if st.root == "" {
		return func() {}
	}
	pid := os.Getpid()
	e := Process{PID: pid, PPID: os.Getppid(), Args: args}
	if _, _, start, ok := procStat(pid); ok {
		e.Start = start
	}
	dir := st.path(procsRel)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return func() {}
	}
	b, _ := json.Marshal(e)
	tmp := filepath.Join(dir, fmt.Sprintf(".%d.tmp", pid))
	final := filepath.Join(dir, strconv.Itoa(pid))
	if os.WriteFile(tmp, append(b, '\n'), 0o644) != nil || os.Rename(tmp, final) != nil {
		os.Remove(tmp)
		return func() {}
	}
	return func() { os.Remove(final) }
}

// retitle replaces this process's args in the registry (xcatd sets its
// process title once it knows the command, 2.9.2 xcatd L2324-2330).
func (st store) retitle(args string) func() {
	return st.register(args)
}

// alive reports whether e is still the process it registered.
func alive(e Process) bool {
	err := syscall.Kill(e.PID, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	state, _, start, ok := procStat(e.PID)
	if !ok {
		return !hasProc()
	}
	if state == "Z" || state == "X" {
		return false
	}
	return e.Start == "" || e.Start == start
}

// Processes returns the live processes of the world rooted at root, by pid,
// with their current parent where /proc tells it. Entries of dead processes
// are removed.
func Processes(root string) ([]Process, error) {
	dir := filepath.Join(root, filepath.FromSlash(procsRel))
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Process
	for _, d := range ents {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, d.Name()))
		if err != nil {
			continue
		}
		var e Process
		if json.Unmarshal(b, &e) != nil || e.PID != pid {
			continue
		}
		if !alive(e) {
			os.Remove(filepath.Join(dir, d.Name()))
			continue
		}
		if _, ppid, _, ok := procStat(pid); ok {
			e.PPID = ppid
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out, nil
}

var psSpec = optSpec{
	short: map[byte]bool{'e': false, 'A': false, 'f': false, 'o': true, 'p': true},
}

const psUsage = `ps: Not a recognized flag: %s
Usage: ps [-ANaedfklmM] [-n namelist] [-F Format|-o specifier[=header],...]
		[-p proclist][-G|-g grouplist] [-t termlist] [-U|-u userlist] [-c classlist] [ -T pid] [ -L pidlist] [-X]
Usage: ps [aceglnsuvwxU] [t tty] [processnumber]
`

// ps answers "ps -e -o pid,ppid,args" and "ps -p PIDLIST -o pid,ppid,args"
// (also comm, and -f) with this world's live processes, in AIX's layout: a
// header, the numbers right-aligned. GUESS: the column width (8) and the
// exit status 1 when -p matches no process; AIX's documentation gives the
// headings (PID, PPID, COMMAND) but no sample of -o output.
func (p *proc) ps(argv []string) int {
	op, err := psSpec.parse(argv, false)
	if err != nil || len(op.args) > 0 {
		flag := "?"
		if err != nil {
			flag = strings.TrimPrefix(err.Error(), "Unknown option: ")
		} else {
			flag = op.args[0]
		}
		fmt.Fprintf(p.stderr, psUsage, flag)
		return 1
	}
	format := []string{"pid", "ppid", "args"}
	if op.has('f') {
		format = []string{"uid", "pid", "ppid", "args"}
	}
	if v := op.val['o']; len(v) > 0 {
		format = nil
		for _, o := range v {
			for _, f := range strings.FieldsFunc(o, func(r rune) bool { return r == ',' || r == ' ' }) {
				format = append(format, strings.TrimSuffix(f, "="))
			}
		}
	}
	heads := map[string]string{"pid": "PID", "ppid": "PPID", "args": "COMMAND", "comm": "COMMAND", "uid": "UID", "user": "USER"}
	for _, f := range format {
		if _, ok := heads[f]; !ok {
			fmt.Fprintf(p.stderr, "ps: %s is not a valid field name.\n", f)
			return 1
		}
	}
	procs, err := Processes(p.st.root)
	if err != nil {
		fmt.Fprintf(p.stderr, "ps: %v\n", err)
		return 1
	}
	var want map[int]bool
	if v := op.val['p']; len(v) > 0 {
		want = map[int]bool{}
		for _, s := range v {
			for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
				n, err := strconv.Atoi(f)
				if err != nil {
					fmt.Fprintf(p.stderr, "ps: %s is not a valid process ID.\n", f)
					return 1
				}
				want[n] = true
			}
		}
	}
	cell := func(f string, e Process) string {
		switch f {
		case "pid":
			return fmt.Sprintf("%8d", e.PID)
		case "ppid":
			return fmt.Sprintf("%8d", e.PPID)
		case "uid", "user":
			return fmt.Sprintf("%8s", "root")
		case "comm":
			c := e.Args
			if i := strings.IndexByte(c, ' '); i >= 0 {
				c = c[:i]
			}
			return filepath.Base(c)
		}
		return e.Args
	}
	var b strings.Builder
	for i, f := range format {
		if i > 0 {
			b.WriteByte(' ')
		}
		h := heads[f]
		if f == "pid" || f == "ppid" || f == "uid" || f == "user" {
			h = fmt.Sprintf("%8s", h)
		}
		b.WriteString(h)
	}
	b.WriteByte('\n')
	n := 0
	for _, e := range procs {
		if want != nil && !want[e.PID] {
			continue
		}
		n++
		for i, f := range format {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(cell(f, e))
		}
		b.WriteByte('\n')
	}
	fmt.Fprint(p.stdout, b.String())
	if want != nil && n == 0 {
		return 1
	}
	return 0
}
