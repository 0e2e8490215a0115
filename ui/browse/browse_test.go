package browse_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/ui/browse"
)

// Filtering: "/" then words; every word must appear in the row (name,
// type, mode, dump, SPOT, lpp_source), case-insensitive.
func TestFilter(t *testing.T) {
	tests := []struct {
		filter string
		want   []string
	}{
		{"", []string{"61cosi", "71dskls", "71dtls", "72cosi", "aix73"}},
		{"71", []string{"71dskls", "71dtls"}},
		{"dataless", []string{"71dtls"}},
		{"STATELESS", []string{"61cosi", "72cosi"}},
		{"7100-05-lpp_source", []string{"71dskls", "71dtls"}},
		{"diskless stateful", []string{"71dskls", "aix73"}},
		{"diskless yes", []string{"71dskls", "72cosi"}},
		{"nosuch", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.filter, func(t *testing.T) {
			h := newHarness(t, nil, 80, 20)
			h.keys("/")
			h.d.Type(tc.filter)
			if got := h.m.Shown(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("shown %v, want %v", got, tc.want)
			}
			h.keys("enter") // the filter stays
			if got := h.m.Shown(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("after enter: shown %v", got)
			}
			h.keys("esc") // cleared
			if got := h.m.Shown(); len(got) != 5 {
				t.Errorf("after esc: shown %v", got)
			}
		})
	}
}

func TestContentsFilter(t *testing.T) {
	tests := []struct {
		filter string
		want   int
	}{
		{"bos", 4}, {"state=b", 1}, {"7.1.5", 4}, {"bos.net 7.1.5.2", 1}, {"openssh", 1}, {"zzz", 0},
	}
	for _, tc := range tests {
		h := newHarness(t, nil, 80, 20)
		h.keys("down", "enter", "down", "enter") // 71dskls, its SPOT
		h.keys("/")
		h.d.Type(tc.filter)
		v := h.m.View()
		if tc.want == 0 {
			if !strings.Contains(v, "No fileset matches") {
				t.Errorf("%q: %s", tc.filter, v)
			}
			continue
		}
		if !strings.Contains(v, " "+strconv.Itoa(tc.want)+" of 6 filesets") {
			t.Errorf("%q: want %d shown:\n%s", tc.filter, tc.want, v)
		}
	}
}

// Details are one lsnim -l per osimage, cached; refresh asks again.
// Contents are loaded only when opened.
func TestDetailsBatchedAndCached(t *testing.T) {
	h := newHarness(t, nil, 80, 20)
	if c := h.calls("Objects"); len(c) != 0 {
		t.Fatalf("details loaded before asked: %v", c)
	}
	h.keys("enter", "esc", "enter", "esc")
	if c := h.calls("Objects"); len(c) != 1 {
		t.Errorf("Objects called %d times, want 1 (cached)", len(c))
	}
	h.keys("enter", "r")
	if c := h.calls("Objects"); len(c) != 2 {
		t.Errorf("refresh: Objects called %d times, want 2", len(c))
	}
	if c := h.calls("Showres"); len(c) != 0 {
		t.Errorf("contents loaded unasked: %v", c)
	}
	h.contains("lsnim -l 61cosi_lpp_source 61cosi 61cosi_shared_root", "61cosi_paging", "! MISSING", "! NOT READY: Rstate unavailable for use", "oslevel 6100-04")
	h.keys("esc", "r")
	if c := h.calls("Osimages"); len(c) != 2 {
		t.Errorf("list refresh: Osimages called %d times", len(c))
	}
}

func TestListErrorRetry(t *testing.T) {
	f := fakeWorld()
	f.Fail("Osimages", errTimeout)
	h := newHarness(t, f, 80, 20)
	h.contains("error: could not load osimages", "Press r to try again")
	f.Fail("Osimages", nil)
	h.keys("r")
	h.contains("5 osimages")
}

func TestEscFromListGoesBack(t *testing.T) {
	h := newHarness(t, nil, 80, 20)
	h.keys("esc")
	if len(h.got) != 1 {
		t.Fatalf("got %v", h.got)
	}
	if _, ok := h.got[0].(browse.BackMsg); !ok {
		t.Errorf("got %T", h.got[0])
	}
}
