package scale

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app"
)

// SimPort is the scale.port that asks for the simulated scale (devices/sim) instead of a serial one.
const SimPort = "sim"

// ParseConfig reads the scale.* settings, get reading one: scale.port (a serial port, or "sim"; empty:
// no scale), scale.protocol (stream, sics, toledo8217, caspd2, cas or aclas; stream when empty),
// scale.baud (9600 when empty), scale.bits ("8N1", "7E1", …; the protocol's usual when empty) and
// scale.poll_ms. ok is false when no scale is set.
func ParseConfig(get func(key string) string) (cfg Config, ok bool, err error) {
	cfg.Port = strings.TrimSpace(get("scale.port"))
	if cfg.Port == "" {
		return Config{}, false, nil
	}
	cfg.Name = cfg.Port
	for _, key := range []string{"scale.protocol", "scale.baud", "scale.bits", "scale.poll_ms"} {
		if err := CheckSetting(key, get(key)); err != nil {
			return Config{}, false, err
		}
	}
	if v := get("scale.protocol"); v != "" {
		cfg.Protocol, _ = ParseProtocol(v)
	}
	if v := get("scale.baud"); v != "" {
		cfg.Baud, _ = strconv.Atoi(v)
	}
	cfg.Bits = strings.TrimSpace(get("scale.bits"))
	if v := get("scale.poll_ms"); v != "" {
		ms, _ := strconv.Atoi(v)
		cfg.Poll = time.Duration(ms) * time.Millisecond
	}
	return cfg, true, nil
}

// CheckSetting refuses a scale.* setting the scale could not use, before it is saved. The port takes
// any text; an empty value is the default.
func CheckSetting(key, value string) error {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil
	}
	switch key {
	case "scale.protocol":
		if _, err := ParseProtocol(value); err != nil {
			return fmt.Errorf("%w: %v", app.ErrInvalidSetting, err)
		}
	case "scale.baud":
		if n, err := strconv.Atoi(value); err != nil || n <= 0 {
			return fmt.Errorf("%w: scale.baud %q: a positive number such as 9600", app.ErrInvalidSetting, value)
		}
	case "scale.bits":
		if _, err := parseBits(value, 9600); err != nil {
			return fmt.Errorf("%w: scale.bits: %v", app.ErrInvalidSetting, err)
		}
	case "scale.poll_ms":
		if n, err := strconv.Atoi(value); err != nil || n < 50 || n > 2000 {
			return fmt.Errorf("%w: scale.poll_ms %q: 50 to 2000", app.ErrInvalidSetting, value)
		}
	}
	return nil
}
