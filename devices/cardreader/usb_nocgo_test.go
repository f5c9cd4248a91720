//go:build !cgo

package cardreader

import (
	"errors"
	"testing"
)

func TestOpenUSBWithoutCgo(t *testing.T) {
	if _, err := OpenUSB(Config{}, USBConfig{}); !errors.Is(err, ErrUSBUnsupported) {
		t.Fatalf("OpenUSB = %v, want ErrUSBUnsupported", err)
	}
}
