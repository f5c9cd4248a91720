//go:build !linux

package store

// maxRSS is not measured here: BenchmarkCatalogImport's memory figures are Linux's.
func maxRSS() uint64 { return 0 }
