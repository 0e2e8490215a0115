package sim

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// A response is one message an xCAT plugin hands to its callback
// (perl-xCAT/xCAT/MsgUtils.pm message() at 2.9.2_aix_release L369-435: an
// I message is one response whose info holds every line given, an E message
// one whose error holds them and whose errorcode is 1 unless said otherwise).
type response struct {
	Error, Warning, Info []string
	ErrorCode            []int
	ServerDone           bool
	// NoErrorPrefix: the client prints the errors without "Error: "
	// (Client.pm 2.9.2 L1100-1111; xdsh's remote stderr, DSHCLI.pm L609).
	NoErrorPrefix bool
}

// A responder takes a plugin's responses: printed at once as the client
// would print them (in-process runs), or sent to the simulated xcatd's
// connection process (the plugin process).
type responder interface {
	send(r response)
}

// printer is the xCAT client's handle_response (perl-xCAT/xCAT/Client.pm at
// 2.9.2_aix_release L1077-1144) without the client's buffering: errorcodes
// OR'ed into the exit code, each error "Error: <text>" and each warning
// "Warning: <text>" on stderr, each info line on stdout.
type printer struct {
	stdout, stderr io.Writer
	exit           int
}

func (pr *printer) send(r response) {
	for _, c := range r.ErrorCode {
		pr.exit |= c
	}
	r.Error, r.Warning, r.Info = collapse(r.Error), collapse(r.Warning), collapse(r.Info)
	for _, t := range r.Error {
		if r.NoErrorPrefix {
			fmt.Fprintf(pr.stderr, "%s\n", t)
			continue
		}
		fmt.Fprintf(pr.stderr, "Error: %s\n", t)
	}
	for _, t := range r.Warning {
		fmt.Fprintf(pr.stderr, "Warning: %s\n", t)
	}
	for _, t := range r.Info {
		fmt.Fprintf(pr.stdout, "%s\n", t)
	}
}

// collapse is what XML::Simple does to the client's copy of each element
// (its collapse: "next if($val =~ m{^\s*$}s)"): text that is only
// whitespace arrives empty, so a pushed "\n" prints as one empty line.
func collapse(texts []string) []string {
	var out []string
	for i, t := range texts {
		if strings.TrimLeft(t, " \t\r\n\f") == "" && t != "" {
			if out == nil {
				out = append([]string{}, texts...)
			}
			out[i] = ""
		}
	}
	if out == nil {
		return texts
	}
	return out
}

// wire sends responses as XML on the plugin's pipe to the connection
// process, one write per response (the plugin's socketpair is autoflushed:
// xCAT-server/sbin/xcatd at 2.9.2_aix_release L1580-1585). A write that
// fails (the connection process is gone) is swallowed, as xcatd's SIGPIPE
// handler does with $pipeexpected set (L202-206).
type wire struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *wire) send(r response) {
	b := encodeResponse(r)
	w.mu.Lock()
	defer w.mu.Unlock()
	_, _ = w.w.Write(b)
}

// collector keeps responses (the connection process garbling a reply).
type collector struct{ rs []response }

func (c *collector) send(r response) { c.rs = append(c.rs, r) }

