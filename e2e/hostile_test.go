package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/steps"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// One table of hostile and wrong input, run through (a) the plan
// validator, (b) the wizard step where a user would type it, and (c) the
// command line (nimwiz plan FILE, nimwiz --demo apply FILE --yes). Every
// case must be refused with a message naming the problem, and the
// simulator's command log must show that nothing ran.

// hostileCase is one bad input.
type hostileCase struct {
	name string
	// field is the plan field typed into the wizard: "name", "source" (the
	// image directory field), "location", "resources" (attr=value in the
	// extras step), or "" when no wizard field takes it (plan files).
	field string
	typed string // what is typed (name, path, attr=value)
	// toml is the whole plan file, when the case is about the file itself;
	// otherwise the file is a valid plan with field set to typed.
	toml []byte
	// want is in the validator's (and the command line's) message. Empty
	// means the plan is valid on paper: only the NIM master can tell
	// (host: CheckHost or CheckResources must refuse it).
	want string
	// wizard is in the wizard step's view after enter ("" = no wizard field).
	wizard string
	// host is in the pre-flight's message (CheckHost/CheckResources), for
	// the cases Validate cannot see.
	host string
	// wizardCleans: the step may take it as typed, but what it writes into
	// the plan must be valid (a path it cleans; an empty name field, whose
	// Enter takes the suggested name).
	wizardCleans bool
	// wizardOnly: an empty field the file format cannot express (an empty
	// location in a file is the default).
	wizardOnly bool
}

const valid = "name = %q\nsource = %q\nlocation = %q\n"

