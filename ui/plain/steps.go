package plain

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/wizard"
)

// The texts are the wizard's (package wizard), as the full-screen steps
// say them; the lines that name keys say the typed answers instead.

// problemOf is the first Validate problem of p in field, or "".
func problemOf(p nim.Plan, field string) string { return wizard.FieldProblem(p.Validate(), field) }

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
		p.para("", wizard.NameQuestion+" "+wizard.NameExplain)
		p.para("", wizard.NameLimit(q, "NAME"+wizard.LongestSuffix(q)))
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
		p.para("", wizard.SuggestionText(def, "press Enter"))
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
		p.say("ok", wizard.NameFree(v))
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
	if err != nil {
		return "", err
	}
	return wizard.TakenProblem(v, t), nil
}

// suggestName finds a free name as the full-screen name step does
// (wizard.SuggestName). "" when none is free or the admin went on without
// one.
func (s *session) suggestName() (string, error) {
	var found string
	err := s.query("find a free name", "lsdef -t osimage; lsnim NAME", true, true, func(ctx context.Context) error {
		var err error
		found, err = wizard.SuggestName(ctx, s.cfg.NIM, s.plan, s.from)
		if found != "" {
			s.nameFree = found
		}
		return err
	})
	if err == errSkip {
		return "", nil
	}
	return found, err
}

// ---- Step 2: source ----

func (s *session) askSource() error {
	p := s.p
	explain := func() {
		p.para("", wizard.SourceQuestion+" mknimimage builds the SPOT from an lpp_source: "+
			"it copies product media or a directory of installp images into a new one, or reuses one NIM already has.")
		for i, k := range wizard.SourceKinds {
			p.printf("  %d) %-20s %s\n", i+1, k.Title, k.What)
		}
	}
	for {
		explain()
		k, err := p.choose(question{label: "Kind of source", explain: explain}, len(wizard.SourceKinds), wizard.KindOf(s.plan))
		if err != nil {
			return err
		}
		switch k {
		case wizard.KindMedia:
			err = s.askDevice()
		case wizard.KindDirectory:
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

func (s *session) askDevice() error {
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
			s.p.para("", wizard.NoDrives)
			return errBack
		}
		k := pick{
			label: "Drive", noun: "drives", ok: "the source is %s.",
			intro:  "Which drive holds the AIX product media? mknimimage copies it into a new lpp_source (NAME_lpp_source). Only an Available drive can be read.",
			need:   "no drive is Available: configure one and type r, or b for another kind of source",
			refuse: func(i int) string { return wizard.DeviceRefusal(devs[i], "type r") },
		}
		levels := make([]wizard.Level, len(devs))
		for i, d := range devs {
			note := ""
			if !wizard.DeviceUsable(d) {
				note = fmt.Sprintf("%s is %s, not Available", d.Name, d.Status)
			} else {
				levels[i] = wizard.MediaLevel(s.cfg.Root, "/dev/"+d.Name)
			}
			k.add(wizard.DeviceLevelRow(d, levels[i]), note, "/dev/"+d.Name)
		}
		if again, err := s.pickSource(k); !again {
			if err != nil {
				return err
			}
			for i, d := range devs {
				if s.plan.Source == "/dev/"+d.Name {
					s.p.say("note", wizard.LevelFound(levels[i]))
					return s.offerReuse(s.plan.Source, levels[i])
				}
			}
			return nil
		}
	}
}

// pick is a list the source step chooses one row of: the drives, the
// lpp_sources.
type pick struct {
	label, noun string
	intro, need string             // the question's paragraph; what to type when no row is usable
	ok          string             // the confirmation, formatted with the source
	refuse      func(i int) string // why unusable row i cannot be chosen
	rows        []string           // as listed
	notes       []string           // why a row is not usable, "" when it is
	sources     []string           // the plan's Source for each row
}

func (k *pick) add(row, note, source string) {
	k.rows, k.notes, k.sources = append(k.rows, row), append(k.notes, note), append(k.sources, source)
}

// pickSource lists k's rows and asks for a usable one, which becomes the
// plan's source; the plan's own source is the default if usable, else the
// first usable row. again says the admin typed r to look again.
func (s *session) pickSource(k pick) (again bool, err error) {
	p := s.p
	explain := func() {
		p.para("", k.intro)
		for i, r := range k.rows {
			p.printf("  %d) %s\n", i+1, r)
			if k.notes[i] != "" {
				p.printf("     not usable: %s\n", k.notes[i])
			}
		}
	}
	explain()
	def := -1
	for i, src := range k.sources {
		if k.notes[i] == "" && (def < 0 || s.plan.Source == src) {
			def = i
		}
	}
	q := question{label: k.label, explain: explain, need: k.need}
	if def >= 0 {
		q.def = strconv.Itoa(def + 1)
	}
	for {
		ans, err := p.ask(q)
		if err != nil {
			return false, err
		}
		if ans == "r" || ans == "R" {
			return true, nil
		}
		i, ok := number(ans, len(k.rows))
		switch {
		case !ok:
			p.say("error", fmt.Sprintf("%q is not one of the %s: type a number from 1 to %d, r to look again, or b for another kind of source.", ans, k.noun, len(k.rows)))
		case k.notes[i] != "":
			p.say("error", k.refuse(i))
		default:
			s.plan.Source = k.sources[i]
			p.say("ok", fmt.Sprintf(k.ok, s.plan.Source))
			return false, nil
		}
	}
}

// pickSubdir is how a subdirectory is picked here (wizard.DirRefusal).
const pickSubdir = "Type the one that holds the images."

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
		for _, d := range wizard.DefaultImageDirs {
			if r := wizard.InspectDir(s.cfg.Root, path.Clean(d)); r.Usable() {
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
		dir := path.Clean(ans)
		r := wizard.DirReport{Dir: ans}
		if path.IsAbs(ans) {
			r = wizard.InspectDir(s.cfg.Root, dir)
			r.Dir = dir
		}
		if msg := wizard.DirRefusal(r, pickSubdir); msg != "" {
			p.say("error", msg)
			continue
		}
		if found := wizard.LayoutFinding(r); found != "" {
			p.say("ok", found)
		} else if r.Layout == wizard.LayoutNoTOC {
			p.say("ok", wizard.NoTOC(r))
		}
		p.say("note", wizard.LevelFound(r.Level))
		s.plan.Source = dir
		return s.offerReuse(dir, r.Level)
	}
}

func (s *session) askLppSource() error {
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
			s.p.para("", wizard.NoLppSources)
			return errBack
		}
		k := pick{
			label: "lpp_source", noun: "lpp_sources", ok: "the source is the existing lpp_source %s.",
			intro:  "Which lpp_source should the SPOT be built from? It is reused as it is: nothing is copied. Only one that is \"ready for use\" and has simages (the support images a SPOT is built from) can be used.",
			need:   "no lpp_source is ready for use: type b for another kind of source",
			refuse: func(i int) string { return wizard.LppProblem(lpps[i]) },
		}
		nameW := wizard.LppNameWidth(lpps)
		levels := wizard.LppLevels(s.cfg.Root, lpps)
		for i, o := range lpps {
			k.add(wizard.LppRow(o, nameW, levels[i]), wizard.LppNote(o), o.Name)
		}
		if again, err := s.pickSource(k); !again {
			return err
		}
	}
}

