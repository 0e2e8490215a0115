// Package nim is nimwiz's domain core: plans for xCAT's mknimimage, the
// parsers for NIM and xCAT output, the phases of a run, and the executor that
// runs NIM/xCAT commands by argv. It knows nothing about terminals.
package nim

import (
	"fmt"
	"time"
)

// MaxNameLen is NIM's limit on object names (AIX "Naming NIM object definitions").
const MaxNameLen = 39

// DefaultLocation is mknimimage's default base directory (<site.installdir>/nim).
const DefaultLocation = "/install/nim"

// NimType is the -t value of mknimimage that nimwiz supports.
type NimType string

const (
	Diskless NimType = "diskless"
	Dataless NimType = "dataless"
)

// PlanKind says what a plan has mknimimage do. The zero value is create, so
// plan files written before kinds existed keep their meaning.
type PlanKind string

const (
	// KindCreate: mknimimage -t TYPE -s SOURCE NAME makes a new osimage.
	KindCreate PlanKind = "create"
	// KindUpdate: mknimimage -u NAME installs software into the SPOT of an
	// existing osimage (aixinstall.pm 2.9.2 spot_updates L1400-1790).
	KindUpdate PlanKind = "update"
	// KindCopy: mknimimage -t TYPE -i OLD [-p] NAME makes a new osimage
	// from an existing one: its SPOT copied with cpcosi, a new root or
	// shared_root, the rest shared (L4191-4259, L3161-3380).
	KindCopy PlanKind = "copy"
)

// UpdateFrom says where an update takes the software it installs (the man
// page's "two ways to use the update feature", mknimimage.1.pod 2.9.2
// L33-37; spot_updates L1560-1600).
type UpdateFrom string

const (
	// FromDefinition: no installp_bundle, otherpkgs or synclists on the
	// command line, so mknimimage installs the osimage definition's (the
	// definition keeps a record of what the SPOT holds).
	FromDefinition UpdateFrom = "definition"
	// FromPlan: the plan's installp_bundle, otherpkgs and synclists go on
	// the command line and replace the definition's, which is neither used
	// nor changed (an "ad hoc" update).
	FromPlan UpdateFrom = "plan"
)

// Plan is one run of mknimimage: an osimage to create (the default), an
// osimage whose SPOT to update, or one to copy.
type Plan struct {
	// Kind is create (also when empty), update or copy.
	Kind PlanKind `toml:"kind"`
	// Name is the osimage the run creates (create, copy: the new one) or
	// updates; the SPOT has the same name.
	Name      string  `toml:"name"`
	Type      NimType `toml:"type"`
	Source    string  `toml:"source"`    // /dev/cd0, an absolute image directory, or an lpp_source name
	Stateless bool    `toml:"stateless"` // -r: shared_root instead of root
	Location  string  `toml:"location"`  // -l; empty means DefaultLocation
	Dump      bool    `toml:"dump"`      // -D
	// Quiet leaves -V out. A plan file says it as verbose = false; -V is
	// the default because without it a failing NIM command reaches the
	// admin as "Could not create a NIM definition" and nothing of NIM's
	// own reason (xcat-client-behaviour.md §4). The zero Plan is verbose.
	Quiet bool              `toml:"-"`
	Extra map[string]string `toml:"resources"` // attr=value pairs: NIM resources and options (the attribute table)

	// From is the osimage a copy is made from (-i OLD).
	From string `toml:"from"`
	// CopyLppSource also copies From's lpp_source (-p) instead of sharing it.
	CopyLppSource bool `toml:"copy_lpp_source"`
	// UpdateFrom says where an update's software comes from; empty means
	// FromPlan when the plan names installp_bundle, otherpkgs or synclists,
	// else FromDefinition (as mknimimage decides, L1560-1600).
	UpdateFrom UpdateFrom `toml:"update_from"`
}

// SourceKind says what a plan's Source names.
type SourceKind int

const (
	SourceUnknown   SourceKind = iota
	SourceDevice               // /dev/cd0 and the like
	SourceDirectory            // an absolute directory of installp images
	SourceLppSource            // the name of an existing lpp_source
)

// Problem is one thing wrong with a plan: the field it concerns and how to fix it.
type Problem struct {
	Field   string // "name", "type", "source", "location", "resources.<attr>", ...
	Message string // says what is wrong and how to fix it
}

func (p Problem) Error() string { return p.Field + ": " + p.Message }

