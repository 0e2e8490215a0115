package steps

// What both modes of the create wizard say and check: the full-screen steps
// of this package and the line prompts of ui/plain. Each text or check is
// written once, here, so the two modes cannot drift apart. Nothing in this
// file knows Bubble Tea, styles or keys (TestSharedIsPlain checks its
// imports): a text that names a key takes it as an argument ("press r" on
// the screen, "type r" at the prompts).

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// Choice is one row of a fixed list of answers.
type Choice struct {
	Title string // the row's name
	Flags string // the mknimimage flags it stands for, if any
	What  string // what choosing it means
}

// ---- Name ----

// NameQuestion and NameExplain open the name step.
const (
	NameQuestion = "What should the new osimage be called?"
	NameExplain  = "The name is used for the xCAT osimage and for its SPOT. " +
		"The NIM resources made for it are named after it: NAME_lpp_source, NAME_root or NAME_shared_root, NAME_paging, NAME_dump. " +
		"Letters, digits, '-' and '_'."
)

// LongestSuffix is the longest suffix the plan adds to its name for a
// resource it creates ("_shared_root"), or "" when it creates none.
func LongestSuffix(p nim.Plan) string {
	longest := ""
	for _, r := range p.Resources() {
		if !r.Reused && strings.HasPrefix(r.Name, p.Name) && len(r.Name)-len(p.Name) > len(longest) {
			longest = r.Name[len(p.Name):]
		}
	}
	return longest
}

// NameLimit says how long the name may be for plan p; longest is how the
// longest resource name is written ("NAME_shared_root").
func NameLimit(p nim.Plan, longest string) string {
	return fmt.Sprintf("At most %d characters for this plan: NIM allows %d, and %s must fit.", p.LongestName(), nim.MaxNameLen, longest)
}

// TakenProblem says why name cannot be used, or "" when t says it is free.
func TakenProblem(name string, t nim.Taken) string {
	switch {
	case t.Osimage:
		return fmt.Sprintf("an xCAT osimage named %q already exists; choose another name (see it with: lsdef -t osimage %s)", name, name)
	case t.NIMType != "":
		return fmt.Sprintf("%q is already a NIM %s object, and NIM names must be unique; choose another name", name, t.NIMType)
	}
	return ""
}

// NameFree confirms a name NIM said is free.
func NameFree(name string) string { return fmt.Sprintf("%q is free in xCAT and NIM.", name) }

// SuggestBases lists the names a suggestion may start from: the osimage
// copied (--from), then one derived from the source (an lpp_source's name
// without its _lpp_source suffix, a directory's last element), then
// "osimage".
func SuggestBases(p nim.Plan, from string) []string {
	var out []string
	add := func(s string) {
		s = sanitizeName(s)
		if s != "" {
			out = append(out, s)
		}
	}
	add(from)
	switch p.SourceKind() {
	case nim.SourceLppSource:
		n := p.Source
		for _, suf := range []string{"_lpp_source", "-lpp_source", "_lpp", "-lpp"} {
			n = strings.TrimSuffix(n, suf)
		}
		add(n)
	case nim.SourceDirectory:
		add(path.Base(p.Source))
	}
	add("osimage")
	return out
}

var nameJunk = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func sanitizeName(s string) string {
	s = nameJunk.ReplaceAllString(s, "")
	if len(s) > 24 {
		s = s[:24]
	}
	return s
}

// SuggestName finds a name free in xCAT and NIM for plan p: for each of
// SuggestBases(p, from), base, base_2 ... base_9 (osimage1 ... osimage9 for
// "osimage"), skipping from itself (it exists) and stopping at the first
// that is invalid or too long for the plan. "" when none is free.
func SuggestName(ctx context.Context, n NIM, p nim.Plan, from string) (string, error) {
	for _, b := range SuggestBases(p, from) {
		for i := 1; i <= 9; i++ {
			cand := b
			if i > 1 || b == "osimage" {
				cand = fmt.Sprintf("%s%d", b, i)
				if b != "osimage" {
					cand = fmt.Sprintf("%s_%d", b, i)
				}
			}
			if b == from && i == 1 {
				continue // the osimage copied from exists
			}
			q := p
			q.Name = cand
			if nim.ValidName(cand) != nil || len(cand) > q.LongestName() {
				break
			}
			t, err := n.NameTaken(ctx, cand)
			if err != nil {
				return "", err
			}
			if !t.Any() {
				return cand, nil
			}
		}
	}
	return "", nil
}

