package sim

import (
	"slices"
	"strings"
	"testing"
)

// The day-two paths of mknimimage (-u, -i/-p, -c), chkosimage and the node
// queries, against the texts of the xcat-day-two notes (T1-T8), run in
// this process as the client would print them (xCAT 2.9.2: no "[host]: ").

func legacyWorld(t *testing.T, env ...string) *world {
	return newWorld(t, append([]string{"NIMWIZ_SIM_XCAT=2.9.2"}, env...)...)
}

// lines are the non-blank lines of out, in order.
func lines(out string) []string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) != "" {
			ls = append(ls, l)
		}
	}
	return ls
}

// inOrder checks that each of want is a line of out, in this order.
func inOrder(t *testing.T, what, out string, want ...string) {
	t.Helper()
	ls := lines(out)
	i := 0
	for _, w := range want {
		for i < len(ls) && ls[i] != w {
			i++
		}
		if i == len(ls) {
			t.Fatalf("%s: line %q missing or out of order in:\n%s", what, w, out)
		}
		i++
	}
}

func TestUpdateFromTheCommandLine(t *testing.T) {
	w := legacyWorld(t)
	r := w.run("mknimimage", "-V", "-u", "aix73_full", "installp_bundle=devel_bnd", "otherpkgs=I:bos.adt.lib,R:curl-8.4.0-1.aix7.1.ppc.rpm")
	if r.rc != 0 || r.err != "" {
		t.Fatalf("rc %d, stderr %q", r.rc, r.err)
	}
	inOrder(t, "-V", r.out,
		"Running command on xcatmn: /usr/sbin/lsnim -l >/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -t spot | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -a alloc_count -Z aix73_full 2>/dev/null 2>&1",
		"Updating the NIM spot resource named 'aix73_full'. This could take a while.",
		"Running command on xcatmn: /usr/sbin/lsnim -t installp_bundle | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -l aix73_full 2>/dev/null 2>&1",
		"NIM lpp_resource location in chroot env: '/install/nim/spot/aix73_full/usr/lpp/bos/inst_root/lpp_source'.",
		"Running command on xcatmn: /usr/sbin/lsnim -l devel_bnd 2>/dev/null 2>&1",
		"Installing installp filesets in SPOT aix73_full.",
		`Running command on xcatmn: /opt/xcat/bin/xcatchroot -i aix73_full "export INUCLIENTS=1;/usr/sbin/installp -d /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/lpp_source -abgQXY  -f /tmp/tmp_installp" 2>&1`,
		"Command output:",
		"bos.adt.base                7.3.2.0         USR         APPLY       SUCCESS",
		"Completed Installing installp filesets in SPOT aix73_full.",
		"Running command on xcatmn: /usr/bin/rm -f /tmp/tmp_installp 2>&1",
		`Running command on xcatmn: /opt/xcat/bin/xcatchroot -i aix73_full "/usr/sbin/updtvpkg" 2>&1`,
		"Installing installp filesets in SPOT aix73_full.", // otherpkgs' own installp, after the bundles
		"bos.adt.lib                 7.3.2.0         ROOT        APPLY       SUCCESS",
		"Installing RPM packages in SPOT aix73_full.",
		`Running command on xcatmn: /opt/xcat/bin/xcatchroot -i aix73_full "cd /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/lpp_source/RPMS/ppc; export INUCLIENTS=1; /usr/bin/rpm   -Uvh   --test  curl-8.4.0-1.aix7.1.ppc.rpm " 2>&1`,
		`Running command on xcatmn: /opt/xcat/bin/xcatchroot -V -i aix73_full "cd /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/lpp_source/RPMS/ppc; export INUCLIENTS=1; /usr/bin/rpm  -Uvh  curl-8.4.0-1.aix7.1.ppc.rpm" 2>&1`,
		"Completed Installing the following RPM packages in SPOT aix73_full:",
		"curl-8.4.0-1.aix7.1.ppc.rpm",
		"Updated software in the NIM SPOT called 'aix73_full'.")
	if strings.Contains(r.out, "The following xCAT osimage definition was created") {
		t.Error("-u prints no summary")
	}
	spot := w.state().Object("aix73_full")
	var names []string
	for _, f := range spot.Filesets {
		names = append(names, f.Name)
	}
	for _, want := range []string{"bos.adt.base", "bos.adt.include", "bos.adt.lib"} {
		if !slices.Contains(names, want) {
			t.Errorf("the SPOT lacks %s after the update: %v", want, names)
		}
	}
	if !slices.Contains(spot.RPMs, "curl-8.4.0-1.aix7.1.ppc") || spot.Get("Rstate") != "ready for use" ||
		!strings.HasPrefix(spot.Get("comments"), "chroot session ") {
		t.Errorf("SPOT after the update: rpms %v, %v", spot.RPMs, spot.Attrs)
	}
	if d := w.state().Osimage("aix73_full"); d.Attrs["otherpkgs"] != "" {
		t.Errorf("-u wrote the definition: %v", d.Attrs)
	}
	// Without -V: only the update line and the RPM lines, which xCAT
	// prints regardless; an RPM already there is named in a warning.
	r = w.run("mknimimage", "-u", "aix73_full", "otherpkgs=R:curl*,R:bash-5.2.15-1.aix7.1.ppc.rpm")
	check(t, "quiet", r.out, "Updating the NIM spot resource named 'aix73_full'. This could take a while.\n\n"+
		"curl*\n\n"+
		"Completed Installing the following RPM packages in SPOT aix73_full:\n\nbash-5.2.15-1.aix7.1.ppc.rpm\n\n")
	check(t, "quiet stderr", r.err, "Warning: The following RPM packages were already installed and were not reinstalled:\n\n")
}

