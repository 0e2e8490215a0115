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
	kind     PlanKind
	rows     []Phase // this plan's phases, in order
	st       [phaseCount]phaseRec
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

	// mknimimage -u: what proves how far it got (UpdateProof), and the
	// "Command output:" block being read (installp's, rpm's, emgr's).
	upd        UpdateProof
	inBlock    bool
	sharedRoot bool // the root made is a shared_root (a copy: known only from the output)
}

// UpdateProof is what the output of mknimimage -u showed of its work: an
// update prints no summary ([aix] 2.9.2 L3021), so only these lines say
// how far it got. The -V lines are the only end markers: "Updated software
// in the NIM SPOT called" (L1654-1660) and "Updated synclists files."
// (L1691-1697).
type UpdateProof struct {
	Started         bool     // "Updating the NIM spot resource named '<name>'."
	SoftwareStarted bool     // an installp, rpm or emgr step began
	SoftwareDone    bool     // "Updated software in the NIM SPOT called '<name>'."
	SyncStarted     bool     // sync_spot_files began
	SyncDone        bool     // "Updated synclists files."
	Failures        []string // failures inside the SPOT that its exit status may hide (installp, rpm, emgr lines)
}

// maxFailures bounds UpdateProof.Failures.
const maxFailures = 20

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
	t := &Tracker{plan: p, kind: p.PlanKind(), cur: PhaseStart}
	switch t.kind {
	case KindUpdate:
		return t.updateRows()
	case KindCopy:
		return t.copyRows()
	}
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
		var ph Phase
		switch r.Attr {
		case "root", "shared_root":
			t.rootName, ph = r.Name, PhaseRoot
		case "dump":
			t.dumpName, ph = r.Name, PhaseDump
		case "paging":
			t.pagingName, ph = r.Name, PhasePaging
		default:
			continue
		}
		if r.Reused && t.st[ph].inPlan {
			// mknimimage takes a named root, dump or paging silently
			// (aixinstall.pm 2.9.2 L3175-3182, L3264-3268, L3323-3327).
			t.st[ph].state = PhaseReused
		}
	}
	return t
}

// updateRows are the phases of mknimimage -u: its checks, the start of the
// SPOT update, and the steps inside the SPOT the plan's software needs
// (with software from the definition, the steps are added as they show).
func (t *Tracker) updateRows() *Tracker {
	t.rows = []Phase{PhaseCheckNIM, PhaseSpotUpdate}
	for _, it := range t.plan.Items("otherpkgs") {
		switch splitPkgKind(it) {
		case 'R':
			t.rows = appendPhase(t.rows, PhaseRPM)
		case 'E':
			t.rows = appendPhase(t.rows, PhaseEmgr)
		default:
			t.rows = appendPhase(t.rows, PhaseInstallp)
		}
	}
	if t.plan.Extra["installp_bundle"] != "" {
		t.rows = appendPhase(t.rows, PhaseInstallp)
	}
	if t.plan.Extra["synclists"] != "" {
		t.rows = appendPhase(t.rows, PhaseSynclists)
	}
	sortPhases(t.rows)
	for _, ph := range t.rows {
		t.st[ph].inPlan = true
	}
	return t
}

// copyRows are the phases of a copy (mknimimage -i): the lpp_source
// (shared silently, or copied with -p), the SPOT copied by cpcosi, a new
// root or shared_root, the paging shared silently (diskless), the
// definition and the SPOT update with the root password.
func (t *Tracker) copyRows() *Tracker {
	t.rows = []Phase{PhaseLppSource, PhaseSpot, PhaseRoot}
	if t.plan.Type == Diskless {
		t.rows = append(t.rows, PhasePaging)
	}
	t.rows = append(t.rows, PhaseDefinition, PhaseSpotUpdate)
	for _, ph := range t.rows {
		t.st[ph].inPlan = true
	}
	if !t.plan.CopyLppSource {
		t.st[PhaseLppSource].state = PhaseReused
	}
	t.st[PhasePaging].state = PhaseReused
	return t
}

