// Package simtest gives other packages' tests a simulated NIM master run as
// real processes: the xCAT clients are the simulator's Perl client, and the
// test binary itself answers as xcatd, lsnim, nim, lsdev and ps.
//
//	func TestMain(m *testing.M) { simtest.Main(m) }
//
//	func TestX(t *testing.T) {
//		w := simtest.New(t, simtest.SpotSeconds(0.3))
//		res, err := w.Exec.Query(ctx, "lsnim", "-t", "spot")
//	}
package simtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/sim"
	"github.com/nimwiz/nimwiz/nim"
)

// Main is for a test package's TestMain: started under a simulated
// command's name, the test binary runs that command and exits; otherwise it
// runs the tests.
func Main(m *testing.M) {
	if name := filepath.Base(os.Args[0]); sim.IsCommand(name) {
		os.Exit(sim.Main(name, os.Args[1:], os.Stdout, os.Stderr))
	}
	// Job supervisors started by the tests watch NIM settle quickly: the
	// simulator's NIM work ends in moments (the variables are the
	// supervisor's: job.SettlePollEnv, job.SettleQuietEnv).
	setDefault("NIMWIZ_SETTLE_POLL", "50ms")
	setDefault("NIMWIZ_SETTLE_QUIET", "2")
	os.Exit(m.Run())
}

func setDefault(k, v string) {
	if os.Getenv(k) == "" {
		os.Setenv(k, v)
	}
}

// World is a seeded simulated host whose commands are the Perl client and
// the test binary.
type World struct {
	Root string        // the simulated host's "/"
	Bin  string        // directory of the commands
	Exec *nim.Executor // runs the simulated commands (Dirs = Bin)
	Env  []string      // NIMWIZ_SIM_* variables the commands get
}

// Option tunes a World.
type Option func(*config)

type config struct {
	buffered     bool
	serviceNodes bool
	large        [2]int // osimages, resources (sim.SeedLarge)
	scaleSNs     int
	scaleImage   string
	env          map[string]string
	site         map[string]string
}

// Env sets one NIMWIZ_SIM_* (or other) variable for the commands.
func Env(key, value string) Option { return func(c *config) { c.env[key] = value } }

// SpotSeconds sets how long SPOT creation takes (the default here is 0.3).
func SpotSeconds(s float64) Option { return Env("NIMWIZ_SIM_SPOT_SECONDS", fmt.Sprint(s)) }

// UpdateSeconds sets how long the SPOT update takes (default 0.05 here).
func UpdateSeconds(s float64) Option { return Env("NIMWIZ_SIM_UPDATE_SECONDS", fmt.Sprint(s)) }

// Fail makes mknimimage fail in phase (lpp_source, spot, root, dump, paging,
// definition, update, password).
func Fail(phase string) Option { return Env("NIMWIZ_SIM_FAIL", phase) }

// Hang makes mknimimage hang in phase until killed.
func Hang(phase string) Option { return Env("NIMWIZ_SIM_HANG", phase) }

// HangQuery makes the named command (lsnim, lsdef, ...) hang.
func HangQuery(command string) Option { return Env("NIMWIZ_SIM_HANG_QUERY", command) }

// Garble spoils the named command's output: mode is sim.GarbleTruncated,
// GarbleGarbage, GarbleCode (an unknown 0042 error) or GarbleEmpty.
func Garble(command, mode string) Option {
	return func(c *config) {
		c.env["NIMWIZ_SIM_GARBLE_QUERY"] = command
		c.env["NIMWIZ_SIM_GARBLE"] = mode
	}
}

// Flood makes mknimimage print n extra lines fast.
func Flood(n int) Option { return Env("NIMWIZ_SIM_FLOOD", fmt.Sprint(n)) }

// XCAT makes the commands behave like that xCAT release (the default is
// 2.9.3, the last for AIX; "2.16.5" gives HEAD's behaviours).
func XCAT(version string) Option { return Env("NIMWIZ_SIM_XCAT", version) }

// Legacy makes the commands behave like xCAT 2.9.2 (no "[host]: " in errors).
func Legacy() Option { return XCAT("2.9.2") }

// Head makes the commands behave like xCAT 2.16.5: "[host]: " in errors
// and warnings, an abort that kills the plugin's whole process group.
func Head() Option { return XCAT("2.16.5") }

// Relay sets the xCAT client's relay period in seconds (the default here
// is 0: every reply handled as soon as it is read; real: 1-2 s).
func Relay(s float64) Option { return Env("NIMWIZ_SIM_RELAY_SECONDS", fmt.Sprint(s)) }

// Buffered runs the xCAT clients without nimwiz's live module, as a pipe
// gives them on a real master: their STDOUT is block-buffered. By default a
// world's executor loads the module (Executor.LiveDir), as nimwiz does.
func Buffered() Option { return func(c *config) { c.buffered = true } }

// Site sets a key of the world's site table (nimprime, master, ...).
func Site(key, value string) Option { return func(c *config) { c.site[key] = value } }

// ServiceNodes gives the world the demo's two service nodes
// (sim.SeedServiceNodes): sn01 and sn02, with drift.
func ServiceNodes() Option { return func(c *config) { c.serviceNodes = true } }

// Large seeds the world at scale (sim.SeedLarge): osimages extra
// osimages and at least resources NIM resources.
func Large(osimages, resources int) Option {
	return func(c *config) { c.large = [2]int{osimages, resources} }
}

// ServiceNodesAtScale adds n service nodes serving 32 nodes each that use
// image, each with copies of its resources (sim.SeedServiceNodesAtScale).
func ServiceNodesAtScale(n int, image string) Option {
	return func(c *config) { c.scaleSNs, c.scaleImage = n, image }
}

