package run

import (
	"strings"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// ^Z during SPOT creation is refused with the words ^C and ^\ get.
func TestSuspendRefusedLikeInterrupt(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, nil)
	var said []string
	for _, k := range []string{"ctrl+c", "ctrl+\\", "ctrl+z"} {
		m := screen(at(time.Minute), rec, output)
		m.Update(keyMsg(k))
		if m.confirm.Open() || !strings.HasPrefix(m.notice, k+" refused: ") {
			t.Fatalf("%s: %q", k, m.notice)
		}
		said = append(said, strings.TrimPrefix(m.notice, k))
	}
	if said[0] != said[1] || said[1] != said[2] {
		t.Errorf("the refusals differ:\n%s", strings.Join(said, "\n"))
	}
}

// "Asking ... to stop mknimimage..." goes once the job has ended: the
// ending says what became of it.
func TestStoppingNoticeGoesAtTheEnd(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseLppSource, false, nil)
	m := screen(at(time.Minute), rec, output)
	m.Update(keyMsg("ctrl+c"))
	m.Update(keyMsg("y"))
	if !strings.Contains(m.notice, "stop mknimimage") {
		t.Fatalf("notice %q", m.notice)
	}
	m.SetSize(80, 24)
	if !strings.Contains(m.View(), "stop mknimimage") {
		t.Fatal("the notice is not shown while it stops")
	}
	rec.State, rec.Ended, rec.Interrupted = job.StateInterrupted, at(2*time.Minute), at(time.Minute)
	m.Update(tickMsg{id: jobID, rec: rec})
	if m.notice != "" || strings.Contains(m.View(), "stop mknimimage") {
		t.Errorf("stale notice after the end: %q", m.notice)
	}
}

// q, esc and d all leave the screen the same way: detach (the job goes on);
// where the screen Returns, back to the view it came from.
func TestLeaveKeysAgree(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, nil)
	for _, k := range []string{"q", "esc", "d"} {
		m := screen(at(time.Minute), rec, output)
		cmd := m.Update(keyMsg(k))
		if cmd == nil || !m.Result().Detached {
			t.Errorf("%s: did not detach", k)
		}
		m = screen(at(time.Minute), rec, output)
		m.Returns(true)
		if cmd := m.Update(keyMsg(k)); cmd == nil {
			t.Errorf("%s: nothing", k)
		} else if _, ok := cmd().(LeftMsg); !ok {
			t.Errorf("%s: did not go back", k)
		}
	}
}

// At 60x20 the reattach hint names the whole command, with the options in
// force, and the output pane still shows output.
func TestSmallestKeepsHintAndOutput(t *testing.T) {
	rec := record(job.StateRunning, nim.PhaseSpot, true, nil)
	m := screen(at(time.Minute), rec, output)
	m.cfg.Command = []string{"nimwiz", "--demo", "--state-dir", "/home/admin/nimwiz-practice"}
	m.Update(keyMsg("ctrl+c"))
	v := frame(m, 60, 20)
	if !strings.Contains(v, "nimwiz --demo --state-dir /home/admin/nimwiz-practice attach\n"+jobID) {
		t.Errorf("the reattach command is not whole:\n%s", v)
	}
	_, pane, _ := strings.Cut(v, "-- Output")
	if !strings.Contains(pane, "Creating a NIM SPOT resource") {
		t.Errorf("the output pane is empty:\n%s", v)
	}
}
