package nim

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
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

func (t *Tracker) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Phase is the phase the run is in now: PhaseStart before any message,
// PhaseSummary once the summary is printed, PhaseDone after Finish.
func (t *Tracker) Phase() Phase { return t.cur }

// Critical reports whether interrupting now would corrupt the SPOT: the
// SPOT is being created or updated (a reused SPOT passes instantly).
func (t *Tracker) Critical() bool {
	return t.cur.Critical() && t.st[t.cur].state == PhaseRunning
}

// Errors returns the Error: messages seen so far (without the "Error: " and
// server prefix), at most the first 100.
func (t *Tracker) Errors() []string { return append([]string(nil), t.errs...) }

// Message prefixes (xcat-mknimimage.md §2). Matched with HasPrefix on the
// trimmed line, so Feed does not allocate.
const (
	msgConfiguring  = "Configuring NIM."
	msgCreateLpp    = "Creating a NIM lpp_source resource called '"
	msgExistingLpp  = "Using the existing lpp_source named '"
	msgPrepareCopy  = "Preparing to copy install images"
	msgCheckMissing = "Now checking for missing install images"
	msgLppReady     = "All required install images have been found"
	msgCreateSpot   = "Creating a NIM SPOT resource."
	msgExistingSpot = "Using the existing SPOT named '"
	msgUsingExist   = "Using existing "
	msgCreatingRes  = "Creating '"
	msgUpdatingSpot = "Updating the NIM spot resource named '"
	msgRootPassword = "Setting the root password in the spot"
	msgSummary      = "The following xCAT osimage definition was created."
	msgRunning      = "Running"
	msgError        = "Error:"
)

// Feed takes one output line (stdout or stderr, without its newline) and
// reports whether the current phase changed. FeedBytes must stay in step
// with it: a new message needs its prefix in mayBeMessage.
func (t *Tracker) Feed(line string) bool {
	if t.finished {
		return false
	}
	s := strings.TrimSpace(line)
	if s == "" {
		return false
	}
	before := t.cur
	switch s[0] {
	case 'C':
		switch {
		case s == msgConfiguring:
			t.advance(PhaseCheckNIM, PhaseRunning)
		case strings.HasPrefix(s, msgCreateLpp):
			t.advance(PhaseLppSource, PhaseRunning)
		case strings.HasPrefix(s, msgCreateSpot):
			t.advance(PhaseSpot, PhaseRunning)
		case strings.HasPrefix(s, msgCreatingRes):
			// -V only: mknimres/mkdumpres name what they create.
			if ph, ok := t.resourcePhase(quoted(s[len(msgCreatingRes)-1:])); ok {
				t.advance(ph, PhaseRunning)
			}
		}
	case 'U':
		switch {
		case strings.HasPrefix(s, msgExistingLpp):
			t.advance(PhaseLppSource, PhaseReused)
		case strings.HasPrefix(s, msgExistingSpot):
			t.advance(PhaseSpot, PhaseReused)
		case strings.HasPrefix(s, msgUpdatingSpot):
			t.advance(PhaseSpotUpdate, PhaseRunning)
		case strings.HasPrefix(s, msgUsingExist):
			// "Using existing root|shared_root|dump|paging resource named '<n>'."
			rest := s[len(msgUsingExist):]
			var ph Phase
			switch {
			case strings.HasPrefix(rest, "root "), strings.HasPrefix(rest, "shared_root "):
				ph = PhaseRoot
			case strings.HasPrefix(rest, "dump "):
				ph = PhaseDump
			case strings.HasPrefix(rest, "paging "):
				ph = PhasePaging
			default:
				return false
			}
			t.advance(ph, PhaseReused)
		}
	case 'P', 'N', 'A':
		// lpp_source copy output: proof the lpp_source is being made.
		if t.cur < PhaseLppSource && (strings.HasPrefix(s, msgPrepareCopy) || strings.HasPrefix(s, msgCheckMissing) || strings.HasPrefix(s, msgLppReady)) {
			t.advance(PhaseLppSource, PhaseRunning)
		}
	case 'S':
		if strings.HasPrefix(s, msgRootPassword) && t.cur < PhaseSpotUpdate {
			t.advance(PhaseSpotUpdate, PhaseRunning)
		}
	case 'T':
		if strings.HasPrefix(s, msgSummary) {
			t.summary = true
			t.advance(PhaseSummary, PhaseRunning)
		}
	case 'E':
		if strings.HasPrefix(s, msgError) {
			t.error(s[len(msgError):])
		}
	}
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
	return t.Feed(string(s))
}

var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// messageStart: the first bytes of the messages (Feed's switch).
var messageStart = [256]bool{'C': true, 'U': true, 'P': true, 'N': true, 'A': true, 'S': true, 'T': true, 'E': true}

// mayBeMessage reports whether a trimmed line starts like a message Feed
// acts on: a necessary condition for each case of Feed's switch.
func mayBeMessage(s []byte) bool {
	switch s[0] {
	case 'C':
		return hasPrefix(s, msgConfiguring) || hasPrefix(s, msgCreateLpp) ||
			hasPrefix(s, msgCreateSpot) || hasPrefix(s, msgCreatingRes)
	case 'U':
		return hasPrefix(s, msgExistingLpp) || hasPrefix(s, msgExistingSpot) ||
			hasPrefix(s, msgUpdatingSpot) || hasPrefix(s, msgUsingExist)
	case 'P':
		return hasPrefix(s, msgPrepareCopy)
	case 'N':
		return hasPrefix(s, msgCheckMissing)
	case 'A':
		return hasPrefix(s, msgLppReady)
	case 'S':
		return hasPrefix(s, msgRootPassword)
	case 'T':
		return hasPrefix(s, msgSummary)
	case 'E':
		return hasPrefix(s, msgError)
	}
	return false
}

// hasPrefix is strings.HasPrefix for bytes, without a conversion.
func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

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
		t.errs = append(t.errs, msg)
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
	switch ph {
	case PhaseCheckNIM:
		return "NIM check"
	case PhaseLppSource:
		return "lpp_source"
	case PhaseSpot:
		return "SPOT"
	case PhaseRoot:
		if t.plan.Stateless {
			return "shared_root"
		}
		return "root"
	case PhaseDump:
		return "dump"
	case PhasePaging:
		return "paging"
	case PhaseDefinition:
		return "osimage definition"
	case PhaseSpotUpdate:
		return "SPOT update"
	case PhaseSummary:
		return "summary"
	case PhaseDone:
		return "done"
	}
	return "start"
}
