package nim

import (
	"fmt"
	"path"
	"strconv"
	"strings"
)

// The attribute table: every attr=val that mknimimage takes (the man page
// mknimimage.1.pod at 2.9.2_aix_release, "Currently supported attributes")
// and the osimage attributes nimwiz lets the browser change with chdef.
// Every other place (plans, the wizard's extras step in both modes, the
// browser's details, chdef and remove screens) reads this table: adding an
// attribute is one entry here.
//
// Sources, all at tag 2.9.2_aix_release of xcat2/xcat-core: [aix] =
// xCAT-server/lib/xcat/plugins/aixinstall.pm, [schema] =
// perl-xCAT/xCAT/Schema.pm, [dbobj] = perl-xCAT/xCAT/DBobjUtils.pm.
//
//   - Creation: the operand loop puts every attr=val in %::attrres ([aix]
//     L2338-2361); mk_lpp_source, mk_spot, mkdumpres and mknimres pass the
//     ones in their @validattrs to "nim -Fo define" as "-a attr=val" in a
//     command run through a shell (L3782/L3927, L4178/L4299, L7086/L7119,
//     L7195/L7227); spot_updates installs installp_bundle and otherpkgs and
//     syncs synclists ([aix] L1555-1690, called for diskless and dataless at
//     L3652).
//   - Update (-u): spot_updates again (L3010), with installp_flags,
//     rpm_flags, emgr_flags (L1614-1632); "-u nfs_vers=4" changes the
//     image's resources (L2917-2980).
//   - Definition: the osimage definition keeps every attr=val given
//     (L3612-3633), but xCAT stores only schema attributes (setobjdefs skips
//     the others, [dbobj] L960-985): nimimage columns ([schema] L1231-1260,
//     NIM attributes L2967-3075) and osimage.synclists (L2804).
//   - Lists: installp_bundle and script are split on ',' wherever xCAT uses
//     them: nimnodeset ([aix] L1100-1116, L1138-1155), make_SN_resource
//     (L13387-13392), rmnimres (L6063-6076), "-u nfs_vers=4" (L2963);
//     otherpkgs in parse_otherpkgs (L15200). The man page says "you may
//     specify multiple script, otherpkgs, and installp_bundle resources by
//     using a comma separated list". The schema's description of script
//     ("The name of a NIM script resource") is only a description: the
//     column is free text and the code splits it.

// AttrKind says what an attribute's value is.
type AttrKind int

const (
	// ResourceAttr names an existing NIM resource (several, comma-separated,
	// when the attribute is a list) of type AttrSpec.NIMType.
	ResourceAttr AttrKind = iota + 1
	// OptionAttr is an option value: flags, a number, yes/no, a package
	// list, a file.
	OptionAttr
)

// AttrUse says where an attribute applies (a bit set).
type AttrUse uint8

const (
	UseCreate AttrUse = 1 << iota // mknimimage NAME attr=val
	UseUpdate                     // mknimimage -u NAME attr=val
	UseDef                        // an osimage attribute of xCAT's schema: in the definition, lsdef, chdef
)

// RemovedDir says what rmnimimage -d deletes of a resource's directory
// ([aix] rmnimres L6118-6133): the location itself for lpp_source,
// bosinst_data, script, installp_bundle, root, shared_root and paging;
// dirname(location) for resolv_conf and spot; nothing for every other type
// (dump, home, tmp, ...: their NIM object goes, the directory stays).
type RemovedDir int

const (
	RemovesNothing  RemovedDir = iota
	RemovesLocation            // rm -R <location>
	RemovesParent              // rm -R dirname(<location>)
)

// AttrSpec is one row of the attribute table.
type AttrSpec struct {
	Name    string
	Kind    AttrKind
	NIMType string // ResourceAttr: the NIM type its resources have
	List    bool   // takes a comma-separated list
	Wizard  bool   // offered by the create wizard's extras step
	Change  bool   // offered by the browser's chdef changes
	What    string // one line for the admin
	Example string // a value for hints: attr=Example
	Removes RemovedDir
	Use     AttrUse
	// HostFile: the value is a file on the NIM master; Plan.CheckHost
	// looks at it.
	HostFile bool
	// check checks one item (the whole value when !List). ResourceAttr
	// rows use resourceName.
	check func(item string) error
}

