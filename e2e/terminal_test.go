package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// altScreen reports whether the program switched the terminal to the
// alternate screen, i.e. started the full-screen UI.
func (p *pane) altScreen() bool {
	p.t.Helper()
	return strings.TrimSpace(p.run("display-message", "-p", "-t", "0", "#{alternate_on}")) == "1"
}

// checkFits fails when a line of the screen is wider than w or the
// screen has more than h lines: nothing may be cut by the terminal.
func checkFits(t *testing.T, scr string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
	if len(lines) > h {
		t.Errorf("%d lines on a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if n := len([]rune(l)); n > w {
			t.Errorf("line %d is %d wide on a %d-column terminal: %q", i+1, n, w, l)
		}
	}
}

// TestSizes: from the minimum 60x20 to 300x100 the home screen has its
// header, its menu and its help line, and the whole create flow reaches the
// preview.
func TestSizes(t *testing.T) {
	needTmux(t)
	for _, sz := range [][2]int{{60, 20}, {80, 24}, {300, 100}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			t.Parallel()
			w, h := sz[0], sz[1]
			d := newDemo(t)
			p := d.pane(w, h, nil)
			scr := p.waitFor("ctrl+c quit", short)
			checkFits(t, scr, w, h)
			lines := strings.Split(strings.TrimRight(scr, "\n"), "\n")
			if !strings.HasPrefix(lines[0], "nimwiz - Home") || len(lines) != h || !strings.Contains(lines[h-1], "ctrl+c quit") {
				t.Errorf("header, body and help line do not fill %dx%d:\n%s", w, h, scr)
			}
			if !strings.Contains(scr, "> Create an osimage") || !strings.Contains(scr, "DEMO") {
				t.Errorf("home screen:\n%s", scr)
			}
			p.keys("Enter")
			prev := toPreview(p, answers{name: "e2e_size", source: imageDir("/export/images/7200"), stateless: true})
			checkFits(t, prev, w, h)
			if commandLine(prev) != "mknimimage -V -t diskless -r -s /export/images/7200 e2e_size" {
				t.Errorf("preview at %dx%d:\n%s", w, h, prev)
			}
			p.keys("C-c")
			if code, _ := p.waitExit(short); code != 130 {
				t.Errorf("ctrl+c: exit %d", code)
			}
		})
	}
}

// TestTooSmall: below 60x20 a message says what is needed; keys do
// nothing there; enlarging brings the same screen back with its answers.
func TestTooSmall(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(40, 10, nil, "create")
	p.waitForText("Terminal too small: 40x10. nimwiz needs at least 60x20.", short)
	p.resize(120, 40)
	p.waitFor("What should the new osimage be called?", short)
	p.waitFor(" is free: press tab or enter", short)
	p.text("e2e_small")
	p.waitFor(`"e2e_small" is free in xCAT and NIM.`, short)
	for _, sz := range [][2]int{{59, 20}, {60, 19}, {30, 40}} {
		p.resize(sz[0], sz[1])
		scr := p.waitForText(fmt.Sprintf("Terminal too small: %dx%d", sz[0], sz[1]), short)
		if !strings.Contains(strings.ReplaceAll(scr, "\n", " "), "ctrl+c") {
			t.Errorf("the message does not say how to quit:\n%s", scr)
		}
	}
	p.keys("Enter") // ignored while too small: the name step stays
	p.resize(80, 24)
	scr := p.waitFor("Name > e2e_small", short)
	if !strings.Contains(scr, "step 1 of 7: Name") {
		t.Errorf("after enlarging:\n%s", scr)
	}
	p.keys("Enter")
	p.waitFor("step 2 of 7: Source", short)
	p.keys("C-c")
	p.waitExit(short)
}

var sgrColour = regexp.MustCompile(`\x1b\[[0-9;]*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m`)