// ---- Source ----

// The kinds of source, indexes into SourceKinds.
const (
	KindMedia = iota
	KindDirectory
	KindLppSource
)

// SourceKinds are the kinds of source in the order listed.
var SourceKinds = []Choice{
	KindMedia:     {Title: "Product media", What: "AIX DVD/CD in a drive here, copied to a new lpp_source"},
	KindDirectory: {Title: "Image directory", What: "installp images on disk, copied to a new lpp_source"},
	KindLppSource: {Title: "Existing lpp_source", What: "reuse an lpp_source NIM has; nothing is copied"},
}

// SourceQuestion opens the source step.
const SourceQuestion = "Where should the AIX software come from?"

// KindOf is the kind of source plan p names; KindMedia when it names none.
func KindOf(p nim.Plan) int {
	switch p.SourceKind() {
	case nim.SourceDirectory:
		return KindDirectory
	case nim.SourceLppSource:
		return KindLppSource
	}
	return KindMedia
}

// DefaultImageDirs are where the directory field starts: the first that
// exists (under Env.Root) wins.
var DefaultImageDirs = []string{"/usr/sys/inst.images/", "/export/", "/"}

// NoDrives says the master has no CD/DVD drive.
const NoDrives = "This master has no CD/DVD drive (lsdev -Cc cdrom lists none). Copy the media to a directory on another system, or choose an image directory."

// DeviceUsable reports whether the drive can be read: only an Available one.
func DeviceUsable(d nim.CDDevice) bool { return strings.EqualFold(d.Status, "Available") }

// DeviceRow is a drive as listed: /dev/NAME, status, location and description.
func DeviceRow(d nim.CDDevice) string {
	return fmt.Sprintf("/dev/%-6s %-10s %s", d.Name, d.Status, strings.TrimSpace(d.Location+" "+d.Description))
}

// DeviceRefusal says why drive d cannot be chosen and how to fix it; retry
// is how the admin looks again ("press r", "type r").
func DeviceRefusal(d nim.CDDevice, retry string) string {
	return fmt.Sprintf("%s is %s, not Available: AIX knows the drive but it is not configured. Configure it with `mkdev -l %s` (or `cfgmgr`), then %s to look again.", d.Name, d.Status, d.Name, retry)
}

// NoLppSources says NIM has no lpp_source to reuse.
const NoLppSources = "NIM has no lpp_source yet. Choose product media or an image directory and mknimimage will create one."

// LppNameWidth is the width of the name column in a list of lpp_sources.
func LppNameWidth(lpps []nim.Object) int {
	w := 12
	for _, o := range lpps {
		w = max(w, len(o.Name))
	}
	return w
}

// LppRow is an lpp_source as listed: name (in a column of nameW), Rstate,
// location.
func LppRow(o nim.Object, nameW int) string {
	return fmt.Sprintf("%s  %-22s %s", pad(o.Name, nameW), o.Get("Rstate"), o.Get("location"))
}

// LppRefusal says why lpp_source o cannot be chosen and how to fix it.
func LppRefusal(o nim.Object) string {
	rs := o.Get("Rstate")
	if rs == "" {
		rs = "unknown"
	}
	return fmt.Sprintf("%s is %q: NIM uses only a resource that is %q. Check it with `nim -Fo check %s`, or choose another.", o.Name, rs, nim.RstateReady, o.Name)
}

