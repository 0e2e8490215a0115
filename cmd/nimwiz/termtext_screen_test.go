package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/job/jobtest"
)

// rawForms are the payloads as a terminal would act on them: none may be in
// what nimwiz wrote to the terminal, whatever its own escape sequences.
var rawForms = []string{"\x1b]0;TITLE1", "\x1b]52;", "\x1b[2JCLEAR3", "\x1bBARE4", "CR5\r", "BEL6\x07", "\u009b", "NUL8\x00", "DEL9\x7f", "\x1b[8mHIDE10"}

// noRawPayload fails when any payload reached the terminal in a form it
// acts on; want are visible forms that must be on the screen.
func (u *tui) noRawPayload(where string, want ...string) {
	u.t.Helper()
	raw := u.screen.String()
	for _, r := range rawForms {
		if i := strings.Index(raw, r); i >= 0 {
			u.t.Errorf("%s: %q reached the terminal raw: ...%q...", where, r, raw[max(0, i-40):min(len(raw), i+40)])
		}
	}
	for _, w := range want {
		u.until(w)
	}
}

// press types keys and waits for s in what is drawn after them (the screen
// so far may show it already).
func (u *tui) press(s string, keys ...byte) {
	u.t.Helper()
	mark := len(u.screen.String())
	u.keys(keys...)
	jobtest.Eventually(u.t, fmt.Sprintf("the screen to show %q", s), func() bool {
		return strings.Contains(ansi.Strip(u.screen.String()[mark:]), s)
	})
}

// plant edits the demo world of state with fn.
func plant(t *testing.T, state string, fn func(w map[string]any)) {
	t.Helper()
	path := filepath.Join(state, "demo", "world", "var", "sim", "state.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w map[string]any
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	fn(w)
	data, _ = json.Marshal(w)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The browser's list, details, contents and remove views show NIM's values
// as text.
func TestBrowserShowsHostileValuesAsText(t *testing.T) {
	state, bad := hostileState(t)
	plant(t, state, func(w map[string]any) {
		for _, o := range w["objects"].([]any) {
			if m := o.(map[string]any); m["name"] == "aix7302_lpp" {
				// First, so it shows on the first page whatever else the lpp_source holds.
				m["filesets"] = append([]any{map[string]any{"name": "evil.rte", "level": "7.3.2.0", "desc": "Base" + bad, "pkg": "evil"}}, m["filesets"].([]any)...)
			}
		}
	})
	u := startTUI(t, state, nil, "browse")
	u.until("6 osimages")
	u.noRawPayload("list", "^[]0;TITLE1?") // evil2's nimtype, through xcatd (BEL became "?")
	u.keys('/')
	u.tty.Write([]byte("evil"))
	u.until("2 of 6 osimages")
	u.keys('\r')
	u.keys('\r')
	u.until("Osimage evil")
	u.noRawPayload("details", "usercomment=^[]0;TITLE1?", "Rstate ready for use^[]0;TITLE1^G", "/install/nim/spot/evil/usr^[]0;TITLE1^G")
	// The lpp_source's contents (the first row).
	u.keys('\r')
	u.until("evil.rte")
	u.noRawPayload("contents", "Base^[]0;TITLE1^G")
	u.press("Osimage evil", 0x1b)
	u.press("AIX osimages", 0x1b)
	u.press("[y/N]", 'd')
	u.noRawPayload("remove")
	u.keys('n')
	u.keys(3) // ctrl+c
	u.exit()
	u.noRawPayload("after")
}

// The wizard's source step lists lsdev's descriptions as text.
func TestSourceStepShowsHostileDescriptionsAsText(t *testing.T) {
	state, _ := hostileState(t)
	u := startTUI(t, state, nil, "create")
	u.until("is free: press tab or enter")
	u.keys('\r')
	u.until("Where should the AIX software come from?")
	u.keys('\r')
	u.until("cd2")
	u.noRawPayload("source step", "^[]0;TITLE1^G")
	u.keys(3)
	u.exit()
}

// The run screen's ending and what is printed after it quote xCAT's error
// lines, which carry the master's host name: as text.
func TestRunScreenEndingShowsHostileOutputAsText(t *testing.T) {
	state, bad := hostileState(t)
	plant(t, state, func(w map[string]any) { w["host"] = "mn" + bad })
	// xCAT 2.14.2 and later put the host in errors ("Error: [host]: ").
	u := startTUI(t, state, []string{"NIMWIZ_SIM_FAIL=spot", "NIMWIZ_SIM_XCAT=2.16.5"}, "create", "--plan", demoPlan(t, "k9", false))
	u.create()
	u.until("How it ended")
	u.noRawPayload("ending", "[mn^[]0;TITLE1?") // xCAT's error, through xcatd
	u.keys('q')
	u.exit()
	u.noRawPayload("printed after the screen")
}

// The preview of a plan file shows its values, valid or not, as text.
func TestPreviewShowsHostilePlanValuesAsText(t *testing.T) {
	state, _ := hostileState(t)
	p := filepath.Join(t.TempDir(), "evil.toml")
	os.WriteFile(p, []byte(`name = "ev\u001b]0;TITLE1\u0007il"`+"\n"+`source = "/dev/cd0"`+"\n"+`location = "/install/\u001b[8mHIDE10"`+"\n"), 0o600)
	u := startTUI(t, state, nil, "create", "--plan", p)
	u.until("Review the plan")
	u.noRawPayload("preview", "ev^[]0;TITLE1^Gil", "/install/^[[8mHIDE10")
	u.keys(3)
	u.exit()
}
