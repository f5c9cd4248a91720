package scanner

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"go.bug.st/serial"

	"checkout/app"
)

// ParseConfigs decides which serial scanners the till opens: ports (the -scanner flag, comma-separated),
// else the saved scanner.ports setting, else the ports whose USB vendor makes scanners (Discover). Baud,
// terminator and prefix come from the scanner.baud, scanner.terminator and scanner.prefix settings; get
// reads one setting.
func ParseConfigs(ports string, get func(key string) string) ([]Config, error) {
	base := Config{}
	if v := get("scanner.baud"); v != "" {
		baud, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("scanner.baud %q: %w", v, err)
		}
		base.Baud = baud
	}
	if v := get("scanner.terminator"); v != "" {
		t, err := ParseTerminator(v)
		if err != nil {
			return nil, err
		}
		base.Terminator = t
	}
	base.Prefix = get("scanner.prefix")

	names := splitList(ports)
	if len(names) == 0 {
		names = splitList(get("scanner.ports"))
	}
	var found []Config
	for _, p := range names {
		found = append(found, Config{Name: p, Port: p})
	}
	if len(names) == 0 {
		var err error
		if found, err = Discover(); err != nil {
			slog.Warn("scanner discovery", "err", err)
		}
	}
	configs := make([]Config, 0, len(found))
	for _, f := range found {
		c := base
		c.Name, c.Port = f.Name, f.Port
		configs = append(configs, c)
	}
	return configs, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// CheckSetting refuses a scanner.* setting the scanners could not use, before it is saved. The ports and
// the prefix take any text.
func CheckSetting(key, value string) error {
	switch key {
	case "scanner.baud":
		if n, err := strconv.Atoi(value); err != nil || n <= 0 {
			return fmt.Errorf("%w: scanner.baud %q: a positive number such as 9600", app.ErrInvalidSetting, value)
		}
	case "scanner.terminator":
		if _, err := ParseTerminator(value); err != nil {
			return fmt.Errorf("%w: %v", app.ErrInvalidSetting, err)
		}
	}
	return nil
}

// ListPorts lists the serial ports a scanner could be on, for the devices screen.
func ListPorts() []string {
	ports, err := serial.GetPortsList()
	if err != nil {
		slog.Warn("list serial ports", "err", err)
	}
	return ports
}
