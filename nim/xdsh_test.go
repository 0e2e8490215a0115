package nim

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestLsnimRemote(t *testing.T) {
	got, err := LsnimRemote([]string{"aix71_spot", "aix71-bos"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "/usr/sbin/lsnim -l 'aix71_spot' 'aix71-bos' 2>&1; echo nimwiz-rc:$?"; got != want {
		t.Errorf("remote = %q, want %q", got, want)
	}
	for _, bad := range []string{"a'b", "a;rm -rf /", "$(x)", "-x", "", "a b"} {
		if _, err := LsnimRemote([]string{"ok", bad}); err == nil {
			t.Errorf("%q reached the remote shell", bad)
		}
	}
	argv, err := XdshArgv([]string{"sn01", "sn02"}, got)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, argv, []string{"xdsh", "sn01,sn02", "-v", "-t", "60", "-f", "64", got})
	for _, bad := range []string{"sn[1-2]", "@grp", "sn1,sn2", "sn1+2", "/sn.*/", "-v"} {
		if _, err := XdshArgv([]string{bad}, got); err == nil {
			t.Errorf("node %q reached xdsh's noderange", bad)
		}
	}
	if _, err := XdshArgv(nil, got); err == nil {
		t.Error("no nodes: xdsh must not run")
	}
}

func TestParseXdsh(t *testing.T) {
	for _, tc := range []struct {
		file   string
		nodes  []string
		states map[string]SNState
	}{
		{"xdsh-mixed.txt", []string{"sn01", "sn02", "sn03"}, map[string]SNState{"sn01": SNAnswered, "sn02": SNFailed, "sn03": SNUnreachable}},
		{"xdsh-timeout.txt", []string{"sn01", "sn02", "sn03"}, map[string]SNState{"sn01": SNAnswered, "sn02": SNTimedOut, "sn03": SNTimedOut}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			out, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]SNState{}
			for _, a := range ParseXdsh(out, tc.nodes) {
				got[a.Node] = a.State
			}
			if !reflect.DeepEqual(got, tc.states) {
				t.Errorf("states = %v, want %v", got, tc.states)
			}
		})
	}
	out, _ := os.ReadFile("testdata/xdsh-mixed.txt")
	as := ParseXdsh(out, []string{"sn01", "sn02", "sn03"})
	sn1 := ReadSNObjects(as[0])
	if len(sn1.Found) != 1 || sn1.Found[0].Name != "aix71_spot" || sn1.Found[0].Get("alloc_count") != "2" {
		t.Errorf("sn01 found %+v", sn1.Found)
	}
	eq(t, sn1.Missing, []string{"aix71_bosinst"})
	if as[0].RC != 1 {
		t.Errorf("sn01 rc = %d, want lsnim's 1", as[0].RC)
	}
	if !strings.Contains(as[1].Reason, "Connection refused") {
		t.Errorf("sn02's reason is ssh's words: %q", as[1].Reason)
	}
}

// TestXdshParserStreams: each node is settled by its own lines, whatever
// the others do.
func TestXdshParserStreams(t *testing.T) {
	p := NewXdshParser([]string{"sn01", "sn02"})
	if _, ok := p.Line("sn02: spot1:"); ok {
		t.Fatal("settled before its marker")
	}
	a, ok := p.Line("sn02: nimwiz-rc:0")
	if !ok || a.Node != "sn02" || a.State != SNAnswered {
		t.Fatalf("sn02 not settled by its marker: %+v %v", a, ok)
	}
	// A forged marker of another node's text or a line for a stranger
	// settles nothing.
	if _, ok := p.Line("sn99: nimwiz-rc:0"); ok {
		t.Error("a node nobody asked was settled")
	}
	if _, ok := p.Line("sn02: nimwiz-rc:0"); ok {
		t.Error("sn02 settled twice")
	}
	if got := p.End("xdsh was killed"); len(got) != 1 || got[0].Node != "sn01" || got[0].State != SNFailed {
		t.Errorf("End = %+v", got)
	}
}