// offerReuse offers, after media or directory src was chosen, a usable
// lpp_source NIM has at the same level lvl (it skips the copy), as the
// full-screen step does. A failed listing offers nothing.
func (s *session) offerReuse(src string, lvl wizard.Level) error {
	if !lvl.Known() {
		return nil
	}
	var lpps []nim.Object
	err := s.query("list the lpp_sources", "lsnim -l -t lpp_source", false, true, func(ctx context.Context) error {
		var err error
		lpps, err = s.cfg.NIM.ObjectsOfType(ctx, "lpp_source")
		return err
	})
	if err != nil {
		return nil //nolint:nilerr // nothing to offer; the copy goes on
	}
	i := wizard.SameLevelLpp(lpps, wizard.LppLevels(s.cfg.Root, lpps), lvl)
	if i < 0 {
		return nil
	}
	yes, err := s.p.yesNo(wizard.ReuseQuestion(lpps[i], lvl, src), false, nil)
	switch {
	case err == errBack:
		return nil
	case err != nil:
		return err
	case yes:
		s.plan.Source = lpps[i].Name
		s.p.say("ok", fmt.Sprintf("the source is the existing lpp_source %s.", lpps[i].Name))
	}
	return nil
}

// ---- Step 3: node type ----

func (s *session) askNodeType() error {
	p := s.p
	explain := func() {
		p.para("", wizard.NodeTypeQuestion)
		for i, t := range wizard.NodeTypes {
			p.printf("  %d) %s (%s)\n", i+1, t.Title, t.Flags)
			p.para("     ", t.What)
		}
	}
	explain()
	i, err := p.choose(question{label: "Node type", explain: explain}, len(wizard.NodeTypes), wizard.NodeTypeOf(s.plan))
	if err != nil {
		return err
	}
	s.plan = wizard.WithNodeType(s.plan, i)
	p.say("ok", wizard.NodeTypes[i].Title+".")
	return nil
}

// ---- Step 4: location ----

func (s *session) askLocation() error {
	p := s.p
	explain := func() {
		p.para("", wizard.LocationQuestion+" "+wizard.LocationExplain)
		p.para("", fmt.Sprintf("This plan needs about %s (%s).", wizard.FormatSize(wizard.Need(s.plan)), wizard.NeedParts(s.plan)))
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
			p.say("error", wizard.NotAbsolute+" (Enter takes "+def+")")
			continue
		}
		q := s.plan
		q.Location = path.Clean(ans)
		if msg := problemOf(q, "location"); msg != "" {
			p.say("error", msg)
			continue
		}
		s.plan.Location = q.Location
		if _, dir, err := s.free(); err == nil {
			if msg := wizard.WillCreate(q.Location, dir); msg != "" {
				p.say("note", msg)
			}
		}
		if w := s.spaceWarning(); w != "" {
			p.say("warning", w)
		} else if free, dir, err := s.free(); err == nil {
			p.say("ok", wizard.FreeText(free, dir))
		}
		return nil
	}
}

