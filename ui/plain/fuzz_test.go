package plain_test

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/plain"
)

// Whatever is typed, Create ends (input is finite), never panics, chooses
// Run only for a plan that validates, and Save only once the file is there.
func FuzzCreate(f *testing.F) {
	for _, s := range []string{
		lines("", "", "", "", "", "", "", "", "y"),
		lines("aix72img", "3", "1", "2", "", "2", "", "2", ""),
		lines("", "3", "2", "1", "3", "", "", "1 3", "installp_bundle=hpc_bundle", "", "1", "y"),
		lines("img1", "1", "b", "b", "", "", "", "2", "b", "", "", "", "", "3", "3", "1", "4"),
		lines("b", "bad.name", "\x1b[A", "ok", "9", "", "2", "", "0", "", "a b", "", "3", "", "1 x", "=", "", "7", "1", "n", "4"),
		"\x00\n\r\n" + strings.Repeat("?\n", 3),
	} {
		f.Add(s)
	}
	root := hostRoot(f)
	planDir := f.TempDir()
	f.Fuzz(func(t *testing.T, input string) {
		// A typed absolute (or ..) save path would write outside the
		// test's directories; the golden sessions cover typed paths.
		for _, l := range strings.Split(input, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "/") || strings.Contains(l, "..") {
				t.Skip("a path outside the test's directories")
			}
		}
		cfg := plain.Config{
			NIM:       nimtest.World(),
			Root:      root,
			FreeSpace: func(string) (uint64, error) { return 40 << 30, nil },
			In:        strings.NewReader(input),
			Out:       io.Discard,
			PlanDir:   planDir,
		}
		p, c, err := plain.Create(context.Background(), cfg, nim.Plan{})
		switch c.Action {
		case plain.ActionRun:
			if err != nil || len(p.Validate()) > 0 {
				t.Fatalf("run with err %v, problems %v", err, p.Validate())
			}
		case plain.ActionSave:
			if _, serr := os.Stat(c.Path); err != nil || serr != nil {
				t.Fatalf("save: err %v, file %v", err, serr)
			}
		case plain.ActionQuit:
			if err != nil && !errors.Is(err, plain.ErrInputEnded) {
				t.Fatalf("quit with %v", err)
			}
		}
	})
}
