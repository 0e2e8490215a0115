package nim

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Pre-flight checks of updates and copies: what only NIM and xCAT can
// tell, asked right before the run. Facts from aixinstall.pm at
// 2.9.2_aix_release ([aix] L...) and xcatchroot ([xc] xCAT-client/bin/
// xcatchroot).

// UpdateCheck is what CheckUpdate found.
type UpdateCheck struct {
	Definition Osimage // the osimage definition (lsdef)
	Spot       Object  // the SPOT named like the osimage (lsnim -l), when NIM has it
	Use        ImageUse
	// Software is what the update installs: the plan's installp_bundle,
	// otherpkgs and synclists, or the definition's (UpdateSource).
	Software map[string]string
	Problems []Problem // reasons not to run, each with the way forward
	Warnings []string  // to read before running (the man page's RPM warning)
}

// SoftwarePlan is p with the software the update installs as its Extra,
// for checks of the files it names (Plan.CheckHost): the definition's
// synclists file too when the update takes its software from there.
func (uc UpdateCheck) SoftwarePlan(p Plan) Plan {
	q := p
	q.Extra = map[string]string{}
	for k, v := range p.Extra {
		q.Extra[k] = v
	}
	for k, v := range uc.Software {
		q.Extra[k] = v
	}
	q.UpdateFrom = FromPlan
	return q
}

// CopyName suggests the name of a copy of image for the safe update path:
// image_u1 (or _u2 ... when taken by names), cut so that the copy's
// shared_root name fits NIM's limit.
func CopyName(image string, taken ...string) string {
	for i := 1; i < 100; i++ {
		suf := "_u" + strconv.Itoa(i)
		base := image
		if room := MaxNameLen - len(sufSharedRoot) - len(suf); len(base) > room {
			base = base[:max(room, 1)]
		}
		if n := base + suf; !nameIn(taken, n) {
			return n
		}
	}
	return image + "_new"
}

// SafePathOf is the copy -> update -> move path for an image of type t that
// nodes use, as commands with the nodes' real names where they are known
// (use), else "noderange": the xCAT procedure "Node OS update and backout"
// (copy, update the copy, mkdsklsnode -n, reboot, rmdsklsnode the old
// clients). The copy keeps t: mknimimage writes -t into the copy's
// definition as its nimtype ([aix] L3561-3643), so "-t diskless" would make
// a dataless image's copy diskless (and CheckCopy refuses it). The last
// steps are MoveNodes'.
func SafePathOf(image string, t NimType, copyName string, use ImageUse) []string {
	if t == "" {
		t = Diskless
	}
	cp := Plan{Kind: KindCopy, Name: copyName, From: image, Type: t}
	hint := fmt.Sprintf("kind = \"copy\", from = %q, name = %q", image, copyName)
	if t != Diskless {
		hint += fmt.Sprintf(", type = %q", string(t))
	}
	return append([]string{
		fmt.Sprintf("%s   (nimwiz: %s)", cp.CommandLine(), hint),
		fmt.Sprintf("mknimimage -V -u %s installp_bundle=... otherpkgs=...   (nimwiz: kind = \"update\", name = %q)", copyName, copyName),
	}, MoveNodes(image, copyName, use)...)
}

// MoveNodes moves the nodes that use old onto new without downtime: new
// NIM clients for new beside the running ones (mkdsklsnode -n names them
// <node>_<new>, aixinstall.pm 2.9.2 L11255-11271), a reboot, then the old
// clients removed. rmdsklsnode finds a client by <node>_<old> with -i old
// and by <node> without (L13863-13870), so the old clients made without
// -n, whose names are the nodes', are removed without -i. Nodes are the
// real names where xCAT or NIM know them (use), else "noderange".
func MoveNodes(old, new string, use ImageUse) []string {
	nodes := "noderange"
	if all := use.AllNodes(); len(all) > 0 {
		nodes = strings.Join(all, ",")
	}
	steps := []string{
		fmt.Sprintf("mkdsklsnode -n -i %s %s", new, nodes),
		fmt.Sprintf("rpower %s reset", nodes),
	}
	var plain, suffixed []string
	for _, cl := range use.Clients {
		if cl.Suffixed(old) {
			suffixed = append(suffixed, cl.Node(old))
		} else {
			plain = append(plain, cl.Node(old))
		}
	}
	if len(plain) == 0 {
		return append(steps, fmt.Sprintf("rmdsklsnode -r -i %s %s", old, nodes))
	}
	// Nodes known only to xCAT have no client to remove.
	if len(suffixed) > 0 {
		steps = append(steps, fmt.Sprintf("rmdsklsnode -r -i %s %s", old, strings.Join(suffixed, ",")))
	}
	return append(steps, fmt.Sprintf("rmdsklsnode -r %s   (their NIM clients are named like the nodes: made without -n)", strings.Join(plain, ",")))
}

