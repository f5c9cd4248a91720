package screens

import (
	"strings"
	"testing"
)

// Blocks as a laptop's /proc/bus/input/devices lists them: a keyboard, a touchpad (multi-touch, but not
// direct) and, when there is one, a touch screen (multi-touch and direct).
const keyboard = `I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
`

const touchpad = `I: Bus=0018 Vendor=06cb Product=7e7e Version=0100
N: Name="SYNA7DB5:01 06CB:7E7E Touchpad"
B: PROP=5
B: EV=1b
B: ABS=2e0800000000003
`

const touchscreen = `I: Bus=0003 Vendor=222a Product=0001 Version=0110
N: Name="ILITEK ILITEK-TP"
B: PROP=2
B: EV=1b
B: ABS=260800000000003
`

func TestTouchscreenIn(t *testing.T) {
	for _, tt := range []struct {
		blocks []string
		want   bool
	}{
		{[]string{keyboard}, false},
		{[]string{keyboard, touchpad}, false},
		{[]string{keyboard, touchpad, touchscreen}, true},
		{[]string{touchscreen}, true},
		{[]string{"B: PROP=2\nB: ABS=zz\n"}, false},
		{nil, false},
	} {
		if got := touchscreenIn(strings.NewReader(strings.Join(tt.blocks, "\n"))); got != tt.want {
			t.Errorf("%d blocks: %v, want %v", len(tt.blocks), got, tt.want)
		}
	}
}