// LayoutFinding says what InspectDir found in a directory with a .toc, or
// "" for any other layout (each mode words those itself).
func LayoutFinding(r DirReport) string {
	switch r.Layout {
	case LayoutInstallp:
		return fmt.Sprintf("installp images in installp/ppc, with a .toc (%d image files).", r.Images)
	case LayoutFlat:
		return fmt.Sprintf("installp images with a .toc (%d image files).", r.Images)
	case LayoutInstImage:
		return fmt.Sprintf("installp images in usr/sys/inst.images, with a .toc (%d image files).", r.Images)
	}
	return ""
}

// ---- Node type ----

// Node type choices, indexes into NodeTypes; the first is the default.
const (
	TypeStateful = iota
	TypeStateless
	TypeDataless
)

// NodeTypes are the node types in the order listed, with what each costs.
var NodeTypes = []Choice{
	TypeStateful: {"Diskless, stateful", "-t diskless",
		"Each node gets its own root directory on the master (a NIM root resource), so files a node writes survive a reboot. Costs disk on the master for every node (tens of MB each) and all I/O crosses the network. Paging goes to the master too. The usual choice."},
	TypeStateless: {"Diskless, stateless", "-t diskless -r",
		"All nodes share one read-only root (a shared_root resource). What a node writes goes to memory and is lost at reboot, so every boot starts clean. Least disk on the master, easy to keep nodes identical; logs and local changes must go elsewhere."},
	TypeDataless: {"Dataless", "-t dataless",
		"Nodes have a local disk used for paging and dump; the rest of the system (/usr, root) comes from NIM. Less network traffic than diskless, no paging resource on the master, but each node needs a disk."},
}

// NodeTypeQuestion opens the node type step.
const NodeTypeQuestion = "What kind of nodes will boot this image?"

// NodeTypeOf is the node type plan p asks for.
func NodeTypeOf(p nim.Plan) int {
	switch {
	case p.Type == nim.Dataless:
		return TypeDataless
	case p.Stateless:
		return TypeStateless
	}
	return TypeStateful
}

// WithNodeType returns p with node type i (an index into NodeTypes).
func WithNodeType(p nim.Plan, i int) nim.Plan {
	switch i {
	case TypeStateful:
		p.Type, p.Stateless = nim.Diskless, false
	case TypeStateless:
		p.Type, p.Stateless = nim.Diskless, true
	case TypeDataless:
		p.Type, p.Stateless = nim.Dataless, false
	}
	return p
}

// ---- Location ----

// LocationQuestion and LocationExplain open the location step.
const (
	LocationQuestion = "Where should the new NIM resources live?"
	LocationExplain  = "mknimimage makes a directory per resource under this one: lpp_source/, spot/, root/ or shared_root/, paging/, dump/. " +
		"The default is " + nim.DefaultLocation + "; change it only to use another filesystem."
)

// What mknimimage's own free-space checks ask for (chkFSspace in
// aixinstall.pm): 1500 MB for an lpp_source copy, 800 MB for the SPOT.
const (
	NeedLppSource = 1500 << 20
	NeedSpot      = 800 << 20
)

// Need is about how much space plan p takes under its location.
func Need(p nim.Plan) uint64 {
	n := uint64(NeedSpot)
	if p.SourceKind() != nim.SourceLppSource {
		n += NeedLppSource
	}
	return n
}

// NeedParts says what Need adds up.
func NeedParts(p nim.Plan) string {
	if p.SourceKind() != nim.SourceLppSource {
		return "lpp_source copy 1.5 GB + SPOT 800 MB"
	}
	return "SPOT 800 MB"
}

// MeasureFree measures the free space for location loc (a host path) on
// the filesystem of its deepest existing directory, dir: mknimimage
// creates loc itself.
func (e Env) MeasureFree(loc string) (free uint64, dir string, err error) {
	dir = nearestExisting(e.Root, loc)
	free, err = e.freeSpace(hostPath(e.Root, dir))
	return free, dir, err
}

// FreeText reports the free space measured on the filesystem holding dir.
func FreeText(free uint64, dir string) string {
	return fmt.Sprintf("%s free on the filesystem holding %s.", FormatSize(free), dir)
}

