package browse_test

import (
	"testing"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui/browse"
)

// Who uses an osimage is asked once with its details (WhoUses: one query
// each side), cached with them, and named in the details and in the
// confirmations that remove or change the image.
func TestWhoUsesInDetailsAndConfirmations(t *testing.T) {
	h := newHarness(t, nil, 120, 30)
	h.keys("down", "down", "enter") // 71dtls
	h.contains("Used by  xCAT nodes cn01,cn02 (provmethod=71dtls); NIM clients cn01 (root 71dtls_root), cn02 (root")
	h.keys("esc", "enter")
	if c := h.calls("WhoUses"); len(c) != 1 {
		t.Errorf("WhoUses called %d times, want 1 (cached with the details)", len(c))
	}
	h.keys("d")
	h.contains("Used by: 71dtls is in use:", "xCAT nodes (provmethod=71dtls): cn01,cn02", "NIM client cn02 (dataless): allocated root 71dtls_root")
	h.keys("esc", "c", "enter", "down", "enter")
	h.contains("Used by: 71dtls is in use:")
	h = newHarness(t, nil, 120, 30)
	h.keys("down", "enter") // 71dskls
	h.contains("Used by  no node: no provmethod=71dskls in xCAT, nothing allocated in NIM")
}

func TestWhoUsesFails(t *testing.T) {
	f := fakeWorld()
	f.Fail("WhoUses", errTimeout)
	h := newHarness(t, f, 100, 30)
	h.keys("down", "down", "enter")
	h.contains("Used by  not known: " + errTimeout.Error() + " (r asks again)")
	f.Fail("WhoUses", nil)
	h.keys("r")
	h.contains("cn01,cn02")
}

// An allocated SPOT is refused even when neither query names a node (a
// client xCAT does not know, or NIM's count alone).
func TestUpdateRefusesAllocatedSpot(t *testing.T) {
	f := fakeWorld()
	o := f.Details["71dskls"]
	for i, a := range o.Attrs {
		if a.Key == "alloc_count" {
			o.Attrs[i].Value = "1"
		}
	}
	h := newHarness(t, f, 120, 30)
	h.keys("down", "enter", "u")
	h.contains("nimwiz does not update 71dskls", "NIM counts 1 allocation(s) of the SPOT 71dskls", "mknimimage -V -t diskless -i 71dskls 71dskls_u1")
}

// Bad otherpkgs are refused with how to write them; esc steps back.
func TestUpdateBadOtherpkgs(t *testing.T) {
	h := newHarness(t, nil, 120, 30)
	h.keys("down", "u", "down", "enter", "tab")
	h.d.Type("X:curl")
	h.keys("enter")
	h.contains(`error: otherpkgs: "X:curl": the prefix X: is not I: (installp), R: (RPM) or E: (interim fix)`)
	h.keys("esc", "esc")
	h.contains("Where does the software come from?")
	h.keys("esc")
	h.contains("AIX osimages")
}

// A chdef that fails stops the update before it starts.
func TestUpdateChdefFails(t *testing.T) {
	f := fakeWorld()
	f.Canned = map[string]nim.Result{"chdef": {Stdout: []byte("Error: Could not find an object named '71dskls' of type 'osimage'.\n"), ExitCode: 1}}
	h := newHarness(t, f, 120, 30)
	h.keys("down", "u", "enter", "space", "enter")
	h.contains("Step 1:  chdef -t osimage -o 71dskls installp_bundle=hpc_bundle")
	h.keys("y")
	h.contains("the update did not start")
	for _, m := range h.got {
		if _, ok := m.(browse.StartMsg); ok {
			t.Fatalf("the update started after chdef failed")
		}
	}
}
