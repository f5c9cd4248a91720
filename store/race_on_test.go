//go:build race

package store

// raceEnabled: under the race detector the large-file tests use smaller files and leave the resident set
// (which the detector's shadow memory swells) unmeasured; make test also runs them at full size without it.
const raceEnabled = true
