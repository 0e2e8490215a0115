package plain

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
)

// The texts follow the full-screen steps (package steps) so both modes say
// the same things; the lines that name keys say the typed answers instead.

// problemOf is the first Validate problem of p in field, or "".
func problemOf(p nim.Plan, field string) string {
	for _, pr := range p.Validate() {
		if pr.Field == field {
			return pr.Message
		}
	}
	return ""
}

// number reads a 1-based choice of n rows.
func number(ans string, n int) (int, bool) {
	i, err := strconv.Atoi(ans)
	if err != nil || i < 1 || i > n {
		return 0, false
	}
	return i - 1, true
}

// ---- Step 1: name ----

func (s *session) askName() error {
	p := s.p
	explain := func() {
		q := s.plan
		q.Name = "NAME"
		p.para("", "What should the new osimage be called? The name is used for the xCAT osimage and for its SPOT. "+
			"The NIM resources made for it are named after it: NAME_lpp_source, NAME_root or NAME_shared_root, NAME_paging, NAME_dump. "+
			"Letters, digits, '-' and '_'.")
		p.para("", fmt.Sprintf("At most %d characters for this plan: NIM allows %d, and %s must fit.", s.plan.LongestName(), nim.MaxNameLen, longestSuffix(q)))
	}
	explain()

	def := ""
	if v := s.plan.Name; v != "" && problemOf(s.plan, "name") == "" {
		if v == s.nameFree {
			def = v
		} else if msg, err := s.nameTaken(v); err != nil {
			return err
		} else if msg == "" {
			def = v
		} else {
			p.say("note", "the plan's name is not free: "+msg)
		}
	}
	if def == "" {
		sugg, err := s.suggestName()
		if err != nil {
			return err
		}
		def = sugg
	}
	if def != "" {
		p.para("", fmt.Sprintf("%s is free: press Enter to use it, or type another name.", def))
	}
	for {
		v, err := p.ask(question{label: "Name", def: def, explain: explain, noBack: true, need: "type a name for the osimage"})
		if err != nil {
			return err
		}
		q := s.plan
		q.Name = v
		if msg := problemOf(q, "name"); msg != "" {
			p.say("error", msg)
			continue
		}
		if v != s.nameFree {
			msg, err := s.nameTaken(v)
			if err != nil {
				return err
			}
			if msg != "" {
				p.say("error", msg)
				continue
			}
		}
		p.say("ok", fmt.Sprintf("%q is free in xCAT and NIM.", v))
		s.plan.Name, s.nameFree = v, v
		return nil
	}
}

// nameTaken asks NIM about v: "" when free, else why it cannot be used.
func (s *session) nameTaken(v string) (string, error) {
	var t nim.Taken
	err := s.query("check the name "+v, "lsdef -t osimage; lsnim "+v, true, false, func(ctx context.Context) error {
		var err error
		t, err = s.cfg.NIM.NameTaken(ctx, v)
		return err
	})
	switch {
	case err != nil:
		return "", err
	case t.Osimage:
		return fmt.Sprintf("an xCAT osimage named %q already exists; choose another name (see it with: lsdef -t osimage %s)", v, v), nil
	case t.NIMType != "":
		return fmt.Sprintf("%q is already a NIM %s object, and NIM names must be unique; choose another name", v, t.NIMType), nil
	}
	return "", nil
}

// suggestName finds a free name the way the full-screen name step does:
// base, base_2, base_3 ... for each of steps.SuggestBases, and osimage1,
// osimage2 ... "" when none is free or the admin went on without one.
func (s *session) suggestName() (string, error) {
	var found string
	err := s.query("find a free name", "lsdef -t osimage; lsnim NAME", true, true, func(ctx context.Context) error {
		for _, b := range steps.SuggestBases(s.plan, s.from) {
			for i := 1; i <= 9; i++ {
				cand := b
				if i > 1 || b == "osimage" {
					cand = fmt.Sprintf("%s%d", b, i)
					if b != "osimage" {
						cand = fmt.Sprintf("%s_%d", b, i)
					}
				}
				if b == s.from && i == 1 {
					continue // the osimage copied from exists
				}
				q := s.plan
				q.Name = cand
				if nim.ValidName(cand) != nil || len(cand) > q.LongestName() {
					break
				}
				t, err := s.cfg.NIM.NameTaken(ctx, cand)
				if err != nil {
					return err
				}
				if !t.Any() {
					found = cand
					s.nameFree = cand
					return nil
				}
			}
		}
		return nil
	})
	if err == errSkip {
		return "", nil
	}
	return found, err
}

