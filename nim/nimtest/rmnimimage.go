package nimtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// rmnimimage's messages, each the line of a testdata/rmnimimage fixture
// that holds the marker, with the fixture's names put in the order given
// (longest first where one holds another).
type message struct {
	file, marker string
	names        []string // as the fixture writes them; say replaces them in order
	last         bool     // the last line of the output: one newline, not two
}

var (
	notValid          = message{file: "notvalid_inferred.txt", marker: "is not a valid xCAT image name", names: []string{"61cosi"}}
	returnOne         = message{file: "notvalid_inferred.txt", marker: "Return=1.", last: true}
	shareCommon       = message{file: "shared_inferred.txt", marker: "share the common resource", names: []string{"61cosi_lpp_source", "61cosi", "61dtls"}}
	sharedRefused     = message{file: "shared_inferred.txt", marker: "being used in other osimage definitions", names: []string{"61cosi"}}
	definitionRemoved = message{file: "removed_x_inferred.txt", marker: "Removed the xCAT osimage definition", names: []string{"61cosi"}}
	resourceRemoved   = message{file: "removed_x_inferred.txt", marker: "Removed the NIM resource named '61cosi_paging'", names: []string{"61cosi_paging"}}
	allocated         = message{file: "allocated_inferred.txt", marker: "is currently allocated", names: []string{"71dskls_root"}}
	errorsOccurred    = message{file: "allocated_inferred.txt", marker: "One or more errors occurred", names: []string{"71dskls"}}
	returnOneHost     = message{file: "allocated_inferred.txt", marker: "Return=1.", last: true}
)

// say writes m with args in place of its names: shareCommon takes the
// resource, then the two osimages (as the fixture orders its names).
func say(out *strings.Builder, m message, args ...string) {
	line := fixtureLine(m.file, m.marker)
	if len(args) != len(m.names) {
		panic(fmt.Sprintf("nimtest: %q takes %d names", m.marker, len(m.names)))
	}
	// Placeholders first, so that a name put in is never replaced again.
	for i, n := range m.names {
		line = strings.ReplaceAll(line, n, fmt.Sprintf("\x00%d\x00", i))
	}
	for i, a := range args {
		line = strings.ReplaceAll(line, fmt.Sprintf("\x00%d\x00", i), a)
	}
	out.WriteString(line + "\n")
	if !m.last {
		out.WriteString("\n")
	}
}

// fixtureLine is the first line of testdata/rmnimimage/file holding marker.
func fixtureLine(file, marker string) string {
	_, self, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(self), "..", "..", "testdata", "rmnimimage", file)
	b, err := os.ReadFile(path)
	if err != nil {
		panic("nimtest: " + err.Error())
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, marker) {
			return l
		}
	}
	panic(fmt.Sprintf("nimtest: %s has no line with %q", path, marker))
}
