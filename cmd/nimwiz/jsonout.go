package main

import (
	"strings"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// One schema style for every --json (README "Machine-readable output"):
// snake_case keys; typed values (booleans, numbers, RFC 3339 times, null
// for a time not yet reached); phases, states and kinds as strings, never
// numbers; NIM's and xCAT's own attributes as an object of strings under
// "attrs", keyed by their own names (a key lsnim lists more than once
// has its values joined by ","). No Go field names, no key/value pairs.

// osimageJSON is one osimage in list --json (and the head of show --json).
type osimageJSON struct {
	Name      string            `json:"name"`
	Type      string            `json:"type"`      // diskless or dataless (nimtype)
	Stateless bool              `json:"stateless"` // has a shared_root
	Dump      bool              `json:"dump"`
	Spot      string            `json:"spot"`
	LppSource string            `json:"lpp_source"`
	Attrs     map[string]string `json:"attrs"` // every lsdef attribute
}

func osimageOut(o nim.Osimage) osimageJSON {
	return osimageJSON{Name: o.Name, Type: string(o.NimType()), Stateless: o.Stateless(), Dump: o.HasDump(),
		Spot: o.Spot(), LppSource: o.LppSource(), Attrs: nonNil(o.Attrs)}
}

// resourceJSON is one NIM resource of an osimage in show --json.
type resourceJSON struct {
	Attr       string            `json:"attr"` // the osimage attribute naming it: spot, lpp_source, ...
	Name       string            `json:"name"`
	Type       string            `json:"type"`       // NIM's type (lsnim), "" when unknown
	Rstate     string            `json:"rstate"`     // "" when NIM has no Rstate for it
	Ready      bool              `json:"ready"`      // Rstate is "ready for use"
	Missing    bool              `json:"missing"`    // lsnim: no such object
	Unanswered bool              `json:"unanswered"` // lsnim said nothing about it
	Attrs      map[string]string `json:"attrs"`      // lsnim -l
	attrList   []nim.Attr        // lsnim's order, for the text output
}

// showJSON is show --json.
type showJSON struct {
	osimageJSON
	Resources []resourceJSON `json:"resources"`
}

// attrsOut is lsnim's attributes as an object; repeated keys joined.
func attrsOut(attrs []nim.Attr) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		if v, ok := out[a.Key]; ok {
			out[a.Key] = v + "," + a.Value
			continue
		}
		out[a.Key] = a.Value
	}
	return out
}

// jobJSON is one job in jobs --json.
type jobJSON struct {
	ID          string      `json:"id"`
	Osimage     string      `json:"osimage"`
	Kind        string      `json:"kind"`  // create, update or copy
	State       string      `json:"state"` // running, succeeded, failed, interrupted, contact lost, supervisor lost, lost, unreadable, starting
	Phase       string      `json:"phase"` // where it is, or where it ended
	Busy        bool        `json:"busy"`  // NIM may still be working for it: the name stays taken
	Settling    bool        `json:"settling"`
	Critical    bool        `json:"critical"` // interrupts are refused now
	CriticalWhy string      `json:"critical_why"`
	Live        bool        `json:"live"` // mknimimage's output reaches nimwiz as printed
	Started     *time.Time  `json:"started"`
	Ended       *time.Time  `json:"ended"`
	Seconds     *float64    `json:"seconds"`   // how long it ran, once ended
	ExitCode    *int        `json:"exit_code"` // mknimimage's, once ended
	Signal      string      `json:"signal"`    // that ended mknimimage
	Command     []string    `json:"command"`
	Log         string      `json:"log"`
	LogBytes    int64       `json:"log_bytes"`
	Verified    string      `json:"verified"`
	Error       string      `json:"error"`
	Phases      []phaseJSON `json:"phases"`
	Events      []eventJSON `json:"events"`
	Existing    []string    `json:"existing_before"`
	Plan        *planJSON   `json:"plan"` // null when unreadable
}

type phaseJSON struct {
	Phase   string     `json:"phase"` // "SPOT creation", ...
	Label   string     `json:"label"` // "SPOT", ...
	State   string     `json:"state"` // pending, running, done, reused, skipped, failed
	Started *time.Time `json:"started"`
	Ended   *time.Time `json:"ended"`
	Seconds *float64   `json:"seconds"`
}

type eventJSON struct {
	Time   time.Time `json:"time"`
	Signal string    `json:"signal"`
	Phase  string    `json:"phase"`
	Action string    `json:"action"` // refused, ignored, accepted
	Why    string    `json:"why"`
}

