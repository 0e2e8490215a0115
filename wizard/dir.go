package wizard

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// hostPath maps a path on the host (as the plan names it) to where this
// process finds it: under root in the demo, as is otherwise.
func hostPath(root, p string) string {
	if root == "" {
		return p
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// DirLayout says where an image directory's table of contents was found.
type DirLayout int

const (
	LayoutMissing   DirLayout = iota // the directory does not exist
	LayoutNotDir                     // the path is a file
	LayoutInstallp                   // DIR/installp/ppc/.toc (current gencopy layout)
	LayoutFlat                       // DIR/.toc
	LayoutInstImage                  // DIR/usr/sys/inst.images/.toc
	LayoutNoTOC                      // image files but no .toc
	LayoutEmpty                      // no installp images at all
)

// DirReport is what InspectDir found in a candidate image directory.
type DirReport struct {
	Dir     string    // as the admin typed it (host path)
	Layout  DirLayout //
	TOC     string    // the .toc found, relative to Dir
	Images  int       // *.bff, *.I, *.U files in the directory holding the images
	ImgDir  string    // where the image files were counted, relative to Dir ("." for Dir)
	Subdirs []string  // subdirectories, when no images were found (to guide browsing)
	Level   Level     // the AIX level of the images (DirLevel), when usable
	Err     error     // a read error other than "does not exist"
}

// Usable reports whether the directory can be an lpp_source source.
func (r DirReport) Usable() bool {
	return r.Err == nil && (r.Layout == LayoutInstallp || r.Layout == LayoutFlat ||
		r.Layout == LayoutInstImage || r.Layout == LayoutNoTOC)
}

// InspectDir looks for installp images in dir (a host path, looked up under
// root), in the order of aix-nim §5: installp/ppc/.toc, .toc,
// usr/sys/inst.images/.toc, then loose *.bff/*.I/*.U files.
func InspectDir(root, dir string) DirReport {
	r := DirReport{Dir: dir}
	p := hostPath(root, dir)
	fi, err := os.Stat(p)
	switch {
	case os.IsNotExist(err):
		r.Layout = LayoutMissing
		return r
	case err != nil:
		r.Err = err
		return r
	case !fi.IsDir():
		r.Layout = LayoutNotDir
		return r
	}
	for _, c := range []struct {
		sub    string
		layout DirLayout
	}{
		{"installp/ppc", LayoutInstallp},
		{".", LayoutFlat},
		{"usr/sys/inst.images", LayoutInstImage},
	} {
		if isFile(filepath.Join(p, c.sub, ".toc")) {
			r.Layout, r.TOC, r.ImgDir = c.layout, path.Join(c.sub, ".toc"), c.sub
			r.Images = countImages(filepath.Join(p, c.sub))
			r.Level = DirLevel(root, dir)
			return r
		}
	}
	for _, sub := range []string{"installp/ppc", ".", "usr/sys/inst.images"} {
		if n := countImages(filepath.Join(p, sub)); n > 0 {
			r.Layout, r.Images, r.ImgDir = LayoutNoTOC, n, sub
			r.Level = DirLevel(root, dir)
			return r
		}
	}
	r.Layout = LayoutEmpty
	if ents, err := os.ReadDir(p); err == nil {
		for _, e := range ents {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				r.Subdirs = append(r.Subdirs, e.Name())
			}
		}
	}
	return r
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// isImage reports installp image names: pkg.v.r.m.f.I, fileset.v.r.m.f.U,
// and *.bff.
func isImage(name string) bool {
	return strings.HasSuffix(name, ".bff") || strings.HasSuffix(name, ".I") || strings.HasSuffix(name, ".U")
}

func countImages(dir string) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.IsDir() && isImage(e.Name()) {
			n++
		}
	}
	return n
}

// CompleteDir completes the last element of a host path to the
// subdirectories that start with it. It returns the completed path (the
// longest common prefix; with a trailing "/" when exactly one matched) and
// the matching directory names.
func CompleteDir(root, typed string) (string, []string) {
	if typed == "" {
		typed = "/"
	}
	dir, prefix := path.Split(typed)
	if dir == "" {
		return typed, nil
	}
	ents, err := os.ReadDir(hostPath(root, dir))
	if err != nil {
		return typed, nil
	}
	var names []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(hostPath(root, path.Join(dir, e.Name()))); err == nil {
				isDir = fi.IsDir()
			}
		}
		if isDir && (prefix != "" || !strings.HasPrefix(e.Name(), ".")) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	switch len(names) {
	case 0:
		return typed, nil
	case 1:
		return dir + names[0] + "/", names
	}
	common := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, common) {
			common = common[:len(common)-1]
		}
	}
	return dir + common, names
}

// nearestExisting returns the deepest existing directory on the way to p
// (host path), so free space can be checked before mknimimage creates p.
func nearestExisting(root, p string) string {
	p = path.Clean(p)
	for {
		if fi, err := os.Stat(hostPath(root, p)); err == nil && fi.IsDir() {
			return p
		}
		if p == "/" || p == "." {
			return p
		}
		p = path.Dir(p)
	}
}
