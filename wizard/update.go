package wizard

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// Updating an osimage's SPOT (mknimimage -u), asked from the browser: where
// the software comes from, which installp_bundles and otherpkgs, and the
// texts around them. The man page (mknimimage.1.pod at 2.9.2_aix_release)
// gives two ways: from the osimage definition (-u NAME alone: its
// installp_bundle, otherpkgs and synclists), or ad hoc from the command
// line, when "the osimage definition will not be used" (aixinstall.pm
// L1566-1585); nimwiz offers to chdef the definition first so that it
// records what the SPOT gets.

// UpdateFrom choices, in the order shown.
var UpdateSources = []nim.UpdateFrom{nim.FromDefinition, nim.FromPlan}

// UpdateChoices are the two ways, for osimage name.
func UpdateChoices(name string) []Choice {
	return []Choice{
		{Title: "From the osimage definition", Flags: "chdef, then mknimimage -u " + name,
			What: "The definition records the software: nimwiz changes it first with chdef (when you change the list), then mknimimage -u " + name + " installs what the definition names. Its installp_bundle, otherpkgs and synclists stay the record of what the SPOT has."},
		{Title: "Ad hoc, on the command line", Flags: "mknimimage -u " + name + " installp_bundle=... otherpkgs=...",
			What: "mknimimage installs what you pick here; the definition of " + name + " is neither used nor changed, so it will not say what the SPOT got."},
	}
}

// AdHocNote is said under the ad hoc preview.
func AdHocNote(name string) string {
	// mknimimage.1.pod at 2.9.2_aix_release L37.
	return "The osimage definition of " + name + " is neither used nor changed: \"If any of these values are provided the mknimimage command will use those values only. The osimage definition will not be used or updated.\" (man mknimimage)"
}

// OtherpkgsHelp explains the prefixes.
const OtherpkgsHelp = "otherpkgs, comma-separated: I:name an installp fileset (the default without a prefix), R:name.rpm an RPM, E:name.epkg.Z an interim fix (emgr). They are installed from the lpp_source."

// CheckOtherpkgs checks an otherpkgs list as typed: items separated by
// commas, each an optional I:, R: or E: prefix and a name without blanks
// or ':' (parse_otherpkgs, aixinstall.pm 2.9.2 L15191-15250, sorts by the
// prefix, ".rpm" or "epkg.Z", and keeps only the field after the first
// ':'). It returns the list cleaned (blanks around items dropped) or why it
// is refused.
func CheckOtherpkgs(s string) (string, error) {
	var items []string
	for _, it := range strings.Split(s, ",") {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		prefix, name := "", it
		if len(it) >= 2 && it[1] == ':' {
			prefix, name = it[:2], it[2:]
			switch prefix {
			case "I:", "R:", "E:":
			default:
				// parse_otherpkgs would drop it and take the rest as an
				// installp fileset (aixinstall.pm 2.9.2 L15215-15250).
				return "", fmt.Errorf("%q: the prefix %s is not I: (installp), R: (RPM) or E: (interim fix); mknimimage would drop it and install %s as an installp fileset", it, prefix, name)
			}
		}
		switch {
		case name == "":
			return "", fmt.Errorf("%q names no package: write the package after %s", it, prefix)
		case strings.ContainsAny(name, " \t:"):
			return "", fmt.Errorf("%q: a package name has no blanks or ':'; separate packages with commas", it)
		}
		items = append(items, prefix+name)
	}
	v := strings.Join(items, ",")
	if v == "" {
		return "", nil
	}
	if err := (nim.Plan{Kind: nim.KindUpdate}).CheckAttr("otherpkgs", v); err != nil {
		return "", err
	}
	return v, nil
}

// UpdateWarnings are what to read before the update runs: the man page's
// RPM warning, word for word, when an RPM is chosen.
func UpdateWarnings(otherpkgs string) []string {
	if nim.HasRPM(otherpkgs) {
		return []string{nim.RPMWarning}
	}
	return nil
}

// UpdateSoftware is an update's software as picked: the installp_bundles
// (sorted, as NIM lists them) and the otherpkgs list.
type UpdateSoftware struct {
	Bundles   []string
	Otherpkgs string
}

// Values are the osimage attributes the software stands for ("" drops one).
func (s UpdateSoftware) Values() map[string]string {
	b := slices.Clone(s.Bundles)
	slices.Sort(b)
	return map[string]string{"installp_bundle": strings.Join(b, ","), "otherpkgs": s.Otherpkgs}
}

// Empty reports whether nothing is picked.
func (s UpdateSoftware) Empty() bool { return len(s.Bundles) == 0 && s.Otherpkgs == "" }

// SoftwareOf is what definition o names.
func SoftwareOf(o nim.Osimage) UpdateSoftware {
	var s UpdateSoftware
	for _, b := range strings.Split(o.Get("installp_bundle"), ",") {
		if b = strings.TrimSpace(b); b != "" {
			s.Bundles = append(s.Bundles, b)
		}
	}
	s.Otherpkgs = strings.TrimSpace(o.Get("otherpkgs"))
	return s
}

// UpdateRun is what an update from the browser runs: Chdef (nil when the
// definition is not changed) then the plan's mknimimage -u. Restore puts
// the definition's software back as it was (nil with Chdef): shown when
// the update does not start after Chdef ran.
type UpdateRun struct {
	Chdef   []string
	Restore []string
	Plan    nim.Plan
}

// PlanUpdate makes the run of an update of o with software sw, from the
// definition (chdef first when sw differs from it) or ad hoc. Problems
// are the plan's (nim.Plan.Validate), and none picked at all.
func PlanUpdate(o nim.Osimage, from nim.UpdateFrom, sw UpdateSoftware) (UpdateRun, []nim.Problem) {
	r := UpdateRun{Plan: nim.Plan{Kind: nim.KindUpdate, Name: o.Name, UpdateFrom: from, Extra: map[string]string{}}}
	vals := sw.Values()
	if from == nim.FromDefinition {
		def := SoftwareOf(o).Values()
		var set, back []string
		for _, a := range []string{"installp_bundle", "otherpkgs"} {
			if vals[a] != def[a] {
				set = append(set, a+"="+vals[a])
				back = append(back, a+"="+def[a])
			}
		}
		if len(set) > 0 {
			r.Chdef, r.Restore = nim.ChdefArgv(o.Name, set...), nim.ChdefArgv(o.Name, back...)
		}
		// synclists stays the definition's: -u reads it from there.
		if sw.Empty() && strings.TrimSpace(o.Get("synclists")) == "" {
			return r, []nim.Problem{{Field: "software", Message: "nothing to install: pick an installp_bundle or type otherpkgs (the definition names none)"}}
		}
	} else {
		for a, v := range vals {
			if v != "" {
				r.Plan.Extra[a] = v
			}
		}
		if sw.Empty() {
			return r, []nim.Problem{{Field: "software", Message: "nothing to install: pick an installp_bundle or type otherpkgs"}}
		}
	}
	return r, r.Plan.Validate()
}