// PlannedResource is one NIM resource a run will create or reuse.
type PlannedResource struct {
	Attr     string // osimage attribute: lpp_source, spot, root, shared_root, paging, dump, resolv_conf, ...
	Type     string // NIM type (same as Attr for everything mknimimage makes)
	Name     string
	Location string // empty for reused resources whose location is not known from the plan
	Reused   bool   // true when the plan names an existing resource
	// Changed: an existing resource the run changes (the SPOT an update
	// installs into). Changed resources are also Reused.
	Changed bool
	// Either: one of two names the run creates, depending on the osimage a
	// copy is made from (NEW_root for a stateful one, NEW_shared_root for a
	// stateless one) when the plan alone cannot tell which.
	Either bool
}

// Attr is one "key = value" line of an lsnim -l stanza, in output order.
type Attr struct {
	Key, Value string
}

// Object is one NIM object from lsnim -l. Keys may repeat (e.g. serves on master).
type Object struct {
	Name  string
	Attrs []Attr
}

// Get returns the first value of key, or "".
func (o Object) Get(key string) string {
	for _, a := range o.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// RstateReady is the only Rstate in which a resource may be used.
const RstateReady = "ready for use"

// Ready reports whether the object's Rstate is "ready for use".
func (o Object) Ready() bool { return o.Get("Rstate") == RstateReady }

// HasSimages reports whether an lpp_source holds the support images a SPOT
// is built from (simages = yes; aix-nim.md §3, §5).
func (o Object) HasSimages() bool { return o.Get("simages") == "yes" }

// Listing is one line of plain lsnim output: name, class, type.
type Listing struct {
	Name, Class, Type string
}

// Osimage is one xCAT osimage definition (lsdef long form or the mknimimage summary).
type Osimage struct {
	Name  string
	Attrs map[string]string
}

// CDDevice is one line of lsdev -Cc cdrom.
type CDDevice struct {
	Name, Status, Location, Description string
}

// Fileset is one row of nim -o showres (lslpp -L of a SPOT, installp -l of an lpp_source).
type Fileset struct {
	Name, Level, State, Type, Description string
}

// Phase is a step of a mknimimage run. Their order is phaseOrder's (the
// values are stored in job records, so new phases are added at the end).
type Phase int

const (
	PhaseStart      Phase = iota // nothing seen yet
	PhaseCheckNIM                // checking, or "Configuring NIM."
	PhaseLppSource               // lpp_source created, copied or reused
	PhaseSpot                    // SPOT creation: silent, long, critical
	PhaseRoot                    // root or shared_root
	PhaseDump                    // only with -D
	PhasePaging                  // diskless only
	PhaseDefinition              // xCAT osimage definition written (no message of its own)
	PhaseSpotUpdate              // "Updating the NIM spot resource ..." and root password: critical
	PhaseSummary                 // the summary block
	PhaseDone                    // command exited

	// The steps inside the SPOT of mknimimage -u (update_spot_sw,
	// sync_spot_files), in the order xCAT runs them for otherpkgs, and the
	// removal of the service nodes' copies after it.
	PhaseInstallp     // installp filesets (bundles and otherpkgs)
	PhaseRPM          // RPM packages
	PhaseEmgr         // interim fixes
	PhaseSynclists    // files rsynced into the SPOT
	PhaseServiceNodes // the service nodes' SPOT copies removed

	phaseCount // not a phase: the number of them
)

// phaseOrder is the order of the phases in a run: each kind of run passes
// through some of them, always in this order.
var phaseOrder = [...]Phase{PhaseStart, PhaseCheckNIM, PhaseLppSource, PhaseSpot, PhaseRoot, PhaseDump, PhasePaging,
	PhaseDefinition, PhaseSpotUpdate, PhaseInstallp, PhaseRPM, PhaseEmgr, PhaseSynclists, PhaseServiceNodes,
	PhaseSummary, PhaseDone}

// phaseRank is each phase's place in phaseOrder.
var phaseRank = func() [phaseCount]int {
	var r [phaseCount]int
	for i, p := range phaseOrder {
		r[p] = i
	}
	return r
}()

// Rank is the phase's place in a run (phases of every kind in one order).
func (p Phase) Rank() int {
	if p >= 0 && p < phaseCount {
		return phaseRank[p]
	}
	return -1
}

// Before reports whether p comes before q in a run.
func (p Phase) Before(q Phase) bool { return p.Rank() < q.Rank() }

// Critical reports whether interrupting this phase corrupts the SPOT.
func (p Phase) Critical() bool {
	switch p {
	case PhaseSpot, PhaseSpotUpdate, PhaseInstallp, PhaseRPM, PhaseEmgr, PhaseSynclists:
		return true
	}
	return false
}

// String is the phase's name in messages and tables ("SPOT creation").
func (p Phase) String() string {
	if p >= 0 && int(p) < len(phaseNames) {
		return phaseNames[p].name
	}
	return fmt.Sprintf("phase %d", int(p))
}

// row is the phase's label as a row of a run's phase list ("SPOT"); the
// tracker says "shared_root" for a stateless root.
func (p Phase) row() string {
	if p >= 0 && int(p) < len(phaseNames) {
		return phaseNames[p].row
	}
	return p.String()
}

// phaseNames is the one table of phase names.
var phaseNames = [...]struct{ name, row string }{
	PhaseStart:      {"starting", "start"},
	PhaseCheckNIM:   {"NIM check", "NIM check"},
	PhaseLppSource:  {"lpp_source", "lpp_source"},
	PhaseSpot:       {"SPOT creation", "SPOT"},
	PhaseRoot:       {"root", "root"},
	PhaseDump:       {"dump", "dump"},
	PhasePaging:     {"paging", "paging"},
	PhaseDefinition: {"osimage definition", "osimage definition"},
	PhaseSpotUpdate: {"SPOT update", "SPOT update"},
	PhaseSummary:    {"summary", "summary"},
	PhaseDone:       {"done", "done"},

	PhaseInstallp:     {"installp filesets", "installp filesets"},
	PhaseRPM:          {"RPM packages", "RPM packages"},
	PhaseEmgr:         {"interim fixes", "interim fixes"},
	PhaseSynclists:    {"synclists", "synclists"},
	PhaseServiceNodes: {"service nodes", "service nodes"},
}

// Risk says why an interrupt now could harm the SPOT (Tracker.Risk).
type Risk int

const (
	RiskNone       Risk = iota // proven safe: the lpp_source copy runs, or the summary is printed
	RiskNotLive                // the output is not proven live, so the phase cannot be known
	RiskUnknown                // nothing proves yet that the SPOT is not being made
	RiskSpotNext               // the lpp_source is ready: the SPOT comes next
	RiskSpot                   // the SPOT is being created
	RiskAfterSpot              // the SPOT is built; short steps, then the SPOT update
	RiskSpotUpdate             // the SPOT is being updated
	RiskUpdate                 // mknimimage -u: protected from start to end
	RiskCopyNext               // a copy: the SPOT copy (cpcosi) comes next
	RiskSpotCopy               // a copy: cpcosi is copying the SPOT
)

// Why says, for the admin, why an interrupt is refused ("" for RiskNone).
func (r Risk) Why() string {
	switch r {
	case RiskNotLive:
		return "mknimimage's output is not reaching nimwiz as it is printed, so nimwiz cannot tell when the SPOT is being built: the whole run is protected"
	case RiskUnknown:
		return "nothing has shown yet that mknimimage is not building the SPOT"
	case RiskSpotNext:
		return "the lpp_source is ready and the SPOT is created next"
	case RiskSpot:
		return "the SPOT is being created"
	case RiskAfterSpot:
		return "the SPOT is built; mknimimage goes on to the SPOT update"
	case RiskSpotUpdate:
		return "the SPOT is being updated"
	case RiskUpdate:
		return "mknimimage -u updates the SPOT: from its first check to its end the whole run is protected"
	case RiskCopyNext:
		return "the SPOT copy (cpcosi) comes next, and xCAT's output cannot show in time when it starts"
	case RiskSpotCopy:
		return "the SPOT is being copied (cpcosi)"
	}
	return ""
}

// PhaseState is how far a phase got.
type PhaseState int

const (
	PhasePending PhaseState = iota
	PhaseRunning
	PhaseDoneOK
	PhaseReused
	PhaseSkipped // not part of this plan (e.g. dump without -D)
	PhaseFailed
)

// PhaseStatus is one row of the tracker's phase list.
type PhaseStatus struct {
	Phase   Phase
	Label   string // "lpp_source", "SPOT", "root" or "shared_root", ...
	State   PhaseState
	Started time.Time
	Ended   time.Time
}
