// Package clipboard stands in for github.com/atotto/clipboard, which has no
// AIX implementation and so breaks GOOS=aix builds of bubbles' textinput and
// huh. nimwiz runs on consoles and over SSH, where no system clipboard exists;
// terminal paste still works because it arrives as ordinary key input.
package clipboard

import "errors"

// Unsupported reports that no system clipboard is available.
var Unsupported = true

var errUnsupported = errors.New("clipboard: not supported by nimwiz (use the terminal's paste)")

// ReadAll always fails: nimwiz never reads the system clipboard.
func ReadAll() (string, error) { return "", errUnsupported }

// WriteAll always fails: nimwiz never writes the system clipboard.
func WriteAll(string) error { return errUnsupported }
