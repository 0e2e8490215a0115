package nim

import (
	"bytes"
	"path"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The phase tracker follows a running mknimimage from its output lines
// (xcat-mknimimage.md §2). xCAT says little: nothing when the SPOT is done,
// nothing when root, dump or paging are created (except with -V), so most
// phases end only when a later phase's message shows up.

// Tracker turns mknimimage output into phases. It is not safe for
// concurrent use: feed it from one goroutine.
type Tracker struct {
	// Now is the clock for Started/Ended; nil means time.Now.
	Now func() time.Time

	plan     Plan
	rows     []Phase // this plan's phases, in order
	st       [PhaseDone + 1]phaseRec
	cur      Phase
	summary  bool
	finished bool
	errs     []string

	// names that identify this plan's resources in "Creating '<res>'." lines
	rootName, dumpName, pagingName string

	summaryName   string // the summary's "Object name: <img>"
	live          bool   // the client's STDOUT is proven unbuffered (SetLive)
	verbose       bool   // -V lines were seen
	lppDefining   bool   // -V announced the lpp_source define and nothing since
	lppDefineSeen bool   // -V announced the lpp_source define
}

type phaseRec struct {
	inPlan  bool
	state   PhaseState
	errored bool // an Error: line was attributed to this phase
	started time.Time
	ended   time.Time
}

// maxTrackedErrors bounds Errors(): a run printing thousands of errors must
// not grow the tracker without limit.
const maxTrackedErrors = 100

// NewTracker returns a tracker for a run of p: it knows which phases p has
// (dump only with -D, paging only for diskless) and that an existing
// lpp_source given as source is reused silently.
func NewTracker(p Plan) *Tracker {
	p = p.WithDefaults()
	t := &Tracker{plan: p, cur: PhaseStart}
	t.rows = []Phase{PhaseLppSource, PhaseSpot, PhaseRoot}
	if p.Dump {
		t.rows = append(t.rows, PhaseDump)
	}
	if p.Type == Diskless {
		t.rows = append(t.rows, PhasePaging)
	}
	t.rows = append(t.rows, PhaseDefinition, PhaseSpotUpdate)
	for _, ph := range t.rows {
		t.st[ph].inPlan = true
	}
	if p.SourceKind() == SourceLppSource {
		t.st[PhaseLppSource].state = PhaseReused // timed when the next phase starts
	}
	for _, r := range p.Resources() {
		switch r.Attr {
		case "root", "shared_root":
			t.rootName = r.Name
		case "dump":
			t.dumpName = r.Name
		case "paging":
			t.pagingName = r.Name
		}
	}
	return t
}

func (t *Tracker) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Phase is the phase the run is in now: PhaseStart before any message,
// PhaseSummary once the summary is printed, PhaseDone after Finish.
func (t *Tracker) Phase() Phase { return t.cur }

// SetLive says the client's output is proven live: nothing it printed is
// held back in its buffer (see InstallLiveModule). Until then the phase
// cannot be known from the output, and Risk says so.
func (t *Tracker) SetLive() { t.live = true }

// Live reports whether SetLive was called.
func (t *Tracker) Live() bool { return t.live }

// Risk says whether interrupting mknimimage now could harm the SPOT, and
// why. The run is protected from its start until its output proves that it
// is somewhere an interrupt cannot reach the SPOT: the output is live and
// the lpp_source copy is running (with -V: its nim define was announced and
// nothing after it), or the summary is printed. Everything else is
// protected: before the lpp_source nothing proves the SPOT is not being
// made; after the copy the SPOT is next (xcatd relays output about once a
// second, so a message can be seconds late); after the SPOT only short
// steps remain before the SPOT update.
func (t *Tracker) Risk() Risk {
	switch {
	case t.finished, t.cur == PhaseSummary, t.cur == PhaseDone:
		return RiskNone
	case !t.live:
		return RiskNotLive
	}
	switch t.cur {
	case PhaseLppSource:
		st := t.st[PhaseLppSource].state
		switch {
		case st == PhaseReused:
			return RiskSpotNext
		case st != PhaseRunning:
			return RiskUnknown
		case !t.verbose:
			return RiskNone
		case t.lppDefining:
			return RiskNone
		case t.lppDefineSeen:
			return RiskSpotNext
		}
		return RiskUnknown
	case PhaseSpot:
		if t.st[PhaseSpot].state == PhaseReused {
			return RiskAfterSpot
		}
		return RiskSpot
	case PhaseRoot, PhaseDump, PhasePaging, PhaseDefinition:
		return RiskAfterSpot
	case PhaseSpotUpdate:
		return RiskSpotUpdate
	}
	return RiskUnknown
}

// Critical reports whether an interrupt must be refused now (Risk is not
// RiskNone).
func (t *Tracker) Critical() bool { return t.Risk() != RiskNone }

// SawSummary reports whether the summary's first line was seen.
func (t *Tracker) SawSummary() bool { return t.summary }

// SummaryName is the osimage the summary names ("Object name: <img>"), or
// "" when no summary was seen.
func (t *Tracker) SummaryName() string { return t.summaryName }

// PrematureEnd is what the xCAT client prints on STDERR when its connection
// to xcatd ends without the server's "done" (perl-xCAT/xCAT/Client.pm at
// 2.9.2_aix_release L367-370); it then exits 1. xcatd's plugin may go on.
const PrematureEnd = "ERROR/WARNING: communication with the xCAT server seems to have been ended prematurely"

// Errors returns the Error: messages seen so far (without the "Error: " and
// server prefix), at most the first 100.
func (t *Tracker) Errors() []string { return append([]string(nil), t.errs...) }

// phaseMessage is one line mknimimage prints that tells the tracker
// something (xcat-mknimimage.md §2, xcat-client-behaviour.md §4): the
// trimmed line starts with prefix (or equals it, when exact), and act says
// what it means. This table is the one place a new message is added: Feed,
// FeedBytes' fast rejection and mayBeMessage are all built from it.
type phaseMessage struct {
	prefix string
	exact  bool
	act    func(t *Tracker, s string)
}

// phaseMessages are mknimimage's messages, from aixinstall.pm (2.9.2_aix_release).
var phaseMessages = []phaseMessage{
	// mknimimage L2710: NIM not configured, nim_master_setup runs.
	{prefix: "Configuring NIM.", exact: true, act: to(PhaseCheckNIM, PhaseRunning)},
	// mk_lpp_source: a new lpp_source ("called '<n>'.  This could take a while.")
	{prefix: "Creating a NIM lpp_source resource called '", act: to(PhaseLppSource, PhaseRunning)},
	// mk_lpp_source: <img>_lpp_source exists (no final period, sic).
	{prefix: "Using the existing lpp_source named '", act: to(PhaseLppSource, PhaseReused)},
	// NIM's own lpp_source copy output, where it is shown: proof the copy runs.
	{prefix: "Preparing to copy install images", act: lppCopyOutput},
	{prefix: "Now checking for missing install images", act: lppCopyOutput},
	{prefix: "All required install images have been found", act: lppCopyOutput},
	// mk_spot: "Creating a NIM SPOT resource. This could take a while."
	{prefix: "Creating a NIM SPOT resource.", act: to(PhaseSpot, PhaseRunning)},
	// mk_spot: the SPOT exists and is reused without any state check.
	{prefix: "Using the existing SPOT named '", act: to(PhaseSpot, PhaseReused)},
	// mknimres/mkdumpres: "Using existing root|shared_root|dump|paging resource named '<n>'."
	{prefix: "Using existing ", act: usingExisting},
	// -V only: mknimres/mkdumpres name what they create.
	{prefix: "Creating '", act: creatingResource},
	// spot_updates L1550, printed even when there is nothing to install.
	{prefix: "Updating the NIM spot resource named '", act: to(PhaseSpotUpdate, PhaseRunning)},
	// -V only: the root password is set inside the SPOT (xcatchroot).
	{prefix: "Setting the root password in the spot", act: rootPassword},
	// The summary (L3740-3771): the osimage definition exists.
	{prefix: "The following xCAT osimage definition was created.", act: summary},
	// The summary's "Object name: <img>" (after "\nObject name: " L3745).
	{prefix: "Object name: ", act: objectName},
	// -V only: Utils.pm runcmd L977-991 announces every local command.
	{prefix: "Running command on ", act: runningCommand},
	// Errors (stderr): attributed to the phase they are about.
	{prefix: "Error:", act: func(t *Tracker, s string) { t.error(s[len("Error:"):]) }},
}

// byFirstByte indexes phaseMessages by the first byte of their prefix, and
// messageStart says which first bytes can start a message at all.
var (
	byFirstByte  [256][]int
	messageStart [256]bool
)

func init() {
	for i, m := range phaseMessages {
		c := m.prefix[0]
		byFirstByte[c] = append(byFirstByte[c], i)
		messageStart[c] = true
	}
}

// match returns the message a trimmed, non-empty line is, or nil.
func match[S ~string | ~[]byte](s S) *phaseMessage {
	for _, i := range byFirstByte[s[0]] {
		m := &phaseMessages[i]
		if len(s) < len(m.prefix) || string(s[:len(m.prefix)]) != m.prefix {
			continue
		}
		if m.exact && len(s) != len(m.prefix) {
			continue
		}
		return m
	}
	return nil
}

func to(ph Phase, st PhaseState) func(*Tracker, string) {
	return func(t *Tracker, _ string) { t.advance(ph, st) }
}

// lppCopyOutput: NIM's copy lines prove the lpp_source is being made.
func lppCopyOutput(t *Tracker, _ string) {
	if t.cur < PhaseLppSource {
		t.advance(PhaseLppSource, PhaseRunning)
	}
}

// usingExisting: "Using existing root|shared_root|dump|paging resource named '<n>'."
func usingExisting(t *Tracker, s string) {
	rest := s[len("Using existing "):]
	var ph Phase
	switch {
	case strings.HasPrefix(rest, "root "), strings.HasPrefix(rest, "shared_root "):
		ph = PhaseRoot
	case strings.HasPrefix(rest, "dump "):
		ph = PhaseDump
	case strings.HasPrefix(rest, "paging "):
		ph = PhasePaging
	default:
		return
	}
	t.advance(ph, PhaseReused)
}

func creatingResource(t *Tracker, s string) {
	if ph, ok := t.resourcePhase(quoted(s[len("Creating '")-1:])); ok {
		t.advance(ph, PhaseRunning)
	}
}

func rootPassword(t *Tracker, _ string) {
	if t.cur < PhaseSpotUpdate {
		t.advance(PhaseSpotUpdate, PhaseRunning)
	}
}

func objectName(t *Tracker, s string) {
	if t.summary && t.summaryName == "" {
		t.summaryName = strings.Clone(strings.TrimSpace(s[len("Object name: "):]))
	}
}

func summary(t *Tracker, _ string) {
	t.summary = true
	t.advance(PhaseSummary, PhaseRunning)
}

// runningCommand reads -V's "Running command on <host>: <cmd> 2>&1": the
// NIM command that starts each long step marks it exactly, and any command
// after the lpp_source define proves the copy has ended (the SPOT is next).
// It does not allocate: -V announces every lsnim query too.
func runningCommand(t *Tracker, s string) {
	t.verbose = true
	t.lppDefining = false
	rest := s[len("Running command on "):]
	i := strings.Index(rest, ": ")
	if i < 0 {
		return
	}
	cmd := strings.TrimSpace(rest[i+2:])
	prog, args, _ := strings.Cut(cmd, " ")
	switch path.Base(prog) {
	case "nim":
		define, typ := nimDefine(args)
		if !define {
			return
		}
		switch typ {
		case "lpp_source":
			t.advance(PhaseLppSource, PhaseRunning)
			if t.cur == PhaseLppSource {
				t.lppDefining, t.lppDefineSeen = true, true
			}
		case "spot":
			t.advance(PhaseSpot, PhaseRunning)
		case "root", "shared_root":
			t.advance(PhaseRoot, PhaseRunning)
		case "dump":
			t.advance(PhaseDump, PhaseRunning)
		case "paging":
			t.advance(PhasePaging, PhaseRunning)
		}
	case "cpcosi": // -i: the SPOT is copied from another one
		t.advance(PhaseSpot, PhaseRunning)
	case "xcatchroot": // the root password is set inside the SPOT
		if t.cur < PhaseSpotUpdate {
			t.advance(PhaseSpotUpdate, PhaseRunning)
		}
	}
}

// nimDefine reads nim's arguments: whether the operation is define (-o
// define, -Fo define) and the -t type.
func nimDefine(args string) (define bool, typ string) {
	prev := ""
	for args != "" {
		var a string
		args = strings.TrimLeft(args, " \t")
		a, args, _ = strings.Cut(args, " ")
		switch {
		case a == "define" && len(prev) > 1 && prev[0] == '-' && prev[len(prev)-1] == 'o':
			define = true
		case prev == "-t":
			typ = a
		}
		prev = a
	}
	return define, typ
}

// Feed takes one output line (stdout or stderr, without its newline) and
// reports whether the current phase changed.
func (t *Tracker) Feed(line string) bool {
	if t.finished {
		return false
	}
	s := strings.TrimSpace(line)
	if s == "" {
		return false
	}
	m := match(s)
	if m == nil {
		return false
	}
	before := t.cur
	m.act(t, s)
	return t.cur != before
}

// FeedBytes is Feed for a line held as bytes (without its newline): the
// same result and the same effect on the tracker. Most output lines cannot
// be a message; those are rejected on their first bytes without being
// copied to a string, so a supervisor can feed it every line it reads.
func (t *Tracker) FeedBytes(line []byte) bool {
	if t.finished {
		return false
	}
	// Most lines are rejected on their first non-blank byte: when it is
	// ASCII, it is where TrimSpace would start the line.
	i := 0
	for i < len(line) && asciiSpace[line[i]] {
		i++
	}
	if i == len(line) {
		return false
	}
	if c := line[i]; c < utf8.RuneSelf && !messageStart[c] {
		return false
	}
	s := bytes.TrimSpace(line) // the same trimming as strings.TrimSpace
	if len(s) == 0 || !mayBeMessage(s) {
		return false
	}
	// Not copied: Feed keeps nothing of the line but the error texts, which
	// error() clones. -V announces every command, so these lines are many.
	return t.Feed(unsafe.String(&s[0], len(s)))
}

var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// mayBeMessage reports whether a trimmed line starts like a message Feed
// acts on.
func mayBeMessage(s []byte) bool { return match(s) != nil }

// quoted returns the text between the first pair of single quotes of s.
func quoted(s string) string {
	i := strings.IndexByte(s, '\'')
	if i < 0 {
		return ""
	}
	s = s[i+1:]
	if j := strings.IndexByte(s, '\''); j >= 0 {
		return s[:j]
	}
	return s
}

// resourcePhase maps a resource name from a message to the phase creating it.
func (t *Tracker) resourcePhase(name string) (Phase, bool) {
	switch {
	case name == "":
		return 0, false
	case name == t.plan.Name:
		return PhaseSpot, true
	case name == t.rootName:
		return PhaseRoot, true
	case name == t.dumpName:
		return PhaseDump, true
	case name == t.pagingName:
		return PhasePaging, true
	case name == t.plan.Name+sufLppSource, name == t.plan.Source:
		return PhaseLppSource, true
	case strings.HasSuffix(name, sufRoot): // also _shared_root
		return PhaseRoot, true
	case strings.HasSuffix(name, sufDump):
		return PhaseDump, true
	case strings.HasSuffix(name, sufPaging):
		return PhasePaging, true
	}
	return 0, false
}

// advance moves the run to phase ph in state st. The phase running so far
// ends (done, or failed if an error was attributed to it); phases of the plan
// between the two completed without a message (xCAT is silent about them),
// so they become done, or stay reused. Going backwards is ignored.
func (t *Tracker) advance(ph Phase, st PhaseState) {
	if ph < t.cur || (ph == t.cur && st != PhaseReused) {
		return
	}
	now := t.now()
	for p := t.cur; p < ph; p++ {
		r := &t.st[p]
		if !r.inPlan {
			continue
		}
		if r.started.IsZero() {
			r.started = now
		}
		if r.ended.IsZero() {
			r.ended = now
		}
		if r.state == PhasePending || r.state == PhaseRunning {
			r.state = PhaseDoneOK
		}
	}
	if ph <= PhaseSpotUpdate {
		t.addRow(ph)
		r := &t.st[ph]
		if r.started.IsZero() {
			r.started = now
		}
		r.state = st
		if st == PhaseReused {
			r.ended = now
		}
	}
	t.cur = ph
}

// error records an "Error: [server]: text" line and attributes it to the
// phase it is about: known messages name their phase (a failure creating
// root shows up while the tracker still thinks the SPOT is running), the
// rest go to the current phase.
func (t *Tracker) error(msg string) {
	msg = strings.TrimSpace(msg)
	if strings.HasPrefix(msg, "[") {
		if i := strings.Index(msg, "]:"); i >= 0 {
			msg = strings.TrimSpace(msg[i+2:])
		}
	}
	if strings.HasPrefix(msg, "Return=") {
		return // the failure footer; the real message came before
	}
	if len(t.errs) < maxTrackedErrors {
		t.errs = append(t.errs, strings.Clone(msg)) // msg may alias FeedBytes' buffer
	}
	ph := t.cur
	switch {
	case strings.Contains(msg, "Unable to set root password"),
		strings.Contains(msg, "Could not update software in the NIM SPOT"),
		strings.Contains(msg, "is currently allocated. It cannot be updated"),
		strings.Contains(msg, "is not defined and therefore cannot be updated"):
		ph = PhaseSpotUpdate
	case strings.Contains(msg, "Could not create xCAT osimage definition"):
		ph = PhaseDefinition
	case strings.Contains(msg, "Could not create spot definition"), strings.Contains(msg, "cpcosi command failed"):
		ph = PhaseSpot
	case strings.Contains(msg, "Could not create lpp_source definition"), strings.Contains(msg, "Could not run inutoc"),
		strings.Contains(msg, "is not a source directory or the name of a NIM lpp_source"):
		ph = PhaseLppSource
	case strings.HasPrefix(msg, "Could not create a NIM definition for '"):
		if p, ok := t.resourcePhase(quoted(msg)); ok {
			ph = p
		}
	}
	switch {
	case ph == PhaseStart:
		// Before any phase (NIM check, osimage already exists, ...): show it
		// as a failed NIM check rather than blame the lpp_source.
		ph = PhaseCheckNIM
	case ph >= PhaseSummary:
		ph = PhaseSpotUpdate // after the summary only the SPOT update can have failed
	}
	if ph > t.cur && ph <= PhaseSpotUpdate {
		t.advance(ph, PhaseRunning)
	}
	t.st[ph].errored = true
}

// Finish records that the command ended with exitCode. The run succeeded
// only with exit 0 and the summary printed (the client also exits 0 when
// interrupted, without a summary): then the running phase is done. Otherwise
// the running phase failed, and so did every phase an Error: line named.
func (t *Tracker) Finish(exitCode int) {
	if t.finished {
		return
	}
	t.finished = true
	now := t.now()
	ok := exitCode == 0 && t.summary
	failedAny := false
	last := Phase(-1) // the last phase that started
	for _, ph := range t.rows {
		r := &t.st[ph]
		if r.state == PhaseReused && r.started.IsZero() {
			r.started, r.ended = now, now // a reused lpp_source and nothing after it
		}
		if !r.started.IsZero() {
			last = ph
		}
		if r.errored {
			if r.ended.IsZero() {
				r.ended = now
			}
			r.state = PhaseFailed
			failedAny = true
			continue
		}
		if r.state == PhaseRunning {
			r.ended = now
			if ok {
				r.state = PhaseDoneOK
			} else {
				r.state = PhaseFailed
				failedAny = true
			}
		}
	}
	if ok {
		for _, ph := range t.rows { // the summary proves everything ran
			if r := &t.st[ph]; r.state == PhasePending {
				r.state, r.started, r.ended = PhaseDoneOK, now, now
			}
		}
	} else if !failedAny && last >= 0 {
		// Failed with no Error: line and nothing running: the last phase
		// that started was reused or ended. The run was in the next one
		// (xCAT creates root, dump and paging silently), or, when there is
		// none (after the summary), in the last one.
		r := &t.st[last]
		for _, ph := range t.rows {
			if ph > last && t.st[ph].state == PhasePending {
				r = &t.st[ph]
				r.started = t.st[last].ended
				break
			}
		}
		r.state = PhaseFailed
		if r.ended.IsZero() {
			r.ended = now
		}
	}
	t.cur = PhaseDone
}

// addRow makes ph a row of the run when the output shows it although the
// plan did not predict it: the NIM check when NIM gets configured or a
// check fails, a dump on AIX before 6.1.4 (which always makes one).
func (t *Tracker) addRow(ph Phase) {
	if t.st[ph].inPlan {
		return
	}
	t.st[ph].inPlan = true
	i := 0
	for i < len(t.rows) && t.rows[i] < ph {
		i++
	}
	t.rows = append(t.rows[:i], append([]Phase{ph}, t.rows[i:]...)...)
}

// Statuses is one row per phase of this plan, in mknimimage's order:
// [NIM check,] lpp_source, SPOT, root or shared_root, [dump,] [paging,]
// osimage definition, SPOT update. The NIM check row appears only when
// "Configuring NIM." was seen or something failed before the first phase.
func (t *Tracker) Statuses() []PhaseStatus {
	out := make([]PhaseStatus, 0, len(t.rows))
	for _, ph := range t.rows {
		r := t.st[ph]
		out = append(out, PhaseStatus{Phase: ph, Label: t.label(ph), State: r.state, Started: r.started, Ended: r.ended})
	}
	return out
}

func (t *Tracker) label(ph Phase) string {
	if ph == PhaseRoot && t.plan.Stateless {
		return "shared_root"
	}
	return ph.row()
}
