package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// world is a seeded simulated host for in-process tests.
type world struct {
	t    *testing.T
	root string
	env  []string
}

func newWorld(t *testing.T, env ...string) *world {
	t.Helper()
	root := t.TempDir()
	if err := Seed(root); err != nil {
		t.Fatal(err)
	}
	// These format tests pin HEAD's format ("[host]: " before errors and
	// warnings); the tests of the default release (2.9.3) say so.
	base := []string{"NIMWIZ_SIM_ROOT=" + root, "NIMWIZ_SIM_SPOT_SECONDS=0.05", "NIMWIZ_SIM_UPDATE_SECONDS=0.01", "NIMWIZ_SIM_LPP_SECONDS=0.01",
		"NIMWIZ_SIM_XCAT=2.16.5"}
	return &world{t: t, root: root, env: append(base, env...)}
}

type result struct {
	out, err string
	rc       int
}

func (w *world) run(name string, args ...string) result {
	w.t.Helper()
	var o, e bytes.Buffer
	rc := Run(name, args, w.env, &o, &e)
	return result{o.String(), e.String(), rc}
}

func (w *world) with(env ...string) *world {
	return &world{t: w.t, root: w.root, env: append(append([]string{}, w.env...), env...)}
}

func (w *world) state() *State {
	w.t.Helper()
	s, err := store{root: w.root}.View()
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *world) exists(p string) bool {
	_, err := os.Stat(filepath.Join(w.root, p))
	return err == nil
}

func check(t *testing.T, what string, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

const summaryHead = "The following xCAT osimage definition was created. Use the xCAT lsdef command \n" +
	"to view the xCAT definition and the AIX lsnim command to view the individual \n" +
	"NIM resources that are included in this definition.\n\n"

func TestMknimimageFreshStatelessFromCD(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-t", "diskless", "-r", "-D", "-s", "/dev/cd0", "img1")
	want := "Creating a NIM lpp_source resource called 'img1_lpp_source'.  This could take a while.\n\n" +
		"Creating a NIM SPOT resource. This could take a while.\n\n" +
		"Updating the NIM spot resource named 'img1'. This could take a while.\n\n" +
		summaryHead +
		"Object name: img1\n" +
		"\tdump=img1_dump\n\timagetype=NIM\n\tlpp_source=img1_lpp_source\n\tnimtype=diskless\n" +
		"\tosname=AIX\n\tpaging=img1_paging\n\tshared_root=img1_shared_root\n\tspot=img1\n"
	check(t, "stdout", r.out, want)
	check(t, "stderr", r.err, "")
	if r.rc != 0 {
		t.Errorf("rc = %d", r.rc)
	}
	s := w.state()
	spot := s.Object("img1")
	if spot == nil || spot.Get("Rstate") != "ready for use" || !spot.Complete {
		t.Fatalf("SPOT after a full run: %+v", spot)
	}
	check(t, "spot location", spot.Get("location"), "/install/nim/spot/img1/usr")
	if !w.exists("/install/nim/spot/img1/usr/lib/boot/unix_64") || !w.exists("/install/nim/lpp_source/img1_lpp_source/installp/ppc/.toc") {
		t.Error("SPOT or lpp_source files missing")
	}
	if s.Object("img1_shared_root").Get("spot") != "img1" {
		t.Error("shared_root does not name its SPOT")
	}
	if d := s.Osimage("img1"); d == nil || d.Attrs["shared_root"] != "img1_shared_root" || d.Attrs["nimtype"] != "diskless" {
		t.Errorf("definition = %+v", d)
	}
}

func TestMknimimageDatalessNoPaging(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-t", "dataless", "-s", "aix7302_lpp", "dl1")
	// An existing lpp_source named by -s is used silently.
	want := "Creating a NIM SPOT resource. This could take a while.\n\n" +
		"Updating the NIM spot resource named 'dl1'. This could take a while.\n\n" +
		summaryHead + "Object name: dl1\n" +
		"\timagetype=NIM\n\tlpp_source=aix7302_lpp\n\tnimtype=dataless\n\tosname=AIX\n\troot=dl1_root\n\tspot=dl1\n"
	check(t, "stdout", r.out, want)
	if r.rc != 0 || r.err != "" {
		t.Errorf("rc %d stderr %q", r.rc, r.err)
	}
}

func TestMknimimageNoOpensshWarnings(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-t", "diskless", "-s", "/export/images/7300_notoc", "img2")
	// Nothing found: one warning, and no cp to fail (aixinstall.pm 2.9.2
	// L4108-4130: a cp per line find printed).
	check(t, "stderr", r.err, "Warning: [xcatmn]: Could not find openssh file sets in source location.\n\n")
	if r.rc != 0 {
		t.Errorf("warnings must not fail the run: rc %d", r.rc)
	}
	if !strings.Contains(r.out, "\troot=img2_root\n") {
		t.Errorf("stateful image without root: %q", r.out)
	}
	legacy := newWorld(t, "NIMWIZ_SIM_XCAT=2.9.2").run("mknimimage", "-t", "diskless", "-s", "/export/images/7300_notoc", "img2")
	if !strings.HasPrefix(legacy.err, "Warning: Could not find openssh") {
		t.Errorf("2.9.2 warnings have no server prefix: %q", legacy.err)
	}
}

func TestMknimimageReusesExisting(t *testing.T) {
	w := newWorld(t)
	if r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "img3"); r.rc != 0 {
		t.Fatalf("first run: %+v", r)
	}
	r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "img3")
	check(t, "without -f", r.err, "Error: [xcatmn]: The osimage definition 'img3' already exists.\n\nError: [xcatmn]: Return=1.\n")
	if r.rc != 1 || r.out != "" {
		t.Errorf("rc %d stdout %q", r.rc, r.out)
	}
	r = w.run("mknimimage", "-f", "-t", "diskless", "-s", "/dev/cd0", "img3")
	want := "Using the existing lpp_source named 'img3_lpp_source'\n\n" + // sic: no period
		"Using the existing SPOT named 'img3'.\n\n" +
		"Using existing root resource named 'img3_root'.\n\n" +
		"Using existing paging resource named 'img3_paging'.\n\n" +
		"Updating the NIM spot resource named 'img3'. This could take a while.\n\n"
	if !strings.HasPrefix(r.out, want) || r.rc != 0 {
		t.Errorf("with -f: rc %d\n got %q\nwant prefix %q", r.rc, r.out, want)
	}
	lw := newWorld(t, "NIMWIZ_SIM_XCAT=2.9.2")
	lr := lw.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "aix73_full")
	check(t, "2.9.2 error", lr.err, "Error: The osimage definition 'aix73_full' already exists.\n\nError: Return=1.\n")
}

