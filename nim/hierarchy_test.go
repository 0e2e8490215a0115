package nim

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseHierarchy(t *testing.T) {
	out, err := os.ReadFile("testdata/hierarchy-nodes.txt")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ParseHierarchy(out, Site{Master: "10.0.0.10"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"sn01", "sn02", "sn03"}; !reflect.DeepEqual(h.ServiceNodes, want) {
		t.Errorf("ServiceNodes = %v, want %v", h.ServiceNodes, want)
	}
	if want := []string{"cn001", "cn002"}; !reflect.DeepEqual(h.Serves["sn01"], want) {
		t.Errorf("sn01 serves %v, want %v (primary and backup)", h.Serves["sn01"], want)
	}
	if h.Serving("sn03") {
		t.Errorf("sn03 serves nobody, Serving says it does")
	}
	if want := []string{"sn02", "sn01"}; !reflect.DeepEqual(h.ServedBy["cn002"], want) {
		t.Errorf("cn002 served by %v, want primary first %v", h.ServedBy["cn002"], want)
	}
	if _, ok := h.ServedBy["cn004"]; ok {
		t.Errorf("cn004's servicenode is site.master: served by the MN, not an SN")
	}
	if h.SharedInstall != "no" {
		t.Errorf("SharedInstall = %q, want the default no", h.SharedInstall)
	}
	if got := h.ServersOf([]string{"cn002", "cn003"}); !reflect.DeepEqual(got, []string{"sn01", "sn02"}) {
		t.Errorf("ServersOf = %v", got)
	}
}

func TestParseHierarchyCases(t *testing.T) {
	for _, tc := range []struct {
		name, out, master string
		sns               []string
		err               string
	}{
		{"none", "", "mn01", nil, ""},
		{"head no definitions", NoDefinitionsMessage + "\n", "mn01", nil, ""},
		{"master by short name", "cn1: servicenode=mn01\n", "mn01.cluster.com", nil, ""},
		{"backup only counts too", "cn1: servicenode=sn1,sn2\n", "mn01", []string{"sn1", "sn2"}, ""},
		{"noderange syntax refused", "cn1: servicenode=sn[1-2]\n", "mn01", nil, "only letters"},
		{"group in a list", "sn9: groups=all,service\n", "mn01", []string{"sn9"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ParseHierarchy([]byte(tc.out), Site{Master: tc.master}, "sns")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(h.ServiceNodes, tc.sns) {
				t.Errorf("ServiceNodes = %v, want %v", h.ServiceNodes, tc.sns)
			}
		})
	}
}

func TestHierarchyQueries(t *testing.T) {
	// One fake lsdef answering both queries by its -t (tests only: a
	// shell script stands in for xCAT's client).
	dir := t.TempDir()
	nodes, err := filepath.Abs("testdata/hierarchy-nodes.txt")
	if err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\necho \"lsdef $*\" >> '" + dir + "/argv.log'\n" +
		"if [ \"$2\" = site ]; then printf 'Object name: clustersite\\n    master=10.0.0.10\\n    sharedinstall=sns\\n'; exit 0; fi\n" +
		"cat '" + nodes + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "lsdef"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	c := NewClient(&Executor{Dirs: []string{dir}, Timeout: 10 * time.Second})
	h, err := c.Hierarchy(queryCtx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "argv.log"))
	ran := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(ran) != HierarchyQueries {
		t.Errorf("ran %d commands, HierarchyQueries says %d: %q", len(ran), HierarchyQueries, ran)
	}
	eq(t, ran, []string{"lsdef -t site -i master,nimprime,sharedinstall", "lsdef -t node -i servicenode,groups -c"})
	if h.SharedInstall != "sns" || len(h.ServiceNodes) != 3 || h.Master != "10.0.0.10" {
		t.Errorf("hierarchy = %+v", h)
	}
}

func FuzzParseHierarchy(f *testing.F) {
	b, _ := os.ReadFile("testdata/hierarchy-nodes.txt")
	f.Add(b, "10.0.0.10")
	f.Add([]byte("cn1: servicenode=a,,b\n"), "a")
	f.Fuzz(func(t *testing.T, out []byte, master string) {
		h, err := ParseHierarchy(out, Site{Master: master}, "")
		if err != nil {
			return
		}
		for _, sn := range h.ServiceNodes {
			if ValidNodeName(sn) != nil {
				t.Fatalf("service node %q would reach xdsh unchecked", sn)
			}
		}
		for sn, nodes := range h.Serves {
			for _, n := range nodes {
				if !nameIn(h.ServedBy[n], sn) {
					t.Fatalf("%s serves %s but %s is not served by it", sn, n, n)
				}
			}
		}
	})
}