// free measures the space on the filesystem that will hold the location.
func (s *session) free() (uint64, string, error) {
	h := wizard.Host{Root: s.cfg.Root, FreeSpace: s.cfg.FreeSpace}
	return h.MeasureFree(s.plan.WithDefaults().Location)
}

// spaceWarning says when the location is short of space or could not be
// measured: a warning, never a refusal (mknimimage grows filesystems itself
// when it can).
func (s *session) spaceWarning() string {
	free, dir, err := s.free()
	need := wizard.Need(s.plan)
	switch {
	case err != nil:
		return wizard.FreeUnknown(s.plan.WithDefaults().Location, err, need)
	case free < need:
		return wizard.ShortText(free, dir, need)
	}
	return ""
}

// ---- Step 5: dump ----

func (s *session) askDump() error {
	p := s.p
	explain := func() {
		p.para("", wizard.DumpQuestion+" "+wizard.DumpExplain(s.plan)+" It needs xCAT 2.5 or later.")
		for i, c := range wizard.DumpChoices {
			p.printf("  %d) %s\n", i+1, c)
		}
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
		p.para("", wizard.DumpSupported(s.version.String()))
	case s.versionRead:
		p.say("warning", wizard.DumpUnsupported(s.version.String()))
	default:
		p.say("warning", "the xCAT version is not known; dump resources need xCAT 2.5 or later.")
	}
	def := 0
	if s.plan.Dump && (!s.versionRead || s.version.AtLeast(2, 5)) {
		def = 1 // a default is never refused
	}
	for {
		i, err := p.choose(question{label: "Dump resource", explain: explain}, len(wizard.DumpChoices), def)
		if err != nil {
			return err
		}
		if i == 1 && s.versionRead && !s.version.AtLeast(2, 5) {
			p.say("error", wizard.DumpRefusal(s.version.String(), "1 (no)"))
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
	items := wizard.ExtraItems(all)

	// Prefill from the plan; attrs this step does not list (options, a root
	// or dump named by a saved plan) are kept as they are.
	checked := make([]bool, len(items))
	idx, kept, dropped := wizard.ExtraPrefill(s.plan.Extra, items)
	for _, i := range idx {
		checked[i] = true
	}
	if !s.extrasSeen {
		s.dropped = append(s.dropped, dropped...)
	}
	s.extrasSeen = true

	nameW := 10
	for _, l := range items {
		nameW = max(nameW, len(l.Name))
	}
	list := func() {
		if len(items) == 0 {
			p.para("", wizard.NoExtras("Enter"))
		}
		for i, l := range items {
			mark := "[ ]"
			if checked[i] {
				mark = "[x]"
			}
			p.printf("  %d) %s %-16s %-*s  %s\n", i+1, mark, l.Type, nameW, l.Name, wizard.ExtraWhat(l.Type))
		}
		p.para("", wizard.OptionsLine("type"))
		if len(kept) > 0 {
			p.para("", wizard.KeptExtras(kept, "type attr="))
		}
	}
	explain := func() {
		p.para("", wizard.ExtrasQuestion+" "+wizard.ExtrasExplain+" "+
			"Type numbers to select or unselect them (e.g. 1 3), or attr=value to add one by name (e.g. resolv_conf=cluster_resolv, otherpkgs=I:openssh.base). "+
			"Press Enter when done; choosing none is fine.")
		list()
	}
	for _, d := range s.dropped {
		p.say("warning", wizard.DroppedExtra(d))
	}
	explain()
	selected := func() string {
		var out []string
		for i, l := range items {
			if checked[i] {
				out = append(out, l.Type+"="+l.Name)
			}
		}
		if len(kept) > 0 {
			out = append(out, wizard.JoinPairs(kept))
		}
		if len(out) == 0 {
			return "none"
		}
		return strings.Join(out, ", ")
	}
	// set checks or unchecks row i; a single-valued type keeps one.
	set := func(i int, on bool) {
		if on && !wizard.IsList(items[i].Type) {
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
		if help, ok := wizard.AttrHelp(ans); ok {
			p.say("note", help)
			continue
		}
		if strings.Contains(ans, "=") {
			msg, ok, _ := wizard.ExtraTyped(ans, s.plan, s.cfg.Root, items, kept, set)
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
			if j, dup := seen[items[i].Type]; dup && !wizard.IsList(items[i].Type) && !checked[i] && !checked[j] {
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
	s.plan.Extra = wizard.ExtraAttrs(items, func(i int) bool { return checked[i] }, kept)
	p.say("ok", "extra resources: "+selected()+".")
	return nil
}