// attrTable is the table, in the order the wizard lists attributes: the
// resources mknimimage makes in the order it makes them, the other
// resources, then the options.
var attrTable = []AttrSpec{
	{Name: "lpp_source", Kind: ResourceAttr, NIMType: "lpp_source", Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "installp images the SPOT is built from"},
	{Name: "spot", Kind: ResourceAttr, NIMType: "spot", Change: true, Use: UseCreate | UseDef, Removes: RemovesParent,
		What: "the /usr the nodes mount"},
	{Name: "root", Kind: ResourceAttr, NIMType: "root", Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "per-node root directories (stateful)"},
	{Name: "shared_root", Kind: ResourceAttr, NIMType: "shared_root", Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "one read-only root for all nodes (stateless)"},
	{Name: "dump", Kind: ResourceAttr, NIMType: "dump", Change: true, Use: UseCreate | UseDef,
		What: "where nodes write system dumps"},
	{Name: "paging", Kind: ResourceAttr, NIMType: "paging", Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "paging space on the master (diskless)"},
	{Name: "resolv_conf", Kind: ResourceAttr, NIMType: "resolv_conf", Wizard: true, Change: true, Use: UseCreate | UseDef, Removes: RemovesParent,
		What: "name servers for the nodes", Example: "cluster_resolv"},
	{Name: "home", Kind: ResourceAttr, NIMType: "home", Wizard: true, Change: true, Use: UseCreate | UseDef,
		What: "/home mounted from the master, one per node"},
	{Name: "shared_home", Kind: ResourceAttr, NIMType: "shared_home", Wizard: true, Change: true, Use: UseCreate | UseDef,
		What: "/home shared by all nodes"},
	{Name: "tmp", Kind: ResourceAttr, NIMType: "tmp", Wizard: true, Change: true, Use: UseCreate | UseDef,
		What: "/tmp on the master, one per node"},
	// mkdsklsnode passes only spot, root or shared_root, paging,
	// resolv_conf, dump, home, tmp and shared_home to dkls_init ([aix]
	// L11577-11630): scripts, fb_scripts and bosinst_data serve standalone
	// installs (nimnodeset, L1075-1160).
	{Name: "script", Kind: ResourceAttr, NIMType: "script", List: true, Wizard: true, Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "standalone installs only (nimnodeset)"},
	{Name: "fb_script", Kind: ResourceAttr, NIMType: "fb_script", Wizard: true, Change: true, Use: UseCreate | UseDef,
		What: "first boot of standalone installs only"},
	{Name: "installp_bundle", Kind: ResourceAttr, NIMType: "installp_bundle", List: true, Wizard: true, Change: true, Use: UseCreate | UseUpdate | UseDef, Removes: RemovesLocation,
		What: "extra software installed into the SPOT"},
	{Name: "bosinst_data", Kind: ResourceAttr, NIMType: "bosinst_data", Wizard: true, Change: true, Use: UseCreate | UseDef, Removes: RemovesLocation,
		What: "answers for the BOS install"},
	// Standalone only: nimwiz makes diskless and dataless images.
	{Name: "mksysb", Kind: ResourceAttr, NIMType: "mksysb", Use: UseCreate | UseDef,
		What: "a system backup standalone machines install from"},
	{Name: "image_data", Kind: ResourceAttr, NIMType: "image_data", Use: UseDef,
		What: "disk layout for standalone installs"},

	// parse_otherpkgs ([aix] L15191-15245) sorts the items: ".rpm" in the
	// name or "R:" makes an RPM, "epkg.Z" or "E:" an interim fix, anything
	// else an installp fileset; of "X:name" it keeps only what follows the
	// first ':'.
	{Name: "otherpkgs", Kind: OptionAttr, List: true, Wizard: true, Change: true, Use: UseCreate | UseUpdate | UseDef,
		What:    "installp/RPM/epkg packages for the SPOT",
		Example: "I:openssh.base,R:curl-7.9.3-2.aix4.3.ppc.rpm", check: checkOtherpkg},
	// sync_spot_files opens the file on the master ([aix] L14924).
	{Name: "synclists", Kind: OptionAttr, Wizard: true, Change: true, Use: UseCreate | UseUpdate | UseDef, HostFile: true,
		What: "file listing files to copy into the SPOT", Example: "/install/custom/synclist", check: checkSynclist},
	{Name: "installp_flags", Kind: OptionAttr, Wizard: true, Use: UseCreate | UseUpdate,
		What: "installp flags (default -abgQXY)", Example: "-abgQXY", check: checkInstallpFlags},
	{Name: "rpm_flags", Kind: OptionAttr, Wizard: true, Use: UseCreate | UseUpdate,
		What: "rpm flags for R: packages (default -Uvh)", Example: "-Uvh --replacepkgs", check: flagWords("rpm")},
	{Name: "emgr_flags", Kind: OptionAttr, Wizard: true, Use: UseCreate | UseUpdate,
		What: "emgr flags for E: fixes (no default)", Example: "-X", check: flagWords("emgr")},
	{Name: "nfs_vers", Kind: OptionAttr, Wizard: true, Use: UseCreate | UseUpdate,
		What: "NFS version of the resources: 3 or 4", Example: "4", check: oneOf("3", "4")},
	{Name: "nfs_sec", Kind: OptionAttr, Wizard: true, Use: UseCreate,
		What: "NFS security: sys, krb5, krb5i, krb5p", Example: "sys", check: oneOf("sys", "krb5", "krb5i", "krb5p")},
	{Name: "dumpsize", Kind: OptionAttr, Wizard: true, Use: UseCreate,
		What: "largest dump, in GB (default 50; -D)", Example: "50", check: wholeNumber},
	{Name: "max_dumps", Kind: OptionAttr, Wizard: true, Use: UseCreate,
		What: "dumps kept per node (default 1; -D)", Example: "1", check: wholeNumber},
	{Name: "snapcollect", Kind: OptionAttr, Wizard: true, Use: UseCreate,
		What: "snap data after a dump: yes/no (-D)", Example: "yes", check: oneOf("yes", "no")},
	// Not a mknimimage attribute; mkdsklsnode passes it with the dump
	// ([aix] L11606-11615, default selective; [schema] L1257).
	{Name: "configdump", Kind: OptionAttr, Change: true, Use: UseDef,
		What: "dump type: selective, full or none", Example: "selective", check: oneOf("selective", "full", "none")},
}

