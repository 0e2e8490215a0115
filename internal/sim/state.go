package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"golang.org/x/sys/unix"
)

// The simulated host keeps its NIM database and xCAT tables in one JSON file
// under the world root, guarded by an fcntl lock so that separate processes
// (a running mknimimage and a browsing lsnim) see one consistent world.
// fcntl is used because flock(2) does not exist on AIX.

const (
	stateRel = "var/sim/state.json"
	lockRel  = "var/sim/state.lock"
	sigRel   = "var/sim/signals.log"
)

// Attr is one attribute of a NIM object, in lsnim -l order. Keys may repeat.
type Attr struct {
	K string `json:"k"`
	V string `json:"v"`
}

// NimObject is one object of the NIM database.
type NimObject struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	Type  string `json:"type"`
	Attrs []Attr `json:"attrs"`
	// Filesets: what a SPOT has installed, or what an lpp_source offers.
	Filesets []Fileset `json:"filesets,omitempty"`
	// Complete is false for a SPOT whose build did not finish: its files
	// are half-written whatever its Rstate says (nim -Fo check finds out).
	Complete bool `json:"complete"`
	// RPMs and Efixes a SPOT has installed (mknimimage -u: rpm and emgr
	// inside the SPOT).
	RPMs   []string `json:"rpms,omitempty"`
	Efixes []string `json:"efixes,omitempty"`
}

// Node is one xCAT node: its attributes as lsdef -t node shows them (the
// nodelist, nodetype, noderes ... tables).
type Node struct {
	Name  string            `json:"name"`
	Attrs map[string]string `json:"attrs"`
}

// Get returns the first value of key.
func (o *NimObject) Get(key string) string {
	for _, a := range o.Attrs {
		if a.K == key {
			return a.V
		}
	}
	return ""
}

// Set replaces the first value of key, or appends it.
func (o *NimObject) Set(key, value string) {
	for i := range o.Attrs {
		if o.Attrs[i].K == key {
			o.Attrs[i].V = value
			return
		}
	}
	o.Attrs = append(o.Attrs, Attr{key, value})
}

// setState moves Rstate on, keeping the old one as prev_state as NIM does.
func (o *NimObject) setState(rstate string) {
	old := o.Get("Rstate")
	o.Set("Rstate", rstate)
	if old != "" {
		o.Set("prev_state", old)
	}
}

// Osimage is one xCAT osimage definition.
type Osimage struct {
	Name  string            `json:"name"`
	Attrs map[string]string `json:"attrs"`
}

// CDROM is one optical device of the simulated host.
type CDROM struct {
	Name, Status, Location, Description string
}

// State is the whole simulated host.
type State struct {
	Host     string       `json:"host"`   // short hostname of the management node
	Domain   string       `json:"domain"` // DNS domain, for the master's if1
	RootPW   string       `json:"rootpw"` // passwd table, key=system username=root
	Objects  []*NimObject `json:"objects"`
	Osimages []*Osimage   `json:"osimages"`
	CDROMs   []CDROM      `json:"cdroms"`
	// Site is xCAT's site table (site.go); nil in worlds seeded before it
	// was kept, which get the default one.
	Site map[string]string `json:"site,omitempty"`
	// Nodes are the xCAT nodes, sorted by name.
	Nodes []*Node `json:"nodes,omitempty"`
	// ServiceNodes are the xCAT service nodes, each a NIM master of its
	// own (servicenode.go); their xCAT node definitions are in Nodes.
	ServiceNodes []*ServiceNode `json:"service_nodes,omitempty"`
}

// Node returns the xCAT node called name, or nil.
func (s *State) Node(name string) *Node {
	for _, n := range s.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Object returns the NIM object called name, or nil.
func (s *State) Object(name string) *NimObject {
	for _, o := range s.Objects {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// Remove deletes the NIM object called name.
func (s *State) Remove(name string) {
	for i, o := range s.Objects {
		if o.Name == name {
			s.Objects = append(s.Objects[:i], s.Objects[i+1:]...)
			return
		}
	}
}

// Osimage returns the osimage definition called name, or nil.
func (s *State) Osimage(name string) *Osimage {
	for _, o := range s.Osimages {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// RemoveOsimage deletes an osimage definition.
func (s *State) RemoveOsimage(name string) {
	for i, o := range s.Osimages {
		if o.Name == name {
			s.Osimages = append(s.Osimages[:i], s.Osimages[i+1:]...)
			return
		}
	}
}

// PutOsimage adds or replaces an osimage definition, keeping them sorted.
func (s *State) PutOsimage(img *Osimage) {
	s.RemoveOsimage(img.Name)
	s.Osimages = append(s.Osimages, img)
	sort.Slice(s.Osimages, func(i, j int) bool { return s.Osimages[i].Name < s.Osimages[j].Name })
}

// store is a world on disk.
type store struct {
	root string
}

// procMu serializes lock holders inside one process: fcntl locks belong to
// the process, so two goroutines would both "get" it.
var procMu sync.Mutex

func (st store) path(rel string) string { return filepath.Join(st.root, filepath.FromSlash(rel)) }

// lock takes the world's lock (exclusive or shared) and returns its release.
func (st store) lock(exclusive bool) (func(), error) {
	procMu.Lock()
	p := st.path(lockRel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		procMu.Unlock()
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		procMu.Unlock()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	lk := unix.Flock_t{Type: unix.F_RDLCK, Whence: 0}
	if exclusive {
		lk.Type = unix.F_WRLCK
	}
	for {
		err = unix.FcntlFlock(f.Fd(), unix.F_SETLKW, &lk)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		procMu.Unlock()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return func() {
		lk.Type = unix.F_UNLCK
		_ = unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk)
		f.Close()
		procMu.Unlock()
	}, nil
}

func (st store) read() (*State, error) {
	b, err := os.ReadFile(st.path(stateRel))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no simulated world at %s (NIMWIZ_SIM_ROOT): %w", st.root, err)
		}
		return nil, err
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", st.path(stateRel), err)
	}
	return &s, nil
}

func (st store) write(s *State) error {
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	p := st.path(stateRel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", p, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	// rename is atomic: a reader never sees half a file, even if this
	// process is killed right here.
	return os.Rename(tmp, p)
}

// View reads the world under a shared lock.
func (st store) View() (*State, error) {
	unlock, err := st.lock(false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return st.read()
}

// Update runs fn on the world under the exclusive lock and saves it when fn
// returns nil. Never call it around a long wait.
func (st store) Update(fn func(s *State) error) error {
	unlock, err := st.lock(true)
	if err != nil {
		return err
	}
	defer unlock()
	s, err := st.read()
	if err != nil {
		return err
	}
	if err := fn(s); err != nil {
		return err
	}
	return st.write(s)
}
