package nim

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Plans: what nimwiz checks before it lets mknimimage run, the argv it runs,
// and what the run will create. Everything here is pure: no command runs.

// ValidName checks s against NIM's naming rules (AIX "Naming NIM object
// definitions": 1 to 39 of A-Z a-z 0-9 _ - !), minus two things NIM allows
// but nimwiz refuses: '!' (xCAT passes names to NIM through a shell, where
// '!' can expand history or negate) and a leading '-' (mknimimage would read
// the name as an option; "-f" is --force).
func ValidName(s string) error {
	if err := nameChars(s); err != nil {
		return err
	}
	if len(s) > MaxNameLen {
		return fmt.Errorf("%q is %d characters long: NIM names may have at most %d; shorten it", s, len(s), MaxNameLen)
	}
	return nil
}

// nameChars is ValidName without the length limit.
func nameChars(s string) error {
	if s == "" {
		return fmt.Errorf("is empty: give 1 to %d letters, digits, '_' or '-'", MaxNameLen)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isNameByte(c):
		case c == '!':
			return fmt.Errorf("%q contains '!': NIM allows it, but xCAT hands names to NIM through a shell where '!' is special; use only letters, digits, '_' and '-'", s)
		case c == '.':
			return fmt.Errorf("%q contains '.': NIM names may not contain dots; use '_' or '-' instead (e.g. %q)", s, suggestName(s))
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("%q contains a control character at position %d: use only letters, digits, '_' and '-'", s, i+1)
		case c >= 0x80:
			return fmt.Errorf("%q contains a non-ASCII character at position %d: NIM names allow only A-Z, a-z, 0-9, '_' and '-'", s, i+1)
		default:
			return fmt.Errorf("%q contains %q at position %d: NIM names allow only letters, digits, '_' and '-'", s, string(c), i+1)
		}
	}
	if s[0] == '-' {
		return fmt.Errorf("%q starts with '-': mknimimage would read it as an option; start with a letter or digit", s)
	}
	return nil
}

// suggestName replaces every byte a NIM name may not hold with '_'.
func suggestName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !isNameByte(c) {
			b[i] = '_'
		}
	}
	return string(b)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// reservedNames are NIM objects every master has; an osimage (whose SPOT
// takes its name) must not use them: mknimimage would "reuse" the boot
// resource as a SPOT.
var reservedNames = map[string]bool{"master": true, "boot": true, "nim_script": true}

// WithDefaults fills what a plan may leave empty: type diskless, location
// DefaultLocation, an empty (non-nil) Extra. An update takes its osimage as
// it is, so only Extra is filled for one (mknimimage -u reads no -t, -l).
func (p Plan) WithDefaults() Plan {
	if p.PlanKind() == KindUpdate {
		if p.Extra == nil {
			p.Extra = map[string]string{}
		}
		return p
	}
	if p.Type == "" {
		p.Type = Diskless
	}
	if p.Location == "" {
		p.Location = DefaultLocation
	}
	if p.Extra == nil {
		p.Extra = map[string]string{}
	}
	return p
}

// SourceKind says what Source names: a /dev/ path is a device, any other
// absolute path a directory, a valid NIM name an existing lpp_source.
func (p Plan) SourceKind() SourceKind {
	s := p.Source
	switch {
	case strings.HasPrefix(s, "/dev/"):
		return SourceDevice
	case strings.HasPrefix(s, "/"):
		return SourceDirectory
	case ValidName(s) == nil:
		return SourceLppSource
	}
	return SourceUnknown
}

// suffixes of the resources mknimimage derives from the osimage name.
const (
	sufLppSource  = "_lpp_source"
	sufRoot       = "_root"
	sufSharedRoot = "_shared_root"
	sufPaging     = "_paging"
	sufDump       = "_dump"
)

// derivedSuffixes lists the suffixes of the names this plan makes from its
// name (the SPOT takes the name itself).
func (p Plan) derivedSuffixes() []string {
	p = p.WithDefaults()
	switch p.PlanKind() {
	case KindUpdate:
		return nil // nothing is made
	case KindCopy:
		return p.copySuffixes()
	}
	var s []string
	if p.SourceKind() != SourceLppSource {
		s = append(s, sufLppSource)
	}
	if p.Stateless {
		if p.Extra["shared_root"] == "" {
			s = append(s, sufSharedRoot)
		}
	} else if p.Extra["root"] == "" {
		s = append(s, sufRoot)
	}
	if p.Dump {
		s = append(s, sufDump)
	}
	if p.Type == Diskless && p.Extra["paging"] == "" {
		s = append(s, sufPaging)
	}
	return s
}

