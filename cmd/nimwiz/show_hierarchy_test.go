package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// show --hierarchy --json over the simulated hierarchy: the matrix for
// scripts, one xdsh beside the other queries, the SPOT sn02 lost to an
// update flagged as drift.
func TestShowHierarchyJSON(t *testing.T) {
	a, out, errb, _ := simApp(t, simtest.ServiceNodes())
	var ran []string
	a.exec.Observe = func(r nim.Result) { ran = append(ran, r.Argv[0]) }
	if code := a.do("show", []string{"aix73_stateless", "--json", "--hierarchy"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var m nim.Matrix
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := strings.Join(m.ServerNames(), ","); got != "MN,sn01,sn02" {
		t.Errorf("columns %s", got)
	}
	xdsh := 0
	for _, c := range ran {
		if c == "xdsh" {
			xdsh++
		}
	}
	if xdsh != 1 || len(ran) != m.Queries {
		t.Errorf("ran %v (matrix says %d commands); want one xdsh", ran, m.Queries)
	}
	var spot nim.Row
	for _, r := range m.Rows {
		if r.Attr == "spot" {
			spot = r
		}
	}
	if c := spot.Cells["sn02"]; c.Present || len(c.Drift) == 0 || !strings.Contains(c.Drift[0], "mknimimage -u") {
		t.Errorf("sn02's SPOT cell %+v", c)
	}
	if c := spot.Cells["sn01"]; !c.Present || c.Alloc != 1 || len(c.Drift) != 0 {
		t.Errorf("sn01's SPOT cell %+v", c)
	}
}

// An unreachable SN: the matrix is still printed, its column unknown, and
// the exit status says so.
func TestShowHierarchyUnreachable(t *testing.T) {
	a, out, errb, _ := simApp(t, simtest.ServiceNodes(), simtest.Env("NIMWIZ_SIM_SN_DOWN", "sn01"))
	if code := a.do("show", []string{"aix73_stateless", "--hierarchy"}); code != exitFail {
		t.Fatalf("exit %d, want %d: %s", code, exitFail, errb)
	}
	for _, w := range []string{"sn01 unreachable: not responding", "missing !"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errb.String(), "sn01 unreachable") {
		t.Errorf("stderr: %s", errb)
	}
}

// A file resource whose SN copy has another size and time than the MN's
// (ls -ld on both sides: one ls here, the SN's inside the one xdsh).
func TestShowHierarchyFileDrift(t *testing.T) {
	a, out, errb, _ := simApp(t, simtest.ServiceNodes())
	if code := a.do("show", []string{"aix73_full", "--json", "--hierarchy"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var m nim.Matrix
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, r := range m.Rows {
		c := r.Cells["sn01"]
		switch r.Attr {
		case "resolv_conf":
			if len(c.Drift) != 1 || !strings.Contains(c.Drift[0], "differs from the management node's") || c.File == nil || r.Cells["MN"].File == nil {
				t.Errorf("resolv_conf on sn01: %+v", c)
			}
		case "script":
			if len(c.Drift) != 0 || c.File == nil || *c.File != *r.Cells["MN"].File {
				t.Errorf("script on sn01 (same copy): %+v", c)
			}
		}
	}
	if !strings.Contains(m.Xdsh, "nimwiz-ls; /usr/bin/ls -ld") {
		t.Errorf("xdsh %s", m.Xdsh)
	}
}
