package store

import "syscall"

// maxRSS returns the process's peak resident set in bytes, as getrusage keeps it.
func maxRSS() uint64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return uint64(ru.Maxrss) << 10 // Linux counts KiB
}
