package jobs

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/ui"
)

// The list is read again on its own ticks while shown; an older screen's
// ticks and a paused screen read nothing.
func TestRefresh(t *testing.T) {
	calls := 0
	list := func() ([]job.Record, error) { calls++; return nil, nil }
	m := New(ui.NewCommon(), Config{List: list, Every: time.Hour})
	if cmd := m.Pause(false); cmd == nil {
		t.Fatal("no timed re-read once shown")
	}
	// run delivers msg and runs the list read it asks for (the first
	// command of its batch; the second is the next tick, not waited for).
	run := func(msg tea.Msg) {
		cmd := m.Update(msg)
		if cmd == nil {
			return
		}
		b, ok := cmd().(tea.BatchMsg)
		if !ok || len(b) == 0 || b[0] == nil {
			t.Fatalf("refresh: %T", b)
		}
		if got, ok := b[0]().(listedMsg); ok {
			m.Update(got)
		}
	}
	run(refreshMsg{m.gen})
	if calls != 1 {
		t.Fatalf("%d reads, want 1", calls)
	}
	run(refreshMsg{m.gen - 1})
	m.Pause(true)
	run(refreshMsg{m.gen})
	if calls != 1 {
		t.Errorf("%d reads: an old screen's tick or a paused one read the list", calls)
	}
	if m.Pause(false) == nil {
		t.Error("resuming does not start the ticks again")
	}
}
