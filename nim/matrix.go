package nim

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The hierarchy matrix of one osimage: its resources × the management node
// and each service node that serves nodes, with what each server's NIM
// says and the drift nimwiz can see (xcat-hierarchy.md: with
// sharedinstall=no an SN's copy is made once by mkdsklsnode, at the same
// location, and never refreshed; mknimimage -u removes the SPOT on every
// SN, aixinstall.pm 2.9.2 L1704-1775, until the next mkdsklsnode copies it
// again).

// MNColumn is the management node's column name in a Matrix.
const MNColumn = "MN"

// Server is one column of the matrix.
type Server struct {
	Name   string   `json:"name"`             // MNColumn or the SN's xCAT name
	State  SNState  `json:"state"`            // how it answered (the MN: answered)
	Reason string   `json:"reason,omitempty"` // why it did not answer
	Serves []string `json:"serves,omitempty"` // nodes it serves (primary or backup)
	// UsesImage are the nodes it serves whose provmethod is the image.
	UsesImage []string `json:"uses_image,omitempty"`
}

// Cell is one resource on one server.
type Cell struct {
	Known    bool     `json:"known"` // the server answered
	Present  bool     `json:"present"`
	Rstate   string   `json:"rstate,omitempty"`
	Alloc    int      `json:"alloc_count"`
	Location string   `json:"location,omitempty"`
	Drift    []string `json:"drift,omitempty"`
	// MNOnly: not on the SN, and mkdsklsnode does not copy it (the
	// lpp_source of a diskless or dataless image).
	MNOnly bool `json:"mn_only,omitempty"`
	// File is ls -ld of a file resource's location (nil: not a file
	// resource, or ls could not tell).
	File *FileStat `json:"file,omitempty"`
}

// fileTypes are the NIM resource types whose location is one file: their
// copies are compared by size and modification time.
var fileTypes = map[string]bool{"script": true, "bosinst_data": true, "resolv_conf": true, "installp_bundle": true, "image_data": true, "fb_script": true}

// FilePaths are the locations of m's file resources on the MN, checked
// (ValidPath) and distinct: what ls -ld is asked about.
func (m Matrix) FilePaths() []string {
	var out []string
	for _, r := range m.Rows {
		c := r.Cells[MNColumn]
		if fileTypes[r.Type] && c.Present && ValidPath(c.Location) == nil {
			out = appendUnique(out, c.Location)
		}
	}
	return out
}

// SetMNFiles records ls -ld's answers on the MN.
func (m *Matrix) SetMNFiles(files map[string]FileStat) {
	for i := range m.Rows {
		c := m.Rows[i].Cells[MNColumn]
		if f, ok := files[c.Location]; ok && fileTypes[m.Rows[i].Type] {
			c.File = &f
			m.Rows[i].Cells[MNColumn] = c
		}
	}
}

// Row is one resource of the image.
type Row struct {
	Attr     string          `json:"attr"`
	Resource string          `json:"resource"`
	Type     string          `json:"type,omitempty"`
	Cells    map[string]Cell `json:"cells"`
}

// Matrix is the whole view.
type Matrix struct {
	Image         string   `json:"osimage"`
	SharedInstall string   `json:"sharedinstall"`
	Servers       []Server `json:"servers"`
	Rows          []Row    `json:"resources"`
	// Queries is how many commands built it (one xdsh for all SNs).
	Queries int `json:"queries"`
	// Xdsh is the fan-out's command line, to show ("" when no SN serves
	// nodes).
	Xdsh string `json:"xdsh,omitempty"`
}

// Pending reports whether some SN has not answered yet.
func (m Matrix) Pending() bool {
	for _, s := range m.Servers {
		if s.State == SNWaiting {
			return true
		}
	}
	return false
}

// DriftCount is the number of cells with drift.
func (m Matrix) DriftCount() int {
	n := 0
	for _, r := range m.Rows {
		for _, c := range r.Cells {
			if len(c.Drift) > 0 {
				n++
			}
		}
	}
	return n
}

