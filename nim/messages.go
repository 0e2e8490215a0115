package nim

import (
	"bytes"
	"strconv"
	"strings"
)

// MessageKind says where a message came from and how bad it is.
type MessageKind int

const (
	XcatError   MessageKind = iota + 1 // "Error: [host]: text" (stderr, exit 1)
	XcatWarning                        // "Warning: [host]: text"
	NimError                           // "0042-NNN cmd: text"
	NimWarning                         // "warning: 0042-NNN cmd: text" (exit code unchanged)
)

func (k MessageKind) String() string {
	switch k {
	case XcatError:
		return "xCAT error"
	case XcatWarning:
		return "xCAT warning"
	case NimError:
		return "NIM error"
	case NimWarning:
		return "NIM warning"
	}
	return "message"
}

// IsError reports whether the kind is an error rather than a warning.
func (k MessageKind) IsError() bool { return k == XcatError || k == NimError }

// Message is one error or warning from xCAT or NIM output.
type Message struct {
	Kind    MessageKind
	Code    string // NIM message number, e.g. "0042-053"; empty for xCAT
	Command string // NIM command or method that spoke, e.g. "lsnim", "m_mkspot"
	// Host is the server in xCAT's "[host]: " prefix, or the machine a NIM
	// "processing error encountered on "<host>":" wrapper names.
	Host string
	Text string // the message, continuation lines joined with one blank
}

// String renders the message the way the command printed it, on one line.
func (m Message) String() string {
	var b strings.Builder
	switch m.Kind {
	case XcatError, XcatWarning:
		if m.Kind == XcatError {
			b.WriteString("Error: ")
		} else {
			b.WriteString("Warning: ")
		}
		if m.Host != "" {
			b.WriteString("[" + m.Host + "]: ")
		}
	case NimError, NimWarning:
		if m.Kind == NimWarning {
			b.WriteString("warning: ")
		}
		b.WriteString(m.Code)
		if m.Command != "" {
			b.WriteString(" " + m.Command + ":")
		}
		b.WriteByte(' ')
	}
	b.WriteString(m.Text)
	return b.String()
}

// ParseMessages picks the xCAT and NIM errors and warnings out of a command's
// output (stdout, stderr or both):
//   - "Error: text" and "Warning: text", with xCAT's optional "[host]: "
//     server prefix (xCAT >= 2.14.2). The "Error: Return=N." footer is left
//     to ReturnCode.
//   - "0042-NNN cmd: text" and "warning: 0042-NNN cmd: text", indented or not
//     (nested method errors are indented). A NIM message's wrapped
//     continuation lines are joined to it until a blank line or the next
//     message.
//
// Everything else (progress, installp output, other AIX message numbers) is
// not a message here.
func ParseMessages(out []byte) []Message {
	var msgs []Message
	open := -1 // index of a NIM message that may still get continuation lines
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
	for len(out) > 0 {
		var raw []byte
		if i := bytes.IndexByte(out, '\n'); i >= 0 {
			raw, out = out[:i], out[i+1:]
		} else {
			raw, out = out, nil
		}
		// Lines that cannot start a message, with none open, are skipped
		// without a copy: the end of a flooded log is 1 MiB of them.
		if open < 0 && !mayStartMessage(raw) {
			continue
		}
		t := trimBlanks(string(raw))
		if t == "" {
			flush()
			continue
		}
		if m, ok := parseMessageLine(t); ok {
			flush()
			if m.Kind == 0 { // the Return=N footer
				continue
			}
			msgs = append(msgs, m)
			if m.Kind == NimError || m.Kind == NimWarning {
				open = len(msgs) - 1
			}
			continue
		}
		if open >= 0 {
			// A builder, not +=, so a flood of continuation lines stays linear.
			if more.Len() > 0 {
				more.WriteByte(' ')
			}
			more.WriteString(t)
		}
	}
	flush()
	return msgs
}

// mayStartMessage reports whether line's first non-blank byte can begin one
// of the messages parseMessageLine knows ("Error:", "Warning:", "warning:",
// "0042-").
func mayStartMessage(line []byte) bool {
	for _, c := range line {
		if !isBlank(c) {
			return c == 'E' || c == 'W' || c == 'w' || c == '0'
		}
	}
	return false
}

