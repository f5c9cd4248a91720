package ui_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"checkout/app"
	"checkout/app/receiptimage"
	"checkout/devices/printer"
	"checkout/devices/sim"
)

// withPrinter gives the till a simulated 58 mm English printer, reached through the real ESC/POS
// printer code, writing to a file in the test's directory.
func withPrinter(t *testing.T) (*sim.Printer, *reprints, func(*setup)) {
	t.Helper()
	s := sim.NewPrinter(filepath.Join(t.TempDir(), "receipts.escpos"))
	p := printer.NewWith(printer.Config{Paper: 58, Lang: "en"}, s.Open)
	log := &reprints{dir: filepath.Join(t.TempDir(), "receipts")}
	return s, log, func(set *setup) {
		set.opt.Printer = p
		log.Selling = set.st
		set.svc.Selling = log
		set.opt.ReceiptDir = log.dir
	}
}

func printedBytes(t *testing.T, s *sim.Printer) []byte {
	t.Helper()
	b, err := os.ReadFile(s.Path())
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b
}

func payCash(w fyne.Window, amount string) {
	press(w, fyne.KeyF12)
	typeIn(w, amount)
	press(w, fyne.KeyReturn)
}

func TestCashSalePrintsTheReceiptAndOpensTheDrawer(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, _ := newTill(t, opt)
	w := till.Window()
	scan(w, "5449000000996")
	payCash(w, "10")
	mustShow(t, w, "Paid. Change ¥7.00 · receipt T01-000001", "Printer: ready")
	got := printedBytes(t, s)
	for _, want := range [][]byte{[]byte("Coca-Cola 330ml can"), []byte("T01-000001"), []byte("CNY 3.00"), {0x1D, 0x56, 0x42}} {
		if !bytes.Contains(got, want) {
			t.Errorf("printed bytes lack %q", want)
		}
	}
	if s.DrawerKicks() != 1 || s.Jobs() != 1 {
		t.Errorf("drawer kicked %d times in %d jobs, want once in one", s.DrawerKicks(), s.Jobs())
	}
	if bytes.Contains(got, []byte("COPY")) {
		t.Error("the first receipt says COPY")
	}
}

func TestCardSaleDoesNotOpenTheDrawer(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, _ := newTill(t, opt)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF6)
	typeIn(w, "884211")
	press(w, fyne.KeyReturn)
	typeIn(w, "4242")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if s.Jobs() != 1 || s.DrawerKicks() != 0 {
		t.Errorf("%d jobs, %d drawer kicks; want the receipt and no kick", s.Jobs(), s.DrawerKicks())
	}
}

func TestPaperOutKeepsTheSaleAndTheReceiptCanBeReprinted(t *testing.T) {
	s, log, opt := withPrinter(t)
	till, st := newTill(t, opt)
	w := till.Window()
	s.SetPaperOut(true)
	scan(w, "5449000000996")
	payCash(w, "5")
	mustShow(t, w, "Paid. Change ¥2.00 · receipt T01-000001",
		"Receipt not printed: paper out. The sale is saved: reprint it from the till menu (F1).", "Printer: paper out")
	if _, err := st.SaleByReceipt(context.Background(), "T01-000001"); err != nil {
		t.Fatalf("the sale is not stored: %v", err)
	}
	if s.DrawerKicks() != 1 {
		t.Errorf("with the paper out the drawer still opens for the change: %d kicks", s.DrawerKicks())
	}
	if bytes.Contains(printedBytes(t, s), []byte("T01-000001")) {
		t.Error("a receipt went to a printer with no paper")
	}

	s.SetPaperOut(false) // a new roll
	press(w, fyne.KeyF1)
	mustShow(t, w, "Reprint a receipt")
	reprint(t, w)
	typeIn(w, "T01-000009")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "No sale with receipt T01-000009.")
	scan(w, "T01-000001") // scanned from the screen of another till, or typed
	mustShow(t, w, "Copy of receipt T01-000001", "*** COPY ***", "Coca-Cola 330ml can", "TOTAL", "CNY 3.00", "Change", "2.00",
		"Enter: print the copy · F9: save as PNG · Esc: close")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Copy printed.", "Printer: ready")
	got := printedBytes(t, s)
	if !bytes.Contains(got, []byte("*** COPY ***")) || !bytes.Contains(got, []byte("T01-000001")) {
		t.Errorf("the copy was not printed: %q", got)
	}
	if s.DrawerKicks() != 1 {
		t.Error("a reprint opened the drawer")
	}
	if len(log.got) != 1 || log.got[0].ReceiptNo != "T01-000001" {
		t.Errorf("reprints journaled: %+v", log.got)
	}
	if _, err := st.VerifyJournal(context.Background()); err != nil {
		t.Error(err)
	}
}

// reprint picks "Reprint a receipt" in the open till menu.
func reprint(t *testing.T, w fyne.Window) {
	t.Helper()
	for _, label := range screen(w) {
		if n, rest, ok := bytes.Cut([]byte(label), []byte("  ")); ok && string(rest) == "Reprint a receipt" {
			typeIn(w, string(n))
			return
		}
	}
	t.Fatal("no Reprint in the till menu")
}

// reprints counts the reprints the till journals, passing them on to the store.
type reprints struct {
	app.Selling
	got []app.Reprint
	dir string // where receipts are saved as PNG
}

