// Package conformance holds only tests: nimwiz's parsers, phase tracker and
// queries run against the simulated NIM master's real output, so a change on
// either side that breaks the other fails here.
package conformance