func TestUpdateFromTheDefinition(t *testing.T) {
	w := legacyWorld(t)
	if r := w.run("chdef", "-t", "osimage", "-o", "aix73_full", "installp_bundle=devel_bnd", "synclists=/install/sync/compute.synclist"); r.rc != 0 {
		t.Fatalf("chdef: %+v", r)
	}
	// Flags alone: the definition's software, with these flags.
	r := w.run("mknimimage", "-V", "-u", "aix73_full", "installp_flags=-agQXY")
	if r.rc != 0 {
		t.Fatalf("rc %d: %s", r.rc, r.err)
	}
	inOrder(t, "definition", r.out,
		`Running command on xcatmn: /opt/xcat/bin/xcatchroot -i aix73_full "export INUCLIENTS=1;/usr/sbin/installp -d /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/lpp_source -agQXY -f /tmp/tmp_installp" 2>&1`,
		"Updated software in the NIM SPOT called 'aix73_full'.",
		"Running command on xcatmn: /usr/sbin/lsnim -a location aix73_full | /usr/bin/grep location 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/bin/mkdir -p /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/etc/ 2>&1",
		"Running 'rsync -Lprogtz /etc/motd /etc/ntp.conf /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/etc/' on xcatmn.",
		"Updated synclists files.")
	if !w.exists("/install/nim/spot/aix73_full/usr/lpp/bos/inst_root/etc/motd") {
		t.Error("the synclist's file is not in the SPOT's root")
	}
	// Anything of the three on the command line: the definition is ignored.
	r = w.run("mknimimage", "-V", "-u", "aix73_full", "otherpkgs=I:bos.adt.lib")
	if strings.Contains(r.out, "devel_bnd") || strings.Contains(r.out, "synclists") || !strings.Contains(r.out, "bos.adt.lib") {
		t.Errorf("ad hoc update used the definition:\n%s", r.out)
	}
}