// planJSON is a plan with a plan file's keys.
type planJSON struct {
	Kind          string            `json:"kind"`
	Name          string            `json:"name"`
	Type          string            `json:"type"`
	Source        string            `json:"source"`
	Stateless     bool              `json:"stateless"`
	Location      string            `json:"location"`
	Dump          bool              `json:"dump"`
	Verbose       bool              `json:"verbose"`
	Attrs         map[string]string `json:"attrs"` // attr=value: resources and options
	From          string            `json:"from"`
	CopyLppSource bool              `json:"copy_lpp_source"`
	UpdateFrom    string            `json:"update_from"`
}

var phaseStateNames = map[nim.PhaseState]string{
	nim.PhasePending: "pending", nim.PhaseRunning: "running", nim.PhaseDoneOK: "done",
	nim.PhaseReused: "reused", nim.PhaseSkipped: "skipped", nim.PhaseFailed: "failed",
}

func timeOut(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func secondsOut(from, to time.Time) *float64 {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return nil
	}
	s := to.Sub(from).Round(time.Millisecond).Seconds()
	return &s
}

func jobOut(r job.Record) jobJSON {
	j := jobJSON{
		ID: r.ID, Osimage: r.Name, State: string(r.State), Phase: r.PhaseText(),
		Busy: r.Busy(), Settling: r.Settling, Critical: r.Critical && !r.State.Ended(), Live: r.Live,
		Started: timeOut(r.Started), Ended: timeOut(r.Ended), Seconds: secondsOut(r.Started, r.Ended),
		Signal: r.ExitSig, Command: nonNilStrings(r.Argv), LogBytes: r.LogBytes,
		Verified: r.Verified, Error: firstNonEmpty(r.Error, r.VerifyError, r.LogError),
		Phases: []phaseJSON{}, Events: []eventJSON{}, Existing: nonNilStrings(r.Existing),
	}
	if j.Critical {
		j.CriticalWhy = r.CriticalWhy
	}
	// PhaseText marks "(protected)"; the boolean says it here.
	j.Phase = strings.TrimSuffix(j.Phase, " (protected)")
	if r.State == job.StateUnreadable {
		j.Phase, j.Error = "", r.Error
	}
	if r.Dir != "" {
		j.Log = r.LogPath()
	}
	if r.State.Ended() && r.State != job.StateLost && r.State != job.StateUnreadable {
		code := r.ExitCode
		j.ExitCode = &code
	}
	if r.State != job.StateUnreadable {
		p := r.Plan
		j.Kind = p.PlanKind().String()
		j.Plan = &planJSON{Kind: p.PlanKind().String(), Name: p.Name, Type: string(p.Type), Source: p.Source,
			Stateless: p.Stateless, Location: p.Location, Dump: p.Dump, Verbose: !p.Quiet, Attrs: nonNil(p.Extra),
			From: p.From, CopyLppSource: p.CopyLppSource, UpdateFrom: string(p.UpdateFrom)}
	}
	for _, p := range r.Phases {
		j.Phases = append(j.Phases, phaseJSON{Phase: p.Phase.String(), Label: p.Label, State: phaseStateNames[p.State],
			Started: timeOut(p.Started), Ended: timeOut(p.Ended), Seconds: secondsOut(p.Started, p.Ended)})
	}
	for _, e := range r.Events {
		j.Events = append(j.Events, eventJSON{Time: e.Time, Signal: e.Signal, Phase: e.Phase, Action: e.Action, Why: e.Why})
	}
	return j
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// checkOutJSON is check --json.
type checkOutJSON struct {
	Osimage  osimageJSON   `json:"osimage"`
	Problems int           `json:"problems"` // findings of level "problem" (exit 1 when any)
	Findings []findingJSON `json:"findings"`
}

type findingJSON struct {
	Level string `json:"level"` // ok, warning, problem
	Text  string `json:"text"`
	Fix   string `json:"fix"` // a command or what to do; "" when nothing is to be done
}

var findingLevels = map[nim.FindingLevel]string{nim.FindingOK: "ok", nim.FindingWarning: "warning", nim.FindingProblem: "problem"}

func checkOut(ic nim.ImageCheck) checkOutJSON {
	out := checkOutJSON{Osimage: osimageOut(ic.Osimage), Problems: ic.Problems(), Findings: []findingJSON{}}
	for _, f := range ic.Findings {
		out.Findings = append(out.Findings, findingJSON{Level: findingLevels[f.Level], Text: f.Text, Fix: f.Fix})
	}
	return out
}
