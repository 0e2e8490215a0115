package nim

import (
	"slices"
	"sort"
	"strings"
)

// Every command line nimwiz runs on the master or shows to the admin is
// built here, from the plan, the osimage definition and the attribute
// table; screens and verbs only show them (ShellLine) or run them.

// ShellLine renders argv as one line to paste into a POSIX shell: each
// argument ShellQuote'd, blank-separated. nimwiz never runs it.
func ShellLine(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = ShellQuote(a)
	}
	return strings.Join(q, " ")
}

// ListCommand is the query behind the list of AIX osimages.
const ListCommand = "lsdef -t osimage -l -w imagetype==NIM"

// DefinitionCommand is the query behind one osimage's definition.
func DefinitionCommand(name string) string {
	return "lsdef -t osimage -o " + ShellQuote(name) + " -l"
}

// ShowresCommand is the query behind a resource's contents.
func ShowresCommand(name string) string { return "nim -o showres " + ShellQuote(name) }

// RemoveArgv is the rmnimimage command line: each flag its own argument
// (xcatd's option bundling is process-global), the name last.
func RemoveArgv(name string, d, x, f bool) []string {
	argv := []string{"rmnimimage"}
	if f {
		argv = append(argv, "-f")
	}
	if d {
		argv = append(argv, "-d")
	}
	if x {
		argv = append(argv, "-x")
	}
	return append(argv, name)
}

// ChdefArgv is chdef -t osimage -o NAME attr=value ...; "attr=" drops attr.
func ChdefArgv(name string, pairs ...string) []string {
	return append([]string{"chdef", "-t", "osimage", "-o", name}, pairs...)
}

// DetachThenRemove are the commands that remove osimage name and the
// resources it made, keeping the ones listed in detach: first chdef drops
// those attributes from the definition (rmnimimage would otherwise remove
// what they name, and with -d delete an lpp_source's directory), then
// rmnimimage -d -x removes the definition and what it still names, with
// their directories; force adds -f (no shared-resource check). The chdef is
// left out when nothing is detached. The browser's replacement and a failed
// run's cleanup both use it.
func DetachThenRemove(name string, detach []string, force bool) [][]string {
	var argvs [][]string
	if len(detach) > 0 {
		pairs := make([]string, len(detach))
		for i, a := range detach {
			pairs[i] = a + "="
		}
		argvs = append(argvs, ChdefArgv(name, pairs...))
	}
	return append(argvs, RemoveArgv(name, true, true, force))
}

// ResourceRef is one NIM resource an osimage names, by attribute.
type ResourceRef struct{ Attr, Name string }

// mkOrder puts the resources in the order mknimimage makes them; the
// others follow by attribute.
var mkOrder = map[string]int{"lpp_source": 0, "spot": 1, "root": 2, "shared_root": 3, "dump": 4, "paging": 5}

// ResourceRefs lists the NIM resources o names, in the order mknimimage
// makes them (lpp_source, spot, root, shared_root, dump, paging), the
// others by attribute; a comma-separated list (installp_bundle, script)
// gives one per name.
func ResourceRefs(o Osimage) []ResourceRef {
	attrs := o.ResourceAttrs()
	sort.SliceStable(attrs, func(i, j int) bool {
		a, aok := mkOrder[attrs[i].Key]
		b, bok := mkOrder[attrs[j].Key]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return aok
		}
		return attrs[i].Key < attrs[j].Key
	})
	var out []ResourceRef
	for _, a := range attrs {
		// Every value is split: xCAT splits only lists, but a comma in
		// another one is still worth seeing as two names.
		for _, n := range strings.Split(a.Value, ",") {
			if n = strings.TrimSpace(n); n != "" {
				out = append(out, ResourceRef{a.Key, n})
			}
		}
	}
	return out
}

// ResourceNames are the distinct NIM resource names o names, in display
// order: what one lsnim -l asks about.
func ResourceNames(o Osimage) []string {
	var names []string
	for _, r := range ResourceRefs(o) {
		if !slices.Contains(names, r.Name) {
			names = append(names, r.Name)
		}
	}
	return names
}

// LsnimCommand is the query behind an osimage's NIM details.
func LsnimCommand(o Osimage) string {
	return ShellLine(append([]string{"lsnim", "-l"}, ResourceNames(o)...))
}

// OsLevel is a SPOT's AIX level: oslevel_r, else version.release.mod.
func OsLevel(o Object) string {
	if v := o.Get("oslevel_r"); v != "" {
		return v
	}
	if v := o.Get("version"); v != "" {
		return v + "." + o.Get("release") + "." + o.Get("mod")
	}
	return ""
}

// NamedAfter reports whether r is one of the resources mknimimage names
// after osimage o (the SPOT takes the name itself): what re-creating o
// under the same name makes again.
func (o Osimage) NamedAfter(r ResourceRef) bool {
	switch r.Attr {
	case "spot":
		return r.Name == o.Name
	case "root", "shared_root", "paging", "dump":
		return r.Name == o.Name+"_"+r.Attr
	}
	return false
}

// ReplaceArgvs are the commands that clear the way for re-creating o under
// its own name (DetachThenRemove): chdef detaches everything the new image
// reuses or that is not named after it (the lpp_source, extra resources),
// then rmnimimage -d -x removes the definition and the resources named
// after the osimage with their directories, so mknimimage starts clean
// instead of silently reusing them. No -f: the shared check still protects
// other osimages. detached are the attributes the chdef drops, sorted.
func ReplaceArgvs(o Osimage) (argvs [][]string, detached []string) {
	for _, r := range ResourceRefs(o) {
		if !o.NamedAfter(r) && !slices.Contains(detached, r.Attr) {
			detached = append(detached, r.Attr)
		}
	}
	sort.Strings(detached)
	return DetachThenRemove(o.Name, detached, false), detached
}

// RestoreArgv is the chdef that puts back the attributes ReplaceArgvs
// detached from o, or nil when it detached none.
func RestoreArgv(o Osimage) []string {
	_, detached := ReplaceArgvs(o)
	if len(detached) == 0 {
		return nil
	}
	pairs := make([]string, len(detached))
	for i, a := range detached {
		pairs[i] = a + "=" + o.Attrs[a]
	}
	return ChdefArgv(o.Name, pairs...)
}
