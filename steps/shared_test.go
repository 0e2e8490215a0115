package steps_test

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/steps"
)

// shared.go is what ui/plain uses of the wizard's texts and checks; it must
// stay free of Bubble Tea, styles and keys, so both modes can say it.
func TestSharedIsPlain(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "shared.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if strings.Contains(path, "charmbracelet") || strings.HasSuffix(path, "/ui") {
			t.Errorf("shared.go imports %s: keep terminal code in the step files", path)
		}
	}
}

// A wrapped command line still runs as one when pasted into a shell.
func TestWrapCommand(t *testing.T) {
	argv := []string{"mknimimage", "-t", "diskless", "-r", "-s", "/export/images/7200", "aix72_stateless_full", "installp_bundle=hpc_bundle", "resolv_conf=cluster_resolv_conf"}
	got := steps.WrapCommand(argv, 40)
	for _, line := range strings.Split(got, "\n") {
		if len(line) > 40 {
			t.Errorf("line longer than 40: %q", line)
		}
	}
	joined := strings.ReplaceAll(got, " \\\n  ", " ")
	if joined != strings.Join(argv, " ") {
		t.Errorf("unwrapped %q\nwant     %q", joined, strings.Join(argv, " "))
	}
	if one := steps.WrapCommand(argv, 200); strings.Contains(one, "\n") {
		t.Errorf("wrapped although it fits: %q", one)
	}
}
