package nim

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Asking every service node at once goes through xCAT's own engine, xdsh
// (xCAT-client/bin/xdsh, perl-xCAT/xCAT/DSHCLI.pm at 2.9.2_aix_release):
//
//   - nimwiz runs "xdsh sn1,sn2,... -v -t XdshTimeout -f XdshFanout CMD" by
//     argv. -f is xCAT's own default fan-out, 64 (DSHCLI.pm L2425: fanout ||
//     DSH_FANOUT || 64), given explicitly so a DSH_FANOUT of the admin's does
//     not change it; -t is the seconds without any output after which xdsh
//     kills the rest and reports them (L486-505: "Timed out waiting for
//     response from child processes for the following nodes. Terminating
//     the child processes. " then the node list, as errors); -v pings
//     first, and a node that does not answer gets "<node> is not
//     responding. No command will be issued to this host." as an error
//     (L3329-3340), printed "Error: ..." by the client (Client.pm L1100-1111).
//   - Every stdout and stderr line of the remote command comes back as
//     "<node>: <text>" (DSHCLI.pm buffer_output L1381-1415 prefixes
//     "$user_target: "); without -s a node's lines are sent together when
//     it ends (L563-612: its stdout as data, then its stderr with
//     NoErrorPrefix), so a fast node's answer arrives while a slow one
//     still works.
//   - CMD is a shell string on the far side. nimwiz builds it only from
//     fixed text and names that passed ValidName, each single-quoted; it
//     folds lsnim's stderr into stdout and ends with a marker line carrying
//     lsnim's exit status, so each node's answer is known complete (and the
//     0042-053 "no such object" lines stay in order).
//   - xdsh's own exit status is non-zero when any target failed; it is not
//     read: each node's fate is in its lines.

// XdshFanout is xCAT's default fan-out (DSHCLI.pm 2.9.2 L2425).
const XdshFanout = 64

// XdshTimeout is the -t nimwiz gives xdsh: seconds without output before
// xdsh gives up on the nodes still running.
const XdshTimeout = 60

// rcMarker starts the line nimwiz's remote command ends with.
const rcMarker = "nimwiz-rc:"

// lsnimPath is lsnim on an AIX SN.
const lsnimPath = "/usr/sbin/lsnim"

// shellQuote single-quotes a name that passed ValidName (no quote inside).
func shellQuote(s string) string { return "'" + s + "'" }

// LsnimRemote is the remote command of the fan-out: lsnim -l of names on
// each SN, its stderr folded in, then the marker with its exit status.
// Every name must pass ValidName; the command holds nothing else but fixed
// text.
func LsnimRemote(names []string) (string, error) { return RemoteQuery(names, nil) }

// lsSeparator is the line between lsnim's output and ls's.
const lsSeparator = "nimwiz-ls"

// lsPath is ls on AIX.
const lsPath = "/usr/bin/ls"

// RemoteQuery is LsnimRemote followed, when paths are given, by
// "ls -ld" of them (the size and modification time of file resources'
// copies), after a separator line. Every path must pass ValidPath.
func RemoteQuery(names, paths []string) (string, error) {
	cmd, err := lsnimRemote(names)
	if err != nil || len(paths) == 0 {
		return cmd, err
	}
	q := make([]string, len(paths))
	for i, p := range paths {
		if err := ValidPath(p); err != nil {
			return "", fmt.Errorf("ls on the service nodes: %w", err)
		}
		q[i] = shellQuote(p)
	}
	base := strings.TrimSuffix(cmd, "; echo "+rcMarker+"$?")
	return base + "; echo " + lsSeparator + "; " + lsPath + " -ld " + strings.Join(q, " ") + " 2>&1; echo " + rcMarker + "$?", nil
}

