package browse

import (
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/ui"
)

func TestPerServerLines(t *testing.T) {
	b := &lineBuilder{st: ui.NewCommon().Styles, width: 100}
	perServerLines(b, []byte("xcatmn: Removed the NIM resource named 'img_sr'.\nsn1: The resource named 'img' is currently allocated. It will not be removed.\nsn1: Removed the NIM resource named 'img_sr'.\nError: sn2: One or more errors occurred when trying to remove the xCAT osimage definition 'img' and the related NIM resources.\n"))
	got := strings.Join(b.lines, "\n")
	for _, w := range []string{"Per server:", "xcatmn: removed img_sr", "sn1: removed img_sr; left img (allocated)", "sn2: failed: One or more errors"} {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
	b = &lineBuilder{st: ui.NewCommon().Styles, width: 100}
	perServerLines(b, []byte("xcatmn: Removed the NIM resource named 'img_sr'.\n"))
	if len(b.lines) != 0 {
		t.Errorf("one server: nothing to add, got %q", b.lines)
	}
}