// TestNoColor: NO_COLOR=1 on a 256-colour terminal gives no colour at
// all, and every mark is still there in text ("> ", "ok:", "DEMO").
func TestNoColor(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	colour := d.pane(80, 24, []string{"TERM=screen-256color"}, "create")
	colour.waitFor(" is free: press tab or enter", short)
	if !sgrColour.MatchString(colour.screenSGR()) {
		t.Fatalf("no colour even without NO_COLOR (so the test proves nothing):\n%q", colour.screenSGR())
	}
	p := d.pane(80, 24, []string{"TERM=screen-256color", "NO_COLOR=1"}, "create")
	p.waitFor(" is free: press tab or enter", short)
	p.text("e2e_nc")
	p.waitFor(`ok: "e2e_nc" is free in xCAT and NIM.`, short)
	if m := sgrColour.FindString(p.screenSGR()); m != "" {
		t.Errorf("NO_COLOR=1: colour sequence %q on screen:\n%q", m, p.screenSGR())
	}
	scr := p.screen()
	for _, want := range []string{"DEMO - simulated NIM master", "ok: ", "Name > "} {
		if !strings.Contains(scr, want) {
			t.Errorf("NO_COLOR=1: %q is missing:\n%s", want, scr)
		}
	}
	p.keys("Escape") // the home screen isn't where create started: stays
	p.keys("C-c")
	p.waitExit(short)
}

// TestTheme: --theme light and dark pick different colours for the same
// screen; any other value is refused before anything starts.
func TestTheme(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	screens := map[string]string{}
	for _, theme := range []string{"light", "dark"} {
		p := d.pane(80, 24, []string{"TERM=screen-256color"}, "--theme", theme)
		p.waitFor("ctrl+c quit", short)
		screens[theme] = p.screenSGR()
		if !sgrColour.MatchString(screens[theme]) {
			t.Errorf("--theme %s: no colour", theme)
		}
		p.keys("C-c")
		p.waitExit(short)
	}
	if screens["light"] == screens["dark"] {
		t.Error("--theme light and dark look the same")
	}
	if code, _, errs := d.nimwiz("--theme", "blue", "list"); code != 2 || !strings.Contains(errs, "use light or dark") {
		t.Errorf("--theme blue: exit %d %q", code, errs)
	}
}

// TestTermDumb: TERM=dumb cannot draw a full-screen UI: nimwiz must switch
// to plain mode (line prompts), or at least not start the TUI and say why.
func TestTermDumb(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	// create: the plain wizard's first question, no full-screen UI.
	p := d.pane(80, 24, []string{"TERM=dumb"}, "create")
	p.waitFor("Step 1 of 7", short)
	if p.altScreen() {
		t.Errorf("TERM=dumb nimwiz create started the full-screen UI:\n%s", p.screen())
	}
	// browse: plain mode lists the osimages and says how to see one.
	p = d.pane(80, 24, []string{"TERM=dumb"}, "browse")
	code, out := p.waitExit(short)
	if code != 0 || !strings.Contains(out, "plain mode lists the osimages") || !strings.Contains(out, "aix73_full") {
		t.Errorf("TERM=dumb nimwiz browse: exit %d, %q", code, out)
	}
	d.noChanges()
}

// TestNotATerminal: the full-screen verbs refuse to start without a
// terminal on stdin or on stdout (exit 2) and point to the scriptable
// verbs; nothing runs.
func TestNotATerminal(t *testing.T) {
	needTmux(t)
	d := newDemo(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--state-dir " + d.state + " apply FILE"},
		{[]string{"home"}, "--state-dir " + d.state + " apply FILE"},
		{[]string{"create"}, "--state-dir " + d.state + " apply FILE"},
		{[]string{"create", "--from", "aix73_full"}, "--state-dir " + d.state + " apply FILE"},
		{[]string{"browse"}, "nimwiz list"},
	} {
		// stdin not a terminal (and stdout a pipe).
		cmd := exec.Command(nimwizBin, append([]string{"--demo", "--state-dir", d.state}, tc.args...)...)
		stdin, _ := os.Open(os.DevNull)
		defer stdin.Close()
		cmd.Stdin = stdin
		out, err := cmd.CombinedOutput()
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != 2 || !strings.Contains(string(out), "needs a terminal") || !strings.Contains(string(out), tc.want) {
			t.Errorf("nimwiz %v </dev/null: exit %d, %q; want 2 and %q", tc.args, code, out, tc.want)
		}
	}
	// A terminal on stdin, stdout redirected to a file.
	file := filepath.Join(d.cwd, "out.txt")
	for _, verb := range []string{"create", "browse"} {
		p := startPane(t, term{W: 80, H: 24, Dir: d.cwd}, "sh", "-c", `exec "$0" "$@" >`+file, nimwizBin, "--demo", "--state-dir", d.state, verb)
		code, scr := p.waitExit(short)
		if code != 2 || !strings.Contains(scr, "needs a terminal on stdin and stdout") {
			t.Errorf("nimwiz %s >file: exit %d\n%s", verb, code, scr)
		}
	}
	d.noChanges()
}
