package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"checkout/app"
	"checkout/app/receiptimage"
	"checkout/app/reportpdf"
	"checkout/devices/printer"
	"checkout/devices/sim"
	"checkout/ui"
)

// openPrinter makes the receipt printer the printer.* settings name: printer.port a serial port,
// tcp://HOST[:9100], usb or usb:VID:PID, or sim. With printer.port sim, or none on a demo till (no real
// scanner either), a simulated printer appends the ESC/POS bytes to receipts.escpos beside the database.
// With none on a real till there is no printer (nil) and receipts are shown on screen. Nothing is opened
// yet: each receipt connects anew, so a printer switched on later just works.
func openPrinter(set app.Settings, dbPath, language string, demo bool) (*printer.Printer, *sim.Printer, error) {
	if !strings.HasPrefix(language, "zh") {
		language = "en"
	} else {
		language = "zh-Hans"
	}
	cfg, err := printer.ParseConfig(set.Device, language)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Port == "sim" || cfg.Port == "" && demo {
		s := sim.NewPrinter(filepath.Join(filepath.Dir(dbPath), "receipts.escpos"))
		return printer.NewWith(cfg, s.Open), s, nil
	}
	if cfg.Port == "" {
		return nil, nil, nil
	}
	p, err := printer.New(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("printer.port: %w", err)
	}
	return p, nil, nil
}

// receiptOptions gives the till its printer, and where and how receipts are saved as PNG: beside the
// database, drawn with a Chinese font where the system has one.
func (m *Main) receiptOptions(opt *ui.Options, dbPath string) {
	if m.Printer != nil {
		opt.Printer = m.Printer
	}
	opt.PreviewReceipt = m.Printer == nil || m.SimPrinter != nil
	opt.ReceiptDir = filepath.Join(filepath.Dir(dbPath), "receipts")
	var fonts receiptimage.Fonts
	if path, err := reportpdf.FindFont(); err == nil {
		if b, err := os.ReadFile(path); err == nil {
			fonts.CJK = b
		}
	}
	r, err := receiptimage.New(fonts)
	if err != nil {
		slog.Warn("receipt image font", "err", err)
		r, _ = receiptimage.New(receiptimage.Fonts{})
	}
	opt.ReceiptImage = r
}
