package nim

import (
	"reflect"
	"strings"
	"testing"
)

func obj(name, typ, rstate, loc string, more ...Attr) Object {
	attrs := []Attr{{"class", "resources"}, {"type", typ}, {"Rstate", rstate}, {"location", loc}}
	return Object{Name: name, Attrs: append(attrs, more...)}
}

const notReady = "unavailable for use"

var (
	lppReady    = obj("71cosi_lpp_source", "lpp_source", RstateReady, "/install/nim/lpp_source/71cosi_lpp_source")
	lppHalf     = obj("71cosi_lpp_source", "lpp_source", notReady, "/install/nim/lpp_source/71cosi_lpp_source")
	spotReady   = obj("71cosi", "spot", RstateReady, "/install/nim/spot/71cosi/usr", Attr{"oslevel_r", "7100-05"}, Attr{"if_supported", "chrp.64 ent"})
	spotHalf    = obj("71cosi", "spot", notReady, "/install/nim/spot/71cosi/usr")
	spotVerify  = obj("71cosi", "spot", "verification is being performed", "/install/nim/spot/71cosi/usr")
	spotBuiltNR = obj("71cosi", "spot", notReady, "/install/nim/spot/71cosi/usr", Attr{"oslevel_r", "7100-05"}, Attr{"if_supported", "chrp.64 ent"})
	sharedReady = obj("71cosi_shared_root", "shared_root", RstateReady, "/install/nim/shared_root/71cosi_shared_root")
	sharedHalf  = obj("71cosi_shared_root", "shared_root", notReady, "/install/nim/shared_root/71cosi_shared_root")
	pagingReady = obj("71cosi_paging", "paging", RstateReady, "/install/nim/paging/71cosi_paging")
	dumpReady   = obj("71cosi_dump", "dump", RstateReady, "/install/nim/dump/71cosi_dump")
)