func TestUpdateRefusals(t *testing.T) {
	w := legacyWorld(t)
	cases := []struct {
		args []string
		err  string
	}{
		{[]string{"-u", "nosuch"}, "Error: The osimage object named 'nosuch' is not defined.\n\nError: Return=1.\n"},
		// The last bare operand is the name (notes §0).
		{[]string{"-u", "aix73_full", "bogus"}, "Error: The osimage object named 'bogus' is not defined.\n\nError: Return=1.\n"},
		{[]string{"-u", "aix73_stateless", "otherpkgs=I:bos.adt.base"}, "Error: The resource named 'aix73_stateless' is currently allocated. It cannot be updated.\n\nError: Return=1.\n"},
		{[]string{"-u", "aix73_full", "installp_bundle=nosuch_bnd"}, "Error: The installp_bundle resource 'nosuch_bnd' is not defined to NIM.\n\nError: Could not update software in the NIM SPOT called 'aix73_full'.\n\nError: Return=1.\n"},
		{[]string{"-u", "aix73_full", "synclists=/install/sync/nosuch"}, "Error: Could not open /install/sync/nosuch.\n\nError: Could not update synclists files.\n\nError: Return=1.\n"},
		{[]string{"-u", "aix73_full", "otherpkgs=R:nosuch.rpm"}, "Error: Command output:\n\nerror: open of nosuch.rpm failed: No such file or directory\n\n\nError: One or more errors occurred while installing rpm packages in SPOT aix73_full.\n\nError: Could not update software in the NIM SPOT called 'aix73_full'.\n\nError: Return=1.\n"},
	}
	for _, c := range cases {
		r := w.run("mknimimage", c.args...)
		check(t, strings.Join(c.args, " "), r.err, c.err)
		if r.rc != 1 {
			t.Errorf("%v: rc %d", c.args, r.rc)
		}
	}
	// Refused before anything changed: the allocated SPOT is as it was.
	if spot := w.state().Object("aix73_stateless"); spot.Get("comments") != "" || spot.Get("Rstate") != "ready for use" {
		t.Errorf("the allocated SPOT was touched: %v", spot.Attrs)
	}
}

// installp fails half-way (NIMWIZ_SIM_FAIL=update: the last fileset is
// not on the media): the layered errors of T2, installp's whole output on
// stderr, and what went before stays applied (no rollback).
func TestUpdateFailsHalfWay(t *testing.T) {
	w := legacyWorld(t, "NIMWIZ_SIM_FAIL=update")
	r := w.run("mknimimage", "-u", "aix73_full", "installp_bundle=devel_bnd")
	check(t, "stdout", r.out, "Updating the NIM spot resource named 'aix73_full'. This could take a while.\n\n")
	inOrder(t, "stderr", r.err,
		"Error: Could not install installp packages in SPOT aix73_full.",
		"Error: Command output:",
		"    bos.adt.include",
		"        1  FAILED pre-installation verification",
		"bos.adt.include                           Not found on the installation media",
		"bos.adt.base                7.3.2.0         USR         APPLY       SUCCESS",
		"Error: Could not update software in the NIM SPOT called 'aix73_full'.",
		"Error: Return=1.")
	if r.rc != 1 {
		t.Errorf("rc %d", r.rc)
	}
	spot := w.state().Object("aix73_full")
	have := map[string]bool{}
	for _, f := range spot.Filesets {
		have[f.Name] = true
	}
	if !have["bos.adt.base"] || have["bos.adt.include"] || spot.Get("Rstate") != "ready for use" {
		t.Errorf("after a half-way failure: base %v include %v Rstate %q", have["bos.adt.base"], have["bos.adt.include"], spot.Get("Rstate"))
	}
}

