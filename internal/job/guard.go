package job

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Guard holds SIGINT, SIGTERM, SIGQUIT and SIGHUP for as long as nimwiz
// watches a job, and hands every one of them to the caller, who decides:
// refuse during a critical phase, act otherwise. It is registered once and
// kept, unlike Bubble Tea's own handler, which stops after the first signal
// and so lets the second one kill the process (tui-bubbletea §0.1); run the
// TUI with tea.WithoutSignalHandler() and a Guard.
//
// SIGHUP means the terminal went away. The job is detached and goes on, so
// the caller may simply stop watching then.
type Guard struct {
	c        chan os.Signal
	mu       sync.Mutex
	critical bool
	stopped  bool
}

// GuardedSignals are the signals a Guard catches.
var GuardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGQUIT, syscall.SIGHUP}

// NewGuard starts catching GuardedSignals.
func NewGuard() *Guard {
	g := &Guard{c: make(chan os.Signal, 16)}
	signal.Notify(g.c, GuardedSignals...)
	return g
}

// C delivers the caught signals.
func (g *Guard) C() <-chan os.Signal { return g.c }

// SetCritical says whether a critical phase runs. While it does, SIGTSTP
// (^Z from a terminal not in raw mode) is caught too and handed over like
// the others, so that it gets the same refusal as ^C and ^\: a stopped
// watcher could not tell the user anything, and the plain apply prompt
// would be suspended half-way.
func (g *Guard) SetCritical(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped || on == g.critical {
		return
	}
	g.critical = on
	if on {
		signal.Notify(g.c, syscall.SIGTSTP)
	} else {
		signal.Reset(syscall.SIGTSTP)
	}
}

// Suspend stops this process as ^Z asks (for a SIGTSTP caught just as a
// critical phase ended); it goes on when continued (fg).
func (g *Guard) Suspend() {
	g.mu.Lock()
	crit := g.critical
	g.mu.Unlock()
	if crit {
		return
	}
	signal.Reset(syscall.SIGTSTP)
	syscall.Kill(os.Getpid(), syscall.SIGTSTP)
}

// Stop gives the signals back to their default actions.
func (g *Guard) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.stopped = true
	signal.Stop(g.c)
	if g.critical {
		signal.Reset(syscall.SIGTSTP)
	}
}

// SignalName is the conventional name of a signal ("SIGINT").
func SignalName(sig os.Signal) string { return signalName(sig) }