// ValidPath checks a NIM location before it reaches a remote shell:
// absolute, of letters, digits and "/._-+" only, no "..".
func ValidPath(p string) error {
	if !strings.HasPrefix(p, "/") || len(p) > 1024 || strings.Contains(p, "..") {
		return fmt.Errorf("location %q: nimwiz passes only absolute paths without '..'", p)
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !isAlnum(c) && !strings.ContainsRune("/._-+", rune(c)) {
			return fmt.Errorf("location %q has %q: nimwiz passes only letters, digits and /._-+ to a remote shell", p, string(c))
		}
	}
	return nil
}

func lsnimRemote(names []string) (string, error) {
	if len(names) == 0 {
		return "", fmt.Errorf("lsnim on the service nodes: no resources to ask about")
	}
	q := make([]string, len(names))
	for i, n := range names {
		if err := checkName(n); err != nil {
			return "", fmt.Errorf("lsnim on the service nodes: %w", err)
		}
		q[i] = shellQuote(n)
	}
	return lsnimPath + " -l " + strings.Join(q, " ") + " 2>&1; echo " + rcMarker + "$?", nil
}

// XdshArgv is the whole xdsh command line for nodes and remote.
func XdshArgv(nodes []string, remote string) ([]string, error) {
	if len(nodes) == 0 {
		return nil, errNoServiceNodes
	}
	for _, n := range nodes {
		if err := ValidNodeName(n); err != nil {
			return nil, fmt.Errorf("xdsh: %w", err)
		}
	}
	return []string{"xdsh", strings.Join(nodes, ","), "-v", "-t", strconv.Itoa(XdshTimeout), "-f", strconv.Itoa(XdshFanout), remote}, nil
}

// SNState is how a service node answered a fan-out.
type SNState int

const (
	SNWaiting     SNState = iota // nothing yet
	SNAnswered                   // its whole answer arrived (the marker)
	SNUnreachable                // xdsh -v: not responding, nothing was run there
	SNTimedOut                   // xdsh -t gave up on it
	SNFailed                     // xdsh ended without a whole answer from it (ssh failed, ...)
)

var snStateNames = [...]string{"waiting", "answered", "unreachable", "timed out", "failed"}