func FuzzXdshParser(f *testing.F) {
	for _, n := range []string{"xdsh-mixed.txt", "xdsh-timeout.txt"} {
		b, _ := os.ReadFile("testdata/" + n)
		f.Add(b)
	}
	f.Add([]byte("Error: sn01 is not responding. No command will be issued to this host.\nsn01: nimwiz-rc:0\n"))
	f.Fuzz(func(t *testing.T, out []byte) {
		nodes := []string{"sn01", "sn02", "sn03"}
		as := ParseXdsh(out, nodes)
		if len(as) != len(nodes) {
			t.Fatalf("%d answers for %d nodes", len(as), len(nodes))
		}
		for _, a := range as {
			if a.State == SNWaiting {
				t.Fatalf("%s still waiting after End", a.Node)
			}
			if a.State != SNAnswered && a.Reason == "" {
				t.Fatalf("%s %v without a reason", a.Node, a.State)
			}
			r := ReadSNObjects(a)
			for _, m := range r.Missing {
				if ValidName(m) != nil && !plausibleName(m) {
					t.Fatalf("missing name %q", m)
				}
			}
		}
	})
}

func TestRemoteQueryWithPaths(t *testing.T) {
	got, err := RemoteQuery([]string{"cluster_resolv_conf"}, []string{"/install/nim/resolv_conf/r/resolv.conf"})
	if err != nil {
		t.Fatal(err)
	}
	want := "/usr/sbin/lsnim -l 'cluster_resolv_conf' 2>&1; echo nimwiz-ls; /usr/bin/ls -ld '/install/nim/resolv_conf/r/resolv.conf' 2>&1; echo nimwiz-rc:$?"
	if got != want {
		t.Errorf("remote = %q\nwant     %q", got, want)
	}
	for _, bad := range []string{"relative/x", "/a/../etc/passwd", "/a b", "/a'b", "/a;b", "/$(x)"} {
		if _, err := RemoteQuery([]string{"ok"}, []string{bad}); err == nil {
			t.Errorf("path %q reached the remote shell", bad)
		}
	}
}

func TestParseLsLd(t *testing.T) {
	got := ParseLsLd([]string{
		"-rw-r--r--    1 root     system           47 Dec 04 18:41 /install/nim/resolv_conf/r/resolv.conf",
		"-rwxr-xr-x    1 root     system         1024 Mar 02  2025 /install/nim/scripts/post.sh",
		"ls: 0653-341 The file /install/nim/x does not exist.",
		"total 8",
		"-rw-r--r-- 1 root system notanumber Dec 04 18:41 /x",
	})
	want := map[string]FileStat{
		"/install/nim/resolv_conf/r/resolv.conf": {47, "Dec 04 18:41"},
		"/install/nim/scripts/post.sh":           {1024, "Mar 02 2025"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	a := SNAnswer{Node: "sn01", State: SNAnswered, Lines: []string{
		"0042-053 lsnim: there is no NIM object named \"x\"", lsSeparator,
		"-rw-r--r--    1 root     system           35 Nov 04 18:41 /r/resolv.conf"}}
	r := ReadSNObjects(a)
	if r.Files["/r/resolv.conf"].Size != 35 || len(r.Missing) != 1 {
		t.Errorf("ReadSNObjects = %+v", r)
	}
}

func FuzzParseLsLd(f *testing.F) {
	f.Add("-rw-r--r--    1 root     system           47 Dec 04 18:41 /a/b\nls: 0653-341 The file /c does not exist.\n")
	f.Fuzz(func(t *testing.T, s string) {
		for p, st := range ParseLsLd(strings.Split(s, "\n")) {
			if !strings.HasPrefix(p, "/") || st.Size < 0 {
				t.Fatalf("%q %+v", p, st)
			}
		}
	})
}