func TestMknimimageArgumentErrors(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "img4", "=x")
	check(t, "bad pair", r.err, "Error: [xcatmn]: Incorrect 'attr=val' pair - =x\n\nError: [xcatmn]: Return=3.\n")
	if r.rc != 3 {
		t.Errorf("bad pair rc = %d, want 3", r.rc)
	}
	for _, args := range [][]string{{"--bogus"}, {"-h"}, {}, {"-Z", "img"}} {
		r = w.run("mknimimage", args...)
		if r.rc != 0 || !strings.Contains(r.out, "  mknimimage - Use this xCAT command to create xCAT osimage definitions \n\t\tand related AIX/NIM resources.") || r.err != "" {
			t.Errorf("mknimimage %v: rc %d out %q err %q", args, r.rc, r.out, r.err)
		}
	}
	r = w.run("mknimimage", "-t", "dataless", "-r", "-s", "/dev/cd0", "img5")
	if r.rc != 1 || !strings.HasPrefix(r.err, "Error: [xcatmn]: The '-r' option is only valid for diskless images.\n\n") {
		t.Errorf("-r on dataless: %+v", r)
	}
	r = w.run("mknimimage", "-t", "diskless", "img6")
	if r.rc != 1 || !strings.HasPrefix(r.err, "Error: [xcatmn]: The image name and either the -s or -i option are required.\n\n") {
		t.Errorf("no -s: %+v", r)
	}
	r = w.run("mknimimage", "-t", "diskless", "-s", "/nowhere", "img7")
	check(t, "missing source", r.err, "Error: [xcatmn]: '/nowhere' is not a source directory or the name of a NIM lpp_source resource.\n\n"+
		"Error: [xcatmn]: Could not create lpp_source definition.\n\nError: [xcatmn]: Return=1.\n")
	if v := w.run("mknimimage", "-v"); !strings.HasPrefix(v.out, "mknimimage Version 2.16.5 (git commit ") {
		t.Errorf("-v: %q", v.out)
	}
	if v := w.with("NIMWIZ_SIM_XCAT=").run("mknimimage", "-v"); v.out != "mknimimage Version 2.9.3 (git commit 0cee1dd415313980d797c31132ae8acf6f0b58dc, built Fri Mar  4 01:32:17 EST 2016)\n\n" {
		t.Errorf("-v of the default release: %q", v.out)
	}
	// Bundled options and attributes after the name work as with Getopt::Long bundling.
	r = w.run("mknimimage", "-VrD", "-tdiskless", "-s", "/dev/cd0", "img8", "resolv_conf=cluster_resolv_conf", "max_dumps=2")
	if r.rc != 0 || !strings.Contains(r.out, "\tresolv_conf=cluster_resolv_conf\n") || strings.Contains(r.out, "\tmax_dumps") {
		t.Errorf("bundled: rc %d out %q", r.rc, r.out)
	}
	if w.state().Object("img8_dump").Get("max_dumps") != "2" {
		t.Error("dump attributes not passed to NIM")
	}
}

func TestMknimimageLocationQuirks(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-t", "diskless", "-D", "-l", "/data/nim/", "-s", "/export/images/7200", "img9")
	if r.rc != 0 {
		t.Fatalf("%+v", r)
	}
	s := w.state()
	for name, want := range map[string]string{
		"img9_lpp_source": "/data/nim/lpp_source/img9_lpp_source",
		"img9":            "/data/nim/spot/img9/usr",
		"img9_root":       "/data/nim/root/img9_root",
		"img9_paging":     "/data/nim/paging/img9_paging",
		"img9_dump":       "/data/nim", // sic: with -l the dump resource is the -l directory itself
	} {
		check(t, name+" location", s.Object(name).Get("location"), want)
	}
	if s.Object("img9").Get("oslevel_r") != "7200-05" {
		t.Errorf("SPOT level from the 7200 images: %q", s.Object("img9").Get("oslevel_r"))
	}
}