func TestCopy(t *testing.T) {
	w := legacyWorld(t)
	// T3: -i of a stateless image that nodes use (a copy reads OLD only).
	r := w.run("mknimimage", "-V", "-t", "diskless", "-i", "aix73_stateless", "s_u1")
	if r.rc != 0 || r.err != "" {
		t.Fatalf("rc %d: %s", r.rc, r.err)
	}
	inOrder(t, "T3", r.out,
		"Running command on xcatmn: /usr/sbin/lsnim -l >/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -c resources | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -t lpp_source | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		`Running command on xcatmn: /usr/bin/df -m /install/nim/spot | /usr/bin/awk '(NR==2){print $3":"$7}' 2>&1`,
		"Creating a NIM SPOT resource. This could take a while.",
		"Running command on xcatmn: /usr/sbin/cpcosi -c aix73_stateless -l /install/nim/spot  s_u1  2>&1",
		"Creating 's_u1_shared_root'.",
		"Running command: '/usr/sbin/nim -Fo define -t shared_root -a server=master -a spot=s_u1 -a location=/install/nim/shared_root/s_u1_shared_root s_u1_shared_root  2>&1'.",
		"Running command on xcatmn: /usr/bin/lslpp -cLq bos.rte 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -a alloc_count -Z s_u1 2>/dev/null 2>&1",
		"Updating the NIM spot resource named 's_u1'. This could take a while.",
		"Setting the root password in the spot 's_u1'",
		"Object name: s_u1",
		"\timagetype=NIM",
		"\tlpp_source=aix73_stateless_lpp_source",
		"\tnimtype=diskless",
		"\tosname=AIX",
		"\tpaging=aix73_stateless_paging",
		"\tshared_home=cluster_shared_home", // every OLD attribute is carried
		"\tshared_root=s_u1_shared_root",
		"\tspot=s_u1")
	s := w.state()
	spot, old := s.Object("s_u1"), s.Object("aix73_stateless")
	if spot == nil || !spot.Complete || spot.Get("Rstate") != "ready for use" || spot.Get("alloc_count") != "0" ||
		len(spot.Filesets) != len(old.Filesets) || spot.Get("location") != "/install/nim/spot/s_u1/usr" {
		t.Fatalf("the copied SPOT: %+v", spot)
	}
	if sr := s.Object("s_u1_shared_root"); sr == nil || sr.Get("spot") != "s_u1" {
		t.Errorf("shared_root: %+v", sr)
	}
	if !w.exists("/install/nim/spot/s_u1/usr/lib/boot/unix_64") {
		t.Error("cpcosi copied no files")
	}

	// T4: -p copies the lpp_source first, and says so only after the copy.
	r = w.run("mknimimage", "-V", "-t", "diskless", "-i", "aix72_stateful", "-p", "st_u1")
	if r.rc != 0 {
		t.Fatalf("-p: rc %d: %s", r.rc, r.err)
	}
	inOrder(t, "T4", r.out,
		"Running command on xcatmn: /usr/sbin/lsnim -a location -Z aix7205_lpp 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/bin/mkdir -p /install/nim/lpp_source/st_u1_lpp_source 2>&1",
		`Running command on xcatmn: /usr/bin/df -m /install/nim/lpp_source/st_u1_lpp_source | /usr/bin/awk '(NR==2){print $3":"$7}' 2>&1`,
		"Running command on xcatmn: mkdir -m 644 -p /install/nim/lpp_source/st_u1_lpp_source; cp -r /install/nim/lpp_source/aix7205_lpp/* /install/nim/lpp_source/st_u1_lpp_source 2>&1",
		"Creating a NIM lpp_source resource called 'st_u1_lpp_source'.  This could take a while.",
		"Running command on xcatmn: /usr/sbin/nim -Fo define -t lpp_source -a server=master -a location=/install/nim/lpp_source/st_u1_lpp_source st_u1_lpp_source 2>&1",
		"Creating a NIM SPOT resource. This could take a while.",
		"Creating 'st_u1_root'.", // a stateful OLD gets a new root too
		"\tlpp_source=st_u1_lpp_source",
		"\troot=st_u1_root")
	if lpp := w.state().Object("st_u1_lpp_source"); lpp == nil || lpp.Get("Rstate") != "ready for use" || lpp.Get("simages") != "yes" {
		t.Errorf("copied lpp_source: %+v", lpp)
	}

	// Without -V a copy says little (T3 without -V).
	r = w.run("mknimimage", "-t", "diskless", "-i", "aix73_full", "f_u1")
	inOrder(t, "quiet", r.out, "Creating a NIM SPOT resource. This could take a while.",
		"Updating the NIM spot resource named 'f_u1'. This could take a while.", "Object name: f_u1", "\tinstallp_bundle=base_bnd")

	// An RPM named by its file that the SPOT already has: xCAT's check
	// ("$b =~ /$r/" of rpm's package name against the file name, [aix]
	// L15402-15417) misses it, and rpm refuses (INFERRED).
	r = w.run("mknimimage", "-u", "s_u1", "otherpkgs=R:curl-8.4.0-1.aix7.1.ppc.rpm")
	r = w.run("mknimimage", "-u", "s_u1", "otherpkgs=R:curl-8.4.0-1.aix7.1.ppc.rpm")
	check(t, "rpm twice", r.err, "Error: Command output:\n\n\tpackage curl-8.4.0-1.aix7.1.ppc is already installed\n\n\n"+
		"Error: One or more errors occurred while installing rpm packages in SPOT s_u1.\n\n"+
		"Error: Could not update software in the NIM SPOT called 's_u1'.\n\nError: Return=1.\n")

	// Refusals.
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"-i", "aix73_full", "x1"}, "Error: The '-i' option is only valid for diskless and dataless nodes.\n\n"},
		{[]string{"-t", "diskless", "-p", "x2"}, "Error: The '-p' option is only valid when using the -i' option.\n\nError: Return=1.\n"},
		{[]string{"-t", "diskless", "-i", "nosuch", "x3"}, "Error: The nosuch image definition did not contain a value for lpp_source.\n\nError: Could not create lpp_source definition.\n\nError: Return=1.\n"},
		{[]string{"-t", "diskless", "-i", "aix73_full", "s_u1"}, "Error: The osimage definition 's_u1' already exists.\n\nError: Return=1.\n"},
	} {
		r := w.run("mknimimage", c.args...)
		if !strings.HasPrefix(r.err, c.err) || r.rc != 1 {
			t.Errorf("%v: rc %d stderr %q, want prefix %q", c.args, r.rc, r.err, c.err)
		}
	}
}

