//go:build !unix

package main

// maxRSS is 0 where the system does not say: the simulate summary then shows no memory figures.
func maxRSS() uint64 { return 0 }
