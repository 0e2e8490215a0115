package main

import (
	"github.com/nimwiz/nimwiz/internal/job"
)

// __supervise is how nimwiz re-executes itself to run a job detached
// (job.Start); it is not meant to be typed, so it has no summary.
func init() {
	register(verb{
		name: "__supervise",
		args: "JOBDIR",
		run: func(a *app, args []string) error {
			if len(args) != 1 {
				return usageError("JOBDIR is internal: it runs a job that 'nimwiz apply' started")
			}
			return exitStatus(job.Supervise(args[0]))
		},
	})
}