// LongestName is the longest osimage name this plan allows so that every
// name derived from it fits NIM's 39 characters.
func (p Plan) LongestName() int {
	longest := 0
	for _, s := range p.derivedSuffixes() {
		longest = max(longest, len(s))
	}
	return MaxNameLen - longest
}

// Validate returns every problem of the plan at once, each naming its field
// and saying how to fix it. An empty result means Args may be run.
func (p Plan) Validate() []Problem {
	switch p.PlanKind() {
	case KindUpdate:
		return p.validateUpdate()
	case KindCopy:
		return p.validateCopy()
	case KindCreate:
	default:
		return append([]Problem{{Field: "kind", Message: fmt.Sprintf("%q is not a kind of plan nimwiz runs: write kind = \"create\" (the default), \"update\" or \"copy\"", string(p.Kind))}},
			p.unusedFields(KindCreate)...)
	}
	p = p.WithDefaults()
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	probs = append(probs, p.unusedFields(KindCreate)...)

	// name
	if msg := p.NameProblem(); msg != "" {
		add("name", "%s", msg)
	}

	// type
	switch p.Type {
	case Diskless, Dataless:
	case "standalone":
		add("type", "standalone images are installed onto local disks with nimnodeset and a BOS install, which nimwiz does not run; use diskless or dataless")
	default:
		add("type", "%q is not an image type nimwiz makes: use diskless or dataless", string(p.Type))
	}

	// source
	switch kind := p.SourceKind(); {
	case p.Source == "":
		add("source", "is required: a device such as /dev/cd0, an absolute directory of installp images, or the name of an existing lpp_source")
	case kind == SourceDevice:
		if err := checkPath(p.Source); err != nil {
			add("source", "device %v", err)
		} else if p.Source == "/dev" || strings.Count(p.Source, "/") != 2 {
			add("source", "%q is not a device: give one like /dev/cd0", p.Source)
		}
	case kind == SourceDirectory:
		if err := checkPath(p.Source); err != nil {
			add("source", "directory %v", err)
		} else if p.Source == "/" {
			add("source", "\"/\" is the root file system, not an image directory: give the directory that holds the installp images")
		}
	case kind == SourceLppSource:
		if p.Source == perlFalse {
			// "if (!$::opt_s)" ([aix] 2.9.2 L2426): -s 0 is no -s at all.
			add("source", "an lpp_source named \"0\" cannot be used: mknimimage's Perl code takes -s 0 as no -s at all; rename the lpp_source")
		} else if isCDName(p.Source) {
			add("source", "%q looks like a CD device, but without /dev/ mknimimage takes it as an lpp_source name: write /dev/%s", p.Source, p.Source)
		}
	default:
		if strings.Contains(p.Source, "/") || p.Source == "." || p.Source == ".." || strings.HasPrefix(p.Source, "~") {
			add("source", "%q is a relative path: mknimimage would resolve it against the xcatd client's working directory; give the absolute path", p.Source)
		} else {
			add("source", "%q is neither an absolute path nor a valid lpp_source name (%v)", p.Source, ValidName(p.Source))
		}
	}

	// location
	if msg := p.locationProblem(); msg != "" {
		add("location", "%s", msg)
	}

	// stateless
	if p.Stateless && p.Type == Dataless {
		add("stateless", "The '-r' option is only valid for diskless images. Set stateless = false, or type = \"diskless\"")
	}

	// resources and options: the attribute table says what each may hold.
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		if err := p.CheckAttr(a, p.Extra[a]); err != nil {
			add(AttrField(a), "%v", err)
		}
	}
	return probs
}

