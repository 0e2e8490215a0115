package wizard

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

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
	attrs := slices.Sorted(maps.Keys(extra))
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
	keys := slices.Sorted(maps.Keys(m))
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
		if msg := FieldProblem(q.CheckHost(root), nim.AttrField(attr)); msg != "" {
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
