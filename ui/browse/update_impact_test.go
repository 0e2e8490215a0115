package browse

import (
	"context"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui"
)

// impactFake is a master with service nodes: sn01 holds a copy of the
// image's SPOT, sn02 lacks it.
type impactFake struct{ *nimtest.Fake }

func (f impactFake) HierarchyMatrix(ctx context.Context, name string, first, update func(nim.Matrix)) (nim.Matrix, error) {
	imgs, _ := f.Osimages(ctx)
	var img nim.Osimage
	for _, o := range imgs {
		if o.Name == name {
			img = o
		}
	}
	found, _, _ := f.Objects(ctx, nim.ResourceNames(img)...)
	hier := nim.Hierarchy{SharedInstall: "no", ServiceNodes: []string{"sn01", "sn02"},
		Serves:   map[string][]string{"sn01": {"cn1"}, "sn02": {"cn2"}},
		ServedBy: map[string][]string{"cn1": {"sn01"}, "cn2": {"sn02"}}}
	m := nim.NewMatrix(img, found, hier, []string{"cn1", "cn2"})
	var spot, rest []nim.Object
	for _, o := range found {
		switch o.Get("type") {
		case "spot":
			spot = append(spot, o)
		case "lpp_source":
		default:
			rest = append(rest, o)
		}
	}
	m.Apply(img, nim.SNObjects{Node: "sn01", State: nim.SNAnswered, Found: append(spot, rest...)})
	m.Apply(img, nim.SNObjects{Node: "sn02", State: nim.SNAnswered, Found: rest, Missing: []string{img.Spot()}})
	return m, nil
}

// The update's preview says what mknimimage -u does on the service nodes:
// from the hierarchy view's matrix when it was fetched (the SPOT removed on
// sn01, which holds a copy), else what -u does in general and how to see
// it; a master without service-node queries adds nothing.
func TestUpdateImpactOnServiceNodes(t *testing.T) {
	f := impactFake{nimtest.BrowseWorld()}
	imgs, err := f.Osimages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var o nim.Osimage
	for _, i := range imgs {
		if i.Name == "71dskls" {
			o = i
		}
	}
	lines := func(d *data) string {
		b := &lineBuilder{st: ui.NewCommon().Styles, width: 200}
		updateImpactLines(b, d, o)
		return strings.Join(b.lines, "\n")
	}
	d := &data{env: Env{NIM: f}, hier: map[string]nim.Matrix{}}
	if got := strings.ReplaceAll(lines(d), "\n", " "); !strings.Contains(got, "removes the SPOT on each that has it") || !strings.Contains(got, "then h in the details") {
		t.Errorf("before the hierarchy view:\n%s", got)
	}
	m, err := f.HierarchyMatrix(context.Background(), o.Name, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.hier[o.Name] = m
	if got := lines(d); !strings.Contains(got, "mknimimage -u would remove the SPOT on sn01; the next mkdsklsnode copies it again.") {
		t.Errorf("after the hierarchy view:\n%s", got)
	}
	if got := lines(&data{env: Env{NIM: nimtest.BrowseWorld()}}); got != "" {
		t.Errorf("a master without service-node queries: %q", got)
	}
}