// locationProblem says what is wrong with the plan's location (-l), or "".
func (p Plan) locationProblem() string {
	switch {
	case !strings.HasPrefix(p.Location, "/"):
		return fmt.Sprintf("%q is not absolute: give the full path of the base directory for new resources (default %s)", p.Location, DefaultLocation)
	case checkPath(p.Location) != nil:
		return checkPath(p.Location).Error()
	case p.Location == "/":
		return fmt.Sprintf("\"/\" would put lpp_source, spot, root and paging directories straight into the root file system; use a directory such as %s", DefaultLocation)
	}
	return ""
}

// CheckAttr checks one attr=value of the plan (which Validate does for
// each of Extra): that mknimimage takes the attribute at creation (or, for
// an update, with -u), that it fits the rest of the plan, and that the
// value is what the attribute table allows. The error says what is wrong
// and how to fix it.
func (p Plan) CheckAttr(a, v string) error {
	switch p.PlanKind() {
	case KindUpdate:
		return p.checkUpdateAttr(a, v)
	case KindCopy:
		return p.checkCopyAttr(a)
	}
	p = p.WithDefaults()
	spec, ok := LookupAttr(a)
	switch {
	case !ok:
		return fmt.Errorf("%q is not an attribute mknimimage takes; use one of %s", a, planAttrList())
	case !spec.Has(UseCreate) && !DefOption(spec):
		return fmt.Errorf("mknimimage does not take %s when it creates an image; set it on the osimage afterwards: chdef -t osimage -o %s %s=%s", a, nameOr(p.Name), a, spec.Example)
	}
	if msg := p.extraConflict(a); msg != "" {
		return errors.New(msg)
	}
	if v == "" {
		return fmt.Errorf("is empty: give %s, or remove the line", spec.Want())
	}
	return spec.Check(v)
}

// NameProblem says what is wrong with the plan's name (which Validate
// reports as the "name" problem), or "".
func (p Plan) NameProblem() string {
	p = p.WithDefaults()
	if p.PlanKind() == KindUpdate {
		return p.updateNameProblem()
	}
	switch {
	case p.Name == "":
		return fmt.Sprintf("is required: the osimage name, which is also the SPOT's name (1 to %d letters, digits, '_' or '-')", p.LongestName())
	case nameChars(p.Name) != nil:
		return nameChars(p.Name).Error()
	case p.Name == perlFalse:
		// The operand loop "while (my $a = shift(@ARGV))" ([aix] 2.9.2
		// L2338) ends at an operand Perl takes as false.
		return "\"0\" cannot be an osimage name: mknimimage reads its operands in a loop that stops at \"0\" (Perl takes it as false), so it would never see the name; choose another name"
	case reservedNames[p.Name]:
		return fmt.Sprintf("%q is a NIM object every master has; the SPOT takes the osimage's name, so choose another name", p.Name)
	case len(p.Name) > p.LongestName():
		return p.tooLong(p.LongestName())
	}
	return ""
}

// tooLong explains why the name is too long for this plan, which allows at
// most n characters, and when NIM would notice.
func (p Plan) tooLong(n int) string {
	// mknimimage creates in this order; the first name over the limit is
	// where NIM fails.
	first := ""
	order := p.derivedSuffixes()
	if len(order) > 0 && order[0] == sufLppSource {
		order = append([]string{sufLppSource, ""}, order[1:]...) // the SPOT comes second
	} else {
		order = append([]string{""}, order...)
	}
	for _, s := range order {
		if len(p.Name+s) > MaxNameLen {
			first = p.Name + s
			break
		}
	}
	when := "xCAT does not check this: NIM would fail half-way, after the SPOT exists, leaving a SPOT and no osimage definition"
	switch {
	case first == p.Name:
		when = "NIM would refuse the SPOT, which takes the osimage's name"
	case strings.HasSuffix(first, sufLppSource):
		when = "xCAT does not check this: NIM would refuse it at the first step"
	}
	longest := p.Name
	for _, s := range p.derivedSuffixes() {
		if len(p.Name+s) > len(longest) {
			longest = p.Name + s
		}
	}
	return fmt.Sprintf("%q is %d characters: mknimimage would name a resource %q (%d characters), over NIM's limit of %d. "+
		"This plan allows names of at most %d characters; shorten it. %s",
		p.Name, len(p.Name), longest, len(longest), MaxNameLen, n, when)
}

