package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/nim"
)

// The browser's refusal to remove what a job uses works through the real
// wiring (create.go hands job.Store.Using to the browser): a job lost
// while building aix72_stateful's SPOT (NIM may still be working) makes
// d on aix72_stateful name that job instead of offering rmnimimage.
func TestBrowserAsksTheJobStore(t *testing.T) {
	state := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	id := "20261204-120000-aix72_stateful"
	dir := filepath.Join(state, "jobs", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	rec := job.Record{ID: id, Name: "aix72_stateful", Plan: nim.Plan{Name: "aix72_stateful", Type: nim.Diskless, Source: "/dev/cd0"},
		State: job.StateRunning, Started: time.Now().Add(-time.Minute), SupervisorPID: dead.Process.Pid, ChildPID: dead.Process.Pid,
		Phase: nim.PhaseSpot, PhaseName: nim.PhaseSpot.String(), Critical: true}
	data, _ := json.Marshal(rec)
	if err := os.WriteFile(filepath.Join(dir, "job.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}

	u := startTUI(t, state, nil, "browse")
	u.until("aix72_stateful")
	u.keys('/')
	u.keys([]byte("aix72_stateful")...)
	u.keys('\r')
	u.until("1 of 4 osimages")
	u.keys('d')
	u.until("cannot remove: job " + id + " (osimage aix72_stateful, lost) creates or")
	u.until("Nothing can run until the errors above are solved.")
}
