package steps_test

import (
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
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
