package wizard

import (
	"fmt"
	"path"
	"strings"

	"github.com/nimwiz/nimwiz/internal/hint"
	"github.com/nimwiz/nimwiz/nim"
)

// The kinds of source, indexes into SourceKinds.
const (
	KindMedia = iota
	KindDirectory
	KindLppSource
)

// SourceKinds are the kinds of source in the order listed.
var SourceKinds = []Choice{
	KindMedia:     {Title: "Product media", What: "AIX DVD/CD in a drive here, copied to a new lpp_source"},
	KindDirectory: {Title: "Image directory", What: "installp images on disk, copied to a new lpp_source"},
	KindLppSource: {Title: "Existing lpp_source", What: "reuse an lpp_source NIM has; nothing is copied"},
}

// SourceQuestion opens the source step.
const SourceQuestion = "Where should the AIX software come from?"

// KindOf is the kind of source plan p names; KindMedia when it names none.
func KindOf(p nim.Plan) int {
	switch p.SourceKind() {
	case nim.SourceDirectory:
		return KindDirectory
	case nim.SourceLppSource:
		return KindLppSource
	}
	return KindMedia
}

// DefaultImageDirs are where the directory field starts: the first that
// exists (under Env.Root) wins.
var DefaultImageDirs = []string{"/usr/sys/inst.images/", "/export/", "/"}

// NoDrives says the master has no CD/DVD drive.
const NoDrives = "This master has no CD/DVD drive (lsdev -Cc cdrom lists none). Copy the media to a directory on another system, or choose an image directory."

// DeviceUsable reports whether the drive can be read: only an Available one.
func DeviceUsable(d nim.CDDevice) bool { return strings.EqualFold(d.Status, "Available") }

// DeviceRow is a drive as listed: /dev/NAME, status, location and description.
func DeviceRow(d nim.CDDevice) string {
	return fmt.Sprintf("/dev/%-6s %-10s %s", d.Name, d.Status, strings.TrimSpace(d.Location+" "+d.Description))
}

// DeviceRefusal says why drive d cannot be chosen and how to fix it; retry
// is how the admin looks again ("press r", "type r").
func DeviceRefusal(d nim.CDDevice, retry string) string {
	return fmt.Sprintf("%s is %s, not Available: AIX knows the drive but it is not configured. Configure it with `mkdev -l %s` (or `cfgmgr`), then %s to look again.", d.Name, d.Status, d.Name, retry)
}

// NoLppSources says NIM has no lpp_source to reuse.
const NoLppSources = "NIM has no lpp_source yet. Choose product media or an image directory and mknimimage will create one."

// LppNameWidth is the width of the name column in a list of lpp_sources.
func LppNameWidth(lpps []nim.Object) int {
	w := 12
	for _, o := range lpps {
		w = max(w, len(o.Name))
	}
	return w
}

// LppRow is an lpp_source as listed: name (in a column of nameW), AIX
// level, Rstate, simages when missing, location.
func LppRow(o nim.Object, nameW int, lvl Level) string {
	rs := o.Get("Rstate")
	if o.Ready() && !o.HasSimages() {
		rs += ", no simages"
	}
	return fmt.Sprintf("%s  %-13s  %-22s %s", Pad(o.Name, nameW), lvl.String(), rs, o.Get("location"))
}

// DeviceLevelRow is DeviceRow with the level of the disc in it, when known.
func DeviceLevelRow(d nim.CDDevice, lvl Level) string {
	if !lvl.Known() {
		return DeviceRow(d)
	}
	// The level before the description, which narrow screens cut.
	return fmt.Sprintf("/dev/%-6s %-10s AIX %s  %s", d.Name, d.Status, lvl.TL, strings.TrimSpace(d.Location+" "+d.Description))
}

// LppRefusal says why lpp_source o cannot be chosen and how to fix it. It
// agrees with the ending of a run that stopped while copying it
// (nim/cleanup.go: such a copy is suspect and is removed): `nim -Fo check`
// would rebuild the .toc of a partial copy and call it ready.
func LppRefusal(o nim.Object) string {
	rs := o.Get("Rstate")
	if rs == "" {
		rs = "unknown"
	}
	return fmt.Sprintf("%s is %q: NIM uses only a resource that is %q. If a run that stopped or failed created it, its copy may be incomplete: remove it as that run's ending says (`%s` shows it), not check it. If it was complete, `nim -Fo check %s` makes NIM look at it again. Or choose another.",
		o.Name, rs, nim.RstateReady, hint.Command("jobs"), o.Name)
}

// LayoutFinding says what InspectDir found in a directory with a .toc, or
// "" for any other layout (each mode words those itself).
func LayoutFinding(r DirReport) string {
	switch r.Layout {
	case LayoutInstallp:
		return fmt.Sprintf("installp images in installp/ppc, with a .toc (%d image files).", r.Images)
	case LayoutFlat:
		return fmt.Sprintf("installp images with a .toc (%d image files).", r.Images)
	case LayoutInstImage:
		return fmt.Sprintf("installp images in usr/sys/inst.images, with a .toc (%d image files).", r.Images)
	}
	return ""
}

// NotAbsolute refuses a relative path (a source directory, a location).
const NotAbsolute = "type an absolute path, starting with /"

// DirRefusal says why r's directory cannot be the source, or "". pick says
// how to pick one of its subdirectories in this mode ("Press tab to
// complete one.", "Type the one that holds the images.").
func DirRefusal(r DirReport, pick string) string {
	if !path.IsAbs(r.Dir) {
		return NotAbsolute
	}
	// The plan's own rule, said here rather than first at the preview.
	if msg := FieldProblem(nim.Plan{Name: "x", Source: path.Clean(r.Dir)}.Validate(), "source"); msg != "" {
		return msg
	}
	switch {
	case r.Err != nil:
		return fmt.Sprintf("cannot read %s: %v", r.Dir, r.Err)
	case r.Layout == LayoutMissing:
		return fmt.Sprintf("%s does not exist", r.Dir)
	case r.Layout == LayoutNotDir:
		return fmt.Sprintf("%s is a file, not a directory", r.Dir)
	case r.Layout == LayoutEmpty && len(r.Subdirs) > 0:
		return fmt.Sprintf("%s holds no installp images itself. Its subdirectories: %s. %s", r.Dir, strings.Join(r.Subdirs, ", "), pick)
	case r.Layout == LayoutEmpty:
		return fmt.Sprintf("%s holds no installp images. Copy them from the product media first: `gencopy -U -X -d /dev/cd0 -t %s all`", r.Dir, r.Dir)
	}
	return ""
}

// NoTOC says what happens to r's directory, which has images but no table
// of contents (LayoutNoTOC): at the step and again at the preview. NIM's
// define copies the images into the new lpp_source (bffcreate/gencopy
// build a missing .toc themselves: aix-nim.md §5), and mknimimage then runs
// `inutoc <loc>/installp/ppc` on the copy (xCAT 2.9.2
// xCAT-server/lib/xcat/plugins/aixinstall.pm:4132-4140, after the define
// at :4089-4098). The directory itself is left as it is.
func NoTOC(r DirReport) string {
	return fmt.Sprintf("%s has %d image files but no .toc. That is fine: NIM copies them into the new lpp_source and mknimimage runs inutoc on the copy, which writes its .toc; %s itself is left unchanged.",
		r.Dir, r.Images, r.Dir)
}