func (r *reprints) RecordReprint(ctx context.Context, rp app.Reprint) error {
	if err := r.Selling.RecordReprint(ctx, rp); err != nil {
		return err
	}
	r.got = append(r.got, rp)
	return nil
}

// decodeReceiptQR finds the QR code anywhere on a whole receipt image and reads it.
func decodeReceiptQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestReprintSavesAPNGWhoseQRCodeIsTheReceiptNumber(t *testing.T) {
	_, log, opt := withPrinter(t)
	till, _ := newTill(t, opt, func(s *setup) { s.opt.Printer = nil })
	w := till.Window()
	scan(w, "6924743915763")
	payCash(w, "10")
	mustShow(t, w, "Paid. Change ¥3.50 · receipt T01-000001")
	press(w, fyne.KeyF1)
	reprint(t, w)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // no printer
	mustShow(t, w, "No printer is set up. F9 saves the receipt as a PNG to show or send.")
	press(w, fyne.KeyF9)
	mustShow(t, w, "Saved as")
	f, err := os.Open(filepath.Join(log.dir, "receipt-T01-000001-copy.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The whole receipt: the code is found on it, not handed over cropped.
	if got := decodeReceiptQR(t, img); got != "T01-000001" {
		t.Errorf("the PNG's QR code reads %q", got)
	}
	if len(log.got) != 1 || log.got[0].ReceiptNo != "T01-000001" || log.got[0].Cashier != "Olivia" {
		t.Errorf("reprints journaled for the saved copy: %+v", log.got)
	}
}

func TestPreviewAfterEachSaleAndNoSaleOpensTheDrawer(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, _ := newTill(t, opt, func(s *setup) { s.opt.PreviewReceipt = true })
	w := till.Window()
	scan(w, "5449000000996")
	payCash(w, "3")
	mustShow(t, w, "Receipt T01-000001", "Coca-Cola 330ml can", "T01-000001")
	if shows(w, "*** COPY ***") {
		t.Error("the sale's own receipt is shown as a copy")
	}
	wedgeScan(w, "6924743915763") // the next customer: the preview closes and the sale goes on
	mustShow(t, w, "Lay's chips 70g")
	if shows(w, "Receipt T01-000001") {
		t.Error("the preview stayed open")
	}
	press(w, fyne.KeyF12)
	typeIn(w, "10")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Receipt T01-000002")
	scan(w, "5449000000996") // typed by hand into the preview, then Enter
	mustShow(t, w, "Coca-Cola 330ml can")
	if shows(w, "Receipt T01-000001") {
		t.Error("the preview stayed open")
	}
	press(w, fyne.KeyF9) // void, to get to an empty till
	press(w, fyne.KeyReturn)
	kicks := s.DrawerKicks()
	press(w, fyne.KeyF1)
	mustShow(t, w, "No sale: open the drawer")
	for _, label := range screen(w) {
		if n, rest, ok := bytes.Cut([]byte(label), []byte("  ")); ok && string(rest) == "No sale: open the drawer" {
			typeIn(w, string(n))
		}
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Drawer opened: no sale, recorded.")
	if s.DrawerKicks() != kicks+1 {
		t.Errorf("no sale: %d drawer kicks, want %d", s.DrawerKicks(), kicks+1)
	}
	s.SetUnplugged(true)
	press(w, fyne.KeyF1)
	for _, label := range screen(w) {
		if n, rest, ok := bytes.Cut([]byte(label), []byte("  ")); ok && string(rest) == "No sale: open the drawer" {
			typeIn(w, string(n))
		}
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "The drawer did not open: printer offline (unplugged or switched off).")
}

// With a receipt renderer the preview is the receipt as the printer draws it: one image, no text rows.
func TestPreviewShowsThePrintedImage(t *testing.T) {
	_, _, opt := withPrinter(t)
	render, err := receiptimage.New(receiptimage.Fonts{})
	if err != nil {
		t.Fatal(err)
	}
	till, _ := newTill(t, opt, func(s *setup) { s.opt.PreviewReceipt, s.opt.ReceiptImage = true, render })
	w := till.Window()
	scan(w, "5449000000996")
	payCash(w, "3")
	mustShow(t, w, "Receipt T01-000001")
	var images []*canvas.Image
	visit(w, func(o fyne.CanvasObject) {
		if img, ok := o.(*canvas.Image); ok && img.Image != nil && img.Image.Bounds().Dx() >= 32*12 {
			images = append(images, img)
		}
	})
	if len(images) != 1 || shows(w, "Coca-Cola 330ml can") {
		t.Errorf("the preview shows %d receipt images; texts %v", len(images), screen(w))
	}
}

// A refund prints its own receipt and opens the drawer for the cash given back.
func TestRefundPrintsARefundReceipt(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, _ := newTill(t, opt)
	w := till.Window()
	scan(w, "5449000000996")
	payCash(w, "3")
	mustShow(t, w, "receipt T01-000001")
	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "1")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Refunded ¥3.00 in cash · T01-R000001")
	got := printedBytes(t, s)
	for _, want := range [][]byte{[]byte("Refund"), []byte("T01-R000001"), []byte("For receipt"), []byte("REFUNDED"), []byte("-3.00")} {
		if !bytes.Contains(got, want) {
			t.Errorf("printed bytes lack %q", want)
		}
	}
	if s.Jobs() != 2 || s.DrawerKicks() != 2 {
		t.Errorf("%d jobs, drawer kicked %d times: want the sale's and the refund's", s.Jobs(), s.DrawerKicks())
	}
}
