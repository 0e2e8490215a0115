package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// Without a terminal the wizard must not start: exit 2, pointing to apply.
func TestWizardNeedsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for _, tc := range []struct {
		name  string
		args  []string
		stdin io.Reader
	}{
		{"create from a reader", []string{"create"}, strings.NewReader("")},
		{"create from a pipe", []string{"create"}, r},
		{"create --from from a pipe", []string{"create", "--from", "72cosi"}, r},
		{"bare nimwiz", nil, r},
		{"home", []string{"home"}, r},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"--state-dir", t.TempDir()}, tc.args...)
			code := run(args, tc.stdin, &stdout, &stderr)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %q", code, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), "needs a terminal") || !strings.Contains(stderr.String(), "nimwiz --state-dir ") || !strings.Contains(stderr.String(), " apply FILE") {
				t.Errorf("stderr %q", stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q", stdout.String())
			}
		})
	}
}

func TestCreateBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"create", "--from", "a", "--plan", "b"},
		{"create", "extra"},
		{"create", "--nosuch"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"--state-dir", t.TempDir()}, args...), strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}
