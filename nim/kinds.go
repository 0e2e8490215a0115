package nim

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Plans of the other kinds: update (mknimimage -u) and copy (mknimimage
// -i). Facts from xCAT 2.9.2_aix_release, xCAT-server/lib/xcat/plugins/
// aixinstall.pm ([aix] L...) and the man page mknimimage.1.pod ([pod]).

// PlanKind is the plan's kind: Kind, or KindCreate when it is empty.
func (p Plan) PlanKind() PlanKind {
	if p.Kind == "" {
		return KindCreate
	}
	return p.Kind
}

// String names the kind as plan files write it.
func (k PlanKind) String() string {
	if k == "" {
		return string(KindCreate)
	}
	return string(k)
}

// updateSoftware are the attributes whose presence on the command line makes
// -u ignore the osimage definition ([aix] L1566-1585).
var updateSoftware = []string{"installp_bundle", "otherpkgs", "synclists"}

// UpdateSource is where an update takes its software: UpdateFrom when set,
// else FromPlan when the plan names installp_bundle, otherpkgs or
// synclists, else FromDefinition.
func (p Plan) UpdateSource() UpdateFrom {
	if p.UpdateFrom != "" {
		return p.UpdateFrom
	}
	for _, a := range updateSoftware {
		if p.Extra[a] != "" {
			return FromPlan
		}
	}
	return FromDefinition
}

// unusedFields reports the fields set in p that a plan of kind k does not
// use, each with how to go on.
func (p Plan) unusedFields(k PlanKind) []Problem {
	var probs []Problem
	add := func(field, msg string) { probs = append(probs, Problem{Field: field, Message: msg}) }
	switch k {
	case KindCreate:
		if p.From != "" {
			add("from", fmt.Sprintf("a create plan makes its osimage from source; to copy the osimage %s instead, write kind = \"copy\"", p.From))
		}
		if p.CopyLppSource {
			add("copy_lpp_source", "only a copy (kind = \"copy\") copies an lpp_source: remove it")
		}
		if p.UpdateFrom != "" {
			add("update_from", "only an update (kind = \"update\") takes its software from somewhere: remove it")
		}
	case KindUpdate:
		what := "mknimimage -u takes the osimage as it is"
		if p.Type != "" {
			add("type", what+" (it reads no -t): remove type")
		}
		if p.Source != "" {
			add("source", what+": the software comes from its lpp_source; remove source")
		}
		if p.Stateless {
			add("stateless", what+": remove stateless")
		}
		if p.Dump {
			add("dump", what+": remove dump")
		}
		if p.Location != "" {
			add("location", what+" and creates nothing: remove location")
		}
		if p.From != "" {
			add("from", "an update installs into the osimage's own SPOT; to update a copy, copy it first (kind = \"copy\") and update the copy")
		}
		if p.CopyLppSource {
			add("copy_lpp_source", "only a copy copies an lpp_source: remove it")
		}
	case KindCopy:
		if p.Source != "" {
			add("source", fmt.Sprintf("a copy shares the lpp_source of %s (or copies it: copy_lpp_source = true): remove source", nameOr(p.From)))
		}
		if p.Stateless {
			// [aix] L3161-3240: NEW_shared_root when OLD has a shared_root.
			add("stateless", fmt.Sprintf("a copy gets a shared_root when %s has one, else a root: remove stateless", nameOr(p.From)))
		}
		if p.Dump {
			// [aix] L3245-3313: with -i the dump is OLD's, shared; none is made.
			add("dump", fmt.Sprintf("a copy shares the dump of %s and makes none: remove dump", nameOr(p.From)))
		}
		if p.UpdateFrom != "" {
			add("update_from", "only an update takes its software from somewhere: remove it (update the copy afterwards with kind = \"update\")")
		}
	}
	return probs
}

// updateNameProblem is NameProblem for an update: the name of an existing
// osimage, which is also its SPOT's ([aix] L1413).
func (p Plan) updateNameProblem() string {
	switch {
	case p.Name == "":
		return "is required: the osimage whose SPOT to update (its SPOT has the same name)"
	case nameChars(p.Name) != nil:
		return nameChars(p.Name).Error()
	case len(p.Name) > MaxNameLen:
		return ValidName(p.Name).Error()
	case p.Name == perlFalse:
		// "while (my $a = shift(@ARGV))" ([aix] L2338) stops at "0".
		return "\"0\" cannot be updated by name: mknimimage reads its operands in a loop that stops at \"0\" (Perl takes it as false)"
	case reservedNames[p.Name]:
		return fmt.Sprintf("%q is a NIM object every master has, not an osimage: give the osimage to update", p.Name)
	}
	return ""
}

// validateUpdate is Validate for an update.
func (p Plan) validateUpdate() []Problem {
	p = p.WithDefaults()
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if msg := p.updateNameProblem(); msg != "" {
		add("name", "%s", msg)
	}
	probs = append(probs, p.unusedFields(KindUpdate)...)
	if p.Quiet {
		// spot_updates prints its end ("Updated software in the NIM SPOT
		// called", "Updated synclists files.") only with -V ([aix]
		// L1654-1660, L1691-1697), and -u prints no summary (L3021): without
		// them nothing proves the update ran to its end.
		add("verbose", "an update prints no summary: only the lines -V adds (\"Updated software in the NIM SPOT called ...\") prove it ran to its end; remove verbose = false")
	}
	switch p.UpdateFrom {
	case "", FromDefinition, FromPlan:
	default:
		add("update_from", "%q is not where an update's software comes from: write \"definition\" (the osimage definition's installp_bundle, otherpkgs and synclists) or \"plan\" (this plan's)", string(p.UpdateFrom))
	}
	var given []string
	for _, a := range updateSoftware {
		if _, ok := p.Extra[a]; ok {
			given = append(given, a)
		}
	}
	switch {
	case p.UpdateFrom == FromDefinition && len(given) > 0:
		add(AttrField(given[0]), "with update_from = \"definition\" mknimimage installs what the osimage definition names, but %s here would replace it (\"If any of these values are provided ... the osimage definition will not be used\"): remove %s, or write update_from = \"plan\" (or record it first: chdef -t osimage -o %s %s=...)",
			strings.Join(given, ", "), strings.Join(given, ", "), nameOr(p.Name), given[0])
	case p.UpdateFrom == FromPlan && len(given) == 0:
		add("update_from", "update_from = \"plan\" installs this plan's installp_bundle, otherpkgs or synclists, and it names none: add them under [resources] and [options], or write update_from = \"definition\"")
	}
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		if err := p.checkUpdateAttr(a, p.Extra[a]); err != nil {
			add(AttrField(a), "%v", err)
		}
	}
	return probs
}

