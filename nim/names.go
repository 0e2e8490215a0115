package nim

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// mknimimage takes whatever NIM already has under the names it would
// create, as it is (aixinstall.pm at 2.9.2_aix_release: mk_lpp_source
// "Using the existing lpp_source named", mk_spot "Using the existing SPOT
// named" without any state check, mknimres "Using existing root resource
// named"), and stops at an existing osimage definition ("The osimage
// definition '<name>' already exists."). A half-built SPOT left by a killed
// run is silently reused and called success; an lpp_source or a network
// named like the osimage is taken as its SPOT. So every run is checked
// first, in one round of queries: the osimage definition (lsdef) and every
// name the plan would create (one lsnim -l), at the same time.

// NameStatus is what NIM has under one name a plan would create.
type NameStatus struct {
	Resource PlannedResource
	Exists   bool
	Object   Object // what lsnim -l printed, when Exists
}

// Reuse reports whether mknimimage will take the existing object as it is:
// it exists and is of the type the plan makes under that name.
func (n NameStatus) Reuse() bool {
	t := n.Object.Get("type")
	return n.Exists && (t == "" || t == n.Resource.Type)
}

// Rstate is the existing object's Rstate ("" when it does not exist).
func (n NameStatus) Rstate() string { return n.Object.Get("Rstate") }

// NameCheck is what CheckNames found.
type NameCheck struct {
	Osimage       string // the plan's osimage name
	OsimageExists bool
	Names         []NameStatus // the resources the plan creates, in plan order
	Problems      []Problem    // each a reason not to run; with how to go on
}

// Existing lists the names that NIM or xCAT had before the run: its
// cleanup must never name them. The osimage definition, when it existed, is
// "osimage:<name>".
func (nc NameCheck) Existing() []string {
	var out []string
	if nc.OsimageExists {
		out = append(out, OsimagePrefix+nc.Osimage)
	}
	for _, n := range nc.Names {
		if n.Exists {
			out = append(out, n.Resource.Name)
		}
	}
	return out
}

// OsimagePrefix marks an osimage definition in a list of names.
const OsimagePrefix = "osimage:"

// CheckNames asks xCAT whether p's osimage exists and NIM what it has under
// every name p would create, and says what stands in the way: an existing
// osimage definition; a NIM object of another type under a resource's name
// (an lpp_source or network named like the SPOT); an existing resource of
// the right type that is not ready for use, which mknimimage would reuse as
// it is. A ready one is fine: it will be reused (NameStatus.Reuse). The
// error is for a query that failed: the names could not be checked.
func (c *Client) CheckNames(ctx context.Context, p Plan) (NameCheck, error) {
	return checkNamesOf(ctx, c, p, p.Resources())
}

// NameQuerier is what a name check asks: xCAT's osimage definition (an
// error wrapping ErrNoSuchOsimage when there is none) and NIM's objects
// (lsnim -l). *Client is one; the wizard's tests use a fake.
type NameQuerier interface {
	Osimage(ctx context.Context, name string) (Osimage, error)
	Objects(ctx context.Context, names ...string) ([]Object, []string, error)
}

// CheckNamesWith is CheckNames asking q: the wizard's preview runs the same
// pre-flight as job.Start, so it refuses what a run would refuse.
func CheckNamesWith(ctx context.Context, q NameQuerier, p Plan) (NameCheck, error) {
	return checkNamesOf(ctx, q, p, p.Resources())
}

// checkNamesOf is CheckNames for the resources res of p (a copy's, once
// its old image is known).
func checkNamesOf(ctx context.Context, c NameQuerier, p Plan, res []PlannedResource) (NameCheck, error) {
	p = p.WithDefaults()
	var nc NameCheck
	var created []PlannedResource
	var names []string
	for _, r := range res {
		if r.Reused {
			continue
		}
		if err := ValidName(r.Name); err != nil {
			return nc, fmt.Errorf("check names: %q: %w: validate the plan first", r.Name, err)
		}
		created = append(created, r)
		names = appendUnique(names, r.Name)
	}
	if err := ValidName(p.Name); err != nil {
		return nc, fmt.Errorf("check names: %q: %w: validate the plan first", p.Name, err)
	}

	var (
		wg            sync.WaitGroup
		osErr, objErr error
		found         []Object
		missing       []string
		osimageExists bool
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		_, err := c.Osimage(ctx, p.Name)
		switch {
		case err == nil:
			osimageExists = true
		case !errors.Is(err, ErrNoSuchOsimage):
			osErr = err
		}
	}()
	go func() {
		defer wg.Done()
		found, missing, objErr = c.Objects(ctx, names...)
	}()
	wg.Wait()
	if osErr != nil {
		return nc, fmt.Errorf("check whether osimage %s exists: %w", p.Name, osErr)
	}
	if objErr != nil {
		return nc, fmt.Errorf("check the names the plan creates in NIM: %w", objErr)
	}
	nc.Osimage, nc.OsimageExists = p.Name, osimageExists
	if osimageExists {
		nc.Problems = append(nc.Problems, Problem{"name", fmt.Sprintf(
			"the osimage %s already exists (lsdef -t osimage -o %s): choose another name, re-create it under a new name (nimwiz create --from %s), or remove it first if you no longer need it (nimwiz browse, d)",
			p.Name, p.Name, p.Name)})
	}
	byName := map[string]Object{}
	for _, o := range found {
		byName[o.Name] = o
	}
	for _, r := range created {
		st := NameStatus{Resource: r}
		o, ok := byName[r.Name]
		if ok && !nameIn(missing, r.Name) {
			st.Exists, st.Object = true, o
			nc.Problems = append(nc.Problems, nameProblems(p, r, o)...)
		}
		nc.Names = append(nc.Names, st)
	}
	return nc, nil
}

// nameProblems says why an existing object under a name the plan creates
// stands in the way, if it does.
func nameProblems(p Plan, r PlannedResource, o Object) []Problem {
	field := "name"
	if r.Attr == "lpp_source" {
		field = "source"
	}
	typ := o.Get("type")
	if typ != "" && typ != r.Type {
		what := r.Attr
		if r.Attr == "spot" {
			what = "SPOT (the SPOT is named like the osimage)"
		}
		return []Problem{{field, fmt.Sprintf(
			"NIM already has a %s named %s (lsnim -l %s), and mknimimage would take it as the %s: choose another osimage name",
			typ, r.Name, r.Name, what)}}
	}
	if o.Ready() {
		return nil // reused as it is: the preview says so
	}
	rs := o.Get("Rstate")
	if rs == "" {
		rs = "unknown"
	}
	msg := fmt.Sprintf("NIM already has the %s %s and it is %q, not %q: mknimimage would reuse it as it is (a run that was cut off leaves one like this). ",
		r.Type, r.Name, rs, RstateReady)
	if r.Attr == "spot" && SpotComplete(o) {
		msg += fmt.Sprintf("It looks complete: make it ready with 'nim -Fo reset %s', then 'nim -Fo check %s'", r.Name, r.Name)
	} else {
		msg += fmt.Sprintf("Check it with 'nim -Fo check %s'; if it stays not ready, it is broken and must be removed before a run (see 'nimwiz jobs' for the run that left it), or choose another osimage name", r.Name)
	}
	return []Problem{{field, msg}}
}
