package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/safefs"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui/plain"
	"github.com/nimwiz/nimwiz/wizard"
)

// runPlainCreate is `create` (and the bare `nimwiz`) in plain mode: the
// wizard as numbered line-by-line prompts for screen readers and serial
// consoles (an LPAR's HMC virtual console), and the run as apply's plain log.
func runPlainCreate(a *app, from, planFile string) error {
	if err := checkMaster(a); err != nil {
		return err
	}
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	cfg := plain.Config{
		NIM:     a.client,
		Root:    a.hostRoot,
		Demo:    a.demo,
		In:      a.stdin,
		Out:     a.stdout,
		Echo:    !isTerminal(a.stdin),
		PlanDir: filepath.Clean(dir),
		From:    from,
		Busy:    busyName(job.NewStore(a.stateDir)),
	}
	var start nim.Plan
	if planFile != "" {
		p, err := nim.LoadPlan(planFile)
		if err != nil {
			return usageError("--plan: %v", err)
		}
		start, cfg.Preview = p, true
	}
	plan, choice, err := plain.Create(context.Background(), cfg, start)
	switch {
	case errors.Is(err, plain.ErrInputEnded):
		return exitStatus(exitUsage) // nothing was run
	case err != nil:
		return failure("%v", err)
	}
	if choice.Action != plain.ActionRun {
		return nil
	}
	// The admin confirmed at the preview. The job keeps its own copy of the
	// plan; this one in the state directory is what apply reads.
	path, err := keepPlan(a.stateDir, plan)
	if err != nil {
		return failure("%v; nothing was started", err)
	}
	return runApply(a, []string{"--yes", path})
}

// keepPlan saves a confirmed plan under <state>/plans for apply to run.
func keepPlan(stateDir string, p nim.Plan) (string, error) {
	dir := filepath.Join(stateDir, "plans")
	if err := safefs.MkdirPrivate(dir); err != nil {
		return "", fmt.Errorf("keep the plan: %w", err)
	}
	path := filepath.Join(dir, p.Name+"-"+time.Now().Format("20060102-150405")+".toml")
	if err := nim.SavePlan(path, p); err != nil {
		return "", fmt.Errorf("keep the plan: %w", err)
	}
	return path, nil
}

// busyName says which running job holds an osimage name, for the
// wizard's preview (wizard.NameBusy); "" when none or unknown (the run
// checks again).
func busyName(st *job.Store) func(string) string {
	return func(name string) string {
		recs, err := st.Using(name)
		if err != nil || len(recs) == 0 {
			return ""
		}
		return wizard.NameBusy(name, recs[0].ID, string(recs[0].State))
	}
}