// ShortText warns that the filesystem holding dir has less than need free:
// a warning, never a refusal (mknimimage grows filesystems when it can).
func ShortText(free uint64, dir string, need uint64) string {
	return fmt.Sprintf("only %s free on the filesystem holding %s; this plan needs about %s. mknimimage will try to grow it (chfs); if it cannot, the run stops part way.",
		FormatSize(free), dir, FormatSize(need))
}

// FormatSize renders bytes as "1.5 GB" / "800 MB".
func FormatSize(b uint64) string {
	const mb = 1 << 20
	const gb = 1 << 30
	if b >= gb {
		return fmt.Sprintf("%.1f GB", float64(b)/gb)
	}
	return fmt.Sprintf("%d MB", b/mb)
}

// ---- Dump ----

// DumpQuestion and DumpExplain open the dump step.
const (
	DumpQuestion = "Create a dump resource?"
	DumpExplain  = "A dump resource is space on the master where a diskless node writes its system dump if AIX crashes, " +
		"so IBM support can find the cause. It costs disk (mknimimage's default is up to 50 GB) and is only needed when you want crash dumps. " +
		"You can add one later by running mknimimage again with -D."
)

// DumpChoices are the dump step's answers: no, then yes.
var DumpChoices = []string{"No, no dump resource", "Yes, create NAME_dump (-D)"}

// DumpSupported says xCAT version ver can create dump resources.
func DumpSupported(ver string) string {
	return fmt.Sprintf("xCAT %s: dump resources are supported.", ver)
}

// DumpUnsupported says xCAT version ver cannot.
func DumpUnsupported(ver string) string {
	return fmt.Sprintf("xCAT %s is older than 2.5: dump resources are not supported.", ver)
}

// DumpRefusal refuses a dump with xCAT version ver; choiceNo is how the
// admin answers no ("no", "1 (no)").
func DumpRefusal(ver, choiceNo string) string {
	return fmt.Sprintf("this xCAT is %s; dump resources need xCAT 2.5 or later. Choose %s, or update xCAT first.", ver, choiceNo)
}

// DumpVersionUnknown is the preview's warning when a dump was chosen but
// the xCAT version could not be read.
const DumpVersionUnknown = "the xCAT version could not be checked; dump resources need xCAT 2.5 or later"

// ---- Extra resources ----

// ExtraTypes are the NIM resource types the wizard offers to add, in the
// order shown: the attribute table's resources offered by the wizard (each
// is also the osimage attribute that names it).
var ExtraTypes = nim.AttrNames(func(a nim.AttrSpec) bool { return a.Wizard && a.Kind == nim.ResourceAttr })

// ExtraOptions are the options (attr=value that are not resources) the
// wizard takes at the extras step, in the attribute table's order.
var ExtraOptions = nim.AttrNames(func(a nim.AttrSpec) bool { return a.Wizard && a.Kind == nim.OptionAttr })

// ExtraWhat says in a few words what an offered attribute gives the nodes
// (the attribute table's description).
func ExtraWhat(t string) string {
	a, _ := nim.LookupAttr(t)
	return a.What
}

// IsExtraType reports whether t is one of ExtraTypes.
func IsExtraType(t string) bool {
	a, ok := nim.LookupAttr(t)
	return ok && a.Wizard && a.Kind == nim.ResourceAttr
}

// IsExtraOption reports whether t is one of ExtraOptions.
func IsExtraOption(t string) bool {
	a, ok := nim.LookupAttr(t)
	return ok && a.Wizard && a.Kind == nim.OptionAttr
}

// IsList reports whether attribute attr takes a comma-separated list.
func IsList(attr string) bool {
	a, _ := nim.LookupAttr(attr)
	return a.List
}

// ExtraItems are the resources of all that can be added, in the order
// listed: by ExtraTypes, then by name.
func ExtraItems(all []nim.Listing) []nim.Listing {
	var items []nim.Listing
	for _, l := range all {
		if IsExtraType(l.Type) {
			items = append(items, l)
		}
	}
	order := map[string]int{}
	for i, t := range ExtraTypes {
		order[t] = i
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Type != b.Type {
			return order[a.Type] < order[b.Type]
		}
		return a.Name < b.Name
	})
	return items
}