func TestMknimimageVerbose(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-V", "-t", "diskless", "-s", "/dev/cd0", "img10")
	for _, line := range []string{
		"Running command on xcatmn: /usr/sbin/lsnim -l >/dev/null 2>&1\n\n",
		"Running command on xcatmn: /usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/img10_lpp_source -a source=/dev/cd0 img10_lpp_source 2>&1\n\n",
		"Running command on xcatmn: /usr/sbin/nim -Fo define -t spot -a server=master -a source=img10_lpp_source -a location=/install/nim/spot  img10  2>&1\n\n",
		"Creating 'img10_root'.\n\n",
		"Setting the root password in the spot 'img10'\n\n",
	} {
		if !strings.Contains(r.out, line) {
			t.Errorf("verbose output lacks %q", line)
		}
	}
}

func TestMknimimageFaults(t *testing.T) {
	cases := []struct {
		phase, stderr string
		rc            int
		summary       bool
		after         func(t *testing.T, w *world)
	}{
		{"lpp_source", "Error: [xcatmn]: Could not run command '/usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/f_lpp_source -a source=/dev/cd0 f_lpp_source'. (rc = 1)\n\n" +
			"Error: [xcatmn]: Could not create lpp_source definition.\n\nError: [xcatmn]: Return=1.\n", 1, false,
			func(t *testing.T, w *world) {
				if w.state().Object("f_lpp_source") != nil || !w.exists("/install/nim/lpp_source/f_lpp_source/installp/ppc") {
					t.Error("a failed lpp_source define leaves files, not an object")
				}
			}},
		{"spot", "Error: [xcatmn]: Could not create a NIM definition for 'f'.\n\nError: [xcatmn]: Could not create spot definition.\n\nError: [xcatmn]: Return=1.\n", 1, false,
			func(t *testing.T, w *world) {
				spot := w.state().Object("f")
				if spot == nil || spot.Get("Rstate") == "ready for use" || spot.Complete {
					t.Fatalf("a failed SPOT must stay broken: %+v", spot)
				}
				if !w.exists("/install/nim/spot/f/usr/lpp") {
					t.Error("no half-written SPOT files")
				}
				if w.state().Osimage("f") != nil {
					t.Error("definition written after a failed SPOT")
				}
			}},
		{"root", "Error: [xcatmn]: Could not create a NIM definition for 'f_root'.\n\nError: [xcatmn]: Return=1.\n", 1, false, nil},
		{"dump", "Error: [xcatmn]: Could not create a NIM definition for 'f_dump'.\n\nError: [xcatmn]: Return=1.\n", 1, false, nil},
		{"paging", "Error: [xcatmn]: Could not create a NIM definition for 'f_paging'.\n\nError: [xcatmn]: Return=1.\n", 1, false,
			func(t *testing.T, w *world) {
				if w.state().Object("f_root") == nil || w.state().Osimage("f") != nil {
					t.Error("paging failure: root stays, no definition")
				}
			}},
		{"definition", "Error: [xcatmn]: Could not create xCAT osimage definition.\n\nError: [xcatmn]: Return=1.\n", 1, false, nil},
		{"update", "Error: [xcatmn]: Could not update software in the NIM SPOT called 'f'.\n\nError: [xcatmn]: Return=1.\n", 1, false,
			func(t *testing.T, w *world) {
				if w.state().Osimage("f") == nil {
					t.Error("the definition is written before the update")
				}
			}},
		{"password", "Error: [xcatmn]: Unable to set root password.\nError: [xcatmn]: \n\n", 1, true, nil},
	}
	for _, c := range cases {
		t.Run(c.phase, func(t *testing.T) {
			w := newWorld(t, "NIMWIZ_SIM_FAIL="+c.phase)
			r := w.run("mknimimage", "-t", "diskless", "-D", "-s", "/dev/cd0", "f")
			check(t, "stderr", r.err, c.stderr)
			if r.rc != c.rc {
				t.Errorf("rc = %d, want %d", r.rc, c.rc)
			}
			if got := strings.Contains(r.out, "Object name: f\n"); got != c.summary {
				t.Errorf("summary printed = %v, want %v", got, c.summary)
			}
			if c.after != nil {
				c.after(t, w)
			}
		})
	}
}

func TestMknimimageSpotFromUnusableLppSource(t *testing.T) {
	w := newWorld(t)
	r := w.run("mknimimage", "-V", "-t", "diskless", "-s", "aix7105_lpp", "old")
	if r.rc != 1 || !strings.Contains(r.err, "Could not create a NIM definition for 'old'.") ||
		!strings.Contains(r.out, "Error message is: '0042-001 nim: processing error encountered on \"master\":") {
		t.Errorf("SPOT from an unavailable lpp_source: %+v", r)
	}
	r = w.run("mknimimage", "-t", "diskless", "-s", "/export/images/empty", "emp")
	if r.rc != 1 || !strings.Contains(r.err, "Could not run command '/usr/sbin/nim -Fo define -t lpp_source") {
		t.Errorf("empty source: %+v", r)
	}
}

