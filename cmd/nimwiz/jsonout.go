package main

import (
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// The --json output of every verb, in one style (README "Machine-readable
// output"): snake_case keys, typed values (booleans, numbers, RFC 3339
// times, lists), states and phases as their names, never Go field names or
// numeric enums. These types are the schema: the stored job.json and nim's
// types may change without changing what scripts read.

// osimageJSON is one osimage in list --json, and the head of show --json.
type osimageJSON struct {
	Name      string `json:"name"`
	NimType   string `json:"nim_type"` // "diskless", "dataless", "" when the definition says none
	Stateless bool   `json:"stateless"`
	Dump      bool   `json:"dump"`
	Spot      string `json:"spot"`
	LppSource string `json:"lpp_source"`
	// Attrs is every attribute of the xCAT definition (lsdef -l), as xCAT
	// spells it.
	Attrs map[string]string `json:"attrs"`
}

func newOsimageJSON(o nim.Osimage) osimageJSON {
	return osimageJSON{Name: o.Name, NimType: string(o.NimType()), Stateless: o.Stateless(), Dump: o.HasDump(),
		Spot: o.Spot(), LppSource: o.LppSource(), Attrs: nonNil(o.Attrs)}
}

// Resource states in show --json.
const (
	resReady      = "ready"      // Rstate "ready for use"
	resNotReady   = "not_ready"  // another Rstate: "rstate" says which
	resMissing    = "missing"    // NIM has no object of this name
	resUnanswered = "unanswered" // lsnim said nothing about it
)

// nimAttrJSON is one line of lsnim -l. NIM repeats some attributes
// (if_supported, member...) and their order means something, so they are
// a list, not an object.
type nimAttrJSON struct {
	Attribute string `json:"attribute"`
	Value     string `json:"value"`
}

// resourceJSON is one NIM resource of an osimage in show --json.
type resourceJSON struct {
	Attr    string        `json:"attr"` // the definition's attribute naming it: spot, lpp_source, root...
	Name    string        `json:"name"`
	State   string        `json:"state"`             // resReady, resNotReady, resMissing or resUnanswered
	Rstate  string        `json:"rstate"`            // NIM's Rstate, "" when missing or unanswered
	OsLevel string        `json:"oslevel,omitempty"` // a SPOT's or lpp_source's AIX level
	Lsnim   []nimAttrJSON `json:"lsnim"`             // lsnim -l, Rstate first, then in its order
}

// Missing and Ready are for the text output.
func (r resourceJSON) missing() bool    { return r.State == resMissing }
func (r resourceJSON) unanswered() bool { return r.State == resUnanswered }
func (r resourceJSON) ready() bool      { return r.State == resReady }

type showJSON struct {
	osimageJSON
	Resources []resourceJSON `json:"resources"`
}

// planJSON is a job's plan: the keys of a plan file (README "Plan files").
type planJSON struct {
	Kind          string            `json:"kind"` // create, update or copy
	Name          string            `json:"name"`
	Type          string            `json:"type,omitempty"`
	Source        string            `json:"source,omitempty"`
	Stateless     bool              `json:"stateless"`
	Location      string            `json:"location,omitempty"`
	Dump          bool              `json:"dump"`
	Verbose       bool              `json:"verbose"`
	From          string            `json:"from,omitempty"`
	CopyLppSource bool              `json:"copy_lpp_source"`
	UpdateFrom    string            `json:"update_from,omitempty"`
	Resources     map[string]string `json:"resources"`
	Options       map[string]string `json:"options"`
}

func newPlanJSON(p nim.Plan) planJSON {
	res, opts := map[string]string{}, map[string]string{}
	for a, v := range p.Extra {
		if spec, ok := nim.LookupAttr(a); ok && spec.Kind == nim.OptionAttr {
			opts[a] = v
		} else {
			res[a] = v
		}
	}
	return planJSON{Kind: string(p.PlanKind()), Name: p.Name, Type: string(p.Type), Source: p.Source, Stateless: p.Stateless,
		Location: p.Location, Dump: p.Dump, Verbose: !p.Quiet, From: p.From, CopyLppSource: p.CopyLppSource,
		UpdateFrom: string(p.UpdateFrom), Resources: res, Options: opts}
}

// phaseStateNames are nim.PhaseState's names in JSON.
var phaseStateNames = map[nim.PhaseState]string{
	nim.PhasePending: "pending", nim.PhaseRunning: "running", nim.PhaseDoneOK: "done",
	nim.PhaseReused: "reused", nim.PhaseSkipped: "skipped", nim.PhaseFailed: "failed",
}

// phaseJSON is one row of a job's phase list.
type phaseJSON struct {
	Phase   string     `json:"phase"` // nim.Phase's name: "SPOT creation", "lpp_source", ...
	Label   string     `json:"label"` // the row's label: "SPOT", "shared_root", ...
	State   string     `json:"state"` // phaseStateNames
	Started *time.Time `json:"started"`
	Ended   *time.Time `json:"ended"`
	Seconds *float64   `json:"seconds"` // how long it took, once ended
}

// eventJSON is one signal or interrupt request and what was done.
type eventJSON struct {
	Time   time.Time `json:"time"`
	Signal string    `json:"signal"`
	Phase  string    `json:"phase"`
	Action string    `json:"action"` // refused, ignored or accepted
	Why    string    `json:"why,omitempty"`
}

// jobJSON is one job in jobs --json.
type jobJSON struct {
	ID    string `json:"id"`
	Name  string `json:"osimage"`
	Kind  string `json:"kind"`  // create, update or copy
	State string `json:"state"` // job.State: starting, running, succeeded, failed, interrupted, contact lost, supervisor lost, lost, unreadable
	// Phase is where mknimimage is, or was when it ended.
	Phase    string      `json:"phase"`
	Ended    bool        `json:"ended"`    // mknimimage will print nothing more
	Busy     bool        `json:"busy"`     // NIM may still be working for it: the name stays taken
	Critical bool        `json:"critical"` // interrupts are refused now
	Why      string      `json:"critical_why,omitempty"`
	Live     bool        `json:"live"` // its output reaches nimwiz as printed
	Command  []string    `json:"command"`
	Started  *time.Time  `json:"started"`
	EndedAt  *time.Time  `json:"ended_at"`
	ExitCode *int        `json:"exit_code"` // once ended (not for lost): mknimimage's status, 128+n when killed by signal n, -1 when it never ran
	Signal   string      `json:"signal,omitempty"`
	Verified string      `json:"verified,omitempty"`
	NotProve string      `json:"verify_error,omitempty"`
	Phases   []phaseJSON `json:"phases"`
	Events   []eventJSON `json:"events"`
	Existing []string    `json:"existing_before"` // names the plan creates that existed before it: never this job's to clean up
	Activity []string    `json:"nim_activity"`    // NIM processes last seen working for it
	Settled  *time.Time  `json:"nim_quiet_since"`
	Log      string      `json:"log"`
	LogBytes int64       `json:"log_bytes"`
	LogError string      `json:"log_error,omitempty"`
	Error    string      `json:"error,omitempty"`
	Plan     *planJSON   `json:"plan"` // null for an unreadable job
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func newJobJSON(r job.Record) jobJSON {
	j := jobJSON{ID: r.ID, Name: r.Name, State: string(r.State), Phase: r.PhaseName, Ended: r.State.Ended(), Busy: r.Busy(),
		Critical: r.Critical && !r.State.Ended(), Live: r.Live, Command: nonNilList(r.Argv),
		Started: timePtr(r.Started), EndedAt: timePtr(r.Ended), Signal: r.ExitSig, Verified: r.Verified, NotProve: r.VerifyError,
		Phases: []phaseJSON{}, Events: []eventJSON{}, Existing: nonNilList(r.Existing), Activity: nonNilList(r.Activity),
		Settled: timePtr(r.Settled), LogBytes: r.LogBytes, LogError: r.LogError, Error: r.Error}
	if j.Critical {
		j.Why = r.CriticalWhy
	}
	if r.State.Ended() && r.EndedIn != "" {
		j.Phase = r.EndedIn
	}
	if j.Phase == "" && r.State != job.StateUnreadable {
		j.Phase = r.Phase.String()
	}
	if r.State.Ended() && r.State != job.StateLost && r.State != job.StateUnreadable {
		code := r.ExitCode
		j.ExitCode = &code
	}
	if r.Dir != "" && r.State != job.StateUnreadable {
		j.Log = r.LogPath()
	}
	if r.State != job.StateUnreadable {
		p := newPlanJSON(r.Plan)
		j.Plan, j.Kind = &p, p.Kind
	}
	for _, st := range r.Phases {
		pj := phaseJSON{Phase: st.Phase.String(), Label: st.Label, State: phaseStateNames[st.State], Started: timePtr(st.Started), Ended: timePtr(st.Ended)}
		if pj.Started != nil && pj.Ended != nil {
			s := st.Ended.Sub(st.Started).Seconds()
			pj.Seconds = &s
		}
		j.Phases = append(j.Phases, pj)
	}
	for _, ev := range r.Events {
		j.Events = append(j.Events, eventJSON{ev.Time, ev.Signal, ev.Phase, ev.Action, ev.Why})
	}
	return j
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Finding levels in check --json.
var findingLevelNames = map[nim.FindingLevel]string{nim.FindingOK: "ok", nim.FindingWarning: "warning", nim.FindingProblem: "problem"}

type findingJSON struct {
	Level string `json:"level"` // ok, warning or problem
	Text  string `json:"text"`
	Fix   string `json:"fix,omitempty"` // a command or what to do
}

// checkJSON is check --json.
type checkJSON struct {
	osimageJSON
	Problems int           `json:"problems"`
	Findings []findingJSON `json:"findings"`
}