// longestSuffix names the longest resource name the plan derives, as
// NAME_suffix.
func longestSuffix(p nim.Plan) string {
	longest := ""
	for _, r := range p.Resources() {
		if !r.Reused && strings.HasPrefix(r.Name, p.Name) && len(r.Name)-len(p.Name) > len(longest) {
			longest = r.Name[len(p.Name):]
		}
	}
	return "NAME" + longest
}

// ---- Step 2: source ----

var kinds = []struct{ title, what string }{
	{"Product media", "AIX DVD/CD in a drive here, copied to a new lpp_source"},
	{"Image directory", "installp images on disk, copied to a new lpp_source"},
	{"Existing lpp_source", "reuse an lpp_source NIM has; nothing is copied"},
}

func (s *session) askSource() error {
	p := s.p
	explain := func() {
		p.para("", "Where should the AIX software come from? mknimimage builds the SPOT from an lpp_source: "+
			"it copies product media or a directory of installp images into a new one, or reuses one NIM already has.")
		for i, k := range kinds {
			p.printf("  %d) %-20s %s\n", i+1, k.title, k.what)
		}
	}
	for {
		explain()
		def := steps.KindMedia
		switch s.plan.SourceKind() {
		case nim.SourceDirectory:
			def = steps.KindDirectory
		case nim.SourceLppSource:
			def = steps.KindLppSource
		}
		k, err := p.choose(question{label: "Kind of source", explain: explain}, len(kinds), def)
		if err != nil {
			return err
		}
		switch k {
		case steps.KindMedia:
			err = s.askDevice()
		case steps.KindDirectory:
			err = s.askDirectory()
		default:
			err = s.askLppSource()
		}
		if err == errBack {
			p.println("")
			continue // back to the kinds, not to the name
		}
		return err
	}
}

func deviceRefusal(d nim.CDDevice) string {
	return fmt.Sprintf("%s is %s, not Available: AIX knows the drive but it is not configured. Configure it with `mkdev -l %s` (or `cfgmgr`), then type r to look again.", d.Name, d.Status, d.Name)
}

func usableDevice(d nim.CDDevice) bool { return strings.EqualFold(d.Status, "Available") }

func (s *session) askDevice() error {
	p := s.p
	for {
		var devs []nim.CDDevice
		err := s.query("list the CD/DVD drives", "lsdev -Cc cdrom", false, false, func(ctx context.Context) error {
			var err error
			devs, err = s.cfg.NIM.CDDevices(ctx)
			return err
		})
		if err != nil {
			return err
		}
		if len(devs) == 0 {
			p.para("", "This master has no CD/DVD drive (lsdev -Cc cdrom lists none). Copy the media to a directory on another system, or choose an image directory.")
			return errBack
		}
		explain := func() {
			p.para("", "Which drive holds the AIX product media? mknimimage copies it into a new lpp_source (NAME_lpp_source). Only an Available drive can be read.")
			for i, d := range devs {
				p.printf("  %d) /dev/%-6s %-10s %s\n", i+1, d.Name, d.Status, strings.TrimSpace(d.Location+" "+d.Description))
				if !usableDevice(d) {
					p.printf("     not usable: %s is %s, not Available\n", d.Name, d.Status)
				}
			}
		}
		explain()
		def := -1
		for i, d := range devs {
			if usableDevice(d) && (def < 0 || s.plan.Source == "/dev/"+d.Name) {
				def = i
			}
		}
		q := question{label: "Drive", explain: explain, need: "no drive is Available: configure one and type r, or b for another kind of source"}
		if def >= 0 {
			q.def = strconv.Itoa(def + 1)
		}
		for again := false; !again; {
			ans, err := p.ask(q)
			if err != nil {
				return err
			}
			if ans == "r" || ans == "R" {
				again = true
				continue
			}
			i, ok := number(ans, len(devs))
			switch {
			case !ok:
				p.say("error", fmt.Sprintf("%q is not one of the drives: type a number from 1 to %d, r to look again, or b for another kind of source.", ans, len(devs)))
			case !usableDevice(devs[i]):
				p.say("error", deviceRefusal(devs[i]))
			default:
				s.plan.Source = "/dev/" + devs[i].Name
				p.say("ok", fmt.Sprintf("the source is %s.", s.plan.Source))
				return nil
			}
		}
	}
}

