//go:build cgo

package cardreader

import (
	"errors"
	"runtime"
	"testing"
)

// There is no USB reader on a build machine: these check that its absence is a status, not a crash,
// whether libusb sees a bus with other devices or cannot start at all.

func TestFindUSBWithoutReader(t *testing.T) {
	for _, usb := range []USBConfig{{}, {VID: 0x072F, PID: 0x2200}} { // any CCID reader; an ACR122U
		tr, err := openUSB(usb)
		if tr != nil {
			tr.Close()
			t.Skipf("a reader is plugged in (%+v)", usb)
		}
		if !errors.Is(err, ErrNoReader) {
			t.Errorf("openUSB(%+v) = %v, want ErrNoReader", usb, err)
		}
	}
}

func TestOpenUSBWithoutReaderReportsAbsent(t *testing.T) {
	before := runtime.NumGoroutine()
	rd, err := OpenUSB(Config{Name: "test reader"}, USBConfig{VID: 0xFFFF, PID: 0xFFFE})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, rd.Events(), want{kind: StatusChange, status: Absent})
	closeAndCheck(t, rd, before)
}
