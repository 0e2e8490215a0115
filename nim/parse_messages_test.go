package nim

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMessages(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []Message
	}{
		{"nested NIM errors, wrapped warning", fixture(t, "errors/nim_nested_verified.txt"), []Message{
			{Kind: NimError, Code: "0042-001", Command: "nim", Host: "master", Text: `processing error encountered on "master":`},
			{Kind: NimError, Code: "0042-001", Command: "m_mkbosi", Host: "powerha1", Text: `processing error encountered on "powerha1":`},
			{Kind: NimWarning, Code: "0042-175", Command: "c_mkbosi", Text: `An unexpected result was returned by the "/usr/sbin/mount" command:`},
			{Kind: NimError, Code: "0042-175", Command: "c_mkbosi", Text: `An unexpected result was returned by the "/usr/sbin/mount" command:`},
		}},
		{"wrapped 0042-081", fixture(t, "errors/nim_081_verified.txt"), []Message{
			{Kind: NimError, Code: "0042-001", Command: "nim", Host: "master", Text: `processing error encountered on "master":`},
			{Kind: NimError, Code: "0042-081", Command: "m_mkspot", Text: `a resource already exists on "master" at location "/nim1/dflt_spot/usr"; due to NFS export restrictions, the new location "/nim1/dflt_spot/usr" may not be used`},
		}},
		{"0042-053", fixture(t, "lsnim/nosuch_verified.stderr"), []Message{
			{Kind: NimError, Code: "0042-053", Command: "lsnim", Text: `there is no NIM object named "quimby07"`},
		}},
		{"xCAT, old style", fixture(t, "errors/xcat_old_verified.txt"), []Message{
			{Kind: XcatWarning, Text: "Could not find openssh file sets in source location."},
			{Kind: XcatError, Text: "Could not run inutoc on /install/nim/lpp_source/61cosi_lpp_source/installp/ppc."},
		}},
		{"xCAT, host prefix", fixture(t, "errors/xcat_host_verified.txt"), []Message{
			{Kind: XcatWarning, Host: "xcatmn", Text: "Could not find openssh file sets in source location."},
			{Kind: XcatError, Host: "xcatmn", Text: "The osimage definition '61cosi' already exists."},
		}},
		{"CRLF", crlf(fixture(t, "errors/nim_081_verified.txt")), []Message{
			{Kind: NimError, Code: "0042-001", Command: "nim", Host: "master", Text: `processing error encountered on "master":`},
			{Kind: NimError, Code: "0042-081", Command: "m_mkspot", Text: `a resource already exists on "master" at location "/nim1/dflt_spot/usr"; due to NFS export restrictions, the new location "/nim1/dflt_spot/usr" may not be used`},
		}},
		{"0042 without a command", []byte("0042-999 something odd\n"), []Message{{Kind: NimError, Code: "0042-999", Text: "something odd"}}},
		{"not a code", []byte("0042-12 x: y\n0042-1234 x: y\n0042-abc x: y\nwarning: not nim\n"), nil},
		{"bracket that is not a host", []byte("Error: [a b]: text\n"), []Message{{Kind: XcatError, Text: "[a b]: text"}}},
		{"Return footer left to ReturnCode", []byte("Error: Return=1.\nError: [mn]: Return=3.\n"), nil},
		{"progress is not a message", fixture(t, "summary/run_stateless_inferred.txt"), nil},
		{"truncated", []byte("0042-081 m_mkspot: a resource already exists on \"mas"), []Message{{Kind: NimError, Code: "0042-081", Command: "m_mkspot", Text: `a resource already exists on "mas`}}},
		{"empty", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { eq(t, ParseMessages(tt.in), tt.want) })
	}
}