// dirRefusal says why a directory cannot be a source, or "".
func dirRefusal(r steps.DirReport) string {
	switch {
	case r.Err != nil:
		return fmt.Sprintf("cannot read %s: %v", r.Dir, r.Err)
	case r.Layout == steps.LayoutMissing:
		return fmt.Sprintf("%s does not exist; type the directory that holds the installp images", r.Dir)
	case r.Layout == steps.LayoutNotDir:
		return fmt.Sprintf("%s is a file, not a directory", r.Dir)
	case r.Layout == steps.LayoutEmpty && len(r.Subdirs) > 0:
		return fmt.Sprintf("no installp images directly in %s. Its subdirectories: %s. Type the one that holds the images.", r.Dir, strings.Join(r.Subdirs, ", "))
	case r.Layout == steps.LayoutEmpty:
		return fmt.Sprintf("%s holds no installp images. Copy them from the product media first: `gencopy -U -X -d /dev/cd0 -t %s all`", r.Dir, r.Dir)
	}
	return ""
}

// noTOC is the warning for images without a table of contents.
func noTOC(r steps.DirReport) string {
	return fmt.Sprintf("%s has %d image files but no .toc; run `inutoc %s` before creating, so installp can find them.", r.Dir, r.Images, path.Join(r.Dir, r.ImgDir))
}

func (s *session) askDirectory() error {
	p := s.p
	explain := func() {
		p.para("", "Type the absolute path of the directory that holds the installp images (where gencopy or bffcreate copied the media). "+
			"nimwiz looks for installp/ppc/.toc, .toc, or usr/sys/inst.images/.toc in it. mknimimage copies the images into a new lpp_source.")
	}
	explain()
	def := ""
	if s.plan.SourceKind() == nim.SourceDirectory {
		def = s.plan.Source
	} else {
		for _, d := range steps.DefaultImageDirs {
			if r := steps.InspectDir(s.cfg.Root, path.Clean(d)); r.Usable() {
				def = path.Clean(d)
				break
			}
		}
	}
	for {
		ans, err := p.ask(question{label: "Image directory", def: def, explain: explain, need: "type the absolute path of the directory holding the installp images"})
		if err != nil {
			return err
		}
		if !path.IsAbs(ans) {
			p.say("error", fmt.Sprintf("%q is not an absolute path: type the full path, starting with /", ans))
			continue
		}
		dir := path.Clean(ans)
		q := s.plan
		q.Source = dir
		if msg := problemOf(q, "source"); msg != "" {
			p.say("error", msg)
			continue
		}
		r := steps.InspectDir(s.cfg.Root, dir)
		r.Dir = dir
		if msg := dirRefusal(r); msg != "" {
			p.say("error", msg)
			continue
		}
		switch r.Layout {
		case steps.LayoutInstallp:
			p.say("ok", fmt.Sprintf("installp images in installp/ppc, with a .toc (%d image files).", r.Images))
		case steps.LayoutFlat:
			p.say("ok", fmt.Sprintf("installp images with a .toc (%d image files).", r.Images))
		case steps.LayoutInstImage:
			p.say("ok", fmt.Sprintf("installp images in usr/sys/inst.images, with a .toc (%d image files).", r.Images))
		case steps.LayoutNoTOC:
			p.say("warning", noTOC(r))
		}
		s.plan.Source = dir
		return nil
	}
}

func lppRefusal(o nim.Object) string {
	rs := o.Get("Rstate")
	if rs == "" {
		rs = "unknown"
	}
	return fmt.Sprintf("%s is %q: NIM uses only a resource that is %q. Check it with `nim -Fo check %s`, or choose another.", o.Name, rs, nim.RstateReady, o.Name)
}

