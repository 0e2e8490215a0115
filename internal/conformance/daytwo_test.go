package conformance

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/sim/simtest"
	"github.com/nimwiz/nimwiz/nim"
)

// The day-two runs: nimwiz's tracker, proof, report and reason parsers,
// and its pre-flight and node queries, over the simulator's own output.

func TestUpdateRunsParseAndTrack(t *testing.T) {
	adhoc := nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", Extra: map[string]string{
		"installp_bundle": "devel_bnd",
		"otherpkgs":       "I:bos.adt.lib,R:curl-8.4.0-1.aix7.1.ppc.rpm,E:IJ47643s2a.230912.epkg.Z",
		"synclists":       "/install/sync/compute.synclist",
	}}
	for _, pa := range paths {
		for _, from := range []string{"plan", "definition"} {
			t.Run(from+"/"+pa.name, func(t *testing.T) {
				w := simtest.New(t)
				p := adhoc
				if from == "definition" {
					// Recorded in the definition first, as the man page advises.
					args := []string{"-t", "osimage", "-o", "aix73_full"}
					for _, k := range []string{"installp_bundle", "otherpkgs", "synclists"} {
						args = append(args, k+"="+adhoc.Extra[k])
					}
					if _, err := w.Exec.Query(context.Background(), "chdef", args...); err != nil {
						t.Fatal(err)
					}
					p = nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", UpdateFrom: nim.FromDefinition}
				}
				if probs := p.Validate(); len(probs) > 0 {
					t.Fatal(probs)
				}
				c := nim.NewClient(w.Exec)
				uc, err := c.CheckUpdate(context.Background(), p)
				if err != nil || len(uc.Problems) > 0 {
					t.Fatalf("pre-flight: %v %v", uc.Problems, err)
				}
				if !reflect.DeepEqual(uc.Software, map[string]string{"installp_bundle": adhoc.Extra["installp_bundle"], "otherpkgs": adhoc.Extra["otherpkgs"], "synclists": adhoc.Extra["synclists"]}) || len(uc.Warnings) != 1 {
					t.Errorf("software %v warnings %d", uc.Software, len(uc.Warnings))
				}
				out, code, tr := runPlan(t, w, pa, p)
				if code != 0 {
					t.Fatalf("exit %d:\n%s", code, out)
				}
				u := tr.UpdateProof()
				if !u.Started || !u.SoftwareDone || !u.SyncDone || len(u.Failures) > 0 || len(tr.Errors()) > 0 {
					t.Errorf("proof %+v errors %v", u, tr.Errors())
				}
				for label, st := range states(tr) {
					if st != nim.PhaseDoneOK {
						t.Errorf("%s: %v", label, st)
					}
				}
				if want := []string{"checks", "SPOT update", "installp filesets", "RPM packages", "interim fixes", "synclists"}; !slices.Equal(labels(tr), want) {
					t.Errorf("rows %v, want %v", labels(tr), want)
				}
				rep := nim.ParseUpdateReport([]byte(out))
				var fs []string
				for _, f := range rep.Filesets {
					fs = append(fs, f.Name)
				}
				if !slices.Equal(fs, []string{"bos.adt.base", "bos.adt.include", "bos.adt.lib"}) ||
					!slices.Equal(rep.RPMs, []string{"curl-8.4.0-1.aix7.1.ppc.rpm"}) || !slices.Equal(rep.Efixes, []string{"IJ47643s2a"}) ||
					!slices.Equal(rep.Synced, []string{"/etc/motd /etc/ntp.conf -> /install/nim/spot/aix73_full/usr/lpp/bos/inst_root/etc/"}) {
					t.Errorf("report %+v", rep)
				}
				if rs := nim.ParseNimReasons([]byte(out)); len(rs) != 0 {
					t.Errorf("reasons in a success: %+v", rs)
				}
				objs, _, err := c.Objects(context.Background(), "aix73_full")
				if err != nil || !objs[0].Ready() {
					t.Errorf("SPOT after the update: %v %v", objs, err)
				}
			})
		}
	}
}

func labels(tr *nim.Tracker) []string {
	var out []string
	for _, s := range tr.Statuses() {
		out = append(out, s.Label)
	}
	return out
}