// ExtraAttrs is the plan's Extra for the items checked (a multi-valued
// attribute lists its resources comma-separated, in items' order) plus
// kept as it is; nil when there are none.
func ExtraAttrs(items []nim.Listing, checked func(i int) bool, kept map[string]string) map[string]string {
	extra := map[string]string{}
	for i, l := range items {
		if checked(i) {
			if v := extra[l.Type]; v != "" {
				extra[l.Type] = v + "," + l.Name
			} else {
				extra[l.Type] = l.Name
			}
		}
	}
	for a, v := range kept {
		extra[a] = v
	}
	if len(extra) == 0 {
		return nil
	}
	return extra
}

// FindExtra is the index in items of the resource of type attr named name,
// or -1.
func FindExtra(items []nim.Listing, attr, name string) int {
	for i, l := range items {
		if l.Type == attr && l.Name == name {
			return i
		}
	}
	return -1
}

// ExtraPrefill sorts a plan's Extra for the extras step, attribute by
// attribute: the items it names (indexes into items, to check); the
// attributes the step does not list, kept as they are (options such as
// otherpkgs, and a root or dump named by a saved plan or by the osimage
// copied: the preview validates them); and the resources of offered types
// that items lacks, as attr=name (dropped: NIM does not have them). kept is
// never nil.
func ExtraPrefill(extra map[string]string, items []nim.Listing) (checked []int, kept map[string]string, dropped []string) {
	kept = map[string]string{}
	attrs := make([]string, 0, len(extra))
	for a := range extra {
		attrs = append(attrs, a)
	}
	sort.Strings(attrs)
	for _, a := range attrs {
		if !IsExtraType(a) {
			kept[a] = extra[a]
			continue
		}
		for _, n := range strings.Split(extra[a], ",") {
			if i := FindExtra(items, a, strings.TrimSpace(n)); i >= 0 {
				checked = append(checked, i)
			} else {
				dropped = append(dropped, a+"="+n)
			}
		}
	}
	return checked, kept, dropped
}

// JoinPairs lists m as attr=value, by attr, comma-separated.
func JoinPairs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + m[k]
	}
	return strings.Join(out, ", ")
}

// DroppedExtra warns that attr=name, named by the plan being re-created or
// loaded, was left out because NIM no longer has that resource.
func DroppedExtra(pair string) string {
	return pair + " (named in the plan) is not in NIM any more and was left out"
}

// KeptExtras is the line under the extras list naming the attributes kept
// as they are; remove says how to remove one ("type attr=").
func KeptExtras(kept map[string]string, remove string) string {
	return "Also in the plan, kept as they are (" + remove + " to remove one): " + JoinPairs(kept)
}

// OptionsLine is the line under the extras list naming the options; typing
// names how the admin types one ("type", "tab, then type").
func OptionsLine(typing string) string {
	return "Options: " + typing + " attr=value (an option's name alone explains it): " + strings.Join(ExtraOptions, ", ")
}

// AttrHelp explains an attribute typed alone (no '='), or says false when
// in is not one the extras step takes.
func AttrHelp(in string) (string, bool) {
	attr := strings.TrimSpace(in)
	a, ok := nim.LookupAttr(attr)
	if strings.Contains(in, "=") || !ok || !a.Wizard {
		return "", false
	}
	ex := a.Example
	if a.Kind == nim.ResourceAttr {
		ex = "NAME"
		if a.List {
			ex = "NAME1,NAME2"
		}
	}
	return fmt.Sprintf("%s: %s. Type %s=%s", attr, a.What, attr, ex), true
}