func (s *session) askLppSource() error {
	p := s.p
	for {
		var lpps []nim.Object
		err := s.query("list the lpp_sources", "lsnim -l -t lpp_source", false, false, func(ctx context.Context) error {
			var err error
			lpps, err = s.cfg.NIM.ObjectsOfType(ctx, "lpp_source")
			return err
		})
		if err != nil {
			return err
		}
		if len(lpps) == 0 {
			p.para("", "NIM has no lpp_source yet. Choose product media or an image directory and mknimimage will create one.")
			return errBack
		}
		nameW := 12
		for _, o := range lpps {
			nameW = max(nameW, len(o.Name))
		}
		explain := func() {
			p.para("", "Which lpp_source should the SPOT be built from? It is reused as it is: nothing is copied. Only one that is \"ready for use\" can be used.")
			for i, o := range lpps {
				p.printf("  %d) %-*s  %-22s %s\n", i+1, nameW, o.Name, o.Get("Rstate"), o.Get("location"))
				if !o.Ready() {
					p.printf("     not usable: its Rstate is not %q\n", nim.RstateReady)
				}
			}
		}
		explain()
		def := -1
		for i, o := range lpps {
			if o.Ready() && (def < 0 || s.plan.Source == o.Name) {
				def = i
			}
		}
		q := question{label: "lpp_source", explain: explain, need: "no lpp_source is ready for use: type b for another kind of source"}
		if def >= 0 {
			q.def = strconv.Itoa(def + 1)
		}
		for again := false; !again; {
			ans, err := p.ask(q)
			if err != nil {
				return err
			}
			if ans == "r" || ans == "R" {
				again = true
				continue
			}
			i, ok := number(ans, len(lpps))
			switch {
			case !ok:
				p.say("error", fmt.Sprintf("%q is not one of the lpp_sources: type a number from 1 to %d, r to look again, or b for another kind of source.", ans, len(lpps)))
			case !lpps[i].Ready():
				p.say("error", lppRefusal(lpps[i]))
			default:
				s.plan.Source = lpps[i].Name
				p.say("ok", fmt.Sprintf("the source is the existing lpp_source %s.", s.plan.Source))
				return nil
			}
		}
	}
}

// ---- Step 3: node type ----

var nodeTypes = []struct{ title, flags, what string }{
	{"Diskless, stateful", "-t diskless",
		"Each node gets its own root directory on the master (a NIM root resource), so files a node writes survive a reboot. Costs disk on the master for every node (tens of MB each) and all I/O crosses the network. Paging goes to the master too. The usual choice."},
	{"Diskless, stateless", "-t diskless -r",
		"All nodes share one read-only root (a shared_root resource). What a node writes goes to memory and is lost at reboot, so every boot starts clean. Least disk on the master, easy to keep nodes identical; logs and local changes must go elsewhere."},
	{"Dataless", "-t dataless",
		"Nodes have a local disk used for paging and dump; the rest of the system (/usr, root) comes from NIM. Less network traffic than diskless, no paging resource on the master, but each node needs a disk."},
}

func (s *session) askNodeType() error {
	p := s.p
	explain := func() {
		p.para("", "What kind of nodes will boot this image?")
		for i, t := range nodeTypes {
			p.printf("  %d) %s (%s)\n", i+1, t.title, t.flags)
			p.para("     ", t.what)
		}
	}
	explain()
	def := steps.TypeStateful
	switch {
	case s.plan.Type == nim.Dataless:
		def = steps.TypeDataless
	case s.plan.Stateless:
		def = steps.TypeStateless
	}
	i, err := p.choose(question{label: "Node type", explain: explain}, len(nodeTypes), def)
	if err != nil {
		return err
	}
	switch i {
	case steps.TypeStateful:
		s.plan.Type, s.plan.Stateless = nim.Diskless, false
	case steps.TypeStateless:
		s.plan.Type, s.plan.Stateless = nim.Diskless, true
	default:
		s.plan.Type, s.plan.Stateless = nim.Dataless, false
	}
	p.say("ok", nodeTypes[i].title+".")
	return nil
}

