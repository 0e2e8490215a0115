package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// demo is one demo state directory and the working directory nimwiz runs in.
type demo struct {
	t          *testing.T
	state, cwd string
}

func newDemo(t *testing.T) *demo {
	return &demo{t: t, state: t.TempDir(), cwd: t.TempDir()}
}

// world is the demo's simulated host root.
func (d *demo) world() string { return filepath.Join(d.state, "demo", "world") }

// commands is every NIM/xCAT command the demo ran so far.
func (d *demo) commands() [][]string { return simtest.Commands(d.t, d.world()) }

// noChanges fails the test if anything but a read-only query ran.
func (d *demo) noChanges() {
	d.t.Helper()
	if ch := simtest.Changing(d.commands()); len(ch) > 0 {
		d.t.Errorf("commands that change the NIM master ran: %q", ch)
	}
}

// nimwiz runs the binary on the command line (no terminal) in the demo.
func (d *demo) nimwiz(args ...string) (int, string, string) {
	d.t.Helper()
	cmd := exec.Command(nimwizBin, append([]string{"--demo", "--state-dir", d.state}, args...)...)
	cmd.Dir = d.cwd
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		d.t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// pane starts nimwiz --demo ARGS in tmux at w x h.
func (d *demo) pane(w, h int, env []string, args ...string) *pane {
	d.t.Helper()
	return startPane(d.t, term{W: w, H: h, Env: env, Dir: d.cwd}, append([]string{nimwizBin, "--demo", "--state-dir", d.state}, args...)...)
}

// wizard answers, the way a user types them.
type answers struct {
	name      string
	source    func(p *pane) // picks the source on the source step
	stateless bool
}

func media(p *pane) {
	p.keys("Enter") // product media is the first kind
	p.waitFor("> /dev/cd0", short)
	p.keys("Enter")
	declineReuse(p)
}

// declineReuse answers no when the source step offers an lpp_source at
// the level of the media or directory chosen (the demo has aix7302_lpp and
// aix7205_lpp at the levels of its disc and of /export/images/7200).
func declineReuse(p *pane) {
	scr := p.waitFor(regexp.MustCompile(`Reuse it instead|step 3 of 7`), short)
	if strings.Contains(scr, "Reuse it instead") {
		p.keys("n")
	}
}

func imageDir(dir string) func(*pane) {
	return func(p *pane) {
		p.keys("Down", "Enter")
		p.waitFor("Directory >", short)
		p.keys("C-u")
		p.text(dir)
		p.waitFor("ok: installp images", short)
		p.keys("Enter")
		declineReuse(p)
	}
}

func lppSource(name string) func(*pane) {
	return func(p *pane) {
		p.keys("Down", "Down", "Enter")
		p.waitFor(name, short)
		p.selectRow(name)
		p.keys("Enter")
	}
}

// commandLine is the preview's command line as a shell reads it: lines
// ending in " \\" continue on the next.
func commandLine(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "mknimimage ") {
			continue
		}
		cmd := strings.TrimSpace(l)
		for _, next := range lines[i+1:] {
			if !strings.HasSuffix(cmd, " \\") {
				break
			}
			cmd = strings.TrimSuffix(cmd, "\\") + strings.TrimSpace(next)
		}
		return cmd
	}
	return ""
}

// toPreview drives the wizard from the name step to the preview.
func toPreview(p *pane, a answers) string {
	p.t.Helper()
	p.waitFor("What should the new osimage be called?", short)
	p.waitFor(" is free: press tab or enter to use it", short) // the suggestion, as ghost text
	p.text(a.name)
	p.waitFor(`"`+a.name+`" is free in xCAT and NIM.`, short)
	p.keys("Enter")

	p.waitFor("Where should the AIX software come from?", short)
	a.source(p)

	p.waitFor("step 3 of 7: Node type", short)
	if a.stateless {
		p.keys("Down")
		p.waitFor("> Diskless, stateless", short)
	}
	p.keys("Enter")

	p.waitFor("Where should the new NIM resources live?", short)
	p.waitFor("free on the filesystem holding", short)
	p.keys("Enter")

	p.waitFor("step 5 of 7: Dump", short)
	p.waitFor("> No, no dump resource", short)
	p.waitFor("dump resources are supported", short)
	p.keys("Enter")

	p.waitFor("Add existing NIM resources and options?", short)
	p.waitFor("cluster_resolv_conf", short)
	p.keys("Enter")
	return p.waitFor("Review the plan. Nothing has been changed", short)
}