func hostileCases() []hostileCase {
	long := strings.Repeat("a", 45)
	return []hostileCase{
		// Names.
		{name: "name command substitution", field: "name", typed: "$(rm -rf /)", want: `contains "$" at position 1`, wizard: `contains "$" at position 1`},
		{name: "name backticks", field: "name", typed: "aix`reboot`", want: "contains \"`\"", wizard: "contains \"`\""},
		{name: "name semicolon", field: "name", typed: "aix73;reboot", want: `contains ";"`, wizard: `contains ";"`},
		{name: "name space", field: "name", typed: "aix 73", want: `contains " "`, wizard: `contains " "`},
		{name: "name dot", field: "name", typed: "aix.73", want: "may not contain dots", wizard: "may not contain dots"},
		{name: "name bang", field: "name", typed: "aix73!", want: "contains '!'", wizard: "contains '!'"},
		{name: "name option", field: "name", typed: "-f", want: "starts with '-'", wizard: "starts with '-'"},
		{name: "name 45 chars", field: "name", typed: long, want: "over NIM's limit of 39", wizard: "NIM names may have at most 39"},
		{name: "name 29 chars for lpp_source suffix", field: "name", typed: strings.Repeat("b", 29), want: "at most 28 characters", wizard: "at most 28 fit"},
		{name: "name unicode", field: "name", typed: "aïx73", want: "non-ASCII character", wizard: "non-ASCII character"},
		{name: "name empty", field: "name", typed: "", want: "name: is required", wizard: "type a name", wizardCleans: true},
		{name: "name reserved master", field: "name", typed: "master", want: "NIM object every master has", wizard: "NIM object every master has"},
		{name: "name zero", field: "name", typed: "0", want: `"0" cannot be an osimage name`, wizard: `"0" cannot be an osimage name`},
		{name: "name newline", toml: []byte("name = \"x\\ny\"\nsource = \"/dev/cd0\"\n"), want: "control character"},
		// Sources.
		{name: "source missing directory", field: "source", typed: "/export/images/nothere", wizard: "/export/images/nothere does not exist", host: "does not exist on this NIM master"},
		{name: "source is a file", field: "source", typed: "/export/images/7200/installp/ppc/.toc", wizard: "is a file, not a directory", host: "is a file, not a directory"},
		{name: "source unreadable (symlink loop)", field: "source", typed: "/export/loop", wizard: "cannot read /export/loop", host: "cannot be read"},
		{name: "source relative", field: "source", typed: "images/7200", want: "is a relative path", wizard: "type an absolute path"},
		{name: "source dot-dot", field: "source", typed: "/export/images/../images/7200", want: "not a clean path", wizardCleans: true},
		{name: "source command substitution", field: "source", typed: "/export/$(reboot)", want: `contains "$"`, wizard: `contains "$"`},
		{name: "source hostile directory that exists", field: "source", typed: "/export/img $(id)", want: "contains a space", wizard: `directory "/export/img $(id)" contains a space`},
		{name: "source newline", toml: []byte("name = \"nl\"\nsource = \"/export/images\\n/7200\"\n"), want: "control character"},
		{name: "source empty", field: "source", typed: "", want: "source: is required", wizard: "type an absolute path"},
		{name: "source cd without /dev", toml: []byte("name = \"cdx\"\nsource = \"cd0\"\n"), want: "write /dev/cd0"},
		{name: "source lpp_source NIM lacks", toml: []byte("name = \"nolpp\"\nsource = \"no_such_lpp\"\n"), host: `NIM has no resource named "no_such_lpp"`},
		{name: "source lpp_source not ready", toml: []byte("name = \"oldlpp\"\nsource = \"aix7105_lpp\"\n"), host: `aix7105_lpp is "unavailable for use"`},
		// Locations.
		{name: "location relative", field: "location", typed: "install/nim", want: "is not absolute", wizard: "type an absolute path"},
		{name: "location space", field: "location", typed: "/install/my nim", want: "contains a space", wizard: "contains a space"},
		{name: "location command substitution", field: "location", typed: "/install/$(reboot)", want: `contains "$"`, wizard: `contains "$"`},
		{name: "location unicode", field: "location", typed: "/inställ", want: "non-ASCII", wizard: "contains a non-ASCII character"},
		{name: "location root", field: "location", typed: "/", want: "straight into the root file system", wizard: "straight into the root file system"},
		{name: "location is a file", field: "location", typed: "/export/images/7200/installp/ppc/.toc", host: "not a directory", wizard: "is a file, not a directory"},
		{name: "location empty", field: "location", typed: "", wizard: "press ctrl+d for /install/nim", wizardOnly: true},
		// attr=value.
		{name: "attr unknown", field: "resources", typed: "bogus=x", want: `"bogus" is not an attribute mknimimage takes`, wizard: `"bogus" is not one of the resources`},
		{name: "attr definition only", field: "resources", typed: "image_data=id", want: "mknimimage does not take image_data", wizard: `"image_data" is not one of the resources`},
		{name: "attr option shell", field: "resources", typed: "otherpkgs=R:a;reboot.rpm", want: `contains ";"`, wizard: `contains ";"`},
		{name: "attr option prefix", field: "resources", typed: "otherpkgs=X:foo", want: `has the prefix "X:"`, wizard: `has the prefix "X:"`},
		{name: "attr flags not flags", field: "resources", typed: "rpm_flags=-Uvh `reboot`", want: "which is not a flag", wizard: "which is not a flag"},
		{name: "attr flags split", field: "resources", typed: "installp_flags=-agX -Y", want: "has a blank", wizard: "has a blank"},
		{name: "attr synclists missing", field: "resources", typed: "synclists=/install/nothere", host: "/install/nothere does not exist on this NIM master", wizard: "/install/nothere does not exist on this NIM master"},
		{name: "attr missing =", field: "resources", typed: "resolv_conf", toml: []byte("name = \"x1\"\nsource = \"/dev/cd0\"\n[resources]\nresolv_conf\n"), want: "line 4", wizard: "Type resolv_conf=NAME"}, // the step explains the attribute
		{name: "attr empty value", field: "resources", typed: "resolv_conf=", want: "is empty: give the name of an existing NIM resolv_conf", wizard: "removed every resolv_conf"},                            // in the step, attr= removes (as in plain mode)
		{name: "attr hostile value", field: "resources", typed: "resolv_conf=$(reboot)", want: `contains "$"`, wizard: `contains "$"`},
		{name: "attr resource NIM lacks", field: "resources", typed: "resolv_conf=no_such", wizard: `NIM has no resolv_conf resource named "no_such"`, host: `NIM has no resource named "no_such"`},
		{name: "attr resource of another type", field: "resources", typed: "resolv_conf=cluster_home", wizard: `NIM has no resolv_conf resource named "cluster_home"`, host: `"cluster_home" is a NIM home, not a resolv_conf`},
		// Plan files.
		{name: "file empty", toml: []byte{}, want: "is empty"},
		{name: "file comments only", toml: []byte("# nothing\n"), want: "has no settings"},
		{name: "file binary", toml: []byte("\x7fELF\x02\x01\x01\x00\x00"), want: "is binary"},
		{name: "file not UTF-8", toml: []byte("name = \"\xff\xfe\"\n"), want: "is not UTF-8"},
		{name: "file huge", toml: append([]byte("name = \"big\"\n# "), make([]byte, nim.MaxPlanFileSize)...), want: "may be at most"},
		{name: "file unknown key", toml: []byte("name = \"u1\"\nsource = \"/dev/cd0\"\nsharedroot = true\n"), want: "unknown key"},
		{name: "file wrong types", toml: []byte("name = 73\nsource = \"/dev/cd0\"\nstateless = \"yes\"\n"), want: "must be a quoted string"},
		{name: "file syntax error", toml: []byte("name = \"x\"\nsource = /dev/cd0\n"), want: "line 2"},
		{name: "file type standalone", toml: []byte("name = \"st\"\nsource = \"/dev/cd0\"\ntype = \"standalone\"\n"), want: "nimnodeset"},
		{name: "file dataless stateless", toml: []byte("name = \"dls\"\nsource = \"/dev/cd0\"\ntype = \"dataless\"\nstateless = true\n"), want: "only valid for diskless"},
	}
}