func (s SNState) String() string {
	if int(s) < len(snStateNames) {
		return snStateNames[s]
	}
	return "SNState(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText names the state in JSON.
func (s SNState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the name back (scripts, tests).
func (s *SNState) UnmarshalText(b []byte) error {
	for i, n := range snStateNames {
		if n == string(b) {
			*s = SNState(i)
			return nil
		}
	}
	return fmt.Errorf("unknown service node state %q", b)
}

// SNAnswer is one service node's answer to the fan-out.
type SNAnswer struct {
	Node   string
	State  SNState
	Lines  []string // its output, prefix removed, marker left out
	RC     int      // the remote command's exit status (SNAnswered only)
	Reason string   // why it did not answer, in xdsh's words
}

// XdshParser reads xdsh's output line by line (either stream, in arrival
// order) for a known set of nodes and says when each node is settled.
// Lines naming other nodes are kept as stray text, never attributed.
type XdshParser struct {
	nodes    map[string]*SNAnswer
	timedOut bool // the previous line was xdsh's time-out message
	Stray    []string
}

// NewXdshParser expects answers from nodes.
func NewXdshParser(nodes []string) *XdshParser {
	p := &XdshParser{nodes: map[string]*SNAnswer{}}
	for _, n := range nodes {
		p.nodes[n] = &SNAnswer{Node: n, RC: -1}
	}
	return p
}

const (
	notResponding = " is not responding. No command will be issued to this host."
	timedOutText  = "Timed out waiting for response from child processes for the following nodes."
	noRCText      = "A return code for the command run on the host "
)

// Line reads one line (without its newline) and returns the answer it
// settled, if any.
func (p *XdshParser) Line(line string) (SNAnswer, bool) {
	line = strings.TrimSuffix(line, "\r")
	if rest, ok := strings.CutPrefix(line, "Error: "); ok {
		t := strings.TrimSpace(rest)
		if n, ok := strings.CutSuffix(t, strings.TrimSpace(notResponding)); ok {
			n = strings.TrimSpace(n)
			if a := p.open(n); a != nil {
				return p.settle(a, SNUnreachable, "not responding (xdsh -v ping)")
			}
		}
		if strings.HasPrefix(t, timedOutText) {
			p.timedOut = true
			return SNAnswer{}, false
		}
		if p.timedOut {
			// The node list after the time-out message: settle them
			// all; the caller reads the rest from Pending.
			p.timedOut = false
			var first *SNAnswer
			for _, n := range strings.Fields(t) {
				if a := p.open(n); a != nil {
					a.State, a.Reason = SNTimedOut, fmt.Sprintf("no output for %d s (xdsh -t)", XdshTimeout)
					if first == nil {
						first = a
					}
				}
			}
			if first != nil {
				return *first, true
			}
			return SNAnswer{}, false
		}
		if i := strings.Index(t, noRCText); i >= 0 {
			n, _, _ := strings.Cut(t[i+len(noRCText):], " ")
			if a := p.open(n); a != nil {
				return p.settle(a, SNFailed, "no return code came back (the remote command did not finish)")
			}
		}
		p.Stray = append(p.Stray, line)
		return SNAnswer{}, false
	}
	p.timedOut = false
	node, text, ok := strings.Cut(line, ": ")
	if !ok {
		node, ok = strings.CutSuffix(line, ":")
	}
	a := p.nodes[node]
	if !ok || a == nil || a.State != SNWaiting {
		p.Stray = append(p.Stray, line)
		return SNAnswer{}, false
	}
	if rc, ok := strings.CutPrefix(text, rcMarker); ok {
		n, err := strconv.Atoi(strings.TrimSpace(rc))
		if err != nil {
			n = -1
		}
		a.RC = n
		return p.settle(a, SNAnswered, "")
	}
	a.Lines = append(a.Lines, text)
	return SNAnswer{}, false
}

// open is the node's answer when it is still waiting.
func (p *XdshParser) open(n string) *SNAnswer {
	if a := p.nodes[n]; a != nil && a.State == SNWaiting {
		return a
	}
	return nil
}

func (p *XdshParser) settle(a *SNAnswer, s SNState, reason string) (SNAnswer, bool) {
	a.State, a.Reason = s, reason
	return *a, true
}

// Answers returns every node's answer so far, sorted by node.
func (p *XdshParser) Answers() []SNAnswer {
	out := make([]SNAnswer, 0, len(p.nodes))
	for _, a := range p.nodes {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Node < out[j].Node })
	return out
}

// End settles every node still waiting when xdsh has ended: it answered
// partly or not at all (an ssh failure's own lines are its reason).
func (p *XdshParser) End(cause string) []SNAnswer {
	var out []SNAnswer
	for _, a := range p.Answers() {
		if a.State != SNWaiting {
			continue
		}
		reason := cause
		if len(a.Lines) > 0 {
			reason = a.Lines[len(a.Lines)-1]
		}
		if reason == "" {
			reason = "xdsh printed nothing for it"
		}
		p.nodes[a.Node].State, p.nodes[a.Node].Reason = SNFailed, reason
		out = append(out, *p.nodes[a.Node])
	}
	return out
}

// ParseXdsh reads a whole xdsh output (stdout and stderr) for nodes.
func ParseXdsh(out []byte, nodes []string) []SNAnswer {
	p := NewXdshParser(nodes)
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		p.Line(line)
	}
	p.End("")
	return p.Answers()
}

// SNObjects is what one SN said of the resources asked about.
type SNObjects struct {
	Node    string
	State   SNState
	Reason  string
	Found   []Object // lsnim -l stanzas
	Missing []string // 0042-053: the SN has no such object
	Other   []string // other messages (lsnim's own errors)
	// Files are ls -ld's answers by path (RemoteQuery with paths).
	Files map[string]FileStat
}

