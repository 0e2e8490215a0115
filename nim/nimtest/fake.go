// Package nimtest is an in-memory NIM master for the screens' tests: it
// answers the wizard's and the browser's queries from fields the test
// sets, runs the browser's rmnimimage and chdef on them, records the calls,
// and can be told to fail a query. What rmnimimage prints is taken from the
// repository's testdata/rmnimimage fixtures (the same text the nim parsers
// are tested on), not written again here.
package nimtest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nimwiz/nimwiz/nim"
)

// Fake answers the wizard's queries (wizard.NIM), the browser's
// (browse.NIM) and runs its commands (browse.Runner).
type Fake struct {
	mu      sync.Mutex
	Images  map[string]nim.Osimage
	ByType  map[string][]nim.Object // lsnim -l -t TYPE, by type
	Listing []nim.Listing           // lsnim -c resources
	Devices []nim.CDDevice
	Others  map[string]string // other NIM object names (machines, networks) -> type
	Version nim.Version
	Err     map[string]error // method name -> error to return
	calls   []string
	// Delay, when set, is how long every query takes (a slow master, for
	// tests of what the screens do meanwhile).
	Delay time.Duration

	// For the browser (additive; World leaves them empty):
	// Details are lsnim -l answers by name; Objects looks here first, then
	// in ByType, then makes a ready object from Listing.
	Details map[string]nim.Object
	// Filesets are nim -o showres answers by resource name.
	Filesets map[string][]nim.Fileset
	// Canned, by command name ("rmnimimage", "chdef"), replaces Run's
	// simulation with this output (Stdout) and exit code.
	Canned map[string]nim.Result
	// Uses are who uses each osimage (WhoUses), by osimage name.
	Uses map[string]nim.ImageUse
	// Checks are CheckImage's answers by osimage; without one CheckImage
	// says every resource is ready.
	Checks map[string]nim.ImageCheck
	failN  map[string]failTimes
}

type failTimes struct {
	n   int
	err error
}

// World returns a fake master with a little of everything: two drives (one
// Defined), two lpp_sources (one not ready), extra resources, one osimage.
func World() *Fake {
	lpp := func(name, rstate, loc, simages string) nim.Object {
		return nim.Object{Name: name, Attrs: []nim.Attr{
			{Key: "class", Value: "resources"}, {Key: "type", Value: "lpp_source"},
			{Key: "Rstate", Value: rstate}, {Key: "location", Value: loc}, {Key: "simages", Value: simages},
		}}
	}
	f := &Fake{
		Images: map[string]nim.Osimage{
			"72cosi": {Name: "72cosi", Attrs: map[string]string{
				"imagetype": "NIM", "osname": "AIX", "nimtype": "diskless",
				"lpp_source": "7200-05-lpp_source", "spot": "72cosi", "shared_root": "72cosi_shared_root",
				"dump": "72cosi_dump", "resolv_conf": "cluster_resolv", "installp_bundle": "hpc_bundle,gone_bundle",
			}},
		},
		ByType: map[string][]nim.Object{
			"lpp_source": {
				lpp("7200-05-lpp_source", nim.RstateReady, "/install/nim/lpp_source/7200-05-lpp_source", "yes"),
				lpp("broken_lpp", "unavailable for use", "/export/broken", "no"),
			},
		},
		Listing: []nim.Listing{
			{Name: "7200-05-lpp_source", Class: "resources", Type: "lpp_source"},
			{Name: "broken_lpp", Class: "resources", Type: "lpp_source"},
			{Name: "72cosi", Class: "resources", Type: "spot"},
			{Name: "72cosi_shared_root", Class: "resources", Type: "shared_root"},
			{Name: "72cosi_dump", Class: "resources", Type: "dump"},
			{Name: "cluster_resolv", Class: "resources", Type: "resolv_conf"},
			{Name: "hpc_bundle", Class: "resources", Type: "installp_bundle"},
			{Name: "setup_ntp", Class: "resources", Type: "script"},
			{Name: "mount_gpfs", Class: "resources", Type: "script"},
			{Name: "bos_answers", Class: "resources", Type: "bosinst_data"},
			{Name: "boot", Class: "resources", Type: "boot"},
			{Name: "nim_script", Class: "resources", Type: "nim_script"},
		},
		Devices: []nim.CDDevice{
			{Name: "cd0", Status: "Available", Location: "04-C0-00-3,0", Description: "SCSI Multimedia CD-ROM Drive"},
			{Name: "cd1", Status: "Defined", Description: "Virtual SCSI Optical Served by VIO Server"},
		},
		Others:  map[string]string{"master": "master", "master_net": "ent", "osimage1": "standalone"},
		Version: nim.Version{Major: 2, Minor: 16, Patch: 5, Raw: "2.16.5"},
	}
	return f
}