func TestCopyFailsInCpcosi(t *testing.T) {
	w := legacyWorld(t, "NIMWIZ_SIM_FAIL=spot")
	r := w.run("mknimimage", "-t", "diskless", "-i", "aix73_full", "c1")
	if !strings.HasPrefix(r.err, "Error:  The cpcosi command failed. \n0042-001 cpcosi: processing error encountered on \"master\":") ||
		!strings.HasSuffix(r.err, "Error: Could not create a NIM definition for 'c1'.\n\nError: Could not create spot definition.\n\nError: Return=1.\n") {
		t.Errorf("stderr %q", r.err)
	}
	if w.state().Osimage("c1") != nil {
		t.Error("no definition after a failed copy")
	}
	if spot := w.state().Object("c1"); spot == nil || spot.Get("Rstate") == "ready for use" || spot.Complete {
		t.Errorf("cpcosi cut off leaves a SPOT that is not ready: %+v", spot)
	}
}

func TestComplete(t *testing.T) {
	w := legacyWorld(t)
	// A definition without paging (T5): -c makes only that.
	if r := w.run("chdef", "-t", "osimage", "-o", "aix73_full", "paging="); r.rc != 0 {
		t.Fatalf("chdef: %+v", r)
	}
	r := w.run("mknimimage", "-V", "-c", "aix73_full")
	if r.rc != 0 {
		t.Fatalf("rc %d: %s", r.rc, r.err)
	}
	inOrder(t, "T5", r.out,
		"Running command on xcatmn: /usr/sbin/lsnim -c resources | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/bin/lslpp -cLq bos.rte 2>&1",
		"Using existing paging resource named 'aix73_full_paging'.", // NIM still has it
		"Updating the NIM spot resource named 'aix73_full'. This could take a while.",
		"Setting the root password in the spot 'aix73_full'",
		"Object name: aix73_full",
		"\tpaging=aix73_full_paging")
	for _, no := range []string{"lsnim -t lpp_source", "cpcosi", "define -t spot", "\tinstallp_bundle="} {
		if strings.Contains(r.out, no) {
			t.Errorf("-c did %q:\n%s", no, r.out)
		}
	}
	if d := w.state().Osimage("aix73_full"); d.Attrs["paging"] != "aix73_full_paging" || d.Attrs["installp_bundle"] != "base_bnd" {
		t.Errorf("the definition after -c: %v", d.Attrs)
	}
	// A NIM object gone but still named: -c trusts the definition and does
	// nothing for it (notes §3.1).
	if r := w.run("nim", "-o", "remove", "aix73_full_paging"); r.rc != 0 {
		t.Fatal(r.err)
	}
	r = w.run("mknimimage", "-c", "aix73_full")
	if r.rc != 0 || w.state().Object("aix73_full_paging") != nil {
		t.Errorf("-c re-created a paging the definition names: rc %d", r.rc)
	}
	// An allocated SPOT: written, then refused (exit 1).
	r = w.run("mknimimage", "-c", "aix73_stateless")
	if r.rc != 1 || !strings.Contains(r.err, "is currently allocated. It cannot be updated.") {
		t.Errorf("-c of an allocated image: %+v", r)
	}
	// No definition and no -s.
	r = w.run("mknimimage", "-c", "nodef")
	check(t, "no definition", r.err, "Error: Could not get an lpp_source resource for this diskless image.\n\nError: Could not create lpp_source definition.\n\nError: Return=1.\n")
}

