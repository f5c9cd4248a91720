// Package labelprinter prints shelf labels (app/shelflabel) on label printers: the labels' TSPL or ZPL
// bytes, built by pure functions and tested byte-exact (tspl.go, zpl.go), go out over the receipt
// printer's transports (printer.Dial: serial, USB printer class, TCP port 9100, a file).
package labelprinter

import (
	"fmt"
	"strconv"
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
	// Timeout bounds connecting and each label's write; DefaultTimeout when 0.
	Timeout time.Duration
}

// DefaultTimeout is how long a label printer may take to connect or to take one label's bytes: a label
// is a few hundred bytes, which a serial printer at 9600 baud takes in well under a second, so a printer
// that has taken none after 5 s is off, unplugged or stuck, and F9 says so instead of waiting.
const DefaultTimeout = 5 * time.Second

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
// answer these transports can wait for in common, so an unreachable printer fails here, naming the port,
// and one that takes no label within the timeout (switched off, unplugged, out of labels and holding the
// line) fails with app.ErrPrinterOffline: the labels before it have gone out, the rest have not.
func Print(c Config, labels []shelflabel.Label) error {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	conn, err := printer.Dial(c.Port, c.Baud, timeout)
	if err != nil {
		return fmt.Errorf("label printer %s: %w", c.Port, err)
	}
	for i, b := range c.Program(labels) {
		if err := writeWithin(conn, b, timeout); err != nil {
			return fmt.Errorf("label printer %s: label %d of %d: %w", c.Port, i+1, len(labels), err)
		}
	}
	return conn.Close()
}

// writeWithin writes b, or gives up after timeout. A serial port's write has no deadline (go.bug.st/serial
// has none, and the kernel blocks it while the printer takes nothing), so the write runs on its own
// goroutine; given up on, the connection is closed from another, and the write ends when the port
// fails or drains. Any error closes the connection.
func writeWithin(conn printer.Conn, b []byte, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() {
		_, err := conn.Write(b)
		done <- err
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil {
			conn.Close()
		}
		return err
	case <-t.C:
		go conn.Close() // a blocked write can hold up closing a tty: never the caller
		return fmt.Errorf("took nothing for %v: %w", timeout, app.ErrPrinterOffline)
	}
}

// CheckSetting refuses a labels.* setting the label printer could not use, before it is saved:
// labels.printer (tspl:PORT or zpl:PORT, as ParseTarget reads it), labels.size (50x30, mm),
// labels.baud (a serial printer's; 9600), labels.font (ZPL's font, E:SIMSUN.TTF) and labels.timeout_ms
// (how long a label may take to go out; 5000).
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
	case "labels.baud":
		if n, e := strconv.Atoi(value); e != nil || n <= 0 {
			err = fmt.Errorf("labels.baud %q: a positive number such as 9600", value)
		}
	case "labels.font":
		if zplFont(value) != value {
			err = fmt.Errorf("labels.font %q: a printer's font file such as %s (letters, digits, \":\", \".\", \"_\")", value, DefaultZPLFont)
		}
	case "labels.timeout_ms":
		if n, e := strconv.Atoi(value); e != nil || n < 500 || n > 60000 {
			err = fmt.Errorf("labels.timeout_ms %q: 500 to 60000", value)
		}
	default:
		err = fmt.Errorf("unknown setting %q (labels.printer, labels.size, labels.baud, labels.font, labels.timeout_ms)", key)
	}
	if err != nil {
		return fmt.Errorf("%w: %s", app.ErrInvalidSetting, err)
	}
	return nil
}

// Settings reads the labels.* settings: the printer (ok false when labels.printer is not set) with its
// labels.baud, labels.font and labels.timeout_ms, and the label stock.
func Settings(get func(key string) string) (c Config, stock shelflabel.Stock, ok bool, err error) {
	stock = shelflabel.DefaultStock()
	if v := get("labels.size"); v != "" {
		if stock, err = stock.ParseSize(v); err != nil {
			return Config{}, stock, false, err
		}
	}
	for _, key := range []string{"labels.baud", "labels.font", "labels.timeout_ms"} {
		if err := CheckSetting(key, get(key)); err != nil {
			return Config{}, stock, false, err
		}
	}
	v := get("labels.printer")
	if v == "" {
		return Config{}, stock, false, nil
	}
	if c, err = ParseTarget(v); err != nil {
		return Config{}, stock, false, err
	}
	c.Baud, c.Font, c.Timeout = Connection(get)
	return c, stock, true, nil
}

// Connection reads labels.baud, labels.font and labels.timeout_ms as Config's Baud, Font and Timeout
// (0, "" and 0 when not set: the defaults). Settings has checked them; print-labels applies them to a
// printer its -printer flag names.
func Connection(get func(key string) string) (baud int, font string, timeout time.Duration) {
	baud, _ = strconv.Atoi(strings.TrimSpace(get("labels.baud")))
	ms, _ := strconv.Atoi(strings.TrimSpace(get("labels.timeout_ms")))
	return baud, strings.TrimSpace(get("labels.font")), time.Duration(ms) * time.Millisecond
}
