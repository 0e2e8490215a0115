package browse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// QueryTimeout bounds a fake or client without its own timeout; the
// executor applies its own per query.
const QueryTimeout = 2 * nim.DefaultQueryTimeout

func qctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), QueryTimeout)
}

// data is what the views share: the osimages, the one selected, and every
// answer from NIM, cached until refreshed. Each query's answer carries a
// generation: stale answers are dropped.
type data struct {
	env Env

	// the list
	load   ui.Loader
	gen    int
	images []nim.Osimage // sorted by name
	byName map[string]int
	users  map[string][]string // NIM resource name -> osimages naming it

	sel      string               // the osimage the views other than the list are about
	details  map[string]*detail   // by osimage
	contents map[string]*contents // by resource name
	res      resources
}

func newData(env Env) *data {
	d := &data{
		env:  env,
		load: ui.NewLoader("osimages (" + nim.ListCommand + ")"),
	}
	d.forget()
	return d
}

// forget drops every cached detail, contents and resource listing.
func (d *data) forget() {
	d.details = map[string]*detail{}
	d.contents = map[string]*contents{}
	d.res = resources{load: ui.NewLoader("NIM resources (lsnim -c resources)")}
}

// loaders are the spinners of the queries.
func (d *data) loaders() []*ui.Loader {
	ls := []*ui.Loader{&d.load, &d.res.load}
	for _, dt := range d.details {
		ls = append(ls, &dt.load, &dt.useLoad)
	}
	for _, c := range d.contents {
		ls = append(ls, &c.load)
	}
	return ls
}

// selected is the osimage the views are about.
func (d *data) selected() (nim.Osimage, bool) {
	i, ok := d.byName[d.sel]
	if !ok {
		return nim.Osimage{}, false
	}
	return d.images[i], true
}

// sharers are the other osimages naming resource r.
func (d *data) sharers(r, self string) []string {
	var out []string
	for _, o := range d.users[r] {
		if o != self {
			out = append(out, o)
		}
	}
	return out
}

// ---- the list ----

type listMsg struct {
	gen    int
	images []nim.Osimage
	err    error
}

func (d *data) loadList() tea.Cmd {
	d.gen++
	gen, n := d.gen, d.env.NIM
	if n == nil {
		d.load.Finish(errors.New("nimwiz has no NIM master to ask here"))
		return nil
	}
	return tea.Batch(d.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		imgs, err := n.Osimages(ctx)
		return listMsg{gen, imgs, err}
	})
}

// refreshAll reloads the list and forgets every cached detail.
func (d *data) refreshAll() tea.Cmd {
	d.forget()
	return d.loadList()
}

// gotList takes lsdef's answer; it reports whether the list changed.
func (d *data) gotList(msg listMsg) bool {
	if msg.gen != d.gen {
		return false
	}
	d.load.Finish(msg.err)
	if msg.err != nil {
		return false
	}
	imgs := msg.images
	sort.SliceStable(imgs, func(i, j int) bool { return imgs[i].Name < imgs[j].Name })
	d.images = imgs
	d.byName = make(map[string]int, len(imgs))
	d.users = map[string][]string{}
	for i, o := range imgs {
		d.byName[o.Name] = i
		// Who names which resource: no order needed, so no sorting here
		// (this runs for every osimage).
		for _, a := range o.ResourceAttrs() {
			for v := a.Value; v != ""; {
				var n string
				n, v, _ = strings.Cut(v, ",")
				if n = strings.TrimSpace(n); n != "" {
					if l := d.users[n]; len(l) == 0 || l[len(l)-1] != o.Name {
						d.users[n] = append(l, o.Name)
					}
				}
			}
		}
	}
	return true
}

// ---- an osimage's details ----

// detail is the cached NIM details of one osimage.
type detail struct {
	gen        int
	load       ui.Loader
	objs       map[string]nim.Object
	missing    map[string]bool
	unanswered map[string]bool
	warn       string

	// who uses the osimage (users.go), asked with the details
	useGen  int
	useLoad ui.Loader
	use     nim.ImageUse
}

// object is lsnim's answer about resource name, if it gave one.
func (dt *detail) object(name string) (nim.Object, bool) {
	if dt == nil || dt.objs == nil {
		return nim.Object{}, false
	}
	o, ok := dt.objs[name]
	return o, ok
}

type detailsMsg struct {
	name    string
	gen     int
	found   []nim.Object
	missing []string
	err     error
}

// loadDetails asks lsnim -l about every resource of the selected osimage in
// one call, unless cached (force: ask again).
func (d *data) loadDetails(force bool) tea.Cmd {
	o, ok := d.selected()
	if !ok {
		return nil
	}
	dt := d.details[o.Name]
	if dt != nil && !force && (dt.load.Loaded || dt.load.Loading) {
		return nil
	}
	if dt == nil {
		dt = &detail{load: ui.NewLoader("NIM details (" + nim.LsnimCommand(o) + ")"),
			useLoad: ui.NewLoader("who uses it (" + useCommands(o) + ")")}
		d.details[o.Name] = dt
	}
	dt.gen++
	use := d.loadUse(o, dt)
	names := nim.ResourceNames(o)
	if len(names) == 0 {
		dt.load.Finish(nil)
		dt.objs = map[string]nim.Object{}
		return use
	}
	gen, n, name := dt.gen, d.env.NIM, o.Name
	return tea.Batch(use, dt.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		found, missing, err := n.Objects(ctx, names...)
		return detailsMsg{name, gen, found, missing, err}
	})
}

