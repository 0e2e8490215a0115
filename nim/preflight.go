package nim

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// Pre-flight checks: what Validate cannot know because it depends on the
// NIM master itself. Validate is pure; these look at the master's
// filesystem and ask NIM, and are meant to run just before a plan is
// applied (the wizard checks the same things as the admin answers).

// CheckHost checks the paths a valid plan names on the NIM master's own
// filesystem. root prefixes host paths: "" on a real master, the demo's
// simulated host root in the demo. A directory source must exist, be a
// directory and be readable; an existing location must be a directory (and
// so must the nearest existing parent of one to be created); a file an
// attribute names (synclists) must be a readable regular file. Devices are
// left to lsdev: /dev entries are not files the wizard can judge.
func (p Plan) CheckHost(root string) []Problem {
	p = p.WithDefaults()
	var probs []Problem
	host := func(s string) string {
		if root == "" {
			return s
		}
		return filepath.Join(root, filepath.FromSlash(s))
	}
	if p.SourceKind() == SourceDirectory {
		src := p.Source
		fi, err := os.Stat(host(src))
		switch {
		case errors.Is(err, os.ErrNotExist):
			probs = append(probs, Problem{"source", fmt.Sprintf("directory %s does not exist on this NIM master: give the directory that holds the installp images (copy them from the media with gencopy first)", src)})
		case err != nil:
			probs = append(probs, Problem{"source", fmt.Sprintf("directory %s cannot be read: %v", src, unwrapPath(err))})
		case !fi.IsDir():
			probs = append(probs, Problem{"source", fmt.Sprintf("%s is a file, not a directory: give the directory that holds the installp images", src)})
		default:
			if _, err := os.ReadDir(host(src)); err != nil {
				probs = append(probs, Problem{"source", fmt.Sprintf("directory %s cannot be read: %v", src, unwrapPath(err))})
			}
		}
	}
	// Files an attribute names (synclists): xcatd opens them on this
	// master (sync_spot_files, aixinstall.pm 2.9.2 L14924) after the SPOT
	// is built, so a wrong path fails the run at its very end.
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		spec, ok := LookupAttr(a)
		f := p.Extra[a]
		if !ok || !spec.HostFile || spec.Check(f) != nil {
			continue // Validate says what is wrong with it
		}
		fi, err := os.Stat(host(f))
		switch {
		case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			probs = append(probs, Problem{AttrField(a), fmt.Sprintf("%s does not exist on this NIM master: give the path of an existing %s file, or create it first", f, a)})
		case err != nil:
			probs = append(probs, Problem{AttrField(a), fmt.Sprintf("%s cannot be checked: %v", f, unwrapPath(err))})
		case !fi.Mode().IsRegular():
			probs = append(probs, Problem{AttrField(a), fmt.Sprintf("%s is not a regular file (%s): give the %s file itself", f, fileKind(fi), a)})
		default:
			if r, err := os.Open(host(f)); err != nil {
				probs = append(probs, Problem{AttrField(a), fmt.Sprintf("%s cannot be read: %v", f, unwrapPath(err))})
			} else {
				r.Close()
			}
		}
	}
	if strings.HasPrefix(p.Location, "/") {
		for dir := path.Clean(p.Location); ; dir = path.Dir(dir) {
			fi, err := os.Stat(host(dir))
			if err == nil {
				if !fi.IsDir() {
					what := "is a file"
					if dir != p.Location {
						what = "lies under " + dir + ", which is a file"
					}
					probs = append(probs, Problem{"location", fmt.Sprintf("%s %s, not a directory: mknimimage could not create its resource directories there", p.Location, what)})
				}
				break
			}
			// ENOTDIR: a parent is a file; go up to find it.
			if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
				probs = append(probs, Problem{"location", fmt.Sprintf("%s cannot be checked: %v", p.Location, unwrapPath(err))})
				break
			}
			if dir == "/" || dir == "." {
				break
			}
		}
	}
	probs = append(probs, p.checkResolved(root)...)
	return probs
}

