package plain

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The plain prompts have no Bubble Tea screen, and neither has what they
// share with the full-screen steps (package wizard): no terminal UI package
// may be built into them (go list -deps).
func TestNoTerminalUIImported(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	for _, pkg := range []string{"github.com/nimwiz/nimwiz/ui/plain", "github.com/nimwiz/nimwiz/wizard"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range []string{"github.com/charmbracelet/bubbletea", "github.com/charmbracelet/bubbles", "github.com/charmbracelet/lipgloss", "github.com/nimwiz/nimwiz/ui", "github.com/nimwiz/nimwiz/steps"} {
				if dep == banned || strings.HasPrefix(dep, banned+"/") && !strings.HasPrefix(dep, "github.com/nimwiz/nimwiz/ui/plain") {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}