// extraConflict says why attr a may not be an extra resource of this plan
// (which must already have defaults), or "" when it may.
func (p Plan) extraConflict(a string) string {
	switch a {
	case "lpp_source":
		return "the lpp_source comes from source: to use an existing lpp_source, set source = \"<its name>\" and remove this line"
	case "spot":
		// mk_spot would take it ([aix] 2.9.2 L4184), but spot_updates then
		// looks for a SPOT named after the osimage (L1413) and fails.
		return fmt.Sprintf("mknimimage would use that SPOT, but its SPOT update step always looks for a SPOT named %s and fails; remove this line (the SPOT takes the osimage's name)", nameOr(p.Name))
	case "root":
		if p.Stateless {
			return "a stateless plan uses a shared_root, not a root: use shared_root = \"...\" or set stateless = false"
		}
	case "shared_root":
		if !p.Stateless {
			return "a shared_root is only used by stateless images: set stateless = true (diskless only), or use root = \"...\""
		}
	case "paging":
		// A diskless image may name its paging: mknimimage uses it
		// instead of creating NAME_paging (if ($::attrres{paging}),
		// [aix] 2.9.2 L3323).
		if p.Type == Dataless {
			return "dataless clients page on their local disk and have no paging resource; remove this line"
		}
	case "dump":
		if p.Dump {
			return fmt.Sprintf("dump = true makes mknimimage create %s_dump: either keep dump = true, or name an existing dump here and set dump = false, not both", nameOr(p.Name))
		}
	case "dumpsize", "max_dumps", "snapcollect":
		// mkdumpres passes them to 'nim -o define -t dump' ([aix] 2.9.2
		// L7086), and runs only with -D (L3262).
		if !p.Dump {
			return fmt.Sprintf("it configures the dump resource mknimimage creates with -D, and this plan creates none: create one (dump = true), or leave %s out (an existing dump keeps its own: 'nim -o change -a %s=... DUMP')", a, a)
		}
	case "mksysb":
		return "a mksysb resource only installs standalone machines; diskless and dataless clients boot from the SPOT; remove this line"
	}
	return ""
}

// planAttrList lists the attributes a plan may name.
func planAttrList() string {
	var ok []string
	for _, a := range Attrs(func(a AttrSpec) bool { return a.Has(UseCreate) }) {
		switch a.Name {
		case "lpp_source", "spot", "mksysb":
			continue // accepted by mknimimage, never by a plan
		}
		ok = append(ok, a.Name)
	}
	sort.Strings(ok)
	return strings.Join(ok, ", ")
}

// nameOr is the plan's name for messages, or NAME when it has none yet.
func nameOr(name string) string {
	if name == "" {
		return "NAME"
	}
	return name
}

func isCDName(s string) bool {
	if len(s) < 3 || s[:2] != "cd" {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkPath checks an absolute path that xCAT will paste, unquoted, into
// shell commands on the NIM master (mkdir -p, nim -a location=, -a source=).
// Only a safe set of bytes is allowed, so nothing in it can be a shell
// metacharacter; spaces are refused because the shell would split there.
func checkPath(s string) error {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isNameByte(c) || c == '/' || c == '.' || c == '+' || c == ',' || c == ':' || c == '@':
		case c == ' ' || c == '\t':
			return fmt.Errorf("%q contains a space: xCAT passes paths to NIM through a shell without quoting, which would split it; use a path without spaces", s)
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf("%q contains a control character (newline or similar) at position %d: give a plain path", s, i+1)
		case c >= 0x80:
			return fmt.Errorf("%q contains a non-ASCII character at position %d: NIM runs in the C locale; use an ASCII path", s, i+1)
		default:
			return fmt.Errorf("%q contains %q at position %d: xCAT passes paths to NIM through a shell, where it is special; use only letters, digits and / . _ - + , : @", s, string(c), i+1)
		}
	}
	if c := filepath.Clean(s); c != s {
		return fmt.Errorf("%q is not a clean path (no '..', '.', '//' or trailing '/'): write %q", s, c)
	}
	return nil
}

// passLocation reports whether Args passes -l. nimwiz leaves -l out for the
// default location, so mknimimage uses its own default (<site.installdir>/nim)
// and, with -D, the usual dump location <L>/dump/<name>: with any -l X,
// mknimimage puts the dump resource at X itself (xcat-mknimimage.md §2 step 10).
func (p Plan) passLocation() bool {
	return p.Location != "" && p.Location != DefaultLocation
}

