package plain

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// hostPath maps a host path to where this process finds it: under root in
// the demo, as is otherwise (as steps does).
func hostPath(root, p string) string {
	if root == "" {
		return p
	}
	return filepath.Join(root, filepath.FromSlash(p))
}

// nearestExisting is the deepest existing directory on the way to p, so
// free space can be measured before mknimimage creates p.
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

// formatSize renders bytes as "1.5 GB" or "800 MB".
func formatSize(b uint64) string {
	const mb = 1 << 20
	const gb = 1 << 30
	if b >= gb {
		return fmt.Sprintf("%.1f GB", float64(b)/gb)
	}
	return fmt.Sprintf("%d MB", b/mb)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func joinPairs(m map[string]string) string {
	var out []string
	for _, k := range sortedKeys(m) {
		out = append(out, k+"="+m[k])
	}
	return strings.Join(out, ", ")
}

func sortListings(l []nim.Listing) {
	sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
}