func TestMessageString(t *testing.T) {
	for _, tt := range []struct {
		m    Message
		want string
	}{
		{Message{Kind: XcatError, Text: "bad"}, "Error: bad"},
		{Message{Kind: XcatError, Host: "mn", Text: "bad"}, "Error: [mn]: bad"},
		{Message{Kind: XcatWarning, Text: "hm"}, "Warning: hm"},
		{Message{Kind: NimError, Code: "0042-053", Command: "lsnim", Text: `there is no NIM object named "x"`}, `0042-053 lsnim: there is no NIM object named "x"`},
		{Message{Kind: NimWarning, Code: "0042-175", Command: "c_mkbosi", Text: "odd"}, "warning: 0042-175 c_mkbosi: odd"},
		{Message{Kind: NimError, Code: "0042-999", Text: "odd"}, "0042-999 odd"},
	} {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
	// Round trip: a message parsed from its own String is itself.
	for _, in := range [][]byte{fixture(t, "errors/nim_nested_verified.txt"), fixture(t, "errors/xcat_host_verified.txt")} {
		for _, m := range ParseMessages(in) {
			back := ParseMessages([]byte(m.String()))
			if len(back) != 1 || back[0] != m {
				t.Errorf("round trip of %q: %#v", m.String(), back)
			}
		}
	}
	if XcatError.String() == "" || MessageKind(0).String() == "" || !NimError.IsError() || NimWarning.IsError() {
		t.Errorf("MessageKind")
	}
}

func TestReturnCode(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		code int
		ok   bool
	}{
		{"old style", string(fixture(t, "errors/xcat_old_verified.txt")), 1, true},
		{"host prefix", string(fixture(t, "errors/xcat_host_verified.txt")), 1, true},
		{"last one wins", "Error: Return=1.\nError: Return=3.\n", 3, true},
		{"CRLF", "Error: Return=2.\r\n", 2, true},
		{"none", "Error: Could not create spot definition.\n", 0, false},
		{"not a number", "Error: Return=x.\nError: Return=.\nError: Return=99999999999999999999.\n", 0, false},
		{"not at line start", "foo Error: Return=1.\n", 0, false},
		{"empty", "", 0, false},
	} {
		code, ok := ReturnCode([]byte(tt.in))
		if code != tt.code || ok != tt.ok {
			t.Errorf("%s: %d %v, want %d %v", tt.name, code, ok, tt.code, tt.ok)
		}
	}
}

func TestParseMessagesHostile(t *testing.T) {
	for name, in := range hostile() {
		if got := ParseMessages(in); len(got) != 0 {
			t.Errorf("%s: %v", name, got)
		}
		if _, ok := ReturnCode(in); ok {
			t.Errorf("%s: return code", name)
		}
	}
	// A flood of continuation lines is joined in linear time, not dropped.
	in := "0042-001 nim: x\n" + strings.Repeat("   more\n", 200000)
	m := ParseMessages([]byte(in))
	if len(m) != 1 || len(m[0].Text) != len("x")+200000*len(" more") {
		t.Errorf("flood: %d messages", len(m))
	}
}

func FuzzParseMessages(f *testing.F) {
	f.Add(fixture(f, "errors/nim_nested_verified.txt"))
	f.Add(fixture(f, "errors/nim_081_verified.txt"))
	f.Add(fixture(f, "errors/xcat_host_verified.txt"))
	f.Add(fixture(f, "rmnimimage/notremoved_inferred.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := ParseMessages(in), parseMessagesWhole(in); !reflect.DeepEqual(got, want) {
			t.Fatalf("line-by-line parse differs from the whole-string one:\n got %#v\nwant %#v", got, want)
		}
		for _, m := range ParseMessages(in) {
			if m.Kind < XcatError || m.Kind > NimWarning || !oneLine(m.Text) || !oneLine(m.String()) {
				t.Fatalf("bad message %#v", m)
			}
			if (m.Kind == NimError || m.Kind == NimWarning) && !strings.HasPrefix(m.Code, "0042-") {
				t.Fatalf("NIM message without code %#v", m)
			}
		}
		ReturnCode(in)
	})
}

func TestParseRmnimimage(t *testing.T) {
	r := ParseRmnimimage(fixture(t, "rmnimimage/removed_x_inferred.txt"))
	eq(t, r, RemoveReport{DefinitionRemoved: true, Definition: "61cosi", Removed: []string{"61cosi_paging", "61cosi_shared_root", "61cosi"}})
	if !r.OK() {
		t.Errorf("clean removal not OK")
	}

	r = ParseRmnimimage(fixture(t, "rmnimimage/allocated_inferred.txt"))
	eq(t, r.Removed, []string{"71dskls_paging"})
	eq(t, r.Allocated, []string{"71dskls_root", "71dskls"})
	if r.DefinitionRemoved || r.OK() || len(r.Errors) != 3 || r.Errors[0].Host != "xcatmn" {
		t.Errorf("allocated: %+v", r)
	}

	r = ParseRmnimimage(fixture(t, "rmnimimage/shared_inferred.txt"))
	if !r.SharedRefused || len(r.Removed) != 0 || r.OK() {
		t.Errorf("shared: %+v", r)
	}
	eq(t, r.Shared, []string{"61cosi_lpp_source"})

	r = ParseRmnimimage(crlf(fixture(t, "rmnimimage/notremoved_inferred.txt")))
	eq(t, r.Removed, []string{"61cosi_paging"})
	eq(t, r.NotRemoved, []string{"61cosi"})
	if r.OK() || !HasCode(r.Errors, "0042-062") {
		t.Errorf("not removed: %+v", r)
	}

	r = ParseRmnimimage(fixture(t, "rmnimimage/notvalid_inferred.txt"))
	if r.OK() || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Text, "is not a valid xCAT image name") {
		t.Errorf("not valid: %+v", r)
	}

	// Service nodes repeat a resource: listed once. Junk quotes: nothing.
	r = ParseRmnimimage([]byte("mn: Removed the NIM resource named 'a'.\nsn1: Removed the NIM resource named 'a'.\nmn: Removed the NIM resource named 'b c'.\nmn: Removed the NIM resource named 'd\n"))
	eq(t, r.Removed, []string{"a"})

	for name, in := range hostile() {
		if r := ParseRmnimimage(in); !r.OK() || r.DefinitionRemoved || len(r.Removed) != 0 {
			t.Errorf("%s: %+v", name, r)
		}
	}
}