func TestFlood(t *testing.T) {
	w := newWorld(t, "NIMWIZ_SIM_FLOOD=500")
	r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "fl")
	if n := strings.Count(r.out, "flood.fileset."); n != 500 || r.rc != 0 {
		t.Errorf("flood lines = %d, rc %d", n, r.rc)
	}
}

func TestLsdefFormats(t *testing.T) {
	w := newWorld(t)
	r := w.run("lsdef", "-t", "osimage")
	check(t, "list", r.out, "aix72_dataless  (osimage)\naix72_stateful  (osimage)\naix73_full  (osimage)\naix73_stateless  (osimage)\nrhels8.6-ppc64le-install-compute  (osimage)\n")
	r = w.run("lsdef", "-t", "osimage", "-w", "imagetype==NIM")
	if strings.Contains(r.out, "rhels") || !strings.Contains(r.out, "aix72_dataless  (osimage)\n") {
		t.Errorf("-w imagetype==NIM: %q", r.out)
	}
	r = w.run("lsdef", "-t", "osimage", "-o", "aix72_stateful")
	check(t, "long", r.out, "Object name: aix72_stateful\n    imagetype=NIM\n    lpp_source=aix7205_lpp\n    nimtype=diskless\n    osname=AIX\n    paging=aix72_stateful_paging\n    root=aix72_stateful_root\n    spot=aix72_stateful\n")
	for _, args := range [][]string{{"-l", "aix72_stateful"}, {"aix72_stateful"}} {
		if got := w.run("lsdef", append([]string{"-t", "osimage"}, args...)...).out; got != r.out {
			t.Errorf("lsdef %v differs from -o: %q", args, got)
		}
	}
	r = w.run("lsdef", "-t", "osimage", "-o", "nosuch")
	check(t, "unknown", r.err, "Error: [xcatmn]: Could not find an object named 'nosuch' of type 'osimage'.\n")
	if r.rc != 1 {
		t.Errorf("unknown rc %d", r.rc)
	}
	r = w.run("lsdef", "-t", "osimage", "-i", "dump,spot", "aix72_stateful")
	check(t, "-i", r.out, "Object name: aix72_stateful\n    dump=\n    spot=aix72_stateful\n")
	r = w.run("lsdef", "-t", "osimage", "-l", "rhels8.6-ppc64le-install-compute")
	if !strings.Contains(r.out, "    imagetype=linux\n") || strings.Contains(r.out, "nimtype") {
		t.Errorf("linux image: %q", r.out)
	}
}

