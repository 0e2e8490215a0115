package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// The state directory decides what nimwiz, as root, runs and overwrites:
// job records, locks, the demo's commands, the Perl module every xCAT
// client loads. So on every start, before anything runs, every directory
// nimwiz writes in must be its own (safefs.CheckPrivateDir: a directory,
// not a link, owned by the effective user, not writable by group or others;
// the sticky bit is no excuse), and every directory above the state
// directory up to / must be owned by root or the effective user and not be
// writable by others unless it has the sticky bit (safefs.CheckParents).
//
// For the defaults: /var/lib/nimwiz (root) has /var/lib and /var above it,
// root's and 0755 on AIX and Linux; $XDG_STATE_HOME/nimwiz or
// ~/.local/state/nimwiz (anyone else) has the user's own directories and
// /home above it. A sticky, world-writable parent such as /tmp passes: its
// sticky bit stops others renaming the state directory away, and the state
// directory itself must still be nimwiz's own. The state directory's path
// is resolved once here; links above it are allowed where they pass the
// same rules, links inside it never.

// Directories under the state directory that nimwiz (or, in the demo, the
// simulator it starts) writes in. jobs/ also has one directory per job.
var stateSubdirs = []string{
	"jobs", "jobs/locks", "plans", perlDir,
	"demo", "demo/bin", "demo/world",
}

// perlDir is where the live module (nim.InstallLiveModule) belongs.
const perlDir = "perl"

// checkState checks the state directory dir as above and returns its
// resolved path. Directories that do not exist yet pass: nimwiz makes them
// 0700 when it first needs them.
func checkState(dir string) (string, error) {
	real, err := safefs.CheckParents(dir)
	if err != nil {
		return "", err
	}
	private := func(p string) error {
		if err := safefs.CheckPrivateDir(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := private(real); err != nil {
		return "", err
	}
	for _, sub := range stateSubdirs {
		if err := private(filepath.Join(real, filepath.FromSlash(sub))); err != nil {
			return "", err
		}
	}
	// Each job's directory (a link there could swap a job's record).
	jobs := filepath.Join(real, "jobs")
	ents, err := os.ReadDir(jobs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %w", jobs, err)
	}
	for _, e := range ents {
		if e.IsDir() || e.Type()&fs.ModeSymlink != 0 {
			if err := private(filepath.Join(jobs, e.Name())); err != nil {
				return "", err
			}
		}
	}
	// The demo's simulated host: the simulator writes anywhere in it.
	world := filepath.Join(real, "demo", "world")
	err = filepath.WalkDir(world, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return private(p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return real, nil
}