// FileStat is what ls -ld says of a file: its size and its modification
// time as ls prints it ("Dec 04 18:26" or "Dec 04  2025").
type FileStat struct {
	Size  int64  `json:"size"`
	Mtime string `json:"mtime"`
}

// ParseLsLd reads "ls -ld" lines: mode, links, owner, group, size, three
// date fields, then the path (AIX and GNU ls alike with LANG=C). Other
// lines (errors such as AIX's "ls: 0653-341 The file X does not exist.")
// give nothing.
func ParseLsLd(lines []string) map[string]FileStat {
	out := map[string]FileStat{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 9 || len(f[0]) < 10 || !strings.ContainsRune("-dlbcps", rune(f[0][0])) {
			continue
		}
		n, err := strconv.ParseInt(f[4], 10, 64)
		if err != nil || n < 0 {
			continue
		}
		path := strings.Join(f[8:], " ")
		if !strings.HasPrefix(path, "/") {
			continue
		}
		out[path] = FileStat{Size: n, Mtime: f[5] + " " + f[6] + " " + f[7]}
	}
	return out
}

// ReadSNObjects turns an answer into objects: the stanzas of lsnim -l and
// the names it reported missing with 0042-053.
func ReadSNObjects(a SNAnswer) SNObjects {
	r := SNObjects{Node: a.Node, State: a.State, Reason: a.Reason}
	if a.State != SNAnswered {
		return r
	}
	lines, lsLines := a.Lines, []string(nil)
	for i, l := range a.Lines {
		if l == lsSeparator {
			lines, lsLines = a.Lines[:i], a.Lines[i+1:]
			break
		}
	}
	if lsLines != nil {
		r.Files = ParseLsLd(lsLines)
	}
	text := []byte(strings.Join(lines, "\n") + "\n")
	r.Found = ParseLsnimLong(text)
	for _, m := range ParseMessages(text) {
		if m.Code == "0042-053" {
			if n, ok := noObjectName(m.Text); ok {
				r.Missing = appendUnique(r.Missing, n)
				continue
			}
		}
		if m.Kind.IsError() {
			r.Other = append(r.Other, m.Text)
		}
	}
	return r
}

// SNObjectsOf asks every node in nodes, with ONE xdsh, for lsnim -l of
// names, and calls each (from one goroutine at a time) as every node's
// answer arrives, so a slow SN never holds back the others. When xdsh ends,
// every node not yet reported is reported as failed (or timed out).
// Names and nodes are checked before anything runs.
func (c *Client) SNObjectsOf(ctx context.Context, nodes, names, paths []string, each func(SNObjects)) error {
	remote, err := RemoteQuery(names, paths)
	if err != nil {
		return err
	}
	argv, err := XdshArgv(nodes, remote)
	if err != nil {
		return err
	}
	p := NewXdshParser(nodes)
	var mu sync.Mutex
	reported := map[string]bool{}
	report := func(a SNAnswer) {
		if !reported[a.Node] {
			reported[a.Node] = true
			each(ReadSNObjects(a))
		}
	}
	// xdsh's -t bounds each silence; the backstop bounds the whole run.
	backstop := 2*time.Duration(XdshTimeout)*time.Second + 30*time.Second
	res, runErr := c.Exec.Stream(ctx, backstop, argv[0], argv[1:], func(line string) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := p.Line(line); ok {
			for _, a := range p.Answers() {
				if a.State != SNWaiting {
					report(a)
				}
			}
		}
	})
	mu.Lock()
	defer mu.Unlock()
	cause := ""
	if runErr != nil {
		if _, ran := ranAndFailed(runErr); !ran {
			cause = runErr.Error()
		}
	}
	for _, a := range p.End(cause) {
		report(a)
	}
	if runErr != nil {
		if _, ran := ranAndFailed(runErr); !ran {
			return runErr
		}
	}
	_ = res
	return nil
}
