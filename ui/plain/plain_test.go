package plain_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui/plain"
)

// The test binary also answers as the simulated NIM commands.
func TestMain(m *testing.M) { simtest.Main(m) }

// hostRoot builds a host root with image directories of each kind.
func hostRoot(t testing.TB) string {
	return nimtest.HostRoot(t, map[string]string{
		"export/aix72/installp/ppc/.toc":                         "0 1911041234 2\n",
		"export/aix72/installp/ppc/bos.rte.7.2.5.0.I":            "",
		"export/aix72/installp/ppc/bos.net.tcp.client.7.2.5.0.I": "",
		"export/notoc/openssh.base.9.7.3013.1000.I":              "",
		"export/notoc/bos.rte.7.2.5.1.U":                         "",
		"export/notoc/devices.pci.bff":                           "",
		"export/empty/README":                                    "nothing here\n",
		"export/afile":                                           "",
		"install/nim/.keep":                                      "",
	})
}

// lines joins answers, one per line.
func lines(a ...string) string { return strings.Join(a, "\n") + "\n" }

// timeout is how the real client reports a hung query.
func timeout(argv ...string) error {
	return &nim.CommandError{Result: nim.Result{Argv: argv, ExitCode: -1}, Err: fmt.Errorf("%w after 1m0s", nim.ErrTimeout)}
}

type session struct {
	cfg  plain.Config
	plan nim.Plan
	c    plain.Choice
	err  error
	out  string
}

// run feeds input to Create against f and returns the transcript with the
// plan directory written as $PLANDIR.
func run(t *testing.T, f *nimtest.Fake, start nim.Plan, input string, tune func(*plain.Config)) session {
	t.Helper()
	var out strings.Builder
	cfg := plain.Config{
		NIM:       f,
		Root:      hostRoot(t),
		FreeSpace: func(string) (uint64, error) { return 40 << 30, nil },
		In:        strings.NewReader(input),
		Out:       &out,
		Echo:      true,
		PlanDir:   t.TempDir(),
	}
	if tune != nil {
		tune(&cfg)
	}
	p, c, err := plain.Create(context.Background(), cfg, start)
	s := session{cfg: cfg, plan: p, c: c, err: err}
	s.out = strings.ReplaceAll(out.String(), cfg.PlanDir, "$PLANDIR")
	return s
}

func checkTranscript(t *testing.T, out string) {
	t.Helper()
	for i, l := range strings.Split(out, "\n") {
		if strings.ContainsRune(l, 0x1b) {
			t.Errorf("line %d has an escape sequence: %q", i+1, l)
		}
		if strings.ContainsRune(l, '\r') {
			t.Errorf("line %d has a carriage return: %q", i+1, l)
		}
	}
}

