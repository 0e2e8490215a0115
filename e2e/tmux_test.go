package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A tmux server per test: its own socket (-L), a config that keeps the pane
// after the program exits (so its last screen and exit status can be read)
// and no status line (so the pane is the whole window).

const tmuxConf = `set -g remain-on-exit on
set -g status off
set -g default-terminal screen
set -g history-limit 2000
set -g escape-time 0
`

var tmuxSeq atomic.Int64

// needTmux skips without tmux, except in CI (CI=true), where a missing
// tmux is a broken test machine: .ci/run installs it.
func needTmux(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tmux is not installed, and CI=true: the end-to-end suite must run in CI (.ci/run installs tmux)")
		}
		t.Skip("tmux is not installed: skipping the end-to-end terminal tests (apt-get install tmux to run them)")
	}
	return p
}

// pane is one program running in a tmux window.
type pane struct {
	t      *testing.T
	tmux   string
	sock   string
	conf   string
	status string // the program's exit status is written here
}

// term says how the program's terminal looks.
type term struct {
	W, H int
	Env  []string // added to the program's environment, e.g. "NO_COLOR=1"
	Dir  string   // working directory ("" = a fresh temporary one)
}

// startPane runs argv in a new tmux session of size tm.W x tm.H. TERM is
// "screen" unless tm.Env sets it: Bubble Tea's init then skips the
// background colour probe that waits for an answer (tui-bubbletea §0.6).
func startPane(t *testing.T, tm term, argv ...string) *pane {
	t.Helper()
	bin := needTmux(t)
	dir := t.TempDir()
	p := &pane{t: t, tmux: bin, sock: fmt.Sprintf("nimwiz-e2e-%d-%d", os.Getpid(), tmuxSeq.Add(1)),
		conf: filepath.Join(dir, "tmux.conf"), status: filepath.Join(dir, "status")}
	if err := os.WriteFile(p.conf, []byte(tmuxConf), 0o644); err != nil {
		t.Fatal(err)
	}
	if tm.Dir == "" {
		tm.Dir = t.TempDir()
	}
	// CI= : termenv turns colour off whenever $CI is set, and the colour
	// tests must see what an admin's terminal shows.
	env := []string{"TERM=screen", "LANG=C.UTF-8", "CI="}
	env = append(env, tm.Env...)
	// tmux 3.3 sometimes leaves its child a zombie and never reports
	// #{pane_dead_status}, so a shell (test code only) records the status.
	args := []string{"new-session", "-d", "-x", fmt.Sprint(tm.W), "-y", fmt.Sprint(tm.H), "-c", tm.Dir, "--", "env"}
	args = append(append(args, env...), "sh", "-c", `"$0" "$@"; echo "$?" > `+p.status+`.tmp && mv `+p.status+`.tmp `+p.status)
	args = append(args, argv...)
	p.run(args...)
	t.Cleanup(func() { exec.Command(p.tmux, "-L", p.sock, "kill-server").Run() })
	return p
}

func (p *pane) cmd(args ...string) *exec.Cmd {
	c := exec.Command(p.tmux, append([]string{"-L", p.sock, "-f", p.conf}, args...)...)
	// The server must not inherit the test's TMUX (a developer running the
	// tests inside tmux) nor its TERM.
	c.Env = append(os.Environ(), "TMUX=")
	return c
}

func (p *pane) run(args ...string) string {
	p.t.Helper()
	out, err := p.cmd(args...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends named keys (Enter, Escape, Down, C-c, ...).
func (p *pane) keys(k ...string) {
	p.t.Helper()
	p.run(append([]string{"send-keys", "-t", "0"}, k...)...)
}

// text types s literally.
func (p *pane) text(s string) {
	p.t.Helper()
	p.run("send-keys", "-t", "0", "-l", s)
}

// paste pastes s as a terminal does: in one piece, bracketed when the
// program asked for bracketed paste (Bubble Tea does).
func (p *pane) paste(s string) {
	p.t.Helper()
	p.run("set-buffer", "--", s)
	p.run("paste-buffer", "-p", "-d", "-t", "0")
}

// screen is what the pane shows now.
func (p *pane) screen() string {
	p.t.Helper()
	return p.run("capture-pane", "-p", "-t", "0")
}

// transcript is the whole pane, scrollback included, with line ends
// removed: what a program printed after leaving the alt screen, however
// the terminal wrapped it.
func (p *pane) transcript() string {
	p.t.Helper()
	return strings.ReplaceAll(p.run("capture-pane", "-p", "-S", "-", "-t", "0"), "\n", "")
}

// screenSGR is the screen with its colour and attribute sequences.
func (p *pane) screenSGR() string {
	p.t.Helper()
	return p.run("capture-pane", "-p", "-e", "-t", "0")
}

func (p *pane) resize(w, h int) {
	p.t.Helper()
	p.run("resize-window", "-t", "0", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}

// waitFor polls the screen every 50 ms until it matches want (a substring,
// or a *regexp.Regexp) and returns it; after timeout the test fails,
// showing the last screen.
func (p *pane) waitFor(want any, timeout time.Duration) string {
	p.t.Helper()
	match := func(s string) bool {
		switch w := want.(type) {
		case string:
			return strings.Contains(s, w)
		case *regexp.Regexp:
			return w.MatchString(s)
		}
		p.t.Fatalf("waitFor: %T is neither a string nor a regexp", want)
		return false
	}
	deadline := time.Now().Add(timeout)
	for {
		s := p.screen()
		if match(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out after %s waiting for %q; the screen:\n%s", timeout, fmt.Sprint(want), s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForText is waitFor for text the screen may wrap: runs of spaces and
// line ends count as one space on both sides.
func (p *pane) waitForText(want string, timeout time.Duration) string {
	p.t.Helper()
	words := strings.Fields(want)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return p.waitFor(regexp.MustCompile(strings.Join(words, `\s+`)), timeout)
}

// waitGone polls until the screen no longer holds s.
func (p *pane) waitGone(s string, timeout time.Duration) string {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		scr := p.screen()
		if !strings.Contains(scr, s) {
			return scr
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out after %s waiting for %q to go; the screen:\n%s", timeout, s, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitExit waits for the program to end and returns its exit status and
// everything the pane showed (see transcript).
func (p *pane) waitExit(timeout time.Duration) (int, string) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if b, err := os.ReadFile(p.status); err == nil {
			var status int
			if _, err := fmt.Sscan(string(b), &status); err != nil {
				p.t.Fatalf("exit status %q: %v", b, err)
			}
			return status, p.transcript()
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the program did not exit within %s; the screen:\n%s", timeout, p.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exited reports whether the program has ended.
func (p *pane) exited() bool {
	_, err := os.Stat(p.status)
	return err == nil
}

const (
	short = 10 * time.Second // a screen change
	long  = 30 * time.Second // a flow
)

// selectRow moves the cursor (down, wrapping is not assumed) until the row
// holding name is selected ("> name"), waiting for each move to show.
func (p *pane) selectRow(name string) {
	p.t.Helper()
	for i := 0; i < 30; i++ {
		scr := p.screen()
		if strings.Contains(scr, "> "+name) {
			return
		}
		p.keys("Down")
		deadline := time.Now().Add(short)
		for p.screen() == scr && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	p.t.Fatalf("no row %q to select:\n%s", name, p.screen())
}