// New seeds a world in t.TempDir(), installs the simulated commands (the
// Perl client, and links to the test binary), and returns it. The test
// package must call Main from TestMain. When the test ends, every process
// of the world still alive (a hung plugin, a nim define an abort left
// behind) is killed.
func New(t testing.TB, opts ...Option) *World {
	t.Helper()
	c := &config{env: map[string]string{
		"NIMWIZ_SIM_SPOT_SECONDS":   "0.3",
		"NIMWIZ_SIM_UPDATE_SECONDS": "0.05",
		"NIMWIZ_SIM_ABORT_SECONDS":  "0.05",
		"NIMWIZ_SIM_RELAY_SECONDS":  "0",
	}, site: map[string]string{}}
	for _, o := range opts {
		o(c)
	}
	// Not t.TempDir: a world's server side outlives its client (as xcatd's
	// plugin does), and one that forks as it is killed may still write a
	// moment after KillAll; the directory goes once nothing writes in it.
	dir, err := os.MkdirTemp("", "simworld")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for i := 0; i < 100; i++ {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("remove the simulated world %s: %v", dir, err)
	})
	w := &World{Root: filepath.Join(dir, "world"), Bin: filepath.Join(dir, "bin")}
	seed := sim.Seed
	if c.large[0] > 0 {
		seed = func(root string) error { return sim.SeedLarge(root, c.large[0], c.large[1]) }
	}
	if err := seed(w.Root); err != nil {
		t.Fatal(err)
	}
	if c.scaleSNs > 0 {
		if err := sim.SeedServiceNodesAtScale(w.Root, c.scaleSNs, c.scaleImage); err != nil {
			t.Fatal(err)
		}
	}
	if c.serviceNodes {
		if err := sim.SeedServiceNodes(w.Root); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range c.site {
		if err := sim.SetSite(w.Root, k, v); err != nil {
			t.Fatal(err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Install(w.Bin, self); err != nil {
		t.Fatal(err)
	}
	w.Env = []string{"NIMWIZ_SIM_ROOT=" + w.Root}
	for k, v := range c.env {
		w.Env = append(w.Env, k+"="+v)
	}
	w.Exec = &nim.Executor{Dirs: []string{w.Bin}, Env: w.Env}
	if !c.buffered {
		w.Exec.LiveDir = filepath.Join(dir, "perl")
		if err := nim.InstallLiveModule(w.Exec.LiveDir); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(w.KillAll)
	return w
}

// Path maps a path of the simulated host into the real file system.
func (w *World) Path(p string) string { return filepath.Join(w.Root, filepath.FromSlash(p)) }

// Processes returns the world's live processes (what its ps lists).
func (w *World) Processes() []sim.Process {
	ps, _ := sim.Processes(w.Root)
	return ps
}

// KillAll kills (SIGKILL) every live process of the world, again for any
// that one of them started meanwhile (a plugin forks NIM's define), and
// waits (up to 10 s) until none is left, so the world's directory can go.
func (w *World) KillAll() {
	for i := 0; i < 1000; i++ {
		ps := w.Processes()
		if len(ps) == 0 {
			return
		}
		for _, p := range ps {
			_ = syscall.Kill(p.PID, syscall.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Signals returns the signal log: one line per signal a simulated command
// received ("time SIGNAME command phase pid"; the xCAT client's phase is
// "client", NIM's define's its resource type). Empty means none reached it.
func (w *World) Signals() []string {
	b, err := os.ReadFile(w.Path("/var/sim/signals.log"))
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Commands returns every command nimwiz ran in the world, oldest first:
// each its argv, command name first (an xCAT client's as xcatd logged it).
// The NIM commands xCAT's plugin ran are left out (see AllCommands). A log
// that cannot be read fails the test.
func (w *World) Commands(t testing.TB) [][]string {
	t.Helper()
	return Commands(t, w.Root)
}

// Commands reads the command log of the world rooted at root (a demo's
// <state>/demo/world, say) as argvs of the commands nimwiz ran.
func Commands(t testing.TB, root string) [][]string {
	t.Helper()
	invs, err := sim.ReadCommandLog(root)
	if err != nil {
		t.Fatalf("command log: %v", err)
	}
	var out [][]string
	for _, inv := range invs {
		if inv.By == "" {
			out = append(out, inv.Argv)
		}
	}
	return out
}

// AllCommands is Commands with the commands xCAT's plugin ran (NIM's
// defines) too.
func (w *World) AllCommands(t testing.TB) []sim.Invocation {
	t.Helper()
	invs, err := sim.ReadCommandLog(w.Root)
	if err != nil {
		t.Fatalf("command log: %v", err)
	}
	return invs
}

// Ran reports the recorded argvs whose command is name.
func Ran(cmds [][]string, name string) [][]string {
	var out [][]string
	for _, c := range cmds {
		if len(c) > 0 && c[0] == name {
			out = append(out, c)
		}
	}
	return out
}

// ReadOnly are the commands that only look: running them changes nothing.
// (nim is not here: "nim -o showres" looks, but nim -o define changes.)
var ReadOnly = map[string]bool{"lsdef": true, "lsnim": true, "lsdev": true, "lsxcatd": true, "ps": true}

// Changing returns the recorded argvs that may change the world: every
// command but the read-only ones, and nim unless it is -o showres.
func Changing(cmds [][]string) [][]string {
	var out [][]string
	for _, c := range cmds {
		if len(c) == 0 || ReadOnly[c[0]] {
			continue
		}
		if c[0] == "nim" && strings.Contains(strings.Join(c, " "), "-o showres") {
			continue
		}
		out = append(out, c)
	}
	return out
}
