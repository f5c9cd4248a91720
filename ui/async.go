package ui

import "fyne.io/fyne/v2"

// onUI runs f on Fyne's goroutine. Every change to the screen from another goroutine (devices, timers,
// the clock) goes through here.
func onUI(f func()) { fyne.Do(f) }
