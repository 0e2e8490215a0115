package wizard

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/nimwiz/nimwiz/nim"
)

// NameQuestion and NameExplain open the name step.
const (
	NameQuestion = "What should the new osimage be called?"
	NameExplain  = "The name is used for the xCAT osimage and for its SPOT. " +
		"The NIM resources made for it are named after it: NAME_lpp_source, NAME_root or NAME_shared_root, NAME_paging, NAME_dump. " +
		"Letters, digits, '-' and '_'."
)

// LongestSuffix is the longest suffix the plan adds to its name for a
// resource it creates ("_shared_root"), or "" when it creates none.
func LongestSuffix(p nim.Plan) string {
	longest := ""
	for _, r := range p.Resources() {
		if !r.Reused && strings.HasPrefix(r.Name, p.Name) && len(r.Name)-len(p.Name) > len(longest) {
			longest = r.Name[len(p.Name):]
		}
	}
	return longest
}

// NameLimit says how long the name may be for plan p; longest is how the
// longest resource name is written ("NAME_shared_root").
func NameLimit(p nim.Plan, longest string) string {
	return fmt.Sprintf("At most %d characters for this plan: NIM allows %d, and %s must fit.", p.LongestName(), nim.MaxNameLen, longest)
}

// TakenProblem says why name cannot be used, or "" when t says it is free.
func TakenProblem(name string, t nim.Taken) string {
	switch {
	case t.Osimage:
		return fmt.Sprintf("an xCAT osimage named %q already exists; choose another name (see it with: lsdef -t osimage %s)", name, name)
	case t.NIMType != "":
		return fmt.Sprintf("%q is already a NIM %s object, and NIM names must be unique; choose another name", name, t.NIMType)
	}
	return ""
}

// SuggestionText offers a free name; use says how to take it ("press tab
// or Enter", "press Enter").
func SuggestionText(name, use string) string {
	return fmt.Sprintf("%s is free: %s to use it, or type another name.", name, use)
}

// Ghost is the suggestion as the empty name field shows it.
func Ghost(name string) string { return name + " (suggested)" }

// NameChecking says the name is being checked; waiting adds that Enter was
// pressed and the wizard goes on once the check passes.
func NameChecking(name string, waiting bool) string {
	s := fmt.Sprintf("checking %q in NIM and xCAT...", name)
	if waiting {
		s += " (goes on as soon as it is free)"
	}
	return s
}

// NameNeeded asks for a name when Enter was pressed on an empty field;
// tabKey is the key that takes the suggestion, "" when there is none.
func NameNeeded(tabKey string) string {
	if tabKey == "" {
		return "type a name"
	}
	return "type a name (or press " + tabKey + " to use the suggestion)"
}

// NameFree confirms a name NIM said is free.
func NameFree(name string) string { return fmt.Sprintf("%q is free in xCAT and NIM.", name) }

// SuggestBases lists the names a suggestion may start from: the osimage
// copied (--from), then one derived from the source (an lpp_source's name
// without its _lpp_source suffix, a directory's last element), then
// "osimage".
func SuggestBases(p nim.Plan, from string) []string {
	var out []string
	add := func(s string) {
		s = sanitizeName(s)
		if s != "" {
			out = append(out, s)
		}
	}
	add(from)
	switch p.SourceKind() {
	case nim.SourceLppSource:
		n := p.Source
		for _, suf := range []string{"_lpp_source", "-lpp_source", "_lpp", "-lpp"} {
			n = strings.TrimSuffix(n, suf)
		}
		add(n)
	case nim.SourceDirectory:
		add(path.Base(p.Source))
	}
	add("osimage")
	return out
}

var nameJunk = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func sanitizeName(s string) string {
	s = nameJunk.ReplaceAllString(s, "")
	if len(s) > 24 {
		s = s[:24]
	}
	return s
}

// SuggestName finds a name free in xCAT and NIM for plan p: for each of
// SuggestBases(p, from), base, base_2 ... base_9 (osimage1 ... osimage9 for
// "osimage"), skipping from itself (it exists) and stopping at the first
// that is invalid or too long for the plan. "" when none is free.
func SuggestName(ctx context.Context, n NIM, p nim.Plan, from string) (string, error) {
	for _, b := range SuggestBases(p, from) {
		for i := 1; i <= 9; i++ {
			cand := b
			if i > 1 || b == "osimage" {
				cand = fmt.Sprintf("%s%d", b, i)
				if b != "osimage" {
					cand = fmt.Sprintf("%s_%d", b, i)
				}
			}
			if b == from && i == 1 {
				continue // the osimage copied from exists
			}
			q := p
			q.Name = cand
			if nim.ValidName(cand) != nil || len(cand) > q.LongestName() {
				break
			}
			t, err := n.NameTaken(ctx, cand)
			if err != nil {
				return "", err
			}
			if !t.Any() {
				return cand, nil
			}
		}
	}
	return "", nil
}