// planText is the case's plan file: its own bytes, or a valid plan with
// the field set to what was typed.
func (c hostileCase) planText() []byte {
	if c.toml != nil {
		return c.toml
	}
	p := nim.Plan{Name: "hostile", Source: "/dev/cd0", Location: nim.DefaultLocation}
	switch c.field {
	case "name":
		p.Name = c.typed
	case "source":
		p.Source = c.typed
	case "location":
		p.Location = c.typed
	case "resources":
		attr, val, _ := strings.Cut(c.typed, "=")
		p.Extra = map[string]string{attr: val}
	}
	b, err := p.TOML()
	if err != nil {
		panic(err)
	}
	return b
}

// hostileWorld adds what the cases need to a seeded host root: a symlink
// loop, and an image directory whose name holds shell characters.
func hostileWorld(t *testing.T, root string) {
	t.Helper()
	if err := os.Symlink("loop", filepath.Join(root, "export", "loop")); err != nil && !errors.Is(err, os.ErrExist) {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "export", "img $(id)")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".toc"), []byte("0 1911041234 2\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bos.rte.7.3.2.0.I"), []byte("x"), 0o644)
}

// (a) The validator: ParsePlan, then Validate, then the pre-flight checks.
func TestHostileValidator(t *testing.T) {
	w := newWorld(t)
	hostileWorld(t, w.Root)
	w.Exec.Timeout = 20 * time.Second
	client := nim.NewClient(w.Exec)
	for _, c := range hostileCases() {
		if c.wizardOnly {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			p, err := nim.ParsePlan(c.planText())
			var probs []nim.Problem
			if err != nil {
				var pe *nim.PlanFileError
				if !errors.As(err, &pe) {
					t.Fatalf("ParsePlan: %v is not a *PlanFileError", err)
				}
				probs = pe.Problems
			} else {
				probs = p.Validate()
			}
			msg := fmt.Sprint(probs)
			switch {
			case c.want != "":
				if len(probs) == 0 || !strings.Contains(msg, c.want) {
					t.Errorf("problems %v; want one saying %q", probs, c.want)
				}
			case len(probs) > 0 && c.host != "":
				t.Errorf("Validate refused a plan only the NIM master can judge: %v", probs)
			}
			if c.host == "" || len(probs) > 0 {
				return
			}
			hp := p.CheckHost(w.Root)
			rp, err := client.CheckResources(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if all := fmt.Sprint(append(hp, rp...)); !strings.Contains(all, c.host) {
				t.Errorf("pre-flight: %s; want %q", all, c.host)
			}
		})
	}
	if ch := simtest.Changing(w.Commands(t)); len(ch) > 0 {
		t.Errorf("the validator ran %q", ch)
	}
}