// The three ways lsdef says there is no osimage to show, each from its
// path in DBobjectdefs.pm (see lsdef.go).
func TestLsdefNoOsimage(t *testing.T) {
	w := newWorld(t)
	legacy := w.with("NIMWIZ_SIM_XCAT=2.9.3")
	// osimages exist, -w matches none: nothing before 2.14.5, a message after.
	r := legacy.run("lsdef", "-t", "osimage", "-l", "-w", "imagetype==nosuch")
	if r.out != "" || r.err != "" || r.rc != 0 {
		t.Errorf("2.9.3 -w matching none: %+v", r)
	}
	r = w.run("lsdef", "-t", "osimage", "-l", "-w", "imagetype==nosuch")
	if r.out != "No object definitions have been found\n" || r.err != "" || r.rc != 0 {
		t.Errorf("2.16.5 -w matching none: %+v", r)
	}
	// Names resolved from a stanza file on stdin, none displayable.
	p := newProc("lsdef", func(k string) string {
		return map[string]string{"NIMWIZ_SIM_ROOT": w.root}[k]
	}, nil, nil)
	var out, errb bytes.Buffer
	pr := &printer{stdout: &out, stderr: &errb}
	p.rs, p.stdin = pr, "aix72_stateful:\n    objtype=osimage\n"
	p.plugin([]string{"-t", "osimage"}, "/")
	if out.String() != "Could not find any objects to display.\n" || errb.Len() != 0 || pr.exit != 0 {
		t.Errorf("names from stdin: %q %q %d", out.String(), errb.String(), pr.exit)
	}
	// No osimages at all: an error, exit 1, whatever -w says.
	if err := (store{root: w.root}).Update(func(s *State) error { s.Osimages = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-t", "osimage"}, {"-t", "osimage", "-l", "-w", "imagetype==NIM"}} {
		r = legacy.run("lsdef", args...)
		if r.out != "" || r.err != "Error: Could not get objects of type 'osimage'.\n" || r.rc != 1 {
			t.Errorf("none, lsdef %v: %+v", args, r)
		}
	}
	// A name given when there is none: no error, an info line.
	r = legacy.run("lsdef", "-t", "osimage", "-o", "x", "-l")
	if r.out != "Could not find any objects of type 'osimage'.\n" || r.rc != 0 {
		t.Errorf("-o with no osimages: %+v", r)
	}
}

func TestLsdefSite(t *testing.T) {
	w := newWorld(t)
	r := w.run("lsdef", "-t", "site")
	check(t, "site", r.out, "clustersite  (site)\n")
	r = w.run("lsdef", "-t", "site", "-l")
	if !strings.HasPrefix(r.out, "Object name: clustersite\n    SNsyncfiledir=/var/xcat/syncfiles\n") ||
		!strings.Contains(r.out, "\n    master=10.0.0.10\n") || strings.Contains(r.out, "nimprime") || r.rc != 0 {
		t.Errorf("site -l: %+v", r)
	}
	r = w.run("lsdef", "-t", "site", "-i", "nimprime")
	check(t, "no nimprime", r.out, "Object name: clustersite\n")
	if err := SetSite(w.root, "nimprime", "nimsrv01"); err != nil {
		t.Fatal(err)
	}
	r = w.run("lsdef", "-t", "site", "-i", "nimprime")
	check(t, "nimprime", r.out, "Object name: clustersite\n    nimprime=nimsrv01\n")
	r = w.with("NIMWIZ_SIM_NIMPRIME=other").run("lsdef", "-t", "site", "-i", "nimprime,master")
	check(t, "knob", r.out, "Object name: clustersite\n    master=10.0.0.10\n    nimprime=other\n")
	r = w.run("lsdef", "-t", "site", "-o", "foo", "-i", "master")
	check(t, "-o foo", r.out, "Object name: clustersite\n    master=10.0.0.10\n")
	check(t, "-o foo err", r.err, "Error: [xcatmn]: Could not find an object named 'foo' of type 'site'.\n")
	if err := SetSite(w.root, "master", "mgt01.cluster.example.com"); err != nil {
		t.Fatal(err)
	}
	r = w.run("rmnimimage", "-f", "aix72_dataless")
	if !strings.HasPrefix(r.out, "mgt01: Removed the NIM resource named") {
		t.Errorf("rmnimimage names site.master: %q", r.out)
	}
}

func TestChdef(t *testing.T) {
	w := newWorld(t)
	r := w.run("chdef", "-t", "osimage", "-o", "aix72_stateful", "installp_bundle=base_bnd")
	check(t, "chdef", r.out, "1 object definitions have been created or modified.\n")
	if w.state().Osimage("aix72_stateful").Attrs["installp_bundle"] != "base_bnd" {
		t.Error("chdef did not change the definition")
	}
	r = w.run("chdef", "-t", "osimage", "-o", "aix72_stateful", "bogus=1")
	if r.rc != 1 || !strings.Contains(r.err, "'bogus' is not a valid attribute name for an object type of 'osimage'.") {
		t.Errorf("bad attr: %+v", r)
	}
}

func TestLsnimFormats(t *testing.T) {
	w := newWorld(t)
	r := w.run("lsnim", "-l", "aix7205_lpp")
	check(t, "lpp stanza", r.out, "aix7205_lpp:\n"+
		"   class       = resources\n   type        = lpp_source\n   arch        = power\n"+
		"   Rstate      = ready for use\n   prev_state  = unavailable for use\n"+
		"   location    = /install/nim/lpp_source/aix7205_lpp\n   simages     = yes\n"+
		"   alloc_count = 0\n   server      = master\n")
	r = w.run("lsnim", "-l", "aix73_full")
	if !strings.Contains(r.out, "\n   Rstate_result = success\n") || !strings.Contains(r.out, "\n   Rstate        = ready for use\n") {
		t.Errorf("SPOT stanza padding: %q", r.out)
	}
	r = w.run("lsnim", "boot", "nosuch", "nim_script")
	check(t, "known ones", r.out, "boot            resources       boot\nnim_script      resources       nim_script\n")
	check(t, "0042-053", r.err, "0042-053 lsnim: there is no NIM object named \"nosuch\"\n")
	if r.rc == 0 {
		t.Error("unknown name must fail")
	}
	r = w.run("lsnim", "-t", "lpp_source")
	if strings.Count(r.out, "\n") != 4 || !strings.HasPrefix(r.out, "aix7205_lpp     resources       lpp_source\n") {
		t.Errorf("-t lpp_source: %q", r.out)
	}
	r = w.run("lsnim", "-c", "machines")
	check(t, "-c machines", r.out, "master          machines        master\ndln01           machines        diskless\ndln02_aix73_stateless machines        diskless\n")
	r = w.run("lsnim", "-l", "-t", "shared_root")
	if strings.Count(r.out, ":\n") != 2 || !strings.Contains(r.out, "   spot        = aix73_full\n") {
		t.Errorf("-l -t shared_root: %q", r.out)
	}
	r = w.run("lsnim", "-Z", "-a", "alloc_count", "aix73_stateless")
	check(t, "-Z", r.out, "#name:alloc_count:\naix73_stateless:2:\n")
	r = w.run("lsnim", "-a", "location", "aix73_test")
	check(t, "-a", r.out, "aix73_test:\n   location = /install/nim/spot/aix73_test/usr\n")
	r = w.run("lsnim", "-l", "master")
	if strings.Count(r.out, "   serves") < 5 {
		t.Errorf("master must repeat serves: %q", r.out)
	}
}

func TestNimOperations(t *testing.T) {
	w := newWorld(t)
	r := w.run("nim", "-o", "showres", "aix7205_lpp")
	if !strings.HasPrefix(r.out, "  Fileset Name                Level                     I/U Q Content\n  ====") ||
		!strings.Contains(r.out, "\n  bos.rte                     7.2.5.0                    I  N usr,root\n#   Base Operating System Runtime\n") {
		t.Errorf("lpp_source showres: %q", r.out)
	}
	r = w.run("nim", "-o", "showres", "aix73_full")
	if !strings.Contains(r.out, "\n  bos.rte.security           7.3.2.0    C     F    Base Security Function\n") ||
		!strings.Contains(r.out, "\n  GSKit8.gskcrypt64.ppc.rte\n                           8.0.55.26    C     F    IBM GSKit Cryptography Runtime\n") {
		t.Errorf("SPOT showres: %q", r.out)
	}
	// The broken SPOT the seed left.
	r = w.run("nim", "-o", "showres", "aix73_test")
	if r.rc == 0 || !strings.HasPrefix(r.err, "0042-001 nim: processing error encountered on \"master\":\n") {
		t.Errorf("showres of a broken SPOT: %+v", r)
	}
	if r = w.run("nim", "-Fo", "reset", "aix73_test"); r.rc != 0 {
		t.Fatalf("reset: %+v", r)
	}
	if st := w.state().Object("aix73_test"); st.Get("Rstate") != "ready for use" || st.Get("prev_state") != "unavailable for use" {
		t.Errorf("after reset: %+v", st.Attrs)
	}
	r = w.run("nim", "-Fo", "check", "aix73_test")
	if r.rc == 0 || !strings.Contains(r.err, "0042-175 m_ckspot:") {
		t.Errorf("check of a half-built SPOT: %+v", r)
	}
	if w.state().Object("aix73_test").Get("Rstate") == "ready for use" {
		t.Error("a failed check leaves the SPOT not ready")
	}
	if r = w.run("nim", "-Fo", "check", "aix73_full"); r.rc != 0 {
		t.Errorf("check of a good SPOT: %+v", r)
	}
	if r = w.run("nim", "-Fo", "remove", "aix73_test"); r.rc != 0 || w.state().Object("aix73_test") != nil {
		t.Errorf("remove: %+v", r)
	}
	if !w.exists("/install/nim/spot/aix73_test/usr") {
		t.Error("nim remove must leave the files")
	}
	r = w.run("nim", "-Fo", "remove", "aix73_stateless")
	if r.rc == 0 || w.state().Object("aix73_stateless") == nil {
		t.Errorf("remove of an allocated SPOT: %+v", r)
	}
	r = w.run("nim", "-o", "showres", "nosuch")
	if r.rc == 0 || !strings.Contains(r.err, "0042-053") {
		t.Errorf("unknown object: %+v", r)
	}
}

func TestRmnimimage(t *testing.T) {
	w := newWorld(t)
	r := w.run("rmnimimage", "aix72_dataless")
	check(t, "shared refusal", r.err, "Error: [xcatmn]: One or more resources are being used in other osimage definitions.  The osimage aix72_dataless will not be removed.  Use the force option to override this check.\n\nError: [xcatmn]: Return=1.\n")
	if r.rc != 1 {
		t.Errorf("refusal rc %d", r.rc)
	}
	r = w.run("rmnimimage", "-V", "aix72_dataless")
	if !strings.Contains(r.out, "The osimage aix72_dataless and aix72_stateful share the common resource aix7205_lpp\n") {
		t.Errorf("-V sharing: %q", r.out)
	}
	r = w.run("rmnimimage", "-f", "aix72_dataless")
	check(t, "-f", r.out, "xcatmn: Removed the NIM resource named 'aix72_dataless_root'.\n\nxcatmn: Removed the NIM resource named 'aix72_dataless'.\n\n")
	s := w.state()
	if s.Object("aix7205_lpp") == nil || s.Osimage("aix72_dataless") == nil {
		t.Error("without -d the lpp_source stays; without -x the definition stays")
	}
	if !w.exists("/install/nim/spot/aix72_dataless") {
		t.Error("without -d the files stay")
	}

	r = w.run("rmnimimage", "-x", "-d", "aix73_stateless")
	want := "Removed the xCAT osimage definition 'aix73_stateless'.\n\n" +
		"xcatmn: Removed the NIM resource named 'aix73_stateless_lpp_source'.\n\n" +
		"xcatmn: The resource named 'aix73_stateless_paging' is currently allocated. It will not be removed.\n\n"
	if !strings.HasPrefix(r.out, want) || r.rc != 0 {
		t.Errorf("-x -d: rc %d\n got %q\nwant prefix %q", r.rc, r.out, want)
	}
	if w.exists("/install/nim/lpp_source/aix73_stateless_lpp_source") || !w.exists("/install/nim/spot/aix73_stateless") {
		t.Error("-d removes the lpp_source directory, not an allocated SPOT's")
	}

	r = w.run("rmnimimage", "-f", "-d", "-x", "aix73_full")
	if r.rc != 0 || w.exists("/install/nim/spot/aix73_full") || w.state().Object("aix73_full_dump") != nil {
		t.Errorf("-f -d -x: %+v", r)
	}
	if !w.exists("/install/nim/dump/aix73_full_dump") {
		t.Error("rmnimimage -d does not delete dump directories")
	}
	r = w.run("rmnimimage", "nosuch")
	check(t, "unknown", r.err, "Error: [xcatmn]: 'nosuch' is not a valid xCAT image name.\n\nError: [xcatmn]: Return=1.\n")
}

func TestLsdevLsxcatd(t *testing.T) {
	w := newWorld(t)
	check(t, "lsdev", w.run("lsdev", "-Cc", "cdrom").out,
		"cd0 Available 04-C0-00-3,0 SCSI Multimedia CD-ROM Drive\ncd1 Defined  Virtual SCSI Optical Served by VIO Server\n")
	check(t, "lsdev -F", w.run("lsdev", "-Cc", "cdrom", "-F", "name:status").out, "cd0:Available\ncd1:Defined\n")
	check(t, "lsxcatd", w.run("lsxcatd", "-v").out, "Version 2.16.5 (git commit 9c3d9e7e34c5a1b0f8d6a2e6d3c61b0b0d6e4f21, built Wed Mar  8 04:12:17 EST 2023)\n")
	check(t, "lsxcatd 2.9.3", w.with("NIMWIZ_SIM_XCAT=2.9.3").run("lsxcatd", "-v").out,
		"Version 2.9.3 (git commit 0cee1dd415313980d797c31132ae8acf6f0b58dc, built Fri Mar  4 01:32:17 EST 2016)\n")
	r := w.run("lsxcatd", "-a")
	check(t, "lsxcatd -a", r.out, "Version 2.16.5 (git commit 9c3d9e7e34c5a1b0f8d6a2e6d3c61b0b0d6e4f21, built Wed Mar  8 04:12:17 EST 2023)\nThis is a Management Node\ndbengine=SQLite\n")
	r = w.run("lsxcatd")
	if r.rc != 1 || !strings.HasPrefix(r.out, "       lsxcatd [-v|--version]\n") {
		t.Errorf("lsxcatd without arguments: %+v", r)
	}
	if r = w.run("lsxcatd", "--nodetype"); r.rc != 1 {
		t.Errorf("--nodetype is not an option (its long form is --type): %+v", r)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Seed(a); err != nil {
		t.Fatal(err)
	}
	if err := Seed(b); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, stateRel))
	y, _ := os.ReadFile(filepath.Join(b, stateRel))
	if !bytes.Equal(x, y) {
		t.Error("two seeds differ")
	}
}