// ---- Step 4: location ----

func (s *session) askLocation() error {
	p := s.p
	explain := func() {
		p.para("", "Where should the new NIM resources live? mknimimage makes a directory per resource under this one: "+
			"lpp_source/, spot/, root/ or shared_root/, paging/, dump/. The default is "+nim.DefaultLocation+"; change it only to use another filesystem.")
		parts := "SPOT 800 MB"
		if s.plan.SourceKind() != nim.SourceLppSource {
			parts = "lpp_source copy 1.5 GB + SPOT 800 MB"
		}
		p.para("", fmt.Sprintf("This plan needs about %s (%s).", formatSize(steps.Need(s.plan)), parts))
	}
	explain()
	def := s.plan.Location
	if def == "" {
		def = nim.DefaultLocation
	}
	for {
		ans, err := p.ask(question{label: "Location", def: def, explain: explain})
		if err != nil {
			return err
		}
		if !path.IsAbs(ans) {
			p.say("error", fmt.Sprintf("%q is not an absolute path: type the full path, starting with / (Enter takes %s)", ans, def))
			continue
		}
		q := s.plan
		q.Location = path.Clean(ans)
		if msg := problemOf(q, "location"); msg != "" {
			p.say("error", msg)
			continue
		}
		s.plan.Location = q.Location
		if w := s.spaceWarning(); w != "" {
			p.say("warning", w)
		} else if free, dir, err := s.free(); err == nil {
			p.say("ok", fmt.Sprintf("%s free on the filesystem holding %s.", formatSize(free), dir))
		}
		return nil
	}
}

// free measures the space on the filesystem that will hold the location.
func (s *session) free() (uint64, string, error) {
	loc := s.plan.WithDefaults().Location
	dir := nearestExisting(s.cfg.Root, loc)
	fs := s.cfg.FreeSpace
	if fs == nil {
		fs = steps.FreeSpace
	}
	n, err := fs(hostPath(s.cfg.Root, dir))
	return n, dir, err
}

// spaceWarning says when the location is short of space or could not be
// measured: a warning, never a refusal (mknimimage grows filesystems itself
// when it can).
func (s *session) spaceWarning() string {
	free, dir, err := s.free()
	need := steps.Need(s.plan)
	switch {
	case err != nil:
		return fmt.Sprintf("could not measure the free space for %s: %v; this plan needs about %s", s.plan.WithDefaults().Location, err, formatSize(need))
	case free < need:
		return fmt.Sprintf("only %s free on the filesystem holding %s; this plan needs about %s. mknimimage will try to grow it (chfs); if it cannot, the run stops part way.",
			formatSize(free), dir, formatSize(need))
	}
	return ""
}

// ---- Step 5: dump ----

func (s *session) askDump() error {
	p := s.p
	explain := func() {
		p.para("", "Create a dump resource? A dump resource is space on the master where a diskless node writes its system dump if AIX crashes, "+
			"so IBM support can find the cause. It costs disk (mknimimage's default is up to 50 GB) and is only needed when you want crash dumps. "+
			"You can add one later by running mknimimage again with -D. It needs xCAT 2.5 or later.")
		p.println("  1) No, no dump resource")
		p.println("  2) Yes, create NAME_dump (-D)")
	}
	explain()
	if !s.versionRead {
		err := s.query("read the xCAT version", "lsxcatd -v", false, true, func(ctx context.Context) error {
			var err error
			s.version, err = s.cfg.NIM.XcatVersion(ctx)
			return err
		})
		switch {
		case err == errSkip:
			s.versionErr = fmt.Errorf("lsxcatd -v failed")
		case err != nil:
			return err
		default:
			s.versionRead, s.versionErr = true, nil
		}
	}
	switch {
	case s.versionRead && s.version.AtLeast(2, 5):
		p.para("", fmt.Sprintf("xCAT %s: dump resources are supported.", s.version))
	case s.versionRead:
		p.say("warning", fmt.Sprintf("xCAT %s is older than 2.5: dump resources are not supported.", s.version))
	default:
		p.say("warning", "the xCAT version is not known; dump resources need xCAT 2.5 or later.")
	}
	def := 0
	if s.plan.Dump && (!s.versionRead || s.version.AtLeast(2, 5)) {
		def = 1 // a default is never refused
	}
	for {
		i, err := p.choose(question{label: "Dump resource", explain: explain}, 2, def)
		if err != nil {
			return err
		}
		if i == 1 && s.versionRead && !s.version.AtLeast(2, 5) {
			p.say("error", fmt.Sprintf("this xCAT is %s; dump resources need xCAT 2.5 or later. Choose 1 (no), or update xCAT first.", s.version))
			continue
		}
		s.plan.Dump = i == 1
		if s.plan.Dump {
			p.say("ok", "a dump resource will be created (-D).")
		} else {
			p.say("ok", "no dump resource.")
		}
		return nil
	}
}

