package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nimwiz/nimwiz/internal/job"
)

// The plain wizard, taken with its defaults and confirmed, runs the job the
// way apply does and ends with the osimage created.
func TestPlainCreateRunsTheJob(t *testing.T) {
	t.Setenv("NIMWIZ_SIM_SPOT_SECONDS", "0.2")
	t.Setenv("NIMWIZ_SIM_UPDATE_SECONDS", "0.05")
	state := t.TempDir()
	// Enter through the seven steps (and the lpp_source offered at the
	// media's level: no), Create (1), confirm (y).
	in := strings.NewReader(strings.Repeat("\n", 8) + "1\ny\n")
	var out, errb bytes.Buffer
	rc := run([]string{"--demo", "--plain", "--state-dir", state, "create"}, in, &out, &errb)
	if rc != exitOK {
		t.Fatalf("rc %d\nstdout:\n%s\nstderr:\n%s", rc, out.String(), errb.String())
	}
	for _, want := range []string{"simulat", "Step 7 of 7: Preview", "The following xCAT osimage definition was created"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	jobs, err := job.NewStore(state).List()
	if err != nil || len(jobs) != 1 || jobs[0].State != job.StateSucceeded {
		t.Fatalf("jobs %+v, %v", jobs, err)
	}
}

// Input that ends before the last answer changes nothing and says so.
func TestPlainCreateEndOfInput(t *testing.T) {
	state := t.TempDir()
	var out, errb bytes.Buffer
	rc := run([]string{"--demo", "--plain", "--state-dir", state, "create"}, strings.NewReader("\n\n"), &out, &errb)
	if rc != exitUsage {
		t.Fatalf("rc %d, want %d\n%s%s", rc, exitUsage, out.String(), errb.String())
	}
	if jobs, _ := job.NewStore(state).List(); len(jobs) != 0 {
		t.Errorf("a job started: %+v", jobs)
	}
}
