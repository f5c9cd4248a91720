package cardreader

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"checkout/app"
)

// ParseUSBConfig reads the USB reader the cardreader.vid and cardreader.pid settings name (hexadecimal,
// e.g. 072f and 2200); with neither set it is any CCID reader. get reads one setting.
func ParseUSBConfig(get func(key string) string) (USBConfig, error) {
	usb := USBConfig{}
	for key, field := range map[string]*uint16{"cardreader.vid": &usb.VID, "cardreader.pid": &usb.PID} {
		if v := get(key); v != "" {
			n, err := parseUSBID(v)
			if err != nil {
				return USBConfig{}, fmt.Errorf("%s %q: a hexadecimal USB ID such as 072f", key, v)
			}
			*field = n
		}
	}
	return usb, nil
}

// parseUSBID reads a vendor or product ID in hexadecimal, with or without 0x: 072f.
func parseUSBID(s string) (uint16, error) {
	n, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 16)
	return uint16(n), err
}

// CheckSetting refuses a cardreader.* setting the card reader could not use, or one this system does not
// have, before it is saved.
func CheckSetting(key, value string) error {
	switch key {
	case "cardreader.vid", "cardreader.pid":
		if _, err := parseUSBID(value); err != nil && value != "" {
			return fmt.Errorf("%w: %s %q: a hexadecimal USB ID such as 072f", app.ErrInvalidSetting, key, value)
		}
	case "cardreader.mode":
		if modes := modes(); value != "" && !slices.Contains(modes, value) {
			return fmt.Errorf("%w: cardreader.mode %q: %s or %s", app.ErrInvalidSetting, value,
				strings.Join(modes[:len(modes)-1], ", "), modes[len(modes)-1])
		}
	default:
		if !slices.Contains(settingKeys(), key) {
			return fmt.Errorf("%w: unknown setting %q (%s)", app.ErrInvalidSetting, key, strings.Join(settingKeys(), ", "))
		}
	}
	return nil
}