// updateAttrList lists what mknimimage -u takes from a plan.
func updateAttrList() string {
	return strings.Join(AttrNames(func(a AttrSpec) bool { return a.Has(UseUpdate) && a.Name != "nfs_vers" }), ", ")
}

// checkUpdateAttr is CheckAttr for an update.
func (p Plan) checkUpdateAttr(a, v string) error {
	spec, ok := LookupAttr(a)
	switch {
	case !ok:
		return fmt.Errorf("%q is not an attribute mknimimage takes; an update takes %s", a, updateAttrList())
	case a == "nfs_vers":
		// "-u ... nfs_vers=4" changes the image's NIM resources and
		// installs nothing ([aix] L2917-2990).
		return fmt.Errorf("mknimimage -u with nfs_vers changes the NFS version of %s's NIM resources and updates no software; nimwiz does not run it: remove it (run 'mknimimage -u %s nfs_vers=4' yourself)", nameOr(p.Name), nameOr(p.Name))
	case !spec.Has(UseUpdate):
		return fmt.Errorf("mknimimage -u does not take %s: it installs software into the SPOT and syncs files (it takes %s); change the osimage with chdef -t osimage -o %s %s=%s", a, updateAttrList(), nameOr(p.Name), a, spec.Example)
	case v == "":
		return fmt.Errorf("is empty: give %s, or remove the line", spec.Want())
	}
	return spec.Check(v)
}

// updateArgs is the argv of an update: mknimimage -V -u NAME [attr=val ...],
// attrs sorted (-V always: Validate refuses a quiet update).
func (p Plan) updateArgs() []string {
	argv := []string{"mknimimage"}
	if !p.Quiet {
		argv = append(argv, "-V")
	}
	argv = append(argv, "-u", p.Name)
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		argv = append(argv, a+"="+p.Extra[a])
	}
	return argv
}

