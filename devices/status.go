// Package devices holds what the device packages share: where a device's connection stands. Each device
// package (scanner, cardreader, …) turns its port's bytes into typed events and reports this status.
package devices

// Status is where a device's connection stands.
type Status int

const (
	Absent       Status = iota // not there (never found since the device was opened)
	Connected                  // open and in use
	Reconnecting               // lost, and being looked for again
)

// String is the status as the till's status bar and logs name it.
func (s Status) String() string {
	switch s {
	case Connected:
		return "connected"
	case Reconnecting:
		return "reconnecting"
	default:
		return "absent"
	}
}
