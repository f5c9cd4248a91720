//go:build !unix

package simulate

// residentRSS is 0 where the system does not say: the simulate summary then shows no memory figures.
func residentRSS() uint64 { return 0 }
