package nim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCheckNames(t *testing.T) {
	plan := Plan{Name: "k2", Type: Diskless, Source: "/dev/cd0"}
	missing := func(names ...string) []byte {
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "0042-053 lsnim: there is no NIM object named \"%s\"\n", n)
		}
		return []byte(b.String())
	}
	noDef := fakeCmd{stderr: []byte("Error: Could not find an object named 'k2' of type 'osimage'.\n"), exit: 1}
	stanza := func(name, class, typ, rstate string, extra ...string) []byte {
		s := fmt.Sprintf("%s:\n   class       = %s\n   type        = %s\n", name, class, typ)
		if rstate != "" {
			s += "   Rstate      = " + rstate + "\n"
		}
		for _, e := range extra {
			s += "   " + e + "\n"
		}
		return []byte(s)
	}
	all := []string{"k2_lpp_source", "k2", "k2_root", "k2_paging"}
	tests := []struct {
		name     string
		lsdef    fakeCmd
		lsnim    fakeCmd
		problems []string // substrings, one per problem, in order
		existing []string
		reuse    []string
	}{
		{name: "fresh", lsdef: noDef, lsnim: fakeCmd{stderr: missing(all...), exit: 1}},
		{name: "osimage exists", lsdef: fakeCmd{stdout: []byte("Object name: k2\n    imagetype=NIM\n    spot=k2\n")}, lsnim: fakeCmd{stderr: missing(all...), exit: 1},
			problems: []string{"the osimage k2 already exists"}, existing: []string{"osimage:k2"}},
		{name: "lpp_source named like the SPOT", lsdef: noDef,
			lsnim:    fakeCmd{stdout: stanza("k2", "resources", "lpp_source", "ready for use"), stderr: missing("k2_lpp_source", "k2_root", "k2_paging"), exit: 1},
			problems: []string{"NIM already has a lpp_source named k2"}, existing: []string{"k2"}},
		{name: "network named like the SPOT", lsdef: noDef,
			lsnim:    fakeCmd{stdout: stanza("k2", "networks", "ent", ""), stderr: missing("k2_lpp_source", "k2_root", "k2_paging"), exit: 1},
			problems: []string{"NIM already has a ent named k2"}, existing: []string{"k2"}},
		{name: "half-built SPOT", lsdef: noDef,
			lsnim:    fakeCmd{stdout: stanza("k2", "resources", "spot", "unavailable for use"), stderr: missing("k2_lpp_source", "k2_root", "k2_paging"), exit: 1},
			problems: []string{`the spot k2 and it is "unavailable for use"`}, existing: []string{"k2"}},
		{name: "built SPOT not ready", lsdef: noDef,
			lsnim:    fakeCmd{stdout: stanza("k2", "resources", "spot", "unavailable for use", "oslevel_r     = 7200-05"), stderr: missing("k2_lpp_source", "k2_root", "k2_paging"), exit: 1},
			problems: []string{"nim -Fo reset k2"}, existing: []string{"k2"}},
		{name: "ready lpp_source is reused", lsdef: noDef,
			lsnim:    fakeCmd{stdout: stanza("k2_lpp_source", "resources", "lpp_source", "ready for use"), stderr: missing("k2", "k2_root", "k2_paging"), exit: 1},
			existing: []string{"k2_lpp_source"}, reuse: []string{"k2_lpp_source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, map[string]fakeCmd{"lsdef": tt.lsdef, "lsnim": tt.lsnim})
			nc, err := f.c.CheckNames(queryCtx, plan)
			if err != nil {
				t.Fatal(err)
			}
			if len(nc.Problems) != len(tt.problems) {
				t.Fatalf("problems %v, want %q", nc.Problems, tt.problems)
			}
			for i, p := range nc.Problems {
				if !strings.Contains(p.Message, tt.problems[i]) {
					t.Errorf("problem %q lacks %q", p.Message, tt.problems[i])
				}
			}
			if got := nc.Existing(); !slices.Equal(got, tt.existing) {
				t.Errorf("existing %q, want %q", got, tt.existing)
			}
			var reuse []string
			for _, n := range nc.Names {
				if n.Reuse() && n.Object.Ready() {
					reuse = append(reuse, n.Resource.Name)
				}
			}
			if !slices.Equal(reuse, tt.reuse) {
				t.Errorf("reused %q, want %q", reuse, tt.reuse)
			}
			ran := f.ran(t)
			slices.Sort(ran)
			if want := []string{"lsdef -t osimage -o k2 -l", "lsnim -l k2_lpp_source k2 k2_root k2_paging"}; !slices.Equal(ran, want) {
				t.Errorf("ran %q, want %q (one round: one lsdef, one lsnim)", ran, want)
			}
		})
	}
	f := newFake(t, map[string]fakeCmd{"lsdef": noDef, "lsnim": {stdout: []byte("garbage\n"), exit: 3}})
	if _, err := f.c.CheckNames(queryCtx, plan); err == nil {
		t.Error("a broken lsnim passed the check")
	}
}