func appendPhase(rows []Phase, ph Phase) []Phase {
	for _, r := range rows {
		if r == ph {
			return rows
		}
	}
	return append(rows, ph)
}

func sortPhases(rows []Phase) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].Before(rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// Items is the plan's value of a list attribute, split as xCAT splits it.
func (p Plan) Items(attr string) []string {
	v := p.Extra[attr]
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// splitPkgKind is how xCAT sorts an otherpkgs item (parse_otherpkgs,
// [aix] 2.9.2 L15191-15245): 'R' RPM, 'E' interim fix, 'I' installp.
func splitPkgKind(item string) byte {
	switch {
	case strings.Contains(item, ".rpm") || strings.HasPrefix(item, "R:"):
		return 'R'
	case strings.Contains(item, "epkg.Z") || strings.HasPrefix(item, "E:"):
		return 'E'
	}
	return 'I'
}

// Kind is the kind of run the tracker follows.
func (t *Tracker) Kind() PlanKind { return t.kind }

// UpdateProof is what mknimimage -u's output showed so far.
func (t *Tracker) UpdateProof() UpdateProof {
	u := t.upd
	u.Failures = append([]string(nil), u.Failures...)
	return u
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
	case t.kind == KindUpdate:
		// The whole of -u is a SPOT update (issue #12): nothing before
		// "Updating the NIM spot resource" has changed anything, but the
		// output cannot prove in time that the first xcatchroot has not
		// begun.
		if t.cur.Before(PhaseSpotUpdate) {
			return RiskUpdate
		}
		return RiskSpotUpdate
	case !t.live && t.cur == PhaseStart:
		// Nothing seen yet: live or not, nothing proves anything.
		return RiskUnknown
	case !t.live:
		return RiskNotLive
	case t.kind == KindCopy:
		return t.copyRisk()
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

// copyRisk is Risk for a copy: protected throughout. Before cpcosi nothing
// proves in time that the copy has not started (the -p lpp_source copy is
// xCAT's own cp, which ps cannot tell from the SPOT's), cpcosi copies the
// SPOT, then only short steps lead to the root password set inside the
// SPOT.
func (t *Tracker) copyRisk() Risk {
	switch {
	case t.cur.Before(PhaseSpot):
		return RiskCopyNext
	case t.cur == PhaseSpot:
		return RiskSpotCopy
	case t.cur.Before(PhaseSpotUpdate):
		return RiskAfterSpot
	}
	return RiskSpotUpdate
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
	{prefix: "Updating the NIM spot resource named '", act: func(t *Tracker, s string) {
		if quoted(s) == t.plan.Name {
			t.upd.Started = true
		}
		t.advance(PhaseSpotUpdate, PhaseRunning)
	}},
	// -V only: the root password is set inside the SPOT (xcatchroot).
	{prefix: "Setting the root password in the spot", act: rootPassword},
	// -u, -V only: the steps inside the SPOT (update_spot_installp
	// L15285, update_spot_rpm L15367, update_spot_epkg L15537).
	{prefix: "Installing installp filesets in SPOT ", act: updateStep(PhaseInstallp)},
	{prefix: "Installing RPM packages in SPOT ", act: updateStep(PhaseRPM)},
	{prefix: "Installing the interim fix in SPOT ", act: updateStep(PhaseEmgr)},
	// update_spot_rpm prints this with or without -V (L15484-15492).
	{prefix: "Completed Installing the following RPM packages in SPOT ", act: updateStep(PhaseRPM)},
	// -V only: the ends of the software and synclists steps (L1654-1660,
	// L1691-1697), the only proof an update ran to its end.
	{prefix: "Updated software in the NIM SPOT called '", act: func(t *Tracker, s string) {
		if quoted(s) == t.plan.Name {
			t.upd.SoftwareDone = true
		}
	}},
	{prefix: "Updated synclists files.", exact: true, act: func(t *Tracker, _ string) { t.upd.SyncDone = true }},
	// -V only: sync_spot_files copying a file (L14990).
	{prefix: "Running 'rsync ", act: updateStep(PhaseSynclists)},
	// -V only: the service nodes' copies of the SPOT removed (L1714).
	{prefix: "Removing SPOT '", act: updateStep(PhaseServiceNodes)},
	// installp's, rpm's and emgr's output follows (with -V, or always on
	// failure as an error): read for failures their exit status may hide.
	{prefix: "Command output:", exact: true, act: func(t *Tracker, _ string) { t.inBlock = true }},
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
	if t.cur.Before(PhaseLppSource) {
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
	name := quoted(s[len("Creating '")-1:])
	if ph, ok := t.resourcePhase(name); ok {
		if ph == PhaseRoot && strings.HasSuffix(name, sufSharedRoot) {
			t.sharedRoot = true // a copy of a stateless image
		}
		t.advance(ph, PhaseRunning)
	}
}

func rootPassword(t *Tracker, _ string) {
	if t.cur.Before(PhaseSpotUpdate) {
		t.advance(PhaseSpotUpdate, PhaseRunning)
	}
}

// updateStep is a step inside the SPOT: a phase of its own for -u; part of
// the SPOT update for a create or copy that installs software.
func updateStep(ph Phase) func(*Tracker, string) {
	return func(t *Tracker, _ string) {
		if t.kind != KindUpdate {
			return
		}
		switch ph {
		case PhaseSynclists:
			t.upd.SyncStarted = true
		case PhaseInstallp, PhaseRPM, PhaseEmgr:
			t.upd.SoftwareStarted = true
		}
		t.advance(ph, PhaseRunning)
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
	case "xcatchroot": // work inside the SPOT: the root password, or -u's steps
		if t.cur.Before(PhaseSpotUpdate) {
			t.advance(PhaseSpotUpdate, PhaseRunning)
		}
		if t.kind == KindUpdate {
			// The script names the tool (update_spot_installp L15304,
			// update_spot_rpm L15401/L15446, update_spot_epkg L15540).
			switch {
			case strings.Contains(args, "/usr/sbin/installp "):
				updateStep(PhaseInstallp)(t, "")
			case strings.Contains(args, "/usr/bin/rpm "):
				updateStep(PhaseRPM)(t, "")
			case strings.Contains(args, "/usr/sbin/emgr "):
				updateStep(PhaseEmgr)(t, "")
			}
		}
	case "lsnim":
		// sync_spot_files starts with "lsnim -a location NAME | grep
		// location" (L14903).
		if t.kind == KindUpdate && strings.HasPrefix(args, "-a location ") && strings.Contains(args, "/usr/bin/grep location") {
			updateStep(PhaseSynclists)(t, "")
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
		if t.inBlock {
			t.blockLine(s)
		}
		return false
	}
	if t.inBlock && m.prefix != "Command output:" {
		t.inBlock = false // a message of xCAT's own ends the block
	}
	before := t.cur
	m.act(t, s)
	return t.cur != before
}

// blockLine reads one line of a "Command output:" block for the failures
// the tools report (ToolFailure), which the exit status of xcatchroot may
// hide (notes §1.4: its "exit ${rc}" with rc never set).
func (t *Tracker) blockLine(s string) {
	if ToolFailure(s) && len(t.upd.Failures) < maxFailures {
		t.upd.Failures = append(t.upd.Failures, strings.Clone(s))
	}
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
	if c := line[i]; c < utf8.RuneSelf && !messageStart[c] && !t.inBlock {
		return false
	}
	s := bytes.TrimSpace(line) // the same trimming as strings.TrimSpace
	if len(s) == 0 || (!t.inBlock && !mayBeMessage(s)) {
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
	case name == t.plan.Name+sufLppSource, t.plan.Source != "" && name == t.plan.Source:
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
	if ph.Before(t.cur) || (ph == t.cur && st != PhaseReused) {
		return
	}
	now := t.now()
	for i := t.cur.Rank(); i < ph.Rank(); i++ {
		r := &t.st[phaseOrder[i]]
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
	if ph.Before(PhaseSummary) {
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
	if msg == "Command output:" {
		t.inBlock = true // an error's block: installp's output on failure
	}
	if len(t.errs) < maxTrackedErrors {
		t.errs = append(t.errs, strings.Clone(msg)) // msg may alias FeedBytes' buffer
	}
	ph := t.cur
	if t.kind == KindUpdate {
		ph = t.updateErrorPhase(msg)
		if strings.Contains(msg, "Could not update software in the NIM SPOT") || strings.Contains(msg, "Could not update synclists files") {
			t.st[PhaseSpotUpdate].errored = true // the update as a whole failed
		}
	}
	switch {
	case t.kind == KindUpdate:
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
		strings.Contains(msg, "is not a source directory or the name of a NIM lpp_source"),
		strings.Contains(msg, "image definition did not contain a value for lpp_source"),
		strings.HasPrefix(msg, "Cannot create ") && strings.HasSuffix(msg, "It already exists."):
		ph = PhaseLppSource
	case strings.Contains(msg, "image definition did not contain a value for a SPOT resource"):
		ph = PhaseSpot
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
	case !ph.Before(PhaseSummary):
		ph = PhaseSpotUpdate // after the summary only the SPOT update can have failed
	}
	if t.cur.Before(ph) && ph.Before(PhaseSummary) {
		t.advance(ph, PhaseRunning)
	}
	t.st[ph].errored = true
}

// updateErrorPhase is the phase of mknimimage -u an error is about: the
// checks before "Updating the NIM spot resource" ([aix] L1432-1468,
// L2993-3000), the tool whose failure it reports, or the step running.
func (t *Tracker) updateErrorPhase(msg string) Phase {
	switch {
	case strings.Contains(msg, "is currently allocated"),
		strings.Contains(msg, "is not defined and therefore cannot be updated"),
		strings.Contains(msg, "osimage object named"),
		strings.Contains(msg, "Could not get NIM spot definitions"):
		if !t.upd.Started {
			return PhaseCheckNIM
		}
	case strings.Contains(msg, "Could not install installp packages"),
		strings.Contains(msg, "installp_bundle resource"):
		return PhaseInstallp
	case strings.Contains(msg, "errors occurred while installing rpm packages"):
		return PhaseRPM
	case strings.Contains(msg, "interim fix"):
		return PhaseEmgr
	case strings.Contains(msg, "synclists"), strings.HasPrefix(msg, "Command: 'rsync"):
		return PhaseSynclists
	case strings.Contains(msg, "service node"):
		return PhaseServiceNodes
	case strings.Contains(msg, "Could not update software in the NIM SPOT"):
		if t.cur == PhaseSpotUpdate || t.cur.Before(PhaseSpotUpdate) {
			return PhaseSpotUpdate
		}
	}
	if t.cur == PhaseStart {
		return PhaseCheckNIM
	}
	return t.cur
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
	if t.kind == KindUpdate {
		// No summary: exit 0, no error, the update begun and no failure
		// inside the SPOT (the end markers are the supervisor's to weigh,
		// knowing what the update was to do).
		ok = exitCode == 0 && t.upd.Started && len(t.errs) == 0 && len(t.upd.Failures) == 0
	}
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
			if last.Before(ph) && t.st[ph].state == PhasePending {
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
	for i < len(t.rows) && t.rows[i].Before(ph) {
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
	switch {
	case ph == PhaseRoot && (t.plan.Stateless || t.sharedRoot):
		return "shared_root"
	case ph == PhaseCheckNIM && t.kind == KindUpdate:
		return "checks"
	case ph == PhaseSpot && t.kind == KindCopy:
		return "SPOT copy"
	}
	return ph.row()
}
