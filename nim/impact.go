package nim

import (
	"regexp"
	"sort"
	"strings"
)

// What rmnimimage does across the hierarchy (xcat-hierarchy.md, aixinstall.pm
// 2.9.2 rmnimres L5840-5888): by default it removes the osimage's NIM
// resources (the lpp_source only with -d) on the NIM primary and on every
// SN that serves nodes (getSNformattedhash of all nodes); -M only on the
// NIM primary; -s NODERANGE only on those SNs. On each server a resource
// it does not have is skipped silently, and one allocated there is left
// ("The resource named '<r>' is currently allocated. It will not be
// removed.").

// ServerImpact is what rmnimimage would do on one server.
type ServerImpact struct {
	Server  string   `json:"server"`
	Removes []string `json:"removes,omitempty"`
	// Allocated are left: allocated on that server (rmdsklsnode there first).
	Allocated []string `json:"allocated,omitempty"`
	// Unknown: the server did not answer; what it holds is not known.
	Unknown bool   `json:"unknown,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// RemoveImpact is rmnimimage's effect on every server of m (the MN and
// the SNs serving nodes), with -d deleting the lpp_source too.
func RemoveImpact(m Matrix, d bool) []ServerImpact {
	var out []ServerImpact
	for _, s := range m.Servers {
		si := ServerImpact{Server: s.Name}
		if s.State != SNAnswered {
			si.Unknown, si.Reason = true, s.State.String()
			out = append(out, si)
			continue
		}
		for _, r := range m.Rows {
			if r.Attr == "lpp_source" && !d {
				continue
			}
			c := r.Cells[s.Name]
			switch {
			case !c.Present:
			case c.Alloc > 0:
				si.Allocated = appendUnique(si.Allocated, r.Resource)
			default:
				si.Removes = appendUnique(si.Removes, r.Resource)
			}
		}
		out = append(out, si)
	}
	return out
}

// LimitedRemoveArgvs are the two ways to limit rmnimimage (as RemoveArgv
// with d, x, f): -M (the NIM primary only) and -s with the SNs given.
func LimitedRemoveArgvs(name string, d, x, f bool, sns []string) (mOnly, snOnly []string) {
	base := RemoveArgv(name, d, x, f)
	mOnly = append(append(append([]string{}, base[:len(base)-1]...), "-M"), name)
	if len(sns) > 0 {
		snOnly = append(append(append([]string{}, base[:len(base)-1]...), "-s", strings.Join(sns, ",")), name)
	}
	return mOnly, snOnly
}

// onServer matches the service-node forms of rmnimimage's lines (reference
// §6: "Removed the NIM resource named '<r>' on <sn>", "... on <sn>.").
var onServer = regexp.MustCompile(` on ([A-Za-z0-9][A-Za-z0-9._-]*)\.?$`)

// ParseRmnimimageByServer splits rmnimimage's output by the server that
// speaks: each "<server>: " prefix (site.master as written for the MN, the
// SN's name otherwise), or a trailing " on <sn>", and reads each server's
// lines with ParseRmnimimage. Lines naming no server are under "".
func ParseRmnimimageByServer(out []byte) map[string]RemoveReport {
	lines := map[string][]string{}
	var order []string
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if t == "" {
			continue
		}
		srv := ""
		kind, rest := "", t
		for _, p := range []string{"Error: ", "Warning: "} {
			if r, ok := strings.CutPrefix(rest, p); ok {
				kind, rest = p, r
			}
		}
		if h, r, ok := strings.Cut(rest, ": "); ok && (plausibleName(h) || isAddress(h)) && !strings.ContainsAny(h, " '") {
			srv, rest = h, r
		}
		if m := onServer.FindStringSubmatch(rest); m != nil && strings.Contains(rest, "NIM resource") {
			srv = m[1]
			rest = rest[:len(rest)-len(m[0])]
			// The SN form names the resource unquoted: say it as the MN does.
			if r, ok := strings.CutPrefix(rest, "Could not remove the NIM resource "); ok && !strings.HasPrefix(r, "definition ") {
				rest = "Could not remove the NIM resource definition '" + r + "'"
			}
			rest += "."
		}
		rest = kind + rest
		if _, ok := lines[srv]; !ok {
			order = append(order, srv)
		}
		lines[srv] = append(lines[srv], rest)
	}
	out2 := map[string]RemoveReport{}
	sort.Strings(order)
	for _, k := range order {
		out2[k] = ParseRmnimimage([]byte(strings.Join(lines[k], "\n") + "\n"))
	}
	return out2
}

func isAddress(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' && s[i] != ':' {
			return false
		}
	}
	return true
}

// UpdateImpact is what mknimimage -u of the image's SPOT does on the SNs
// of m (aixinstall.pm 2.9.2 L1471-1535, L1704-1775): refused when the SPOT
// is allocated on any SN; otherwise the SPOT (and an unallocated
// shared_root) removed on each SN that has it, until the next mkdsklsnode
// copies it again (with sharedinstall=sns xCAT leaves the copies). Unknown
// lists the SNs that did not answer.
type UpdateEffect struct {
	RefusedBy []string `json:"refused_by,omitempty"` // SNs where the SPOT is allocated
	RemovesOn []string `json:"removes_on,omitempty"` // SNs whose copy -u removes
	Unknown   []string `json:"unknown,omitempty"`
}

// UpdateImpact reads the effect from the matrix.
func UpdateImpact(m Matrix) UpdateEffect {
	var e UpdateEffect
	for _, r := range m.Rows {
		if r.Attr != "spot" {
			continue
		}
		// The MN's own allocation refuses too ("currently allocated. It
		// cannot be updated.", aixinstall.pm 2.9.2 spot_updates).
		if c := r.Cells[MNColumn]; c.Present && c.Alloc > 0 {
			e.RefusedBy = appendUnique(e.RefusedBy, MNColumn)
		}
		for _, s := range m.Servers[1:] {
			c := r.Cells[s.Name]
			switch {
			case s.State != SNAnswered:
				e.Unknown = appendUnique(e.Unknown, s.Name)
			case c.Present && c.Alloc > 0:
				e.RefusedBy = appendUnique(e.RefusedBy, s.Name)
			case c.Present && m.SharedInstall != "sns":
				e.RemovesOn = appendUnique(e.RemovesOn, s.Name)
			}
		}
	}
	return e
}
