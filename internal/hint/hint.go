// Package hint builds the nimwiz command lines nimwiz prints as advice
// ("nimwiz apply FILE", "nimwiz attach ID", "nimwiz jobs"), in one place,
// so that each carries the global options the admin is using (--demo,
// --state-dir DIR, ...): a hint without them would act on another state
// directory, or on the real master instead of the demo's.
package hint

import (
	"strings"
	"sync"

	"github.com/nimwiz/nimwiz/nim"
)

var (
	mu      sync.RWMutex
	globals []string
)

// SetGlobals records the global options in force, as they go on a command
// line before the verb (e.g. "--demo", "--state-dir", "/root/st"). cmd/nimwiz
// calls it once, after reading its flags.
func SetGlobals(args ...string) {
	mu.Lock()
	defer mu.Unlock()
	globals = append([]string(nil), args...)
}

// Globals returns the options SetGlobals recorded.
func Globals() []string {
	mu.RLock()
	defer mu.RUnlock()
	return append([]string(nil), globals...)
}

// Argv is the nimwiz command for verb and its arguments, with the global
// options in force.
func Argv(verb string, args ...string) []string {
	argv := append([]string{"nimwiz"}, Globals()...)
	return append(append(argv, verb), args...)
}

// Command is Argv as a shell line, each word quoted where the shell needs
// it, ready to copy.
func Command(verb string, args ...string) string {
	return strings.Join(Words(Globals(), append([]string{verb}, args...)...), " ")
}

// Options are the global options for demo and a state directory given on
// the command line ("" when it was not), in the order nimwiz prints them.
// cmd/nimwiz passes them to SetGlobals and to Words, so the wizard's hints
// and the command's own carry the same words.
func Options(demo bool, stateDir string) []string {
	var out []string
	if demo {
		out = append(out, "--demo")
	}
	if stateDir != "" {
		out = append(out, "--state-dir", stateDir)
	}
	return out
}

// Words is "nimwiz", globals and args as words of a shell line, each quoted
// where the shell needs it.
func Words(globals []string, args ...string) []string {
	out := []string{"nimwiz"}
	for _, a := range append(append([]string(nil), globals...), args...) {
		out = append(out, nim.ShellQuote(a))
	}
	return out
}
