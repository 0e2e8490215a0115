package nim

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

// fakeHost is a Host with fixed answers: this host has addrs; names
// resolve by the map.
func fakeHost(sn bool, names map[string]string, addrs ...string) Host {
	return Host{
		Addrs: func() ([]net.IP, error) {
			var ips []net.IP
			for _, a := range addrs {
				ips = append(ips, net.ParseIP(a))
			}
			return ips, nil
		},
		Lookup: func(_ context.Context, name string) ([]net.IP, error) {
			var ips []net.IP
			for _, a := range strings.Fields(names[name]) {
				ips = append(ips, net.ParseIP(a))
			}
			if len(ips) == 0 {
				return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
			}
			return ips, nil
		},
		ServiceNode: func() bool { return sn },
		Name:        func() (string, error) { return "xcatmn", nil },
	}
}

func TestSite(t *testing.T) {
	f := newFake(t, map[string]fakeCmd{"lsdef": {stdout: fixture(t, "lsdef/site_nimprime_synthetic.txt")}})
	s, err := f.c.Site(queryCtx)
	if err != nil || s != (Site{Master: "10.0.0.1", Nimprime: "nim01"}) {
		t.Fatalf("%+v %v", s, err)
	}
	eq(t, f.ran(t), []string{"lsdef -t site -i master,nimprime"})
	s, err = newFake(t, map[string]fakeCmd{"lsdef": {stdout: []byte("Object name: clustersite\n    master=mn\n    nimprime=\n")}}).c.Site(queryCtx)
	if err != nil || s != (Site{Master: "mn"}) {
		t.Errorf("empty nimprime: %+v %v", s, err)
	}
	for _, fc := range []fakeCmd{
		{stdout: []byte("Object name: other\n    master=mn\n")},
		{stdout: []byte("garbage\n")},
		{stdout: fixture(t, "lsdef/none_verified.txt")},
		{stderr: []byte("Error: [mn]: Permission denied\n"), exit: 1},
	} {
		if _, err := newFake(t, map[string]fakeCmd{"lsdef": fc}).c.Site(queryCtx); err == nil || !strings.Contains(err.Error(), "lsdef -t site -i master,nimprime") {
			t.Errorf("%q%q: %v", fc.stdout, fc.stderr, err)
		}
	}
}

func TestCheckNIMPrimary(t *testing.T) {
	nimprime := fixture(t, "lsdef/site_nimprime_synthetic.txt")
	master := fixture(t, "lsdef/site_master_synthetic.txt")
	names := map[string]string{"nim01": "10.0.0.7", "xcatmn": "10.0.0.1 fd00::1", "loop": "127.0.0.1"}
	tests := []struct {
		name  string
		site  []byte
		host  Host
		ok    bool
		says  string
		notNP bool // the error wraps ErrNotNIMPrimary
	}{
		{"nimprime is this host", nimprime, fakeHost(false, names, "127.0.0.1", "10.0.0.7"), true, "", false},
		{"nimprime elsewhere", nimprime, fakeHost(false, names, "127.0.0.1", "10.0.0.1"), false,
			"site.nimprime is nim01 (10.0.0.7), not xcatmn: xCAT sends mknimimage to the NIM master it names, so the checks nimwiz makes here (lsnim, the source directory, free space, files) would look at the wrong NIM master. Run nimwiz on nim01", true},
		{"a service node runs it itself", nimprime, fakeHost(true, names, "10.0.0.9"), true, "", false},
		{"no nimprime: the master, by its short name", master, fakeHost(false, names, "fd00::1"), true, "", false},
		{"no nimprime, master elsewhere", master, fakeHost(false, names, "10.0.0.9"), false,
			"site.master is xcatmn.cluster.net (10.0.0.1, fd00::1), not xcatmn: site.nimprime is unset, so xCAT sends mknimimage to the management node it names", true},
		{"an address", []byte("Object name: clustersite\n    master=10.0.0.1\n    nimprime=10.0.0.7\n"), fakeHost(false, nil, "10.0.0.7"), true, "", false},
		{"an address elsewhere", []byte("Object name: clustersite\n    master=10.0.0.1\n    nimprime=10.0.0.7\n"), fakeHost(false, nil, "10.0.0.1"), false, "site.nimprime is 10.0.0.7 (10.0.0.7), not xcatmn", true},
		{"unresolvable", []byte("Object name: clustersite\n    nimprime=gone.cluster.net\n"), fakeHost(false, names, "10.0.0.1"), false,
			"site.nimprime is gone.cluster.net, which does not resolve on this host (lookup gone: no such host)", true},
		{"neither", []byte("Object name: clustersite\n    domain=cluster.net\n"), fakeHost(false, names, "10.0.0.1"), false, "neither nimprime nor master", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := newFake(t, map[string]fakeCmd{"lsdef": {stdout: tt.site}}).c.CheckNIMPrimary(queryCtx, tt.host)
			if tt.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.says) || errors.Is(err, ErrNotNIMPrimary) != tt.notNP {
				t.Errorf("%v\nwant %q", err, tt.says)
			}
		})
	}
	// A site query that fails is said as such, not as "elsewhere".
	err := newFake(t, map[string]fakeCmd{"lsdef": {stderr: []byte("Error: Permission denied\n"), exit: 1}}).c.CheckNIMPrimary(queryCtx, fakeHost(false, names))
	if err == nil || errors.Is(err, ErrNotNIMPrimary) || !strings.Contains(err.Error(), "find where xCAT runs mknimimage (site.nimprime): lsdef -t site") {
		t.Errorf("failed query: %v", err)
	}
}

// ThisHost answers on any machine without root: its addresses include a
// loopback one, and localhost resolves to one of them.
func TestThisHost(t *testing.T) {
	h := ThisHost()
	addrs, err := h.Addrs()
	if err != nil || len(addrs) == 0 {
		t.Fatalf("addresses: %v %v", addrs, err)
	}
	loop := false
	for _, a := range addrs {
		loop = loop || a.IsLoopback()
	}
	if !loop {
		t.Errorf("no loopback address in %v", addrs)
	}
	if _, err := h.Name(); err != nil {
		t.Error(err)
	}
	h.ServiceNode() // answers either way
}