func TestUpdateFailureParsesAndTracks(t *testing.T) {
	for _, pa := range paths {
		t.Run(pa.name, func(t *testing.T) {
			w := simtest.New(t, simtest.Fail("update"))
			p := nim.Plan{Kind: nim.KindUpdate, Name: "aix73_full", Extra: map[string]string{"installp_bundle": "devel_bnd"}}
			out, code, tr := runPlan(t, w, pa, p)
			if code != 1 {
				t.Fatalf("exit %d", code)
			}
			st := states(tr)
			if st["installp filesets"] != nim.PhaseFailed || st["SPOT update"] != nim.PhaseFailed || st["checks"] != nim.PhaseDoneOK {
				t.Errorf("states %v", st)
			}
			if u := tr.UpdateProof(); len(u.Failures) != 2 {
				t.Errorf("failures %q", u.Failures)
			}
			rs := nim.ParseNimReasons([]byte(out))
			if len(rs) != 1 || rs[0].From != "Command output" || len(rs[0].Failures) != 2 {
				t.Errorf("reasons %+v", rs)
			}
			if rep := nim.ParseUpdateReport([]byte(out)); len(rep.Filesets) != 1 || rep.Filesets[0].Name != "bos.adt.base" {
				t.Errorf("what was applied before the failure: %+v", rep.Filesets)
			}
		})
	}
}

func TestCopyRunsParseAndTrack(t *testing.T) {
	for _, pa := range paths {
		for _, cplpp := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/-p=%v", pa.name, cplpp), func(t *testing.T) {
				w := simtest.New(t)
				c := nim.NewClient(w.Exec)
				p := nim.Plan{Kind: nim.KindCopy, Name: "s_u1", From: "aix73_stateless", CopyLppSource: cplpp}.WithDefaults()
				cc, err := c.CheckCopy(context.Background(), p)
				if err != nil || len(cc.Problems) > 0 {
					t.Fatalf("pre-flight: %v %v", cc.Problems, err)
				}
				if sp := cc.CopySpace(p, w.Root, nil); sp.NeedSpot <= 0 || (cplpp && sp.NeedLpp <= 0) {
					t.Errorf("space %+v", sp)
				}
				out, code, tr := runPlan(t, w, pa, p)
				if code != 0 {
					t.Fatalf("exit %d:\n%s", code, out)
				}
				sum, ok := nim.ParseSummary([]byte(out))
				if want := p.CopyDefinition(cc.Old); !ok || !reflect.DeepEqual(sum.Attrs, want.Attrs) {
					t.Errorf("summary %v\nplan's copy definition %v", sum.Attrs, want.Attrs)
				}
				if tr.SummaryName() != "s_u1" || len(tr.Errors()) > 0 {
					t.Errorf("summary of %q, errors %v", tr.SummaryName(), tr.Errors())
				}
				for label, st := range states(tr) {
					if st != nim.PhaseDoneOK && st != nim.PhaseReused {
						t.Errorf("%s: %v", label, st)
					}
				}
				// Every resource the plan said it makes is in NIM and ready.
				var made []string
				for _, r := range cc.Resources(p) {
					if !r.Reused {
						made = append(made, r.Name)
					}
				}
				objs, missing, err := c.Objects(context.Background(), made...)
				if err != nil || len(missing) > 0 || len(objs) != len(made) {
					t.Fatalf("made %v: %v missing %v", made, err, missing)
				}
				for _, o := range objs {
					if !o.Ready() {
						t.Errorf("%s is %q", o.Name, o.Get("Rstate"))
					}
				}
			})
		}
	}
}

