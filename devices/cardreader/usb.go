//go:build cgo

package cardreader

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/gousb"

	"checkout/devices/usbdev"
)

// This file is the only one that uses gousb (cgo, libusb): keep it thin, the logic is in reader.go.

// OpenUSB starts polling the USB CCID reader usb picks, finding it anew after every unplug; cfg.Open is
// replaced.
func OpenUSB(cfg Config, usb USBConfig) (*Reader, error) {
	cfg.Open = func() (Transport, error) { return openUSB(usb) }
	return Open(cfg)
}

const (
	// usbReadSize is one bulk-IN read: replies to the commands sent here are under 300 bytes, and a
	// multiple of every max packet size (8–512) keeps libusb from reporting an overflow.
	usbReadSize     = 4096
	usbWriteTimeout = 2 * time.Second
)

// usbTransport is a claimed CCID interface: bulk-OUT for commands, bulk-IN for replies. The interrupt-IN
// slot-change endpoint is not read; polling finds every change anyway.
type usbTransport struct {
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	in   *gousb.InEndpoint
	out  *gousb.OutEndpoint
	buf  []byte

	stop   context.Context // cancelled by Close, so a pending transfer returns
	cancel context.CancelFunc
	mu     sync.Mutex // held during a transfer: Close releases the device only after it
	once   sync.Once
}

// openUSB finds, opens and claims the reader. With no reader, or no USB at all, it returns ErrNoReader.
func openUSB(c USBConfig) (Transport, error) {
	named := c.VID != 0 || c.PID != 0
	ctx, dev, err := usbdev.Open(c.VID, c.PID, ccidInterface(false))
	switch {
	case errors.Is(err, usbdev.ErrNoDevice):
		return nil, ErrNoReader
	case errors.Is(err, usbdev.ErrNoUSB):
		return nil, fmt.Errorf("%w: %v", ErrNoReader, err)
	case err != nil: // a matching reader that could not be opened: udev permissions, pcscd
		return nil, fmt.Errorf("cardreader: open USB reader: %w", err)
	}
	t := &usbTransport{ctx: ctx, dev: dev, buf: make([]byte, usbReadSize)}
	t.stop, t.cancel = context.WithCancel(context.Background())
	if err := t.claim(named); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// ccidInterface accepts the CCID interface: class 0x0B, or with a named reader (anyClass) a
// vendor-specific one, with a bulk pair.
func ccidInterface(anyClass bool) func(gousb.InterfaceSetting) bool {
	return func(alt gousb.InterfaceSetting) bool {
		if alt.Class != gousb.ClassSmartCard && !(anyClass && alt.Class == gousb.ClassVendorSpec) {
			return false
		}
		in, out := usbdev.BulkEndpoints(alt)
		return in != 0 && out != 0
	}
}

func (t *usbTransport) claim(anyClass bool) error {
	// The kernel's pn533_usb driver binds ACR122U-class readers: Claim takes the interface from it.
	var alt gousb.InterfaceSetting
	var err error
	if t.cfg, t.intf, alt, err = usbdev.Claim(t.dev, "CCID", ccidInterface(anyClass)); err != nil {
		return fmt.Errorf("cardreader: %w", err)
	}
	inNum, outNum := usbdev.BulkEndpoints(alt)
	if t.in, err = t.intf.InEndpoint(inNum); err != nil {
		return fmt.Errorf("cardreader: USB bulk-IN: %w", err)
	}
	if t.out, err = t.intf.OutEndpoint(outNum); err != nil {
		return fmt.Errorf("cardreader: USB bulk-OUT: %w", err)
	}
	return nil
}

func (t *usbTransport) Write(msg []byte) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	ctx, cancel := context.WithTimeout(t.stop, usbWriteTimeout)
	defer cancel()
	_, err := t.out.WriteContext(ctx, msg)
	return err
}

func (t *usbTransport) Read(timeout time.Duration) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ctx, cancel := context.WithTimeout(t.stop, timeout)
	defer cancel()
	n, err := t.in.ReadContext(ctx, t.buf)
	msg := append([]byte(nil), t.buf[:n]...)
	// A message whose length is a multiple of the packet size may end without a short packet, and the
	// transfer then waits for more: what came is whole if the header says so.
	if err != nil && !wholeMessage(msg) {
		if t.stop.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, err
	}
	return msg, nil
}

func wholeMessage(msg []byte) bool {
	if len(msg) < HeaderLen {
		return false
	}
	n := int(msg[1]) | int(msg[2])<<8 | int(msg[3])<<16 | int(msg[4])<<24
	return n >= 0 && len(msg) == HeaderLen+n
}

// Close cancels a pending transfer, then releases the interface, the device and libusb. It is safe to
// call twice and on a half-opened transport.
func (t *usbTransport) Close() error {
	t.once.Do(func() {
		t.cancel()
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.intf != nil {
			t.intf.Close()
		}
		if t.cfg != nil {
			t.cfg.Close()
		}
		t.dev.Close()
		t.ctx.Close()
	})
	return nil
}