// Args is the exact argv to run: mknimimage [-V] -t TYPE [-r] [-D] [-l DIR]
// -s SOURCE NAME [attr=value ...], each flag its own element (xcatd's Getopt
// bundling is process-global), attrs sorted. -V comes unless the plan is
// Quiet; -l only for a non-default location (see passLocation).
func (p Plan) Args() []string {
	p = p.WithDefaults()
	switch p.PlanKind() {
	case KindUpdate:
		return p.updateArgs()
	case KindCopy:
		return p.copyArgs()
	}
	argv := []string{"mknimimage"}
	if !p.Quiet {
		argv = append(argv, "-V")
	}
	argv = append(argv, "-t", string(p.Type))
	if p.Stateless {
		argv = append(argv, "-r")
	}
	if p.Dump {
		argv = append(argv, "-D")
	}
	if p.passLocation() {
		argv = append(argv, "-l", p.Location)
	}
	argv = append(argv, "-s", p.Source, p.Name)
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		argv = append(argv, a+"="+p.Extra[a])
	}
	return argv
}

// CommandLine is Args for display and copy-paste into a POSIX shell:
// arguments are single-quoted only where needed. nimwiz never runs it.
func (p Plan) CommandLine() string { return ShellLine(p.Args()) }

// ShellQuote quotes s for a POSIX shell: unchanged when it has only safe
// bytes, else in single quotes, each single quote inside written as the
// four bytes quote, backslash, quote, quote.
func ShellQuote(s string) string {
	if s == "" {
		return "''"
	}
	safe := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isNameByte(c) || strings.IndexByte("/.+,:@%=", c) >= 0) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Resources lists what the run creates or reuses, in the order mknimimage
// works: lpp_source, SPOT, root or shared_root, dump, paging, then the other
// extra resources by attr. Locations are those mknimimage gives new
// resources; for the SPOT it is where lsnim will show it (<L>/spot/NAME/usr).
// A resource of a derived name that already exists is reused by mknimimage
// too; the plan cannot know that, so Reused here means "named by the plan".
// A list (installp_bundle, script) gives one resource per item; options
// (otherpkgs, flags, ...) are not resources and are not listed.
func (p Plan) Resources() []PlannedResource {
	return p.ResourcesFrom(nil)
}

// ResourcesFrom is Resources for a copy whose source osimage definition is
// known (old; nil when it is not): then the new root's kind and the shared
// resources' names are known too. Other kinds ignore old.
func (p Plan) ResourcesFrom(old *Osimage) []PlannedResource {
	p = p.WithDefaults()
	switch p.PlanKind() {
	case KindUpdate:
		return p.updateResources()
	case KindCopy:
		return p.copyResources(old)
	}
	L := p.Location
	var rs []PlannedResource
	if p.SourceKind() == SourceLppSource {
		rs = append(rs, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: p.Source, Reused: true})
	} else {
		n := p.Name + sufLppSource
		rs = append(rs, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: n, Location: L + "/lpp_source/" + n})
	}
	rs = append(rs, PlannedResource{Attr: "spot", Type: "spot", Name: p.Name, Location: L + "/spot/" + p.Name + "/usr"})

	rootAttr, rootSuf := "root", sufRoot
	if p.Stateless {
		rootAttr, rootSuf = "shared_root", sufSharedRoot
	}
	if n := p.Extra[rootAttr]; n != "" {
		rs = append(rs, PlannedResource{Attr: rootAttr, Type: rootAttr, Name: n, Reused: true})
	} else {
		n := p.Name + rootSuf
		rs = append(rs, PlannedResource{Attr: rootAttr, Type: rootAttr, Name: n, Location: L + "/" + rootAttr + "/" + n})
	}

	if p.Dump {
		n := p.Name + sufDump
		loc := L + "/dump/" + n
		if p.passLocation() {
			loc = L // mknimimage's quirk with -l: the dump is the base directory itself
		}
		rs = append(rs, PlannedResource{Attr: "dump", Type: "dump", Name: n, Location: loc})
	} else if n := p.Extra["dump"]; n != "" {
		rs = append(rs, PlannedResource{Attr: "dump", Type: "dump", Name: n, Reused: true})
	}

	if p.Type == Diskless {
		if n := p.Extra["paging"]; n != "" {
			rs = append(rs, PlannedResource{Attr: "paging", Type: "paging", Name: n, Reused: true})
		} else {
			n := p.Name + sufPaging
			rs = append(rs, PlannedResource{Attr: "paging", Type: "paging", Name: n, Location: L + "/paging/" + n})
		}
	}

	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		switch a {
		case "root", "shared_root", "dump", "paging", "lpp_source", "spot":
			continue // placed above, or refused by Validate
		}
		spec, ok := LookupAttr(a)
		if !ok || spec.Kind != ResourceAttr {
			continue // an option, or refused by Validate
		}
		for _, n := range spec.Items(p.Extra[a]) { // one resource per item of a list
			rs = append(rs, PlannedResource{Attr: a, Type: spec.NIMType, Name: n, Reused: true})
		}
	}
	return rs
}

