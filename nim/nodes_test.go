package nim

import (
	"reflect"
	"strings"
	"testing"
)

func TestNodesUsing(t *testing.T) {
	tests := []struct {
		name string
		cmd  fakeCmd
		want []string
		err  string
	}{
		{"two nodes", fakeCmd{stdout: fixture(t, "lsdef/node_provmethod_inferred.txt")}, []string{"cn01", "cn02"}, ""},
		{"none matches (2.9.2 prints nothing)", fakeCmd{}, nil, ""},
		{"none matches (later releases)", fakeCmd{stdout: []byte(NoDefinitionsMessage + "\n")}, nil, ""},
		{"no nodes at all", fakeCmd{stderr: fixture(t, "lsdef/none_nodes_inferred.stderr"), exit: 1}, nil, ""},
		{"lsdef ignored -w", fakeCmd{stdout: []byte("cn01: provmethod=71dskls\ncn09: provmethod=other\n")}, []string{"cn01"}, ""},
		{"another error", fakeCmd{stderr: []byte("Error: Permission denied for request\n"), exit: 1}, nil, "Permission denied"},
		{"junk", fakeCmd{stdout: []byte("this is not lsdef\n")}, nil, "unexpected output"},
		{"cut off", fakeCmd{stdout: []byte("cn01: provmethod=71dskls\ncn02: provm")}, nil, "mid-line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]fakeCmd{"lsdef": tt.cmd})
			got, err := f.c.NodesUsing(queryCtx, "71dskls")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tt.want)
			}
			eq(t, f.ran(t), []string{"lsdef -t node -w provmethod==71dskls -i provmethod -c"})
		})
	}
	f := newFake(t, nil)
	if _, err := f.c.NodesUsing(queryCtx, "a;b"); err == nil || f.ran(t) != nil {
		t.Errorf("a bad name reached lsdef: %v %v", err, f.ran(t))
	}
}

func TestClientsUsing(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsnim": {stdout: fixture(t, "lsnim/machines_long_r.txt")}})
	got, err := f.c.ClientsUsing(queryCtx, "71dskls", "71dskls_shared_root")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, f.ran(t), []string{"lsnim -l -c machines"})
	if len(got) != 2 || got[0].Name != "cn01" || got[1].Name != "cn02_71dskls" {
		t.Fatalf("clients %+v", got)
	}
	eq(t, got[0].Uses, []Attr{{"spot", "71dskls"}, {"shared_root", "71dskls_shared_root"}})
	if got[0].Node("71dskls") != "cn01" || got[0].Suffixed("71dskls") || got[1].Node("71dskls") != "cn02" || !got[1].Suffixed("71dskls") {
		t.Errorf("node names: %q %q", got[0].Node("71dskls"), got[1].Node("71dskls"))
	}
	if got[1].Cstate != "diskless or dataless boot is enabled" || got[1].Type != "diskless" {
		t.Errorf("client %+v", got[1])
	}
	// A shared paging says nothing about who uses the SPOT.
	if got, _ := f.c.ClientsUsing(queryCtx, "nosuch"); len(got) != 0 {
		t.Errorf("clients of nosuch: %+v", got)
	}
}

func TestParseLsdefCompressed(t *testing.T) {
	got := ParseLsdefCompressed([]byte("cn01: provmethod=71dskls\n\nNo object definitions have been found\ncn02: groups=all,compute\nbad line\n: x=y\ncn03: =v\ncn04: a b=c\n"))
	want := []CompressedAttr{{"cn01", "provmethod", "71dskls"}, {"cn02", "groups", "all,compute"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
}

func FuzzParseLsdefCompressed(f *testing.F) {
	f.Add([]byte("cn01: provmethod=71dskls\n"))
	f.Add([]byte("x: a=\n: b=c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, a := range ParseLsdefCompressed(b) {
			if a.Object == "" || a.Attr == "" || strings.ContainsAny(a.Attr+a.Object, " \t\n=") {
				t.Errorf("bad attribute %+v", a)
			}
		}
	})
}

func TestImageUse(t *testing.T) {
	u := ImageUse{Image: "71dskls", Nodes: []string{"cn01", "cn05"},
		Clients: []NimClient{{Name: "cn01", Uses: []Attr{{"spot", "71dskls"}}}, {Name: "cn02_71dskls", Uses: []Attr{{"spot", "71dskls"}, {"shared_root", "71dskls_shared_root"}}}}}
	eq(t, u.AllNodes(), []string{"cn01", "cn02", "cn05"})
	want := "the xCAT nodes cn01,cn05 boot from it (provmethod=71dskls); NIM has it allocated to the clients cn01 (spot), cn02_71dskls (spot, shared_root)"
	if got := u.Describe(); got != want {
		t.Errorf("Describe:\n got %s\nwant %s", got, want)
	}
	if (ImageUse{}).InUse() || (ImageUse{}).Describe() != "" {
		t.Error("empty use")
	}
	steps := SafePathOf("71dskls", Diskless, CopyName("71dskls"), u)
	eq(t, steps[2:], []string{"mkdsklsnode -n -i 71dskls_u1 cn01,cn02,cn05", "rpower cn01,cn02,cn05 reset",
		"rmdsklsnode -r -i 71dskls cn02", "rmdsklsnode -r cn01   (their NIM clients are named like the nodes: made without -n)"})
	if steps[0] != `mknimimage -V -t diskless -i 71dskls 71dskls_u1   (nimwiz: kind = "copy", from = "71dskls", name = "71dskls_u1")` {
		t.Errorf("SafePath's copy: %s", steps[0])
	}
	// A dataless image's copy stays dataless: -t is written into the copy's
	// definition.
	dtls := SafePathOf("71dtls", Dataless, "71dtls_u1", u)
	if want := `mknimimage -V -t dataless -i 71dtls 71dtls_u1   (nimwiz: kind = "copy", from = "71dtls", name = "71dtls_u1", type = "dataless")`; dtls[0] != want {
		t.Errorf("SafePathOf dataless:\n got %s\nwant %s", dtls[0], want)
	}
	// Only clients of mkdsklsnode -n, or none known: rmdsklsnode -i.
	u.Clients = u.Clients[1:]
	eq(t, MoveNodes("71dskls", "new", u)[2:], []string{"rmdsklsnode -r -i 71dskls cn01,cn02,cn05"})
	eq(t, MoveNodes("71dskls", "new", ImageUse{Image: "71dskls"}), []string{"mkdsklsnode -n -i new noderange", "rpower noderange reset", "rmdsklsnode -r -i 71dskls noderange"})
	if n := CopyName(strings.Repeat("a", 39)); len(n)+len("_shared_root") > MaxNameLen || !strings.HasSuffix(n, "_u1") {
		t.Errorf("CopyName of a long name: %q", n)
	}
	if n := CopyName("x", "x_u1", "x_u2"); n != "x_u3" {
		t.Errorf("CopyName with taken names: %q", n)
	}
}