// ExtraTyped applies what was typed at the extras step for plan p on the
// master whose host paths root prefixes ("" on a real master).
// "attr=name" (names comma-separated for a list) checks those resources of
// items with set; "attr=value" of an option puts it in kept once the plan
// takes it (nim.Plan.CheckAttr) and, for a file (synclists), once the file
// is on the master (nim.Plan.CheckHost); "attr=" removes attr: the kept attribute
// of that name (deleted from kept), or else every resource of an offered
// type. It returns the confirmation or refusal, whether it was applied, and
// the first item checked (-1 when none). Nothing is applied when anything
// is refused.
func ExtraTyped(in string, p nim.Plan, root string, items []nim.Listing, kept map[string]string, set func(i int, on bool)) (msg string, ok bool, first int) {
	attr, val, found := strings.Cut(in, "=")
	attr, val = strings.TrimSpace(attr), strings.TrimSpace(val)
	switch {
	case !found || attr == "":
		return ExtraUsage, false, -1
	case val == "":
		if _, ok := kept[attr]; ok {
			delete(kept, attr)
			return ExtraRemoved(attr), true, -1
		}
		if !IsExtraType(attr) {
			return fmt.Sprintf("%s is not in the plan: nothing to remove", attr), false, -1
		}
		for i, l := range items {
			if l.Type == attr {
				set(i, false)
			}
		}
		return "removed every " + attr, true, -1
	case IsExtraOption(attr):
		if err := p.CheckAttr(attr, val); err != nil {
			return attr + ": " + err.Error(), false, -1
		}
		q := p
		q.Extra = map[string]string{attr: val}
		if msg := fieldProblem(q.CheckHost(root), nim.AttrField(attr)); msg != "" {
			return attr + ": " + msg, false, -1
		}
		kept[attr] = val
		return ExtraAdded(attr, val), true, -1
	case !IsExtraType(attr):
		return NotExtraType(attr), false, -1
	}
	names := strings.Split(val, ",")
	if len(names) > 1 && !IsList(attr) {
		return fmt.Sprintf("%s takes one resource; type one name", attr), false, -1
	}
	var idx []int
	for j, n := range names {
		n = strings.TrimSpace(n)
		if err := p.CheckAttr(attr, n); err != nil {
			return attr + ": " + err.Error(), false, -1
		}
		i := FindExtra(items, attr, n)
		if i < 0 {
			return NoSuchResource(attr, n), false, -1
		}
		idx, names[j] = append(idx, i), n
	}
	for _, i := range idx {
		set(i, true)
	}
	return ExtraAdded(attr, strings.Join(names, ",")), true, idx[0]
}

// ExtrasQuestion and ExtrasExplain open the extra resources step.
const (
	ExtrasQuestion = "Add existing NIM resources and options? (optional)"
	ExtrasExplain  = "Nodes booting this image can also get resources NIM already has, and options for mknimimage."
)

// NoExtras says NIM has nothing to add; enter names the key that goes on.
func NoExtras(enter string) string {
	return "NIM has no resources of these types (" + strings.Join(ExtraTypes, ", ") + "). Press " + enter + " to go on without extras."
}

// ExtraUsage says how to add a resource or an option by name.
const ExtraUsage = "type attr=value, e.g. resolv_conf=cluster_resolv or otherpkgs=I:openssh.base"

// NotExtraType refuses an attribute the wizard does not add.
func NotExtraType(attr string) string {
	return fmt.Sprintf("%q is not one of the resources nimwiz adds here (%s) or its options (%s)", attr, strings.Join(ExtraTypes, ", "), strings.Join(ExtraOptions, ", "))
}

// NoSuchResource refuses a resource NIM does not have.
func NoSuchResource(attr, name string) string {
	return fmt.Sprintf("NIM has no %s resource named %q. Create it with NIM first (smitty nim_mkres, or nim -o define -t %s ...), then come back.", attr, name, attr)
}

// ExtraAdded confirms attr=val was added.
func ExtraAdded(attr, val string) string { return fmt.Sprintf("added %s=%s", attr, val) }

// ExtraRemoved confirms the kept attribute attr was removed from the plan.
func ExtraRemoved(attr string) string { return "removed " + attr }

// ---- Preview ----