// updateResources is what an update touches: the SPOT named like the
// osimage, changed ([aix] L1413: the osimage's name, not its spot
// attribute), and the installp_bundles the plan names, read. The
// definition's own bundles are not known from the plan.
func (p Plan) updateResources() []PlannedResource {
	rs := []PlannedResource{{Attr: "spot", Type: "spot", Name: p.Name, Reused: true, Changed: true}}
	if v := p.Extra["installp_bundle"]; v != "" {
		spec, _ := LookupAttr("installp_bundle")
		for _, n := range spec.Items(v) {
			rs = append(rs, PlannedResource{Attr: "installp_bundle", Type: "installp_bundle", Name: n, Reused: true})
		}
	}
	return rs
}

// copySuffixes are the suffixes of the names a copy makes from its name:
// the lpp_source with -p, and a root or shared_root (which one depends on
// the old image: the longer counts).
func (p Plan) copySuffixes() []string {
	var s []string
	if p.CopyLppSource {
		s = append(s, sufLppSource)
	}
	return append(s, sufSharedRoot, sufRoot)
}

// validateCopy is Validate for a copy.
func (p Plan) validateCopy() []Problem {
	p = p.WithDefaults()
	var probs []Problem
	add := func(field, format string, args ...any) {
		probs = append(probs, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if msg := p.NameProblem(); msg != "" {
		add("name", "%s", msg)
	}
	switch {
	case p.From == "":
		add("from", "is required: the osimage to copy (mknimimage -i)")
	case nameChars(p.From) != nil:
		add("from", "%s", nameChars(p.From).Error())
	case p.From == perlFalse:
		// "if ($::opt_i)" takes -i 0 as no -i at all.
		add("from", "an osimage named \"0\" cannot be copied: mknimimage's Perl code takes -i 0 as no -i at all")
	case p.From == p.Name:
		add("from", "is the new osimage's name too: give the copy another name")
	}
	switch p.Type {
	case Diskless, Dataless:
	default:
		// [aix] L2471-2477: "The '-i' option is only valid for diskless
		// and dataless nodes."
		add("type", "%q cannot be copied: mknimimage -i copies only diskless and dataless images; write the type of %s", string(p.Type), nameOr(p.From))
	}
	probs = append(probs, p.unusedFields(KindCopy)...)
	if msg := p.locationProblem(); msg != "" {
		add("location", "%s", msg)
	}
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		add(AttrField(a), "%v", p.checkCopyAttr(a))
	}
	return probs
}

// checkCopyAttr is CheckAttr for a copy: it takes none. Attributes given
// with -i replace the old image's in the copy and software is installed
// into the new SPOT ([aix] L3561-3661); nimwiz keeps the copy a copy and
// installs with an update, which it protects on its own.
func (p Plan) checkCopyAttr(a string) error {
	return fmt.Errorf("a copy takes every resource and option of %s as they are; remove %s, and to change the copy's software update it afterwards (kind = \"update\", name = %q)", nameOr(p.From), a, nameOr(p.Name))
}

// copyArgs is the argv of a copy: mknimimage [-V] -t TYPE [-l DIR] -i OLD
// [-p] NEW. The last bare operand is the name ([aix] L2338-2360).
func (p Plan) copyArgs() []string {
	argv := []string{"mknimimage"}
	if !p.Quiet {
		argv = append(argv, "-V")
	}
	argv = append(argv, "-t", string(p.Type))
	if p.passLocation() {
		argv = append(argv, "-l", p.Location)
	}
	argv = append(argv, "-i", p.From)
	if p.CopyLppSource {
		argv = append(argv, "-p")
	}
	return append(argv, p.Name)
}

// copyResources is Resources for a copy of old (nil: not known). A copy
// makes the SPOT NEW with cpcosi at <L>/spot/NEW/usr ([aix] L4191-4259),
// NEW_lpp_source with -p at <L>/lpp_source/NEW_lpp_source (L3816-3948),
// NEW_shared_root when old has a shared_root, else NEW_root (L3161-3240),
// and shares everything else old names: its lpp_source without -p, paging,
// dump, resolv_conf, bundles ... (L3245-3380, L3561-3643).
func (p Plan) copyResources(old *Osimage) []PlannedResource {
	L := p.Location
	var rs []PlannedResource
	if p.CopyLppSource {
		n := p.Name + sufLppSource
		rs = append(rs, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: n, Location: L + "/lpp_source/" + n})
	} else if old != nil && old.LppSource() != "" {
		rs = append(rs, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: old.LppSource(), Reused: true})
	}
	rs = append(rs, PlannedResource{Attr: "spot", Type: "spot", Name: p.Name, Location: L + "/spot/" + p.Name + "/usr"})
	root := func(attr, suf string, either bool) PlannedResource {
		n := p.Name + suf
		return PlannedResource{Attr: attr, Type: attr, Name: n, Location: L + "/" + attr + "/" + n, Either: either}
	}
	switch {
	case old == nil:
		rs = append(rs, root("shared_root", sufSharedRoot, true), root("root", sufRoot, true))
	case old.Stateless():
		rs = append(rs, root("shared_root", sufSharedRoot, false))
	default:
		rs = append(rs, root("root", sufRoot, false))
	}
	if old == nil {
		return rs
	}
	for _, a := range old.ResourceAttrs() {
		switch a.Key {
		case "lpp_source", "spot", "root", "shared_root":
			continue
		}
		spec, _ := LookupAttr(a.Key)
		for _, n := range spec.Items(a.Value) {
			if n = strings.TrimSpace(n); n != "" {
				rs = append(rs, PlannedResource{Attr: a.Key, Type: spec.NIMType, Name: n, Reused: true})
			}
		}
	}
	return rs
}