func TestNodeQueriesOverTheSimulator(t *testing.T) {
	for _, v := range []simtest.Option{simtest.Legacy(), simtest.Head()} {
		w := simtest.New(t, v)
		c := nim.NewClient(w.Exec)
		ctx := context.Background()
		nodes, err := c.NodesUsing(ctx, "aix73_stateless")
		if err != nil || !slices.Equal(nodes, []string{"dln01", "dln02"}) {
			t.Errorf("nodes of aix73_stateless: %v %v", nodes, err)
		}
		if nodes, err := c.NodesUsing(ctx, "aix73_full"); err != nil || len(nodes) != 0 {
			t.Errorf("nodes of aix73_full: %v %v", nodes, err)
		}
		cls, err := c.ClientsUsing(ctx, "aix73_stateless")
		if err != nil || len(cls) != 2 || cls[1].Node("aix73_stateless") != "dln02" || !cls[1].Suffixed("aix73_stateless") {
			t.Errorf("clients: %+v %v", cls, err)
		}
		// One query each.
		before := len(simtest.Ran(w.Commands(t), "lsdef")) + len(simtest.Ran(w.Commands(t), "lsnim"))
		u := c.WhoUses(ctx, nim.Osimage{Name: "aix72_stateful", Attrs: map[string]string{"spot": "aix72_stateful", "root": "aix72_stateful_root"}})
		after := len(simtest.Ran(w.Commands(t), "lsdef")) + len(simtest.Ran(w.Commands(t), "lsnim"))
		if after-before != 2 || !slices.Equal(u.Nodes, []string{"cn01"}) || len(u.Clients) != 0 {
			t.Errorf("who uses aix72_stateful: %+v in %d queries", u, after-before)
		}
	}
}

func TestCheckImageOverTheSimulator(t *testing.T) {
	w := simtest.New(t)
	c := nim.NewClient(w.Exec)
	ic, err := c.CheckImage(context.Background(), "aix73_full")
	if err != nil || ic.Problems() != 0 || !ic.Chk.AllFound {
		t.Fatalf("a sound image: %+v %v", ic.Findings, err)
	}
	if ch := simtest.Changing(w.Commands(t)); len(slices.DeleteFunc(ch, func(c []string) bool { return c[0] == "chkosimage" })) != 0 {
		t.Errorf("check changed something: %q", ch)
	}
	// The broken SPOT of an interrupted run, named by a definition.
	if _, err := w.Exec.Query(context.Background(), "chdef", "-t", "osimage", "-o", "aix73_test", "imagetype=NIM", "nimtype=diskless",
		"spot=aix73_test", "lpp_source=aix7302_lpp", "paging=aix73_full_paging", "root=gone_root"); err != nil {
		t.Fatal(err)
	}
	ic, err = c.CheckImage(context.Background(), "aix73_test")
	if err != nil || ic.Problems() != 2 {
		t.Fatalf("problems %+v %v", ic.Findings, err)
	}
}

// An update of a dataless image that a node boots from is refused, and the
// safe path it offers copies it as dataless: mknimimage writes -t into the
// copy's definition as its nimtype (aixinstall.pm 2.9.2 L3561-3643).
func TestUpdateRefusalKeepsTheType(t *testing.T) {
	w := simtest.New(t)
	ctx := context.Background()
	// The seed's cn01 boots from aix72_stateful (provmethod); the simulator
	// changes only osimage definitions, so that image is made dataless.
	if _, err := w.Exec.Query(ctx, "chdef", "-t", "osimage", "-o", "aix72_stateful", "nimtype=dataless"); err != nil {
		t.Fatal(err)
	}
	c := nim.NewClient(w.Exec)
	p := nim.Plan{Kind: nim.KindUpdate, Name: "aix72_stateful", Extra: map[string]string{"installp_bundle": "base_bnd"}}
	uc, err := c.CheckUpdate(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	want := `1. mknimimage -V -t dataless -i aix72_stateful aix72_stateful_u1   (nimwiz: kind = "copy", from = "aix72_stateful", name = "aix72_stateful_u1", type = "dataless")`
	var found bool
	for _, pr := range uc.Problems {
		found = found || strings.Contains(pr.Message, want)
	}
	if !found || !slices.Equal(uc.Use.Nodes, []string{"cn01"}) {
		t.Errorf("problems %+v (want one offering %s), nodes %v", uc.Problems, want, uc.Use.Nodes)
	}
	// The copy it offers passes the copy's own check of the type.
	cc, err := c.CheckCopy(ctx, nim.Plan{Kind: nim.KindCopy, Name: "aix72_dataless_u1", From: "aix72_dataless", Type: nim.Dataless}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range cc.Problems {
		if pr.Field == "type" {
			t.Errorf("the offered copy is refused: %s", pr.Message)
		}
	}
}
