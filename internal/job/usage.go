package job

import (
	"syscall"
	"time"
)

// Usage is what a job cost, measured by its supervisor as the job ended:
// CPU time and peak resident memory of the supervisor itself, and of
// mknimimage with everything it started (getrusage RUSAGE_SELF and
// RUSAGE_CHILDREN). Benchmarks use it to tell nimwiz's cost from
// mknimimage's; it also shows in job.json for a post-mortem.
type Usage struct {
	SupervisorUser     time.Duration `json:"supervisor_user"`
	SupervisorSys      time.Duration `json:"supervisor_sys"`
	SupervisorMaxRSSKB int64         `json:"supervisor_maxrss_kb"`
	CommandUser        time.Duration `json:"command_user"`
	CommandSys         time.Duration `json:"command_sys"`
	CommandMaxRSSKB    int64         `json:"command_maxrss_kb"`
}

// measureUsage reads the supervisor's usage; nil if the system will not say.
func measureUsage() *Usage {
	var self, kids syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids) != nil {
		return nil
	}
	return &Usage{
		SupervisorUser: tvDuration(self.Utime), SupervisorSys: tvDuration(self.Stime),
		SupervisorMaxRSSKB: int64(self.Maxrss),
		CommandUser:        tvDuration(kids.Utime), CommandSys: tvDuration(kids.Stime),
		CommandMaxRSSKB: int64(kids.Maxrss),
	}
}

func tvDuration(tv syscall.Timeval) time.Duration { return time.Duration(tv.Nano()) }