func (d *data) gotDetails(msg detailsMsg) {
	dt := d.details[msg.name]
	if dt == nil || dt.gen != msg.gen {
		return
	}
	dt.warn = ""
	err := msg.err
	if errors.Is(err, nim.ErrUnanswered) {
		// Partial: show what lsnim said and flag the rest.
		dt.warn = err.Error()
		err = nil
	}
	dt.load.Finish(err)
	if err != nil {
		return
	}
	dt.objs = map[string]nim.Object{}
	dt.missing = map[string]bool{}
	dt.unanswered = map[string]bool{}
	for _, o := range msg.found {
		dt.objs[o.Name] = o
	}
	for _, n := range msg.missing {
		dt.missing[n] = true
	}
	if i, ok := d.byName[msg.name]; ok {
		for _, n := range nim.ResourceNames(d.images[i]) {
			if _, ok := dt.objs[n]; !ok && !dt.missing[n] {
				dt.unanswered[n] = true
			}
		}
	}
}

// ---- a resource's contents ----

// contents is a SPOT's installed software or an lpp_source's images, from
// nim -o showres, loaded only when opened and cached until refreshed.
type contents struct {
	name, typ string
	gen       int
	load      ui.Loader
	files     []nim.Fileset
	list      flist
}

type contentsMsg struct {
	name  string
	gen   int
	files []nim.Fileset
	err   error
}

func (d *data) fetchContents(c *contents) tea.Cmd {
	c.gen++
	gen, n, name, typ := c.gen, d.env.NIM, c.name, c.typ
	return tea.Batch(c.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		fs, err := n.Showres(ctx, name, typ)
		return contentsMsg{name, gen, fs, err}
	})
}

// gotContents takes showres's answer: rows and search text once, here.
func (d *data) gotContents(msg contentsMsg) {
	c := d.contents[msg.name]
	if c == nil || c.gen != msg.gen {
		return
	}
	err := msg.err
	if errors.Is(err, nim.ErrResourceBusy) {
		err = fmt.Errorf("%w (another NIM operation is using it; press r in a moment)", err)
	}
	c.load.Finish(err)
	if err != nil {
		return
	}
	c.files = msg.files
	c.setRows()
}

// canShow reports whether r's contents can be listed (nim -o showres).
func (d *data) canShow(r nim.ResourceRef) bool {
	if r.Attr != "spot" && r.Attr != "lpp_source" {
		return false
	}
	dt := d.details[d.sel]
	return dt == nil || !dt.missing[r.Name]
}

// ---- NIM's resources (for chdef) ----

// resources is the lsnim -c resources listing, loaded once per refresh.
type resources struct {
	load ui.Loader
	list []nim.Listing
}

type resourcesMsg struct {
	list []nim.Listing
	err  error
}

func (d *data) loadResources(force bool) tea.Cmd {
	if !force && (d.res.load.Loaded || d.res.load.Loading) {
		return nil
	}
	n := d.env.NIM
	return tea.Batch(d.res.load.Start(), func() tea.Msg {
		ctx, cancel := qctx()
		defer cancel()
		l, err := n.Resources(ctx)
		return resourcesMsg{l, err}
	})
}

func (d *data) gotResources(msg resourcesMsg) {
	d.res.load.Finish(msg.err)
	if msg.err == nil {
		d.res.list = msg.list
	}
}

// ofType are the names of NIM's resources of type typ, sorted.
func (r resources) ofType(typ string) []string {
	var names []string
	for _, l := range r.list {
		if l.Type == typ {
			names = append(names, l.Name)
		}
	}
	slices.Sort(names)
	return names
}

// jobsUsing says which jobs keep the osimage o (or a resource it names)
// busy, as lines for the admin; an error of the question is one too.
func (d *data) jobsUsing(o nim.Osimage) []string {
	if d.env.Jobs == nil {
		return nil
	}
	names := append([]string{o.Name}, nim.ResourceNames(o)...)
	uses, err := d.env.Jobs(names...)
	if err != nil {
		return []string{"nimwiz cannot tell whether a job uses it (" + err.Error() + "): look with 'nimwiz jobs' first"}
	}
	var out []string
	for _, u := range uses {
		out = append(out, fmt.Sprintf("job %s (osimage %s, %s) creates or uses it and may still be working on the NIM master: wait until it has ended and NIM is quiet ('nimwiz jobs %s')", u.ID, u.Name, u.State, u.ID))
	}
	return out
}
