package nimtest

import (
	"os"
	"path/filepath"
	"testing"
)

// HostRoot makes a directory standing for the master's root filesystem
// (steps.Env.Root, plain.Config.Root) and writes files into it: each key a
// path under the root, each value the file's content.
func HostRoot(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
