// Package fakenim is an in-memory NIM master for the wizard's tests: it
// answers the steps.NIM queries from fields the test sets, records the
// calls, and can be told to fail a query.
package fakenim

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/nimwiz/nimwiz/nim"
)

// Fake implements steps.NIM.
type Fake struct {
	mu      sync.Mutex
	Images  map[string]nim.Osimage
	Objects map[string][]nim.Object // lsnim -l -t TYPE, by type
	Listing []nim.Listing           // lsnim -c resources
	Devices []nim.CDDevice
	Others  map[string]string // other NIM object names (machines, networks) -> type
	Version nim.Version
	Err     map[string]error // method name -> error to return
	calls   []string
	failN   map[string]failTimes
}

type failTimes struct {
	n   int
	err error
}

// World returns a fake master with a little of everything: two drives (one
// Defined), two lpp_sources (one not ready), extra resources, one osimage.
func World() *Fake {
	lpp := func(name, rstate, loc string) nim.Object {
		return nim.Object{Name: name, Attrs: []nim.Attr{
			{Key: "class", Value: "resources"}, {Key: "type", Value: "lpp_source"},
			{Key: "location", Value: loc}, {Key: "Rstate", Value: rstate},
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
		Objects: map[string][]nim.Object{
			"lpp_source": {
				lpp("7200-05-lpp_source", nim.RstateReady, "/install/nim/lpp_source/7200-05-lpp_source"),
				lpp("broken_lpp", "unavailable for use", "/export/broken"),
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
		return nim.Osimage{}, fmt.Errorf("lsdef -t osimage -o %s: Could not find an object named '%s' of type 'osimage'", name, name)
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
	return f.Objects[t], nil
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
