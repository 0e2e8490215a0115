// Package wizard is what the create wizard asks and checks, in words and
// without a terminal: each step's question and explanation, its choices,
// the checks of an answer (names against NIM, image directories and free
// space on the master, attr=value) and the preview's texts, and the y/N
// question every screen asks before it changes the master. Package steps
// renders them full-screen (Bubble Tea) and ui/plain as numbered line
// prompts, the way huh gives each field a full-screen and an accessible
// rendering. Each text is written once, here; a text that names a key takes
// it as an argument ("press r" on the screen, "type r" at the prompts).
// Nothing here imports terminal code: ui/plain's import-graph test holds
// both packages to it.
package wizard

import (
	"context"

	"github.com/nimwiz/nimwiz/nim"
)

// NIM is what the wizard asks the NIM master. *nim.Client satisfies it;
// tests use nimtest.Fake.
type NIM interface {
	Osimage(ctx context.Context, name string) (nim.Osimage, error)
	ObjectsOfType(ctx context.Context, nimType string) ([]nim.Object, error)
	Resources(ctx context.Context) ([]nim.Listing, error)
	CDDevices(ctx context.Context) ([]nim.CDDevice, error)
	NameTaken(ctx context.Context, name string) (nim.Taken, error)
	XcatVersion(ctx context.Context) (nim.Version, error)
	// Objects is lsnim -l for names: the preview's pre-flight
	// (nim.CheckNamesWith), with Osimage.
	Objects(ctx context.Context, names ...string) ([]nim.Object, []string, error)
}

var _ NIM = (*nim.Client)(nil)

// Host is the NIM master's filesystem as the wizard's local checks see it
// (image directories, free space).
type Host struct {
	// Root prefixes host paths: "" on a real master; in the demo, the
	// simulated host's root directory, so that "/export/images" is looked
	// up at Root+"/export/images". Paths shown and put in the plan are
	// always the host's, without Root.
	Root string
	// FreeSpace returns the bytes available to root on the filesystem
	// holding path (already prefixed with Root). Nil means statfs
	// (FreeSpace).
	FreeSpace func(path string) (uint64, error)
}