// ---- Step 6: extra resources ----

// multiValued are the attributes that take a comma-separated list (as in
// steps/extras.go).
var multiValued = map[string]bool{"script": true, "installp_bundle": true}

var extraWhat = map[string]string{
	"resolv_conf":     "name servers for the nodes",
	"home":            "/home mounted from the master, one per node",
	"shared_home":     "/home shared by all nodes",
	"tmp":             "/tmp on the master, one per node",
	"script":          "runs on the node after install",
	"fb_script":       "runs at the node's first boot",
	"installp_bundle": "extra software installed into the SPOT",
	"bosinst_data":    "answers for the BOS install",
}

func isExtraType(t string) bool {
	for _, e := range steps.ExtraTypes {
		if e == t {
			return true
		}
	}
	return false
}

func (s *session) askExtras() error {
	p := s.p
	var all []nim.Listing
	err := s.query("list the NIM resources", "lsnim -c resources", false, false, func(ctx context.Context) error {
		var err error
		all, err = s.cfg.NIM.Resources(ctx)
		return err
	})
	if err != nil {
		return err
	}
	var items []nim.Listing
	for _, t := range steps.ExtraTypes { // in the order offered, by name within a type
		var of []nim.Listing
		for _, l := range all {
			if l.Type == t {
				of = append(of, l)
			}
		}
		sortListings(of)
		items = append(items, of...)
	}
	find := func(attr, name string) int {
		for i, l := range items {
			if l.Type == attr && l.Name == name {
				return i
			}
		}
		return -1
	}

	// Prefill from the plan; attrs this step does not offer (a root or dump
	// named by a saved plan) are kept as they are.
	checked := make([]bool, len(items))
	kept := map[string]string{}
	for _, a := range sortedKeys(s.plan.Extra) {
		if !isExtraType(a) {
			kept[a] = s.plan.Extra[a]
			continue
		}
		for _, n := range strings.Split(s.plan.Extra[a], ",") {
			if i := find(a, strings.TrimSpace(n)); i >= 0 {
				checked[i] = true
			} else if !s.extrasSeen {
				s.dropped = append(s.dropped, a+"="+n)
			}
		}
	}
	s.extrasSeen = true

	nameW := 10
	for _, l := range items {
		nameW = max(nameW, len(l.Name))
	}
	list := func() {
		if len(items) == 0 {
			p.para("", "NIM has no resources of these types ("+strings.Join(steps.ExtraTypes, ", ")+"). Press Enter to go on without extras.")
		}
		for i, l := range items {
			mark := "[ ]"
			if checked[i] {
				mark = "[x]"
			}
			p.printf("  %d) %s %-16s %-*s  %s\n", i+1, mark, l.Type, nameW, l.Name, extraWhat[l.Type])
		}
		if len(kept) > 0 {
			p.para("", "Also in the plan, kept as they are (type attr= to remove one): "+joinPairs(kept))
		}
	}
	explain := func() {
		p.para("", "Add existing NIM resources? (optional) Nodes booting this image can also get resources NIM already has. "+
			"Type numbers to select or unselect them (e.g. 1 3), or attr=value to add one by name (e.g. resolv_conf=cluster_resolv). "+
			"Press Enter when done; choosing none is fine.")
		list()
	}
	for _, d := range s.dropped {
		p.say("warning", fmt.Sprintf("%s from the original is not in NIM any more and was left out", d))
	}
	explain()
	selected := func() string {
		var out []string
		for i, l := range items {
			if checked[i] {
				out = append(out, l.Type+"="+l.Name)
			}
		}
		for _, a := range sortedKeys(kept) {
			out = append(out, a+"="+kept[a])
		}
		if len(out) == 0 {
			return "none"
		}
		return strings.Join(out, ", ")
	}
	// set checks or unchecks row i; a single-valued type keeps one.
	set := func(i int, on bool) {
		if on && !multiValued[items[i].Type] {
			for j := range items {
				if items[j].Type == items[i].Type {
					checked[j] = false
				}
			}
		}
		checked[i] = on
	}
	for {
		ans, err := p.ask(question{label: "Select (numbers, attr=value, Enter when done)", def: "done", explain: explain})
		if err != nil {
			return err
		}
		if strings.EqualFold(ans, "done") {
			break
		}
		if strings.Contains(ans, "=") {
			msg, ok := s.addTyped(ans, items, find, kept, set)
			if !ok {
				p.say("error", msg)
				continue
			}
			p.say("ok", msg+". Selected: "+selected())
			continue
		}
		// Numbers: all of them valid, or none is applied.
		var idx []int
		bad := ""
		seen := map[string]int{}
		for _, f := range strings.FieldsFunc(ans, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
			i, ok := number(f, len(items))
			if !ok {
				bad = fmt.Sprintf("%q is not a row: type numbers from 1 to %d separated by spaces, attr=value, or Enter when done", f, len(items))
				if len(items) == 0 {
					bad = "there is nothing to select: press Enter to go on"
				}
				break
			}
			if j, dup := seen[items[i].Type]; dup && !multiValued[items[i].Type] && !checked[i] && !checked[j] {
				bad = fmt.Sprintf("%d and %d are both %s, which takes one resource: choose one", j+1, i+1, items[i].Type)
				break
			}
			seen[items[i].Type] = i
			idx = append(idx, i)
		}
		if bad != "" {
			p.say("error", bad)
			continue
		}
		for _, i := range idx {
			set(i, !checked[i])
		}
		p.para("", "Selected: "+selected())
	}
	extra := map[string]string{}
	for i, l := range items {
		if checked[i] {
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
		extra = nil
	}
	s.plan.Extra = extra
	p.say("ok", "extra resources: "+selected()+".")
	return nil
}

// addTyped applies attr=value (or attr= to remove), or says why not.
func (s *session) addTyped(in string, items []nim.Listing, find func(string, string) int, kept map[string]string, set func(int, bool)) (string, bool) {
	attr, val, _ := strings.Cut(in, "=")
	attr, val = strings.TrimSpace(attr), strings.TrimSpace(val)
	switch {
	case attr == "":
		return "type attr=value, e.g. resolv_conf=cluster_resolv", false
	case val == "":
		if _, ok := kept[attr]; ok {
			delete(kept, attr)
			return "removed " + attr, true
		}
		if !isExtraType(attr) {
			return fmt.Sprintf("%s is not in the plan: nothing to remove", attr), false
		}
		for i, l := range items {
			if l.Type == attr {
				set(i, false)
			}
		}
		return "removed every " + attr, true
	case !isExtraType(attr):
		return fmt.Sprintf("%q is not one of the resources nimwiz adds here: %s", attr, strings.Join(steps.ExtraTypes, ", ")), false
	}
	names := strings.Split(val, ",")
	if len(names) > 1 && !multiValued[attr] {
		return fmt.Sprintf("%s takes one resource; type one name", attr), false
	}
	var idx []int
	for _, n := range names {
		n = strings.TrimSpace(n)
		if err := nim.ValidName(n); err != nil {
			return "resource name " + err.Error(), false
		}
		i := find(attr, n)
		if i < 0 {
			return fmt.Sprintf("NIM has no %s resource named %q. Create it with NIM first (smitty nim_mkres, or nim -o define -t %s ...), then come back.", attr, n, attr), false
		}
		idx = append(idx, i)
	}
	for _, i := range idx {
		set(i, true)
	}
	return fmt.Sprintf("added %s=%s", attr, val), true
}