// CheckUpdate asks xCAT and NIM whether the update p may run: the osimage
// must be a diskless or dataless definition whose SPOT is named like it
// (-u checks the SPOT named like the osimage, [aix] L1413, but xcatchroot
// installs into the definition's spot, [xc] L147-162), the SPOT must exist
// and be ready for use, not be allocated ([aix] L1460-1468) and no xCAT
// node may boot from the image; the software must name ready installp_bundle
// resources and there must be some; the definition's lpp_source, which
// xcatchroot mounts for installp ([xc] L147-162, L240-242), must be ready.
// The queries: lsdef of the osimage, then together one lsnim -l (SPOT,
// lpp_source, bundles), the node query and the client query. The error is
// for a query that failed.
func (c *Client) CheckUpdate(ctx context.Context, p Plan) (UpdateCheck, error) {
	var uc UpdateCheck
	add := func(field, format string, args ...any) {
		uc.Problems = append(uc.Problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if err := checkName(p.Name); err != nil {
		return uc, fmt.Errorf("check the update: %w: validate the plan first", err)
	}
	def, err := c.Osimage(ctx, p.Name)
	if errors.Is(err, ErrNoSuchOsimage) {
		add("name", "xCAT has no osimage %s (lsdef -t osimage -o %s): give the name of an existing osimage (nimwiz list)", p.Name, p.Name)
		return uc, nil
	}
	if err != nil {
		return uc, fmt.Errorf("check the osimage %s: %w", p.Name, err)
	}
	uc.Definition = def
	switch t := def.NimType(); {
	case !def.IsNIM():
		add("name", "%s is not an AIX (NIM) osimage: mknimimage -u updates only those", p.Name)
		return uc, nil
	case t != Diskless && t != Dataless:
		add("name", "%s is a %s image: nimwiz updates diskless and dataless images only", p.Name, orUnknown(string(t)))
		return uc, nil
	}
	if s := strings.TrimSpace(def.Spot()); s != p.Name {
		add("name", "the definition of %s names the SPOT %q, but mknimimage -u checks the SPOT named %s (aixinstall.pm L1413) while xcatchroot installs into the definition's: nimwiz does not run an update whose checks and work could fall on different SPOTs; point the definition at its own SPOT (chdef -t osimage -o %s spot=%s) or copy the image", p.Name, s, p.Name, p.Name, p.Name)
	}

	uc.Software = map[string]string{}
	from := p.UpdateSource()
	for _, a := range updateSoftware {
		v := p.Extra[a]
		if from == FromDefinition {
			v = strings.TrimSpace(def.Get(a))
		}
		if v != "" {
			uc.Software[a] = v
		}
	}
	if len(uc.Software) == 0 {
		add("update_from", "the definition of %s names no installp_bundle, otherpkgs or synclists, so mknimimage -u would install nothing: record the software in the definition first (chdef -t osimage -o %s installp_bundle=... otherpkgs=...), or name it in the plan (update_from = \"plan\")", p.Name, p.Name)
	}
	if HasRPM(uc.Software["otherpkgs"]) {
		uc.Warnings = append(uc.Warnings, RPMWarning)
	}

	// One lsnim -l: the SPOT, the definition's lpp_source, the bundles.
	names := []string{p.Name}
	lpp := strings.TrimSpace(def.LppSource())
	if lpp != "" && ValidName(lpp) == nil {
		names = appendUnique(names, lpp)
	}
	var bundles []string
	if v := uc.Software["installp_bundle"]; v != "" {
		for _, b := range strings.Split(v, ",") {
			if ValidName(b) != nil {
				add(AttrField("installp_bundle"), "%q is not a NIM name: fix the installp_bundle list", b)
				continue
			}
			bundles = append(bundles, b)
			names = appendUnique(names, b)
		}
	}
	var (
		wg      sync.WaitGroup
		found   []Object
		missing []string
		objErr  error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		found, missing, objErr = c.Objects(ctx, names...)
	}()
	go func() {
		defer wg.Done()
		// Its own resources (the SPOT named like it, whatever the
		// definition says, and its root or shared_root).
		own := Osimage{Name: p.Name, Attrs: map[string]string{"spot": p.Name, "root": def.Get("root"), "shared_root": def.Get("shared_root")}}
		uc.Use = c.WhoUses(ctx, own)
	}()
	wg.Wait()
	if objErr != nil && !errors.Is(objErr, ErrUnanswered) {
		return uc, fmt.Errorf("check the SPOT %s in NIM: %w", p.Name, objErr)
	}
	if err := uc.Use.Err(); err != nil {
		return uc, fmt.Errorf("check which nodes use %s: %w", p.Name, err)
	}
	byName := map[string]Object{}
	for _, o := range found {
		byName[o.Name] = o
	}
	spot, ok := byName[p.Name]
	switch {
	case !ok || nameIn(missing, p.Name):
		// [aix] L1446-1452: "The NIM resource named ... is not defined
		// and therefore cannot be updated."
		add("name", "NIM has no SPOT named %s (lsnim -l %s), and mknimimage -u updates the SPOT named like the osimage: re-create the image (nimwiz create --from %s)", p.Name, p.Name, p.Name)
	case spot.Get("type") != "spot":
		add("name", "the NIM object %s is a %s, not a SPOT: mknimimage -u would fail", p.Name, orUnknown(spot.Get("type")))
	default:
		uc.Spot = spot
		if !spot.Ready() {
			add("name", "the SPOT %s is %q, not %q: xcatchroot would install into a SPOT NIM does not trust (a cut-off update or build leaves one like this); check it with 'nim -Fo check %s', and if it stays so, re-create the image", p.Name, orUnknown(spot.Get("Rstate")), RstateReady, p.Name)
		}
	}
	alloc := strings.TrimSpace(uc.Spot.Get("alloc_count"))
	if uc.Use.InUse() || (alloc != "" && alloc != "0") {
		why := uc.Use.Describe()
		if why == "" {
			why = fmt.Sprintf("NIM counts %s allocations of it (alloc_count)", alloc)
		}
		var steps strings.Builder
		for i, st := range SafePathOf(p.Name, def.NimType(), CopyName(p.Name), uc.Use) {
			fmt.Fprintf(&steps, "\n  %d. %s", i+1, st)
		}
		add("name", "the SPOT %s is in use: %s. A SPOT cannot be changed under the nodes that boot from it (mknimimage refuses an allocated SPOT: \"is currently allocated. It cannot be updated\"). Take the safe path instead:%s",
			p.Name, why, steps.String())
	}
	switch {
	case lpp == "":
		add("name", "the definition of %s names no lpp_source, and xcatchroot mounts it to install from: set one (chdef -t osimage -o %s lpp_source=...)", p.Name, p.Name)
	case ValidName(lpp) != nil:
	case nameIn(missing, lpp) || !objectNamed(found, lpp):
		add("name", "the definition of %s names the lpp_source %s, which NIM does not have: installp would find nothing to install", p.Name, lpp)
	case !byName[lpp].Ready():
		add("name", "the lpp_source %s of %s is %q: installp reads the software from it; check it with 'nim -Fo check %s'", lpp, p.Name, orUnknown(byName[lpp].Get("Rstate")), lpp)
	}
	field := AttrField("installp_bundle")
	if from == FromDefinition {
		field = "update_from"
	}
	for _, b := range bundles {
		o, ok := byName[b]
		switch {
		case !ok || nameIn(missing, b):
			// update_spot_sw L14436-14460 stops at the first unknown bundle.
			add(field, "NIM has no installp_bundle %s (lsnim -t installp_bundle lists them): mknimimage -u would stop at \"The installp_bundle resource '%s' is not defined to NIM.\"", b, b)
		case o.Get("type") != "installp_bundle":
			add(field, "%s is a NIM %s, not an installp_bundle", b, orUnknown(o.Get("type")))
		case !o.Ready():
			add(field, "the installp_bundle %s is %q, not %q", b, orUnknown(o.Get("Rstate")), RstateReady)
		}
	}
	return uc, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// CopyCheck is what CheckCopy found.
type CopyCheck struct {
	Old      Osimage // the osimage copied
	OldSpot  Object  // its SPOT, when NIM has it
	OldLpp   Object  // its lpp_source, when NIM has it
	Names    NameCheck
	Problems []Problem
}

// Resources is what the copy creates and shares, now that the old image is
// known.
func (cc CopyCheck) Resources(p Plan) []PlannedResource {
	old := cc.Old
	if old.Attrs == nil {
		return p.Resources()
	}
	return p.ResourcesFrom(&old)
}

// CheckCopy asks xCAT and NIM whether the copy p may run: the old image
// must be an AIX osimage of p's type with a SPOT and an lpp_source that
// are ready ([aix] L3115, L4202: without them -i fails), and every name the
// copy creates is checked like any other run's (CheckNames). The queries:
// lsdef of the old image, then CheckNames and one lsnim -l of its SPOT and
// lpp_source. The error is for a query that failed.
func (c *Client) CheckCopy(ctx context.Context, p Plan) (CopyCheck, error) {
	p = p.WithDefaults()
	var cc CopyCheck
	add := func(field, format string, args ...any) {
		cc.Problems = append(cc.Problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if err := checkName(p.From); err != nil {
		return cc, fmt.Errorf("check the copy: %w: validate the plan first", err)
	}
	old, err := c.Osimage(ctx, p.From)
	if errors.Is(err, ErrNoSuchOsimage) {
		// mknimimage would say "The OLD image definition did not contain a
		// value for lpp_source." ([aix] L3115; notes §2.5).
		add("from", "xCAT has no osimage %s (lsdef -t osimage -o %s): give an existing one (nimwiz list)", p.From, p.From)
		return cc, nil
	}
	if err != nil {
		return cc, fmt.Errorf("check the osimage %s: %w", p.From, err)
	}
	cc.Old = old
	switch {
	case !old.IsNIM():
		add("from", "%s is not an AIX (NIM) osimage", p.From)
	case old.NimType() != p.Type:
		add("type", "%s is a %s image, and the copy's type is written into its definition: write type = %q", p.From, orUnknown(string(old.NimType())), string(old.NimType()))
	}
	spot, lpp := strings.TrimSpace(old.Spot()), strings.TrimSpace(old.LppSource())
	if spot == "" {
		add("from", "the definition of %s names no SPOT: mknimimage -i would stop at \"The %s image definition did not contain a value for a SPOT resource.\"", p.From, p.From)
	}
	if lpp == "" && !p.CopyLppSource {
		add("from", "the definition of %s names no lpp_source: mknimimage -i would stop at \"The %s image definition did not contain a value for lpp_source.\"", p.From, p.From)
	}
	var names []string
	for _, n := range []string{spot, lpp} {
		if n != "" && ValidName(n) == nil {
			names = appendUnique(names, n)
		}
	}
	var (
		wg            sync.WaitGroup
		found         []Object
		missing       []string
		objErr, ncErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		found, missing, objErr = c.Objects(ctx, names...)
	}()
	go func() {
		defer wg.Done()
		cc.Names, ncErr = checkNamesOf(ctx, c, p, p.ResourcesFrom(&old))
	}()
	wg.Wait()
	if ncErr != nil {
		return cc, ncErr
	}
	if objErr != nil && !errors.Is(objErr, ErrUnanswered) {
		return cc, fmt.Errorf("check the resources of %s in NIM: %w", p.From, objErr)
	}
	cc.Problems = append(cc.Problems, cc.Names.Problems...)
	for _, o := range found {
		switch o.Name {
		case spot:
			cc.OldSpot = o
		case lpp:
			cc.OldLpp = o
		}
	}
	if spot != "" && ValidName(spot) == nil {
		switch {
		case nameIn(missing, spot) || cc.OldSpot.Name == "":
			add("from", "the SPOT %s of %s is not in NIM: there is nothing to copy", spot, p.From)
		case !cc.OldSpot.Ready():
			// cpcosi copies whatever is there.
			add("from", "the SPOT %s of %s is %q: cpcosi would copy it as it is; check it with 'nim -Fo check %s' first", spot, p.From, orUnknown(cc.OldSpot.Get("Rstate")), spot)
		}
	}
	if lpp != "" && ValidName(lpp) == nil {
		switch {
		case nameIn(missing, lpp) || cc.OldLpp.Name == "":
			add("from", "the lpp_source %s of %s is not in NIM: the copy would name an lpp_source that does not exist", lpp, p.From)
		case !cc.OldLpp.Ready():
			add("from", "the lpp_source %s of %s is %q: check it with 'nim -Fo check %s' first", lpp, p.From, orUnknown(cc.OldLpp.Get("Rstate")), lpp)
		}
	}
	return cc, nil
}

// Space is what a copy needs on disk, measured on the master (root prefixes
// host paths as in CheckHost): the old SPOT's size and the free space
// where cpcosi puts the new one; with -p the old lpp_source's size and the
// free space for its copy. Need* are -1 when unknown.
type Space struct {
	SpotDir, LppDir    string // where the copies go
	NeedSpot, NeedLpp  int64  // bytes of the old SPOT's and lpp_source's files
	FreeSpot, FreeLpp  int64  // bytes free there (-1: unknown)
	SpotErr, LppErr    error
	FreeErr, FreeLppEr error
}

// xCAT's own checks before a copy ([aix] chkFSspace, L4222-4230 and
// L3870-3885): it grows the file system with chfs when it has less free.
const (
	XcatSpotMB = 800
	XcatLppMB  = 1500
)

// CopySpace measures what the copy p of cc.Old needs and has on the master.
// freeSpace returns the free bytes of the file system holding a host path
// (statfs); nil leaves them unknown.
func (cc CopyCheck) CopySpace(p Plan, root string, freeSpace func(string) (uint64, error)) Space {
	p = p.WithDefaults()
	sp := Space{SpotDir: p.Location + "/spot", LppDir: p.Location + "/lpp_source", NeedSpot: -1, NeedLpp: -1, FreeSpot: -1, FreeLpp: -1}
	host := func(s string) string {
		if root == "" {
			return s
		}
		return filepath.Join(root, filepath.FromSlash(s))
	}
	if loc := cc.OldSpot.Get("location"); loc != "" {
		// A SPOT's location is <parent>/<name>/usr; cpcosi copies <name>.
		dir := strings.TrimSuffix(loc, "/usr")
		sp.NeedSpot, sp.SpotErr = DirSize(host(dir))
	} else {
		sp.SpotErr = errors.New("NIM gave no location for the SPOT")
	}
	free := func(dir string) (int64, error) {
		if freeSpace == nil {
			return -1, errors.New("free space cannot be checked here")
		}
		// The nearest existing directory: the copy's may not exist yet.
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(host(d)); err == nil {
				n, err := freeSpace(host(d))
				return int64(n), err
			}
			if d == "/" || d == "." {
				return -1, fmt.Errorf("no directory of %s exists", dir)
			}
		}
	}
	sp.FreeSpot, sp.FreeErr = free(sp.SpotDir)
	if p.CopyLppSource {
		if loc := cc.OldLpp.Get("location"); loc != "" {
			sp.NeedLpp, sp.LppErr = DirSize(host(loc))
		} else {
			sp.LppErr = errors.New("NIM gave no location for the lpp_source")
		}
		sp.FreeLpp, sp.FreeLppEr = free(sp.LppDir)
	}
	return sp
}

// Lines says the space in a few lines for the admin.
func (sp Space) Lines(p Plan) []string {
	mb := func(n int64) string {
		if n < 0 {
			return "unknown"
		}
		return strconv.FormatInt((n+(1<<20)-1)>>20, 10) + " MB"
	}
	var out []string
	line := func(what, dir string, need, free int64, needErr, freeErr error, xcat int) {
		s := fmt.Sprintf("%s: %s to copy into %s, which has %s free", what, mb(need), dir, mb(free))
		switch {
		case needErr != nil:
			s += " (size: " + needErr.Error() + ")"
		case freeErr != nil:
			s += " (free: " + freeErr.Error() + ")"
		case need >= 0 && free >= 0 && need > free:
			s += fmt.Sprintf(": NOT ENOUGH; xCAT checks only for %d MB and grows the file system (chfs) when short, which fails on a full volume group", xcat)
		default:
			s += fmt.Sprintf(" (xCAT checks for %d MB and grows the file system with chfs when short)", xcat)
		}
		out = append(out, s)
	}
	line("SPOT", sp.SpotDir, sp.NeedSpot, sp.FreeSpot, sp.SpotErr, sp.FreeErr, XcatSpotMB)
	if p.CopyLppSource {
		line("lpp_source", sp.LppDir, sp.NeedLpp, sp.FreeLpp, sp.LppErr, sp.FreeLppEr, XcatLppMB)
	}
	return out
}

// Short reports whether a copy would not fit where it goes.
func (sp Space) Short() bool {
	return sp.NeedSpot > 0 && sp.FreeSpot >= 0 && sp.NeedSpot > sp.FreeSpot ||
		sp.NeedLpp > 0 && sp.FreeLpp >= 0 && sp.NeedLpp > sp.FreeLpp
}

// DirSize is the total size of the regular files under dir, links not
// followed (du without block rounding).
func DirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	if err != nil {
		return -1, unwrapPath(err)
	}
	return n, nil
}
