package devices

import (
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creack/pty"
	"go.bug.st/serial"
)

// A port that opens but fails as soon as it is served is reopened with backoff, a few times a second,
// not as fast as the loop turns.
func TestSerialLinkBacksOffAPortThatFailsAtOnce(t *testing.T) {
	devEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer devEnd.Close()
	path := filepath.Join(t.TempDir(), "ttyUSB0")
	if err := os.Symlink(tillEnd.Name(), path); err != nil {
		t.Fatal(err)
	}
	tillEnd.Close()
	var served atomic.Int64
	l := &SerialLink{Kind: "test", Name: path, Port: path, Mode: &serial.Mode{BaudRate: 9600}, ReadTimeout: 50 * time.Millisecond,
		Serve:  func(serial.Port) error { served.Add(1); return errors.New("broken bridge") },
		Status: func(Status) {}}
	l.Start()
	time.Sleep(time.Second)
	l.Close()
	if n := served.Load(); n < 2 || n > 10 {
		t.Fatalf("served %d times in a second: want a few, with backoff", n)
	}
}