func (f *Fake) call(name string) error {
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
	if ft := f.failN[name]; ft.n > 0 {
		ft.n--
		f.failN[name] = ft
		return ft.err
	}
	return f.Err[name]
}

// FailTimes makes the next n calls of method fail with err, then answer
// again (a query that times out, then works on retry).
func (f *Fake) FailTimes(method string, n int, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failN == nil {
		f.failN = map[string]failTimes{}
	}
	f.failN[method] = failTimes{n, err}
}

// Fail makes method fail with err until cleared with Fail(method, nil).
func (f *Fake) Fail(method string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Err == nil {
		f.Err = map[string]error{}
	}
	if err == nil {
		delete(f.Err, method)
	} else {
		f.Err[method] = err
	}
}

// Calls returns the methods called so far, in order.
func (f *Fake) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *Fake) Osimage(ctx context.Context, name string) (nim.Osimage, error) {
	if err := f.call("Osimage"); err != nil {
		return nim.Osimage{}, err
	}
	o, ok := f.Images[name]
	if !ok {
		return nim.Osimage{}, fmt.Errorf("lsdef -t osimage -o %s: Could not find an object named '%s' of type 'osimage' (%w)", name, name, nim.ErrNoSuchOsimage)
	}
	return o, nil
}

func (f *Fake) Osimages(ctx context.Context) ([]nim.Osimage, error) {
	if err := f.call("Osimages"); err != nil {
		return nil, err
	}
	var out []nim.Osimage
	for _, o := range f.Images {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *Fake) ObjectsOfType(ctx context.Context, t string) ([]nim.Object, error) {
	if err := f.call("ObjectsOfType"); err != nil {
		return nil, err
	}
	return f.ByType[t], nil
}

func (f *Fake) Resources(ctx context.Context) ([]nim.Listing, error) {
	if err := f.call("Resources"); err != nil {
		return nil, err
	}
	return f.Listing, nil
}

func (f *Fake) CDDevices(ctx context.Context) ([]nim.CDDevice, error) {
	if err := f.call("CDDevices"); err != nil {
		return nil, err
	}
	return f.Devices, nil
}

func (f *Fake) NameTaken(ctx context.Context, name string) (nim.Taken, error) {
	if err := f.call("NameTaken"); err != nil {
		return nim.Taken{}, err
	}
	var t nim.Taken
	_, t.Osimage = f.Images[name]
	for _, l := range f.Listing {
		if l.Name == name {
			t.NIMType = l.Type
		}
	}
	if typ, ok := f.Others[name]; ok {
		t.NIMType = typ
	}
	return t, nil
}

func (f *Fake) XcatVersion(ctx context.Context) (nim.Version, error) {
	if err := f.call("XcatVersion"); err != nil {
		return nim.Version{}, err
	}
	return f.Version, nil
}

// Objects answers lsnim -l NAME...: known names are found, others missing.
func (f *Fake) Objects(ctx context.Context, names ...string) ([]nim.Object, []string, error) {
	if err := f.call("Objects"); err != nil {
		return nil, nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var found []nim.Object
	var missing []string
	for _, n := range names {
		if o, ok := f.object(n); ok {
			found = append(found, o)
		} else {
			missing = append(missing, n)
		}
	}
	return found, missing, nil
}

func (f *Fake) object(name string) (nim.Object, bool) {
	if o, ok := f.Details[name]; ok {
		return o, true
	}
	for _, objs := range f.ByType {
		for _, o := range objs {
			if o.Name == name {
				return o, true
			}
		}
	}
	for _, l := range f.Listing {
		if l.Name == name {
			return nim.Object{Name: name, Attrs: []nim.Attr{
				{Key: "class", Value: l.Class}, {Key: "type", Value: l.Type},
				{Key: "Rstate", Value: nim.RstateReady},
				{Key: "location", Value: "/install/nim/" + l.Type + "/" + name},
				{Key: "alloc_count", Value: "0"}, {Key: "server", Value: "master"},
			}}, true
		}
	}
	return nim.Object{}, false
}

// Showres answers nim -o showres NAME.
func (f *Fake) Showres(ctx context.Context, name, nimType string) ([]nim.Fileset, error) {
	if err := f.call("Showres"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Filesets[name], nil
}

// Run simulates the commands the browser runs: rmnimimage [-f] [-d] [-x]
// NAME and chdef -t osimage -o NAME attr=value..., in xCAT's wording, on
// the fake world; or returns Canned output. Every call is recorded as
// "Run:" and the command line.
func (f *Fake) Run(ctx context.Context, argv []string) (nim.Result, error) {
	if err := f.call("Run:" + strings.Join(argv, " ")); err != nil {
		return nim.Result{Argv: argv, ExitCode: -1}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	res := nim.Result{Argv: argv}
	if c, ok := f.Canned[argv[0]]; ok {
		res.Stdout, res.ExitCode = c.Stdout, c.ExitCode
	} else {
		var out strings.Builder
		switch argv[0] {
		case "rmnimimage":
			res.ExitCode = f.rmnimimage(&out, argv[1:])
		case "chdef":
			res.ExitCode = f.chdef(&out, argv[1:])
		default:
			return res, fmt.Errorf("%s: command not found", argv[0])
		}
		res.Stdout = []byte(out.String())
	}
	if res.ExitCode != 0 {
		return res, &nim.CommandError{Result: res, Err: fmt.Errorf("exit status %d", res.ExitCode)}
	}
	return res, nil
}

func (f *Fake) rmnimimage(out *strings.Builder, args []string) int {
	var force, del, xdef bool
	name := ""
	for _, a := range args {
		switch a {
		case "-f":
			force = true
		case "-d":
			del = true
		case "-x":
			xdef = true
		default:
			name = a
		}
	}
	img, ok := f.Images[name]
	if !ok {
		say(out, notValid, name)
		say(out, returnOne)
		return 1
	}
	res := img.ResourceAttrs()
	if !force {
		shared := false
		for _, other := range f.Images {
			if other.Name == name {
				continue
			}
			for _, a := range res {
				for _, b := range other.ResourceAttrs() {
					if a.Value == b.Value {
						shared = true
						say(out, shareCommon, a.Value, name, other.Name)
					}
				}
			}
		}
		if shared {
			say(out, sharedRefused, name)
			say(out, returnOne)
			return 1
		}
	}
	if xdef {
		delete(f.Images, name)
		say(out, definitionRemoved, name)
	}
	rc := 0
	for _, a := range res {
		if a.Key == "lpp_source" && !del {
			continue
		}
		for _, r := range strings.Split(a.Value, ",") {
			o, known := f.object(r)
			if !known {
				continue
			}
			if n := o.Get("alloc_count"); n != "" && n != "0" {
				say(out, allocated, r)
				rc = 1
				continue
			}
			f.removeObject(r)
			say(out, resourceRemoved, r)
		}
	}
	if rc != 0 {
		say(out, errorsOccurred, name)
		say(out, returnOneHost)
	}
	return rc
}

func (f *Fake) removeObject(name string) {
	delete(f.Details, name)
	for t, objs := range f.ByType {
		var keep []nim.Object
		for _, o := range objs {
			if o.Name != name {
				keep = append(keep, o)
			}
		}
		f.ByType[t] = keep
	}
	var keep []nim.Listing
	for _, l := range f.Listing {
		if l.Name != name {
			keep = append(keep, l)
		}
	}
	f.Listing = keep
}

func (f *Fake) chdef(out *strings.Builder, args []string) int {
	if len(args) < 5 || args[0] != "-t" || args[1] != "osimage" || args[2] != "-o" {
		fmt.Fprintf(out, "Error: [xcatmn]: Usage: chdef -t osimage -o NAME attr=value\n")
		return 1
	}
	img, ok := f.Images[args[3]]
	if !ok {
		fmt.Fprintf(out, "Error: [xcatmn]: Could not find an object named '%s' of type 'osimage'.\n", args[3])
		return 1
	}
	attrs := map[string]string{}
	for k, v := range img.Attrs {
		attrs[k] = v
	}
	for _, p := range args[4:] {
		k, v, _ := strings.Cut(p, "=")
		if v == "" {
			delete(attrs, k)
		} else {
			attrs[k] = v
		}
	}
	img.Attrs = attrs
	f.Images[img.Name] = img
	fmt.Fprintf(out, "1 object definitions have been created or modified.\n")
	return 0
}

// WhoUses answers from Uses; a failure (Fail("WhoUses", err)) is the
// xCAT side's, as a failed lsdef would be.
func (f *Fake) WhoUses(ctx context.Context, img nim.Osimage) nim.ImageUse {
	err := f.call("WhoUses")
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.Uses[img.Name]
	u.Image = img.Name
	u.NodesErr = err
	return u
}

// CheckImage answers from Checks, else finds nothing wrong.
func (f *Fake) CheckImage(ctx context.Context, name string) (nim.ImageCheck, error) {
	if err := f.call("CheckImage"); err != nil {
		return nim.ImageCheck{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if ic, ok := f.Checks[name]; ok {
		return ic, nil
	}
	img, ok := f.Images[name]
	if !ok {
		return nim.ImageCheck{}, fmt.Errorf("%w: %s", nim.ErrNoSuchOsimage, name)
	}
	return nim.ImageCheck{Osimage: img, Use: f.Uses[name], Findings: []nim.Finding{
		{Level: nim.FindingOK, Text: fmt.Sprintf("every NIM resource of %s is %q", name, nim.RstateReady)},
		{Level: nim.FindingOK, Text: "no installp_bundle or otherpkgs to check against the lpp_source"},
	}}, nil
}

// CheckCopy checks a copy the way nim.Client.CheckCopy does, against the
// fake's osimages and NIM objects: the old image must exist, the new name
// and the names it derives must be free.
func (f *Fake) CheckCopy(ctx context.Context, p nim.Plan) (nim.CopyCheck, error) {
	if err := f.call("CheckCopy"); err != nil {
		return nim.CopyCheck{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var cc nim.CopyCheck
	old, ok := f.Images[p.From]
	if !ok {
		cc.Problems = append(cc.Problems, nim.Problem{Field: "from", Message: "xCAT has no osimage " + p.From})
		return cc, nil
	}
	cc.Old = old
	cc.OldSpot, cc.OldLpp = f.Details[old.Spot()], f.Details[old.LppSource()]
	for _, r := range p.ResourcesFrom(&old) {
		if r.Reused {
			continue
		}
		_, img := f.Images[r.Name]
		_, det := f.Details[r.Name]
		listed := false
		for _, l := range f.Listing {
			listed = listed || l.Name == r.Name
		}
		if img || det || listed || f.Others[r.Name] != "" {
			cc.Problems = append(cc.Problems, nim.Problem{Field: "name", Message: fmt.Sprintf("%s is taken: NIM or xCAT already has an object of this name; choose another name", r.Name)})
		}
	}
	if _, ok := f.Images[p.Name]; ok {
		cc.Problems = append(cc.Problems, nim.Problem{Field: "name", Message: "xCAT already has an osimage " + p.Name + ": choose another name"})
	}
	return cc, nil
}

// CheckUpdate refuses, as nim.Client.CheckUpdate does, an update of an
// osimage that nodes use (Uses), with the safe path, and warns of RPMs.
func (f *Fake) CheckUpdate(ctx context.Context, p nim.Plan) (nim.UpdateCheck, error) {
	if err := f.call("CheckUpdate"); err != nil {
		return nim.UpdateCheck{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var uc nim.UpdateCheck
	def, ok := f.Images[p.Name]
	if !ok {
		uc.Problems = append(uc.Problems, nim.Problem{Field: "name", Message: "xCAT has no osimage " + p.Name})
		return uc, nil
	}
	uc.Definition, uc.Use, uc.Spot = def, f.Uses[p.Name], f.Details[p.Name]
	uc.Use.Image = p.Name
	uc.Software = map[string]string{}
	for _, a := range []string{"installp_bundle", "otherpkgs", "synclists"} {
		v := p.Extra[a]
		if p.UpdateSource() == nim.FromDefinition {
			v = def.Get(a)
		}
		if v != "" {
			uc.Software[a] = v
		}
	}
	if nim.HasRPM(uc.Software["otherpkgs"]) {
		uc.Warnings = append(uc.Warnings, nim.RPMWarning)
	}
	if uc.Use.InUse() {
		uc.Problems = append(uc.Problems, nim.Problem{Field: "name", Message: "the SPOT " + p.Name + " is in use: " + uc.Use.Describe()})
	}
	return uc, nil
}

// BrowseWorld is World with the osimages and NIM details the browser's
// tests need: one of each kind, a shared lpp_source, a not-ready SPOT, a
// missing resource, an allocated root, and SPOT and lpp_source contents.
func BrowseWorld() *Fake {
	f := World()
	obj := func(name, typ, rstate, loc, alloc string, more ...nim.Attr) nim.Object {
		attrs := []nim.Attr{
			{Key: "class", Value: "resources"}, {Key: "type", Value: typ},
			{Key: "Rstate", Value: rstate}, {Key: "prev_state", Value: "unavailable for use"},
			{Key: "location", Value: loc},
		}
		attrs = append(attrs, more...)
		attrs = append(attrs, nim.Attr{Key: "alloc_count", Value: alloc}, nim.Attr{Key: "server", Value: "master"})
		return nim.Object{Name: name, Attrs: attrs}
	}
	spot := func(name, rstate, level string, v, r, mod string) nim.Object {
		more := []nim.Attr{{Key: "version", Value: v}, {Key: "release", Value: r}, {Key: "mod", Value: mod}}
		if level != "" {
			more = append(more, nim.Attr{Key: "oslevel_r", Value: level})
		}
		return obj(name, "spot", rstate, "/install/nim/spot/"+name+"/usr", "0", more...)
	}
	img := func(name string, attrs map[string]string) {
		a := map[string]string{"imagetype": "NIM", "osname": "AIX"}
		for k, v := range attrs {
			a[k] = v
		}
		f.Images[name] = nim.Osimage{Name: name, Attrs: a}
	}
	// Stateful diskless with a dump, sharing its lpp_source with 71dtls.
	img("71dskls", map[string]string{"nimtype": "diskless", "lpp_source": "7100-05-lpp_source", "spot": "71dskls",
		"root": "71dskls_root", "paging": "71dskls_paging", "dump": "71dskls_dump", "usercomment": "built from the 7.1 TL5 DVD"})
	// Dataless, same lpp_source; its root is allocated.
	img("71dtls", map[string]string{"nimtype": "dataless", "lpp_source": "7100-05-lpp_source", "spot": "71dtls", "root": "71dtls_root"})
	// Stateless, SPOT not ready, paging gone from NIM.
	img("61cosi", map[string]string{"nimtype": "diskless", "lpp_source": "61cosi_lpp_source", "spot": "61cosi",
		"shared_root": "61cosi_shared_root", "paging": "61cosi_paging"})
	// Stateful with extras shared with 72cosi and a root not named after it.
	img("aix73", map[string]string{"nimtype": "diskless", "lpp_source": "7300-02-lpp_source", "spot": "aix73",
		"root": "golden_root", "paging": "aix73_paging", "resolv_conf": "cluster_resolv", "script": "setup_ntp"})

	f.Details = map[string]nim.Object{
		"7100-05-lpp_source": obj("7100-05-lpp_source", "lpp_source", nim.RstateReady, "/install/nim/lpp_source/7100-05-lpp_source", "0", nim.Attr{Key: "simages", Value: "yes"}),
		"71dskls":            spot("71dskls", nim.RstateReady, "7100-05", "7", "1", "5"),
		"71dskls_root":       obj("71dskls_root", "root", nim.RstateReady, "/install/nim/root/71dskls_root", "0"),
		"71dskls_paging":     obj("71dskls_paging", "paging", nim.RstateReady, "/install/nim/paging/71dskls_paging", "0"),
		"71dskls_dump":       obj("71dskls_dump", "dump", nim.RstateReady, "/install/nim/dump/71dskls_dump", "0"),
		"71dtls":             spot("71dtls", nim.RstateReady, "", "7", "1", "5"),
		"71dtls_root":        obj("71dtls_root", "root", nim.RstateReady, "/install/nim/root/71dtls_root", "2"),
		"61cosi_lpp_source":  obj("61cosi_lpp_source", "lpp_source", nim.RstateReady, "/install/nim/lpp_source/61cosi_lpp_source", "0"),
		"61cosi":             spot("61cosi", "unavailable for use", "6100-04", "6", "1", "4"),
		"61cosi_shared_root": obj("61cosi_shared_root", "shared_root", nim.RstateReady, "/install/nim/shared_root/61cosi_shared_root", "0", nim.Attr{Key: "spot", Value: "61cosi"}),
		"7300-02-lpp_source": obj("7300-02-lpp_source", "lpp_source", nim.RstateReady, "/install/nim/lpp_source/7300-02-lpp_source", "0"),
		"aix73":              spot("aix73", nim.RstateReady, "7300-02", "7", "3", "2"),
		"golden_root":        obj("golden_root", "root", nim.RstateReady, "/export/golden_root", "0"),
		"aix73_paging":       obj("aix73_paging", "paging", nim.RstateReady, "/install/nim/paging/aix73_paging", "0"),
		"72cosi":             spot("72cosi", "unavailable for use", "7200-05", "7", "2", "5"),
	}
	for _, n := range []string{"7100-05-lpp_source", "71dskls", "71dskls_root", "71dskls_paging", "71dskls_dump", "71dtls", "71dtls_root",
		"61cosi_lpp_source", "61cosi", "61cosi_shared_root", "7300-02-lpp_source", "aix73", "golden_root", "aix73_paging", "other_resolv"} {
		typ := "resolv_conf"
		if o, ok := f.Details[n]; ok {
			typ = o.Get("type")
		}
		f.Listing = append(f.Listing, nim.Listing{Name: n, Class: "resources", Type: typ})
	}
	// 71dtls_root is allocated to two dataless clients; xCAT's nodes
	// of the same names boot from 71dtls.
	f.Uses = map[string]nim.ImageUse{"71dtls": {
		Nodes: []string{"cn01", "cn02"},
		Clients: []nim.NimClient{
			{Name: "cn01", Type: "dataless", Cstate: "ready for a NIM operation", Uses: []nim.Attr{{Key: "root", Value: "71dtls_root"}}},
			{Name: "cn02", Type: "dataless", Cstate: "ready for a NIM operation", Uses: []nim.Attr{{Key: "root", Value: "71dtls_root"}}},
		},
	}}
	// 61cosi as nimwiz check finds it: its SPOT not ready, its paging gone.
	f.Checks = map[string]nim.ImageCheck{"61cosi": {Osimage: f.Images["61cosi"], Findings: []nim.Finding{
		{Level: nim.FindingProblem, Text: `spot 61cosi is "unavailable for use", not "ready for use"`, Fix: "nim -Fo reset 61cosi, then nim -Fo check 61cosi"},
		{Level: nim.FindingProblem, Text: "paging 61cosi_paging: NIM has no such object", Fix: "make it again: chdef -t osimage -o 61cosi paging= then mknimimage -c 61cosi (-c never makes what the definition names)"},
		{Level: nim.FindingWarning, Text: "chkosimage could not be run: chkosimage -V 61cosi: timed out after 1m0s"},
		{Level: nim.FindingOK, Text: "no node uses it: no xCAT node boots from it and NIM has its SPOT allocated to no client"},
		{Level: nim.FindingOK, Text: "not run: nim -o check: it is not read-only (it syncs the diskless clients' roots and rebuilds the SPOT's boot images)", Fix: "after an update, or when the SPOT is not ready: nim -Fo check 61cosi"},
	}}}
	f.Filesets = map[string][]nim.Fileset{
		"71dskls": {
			{Name: "bos.rte", Level: "7.1.5.0", State: "C", Type: "F", Description: "Base Operating System Runtime"},
			{Name: "bos.net.tcp.client", Level: "7.1.5.2", State: "C", Type: "F", Description: "TCP/IP Client Support"},
			{Name: "bos.net.nfs.client", Level: "7.1.5.1", State: "C", Type: "F", Description: "Network File System Client"},
			{Name: "openssh.base.client", Level: "7.5.102.1500", State: "C", Type: "F", Description: "Open Secure Shell Commands"},
			{Name: "bos.perf.tools", Level: "7.1.5.0", State: "B", Type: "F", Description: "Base Performance Tools"},
			{Name: "rpm.rte", Level: "4.13.0.1", State: "C", Type: "F", Description: "RPM Package Manager"},
		},
		"7100-05-lpp_source": {
			{Name: "bos.rte", Level: "7.1.5.0", Type: "I"},
			{Name: "bos.net.tcp.client", Level: "7.1.5.2", Type: "S"},
			{Name: "devices.pci.14103302.rte", Level: "7.1.5.0", Type: "I"},
		},
	}
	return f
}
