package main

import (
	"fmt"

	"github.com/nimwiz/nimwiz/internal/job"
)

// __supervise is how nimwiz re-executes itself to run a job detached
// (job.Start); it is not meant to be typed, so it has no summary.
func init() {
	register(verb{
		name: "__supervise",
		args: "JOBDIR",
		run: func(a *app, args []string) int {
			if len(args) != 1 {
				fmt.Fprintln(a.stderr, "nimwiz: __supervise JOBDIR is internal: it runs a job that 'nimwiz apply' started")
				return exitUsage
			}
			return job.Supervise(args[0])
		},
	})
}
