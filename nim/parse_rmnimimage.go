package nim

import "strings"

// RemoveReport is what rmnimimage said it did. Resource names are listed once
// each in output order, whichever node (management or service node) said it;
// the "<mn>: " prefix is dropped.
type RemoveReport struct {
	// DefinitionRemoved: "Removed the xCAT osimage definition '<img>'." (-x).
	DefinitionRemoved bool
	Definition        string // <img> of that line
	// Removed: "<mn>: Removed the NIM resource named '<r>'."
	Removed []string
	// NotRemoved: "<mn>: Could not remove the NIM resource definition '<r>'."
	NotRemoved []string
	// Allocated: "<mn>: The resource named '<r>' is currently allocated. It
	// will not be removed." Free them with rmdsklsnode first.
	Allocated []string
	// SharedRefused: "One or more resources are being used in other osimage
	// definitions. ... Use the force option to override this check." Nothing
	// was removed.
	SharedRefused bool
	// Shared: resources named by -V's "The osimage <a> and <b> share the
	// common resource <r>" lines.
	Shared []string
	// Errors holds every xCAT and NIM error message of the output.
	Errors []Message
}

// OK reports whether rmnimimage removed everything it was asked to without
// an error, a refusal or a resource left behind.
func (r RemoveReport) OK() bool {
	return !r.SharedRefused && len(r.NotRemoved) == 0 && len(r.Allocated) == 0 && len(r.Errors) == 0
}

// ParseRmnimimage reads rmnimimage's output (stdout and stderr together is
// best). Lines are recognised by their fixed wording wherever they sit after
// xCAT's "Error: [host]: " and rmnimimage's own "<mn>: " prefixes.
func ParseRmnimimage(out []byte) RemoveReport {
	var r RemoveReport
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if t == "" {
			continue
		}
		switch {
		case strings.Contains(t, "Removed the xCAT osimage definition '"):
			if name, ok := quotedAfter(t, "Removed the xCAT osimage definition "); ok {
				r.DefinitionRemoved, r.Definition = true, name
			}
		case strings.Contains(t, "Removed the NIM resource named '"):
			if name, ok := quotedAfter(t, "Removed the NIM resource named "); ok {
				r.Removed = appendUnique(r.Removed, name)
			}
		case strings.Contains(t, "Could not remove the NIM resource definition '"):
			if name, ok := quotedAfter(t, "Could not remove the NIM resource definition "); ok {
				r.NotRemoved = appendUnique(r.NotRemoved, name)
			}
		case strings.Contains(t, "' is currently allocated. It will not be removed."):
			if name, ok := quotedAfter(t, "The resource named "); ok {
				r.Allocated = appendUnique(r.Allocated, name)
			}
		case strings.Contains(t, "One or more resources are being used in other osimage definitions."):
			r.SharedRefused = true
		case strings.Contains(t, " share the common resource "):
			res := t[strings.Index(t, " share the common resource ")+len(" share the common resource "):]
			res = strings.TrimSuffix(trimBlanks(res), ".")
			if plausibleName(res) {
				r.Shared = appendUnique(r.Shared, res)
			}
		}
	}
	for _, m := range ParseMessages(out) {
		if m.Kind.IsError() {
			r.Errors = append(r.Errors, m)
		}
	}
	return r
}

// quotedAfter returns the plausible name quoted right after phrase in t.
func quotedAfter(t, phrase string) (string, bool) {
	i := strings.Index(t, phrase)
	if i < 0 {
		return "", false
	}
	rest := t[i+len(phrase):]
	if !strings.HasPrefix(rest, "'") {
		return "", false
	}
	name, ok := singleQuoted(rest)
	if !ok || !plausibleName(name) {
		return "", false
	}
	return name, true
}