// Each state is what a run of the plan leaves when the simulator's
// NIMWIZ_SIM_FAIL=<phase> (or a cut-off) stops it there.
func TestCleanup(t *testing.T) {
	plan := Plan{Name: "71cosi", Type: Diskless, Source: "/export/aix71", Stateless: true, Dump: true}
	all := []string{"71cosi_lpp_source", "71cosi", "71cosi_shared_root", "71cosi_dump", "71cosi_paging"}
	without := func(names ...string) []string {
		var out []string
		for _, n := range all {
			keep := true
			for _, x := range names {
				keep = keep && x != n
			}
			if keep {
				out = append(out, n)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		plan    Plan
		left    []Object
		missing []string
		def     bool
		want    []string // commands
		whyHas  []string // words each step's why must contain, in order
	}{
		{name: "fail lpp_source: NIM dropped it", missing: all},
		{name: "cut off in lpp_source", left: []Object{lppHalf}, missing: without("71cosi_lpp_source"),
			want:   []string{"nim -Fo remove 71cosi_lpp_source", "rm -R /install/nim/lpp_source/71cosi_lpp_source"},
			whyHas: []string{"suspect", "on disk"}},
		{name: "fail spot: half-built", left: []Object{lppReady, spotHalf}, missing: without("71cosi_lpp_source", "71cosi"),
			want:   []string{"nim -Fo remove 71cosi", "rm -R /install/nim/spot/71cosi"},
			whyHas: []string{"half-built", "0042-081"}},
		{name: "cut off during verification", left: []Object{lppReady, spotVerify}, missing: without("71cosi_lpp_source", "71cosi"),
			want: []string{"nim -Fo remove 71cosi", "rm -R /install/nim/spot/71cosi"}},
		{name: "SPOT built, left unavailable", left: []Object{lppReady, spotBuiltNR}, missing: without("71cosi_lpp_source", "71cosi"),
			want:   []string{"nim -Fo reset 71cosi", "nim -Fo check 71cosi"},
			whyHas: []string{"reset makes it ready", "nim -Fo remove 71cosi"}},
		{name: "fail root", left: []Object{lppReady, spotReady}, missing: without("71cosi_lpp_source", "71cosi")},
		{name: "shared_root not ready", left: []Object{lppReady, spotReady, sharedHalf}, missing: []string{"71cosi_dump", "71cosi_paging"},
			want: []string{"nim -Fo remove 71cosi_shared_root", "rm -R /install/nim/shared_root/71cosi_shared_root"}},
		{name: "fail dump", left: []Object{lppReady, spotReady, sharedReady}, missing: []string{"71cosi_dump", "71cosi_paging"}},
		{name: "fail paging", left: []Object{lppReady, spotReady, sharedReady, dumpReady}, missing: []string{"71cosi_paging"}},
		{name: "fail definition", left: []Object{lppReady, spotReady, sharedReady, dumpReady, pagingReady}},
		{name: "fail update", left: []Object{lppReady, spotReady, sharedReady, dumpReady, pagingReady}, def: true,
			want:   []string{"rmnimimage -f -d -x 71cosi", "rm -R /install/nim/dump/71cosi_dump"},
			whyHas: []string{"already exists", "dump directory"}},
		{name: "fail password", plan: Plan{Name: "71cosi", Type: Diskless, Source: "/export/aix71", Stateless: true},
			left: []Object{lppReady, spotReady, sharedReady, pagingReady}, def: true,
			want: []string{"rmnimimage -f -d -x 71cosi"}},
		{name: "definition with borrowed resources",
			plan: Plan{Name: "71cosi", Type: Dataless, Source: "aix71_lpp", Extra: map[string]string{"resolv_conf": "site_resolv", "root": "old_root"}},
			left: []Object{spotReady}, def: true,
			want:   []string{"chdef -t osimage -o 71cosi lpp_source= root= resolv_conf=", "rmnimimage -f -d -x 71cosi"},
			whyHas: []string{"aix71_lpp, old_root, site_resolv", "-d"}},
		{name: "borrowed lpp_source not ready is not ours",
			plan: Plan{Name: "71cosi", Type: Dataless, Source: "aix71_lpp"},
			left: []Object{obj("aix71_lpp", "lpp_source", notReady, "/export/lpp/aix71_lpp")}},
		{name: "dump at the -l directory is never deleted",
			plan: Plan{Name: "71cosi", Type: Dataless, Source: "/export/aix71", Dump: true, Location: "/nim2"},
			left: []Object{obj("71cosi_dump", "dump", notReady, "/nim2")},
			want: []string{"nim -Fo remove 71cosi_dump"}, whyHas: []string{"shared with other resources"}},
		{name: "several not ready: dependents first",
			left: []Object{lppHalf, spotHalf, sharedHalf},
			want: []string{"nim -Fo remove 71cosi_shared_root", "rm -R /install/nim/shared_root/71cosi_shared_root",
				"nim -Fo remove 71cosi", "rm -R /install/nim/spot/71cosi",
				"nim -Fo remove 71cosi_lpp_source", "rm -R /install/nim/lpp_source/71cosi_lpp_source"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan
			if p.Name == "" {
				p = plan
			}
			steps := Cleanup(p, tc.left, tc.missing, tc.def)
			var got []string
			for _, s := range steps {
				got = append(got, ShellLine(s.Argv))
				if s.Why == "" {
					t.Errorf("%s: no why", ShellLine(s.Argv))
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			for i, w := range tc.whyHas {
				if !strings.Contains(steps[i].Why, w) {
					t.Errorf("step %d why %q lacks %q", i, steps[i].Why, w)
				}
			}
		})
	}
}

func TestCleanupStepQuotes(t *testing.T) {
	s := CleanupStep{Argv: []string{"rm", "-R", "/a b/it's"}}
	if got := ShellLine(s.Argv); got != `rm -R '/a b/it'\''s'` {
		t.Errorf("Command = %s", got)
	}
}
