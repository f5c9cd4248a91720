//go:build cgo

package usbdev

import (
	"testing"

	"github.com/google/gousb"
)

func TestFindInterfaceAndBulkEndpoints(t *testing.T) {
	bulk := func(n int, dir gousb.EndpointDirection) gousb.EndpointDesc {
		return gousb.EndpointDesc{Number: n, Direction: dir, TransferType: gousb.TransferTypeBulk}
	}
	hid := gousb.InterfaceSetting{Number: 0, Class: gousb.ClassHID,
		Endpoints: map[gousb.EndpointAddress]gousb.EndpointDesc{0x81: {Number: 1, Direction: gousb.EndpointDirectionIn, TransferType: gousb.TransferTypeInterrupt}}}
	ccid := gousb.InterfaceSetting{Number: 1, Class: gousb.ClassSmartCard,
		Endpoints: map[gousb.EndpointAddress]gousb.EndpointDesc{0x82: bulk(2, gousb.EndpointDirectionIn), 0x03: bulk(3, gousb.EndpointDirectionOut)}}
	desc := &gousb.DeviceDesc{Configs: map[int]gousb.ConfigDesc{1: {Interfaces: []gousb.InterfaceDesc{
		{AltSettings: []gousb.InterfaceSetting{hid}}, {AltSettings: []gousb.InterfaceSetting{ccid}}}}}}
	isCCID := func(alt gousb.InterfaceSetting) bool { return alt.Class == gousb.ClassSmartCard }
	cfg, alt, ok := FindInterface(desc, isCCID)
	if !ok || cfg != 1 || alt.Number != 1 {
		t.Fatalf("FindInterface = %d, %+v, %v", cfg, alt, ok)
	}
	if in, out := BulkEndpoints(alt); in != 2 || out != 3 {
		t.Errorf("bulk endpoints %d, %d", in, out)
	}
	if in, out := BulkEndpoints(hid); in != 0 || out != 0 {
		t.Errorf("an interrupt endpoint counted as bulk: %d, %d", in, out)
	}
	if _, _, ok := FindInterface(desc, func(gousb.InterfaceSetting) bool { return false }); ok {
		t.Error("found an interface nothing accepts")
	}
}
