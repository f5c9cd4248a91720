//go:build race

package cli

// raceEnabled: under the race detector SQLite (compiled from C to Go) runs several times slower, so the
// large-file tests use smaller files there; make test also runs them at full size without it.
const raceEnabled = true
