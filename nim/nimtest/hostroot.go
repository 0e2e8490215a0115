package nimtest

import (
	"os"
	"path/filepath"
	"testing"
)

// HostRoot makes a directory standing for the master's root filesystem
// (wizard.Host.Root, steps.Env.Root, plain.Config.Root) and writes files into it: each key a
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

// ImageDirs is a master's root with image directories of each kind aix-nim
// §5 describes (installp/ppc, flat, usr/sys/inst.images, no .toc, empty,
// a file) and /install.
func ImageDirs(t testing.TB) string {
	return HostRoot(t, map[string]string{
		"export/aix72/installp/ppc/.toc":                         "0 1911041234 2\n",
		"export/aix72/installp/ppc/bos.rte.7.2.5.0.I":            "",
		"export/aix72/installp/ppc/bos.net.tcp.client.7.2.5.0.I": "",
		"export/flat/.toc":                                       "0 1911041234 2\n",
		"export/flat/openssh.base.9.7.3013.1000.I":               "",
		"export/notoc/openssh.base.9.7.3013.1000.I":              "",
		"export/notoc/bos.rte.7.2.5.1.U":                         "",
		"export/notoc/devices.pci.bff":                           "",
		"export/old/usr/sys/inst.images/.toc":                    "0 1911041234 2\n",
		"export/old/usr/sys/inst.images/bos.rte.7.2.0.0.I":       "",
		"export/empty/README":                                    "nothing here\n",
		"export/afile":                                           "",
		"install/.keep":                                          "",
	})
}
