package job

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ReadTail gives the last max bytes of the log, or all of a shorter one:
// the summary and xCAT's errors are printed last.
func TestReadTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "output.log")
	body := strings.Repeat("x", 100) + "\nObject name: a\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		max  int64
		want string
	}{
		{1 << 20, body},
		{15, "Object name: a\n"},
	} {
		got, err := ReadTail(path, tc.max)
		if err != nil || string(got) != tc.want {
			t.Errorf("ReadTail(%d) = %q, %v; want %q", tc.max, got, err, tc.want)
		}
	}
	if _, err := ReadTail(filepath.Join(t.TempDir(), "none"), 10); err == nil {
		t.Error("a missing log gave no error")
	}
}