// parseMessageLine parses one trimmed line that starts a message. The
// "Return=N." footer comes back with Kind 0 so it still ends a message.
func parseMessageLine(t string) (Message, bool) {
	switch {
	case strings.HasPrefix(t, "Error:"):
		host, text := xcatHost(t[len("Error:"):])
		if _, ok := returnFooter(text); ok {
			return Message{}, true
		}
		return Message{Kind: XcatError, Host: host, Text: text}, true
	case strings.HasPrefix(t, "Warning:"):
		host, text := xcatHost(t[len("Warning:"):])
		return Message{Kind: XcatWarning, Host: host, Text: text}, true
	case strings.HasPrefix(t, "warning:"):
		rest, _ := trimLeft(t[len("warning:"):])
		if m, ok := nimMessage(rest); ok {
			m.Kind = NimWarning
			return m, true
		}
	case strings.HasPrefix(t, "0042-"):
		if m, ok := nimMessage(t); ok {
			m.Kind = NimError
			return m, true
		}
	}
	return Message{}, false
}

// xcatHost splits xCAT's optional "[host]: " prefix off a message.
func xcatHost(s string) (host, text string) {
	s, _ = trimLeft(s)
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "]: "); i > 1 && !strings.ContainsAny(s[1:i], " \t[]") {
			rest, _ := trimLeft(s[i+3:])
			return s[1:i], rest
		}
		if strings.HasSuffix(s, "]:") && len(s) > 3 && !strings.ContainsAny(s[1:len(s)-2], " \t[]") {
			return s[1 : len(s)-2], ""
		}
	}
	return "", s
}

// nimMessage parses "0042-NNN cmd: text" (cmd may be missing: "0042-NNN text").
func nimMessage(t string) (Message, bool) {
	if len(t) < 8 || !strings.HasPrefix(t, "0042-") || !isDigit(t[5]) || !isDigit(t[6]) || !isDigit(t[7]) {
		return Message{}, false
	}
	if len(t) > 8 && !isBlank(t[8]) {
		return Message{}, false
	}
	m := Message{Code: t[:8]}
	rest, _ := trimLeft(t[8:])
	cmd, after := nextField(rest)
	if n := len(cmd); n > 1 && cmd[n-1] == ':' && plausibleName(cmd[:n-1]) {
		m.Command = cmd[:n-1]
		rest, _ = trimLeft(after)
	}
	m.Text = trimRight(rest)
	m.Host = encounteredHost(m.Text)
	return m, true
}

// encounteredHost takes <host> from NIM's `processing error encountered on
// "<host>":` wrapper.
func encounteredHost(text string) string {
	const p = `processing error encountered on "`
	i := strings.Index(text, p)
	if i < 0 {
		return ""
	}
	rest := text[i+len(p):]
	j := strings.IndexByte(rest, '"')
	if j <= 0 || !plausibleName(rest[:j]) {
		return ""
	}
	return rest[:j]
}