// checkResolved applies Validate's rules for the source directory and the
// location to the paths they resolve to through symbolic links on the
// master (inside root in the demo): the text "/install/img" passes, but
// not when it is a link to "/". mknimimage is given the path as written,
// so only rules about where the path leads apply, not its characters.
func (p Plan) checkResolved(root string) []Problem {
	var probs []Problem
	check := func(field, given string, set func(*Plan, string)) {
		if !strings.HasPrefix(given, "/") {
			return
		}
		real, err := safefs.ResolveIn(root, given)
		if err != nil || real == given || checkPath(real) != nil {
			// A path that cannot be read is CheckHost's to report.
			return
		}
		q := p
		set(&q, real)
		for _, pr := range q.Validate() {
			if pr.Field == field {
				probs = append(probs, Problem{field, fmt.Sprintf("%s leads through symbolic links to %s, so: %s", given, real, pr.Message)})
			}
		}
	}
	if p.SourceKind() == SourceDirectory {
		check("source", p.Source, func(q *Plan, v string) { q.Source = v })
	}
	check("location", p.Location, func(q *Plan, v string) { q.Location = v })
	return probs
}

// fileKind names what a non-regular file is.
func fileKind(fi os.FileInfo) string {
	if fi.IsDir() {
		return "a directory"
	}
	return "type " + fi.Mode().Type().String()
}

// unwrapPath drops the *PathError's path, which holds the demo's host root.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// CheckResources asks NIM, in one lsnim -l, about the existing resources a
// valid plan names: the lpp_source given as source and every extra
// resource. Each must exist, be of the type its attribute names and be
// ready for use; mknimimage would otherwise fail part-way (or, for an
// lpp_source, silently build a SPOT from a broken one). The error is for a
// query that failed: the plan could not be checked.
func (c *Client) CheckResources(ctx context.Context, p Plan) ([]Problem, error) {
	p = p.WithDefaults()
	type want struct{ field, typ, name string }
	var wants []want
	if p.SourceKind() == SourceLppSource {
		wants = append(wants, want{"source", "lpp_source", p.Source})
	}
	for _, a := range slices.Sorted(maps.Keys(p.Extra)) {
		spec, ok := LookupAttr(a)
		if !ok || spec.Kind != ResourceAttr {
			continue // an option (CheckHost looks at files), or refused by Validate
		}
		for _, n := range spec.Items(p.Extra[a]) {
			wants = append(wants, want{AttrField(a), spec.NIMType, n})
		}
	}
	if len(wants) == 0 {
		return nil, nil
	}
	var names []string
	for _, w := range wants {
		if ValidName(w.name) != nil {
			return nil, fmt.Errorf("check resources: %q is not a valid name: validate the plan first", w.name)
		}
		names = appendUnique(names, w.name)
	}
	found, missing, err := c.Objects(ctx, names...)
	if err != nil {
		return nil, fmt.Errorf("check the plan's resources in NIM: %w", err)
	}
	var probs []Problem
	for _, w := range wants {
		switch {
		case nameIn(missing, w.name):
			probs = append(probs, Problem{w.field, fmt.Sprintf("NIM has no resource named %q (lsnim -l %s): create it first, or choose one NIM has (lsnim -t %s)", w.name, w.name, w.typ)})
		default:
			for _, o := range found {
				if o.Name != w.name {
					continue
				}
				if t := o.Get("type"); t != "" && t != w.typ {
					probs = append(probs, Problem{w.field, fmt.Sprintf("%q is a NIM %s, not a %s: choose a %s (lsnim -t %s)", w.name, t, w.typ, w.typ, w.typ)})
				} else if !o.Ready() {
					rs := o.Get("Rstate")
					if rs == "" {
						rs = "unknown"
					}
					probs = append(probs, Problem{w.field, fmt.Sprintf("%s is %q, and NIM only uses a resource that is %q: check it with 'nim -Fo check %s', or choose another", w.name, rs, RstateReady, w.name)})
				}
			}
		}
	}
	return probs, nil
}
