package screens

import (
	"bufio"
	"io"
	"math/big"
	"os"
	"strings"
)

// Linux input bits (linux/input-event-codes.h): a touch screen reports multi-touch positions and says
// its touches are direct (on the display), which a touchpad's are not.
const (
	absMTPositionX  = 0x35
	inputPropDirect = 0x01
)

// HasTouchscreen reports whether the machine has a touch screen, from the kernel's list of input
// devices; false where it cannot tell (another system, no /proc).
func HasTouchscreen() bool {
	f, err := os.Open("/proc/bus/input/devices")
	if err != nil {
		return false
	}
	defer f.Close()
	return touchscreenIn(f)
}

// touchscreenIn reads /proc/bus/input/devices: blocks of lines separated by a blank line, with bitmaps
// such as "B: PROP=2" and "B: ABS=2608000 3" (hex words, the most significant first).
func touchscreenIn(r io.Reader) bool {
	var prop, abs *big.Int
	found := false
	end := func() {
		if prop != nil && abs != nil && prop.Bit(inputPropDirect) == 1 && abs.Bit(absMTPositionX) == 1 {
			found = true
		}
		prop, abs = nil, nil
	}
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		switch {
		case line == "":
			end()
		case strings.HasPrefix(line, "B: PROP="):
			prop = bitmap(strings.TrimPrefix(line, "B: PROP="))
		case strings.HasPrefix(line, "B: ABS="):
			abs = bitmap(strings.TrimPrefix(line, "B: ABS="))
		}
	}
	end()
	return found
}

// bitmap reads a kernel bitmap: hex words of the machine's long size, the most significant first.
func bitmap(s string) *big.Int {
	b := new(big.Int)
	for _, word := range strings.Fields(s) {
		w, ok := new(big.Int).SetString(word, 16)
		if !ok {
			return nil
		}
		b.Lsh(b, 64).Or(b, w)
	}
	return b
}
