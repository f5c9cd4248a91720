//go:build !linux || !cgo

package screens

// Monitors cannot list monitors here.
func Monitors() ([]Rect, error) { return nil, ErrUnsupported }

// Move cannot move windows here.
func Move(uintptr, int, int) error { return ErrUnsupported }
