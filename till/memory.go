package till

import (
	"os"
	"runtime/debug"
)

// goMemoryLimit is the soft limit on the running till's Go memory (issue 26: < 150 MB resident with
// 1,000,000 products). Started, the till keeps ≈ 30 MB of Go heap alive (mostly Fyne's fonts); without a
// limit the heap grows to twice that before a collection and the runtime keeps what it freed. A soft
// limit only makes the collector work harder near it, so a larger report still runs.
const goMemoryLimit = 64 << 20

// limitMemory sets goMemoryLimit, unless GOMEMLIMIT set one for this run.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(goMemoryLimit)
	}
}

// releaseStartup returns to the system what starting left behind: building the screens scans the
// system's fonts (Fyne's fallback for Chinese), ≈ 25 MB of garbage that the runtime would otherwise
// keep resident for a while.
func releaseStartup() { debug.FreeOSMemory() }