// attrIndex finds a row by name.
var attrIndex = func() map[string]int {
	m := make(map[string]int, len(attrTable))
	for i, a := range attrTable {
		m[a.Name] = i
	}
	return m
}()

// LookupAttr returns the table's row for attribute name.
func LookupAttr(name string) (AttrSpec, bool) {
	i, ok := attrIndex[name]
	if !ok {
		return AttrSpec{}, false
	}
	return attrTable[i], true
}

// Attrs returns the table's rows, in table order, that keep returns true for
// (all of them when keep is nil).
func Attrs(keep func(AttrSpec) bool) []AttrSpec {
	var out []AttrSpec
	for _, a := range attrTable {
		if keep == nil || keep(a) {
			out = append(out, a)
		}
	}
	return out
}

// AttrNames is the names of Attrs(keep).
func AttrNames(keep func(AttrSpec) bool) []string {
	var out []string
	for _, a := range Attrs(keep) {
		out = append(out, a.Name)
	}
	return out
}

// Has reports whether the attribute applies in all of use.
func (a AttrSpec) Has(use AttrUse) bool { return a.Use&use == use }

// Items splits a value into its items: on ',' for a list (as xCAT does,
// with nothing trimmed), else the value whole.
func (a AttrSpec) Items(v string) []string {
	if !a.List {
		return []string{v}
	}
	return strings.Split(v, ",")
}