// NewMatrix lays out the matrix of img from the MN's objects, before any
// SN has answered: the SN columns are the SNs that serve nodes, waiting.
func NewMatrix(img Osimage, mn []Object, h Hierarchy, nodesUsing []string) Matrix {
	m := Matrix{Image: img.Name, SharedInstall: h.SharedInstall}
	m.Servers = append(m.Servers, Server{Name: MNColumn, State: SNAnswered})
	for _, sn := range h.ServiceNodes {
		if !h.Serving(sn) {
			continue
		}
		s := Server{Name: sn, State: SNWaiting, Serves: h.Serves[sn]}
		for _, n := range h.Serves[sn] {
			if nameIn(nodesUsing, n) {
				s.UsesImage = append(s.UsesImage, n)
			}
		}
		m.Servers = append(m.Servers, s)
	}
	for _, ref := range ResourceRefs(img) {
		r := Row{Attr: ref.Attr, Resource: ref.Name, Cells: map[string]Cell{}}
		c := Cell{Known: true}
		for _, o := range mn {
			if o.Name == ref.Name {
				r.Type = o.Get("type")
				c = cellOf(o)
			}
		}
		r.Cells[MNColumn] = c
		m.Rows = append(m.Rows, r)
	}
	return m
}

func cellOf(o Object) Cell {
	n, _ := strconv.Atoi(o.Get("alloc_count"))
	return Cell{Known: true, Present: true, Rstate: o.Get("Rstate"), Alloc: n, Location: o.Get("location")}
}

// notCopied reports whether mkdsklsnode leaves the resource on the MN: the
// lpp_source of a diskless or dataless image (aixinstall.pm 2.9.2 L9729).
func notCopied(img NimType, attr string) bool {
	return attr == "lpp_source" && (img == Diskless || img == Dataless)
}

// Apply fills an SN's column from its answer and marks the drift.
func (m *Matrix) Apply(img Osimage, a SNObjects) {
	si := -1
	for i, s := range m.Servers {
		if s.Name == a.Node {
			si = i
		}
	}
	if si < 0 {
		return
	}
	srv := &m.Servers[si]
	srv.State, srv.Reason = a.State, a.Reason
	if a.State != SNAnswered {
		return
	}
	// The resources made on the SN beside its SPOT copy (make_SN_resource,
	// aixinstall.pm 2.9.2 L13253-13304): one of them without the SPOT
	// means the SPOT was there and went (mknimimage -u).
	hasAny := false
	for _, o := range a.Found {
		switch o.Get("type") {
		case "root", "shared_root", "paging", "dump":
			hasAny = true
		}
	}
	for i := range m.Rows {
		r := &m.Rows[i]
		mn := r.Cells[MNColumn]
		c := Cell{Known: true}
		for _, o := range a.Found {
			if o.Name == r.Resource {
				c = cellOf(o)
			}
		}
		switch {
		case !c.Present && notCopied(img.NimType(), r.Attr):
			c.MNOnly = true // stays on the MN: not drift
		case !c.Present && r.Attr == "spot" && hasAny:
			c.Drift = append(c.Drift, "SPOT missing beside the image's other copies: removed by an update (mknimimage -u) and not copied back yet (the next mkdsklsnode does)")
		case !c.Present && len(srv.UsesImage) > 0:
			c.Drift = append(c.Drift, "missing although nodes it serves use the image ("+strings.Join(srv.UsesImage, ", ")+")")
		case c.Present:
			if mn.Present && mn.Location != "" && c.Location != mn.Location {
				c.Drift = append(c.Drift, fmt.Sprintf("location %s differs from the management node's %s (xCAT uses the same location on every NIM server)", c.Location, mn.Location))
			}
			if c.Rstate != "" && c.Rstate != "ready for use" {
				c.Drift = append(c.Drift, "not ready for use ("+c.Rstate+")")
			}
			if !mn.Present {
				c.Drift = append(c.Drift, "on the service node but not on the management node")
			}
			if f, ok := a.Files[c.Location]; ok && fileTypes[r.Type] {
				c.File = &f
				if mn.File != nil && (f.Size != mn.File.Size || f.Mtime != mn.File.Mtime) {
					c.Drift = append(c.Drift, fmt.Sprintf("copy differs from the management node's: %d bytes, %s here; %d bytes, %s there (with sharedinstall=no mkdsklsnode never copies it again)", f.Size, f.Mtime, mn.File.Size, mn.File.Mtime))
				}
			}
		}
		r.Cells[a.Node] = c
	}
}