func TestChkosimage(t *testing.T) {
	w := legacyWorld(t)
	r := w.run("chkosimage", "-V", "aix73_full")
	if r.rc != 0 || r.err != "" {
		t.Fatalf("rc %d: %s", r.rc, r.err)
	}
	inOrder(t, "T6", r.out,
		"Running command on xcatmn: /usr/sbin/lsnim -t installp_bundle | /usr/bin/cut -f1 -d' ' 2>/dev/null 2>&1",
		"Running command on xcatmn: /usr/sbin/lsnim -a location -Z base_bnd 2>/dev/null 2>&1",
		"Running command on xcatmn: cat /install/nim/installp_bundle/base.bnd 2>&1",
		"Running command on xcatmn: installp -L -d /install/nim/lpp_source/aix7302_lpp/installp/ppc | /usr/bin/cut -f2 -d':' 2>/dev/null 2>&1",
		"Check for 'openssh.base.client'.",
		"Found 'openssh.base.client  '.",
		"All the software packages were found in the lpp_source 'aix7302_lpp'")
	check(t, "quiet", w.run("chkosimage", "aix73_full").out, "All the software packages were found in the lpp_source 'aix7302_lpp'\n\n")

	// T7: no paging, a missing RPM, two levels of one.
	w.run("chdef", "-t", "osimage", "-o", "aix73_full", "paging=", "otherpkgs=I:openssh.base,R:bash,R:nosuch")
	r = w.run("chkosimage", "aix73_full")
	check(t, "T7 stdout", r.out, "Found multiple matches for bash: (bash-5.1.16-1.aix7.1.ppc.rpm  bash-5.2.15-1.aix7.1.ppc.rpm  )\n\n")
	check(t, "T7 stderr", r.err, "Error: A diskless osimage must include a paging resource.\n\n"+
		"Warning: Could not find nosuch in aix7302_lpp.\n\n"+
		"Warning: One or more software packages could not be found in or selected from the aix7302_lpp resource.\n\n"+
		"Error: Found multiple matches for one or more rpm packages. This will cause installation errors. Remove the unwanted rpm packages from the lpp_source directory /install/nim/lpp_source/aix7302_lpp/RPMS/ppc.\n(Use the chkosimage -c option to remove all but the most recently added rpm.)\n\n"+
		"Error: Return=1.\n")
	if r.rc != 1 {
		t.Errorf("rc %d", r.rc)
	}
	// Read-only without -c: both RPMs are still there.
	if !w.exists("/install/nim/lpp_source/aix7302_lpp/RPMS/ppc/bash-5.1.16-1.aix7.1.ppc.rpm") {
		t.Error("chkosimage without -c removed a file")
	}
	// A name it does not know passes (notes §4.1).
	r = w.run("chkosimage", "nosuch")
	check(t, "unknown", r.out, "\nThere was no additional software listed in the 'otherpkgs' or 'installp_bundle' attributes.\n\n")
	if r.rc != 0 {
		t.Errorf("unknown image: rc %d", r.rc)
	}
}

func TestNodeQueries(t *testing.T) {
	w := legacyWorld(t)
	r := w.run("lsdef", "-t", "node", "-w", "provmethod==aix73_stateless", "-i", "provmethod", "-c")
	check(t, "provmethod", r.out, "dln01: provmethod=aix73_stateless\ndln02: provmethod=aix73_stateless\n")
	r = w.run("lsdef", "-t", "node", "-w", "provmethod==aix73_full", "-i", "provmethod", "-c")
	if r.out != "" || r.err != "" || r.rc != 0 {
		t.Errorf("2.9.2, no match: %+v", r)
	}
	hr := newWorld(t).run("lsdef", "-t", "node", "-w", "provmethod==aix73_full", "-i", "provmethod", "-c")
	check(t, "HEAD, no match", hr.out, "No object definitions have been found\n")
	r = w.run("lsdef", "-t", "node", "-o", "cn01", "-i", "provmethod,groups")
	check(t, "one node", r.out, "Object name: cn01\n    groups=aixnodes,all\n    provmethod=aix72_stateful\n")
	r = w.run("lsnim", "-l", "-c", "machines")
	if !strings.Contains(r.out, "dln02_aix73_stateless:\n") || !strings.Contains(r.out, "   spot           = aix73_stateless\n") {
		t.Errorf("machines:\n%s", r.out)
	}
}