// Check checks a whole value: every item of a list, or the value. The
// error says what is wrong and how to fix it.
func (a AttrSpec) Check(v string) error {
	if v == "" {
		return fmt.Errorf("is empty: give %s", a.Want())
	}
	items := a.Items(v)
	for i, it := range items {
		if a.List && len(items) > 1 {
			if it == "" {
				return fmt.Errorf("%q has an empty item (two commas, or one at an end): separate the items with single commas", v)
			}
			if t := strings.TrimSpace(it); t != it && t != "" {
				return fmt.Errorf("%q has blanks around %q: xCAT splits the list on ',' alone and would look for %q; write the items with commas only, like %s", v, t, it, strings.Join(trimAll(items), ","))
			}
		}
		check := a.check
		if a.Kind == ResourceAttr {
			check = resourceName
		}
		if check == nil {
			continue
		}
		if err := check(it); err != nil {
			if len(items) > 1 {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
			return err
		}
	}
	return nil
}

// Want says what a value of the attribute is, for messages: "the name of an
// existing NIM resolv_conf resource", "a value like -abgQXY".
func (a AttrSpec) Want() string {
	if a.Kind == ResourceAttr {
		if a.List {
			return fmt.Sprintf("the names of existing NIM %s resources, separated by commas", a.NIMType)
		}
		return fmt.Sprintf("the name of an existing NIM %s resource", a.NIMType)
	}
	return fmt.Sprintf("a value (%s), like %s=%s", a.What, a.Name, a.Example)
}

// RemovedDir is the directory rmnimimage -d deletes for a resource of this
// attribute at location loc, or "" when it deletes none.
func (a AttrSpec) RemovedDir(loc string) string {
	if loc == "" {
		return ""
	}
	switch a.Removes {
	case RemovesLocation:
		return loc
	case RemovesParent:
		return path.Dir(loc)
	}
	return ""
}

// AttrField is the plan field of attribute name in problems and in a plan
// file: "resources.<name>" for a resource, "options.<name>" for an option,
// "resources.<name>" for a name the table does not know.
func AttrField(name string) string {
	if a, ok := LookupAttr(name); ok && a.Kind == OptionAttr {
		return "options." + name
	}
	return "resources." + name
}

// IsAttrField reports whether a problem's field is one of AttrField's.
func IsAttrField(field string) bool {
	return strings.HasPrefix(field, "resources.") || strings.HasPrefix(field, "options.")
}

func trimAll(items []string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		if t := strings.TrimSpace(it); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// perlFalse is the one non-empty string Perl takes as false. xCAT tests
// names and values for truth ("while (my $a = shift(@ARGV))" [aix] L2338,
// "if ($::attrres{paging})" L3323, "unless($res_name)" L6058), so a "0" is
// silently skipped wherever it appears.
const perlFalse = "0"

// resourceName checks one resource name: NIM's naming rule (ValidName) and
// not "0".
func resourceName(s string) error {
	if err := ValidName(s); err != nil {
		return fmt.Errorf("resource name %w", err)
	}
	if s == perlFalse {
		return fmt.Errorf("resource name \"0\": xCAT's Perl code takes \"0\" as no value and would skip it; rename the resource")
	}
	return nil
}

// checkOtherpkg checks one otherpkgs item against parse_otherpkgs ([aix]
// L15191-15245). Without a prefix xCAT goes by the name (".rpm": RPM,
// "epkg.Z": interim fix, else installp), so no prefix is accepted; any
// other prefix, a second ':' or a prefix that the name contradicts would
// be installed as something else than written, and is refused. The name
// ends up in a shell command line (update_spot_rpm L15445), so only
// fileset and package characters pass; a trailing '*' is kept for RPM
// patterns (xCAT strips it when it compares names, L15419).
func checkOtherpkg(item string) error {
	prefix, name, hasPrefix := strings.Cut(item, ":")
	if !hasPrefix {
		prefix, name = "", item
	}
	switch prefix {
	case "", "I", "R", "E":
	default:
		return fmt.Errorf("%q has the prefix %q: xCAT knows I: (installp), R: (RPM) and E: (interim fix) and would install %q as an installp fileset; write I:, R: or E:", item, prefix+":", name)
	}
	if strings.Contains(name, ":") {
		return fmt.Errorf("%q has more than one ':': xCAT keeps only what follows the first one; write one prefix, like R:%s", item, name[strings.LastIndexByte(name, ':')+1:])
	}
	if name == "" {
		return fmt.Errorf("%q names no package: write a fileset, RPM or epkg file name after the prefix", item)
	}
	rpm := strings.Contains(name, ".rpm")
	epkg := strings.Contains(name, "epkg.Z")
	switch {
	case prefix == "I" && (rpm || epkg), prefix == "E" && rpm:
		// xCAT tests ".rpm" first, then "epkg.Z", then the prefix.
		kind := "RPM"
		fix := "R:"
		if !rpm {
			kind, fix = "interim fix", "E:"
		}
		return fmt.Errorf("%q says %s: but xCAT installs a name with %q in it as an %s; write %s%s", item, prefix, map[bool]string{true: ".rpm", false: "epkg.Z"}[rpm], kind, fix, name)
	case prefix == "R" && epkg && !rpm:
		return fmt.Errorf("%q says R: but names an interim fix (epkg.Z), which xCAT would hand to rpm; write E:%s", item, name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case isNameByte(c) || c == '.' || c == '+':
		case c == '*' && i == len(name)-1 && (prefix == "R" || rpm):
		default:
			return fmt.Errorf("%q contains %q: xCAT passes package names to a shell, so nimwiz takes only letters, digits and . _ - + (and a '*' at the end of an RPM pattern)", item, string(c))
		}
	}
	return nil
}

// checkSynclist checks the synclists value: the absolute path of a file on
// the master (sync_spot_files opens it, [aix] L14924). Plan.CheckHost
// checks that the file is there.
func checkSynclist(v string) error {
	if !strings.HasPrefix(v, "/") {
		return fmt.Errorf("%q is not an absolute path: give the full path of the synclist file on the NIM master, like /install/custom/synclist", v)
	}
	if err := checkPath(v); err != nil {
		return err
	}
	if v == "/" {
		return fmt.Errorf("\"/\" is a directory: give the synclist file")
	}
	return nil
}

// checkInstallpFlags checks installp_flags: one word of flag letters (and
// digits, for -V2 and the like). At creation mk_spot pastes it unquoted into
// "nim -Fo define -t spot ... -a installp_flags=<v>" run through a shell
// ([aix] L4178, L4299): a blank would split it into separate nim
// arguments, and any shell character would run. At -u it lands inside a
// double-quoted xcatchroot command ([aix] L15296-15304).
func checkInstallpFlags(v string) error {
	if len(v) < 2 || v[0] != '-' {
		return fmt.Errorf("%q is not installp flags: write them as one word starting with '-', like -abgQXY (xCAT's default)", v)
	}
	for i := 1; i < len(v); i++ {
		if c := v[i]; !isAlnum(c) {
			if c == ' ' || c == '\t' {
				return fmt.Errorf("%q has a blank: mknimimage passes installp_flags to 'nim -o define' as one value, which a blank would split; bundle the flags in one word, like -abgQXY", v)
			}
			return fmt.Errorf("%q contains %q: installp flags are letters (and digits) after one '-', like -abgQXY; xCAT passes them through a shell", v, string(c))
		}
	}
	return nil
}

// flagWords checks rpm_flags or emgr_flags: blank-separated words, each
// starting with '-', of letters, digits and - _ = . , / + :. They are
// pasted inside a double-quoted command that xcatchroot runs through a
// shell again ([aix] rpm L15445, emgr L15540): none of those characters is
// special there, every other one might be. A word without '-' would be
// taken as a package or file by rpm and emgr.
func flagWords(cmd string) func(string) error {
	return func(v string) error {
		// Only ' ' separates: strings.Fields would also take \f, \v and
		// Unicode spaces, which a shell does not (the fuzzer's "\f-").
		if strings.ContainsAny(v, "\t\n\r\f\v") {
			return fmt.Errorf("%q contains a tab, newline or form feed: separate the flags with single blanks", v)
		}
		words := strings.FieldsFunc(v, func(r rune) bool { return r == ' ' })
		if len(words) == 0 {
			return fmt.Errorf("is blank: give %s flags, or remove the line", cmd)
		}
		for _, w := range words {
			if w[0] != '-' {
				return fmt.Errorf("%q has the word %q, which is not a flag: every word must start with '-' (%s would take it as a package or file)", v, w, cmd)
			}
			for _, r := range w {
				if r >= 0x80 || !isNameByte(byte(r)) && strings.IndexRune("=.,/+:", r) < 0 {
					return fmt.Errorf("%q contains %q: xCAT passes %s flags through a shell, so nimwiz takes only letters, digits, blanks and - _ = . , / + :", v, string(r), cmd)
				}
			}
		}
		return nil
	}
}

// oneOf checks a value against a fixed set.
func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		for _, ok := range vals {
			if v == ok {
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s: write one of those", v, strings.Join(vals, ", "))
	}
}

// wholeNumber checks a positive whole number (NIM takes dumpsize and
// max_dumps as such; mkdumpres pastes them into a shell command, L7119).
func wholeNumber(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "0") {
		return fmt.Errorf("%q is not a whole number from 1 up: write digits only, like 50", v)
	}
	return nil
}
