// Package e2e drives the built nimwiz binary as a user would: in a real
// terminal (tmux), against the demo's simulated NIM master, and on the
// command line with hostile input. Its tests are ordinary Go tests, so
// "go test ./..." runs them. See README.md.
package e2e
