//go:build cgo

// Package usbdev is the libusb plumbing the USB card reader and the USB receipt printer share: finding
// and opening one device, by VID:PID or by an interface it has, and an interface's bulk endpoints. The
// protocols stay with the devices; this is only the transport's lookup.
package usbdev

import (
	"errors"
	"fmt"

	"github.com/google/gousb"
)

// Errors of Open.
var (
	ErrNoDevice = errors.New("no such USB device")
	ErrNoUSB    = errors.New("no USB: libusb cannot start")
)

// Open opens the first device that is vid:pid, when either is non-zero, or else the first that has an
// interface accepts. It returns ErrNoDevice when none is plugged in, ErrNoUSB (wrapped) where libusb
// cannot start (a container without /dev/bus/usb), or the error opening a device that matched
// (permissions, another driver). The caller closes the device, then the context.
func Open(vid, pid uint16, accepts func(gousb.InterfaceSetting) bool) (_ *gousb.Context, _ *gousb.Device, err error) {
	// NewContext panics when libusb cannot start: no USB bus means no device, not a crashed till.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrNoUSB, p)
		}
	}()
	ctx := gousb.NewContext()
	named := vid != 0 || pid != 0
	devs, listErr := ctx.OpenDevices(func(desc *gousb.DeviceDesc) bool {
		if named {
			return desc.Vendor == gousb.ID(vid) && desc.Product == gousb.ID(pid)
		}
		_, _, ok := FindInterface(desc, accepts)
		return ok
	})
	if len(devs) == 0 {
		ctx.Close()
		if listErr != nil {
			return nil, nil, listErr
		}
		return nil, nil, ErrNoDevice
	}
	for _, d := range devs[1:] {
		d.Close()
	}
	return ctx, devs[0], nil
}

// FindInterface returns the configuration and setting of the first interface accepts takes.
func FindInterface(desc *gousb.DeviceDesc, accepts func(gousb.InterfaceSetting) bool) (config int, setting gousb.InterfaceSetting, ok bool) {
	for num, cfg := range desc.Configs {
		for _, intf := range cfg.Interfaces {
			for _, alt := range intf.AltSettings {
				if accepts(alt) {
					return num, alt, true
				}
			}
		}
	}
	return 0, gousb.InterfaceSetting{}, false
}

// BulkEndpoints returns the numbers of an interface's bulk-IN and bulk-OUT endpoints, 0 for none.
func BulkEndpoints(alt gousb.InterfaceSetting) (in, out int) {
	for _, ep := range alt.Endpoints {
		if ep.TransferType != gousb.TransferTypeBulk {
			continue
		}
		if ep.Direction == gousb.EndpointDirectionIn {
			in = ep.Number
		} else {
			out = ep.Number
		}
	}
	return in, out
}

// Claim takes the first interface of dev that accepts takes from any kernel driver bound to it, and
// claims it. what names the interface in the error when dev has none ("printer"). The caller closes the
// interface, then the config.
func Claim(dev *gousb.Device, what string, accepts func(gousb.InterfaceSetting) bool) (*gousb.Config, *gousb.Interface, gousb.InterfaceSetting, error) {
	if err := dev.SetAutoDetach(true); err != nil {
		return nil, nil, gousb.InterfaceSetting{}, fmt.Errorf("USB auto-detach: %w", err)
	}
	cfgNum, alt, ok := FindInterface(dev.Desc, accepts)
	if !ok {
		return nil, nil, alt, fmt.Errorf("USB device %s:%s has no %s interface", dev.Desc.Vendor, dev.Desc.Product, what)
	}
	cfg, err := dev.Config(cfgNum)
	if err != nil {
		return nil, nil, alt, fmt.Errorf("USB config %d: %w", cfgNum, err)
	}
	intf, err := cfg.Interface(alt.Number, alt.Alternate)
	if err != nil {
		cfg.Close()
		return nil, nil, alt, fmt.Errorf("claim USB interface %d: %w", alt.Number, err)
	}
	return cfg, intf, alt, nil
}