func FuzzParseRmnimimage(f *testing.F) {
	for _, p := range []string{"removed_x_inferred.txt", "allocated_inferred.txt", "shared_inferred.txt", "notremoved_inferred.txt"} {
		f.Add(fixture(f, "rmnimimage/"+p))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := ParseRmnimimage(in)
		for _, l := range [][]string{r.Removed, r.NotRemoved, r.Allocated, r.Shared} {
			for _, n := range l {
				if !noBlank(n) || !strings.Contains(string(in), n) {
					t.Fatalf("bad name %q", n)
				}
			}
		}
		if r.DefinitionRemoved != (r.Definition != "") {
			t.Fatalf("definition %v %q", r.DefinitionRemoved, r.Definition)
		}
		for _, m := range r.Errors {
			if !m.Kind.IsError() {
				t.Fatalf("warning in Errors: %v", m)
			}
		}
	})
}

func TestParseXcatVersion(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Version
		ok   bool
	}{
		{string(fixture(t, "lsxcatd/version_synthetic.txt")), Version{2, 16, 5, "Version 2.16.5 (git commit 0123abc, built Tue Jan 12 08:35:35 EST 2021)"}, true},
		{string(fixture(t, "lsxcatd/version_old_synthetic.txt")), Version{2, 9, 2, "Version 2.9.2 (svn r17350, built Thu Nov  5 06:40:01 EST 2015)"}, true},
		{"lsxcatd: xCAT Version 2.14 (git commit x)\r\n", Version{2, 14, 0, "lsxcatd: xCAT Version 2.14 (git commit x)"}, true},
		{"cfgloc=Pg:dbname=xcatdb\nxcat 2.8.4.1\n", Version{2, 8, 4, "xcat 2.8.4.1"}, true},
		{"Version unknown\n", Version{}, false},
		{"", Version{}, false},
		{"Version 2.x.5\n", Version{}, false},
	} {
		got, ok := ParseXcatVersion([]byte(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("%q: %#v %v, want %#v %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	v := Version{Major: 2, Minor: 14}
	if !v.AtLeast(2, 14) || !v.AtLeast(2, 9) || !v.AtLeast(1, 99) || v.AtLeast(2, 15) || v.AtLeast(3, 0) || v.String() != "2.14.0" {
		t.Errorf("AtLeast/String")
	}
}

func FuzzParseXcatVersion(f *testing.F) {
	f.Add(fixture(f, "lsxcatd/version_synthetic.txt"))
	f.Fuzz(func(t *testing.T, in []byte) {
		v, ok := ParseXcatVersion(in)
		if ok != (v.Raw != "") || v.Major < 0 || v.Minor < 0 || v.Patch < 0 || !oneLine(v.Raw) {
			t.Fatalf("bad version %+v %v", v, ok)
		}
	})
}

// parseMessagesWhole is ParseMessages as it was before it skipped
// non-message lines without converting them: the whole input as one string.
// The fuzz target checks that both give the same messages.
func parseMessagesWhole(out []byte) []Message {
	var msgs []Message
	open := -1
	var more strings.Builder
	flush := func() {
		if open >= 0 && more.Len() > 0 {
			m := &msgs[open]
			m.Text = trimBlanks(m.Text + " " + more.String())
			if m.Host == "" {
				m.Host = encounteredHost(m.Text)
			}
		}
		open = -1
		more.Reset()
	}
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if t == "" {
			flush()
			continue
		}
		if m, ok := parseMessageLine(t); ok {
			flush()
			if m.Kind == 0 {
				continue
			}
			msgs = append(msgs, m)
			if m.Kind == NimError || m.Kind == NimWarning {
				open = len(msgs) - 1
			}
			continue
		}
		if open >= 0 {
			if more.Len() > 0 {
				more.WriteByte(' ')
			}
			more.WriteString(t)
		}
	}
	flush()
	return msgs
}

func TestParseNimReasons(t *testing.T) {
	out := []byte("Creating a NIM SPOT resource. This could take a while.\n\n" +
		"Error: Could not create a NIM definition for 'aix73'.\n\n" +
		"Error message is: '0042-001 nim: processing error encountered on \"master\":\n" +
		"   0042-175 m_mkspot: An unexpected result was returned by the \"/usr/sbin/installp\" command:\n" +
		"\n" +
		"installp: An internal error occurred while attempting\n" +
		"\tto access the Software Vital Product Data.\n" +
		"rc=175'\n\n" +
		"Error: Could not create spot definition.\n")
	rs := ParseNimReasons(out)
	if len(rs) != 1 {
		t.Fatalf("%d reasons", len(rs))
	}
	r := rs[0]
	if len(r.Text) != 6 || r.Text[0] != `0042-001 nim: processing error encountered on "master":` || r.Text[5] != "rc=175" {
		t.Errorf("text %q", r.Text)
	}
	if len(r.Core) != 1 || r.Core[0].Code != "0042-175" || !strings.Contains(r.Core[0].Text, "installp") {
		t.Errorf("core %+v", r.Core)
	}
	if rs := ParseNimReasons([]byte("Error message is: 'unterminated\nmore")); len(rs) != 1 || len(rs[0].Text) != 2 {
		t.Errorf("unterminated: %+v", rs)
	}
	if rs := ParseNimReasons([]byte("nothing here\n")); len(rs) != 0 {
		t.Errorf("no reason: %+v", rs)
	}
}

func FuzzParseNimReasons(f *testing.F) {
	f.Add([]byte("Error message is: '0042-001 nim: x on \"master\":\n   0042-053 m_mkspot: there is no NIM object named \"x\"'\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, r := range ParseNimReasons(b) {
			if len(r.Text) > maxReasonLines {
				t.Fatalf("%d lines", len(r.Text))
			}
		}
	})
}

// A failed update passes installp's whole output as an error (T2); a
// failed copy cpcosi's.
func TestParseToolReasons(t *testing.T) {
	out := fixture(t, "runs/update_installp_fails_inferred.out")
	rs := ParseNimReasons(out)
	if len(rs) != 1 || rs[0].From != "Command output" {
		t.Fatalf("reasons %+v", rs)
	}
	r := rs[0]
	if r.Text[0] != "+-----------------------------------------------------------------------------+" ||
		r.Text[len(r.Text)-1] != "bos.adt.base                7.1.3.45        ROOT        APPLY       SUCCESS" {
		t.Errorf("text from %q to %q", r.Text[0], r.Text[len(r.Text)-1])
	}
	eq(t, r.Failures, []string{"1  FAILED pre-installation verification", "bos.perf.tools                            Not found on the installation media"})
	// A successful -V update's blocks are info, not reasons.
	if rs := ParseNimReasons(fixture(t, "runs/update_verbose_inferred.out")); len(rs) != 0 {
		t.Errorf("reasons in a success: %+v", rs)
	}
	// rpm's failure: its block, then the already-installed warning.
	rs = ParseNimReasons([]byte("Error: Command output:\n\nerror: open of nosuch.rpm failed: No such file or directory\n\n\n" +
		"Warning: The following RPM packages were already installed and were not reinstalled:\n\n" +
		"Error: One or more errors occurred while installing rpm packages in SPOT a.\n"))
	if len(rs) != 1 || len(rs[0].Text) != 1 || len(rs[0].Failures) != 1 {
		t.Errorf("rpm reason %+v", rs)
	}
	rs = ParseNimReasons([]byte("Creating a NIM SPOT resource. This could take a while.\n\n" +
		"Error:  The cpcosi command failed. \n0042-001 cpcosi: processing error encountered on \"master\":\n" +
		"   0042-175 c_cpcosi: An unexpected result was returned by the \"/usr/bin/cp\" command:\n\n" +
		"Error: Could not create a NIM definition for 'n'.\n"))
	if len(rs) != 1 || rs[0].From != "cpcosi" || len(rs[0].Core) != 1 || rs[0].Core[0].Code != "0042-175" {
		t.Errorf("cpcosi reason %+v", rs)
	}
}

func FuzzToolFailure(f *testing.F) {
	f.Add("    1  FAILED pre-installation verification")
	f.Add("bos.rte  7.3.2.0  USR  APPLY  FAILED")
	f.Fuzz(func(t *testing.T, s string) {
		if ToolFailure(s) && strings.TrimSpace(s) == "" {
			t.Errorf("a blank line is a failure: %q", s)
		}
	})
}