// xcatdText is what xcatd's send_response does to every reply before it
// goes out (xcatd at 2.9.2_aix_release L2178: $xml =~ tr/\011-\177/?/c):
// every character outside tab..DEL, control characters and anything beyond
// ASCII alike, becomes "?".
func xcatdText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0o11 || s[i] > 0o177 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r < 0o11 || r > 0o177 {
			b.WriteByte('?')
		} else {
			b.WriteRune(r)
		}
		s = s[n:]
	}
	return b.String()
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// encodeResponse is XMLout of one response (RootName xcatresponse, NoAttr),
// after xcatd's character clean-up.
func encodeResponse(r response) []byte {
	var b bytes.Buffer
	b.WriteString("<xcatresponse>\n")
	elem := func(k, v string) {
		b.WriteString("  <" + k + ">")
		b.WriteString(xmlEscaper.Replace(xcatdText(v)))
		b.WriteString("</" + k + ">\n")
	}
	for _, t := range r.Error {
		elem("error", t)
	}
	for _, c := range r.ErrorCode {
		elem("errorcode", strconv.Itoa(c))
	}
	for _, t := range r.Info {
		elem("info", t)
	}
	if r.NoErrorPrefix {
		elem("NoErrorPrefix", "1")
	}
	if r.ServerDone {
		elem("serverdone", "")
	}
	for _, t := range r.Warning {
		elem("warning", t)
	}
	b.WriteString("</xcatresponse>\n")
	return b.Bytes()
}

var (
	respRe = regexp.MustCompile(`(?s)<xcatresponse>(.*?)</xcatresponse>`)
	elemRe = regexp.MustCompile(`(?s)<(\w+)>(.*?)</(\w+)>|<(\w+)\s*/>`)
)

var xmlUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")

func xmlUnescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return xmlUnescaper.Replace(s)
}

// elements returns the flat elements of an XML body in order: name, text.
func elements(body string) [][2]string {
	var out [][2]string
	for _, m := range elemRe.FindAllStringSubmatch(body, -1) {
		if m[4] != "" {
			out = append(out, [2]string{m[4], ""})
			continue
		}
		if m[1] != m[3] {
			continue
		}
		out = append(out, [2]string{m[1], xmlUnescape(m[2])})
	}
	return out
}

// decodeResponses parses the responses in b.
func decodeResponses(b []byte) []response {
	var out []response
	for _, m := range respRe.FindAllSubmatch(b, -1) {
		var r response
		for _, e := range elements(string(m[1])) {
			switch e[0] {
			case "error":
				r.Error = append(r.Error, e[1])
			case "warning":
				r.Warning = append(r.Warning, e[1])
			case "info", "data":
				r.Info = append(r.Info, e[1])
			case "errorcode":
				n, _ := strconv.Atoi(e[1])
				r.ErrorCode = append(r.ErrorCode, n)
			case "serverdone":
				r.ServerDone = true
			case "NoErrorPrefix":
				r.NoErrorPrefix = true
			}
		}
		out = append(out, r)
	}
	return out
}

// request is what the client sends: its command, arguments and working
// directory (xCAT-client/bin/xcatDBcmds at 2.9.2_aix_release L38-100), or
// an abort (perl-xCAT/xCAT/Client.pm L287).
type request struct {
	Command string
	Args    []string
	Cwd     string
	Stdin   string
	Abort   bool
}

func parseRequest(b []byte) request {
	var r request
	s := string(b)
	if i := strings.Index(s, "<xcatrequest>"); i >= 0 {
		s = s[i+len("<xcatrequest>"):]
	}
	if i := strings.Index(s, "</xcatrequest>"); i >= 0 {
		s = s[:i]
	}
	for _, e := range elements(s) {
		switch e[0] {
		case "command":
			r.Command = e[1]
		case "arg":
			r.Args = append(r.Args, e[1])
		case "cwd":
			r.Cwd = e[1]
		case "stdin":
			r.Stdin = e[1]
		case "abortcommand":
			r.Abort = e[1] != "" && e[1] != "0"
		}
	}
	return r
}

func encodeRequest(r request) []byte {
	var b bytes.Buffer
	b.WriteString("<xcatrequest>\n")
	for _, a := range r.Args {
		b.WriteString("  <arg>" + xmlEscaper.Replace(a) + "</arg>\n")
	}
	b.WriteString("  <command>" + xmlEscaper.Replace(r.Command) + "</command>\n")
	b.WriteString("  <cwd>" + xmlEscaper.Replace(r.Cwd) + "</cwd>\n")
	b.WriteString("</xcatrequest>\n")
	return b.Bytes()
}
