//go:build cgo

package printer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/gousb"

	"checkout/devices/usbdev"
)

// This file is the only one that uses gousb (cgo, libusb): a USB printer-class interface (class 7)
// with its bulk-OUT endpoint for the bytes and, when it has one, bulk-IN for the status answers.

const usbWriteTimeout = 10 * time.Second // a long receipt at a slow printer's speed

type usbConn struct {
	ctx  *gousb.Context
	dev  *gousb.Device
	cfg  *gousb.Config
	intf *gousb.Interface
	out  *gousb.OutEndpoint
	in   *gousb.InEndpoint // nil: the printer cannot answer
	once sync.Once
}

// openUSB opens the USB printer vid:pid names, or the first printer-class device when both are 0.
func openUSB(vid, pid uint16) (Conn, error) {
	ctx, dev, err := usbdev.Open(vid, pid, printerInterface)
	switch {
	case errors.Is(err, usbdev.ErrNoDevice):
		return nil, errors.New("printer: no USB printer found")
	case errors.Is(err, usbdev.ErrNoUSB):
		return nil, fmt.Errorf("printer: %w", err)
	case err != nil:
		return nil, fmt.Errorf("printer: open USB printer: %w", err)
	}
	c := &usbConn{ctx: ctx, dev: dev}
	if err := c.claim(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// printerInterface accepts a printer-class interface (or a vendor-specific one) with a bulk-OUT endpoint.
func printerInterface(alt gousb.InterfaceSetting) bool {
	if alt.Class != gousb.ClassPrinter && alt.Class != gousb.ClassVendorSpec {
		return false
	}
	_, out := usbdev.BulkEndpoints(alt)
	return out != 0
}

func (c *usbConn) claim() error {
	// Linux's usblp driver binds printer-class interfaces: Claim takes it.
	var alt gousb.InterfaceSetting
	var err error
	if c.cfg, c.intf, alt, err = usbdev.Claim(c.dev, "printer", printerInterface); err != nil {
		return fmt.Errorf("printer: %w", err)
	}
	inNum, outNum := usbdev.BulkEndpoints(alt)
	if c.out, err = c.intf.OutEndpoint(outNum); err != nil {
		return fmt.Errorf("printer: USB bulk-OUT: %w", err)
	}
	if inNum != 0 {
		if c.in, err = c.intf.InEndpoint(inNum); err != nil {
			return fmt.Errorf("printer: USB bulk-IN: %w", err)
		}
	}
	return nil
}

func (c *usbConn) Write(p []byte) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), usbWriteTimeout)
	defer cancel()
	return c.out.WriteContext(ctx, p)
}

func (c *usbConn) Read(p []byte, timeout time.Duration) (int, error) {
	if c.in == nil {
		return 0, ErrNoReturn
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	buf := make([]byte, max(len(p), c.in.Desc.MaxPacketSize))
	n, err := c.in.ReadContext(ctx, buf)
	copy(p, buf[:n])
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return min(n, len(p)), nil
	}
	return min(n, len(p)), err
}

// OneWay reports a printer without bulk-IN: its status cannot be asked.
func (c *usbConn) OneWay() bool { return c.in == nil }

// Close releases the interface, the device and libusb; safe to call twice and half-opened.
func (c *usbConn) Close() error {
	c.once.Do(func() {
		if c.intf != nil {
			c.intf.Close()
		}
		if c.cfg != nil {
			c.cfg.Close()
		}
		c.dev.Close()
		c.ctx.Close()
	})
	return nil
}
