package browse_test

import "testing"

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