// Definition is the xCAT osimage definition a successful run writes
// (xcat-mknimimage.md §2 step 12): imagetype, osname, nimtype, every
// resource of Resources, and every attr of the plan that is an osimage
// attribute (mknimimage keeps every attr=val given, but xCAT stores only
// schema attributes: the attribute table's UseDef).
func (p Plan) Definition() Osimage {
	p = p.WithDefaults()
	if p.PlanKind() == KindCopy {
		return p.CopyDefinition(Osimage{Name: p.From})
	}
	attrs := map[string]string{
		"imagetype": "NIM",
		"osname":    "AIX",
		"nimtype":   string(p.Type),
	}
	for _, r := range p.Resources() {
		attrs[r.Attr] = r.Name
	}
	for a, v := range p.Extra {
		if spec, ok := LookupAttr(a); ok && spec.Has(UseDef) {
			attrs[a] = v // as given: a list stays one value
		}
	}
	return Osimage{Name: p.Name, Attrs: attrs}
}

// DefOption reports an option of the definition that mknimimage does not
// use but still writes into the definition it creates (configdump): it
// parses every attr=val ([aix] 2.9.2 L2348-2360) and overlays them all on
// the definition ([aix] 2.9.2 L3612-3632, whose filter never excludes:
// "my $include = 0" declares a new variable). So a plan may carry one,
// and a re-created image keeps it.
func DefOption(spec AttrSpec) bool { return spec.Kind == OptionAttr && spec.Has(UseDef) }

// PlanFromOsimage turns an existing osimage definition into a plan that
// re-creates it (create --from): same type, stateless when it has a
// shared_root, dump when it has one, its lpp_source reused as the source,
// and every other attribute mknimimage takes at creation (extra resources,
// otherpkgs, synclists) carried over. Resources named after the osimage
// (<name>_root, _shared_root, _dump, _paging) and the SPOT are left for
// mknimimage to create again; so is a dataless image's paging, which a
// plan may not name. The definition's options mknimimage writes as given
// (configdump: DefOption) are carried over too. Attributes a plan does not
// take (nimmethod, ...) are not: NotCarried lists them, so the re-create
// screen can say so. Location is unknown from a definition and
// left empty (the default).
func PlanFromOsimage(o Osimage) Plan {
	get := func(k string) string { return strings.TrimSpace(o.Attrs[k]) }
	p := Plan{
		Name:   o.Name,
		Type:   NimType(get("nimtype")),
		Source: get("lpp_source"),
		Extra:  map[string]string{},
	}
	if get("shared_root") != "" {
		p.Stateless = true
	}
	for _, spec := range Attrs(func(a AttrSpec) bool { return a.Has(UseCreate|UseDef) || DefOption(a) }) {
		a := spec.Name
		v := get(a)
		if v == "" {
			continue
		}
		switch a {
		case "lpp_source", "spot", "mksysb":
			continue
		case "paging":
			if v == o.Name+sufPaging || p.Type == Dataless {
				continue
			}
		case "root":
			if v == o.Name+sufRoot || p.Stateless {
				continue
			}
		case "shared_root":
			if v == o.Name+sufSharedRoot {
				continue
			}
		case "dump":
			if v == o.Name+sufDump {
				p.Dump = true
				continue
			}
		}
		p.Extra[a] = v
	}
	return p
}
