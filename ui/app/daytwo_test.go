package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/run"
)

// dayTwoConfig is the browser with a host whose 71dtls SPOT holds 3 MB and
// whose disks have 10 GB free, and a run screen that records the plan.
func dayTwoConfig(t *testing.T, f *nimtest.Fake, started *[]nim.Plan) Config {
	cfg := browseConfig(f)
	cfg.Env.Root = nimtest.HostRoot(t, map[string]string{
		"install/nim/spot/71dtls/usr/lib/libc.a":            strings.Repeat("x", 3<<20),
		"install/nim/lpp_source/7100-05-lpp_source/.toc":    strings.Repeat("x", 5<<20),
		"install/nim/lpp_source/7100-05-lpp_source/bos.rte": "",
	})
	cfg.Env.FreeSpace = func(string) (uint64, error) { return 10 << 30, nil }
	cfg.OnCreate = func(p nim.Plan) tea.Cmd {
		*started = append(*started, p)
		return func() tea.Msg { return run.StartedMsg{ID: "20261204-183000-" + p.Name} }
	}
	return cfg
}

// Check: read-only findings, plainly; copy: name, -p, preview with the
// exact command and the space, then the run screen with the copy plan.
func TestDayTwoScreens(t *testing.T) {
	var started []nim.Plan
	f := nimtest.BrowseWorld()
	h := newHarness(t, dayTwoConfig(t, f, &started), 80, 24)
	h.sees("61cosi")
	h.keys("v") // 61cosi, first in the list
	h.sees("Check osimage 61cosi", "PROBLEM  spot 61cosi", "-> nim -Fo reset 61cosi", "2 problem(s).")
	h.goldenBoth(t, "01-check")
	h.keys("esc", "down", "down", "enter") // 71dtls's details
	h.sees("Used by  xCAT nodes cn01,cn02")
	h.keys("p")
	h.sees("Copy osimage 71dtls", "tab: 71dtls_u1")
	h.goldenBoth(t, "02-copy-name")
	h.keys("tab", "ctrl+p", "enter")
	h.sees("Command: mknimimage -V -t dataless -i 71dtls -p 71dtls_u1", "SPOT: 3 MB to copy")
	h.goldenBoth(t, "03-copy-preview")
	h.keys("pgdown")
	h.sees("mkdsklsnode -n -i 71dtls_u1 cn01,cn02", "rmdsklsnode -r cn01,cn02")
	h.keys("y")
	if len(started) != 1 || started[0].Kind != nim.KindCopy || started[0].From != "71dtls" || started[0].Name != "71dtls_u1" || !started[0].CopyLppSource {
		t.Fatalf("started %+v", started)
	}
	if h.m.stage != stageRun {
		t.Errorf("stage %v, want the run screen", h.m.stage)
	}
}

// A taken name is refused with the reason, and nothing starts.
func TestCopyTakenName(t *testing.T) {
	var started []nim.Plan
	h := newHarness(t, dayTwoConfig(t, nimtest.BrowseWorld(), &started), 80, 24)
	h.sees("61cosi")
	h.keys("down", "down", "p")
	h.typ("71dskls")
	h.keys("enter")
	h.sees("error: name: 71dskls is taken")
	h.keys("y")
	if len(started) != 0 {
		t.Errorf("started %+v", started)
	}
	h.keys("n")
	h.sees("Name of the copy")
	h.keys("ctrl+u")
	h.typ("bad name")
	h.keys("enter")
	h.sees("error: name:")
}

// Update from the definition: the definition changed with chdef first (so
// it records the software), the RPM warning, then the run screen.
func TestUpdateScreens(t *testing.T) {
	var started []nim.Plan
	f := nimtest.BrowseWorld()
	h := newHarness(t, dayTwoConfig(t, f, &started), 80, 24)
	h.sees("71dskls")
	h.keys("down", "u") // 71dskls: no node uses it
	h.sees("Update osimage 71dskls", "From the osimage definition", "Ad hoc, on the command line")
	h.goldenBoth(t, "01-update-source")
	h.keys("enter")
	h.sees("[ ] hpc_bundle")
	h.keys("space", "tab")
	h.typ("R:curl-7.9.3-2.aix4.3.ppc.rpm")
	h.sees("[x] hpc_bundle", "WARNING: Installing random RPM packages in a SPOT")
	h.goldenBoth(t, "02-update-software")
	h.keys("enter")
	h.sees("Step 1:  chdef -t osimage -o 71dskls installp_bundle=hpc_bundle", "Step 2:  mknimimage -V -u 71dskls")
	h.goldenBoth(t, "03-update-preview")
	h.keys("y")
	if got := f.Images["71dskls"].Get("otherpkgs"); got != "R:curl-7.9.3-2.aix4.3.ppc.rpm" {
		t.Errorf("the definition was not changed first: otherpkgs=%q", got)
	}
	if len(started) != 1 || started[0].Kind != nim.KindUpdate || started[0].Name != "71dskls" || started[0].UpdateSource() != nim.FromDefinition {
		t.Fatalf("started %+v", started)
	}
}