// (b) The wizard: each case typed into its step, driven through Update
// with a real client over the simulator.
func TestHostileWizard(t *testing.T) {
	w := newWorld(t)
	hostileWorld(t, w.Root)
	w.Exec.Timeout = 20 * time.Second
	env := steps.Env{NIM: nim.NewClient(w.Exec), Root: w.Root}
	for _, c := range hostileCases() {
		if c.field == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			var s steps.Step
			var nav []string
			switch c.field {
			case "name":
				s = steps.NewName(ui.NewCommon(), env)
			case "source":
				s, nav = steps.NewSource(ui.NewCommon(), env), []string{"down", "enter", "ctrl+u"}
			case "location":
				s, nav = steps.NewLocation(ui.NewCommon(), env), []string{"ctrl+u"}
			case "resources":
				s, nav = steps.NewExtras(ui.NewCommon(), env), []string{"tab"}
			}
			took := false
			d := &uitest.Driver{TB: t, Update: func(msg tea.Msg) tea.Cmd {
				if _, ok := msg.(steps.NextMsg); ok {
					took = true
					return nil
				}
				return s.Update(msg)
			}}
			s.SetSize(100, 30)
			plan := nim.Plan{Name: "hostile", Source: "/dev/cd0"}.WithDefaults()
			if c.field == "source" {
				plan.Source = "" // the step starts at the kinds
			}
			d.Run(s.Enter(plan))
			if c.field == "name" {
				d.Keys("ctrl+u")
			}
			d.Keys(nav...)
			if c.typed != "" {
				// Pasted: one edit, one NIM check (typing would check
				// each prefix).
				d.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(c.typed), Paste: true})
			}
			d.Keys("enter")
			view := s.View()
			after := s.Apply(plan)
			accepted := took
			if c.field == "resources" {
				accepted = len(after.Extra) > 0
			}
			if accepted && c.wizardCleans {
				if probs := after.Validate(); len(probs) > 0 {
					t.Errorf("the %s step took %q and wrote an invalid plan: %v", c.field, c.typed, probs)
				}
				return
			}
			if accepted {
				t.Fatalf("the %s step accepted %q:\n%s", c.field, c.typed, view)
			}
			if !strings.Contains(strings.Join(strings.Fields(view), " "), c.wizard) {
				t.Errorf("the %s step does not say %q:\n%s", c.field, c.wizard, view)
			}
		})
	}
	cmds := w.Commands(t)
	if ch := simtest.Changing(cmds); len(ch) > 0 {
		t.Errorf("the wizard ran %q", ch)
	}
	if len(cmds) == 0 {
		t.Error("no query ran at all: the steps did not reach the simulator")
	}
}

// (c) The command line: nimwiz plan FILE and nimwiz --demo apply FILE
// --yes exit 2, say why, and run nothing (apply's pre-flight may query).
func TestHostileCommandLine(t *testing.T) {
	d := newDemo(t)
	if code, _, errs := d.nimwiz("list"); code != 0 { // seeds the world
		t.Fatalf("list: %d %s", code, errs)
	}
	hostileWorld(t, d.world())
	for i, c := range hostileCases() {
		if c.wizardOnly {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(d.cwd, fmt.Sprintf("case%d.toml", i))
			if err := os.WriteFile(file, c.planText(), 0o600); err != nil {
				t.Fatal(err)
			}
			before := len(d.commands())
			code, out, errs := d.nimwiz("plan", file)
			switch {
			case c.want != "":
				if code != 2 || out != "" || !strings.Contains(errs, c.want) {
					t.Errorf("nimwiz plan: exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errs, c.want)
				}
			case code != 0:
				t.Errorf("nimwiz plan refused a plan valid on paper: %d %s", code, errs)
			}
			// Valid on paper: apply's pre-flight (nim.Plan.CheckHost,
			// nim.Client.CheckResources) must refuse it.
			code, out, errs = d.nimwiz("apply", file, "--yes")
			want := c.want
			if want == "" {
				want = c.host
			}
			if code != 2 || !strings.Contains(errs, want) || !strings.Contains(errs, "nothing was run") && !strings.Contains(errs, "apply:") {
				t.Errorf("nimwiz apply: exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errs, want)
			}
			if after := d.commands()[before:]; len(simtest.Changing(after)) > 0 {
				t.Errorf("commands ran: %q", after)
			}
		})
	}
	if mk := simtest.Ran(d.commands(), "mknimimage"); len(mk) > 0 {
		t.Errorf("mknimimage ran: %q", mk)
	}
	if jobs, _ := os.ReadDir(filepath.Join(d.state, "jobs")); len(jobs) > 1 { // locks/ only
		t.Errorf("jobs were recorded: %v", jobs)
	}
}
