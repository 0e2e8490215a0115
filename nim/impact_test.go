package nim

import (
	"reflect"
	"testing"
)

func impactMatrix() (Matrix, Osimage) {
	img := Osimage{Name: "img", Attrs: map[string]string{"nimtype": "diskless", "lpp_source": "lpp", "spot": "img", "shared_root": "img_sr"}}
	mn := []Object{
		{Name: "lpp", Attrs: []Attr{{"type", "lpp_source"}, {"Rstate", "ready for use"}}},
		{Name: "img", Attrs: []Attr{{"type", "spot"}, {"Rstate", "ready for use"}, {"alloc_count", "2"}}},
		{Name: "img_sr", Attrs: []Attr{{"type", "shared_root"}, {"Rstate", "ready for use"}}},
	}
	h := Hierarchy{ServiceNodes: []string{"sn1", "sn2", "sn3"}, Serves: map[string][]string{"sn1": {"cn1"}, "sn2": {"cn2"}, "sn3": {"cn3"}}}
	m := NewMatrix(img, mn, h, []string{"cn1"})
	m.Apply(img, SNObjects{Node: "sn1", State: SNAnswered, Found: []Object{
		{Name: "img", Attrs: []Attr{{"type", "spot"}, {"alloc_count", "1"}}},
		{Name: "img_sr", Attrs: []Attr{{"type", "shared_root"}}}}})
	m.Apply(img, SNObjects{Node: "sn2", State: SNAnswered, Found: []Object{{Name: "img_sr", Attrs: []Attr{{"type", "shared_root"}}}}, Missing: []string{"img"}})
	m.Apply(img, SNObjects{Node: "sn3", State: SNUnreachable, Reason: "not responding"})
	return m, img
}

func TestRemoveImpact(t *testing.T) {
	m, _ := impactMatrix()
	got := RemoveImpact(m, false)
	want := []ServerImpact{
		{Server: "MN", Removes: []string{"img_sr"}, Allocated: []string{"img"}},
		{Server: "sn1", Removes: []string{"img_sr"}, Allocated: []string{"img"}},
		{Server: "sn2", Removes: []string{"img_sr"}},
		{Server: "sn3", Unknown: true, Reason: "unreachable"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if d := RemoveImpact(m, true); !reflect.DeepEqual(d[0].Removes, []string{"lpp", "img_sr"}) {
		t.Errorf("-d on the MN: %+v", d[0])
	}
	mOnly, snOnly := LimitedRemoveArgvs("img", false, true, false, []string{"sn1", "sn2"})
	eq(t, mOnly, []string{"rmnimimage", "-x", "-M", "img"})
	eq(t, snOnly, []string{"rmnimimage", "-x", "-s", "sn1,sn2", "img"})
}

func TestRmnimimageByServer(t *testing.T) {
	out := []byte(`10.0.0.10: Removed the NIM resource named 'img_sr'.
10.0.0.10: The resource named 'img' is currently allocated on sn1. It will not be removed.
sn1: Removed the NIM resource named 'img_sr'.
sn1: The resource named 'img' is currently allocated. It will not be removed.
Removed the NIM resource named 'img_paging' on sn2
Could not remove the NIM resource img_dump on sn2.
Error: sn2: One or more errors occurred when trying to remove the xCAT osimage definition 'img' and the related NIM resources.
`)
	got := ParseRmnimimageByServer(out)
	if r := got["sn1"]; !reflect.DeepEqual(r.Removed, []string{"img_sr"}) || !reflect.DeepEqual(r.Allocated, []string{"img"}) {
		t.Errorf("sn1: %+v", r)
	}
	if r := got["sn2"]; !reflect.DeepEqual(r.Removed, []string{"img_paging"}) || r.OK() {
		t.Errorf("sn2: %+v", r)
	}
	if r := got["10.0.0.10"]; !reflect.DeepEqual(r.Removed, []string{"img_sr"}) {
		t.Errorf("MN: %+v", r)
	}
}

func TestUpdateImpact(t *testing.T) {
	m, _ := impactMatrix()
	e := UpdateImpact(m)
	want := UpdateEffect{RefusedBy: []string{"MN", "sn1"}, Unknown: []string{"sn3"}}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("got %+v, want %+v", e, want)
	}
	// The SPOT freed on the MN and sn1: -u would remove sn1's copy.
	for i := range m.Rows {
		if m.Rows[i].Attr == "spot" {
			for _, srv := range []string{"MN", "sn1"} {
				c := m.Rows[i].Cells[srv]
				c.Alloc = 0
				m.Rows[i].Cells[srv] = c
			}
		}
	}
	if e := UpdateImpact(m); !reflect.DeepEqual(e.RemovesOn, []string{"sn1"}) || e.RefusedBy != nil {
		t.Errorf("got %+v", e)
	}
}