// HierarchyMatrix builds img's matrix: the osimage (lsdef), its resources
// on the MN (lsnim -l), the hierarchy (HierarchyQueries calls), the nodes
// using the image (lsdef), then ONE xdsh to every SN that serves nodes.
// first gets the matrix as soon as the MN side is known (every SN
// waiting); update gets it again after each SN's answer.
func (c *Client) HierarchyMatrix(ctx context.Context, name string, first, update func(Matrix)) (Matrix, error) {
	queries := 0
	img, err := c.Osimage(ctx, name)
	if err != nil {
		return Matrix{}, err
	}
	queries++
	names := ResourceNames(img)
	found, _, err := c.Objects(ctx, names...)
	if err != nil {
		return Matrix{}, err
	}
	if len(names) > 0 {
		queries++
	}
	h, err := c.Hierarchy(ctx)
	if err != nil {
		return Matrix{}, err
	}
	queries += HierarchyQueries
	using, err := c.NodesUsing(ctx, name)
	if err != nil {
		return Matrix{}, err
	}
	queries++
	m := NewMatrix(img, found, h, using)
	paths := m.FilePaths()
	if len(paths) > 0 {
		// The MN's side of the comparison, by argv here.
		res, err := c.Exec.Query(ctx, "ls", append([]string{"-ld"}, paths...)...)
		if _, ran := ranAndFailed(err); err == nil || ran {
			m.SetMNFiles(ParseLsLd(strings.Split(string(res.Stdout), "\n")))
		}
		queries++
	}
	var sns []string
	for _, s := range m.Servers[1:] {
		sns = append(sns, s.Name)
	}
	if len(sns) == 0 || len(names) == 0 {
		m.Queries = queries
		if first != nil {
			first(m)
		}
		return m, nil
	}
	queries++
	m.Queries = queries
	if remote, err := RemoteQuery(names, paths); err == nil {
		if argv, err := XdshArgv(sns, remote); err == nil {
			m.Xdsh = ShellLine(argv)
		}
	}
	if first != nil {
		first(m.Clone())
	}
	err = c.SNObjectsOf(ctx, sns, names, paths, func(a SNObjects) {
		m.Apply(img, a)
		if update != nil {
			update(m.Clone())
		}
	})
	return m, err
}

// Clone copies the matrix so that a screen can keep it while it changes.
func (m Matrix) Clone() Matrix {
	out := m
	out.Servers = append([]Server(nil), m.Servers...)
	out.Rows = make([]Row, len(m.Rows))
	for i, r := range m.Rows {
		r2 := r
		r2.Cells = make(map[string]Cell, len(r.Cells))
		for k, v := range r.Cells {
			r2.Cells[k] = v
		}
		out.Rows[i] = r2
	}
	return out
}

// ServerNames are the column names in order.
func (m Matrix) ServerNames() []string {
	out := make([]string, len(m.Servers))
	for i, s := range m.Servers {
		out[i] = s.Name
	}
	return out
}

// SortedDrift lists "resource on server: reason" lines, for summaries.
func (m Matrix) SortedDrift() []string {
	var out []string
	for _, r := range m.Rows {
		for _, s := range m.Servers {
			for _, d := range r.Cells[s.Name].Drift {
				out = append(out, r.Resource+" on "+s.Name+": "+d)
			}
		}
	}
	sort.Strings(out)
	return out
}

// CellText is a cell in a few characters: "ready", "ready a2" (allocated
// twice), "missing", "-" (not copied, not expected), "?" (unknown), with a
// "!" when it drifts.
func CellText(s Server, c Cell) string {
	var t string
	switch {
	case s.State == SNWaiting:
		t = "…"
	case !c.Known || s.State != SNAnswered:
		t = "?"
	case !c.Present && c.MNOnly:
		t = "- (MN only)"
	case !c.Present:
		t = "missing"
	case c.Rstate == "ready for use":
		t = "ready"
	case c.Rstate == "":
		t = "present"
	default:
		t = "NOT ready"
	}
	if c.Alloc > 0 {
		t += " a" + strconv.Itoa(c.Alloc)
	}
	if len(c.Drift) > 0 {
		t += " !"
	}
	return t
}
