// Package labelprinter prints shelf labels (app/shelflabel) on label printers: the labels' TSPL or ZPL
// bytes, built by pure functions and tested byte-exact (tspl.go, zpl.go), go out over the receipt
// printer's transports (printer.Dial: serial, USB printer class, TCP port 9100, a file).
package labelprinter

import (
	"fmt"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/shelflabel"
	"checkout/devices/printer"
)

// Language is a label printer's command language.
type Language string

// Languages.
const (
	LangTSPL Language = "tspl" // TSC, Gprinter, Xprinter, most Chinese label printers
	LangZPL  Language = "zpl"  // Zebra
)

// Config is one label printer.
type Config struct {
	Language Language
	// Port is where it is, as printer.Config.Port: /dev/ttyUSB0, tcp://HOST[:9100], usb, usb:VID:PID,
	// file:PATH.
	Port string
	Baud int    // serial only; 9600 when 0
	Font string // ZPL's Chinese font (DefaultZPLFont when ""); TSPL prints in the printer's own
	// Timeout bounds connecting and each label's write; 10 s when 0 (a label is a few hundred bytes,
	// a serial printer at 9600 baud takes them in well under a second).
	Timeout time.Duration
}

// ParseTarget reads a label printer as the command line names it: LANGUAGE:PORT, such as
// tspl:tcp://192.168.1.50:9100, zpl:/dev/ttyUSB0, tspl:usb or zpl:file:labels.zpl.
func ParseTarget(s string) (Config, error) {
	lang, port, ok := strings.Cut(strings.TrimSpace(s), ":")
	c := Config{Language: Language(strings.ToLower(lang)), Port: port}
	if !ok || port == "" || (c.Language != LangTSPL && c.Language != LangZPL) {
		return Config{}, fmt.Errorf("label printer %q: tspl:PORT or zpl:PORT, such as tspl:tcp://192.168.1.50:9100 or zpl:/dev/ttyUSB0", s)
	}
	return c, nil
}

// Program is labels in the printer's language, one chunk a label: each is written (and timed) on its own.
func (c Config) Program(labels []shelflabel.Label) [][]byte {
	var out [][]byte
	for i, l := range labels {
		switch c.Language {
		case LangZPL:
			font := c.Font
			if font == "" {
				font = DefaultZPLFont
			}
			out = append(out, ZPL([]shelflabel.Label{l}, font))
		default:
			var b []byte
			if i == 0 {
				b = tsplSetup(l.Stock)
			}
			out = append(out, append(b, tsplLabel(l)...))
		}
	}
	return out
}

// Print sends labels to the printer, one connection for the job. The label languages have no status
// answer these transports can wait for in common, so a printer out of labels prints when refilled;
// an unreachable one fails here, naming the port.
func Print(c Config, labels []shelflabel.Label) error {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	conn, err := printer.Dial(c.Port, c.Baud, timeout)
	if err != nil {
		return fmt.Errorf("label printer %s: %w", c.Port, err)
	}
	defer conn.Close()
	for i, b := range c.Program(labels) {
		if _, err := conn.Write(b); err != nil {
			return fmt.Errorf("label printer %s: label %d of %d: %w", c.Port, i+1, len(labels), err)
		}
	}
	return conn.Close()
}

// CheckSetting refuses a labels.* setting the label printer could not use, before it is saved:
// labels.printer (tspl:PORT or zpl:PORT, as ParseTarget reads it) and labels.size (50x30, mm).
func CheckSetting(key, value string) error {
	if value == "" {
		return nil
	}
	var err error
	switch key {
	case "labels.printer":
		_, err = ParseTarget(value)
	case "labels.size":
		_, err = shelflabel.DefaultStock().ParseSize(value)
	default:
		err = fmt.Errorf("unknown setting %q (labels.printer, labels.size)", key)
	}
	if err != nil {
		return fmt.Errorf("%w: %s", app.ErrInvalidSetting, err)
	}
	return nil
}

// Settings reads the labels.* settings: the printer (ok false when labels.printer is not set) and the
// label stock.
func Settings(get func(key string) string) (c Config, stock shelflabel.Stock, ok bool, err error) {
	stock = shelflabel.DefaultStock()
	if v := get("labels.size"); v != "" {
		if stock, err = stock.ParseSize(v); err != nil {
			return Config{}, stock, false, err
		}
	}
	if v := get("labels.printer"); v != "" {
		c, err = ParseTarget(v)
		return c, stock, err == nil, err
	}
	return Config{}, stock, false, nil
}