// Ad hoc: the definition is neither used nor changed; its software goes on
// the command line.
func TestUpdateAdHoc(t *testing.T) {
	var started []nim.Plan
	f := nimtest.BrowseWorld()
	h := newHarness(t, dayTwoConfig(t, f, &started), 80, 24)
	h.sees("71dskls")
	h.keys("down", "u", "down", "enter", "tab")
	h.typ("I:openssh.base")
	h.keys("enter")
	h.sees("Command: mknimimage -V -u 71dskls otherpkgs=I:openssh.base", "is neither used nor changed")
	h.keys("y")
	if len(started) != 1 || started[0].Extra["otherpkgs"] != "I:openssh.base" || f.Images["71dskls"].Get("otherpkgs") != "" {
		t.Fatalf("started %+v; definition %v", started, f.Images["71dskls"].Attrs)
	}
}

// An image that nodes use is refused with the nodes named; p offers the copy.
func TestUpdateRefusedInUse(t *testing.T) {
	var started []nim.Plan
	h := newHarness(t, dayTwoConfig(t, nimtest.BrowseWorld(), &started), 80, 24)
	h.sees("71dtls")
	h.keys("down", "down", "enter") // the details ask who uses it
	h.sees("Used by  xCAT nodes cn01,cn02")
	h.keys("u")
	h.sees("nimwiz does not update 71dtls", "cn01,cn02", "mknimimage -V -t dataless -i 71dtls 71dtls_u1")
	h.goldenBoth(t, "01-refused")
	h.keys("enter", "y")
	if len(started) != 0 {
		t.Fatalf("started %+v", started)
	}
	h.keys("p")
	h.sees("Copy osimage 71dtls")
}

// Without a way to start jobs the copy shows its command and says so.
func TestCopyWithoutJobs(t *testing.T) {
	var started []nim.Plan
	cfg := dayTwoConfig(t, nimtest.BrowseWorld(), &started)
	cfg.OnCreate = nil
	h := newHarness(t, cfg, 80, 24)
	h.sees("61cosi")
	h.keys("down", "p", "tab", "enter")
	h.sees("Command: mknimimage -V -t diskless -i 71dskls 71dskls_u1", "error: nimwiz cannot start jobs here")
	h.keys("y")
	if len(started) != 0 || h.m.stage != stageBrowse {
		t.Errorf("started %+v, stage %v", started, h.m.stage)
	}
}

// When the job does not start after step 1 changed the definition (here a
// job of another terminal took the name meanwhile), the run screen says
// what step 1 changed and how to put it back, not "nothing was changed".
func TestUpdateStartFailsAfterChdef(t *testing.T) {
	var started []nim.Plan
	f := nimtest.BrowseWorld()
	cfg := dayTwoConfig(t, f, &started)
	cfg.OnCreate = func(p nim.Plan) tea.Cmd {
		return func() tea.Msg {
			return run.StartFailedMsg{Err: &job.BusyError{Name: p.Name, JobID: "20261204-183000-71dskls", PID: 4242}}
		}
	}
	h := newHarness(t, cfg, 80, 24)
	h.sees("71dskls")
	h.keys("down", "u", "enter", "space", "enter") // from the definition, hpc_bundle
	h.sees("Step 1:  chdef -t osimage -o 71dskls installp_bundle=hpc_bundle")
	h.keys("y")
	h.sees("mknimimage was not started. Step 1 did run and changed the osimage definition:",
		"chdef -t osimage -o 71dskls installp_bundle=hpc_bundle",
		"put the definition back as it was:", "chdef -t osimage -o 71dskls installp_bundle=")
	if strings.Contains(h.m.View(), "nothing was changed") {
		t.Errorf("says nothing was changed:\n%s", h.m.View())
	}
	if got := f.Images["71dskls"].Get("installp_bundle"); got != "hpc_bundle" {
		t.Fatalf("installp_bundle=%q: step 1 did not run", got)
	}
}