// returnFooter parses "Return=N." (the text of xCAT's failure footer).
func returnFooter(text string) (int, bool) {
	if !strings.HasPrefix(text, "Return=") {
		return 0, false
	}
	num := strings.TrimSuffix(trimRight(text[len("Return="):]), ".")
	if num == "" || len(num) > 9 {
		return 0, false
	}
	for i := 0; i < len(num); i++ {
		if !isDigit(num[i]) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// ReturnCode finds xCAT's failure footer "Error: Return=N." (also
// "Error: [host]: Return=N.") and gives N; with several, the last one.
func ReturnCode(out []byte) (int, bool) {
	code, found := 0, false
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t, _ := trimLeft(line)
		if !strings.HasPrefix(t, "Error:") {
			continue
		}
		_, text := xcatHost(t[len("Error:"):])
		if n, ok := returnFooter(text); ok {
			code, found = n, true
		}
	}
	return code, found
}

// HasCode reports whether msgs holds a NIM message with the given number.
func HasCode(msgs []Message, code string) bool {
	for _, m := range msgs {
		if m.Code == code {
			return true
		}
	}
	return false
}

// NimReason is NIM's (or a tool's) own account of a failure that
// mknimimage passes on:
//   - "Error message is: '<the whole output of the failed nim command>'"
//     with -V (aixinstall.pm at 2.9.2_aix_release, mk_spot ~L4393-4396;
//     without -V the admin gets only "Could not create a NIM definition for
//     '<spot>'.");
//   - "Error: Command output:" and the whole output of installp, rpm or
//     emgr run inside the SPOT, on a failed update, -V or not
//     (update_spot_installp L15318-15324, update_spot_rpm L15456-15461,
//     update_spot_epkg L15547-15552);
//   - "Error:  The cpcosi command failed. " and cpcosi's output, when a
//     copy's SPOT copy fails (mk_spot L4246-4253).
type NimReason struct {
	From     string    // "nim", "Command output" or "cpcosi"
	Text     []string  // the output, line by line (at most maxReasonLines)
	Core     []Message // its innermost NIM messages: what to show first
	Failures []string  // the tools' failure lines (installp, rpm, emgr)
}

const maxReasonLines = 400

// ToolFailure reports whether a line of installp's, rpm's or emgr's output
// reports a failure: installp's "N  FAILED pre-installation verification"
// (N > 0), a summary row whose result is FAILED or CANCELLED, "Not found on
// the installation media"; rpm's "error:" lines; emgr's FAILURE rows (GUESS
// at emgr's layout).
func ToolFailure(line string) bool {
	s := trimBlanks(line)
	f := strings.Fields(s)
	switch {
	case strings.HasPrefix(s, "error:"):
		return true
	case strings.Contains(s, "Not found on the installation media"):
		return true
	case len(f) >= 4 && f[1] == "FAILED" && f[2] == "pre-installation":
		return f[0] != "0"
	case len(f) >= 4 && (f[len(f)-1] == "FAILED" || f[len(f)-1] == "CANCELLED" || f[len(f)-1] == "FAILURE"):
		return true
	}
	return false
}

// errorText is the text of an "Error: [host]: text" line, and whether the
// line is one.
func errorText(line string) (string, bool) {
	t, _ := trimLeft(line)
	if !strings.HasPrefix(t, "Error:") {
		return "", false
	}
	_, text := xcatHost(t[len("Error:"):])
	return text, true
}

// ParseNimReasons finds every reason block in out, in order (see
// NimReason). An "Error message is:" text ends at the first line that ends
// with a quote; a "Command output:" or cpcosi block at the next "Error:" or
// "Warning:" line (xCAT's next message), blank lines at either end dropped.
func ParseNimReasons(out []byte) []NimReason {
	const intro = "Error message is: '"
	var reasons []NimReason
	var cur *NimReason
	quoted := false // cur is an "Error message is:" text
	finish := func() {
		if cur == nil {
			return
		}
		for len(cur.Text) > 0 && trimBlanks(cur.Text[len(cur.Text)-1]) == "" {
			cur.Text = cur.Text[:len(cur.Text)-1]
		}
		msgs := ParseMessages([]byte(strings.Join(cur.Text, "\n")))
		// The innermost messages: NIM's nested method errors come last and
		// indented; the 0042-001 "processing error encountered" wrapper
		// says only where.
		for _, m := range msgs {
			if m.Code != "0042-001" {
				cur.Core = append(cur.Core, m)
			}
		}
		if len(cur.Core) == 0 {
			cur.Core = msgs
		}
		for _, l := range cur.Text {
			if cur.From == "Command output" && ToolFailure(l) && len(cur.Failures) < maxReasonLines {
				cur.Failures = append(cur.Failures, trimBlanks(l))
			}
		}
		reasons = append(reasons, *cur)
		cur, quoted = nil, false
	}
	add := func(line string) {
		if len(cur.Text) < maxReasonLines && (len(cur.Text) > 0 || trimBlanks(line) != "") {
			cur.Text = append(cur.Text, line)
		}
	}
	for len(out) > 0 {
		var raw []byte
		if j := bytes.IndexByte(out, '\n'); j >= 0 {
			raw, out = out[:j], out[j+1:]
		} else {
			raw, out = out, nil
		}
		// Lines that cannot start a block, with none open, are skipped
		// without a copy (a flooded log).
		if cur == nil && !bytes.Contains(raw, []byte(intro)) && !bytes.Contains(raw, []byte("Error:")) {
			continue
		}
		line := strings.TrimRight(string(raw), " \t\r")
		if quoted {
			if strings.HasSuffix(line, "'") {
				if line = strings.TrimSuffix(line, "'"); line != "" {
					add(line)
				}
				finish()
			} else {
				add(line)
			}
			continue
		}
		if cur != nil {
			t, _ := trimLeft(line)
			if !strings.HasPrefix(t, "Error:") && !strings.HasPrefix(t, "Warning:") {
				add(line)
				continue
			}
			finish()
		}
		if i := strings.Index(line, intro); i >= 0 {
			cur, quoted = &NimReason{From: "nim"}, true
			rest := line[i+len(intro):]
			if strings.HasSuffix(rest, "'") {
				if rest = strings.TrimSuffix(rest, "'"); rest != "" {
					add(rest)
				}
				finish()
			} else {
				add(rest)
			}
			continue
		}
		text, ok := errorText(line)
		switch {
		case !ok:
		case text == "Command output:":
			cur = &NimReason{From: "Command output"}
		case strings.HasPrefix(text, "The cpcosi command failed."):
			cur = &NimReason{From: "cpcosi"}
		}
	}
	if cur != nil {
		finish()
	}
	return reasons
}