// CopyDefinition is the osimage definition a copy of old writes ([aix]
// L3561-3643): every attribute of old (the filter meant to keep only
// resources NIM has never excludes: "my $include = 0" is a new variable,
// L3586/L3624), then nimtype, the new lpp_source (with -p), SPOT and root or
// shared_root. A definition without attributes gives the names the plan
// alone can tell.
func (p Plan) CopyDefinition(old Osimage) Osimage {
	p = p.WithDefaults()
	attrs := map[string]string{}
	for k, v := range old.Attrs {
		attrs[k] = v
	}
	attrs["imagetype"], attrs["osname"], attrs["nimtype"] = "NIM", "AIX", string(p.Type)
	var o *Osimage
	if old.Attrs != nil {
		o = &old
	}
	for _, r := range p.copyResources(o) {
		if !r.Reused && !r.Either {
			attrs[r.Attr] = r.Name
		}
	}
	return Osimage{Name: p.Name, Attrs: attrs}
}

// Intent says in one line what the plan does, for previews and headlines.
func (p Plan) Intent() string {
	p = p.WithDefaults()
	switch p.PlanKind() {
	case KindUpdate:
		if p.UpdateSource() == FromDefinition {
			return fmt.Sprintf("update the SPOT of osimage %s with the software its definition names", p.Name)
		}
		var what []string
		for _, a := range updateSoftware {
			if v := p.Extra[a]; v != "" {
				what = append(what, a+"="+v)
			}
		}
		sort.Strings(what)
		return fmt.Sprintf("update the SPOT of osimage %s with %s (the definition is neither used nor changed)", p.Name, strings.Join(what, " "))
	case KindCopy:
		lpp := "sharing its lpp_source"
		if p.CopyLppSource {
			lpp = "with a copy of its lpp_source"
		}
		return fmt.Sprintf("copy osimage %s to a new %s osimage %s, %s", p.From, p.Type, p.Name, lpp)
	}
	return fmt.Sprintf("create the %s osimage %s from %s", p.Type, p.Name, p.Source)
}

// RPMWarning is the man page's warning about RPMs in a SPOT (mknimimage.1.pod
// at 2.9.2_aix_release L39), word for word.
const RPMWarning = "WARNING: Installing random RPM packages in a SPOT may have unpredictable consequences.  The SPOT is a very restricted environment and some RPM packages may corrupt the SPOT or even hang your management system.  Try to be very careful about the packages you install. When installing RPMs, if the mknimimage command hangs or if there are file systems left mounted after the command completes you may need to reboot your management node to recover.  This is a limitation of the current AIX support for diskless systems"

// HasRPM reports whether an otherpkgs value names an RPM: an "R:" item or
// one with ".rpm" in it, as parse_otherpkgs sorts them ([aix] L15191-15245).
func HasRPM(otherpkgs string) bool {
	for _, it := range strings.Split(otherpkgs, ",") {
		if strings.HasPrefix(it, "R:") || strings.Contains(it, ".rpm") {
			return true
		}
	}
	return false
}

// Warnings are what the admin should read before running the plan: the
// man page's RPM warning when its otherpkgs names an RPM.
func (p Plan) Warnings() []string {
	if HasRPM(p.Extra["otherpkgs"]) {
		return []string{RPMWarning}
	}
	return nil
}
