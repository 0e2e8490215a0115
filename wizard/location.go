package wizard

import (
	"fmt"
	"path"

	"github.com/nimwiz/nimwiz/nim"
)

// LocationQuestion and LocationExplain open the location step.
const (
	LocationQuestion = "Where should the new NIM resources live?"
	LocationExplain  = "mknimimage makes a directory per resource under this one: lpp_source/, spot/, root/ or shared_root/, paging/, dump/. " +
		"The default is " + nim.DefaultLocation + "; change it only to use another filesystem."
)

// What mknimimage's own free-space checks ask for (chkFSspace in
// aixinstall.pm): 1500 MB for an lpp_source copy, 800 MB for the SPOT.
const (
	NeedLppSource = 1500 << 20
	NeedSpot      = 800 << 20
)

// Need is about how much space plan p takes under its location.
func Need(p nim.Plan) uint64 {
	n := uint64(NeedSpot)
	if p.SourceKind() != nim.SourceLppSource {
		n += NeedLppSource
	}
	return n
}

// NeedParts says what Need adds up.
func NeedParts(p nim.Plan) string {
	if p.SourceKind() != nim.SourceLppSource {
		return "lpp_source copy 1.5 GB + SPOT 800 MB"
	}
	return "SPOT 800 MB"
}

// MeasureFree measures the free space for location loc (a host path) on
// the filesystem of its deepest existing directory, dir: mknimimage
// creates loc itself.
func (h Host) MeasureFree(loc string) (free uint64, dir string, err error) {
	dir = nearestExisting(h.Root, loc)
	fs := h.FreeSpace
	if fs == nil {
		fs = FreeSpace
	}
	free, err = fs(hostPath(h.Root, dir))
	return free, dir, err
}

// WillCreate says what happens to location loc when it does not exist
// (dir, its deepest existing directory, is not loc itself), else "":
// mknimimage makes each resource's directory with mkdir -p (xCAT 2.9.2
// xCAT-server/lib/xcat/plugins/aixinstall.pm:4033 for the lpp_source,
// :4330 and :4356 for the SPOT), so the free space that counts is dir's
// filesystem.
func WillCreate(loc, dir string) string {
	if loc == "" || path.Clean(loc) == dir {
		return ""
	}
	return fmt.Sprintf("%s does not exist yet: it will be created by mknimimage (mkdir -p), on the filesystem of %s.", path.Clean(loc), dir)
}

// FreeText reports the free space measured on the filesystem holding dir.
func FreeText(free uint64, dir string) string {
	return fmt.Sprintf("%s free on the filesystem holding %s.", FormatSize(free), dir)
}

// ShortText warns that the filesystem holding dir has less than need free:
// a warning, never a refusal (mknimimage grows filesystems when it can).
func ShortText(free uint64, dir string, need uint64) string {
	return fmt.Sprintf("only %s free on the filesystem holding %s; this plan needs about %s. mknimimage will try to grow it (chfs); if it cannot, the run stops part way.",
		FormatSize(free), dir, FormatSize(need))
}

// FreeUnknown warns that the free space for location loc could not be
// measured (err); need is what the plan needs there.
func FreeUnknown(loc string, err error, need uint64) string {
	return fmt.Sprintf("could not measure the free space for %s: %v; this plan needs about %s", loc, err, FormatSize(need))
}

// FormatSize renders bytes as "1.5 GB" / "800 MB".
func FormatSize(b uint64) string {
	const mb = 1 << 20
	const gb = 1 << 30
	if b >= gb {
		return fmt.Sprintf("%.1f GB", float64(b)/gb)
	}
	return fmt.Sprintf("%d MB", b/mb)
}