// Whole sessions, each a golden transcript.
func TestSessions(t *testing.T) {
	tests := []struct {
		name   string
		start  nim.Plan
		tune   func(*plain.Config)
		fake   func(*nimtest.Fake)
		input  string
		action plain.Action
		plan   nim.Plan // checked when Name is set
		err    error
		saved  bool // the plan file must hold plan
	}{
		{
			name:   "media_stateful_defaults",
			tune:   func(c *plain.Config) { c.Demo = true },
			input:  lines("", "", "", "", "", "", "", "", "y"),
			action: plain.ActionRun,
			plan:   nim.Plan{Name: "osimage2", Type: nim.Diskless, Source: "/dev/cd0", Location: nim.DefaultLocation},
		},
		{
			name: "directory_stateless_dump",
			input: lines("aix72img", "2",
				"/export/empty", "/export", "export/notoc", "/export/notoc",
				"2", "", "2", "", "2", ""),
			action: plain.ActionSave,
			plan:   nim.Plan{Name: "aix72img", Type: nim.Diskless, Source: "/export/notoc", Stateless: true, Location: nim.DefaultLocation, Dump: true},
			saved:  true,
		},
		{
			name: "lppsource_dataless_extras",
			input: lines("", "3", "2", "1", "3", "/data/nim", "",
				"1 3", "tmp=scratch", "home=cluster_home", "installp_bundle=hpc_bundle", "",
				"1", "y"),
			action: plain.ActionRun,
			plan: nim.Plan{Name: "osimage2", Type: nim.Dataless, Source: "7200-05-lpp_source", Location: "/data/nim",
				Extra: map[string]string{"resolv_conf": "cluster_resolv", "script": "setup_ntp", "installp_bundle": "hpc_bundle"}},
		},
		{
			name: "extras_options",
			input: lines("", "", "", "", "", "",
				"otherpkgs", "otherpkgs=I:openssh.base,X:curl", "otherpkgs=I:openssh.base,R:curl-7.9.3.rpm",
				"script=setup_ntp,mount_gpfs", "dumpsize=20", "rpm_flags=-Uvh --replacepkgs", "",
				"", "y"),
			action: plain.ActionRun,
			plan: nim.Plan{Name: "osimage2", Type: nim.Diskless, Source: "/dev/cd0", Location: nim.DefaultLocation,
				Extra: map[string]string{"otherpkgs": "I:openssh.base,R:curl-7.9.3.rpm", "script": "mount_gpfs,setup_ntp", "rpm_flags": "-Uvh --replacepkgs"}},
		},
		{
			name: "going_back",
			input: lines("img1", "1", "b", "b", "", "", "", "2", "b", "", "", "", "",
				"3", "3", "1", "4"),
			action: plain.ActionQuit,
			plan:   nim.Plan{Name: "img1", Type: nim.Diskless, Source: "/dev/cd0", Location: nim.DefaultLocation},
		},
		{
			name: "bad_input_each_step",
			input: lines("b", "bad.name", "-f", "72cosi", "master", strings.Repeat("x", 30), "\x1b[A", "ok_name",
				"9", "two", "", "2", "x", "1",
				"0", "",
				"relative/dir", "/with space", "",
				"3", "",
				"99", "1 x", "attr", "=x", "",
				"7", "1", "maybe", "n", "4"),
			action: plain.ActionQuit,
			plan:   nim.Plan{Name: "ok_name", Type: nim.Diskless, Source: "/dev/cd0", Location: nim.DefaultLocation},
		},
		{
			name:   "eof_midway",
			input:  "img1\n1\n",
			action: plain.ActionQuit,
			err:    plain.ErrInputEnded,
		},
		{
			name: "failing_query_retry",
			fake: func(f *nimtest.Fake) {
				f.FailTimes("CDDevices", 1, timeout("lsdev", "-Cc", "cdrom"))
				f.Fail("XcatVersion", errors.New("exit status 1: Connection refused"))
				f.Fail("Resources", timeout("lsnim", "-c", "resources"))
			},
			input:  lines("", "", "x", "r", "", "", "", "c", "2", "", "q"),
			action: plain.ActionQuit,
		},
		{
			name:   "from_osimage",
			tune:   func(c *plain.Config) { c.From = "72cosi" },
			input:  lines("", "", "", "", "", "", "", "", "y"),
			action: plain.ActionRun,
			plan: nim.Plan{Name: "72cosi_2", Type: nim.Diskless, Source: "7200-05-lpp_source", Stateless: true, Location: nim.DefaultLocation, Dump: true,
				Extra: map[string]string{"resolv_conf": "cluster_resolv", "installp_bundle": "hpc_bundle"}},
		},
		{
			name:  "plan_at_preview_short_space",
			start: nim.Plan{Name: "aix72", Source: "/export/aix72", Location: "/install/nim"},
			tune: func(c *plain.Config) {
				c.Preview = true
				c.FreeSpace = func(string) (uint64, error) { return 900 << 20, nil }
			},
			input:  lines("?", "2", "", "n", "", "y"),
			action: plain.ActionSave,
			plan:   nim.Plan{Name: "aix72", Type: nim.Diskless, Source: "/export/aix72", Location: nim.DefaultLocation},
			saved:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := nimtest.World()
			if tt.fake != nil {
				tt.fake(f)
			}
			tune := tt.tune
			if tt.name == "plan_at_preview_short_space" {
				// The default path exists: the admin is asked before it is replaced.
				inner := tune
				tune = func(c *plain.Config) {
					inner(c)
					if err := os.WriteFile(filepath.Join(c.PlanDir, "aix72.toml"), []byte("old\n"), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			s := run(t, f, tt.start, tt.input, tune)
			checkTranscript(t, s.out)
			golden.RequireEqual(t, []byte(s.out))
			if tt.err != nil {
				if !errors.Is(s.err, tt.err) {
					t.Fatalf("error = %v, want %v", s.err, tt.err)
				}
			} else if s.err != nil {
				t.Fatalf("error = %v", s.err)
			}
			if s.c.Action != tt.action {
				t.Fatalf("action = %v, want %v", s.c.Action, tt.action)
			}
			if tt.plan.Name != "" {
				got := s.plan.WithDefaults()
				want := tt.plan.WithDefaults()
				if len(got.Extra) == 0 && len(want.Extra) == 0 {
					got.Extra, want.Extra = nil, nil
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("plan =\n%+v\nwant\n%+v", got, want)
				}
			}
			if tt.action == plain.ActionRun {
				if probs := s.plan.Validate(); len(probs) > 0 {
					t.Fatalf("run chosen for a plan with problems: %v", probs)
				}
			}
			if tt.saved {
				want := filepath.Join(s.cfg.PlanDir, tt.plan.Name+".toml")
				if s.c.Path != want {
					t.Fatalf("saved to %q, want %q", s.c.Path, want)
				}
				back, err := nim.LoadPlan(s.c.Path)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(back.WithDefaults(), s.plan.WithDefaults()) {
					t.Fatalf("saved plan =\n%+v\nwant\n%+v", back, s.plan)
				}
			}
		})
	}
}