func TestCreateFlows(t *testing.T) {
	needTmux(t)
	for _, tc := range []struct {
		name    string
		a       answers
		command string
		plan    nim.Plan
	}{
		{"media stateful", answers{name: "e2e_cd", source: media},
			"mknimimage -V -t diskless -s /dev/cd0 e2e_cd",
			nim.Plan{Name: "e2e_cd", Type: nim.Diskless, Source: "/dev/cd0"}},
		{"media stateless", answers{name: "e2e_cdsl", source: media, stateless: true},
			"mknimimage -V -t diskless -r -s /dev/cd0 e2e_cdsl",
			nim.Plan{Name: "e2e_cdsl", Type: nim.Diskless, Source: "/dev/cd0", Stateless: true}},
		{"directory stateful", answers{name: "e2e_dir", source: imageDir("/export/images/7200")},
			"mknimimage -V -t diskless -s /export/images/7200 e2e_dir",
			nim.Plan{Name: "e2e_dir", Type: nim.Diskless, Source: "/export/images/7200"}},
		{"directory stateless", answers{name: "e2e_dirsl", source: imageDir("/export/images/7200"), stateless: true},
			"mknimimage -V -t diskless -r -s /export/images/7200 e2e_dirsl",
			nim.Plan{Name: "e2e_dirsl", Type: nim.Diskless, Source: "/export/images/7200", Stateless: true}},
		{"lpp_source stateful", answers{name: "e2e_lpp", source: lppSource("aix7302_lpp")},
			"mknimimage -V -t diskless -s aix7302_lpp e2e_lpp",
			nim.Plan{Name: "e2e_lpp", Type: nim.Diskless, Source: "aix7302_lpp"}},
		{"lpp_source stateless", answers{name: "e2e_lppsl", source: lppSource("aix7302_lpp"), stateless: true},
			"mknimimage -V -t diskless -r -s aix7302_lpp e2e_lppsl",
			nim.Plan{Name: "e2e_lppsl", Type: nim.Diskless, Source: "aix7302_lpp", Stateless: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newDemo(t)
			p := d.pane(120, 40, nil, "create")
			prev := toPreview(p, tc.a)
			if got := commandLine(prev); got != tc.command {
				t.Fatalf("the preview lacks the command line %q:\n%s", tc.command, prev)
			}
			p.keys("s")
			want := filepath.Join(d.cwd, tc.a.name+".toml")
			p.waitFor("Save plan to > "+want, short)
			p.keys("Enter")
			// Saving stays in the wizard, with the command to run it.
			p.waitFor("ok: saved the plan to "+want, short)
			p.waitFor("nimwiz --demo --state-dir "+d.state+" apply", short)
			p.keys("C-c")
			code, scr := p.waitExit(short)
			if code != 0 || !strings.Contains(scr, "The plan is ready: run `nimwiz --demo --state-dir "+d.state+" apply "+want+"`") {
				t.Fatalf("exit %d:\n%s", code, scr)
			}
			got, err := nim.LoadPlan(want)
			if err != nil {
				t.Fatal(err)
			}
			if probs := got.Validate(); len(probs) > 0 {
				t.Errorf("the saved plan is not valid: %v", probs)
			}
			got, tc.plan = got.WithDefaults(), tc.plan.WithDefaults()
			if got.CommandLine() != tc.command || got.Name != tc.plan.Name || got.Source != tc.plan.Source ||
				got.Stateless != tc.plan.Stateless || got.Type != tc.plan.Type || got.Location != tc.plan.Location || got.Dump || len(got.Extra) != 0 {
				t.Errorf("saved plan %+v, want %+v", got, tc.plan)
			}
			// nimwiz plan agrees, and nothing ran.
			code, out, errs := d.nimwiz("plan", want)
			if code != 0 || !strings.Contains(out, "  "+tc.command+"\n") {
				t.Errorf("nimwiz plan: exit %d\n%s%s", code, out, errs)
			}
			if n := simtest.Ran(d.commands(), "mknimimage"); len(n) > 0 {
				t.Errorf("mknimimage ran: %q", n)
			}
			d.noChanges()
			os.Remove(want)
		})
	}
}

// TestCreateFrom prefills every step from an existing osimage: the name
// step suggests a free name, and enter through every step reaches a
// preview that re-creates aix73_full (stateless, dump, its extras).
func TestCreateFrom(t *testing.T) {
	t.Parallel()
	d := newDemo(t)
	p := d.pane(120, 40, nil, "create", "--from", "aix73_full")
	p.waitFor("aix73_full_2 is free: press tab or enter", short)
	p.keys("Enter")
	p.waitFor("* Existing lpp_source", short)
	p.waitFor("> aix7302_lpp", short)
	p.keys("Enter")
	p.waitFor("> Diskless, stateless", short)
	p.keys("Enter")
	p.waitFor("free on the filesystem holding", short)
	p.keys("Enter")
	p.waitFor("> Yes, create NAME_dump", short)
	p.waitFor("dump resources are supported", short)
	p.keys("Enter")
	p.waitFor("[x] resolv_conf", short)
	p.keys("Enter")
	scr := p.waitFor("Review the plan", short)
	// Every attribute is kept, configdump=selective too (the case).
	want := "mknimimage -V -t diskless -r -D -s aix7302_lpp aix73_full_2 configdump=selective home=cluster_home installp_bundle=base_bnd resolv_conf=cluster_resolv_conf script=postinstall_script tmp=cluster_tmp"
	if commandLine(scr) != want {
		t.Fatalf("preview:\n%s", scr)
	}
	p.keys("C-c")
	if code, _ := p.waitExit(short); code != 130 {
		t.Errorf("ctrl+c: exit %d, want 130", code)
	}
	d.noChanges()
}
