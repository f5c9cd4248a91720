package till

import "runtime/debug"

// releaseStartup returns to the system what starting left behind (issue 26: < 150 MB resident with
// 1,000,000 products): building the screens scans the system's fonts for Fyne's Chinese fallback,
// ≈ 25 MB of garbage that the runtime would otherwise keep resident for minutes.
//
// There is deliberately no soft memory limit (debug.SetMemoryLimit): it made no difference once this
// ran, and a back-office catalog check of a million rows holds far more than a low limit, so the
// collector would run flat out for as long as the page keeps the check.
func releaseStartup() { debug.FreeOSMemory() }
