package nim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Commands get the caller's environment (the xCAT clients need PERL5LIB,
// XCATHOST, XCATROOT, XCATSSLVER), with the C locale forced and the
// variables that change the clients' output or bypass xcatd removed.
func TestEnvironIsTheCallersWithTheCLocale(t *testing.T) {
	e := &Executor{Base: []string{
		"PATH=/usr/bin", "HOME=/root", "PERL5LIB=/usr/opt/perl5/lib/5.8.2", "XCATHOST=mn01:3001",
		"XCATROOT=/opt/xcat", "XCATSSLVER=TLSv1", "LANG=fr_FR", "LC_MESSAGES=fr_FR", "LC_ALL=fr_FR",
		"XCATBYPASS=1", "XCATSHOWXML=1", "XCATXMLTRACE=1", "XCATXMLWARNING=1", "XCATSHOWSVR=1",
		"NIMWIZ_LIVE_FD=7", "ODMDIR=/etc/objrepos", "garbage",
	}, Env: []string{"NIMWIZ_SIM_ROOT=/w", "HOME=/other"}}
	got := e.Environ()
	slices.Sort(got)
	want := []string{"PATH=/usr/bin", "HOME=/other", "PERL5LIB=/usr/opt/perl5/lib/5.8.2", "XCATHOST=mn01:3001",
		"XCATROOT=/opt/xcat", "XCATSSLVER=TLSv1", "LANG=C", "LC_ALL=C", "ODMDIR=/etc/objrepos", "NIMWIZ_SIM_ROOT=/w"}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Environ\n got %q\nwant %q", got, want)
	}
}

// With LiveDir the clients load the live module, keeping the admin's own
// PERL5OPT and PERL5LIB.
func TestEnvironLoadsTheLiveModule(t *testing.T) {
	e := &Executor{Base: []string{"PERL5OPT=-w", "PERL5LIB=/usr/opt/perl5/lib/5.8.2"}, LiveDir: "/var/lib/nimwiz/perl"}
	got := e.Environ()
	for _, w := range []string{"PERL5OPT=-w -MNimwizLive", "PERL5LIB=/var/lib/nimwiz/perl:/usr/opt/perl5/lib/5.8.2"} {
		if !slices.Contains(got, w) {
			t.Errorf("want %q in %q", w, got)
		}
	}
	e.Base = []string{}
	got = e.Environ()
	for _, w := range []string{"PERL5OPT=-MNimwizLive", "PERL5LIB=/var/lib/nimwiz/perl"} {
		if !slices.Contains(got, w) {
			t.Errorf("want %q in %q", w, got)
		}
	}
}

// Without PERL5LIB (cron, su without -) it comes from /etc/environment, as
// login would give it, but only from a root-owned file nobody else can write.
func TestEnvironTakesPERL5LIBFromTheSystemEnvironment(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Log("not root: only the refusal of a file not owned by root is tested")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "environment")
	os.WriteFile(file, []byte("# xCAT Perl setup\nPERL5LIB=/old\n\nPATH=/usr/bin\nPERL5LIB=/usr/opt/perl5/lib/5.8.2:/usr/opt/perl5/lib/site_perl/5.8.2 \n"), 0o644)
	old := SystemEnvironmentFile
	SystemEnvironmentFile = file
	t.Cleanup(func() { SystemEnvironmentFile = old })
	e := &Executor{Base: []string{"PATH=/bin"}}
	has := slices.Contains(e.Environ(), "PERL5LIB=/usr/opt/perl5/lib/5.8.2:/usr/opt/perl5/lib/site_perl/5.8.2")
	if has != (os.Geteuid() == 0) {
		t.Errorf("PERL5LIB from a file owned by uid %d: %v", os.Geteuid(), has)
	}
	os.Chmod(file, 0o666)
	if slices.ContainsFunc(e.Environ(), func(s string) bool { return strings.HasPrefix(s, "PERL5LIB=") }) {
		t.Error("PERL5LIB taken from a world-writable file")
	}
	if os.Geteuid() == 0 {
		os.Chmod(file, 0o644)
		os.Chown(file, 65534, 65534)
		if slices.ContainsFunc(e.Environ(), func(s string) bool { return strings.HasPrefix(s, "PERL5LIB=") }) {
			t.Error("PERL5LIB taken from a file another user owns")
		}
	}
}

// A command that changes the master and does not end in time is stopped,
// and the error says that xcatd may still be working.
func TestRunTimeoutSaysXcatdMayGoOn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "rmnimimage"), []byte("#!/bin/sh\nexec sleep 30\n"), 0o755)
	e := &Executor{Dirs: []string{dir}}
	start := time.Now()
	_, err := e.Run(context.Background(), 200*time.Millisecond, "rmnimimage", "x")
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "xcatd may still be working") {
		t.Fatalf("Run: %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	os.WriteFile(filepath.Join(dir, "lsdef"), []byte("#!/bin/sh\nexec sleep 30\n"), 0o755)
	e.Timeout = 200 * time.Millisecond
	if _, err := e.Query(context.Background(), "lsdef"); !errors.Is(err, ErrTimeout) || strings.Contains(err.Error(), "xcatd may") {
		t.Fatalf("Query: %v", err)
	}
}