func TestGetoptBundling(t *testing.T) {
	o, err := mknimimageSpec.parse([]string{"-VrD", "-s/dev/cd0", "img", "--force", "-t", "diskless", "a=b"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if !o.has('V') || !o.has('r') || !o.has('D') || !o.has('f') || o.str('s') != "/dev/cd0" || o.str('t') != "diskless" ||
		strings.Join(o.args, " ") != "img a=b" {
		t.Errorf("parsed %+v", o)
	}
	if _, err := mknimimageSpec.parse([]string{"-s"}, true); err == nil {
		t.Error("-s without a value must fail")
	}
	if _, err := lsnimSpec.parse([]string{"-l", "x", "-t", "spot"}, false); err != nil {
		t.Error(err)
	}
}

// mknimimage's operands and attributes as aixinstall.pm takes them.
func TestMknimimageOperandsAndAttributes(t *testing.T) {
	w := newWorld(t)
	// "while (my $a = shift(@ARGV))" stops at an operand Perl takes as false.
	r := w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "0")
	if r.rc != 1 || !strings.HasPrefix(r.err, "Error: [xcatmn]: The image name and either the -s or -i option are required.\n") {
		t.Errorf("image named 0: %+v", r)
	}
	r = w.run("mknimimage", "-t", "diskless", "-s", "aix7302_lpp", "z1", "0", "paging=aix73_full_paging", "bogus")
	if r.rc != 0 || !strings.Contains(r.out, "Object name: z1\n") || !strings.Contains(r.out, "\tpaging=z1_paging\n") {
		t.Errorf("operands after 0: %+v", r)
	}

	// Resources named on the command line are used as they are.
	r = w.run("mknimimage", "-t", "diskless", "-D", "-s", "/dev/cd0", "z2", "spot=aix73_full", "lpp_source=aix7302_lpp",
		"paging=aix73_full_paging", "dump=aix73_full_dump", "otherpkgs=I:openssh.base.client", "synclists=/install/sync.lst",
		"installp_flags=-agQXY", "rpm_flags=-Uvh", "emgr_flags=-X", "dumpsize=2", "max_dumps=3", "snapcollect=yes",
		"nfs_vers=4", "nfs_sec=sys")
	// sic: spot_updates then updates the SPOT named like the image
	// (aixinstall.pm 2.9.2 L1413: "my $spot_name = $image_name;"), which
	// does not exist; the definition is written already.
	check(t, "spot=", r.err, "Error: [xcatmn]: The NIM resource named 'z2' is not defined and therefore cannot be updated.\n\nError: [xcatmn]: Return=1.\n")
	if r.rc != 1 {
		t.Errorf("rc %d", r.rc)
	}
	d := w.state().Osimage("z2")
	if d == nil {
		t.Fatal("no definition")
	}
	for k, v := range map[string]string{"spot": "aix73_full", "lpp_source": "aix7302_lpp", "paging": "aix73_full_paging",
		"dump": "aix73_full_dump", "otherpkgs": "I:openssh.base.client", "synclists": "/install/sync.lst", "root": "z2_root"} {
		if d.Attrs[k] != v {
			t.Errorf("definition's %s = %q, want %q", k, d.Attrs[k], v)
		}
	}
	for _, k := range []string{"installp_flags", "rpm_flags", "emgr_flags", "dumpsize", "max_dumps", "snapcollect", "nfs_vers", "nfs_sec"} {
		if d.Attrs[k] != "" {
			t.Errorf("%s is not an osimage attribute, yet stored", k)
		}
	}
	r = w.run("mknimimage", "-t", "diskless", "-s", "/dev/cd0", "z5", "otherpkgs=I:openssh.base.client", "installp_flags=-agQXY", "max_dumps=3")
	if r.rc != 0 || !strings.Contains(r.out, "\totherpkgs=I:openssh.base.client\n") || strings.Contains(r.out, "\tinstallp_flags") || strings.Contains(r.out, "\tmax_dumps") {
		t.Errorf("summary shows schema attributes only: %+v", r)
	}
	s := w.state()
	for _, n := range []string{"z2", "z2_lpp_source", "z2_paging", "z2_dump"} {
		if s.Object(n) != nil {
			t.Errorf("%s created although another was named", n)
		}
	}
	if d := s.Osimage("z2"); d.Attrs["otherpkgs"] != "I:openssh.base.client" || d.Attrs["synclists"] != "/install/sync.lst" {
		t.Errorf("definition %v", d.Attrs)
	}
	// The root resource's define gets nfs_vers (mknimres' valid attributes).
	invs, _ := ReadCommandLog(w.root)
	var root string
	for _, inv := range invs {
		if inv.By == "xcatd" && strings.HasSuffix(strings.Join(inv.Argv, " "), " z2_root") {
			root = strings.Join(inv.Argv, " ")
		}
	}
	if root != "nim -Fo define -t root -a server=master -a nfs_vers=4 -a location=/install/nim/root/z2_root z2_root" {
		t.Errorf("root define %q", root)
	}

	// New resources get the attributes NIM takes for them.
	r = w.run("mknimimage", "-t", "diskless", "-D", "-s", "/dev/cd0", "z3", "installp_flags=-agQXY", "dumpsize=2", "nfs_vers=4")
	if r.rc != 0 {
		t.Fatalf("%+v", r)
	}
	invs, _ = ReadCommandLog(w.root)
	var defines []string
	for _, inv := range invs {
		if inv.By == "xcatd" && inv.Argv[0] == "nim" && strings.Contains(strings.Join(inv.Argv, " "), " z3") {
			defines = append(defines, strings.Join(inv.Argv, " "))
		}
	}
	want := []string{
		"nim -Fo define -t lpp_source -a server=master -a nfs_vers=4 -a location=/install/nim/lpp_source/z3_lpp_source -a source=/dev/cd0 z3_lpp_source",
		"nim -Fo define -t spot -a server=master -a installp_flags=-agQXY -a nfs_vers=4 -a source=z3_lpp_source -a location=/install/nim/spot z3",
		"nim -Fo define -t root -a server=master -a nfs_vers=4 -a location=/install/nim/root/z3_root z3_root",
		"nim -Fo define -t dump -a server=master -a dumpsize=2 -a nfs_vers=4 -a location=/install/nim/dump/z3_dump z3_dump",
		"nim -Fo define -t paging -a server=master -a nfs_vers=4 -a location=/install/nim/paging/z3_paging z3_paging",
	}
	if strings.Join(defines, "\n") != strings.Join(want, "\n") {
		t.Errorf("defines:\n%s\nwant:\n%s", strings.Join(defines, "\n"), strings.Join(want, "\n"))
	}
	if w.state().Object("z3_dump").Get("dumpsize") != "2" {
		t.Error("dumpsize not passed to NIM")
	}

	// paging= (empty): xCAT still makes <img>_paging ("if ($::attrres{paging})"
	// is false) but the empty value overlays the definition's.
	r = w.run("mknimimage", "-t", "diskless", "-s", "aix7302_lpp", "z4", "paging=")
	if r.rc != 0 || strings.Contains(r.out, "\tpaging=") || w.state().Object("z4_paging") == nil {
		t.Errorf("paging=: %+v", r)
	}
}

// A relative -l or -s is taken from the client's working directory, as
// xCAT's full_path does with the request's cwd.
func TestMknimimageRelativePaths(t *testing.T) {
	w := newWorld(t)
	p := newProc("mknimimage", func(k string) string {
		return map[string]string{"NIMWIZ_SIM_ROOT": w.root, "NIMWIZ_SIM_SPOT_SECONDS": "0.01", "NIMWIZ_SIM_LPP_SECONDS": "0.01"}[k]
	}, nil, nil)
	var out, errb bytes.Buffer
	pr := &printer{stdout: &out, stderr: &errb}
	p.rs = pr
	p.plugin([]string{"-t", "diskless", "-s", "images/7200", "-l", "nim", "rel"}, filepath.Join(w.root, "export"))
	if pr.exit != 0 {
		t.Fatalf("%d %s %s", pr.exit, out.String(), errb.String())
	}
	if loc := w.state().Object("rel_lpp_source").Get("location"); loc != "/export/nim/lpp_source/rel_lpp_source" {
		t.Errorf("lpp_source location %q", loc)
	}
}