// The preview's headings and its closing caution.
const (
	PreviewHeading = "Review the plan. Nothing has been changed on the NIM master yet."
	CommandLabel   = "Command (copy it to run it yourself):"
	ResourcesLabel = "NIM resources:"
	ProblemsLabel  = "Problems to fix before creating:"
	WarningsLabel  = "Warnings:"
	PreviewCaution = "Caution: creating the SPOT takes a long time (often 20 to 60 minutes) and cannot be interrupted safely: stopping NIM while it builds a SPOT leaves a broken resource. Start it when the master can stay up."
)

// VerboseNote says what -V does for plan p, or what its absence costs.
func VerboseNote(p nim.Plan) string {
	if p.Quiet {
		return "No -V (verbose = false in the plan): if NIM fails, you see only xCAT's \"Could not create a NIM definition\", not NIM's reason."
	}
	return "-V: mknimimage shows each command it runs and, if NIM fails, NIM's own message (verbose = false in a saved plan drops it)."
}

// CreateQuestion asks to run mknimimage for the osimage name (each mode
// adds how to answer).
func CreateQuestion(name string) string {
	return fmt.Sprintf("Create osimage %s now? This runs mknimimage on the NIM master", name)
}

// ResourceRow is one NIM resource in the preview: created, or reused as
// NIM has it.
type ResourceRow struct{ Verb, Attr, Name, Where string }

// ResourceRows are the plan's resources as the preview lists them, and the
// widths of the attribute and name columns.
func ResourceRows(p nim.Plan) (rows []ResourceRow, attrW, nameW int) {
	res := p.Resources()
	attrW, nameW = 10, 10
	for _, r := range res {
		attrW = max(attrW, len(r.Attr))
		nameW = max(nameW, len(r.Name))
	}
	for _, r := range res {
		row := ResourceRow{Verb: "create", Attr: r.Attr, Name: r.Name, Where: r.Location}
		if r.Reused {
			row.Verb = "reuse "
			if row.Where == "" {
				row.Where = "(existing)"
			}
		}
		rows = append(rows, row)
	}
	return rows, attrW, nameW
}

// Line is the row on one line, in columns attrW and nameW wide.
func (r ResourceRow) Line(attrW, nameW int) string {
	return fmt.Sprintf("  %s  %s  %s  %s", r.Verb, pad(r.Attr, attrW), pad(r.Name, nameW), r.Where)
}

// DefinitionLines are the xCAT osimage definition a successful run gives,
// as lsdef -l shows it: a label, then the object's lines.
func DefinitionLines(p nim.Plan) (label string, lines []string) {
	def := p.Definition()
	label = fmt.Sprintf("xCAT osimage definition that will result (lsdef -t osimage -o %s):", def.Name)
	lines = append(lines, "  Object name: "+def.Name)
	keys := make([]string, 0, len(def.Attrs))
	for k := range def.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lines = append(lines, "      "+k+"="+def.Attrs[k])
	}
	return label, lines
}

// DefaultPlanPath is where plan p is saved unless the admin types another
// path: <planDir>/<name>.toml ("." and "plan" when empty).
func DefaultPlanPath(planDir string, p nim.Plan) string {
	if planDir == "" {
		planDir = "."
	}
	name := p.Name
	if name == "" {
		name = "plan"
	}
	return filepath.Join(planDir, name+".toml")
}

// pad left-aligns s in a column of n cells.
func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return s + strings.Repeat(" ", n-len(s))
}

// fieldProblem is the message of the first problem about field, or "".
func fieldProblem(probs []nim.Problem, field string) string {
	for _, p := range probs {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// WrapCommand lays argv out for a screen width as a shell command that still
// pastes and runs as one: breaks fall between arguments and end in " \".
// An argument longer than the width stands on its own line.
func WrapCommand(argv []string, width int) string {
	var b strings.Builder
	col := 0
	for i, a := range argv {
		q := nim.ShellQuote(a)
		switch {
		case i == 0:
		case col+1+len(q)+2 > width: // room for " \" on the line before
			b.WriteString(" \\\n  ")
			col = 2
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(q)
		col += len(q)
	}
	return b.String()
}
