package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"checkout/app"
	"checkout/app/receiptimage"
)

// ReceiptPrinter prints receipts and opens the cash drawer wired to it (devices/printer.Printer, or the
// simulated one). Its errors wrap app.ErrPrinterPaperOut, ErrPrinterCoverOpen, ErrPrinterFault or
// ErrPrinterOffline. It is called off the UI goroutine.
type ReceiptPrinter interface {
	PrintReceipt(r app.Receipt) error
	OpenDrawer() error
	// Columns is how many characters a line of its paper holds; Lang the language it prints in.
	Columns() int
	Lang() string
}

// receiptColumns is the preview's width without a printer: 80 mm paper.
const receiptColumns = 48

// receiptLayout is how this till lays out receipts: its printer's width and language, else 80 mm in the
// screen's language.
func (t *Till) receiptLayout() (cols int, language string) {
	if p := t.opt.Printer; p != nil {
		return p.Columns(), p.Lang()
	}
	return receiptColumns, t.opt.Language
}

// receiptOf builds the receipt of a stored sale. After a sale, member is the member's account as it now
// stands; a reprint passes nil (today's balance is not the balance then).
func (t *Till) receiptOf(sale *app.Sale, isCopy bool, member *app.MemberAfterSale) app.Receipt {
	_, language := t.receiptLayout()
	return app.Receipt{Sale: sale, Shop: t.co.Settings().Shop, Lang: language, Copy: isCopy, Member: member}
}

// afterSale prints a just-stored sale's receipt and opens the drawer when cash was taken; a printer
// problem is said under the paid message, and the sale stays done. With PreviewReceipt the receipt is
// also shown on screen.
func (t *Till) afterSale(sale *app.Sale, paid string) {
	var member *app.MemberAfterSale
	if sale.Member != nil && t.svc.Members != nil {
		if m, err := t.svc.Members.MemberByNumber(context.Background(), sale.Member.Number); err == nil {
			member = &app.MemberAfterSale{Points: m.Points, Balance: m.Balance}
		}
	}
	r := t.receiptOf(sale, false, member)
	for _, tn := range sale.Tenders {
		if tn.Kind == app.TenderCash {
			r.OpenDrawer = true
		}
	}
	if p := t.opt.Printer; p != nil {
		t.opt.Background(func() {
			err := p.PrintReceipt(r)
			if err != nil && r.OpenDrawer {
				// Out of paper or with the cover open, the drawer still opens: the change must be given.
				_ = p.OpenDrawer()
			}
			onUI(func() { t.printed(err, paid) })
		})
	}
	if t.opt.PreviewReceipt {
		t.previewReceipt(r)
	}
}

// printed shows how printing went: the status bar names the printer's state, and a problem is said
// under the paid message, with how to get the receipt once it is fixed.
func (t *Till) printed(err error, paid string) {
	t.SetPrinterState(err)
	if err != nil {
		t.say(paid+"\n"+lang.L("Receipt not printed: {{.Problem}}. The sale is saved: reprint it from the till menu (F1).",
			map[string]any{"Problem": printerProblem(err)}), widget.WarningImportance)
	}
}

// SetPrinterState shows in the status bar how the printer answered a status request: err nil is ready.
// Any goroutine may call it.
func (t *Till) SetPrinterState(err error) {
	onUI(func() {
		state := lang.L("ready")
		if err != nil {
			state = printerProblem(err)
		}
		t.setDeviceState("printer", lang.L("Printer"), state)
	})
}

// printerProblem names what stops the printer, in the cashier's language.
func printerProblem(err error) string {
	switch {
	case errors.Is(err, app.ErrPrinterPaperOut):
		return lang.L("paper out")
	case errors.Is(err, app.ErrPrinterCoverOpen):
		return lang.L("printer cover open")
	case errors.Is(err, app.ErrPrinterFault):
		return lang.L("printer error (paper jam or overheated)")
	case errors.Is(err, app.ErrPrinterOffline):
		return lang.L("printer offline (unplugged or switched off)")
	}
	return err.Error()
}

// receiptView is the open receipt preview.
type receiptView struct {
	till    *Till
	receipt app.Receipt
	dialog  dialog.Dialog
	note    *widget.Label
}

// previewReceipt shows r as it prints, with its QR code. Enter prints a copy (a reprint), F9 saves it as
// a PNG; both are journaled for a copy. Esc closes; a scan closes it and sells.
func (t *Till) previewReceipt(r app.Receipt) {
	if t.sh.busy() {
		return
	}
	cols, _ := t.receiptLayout()
	v := &receiptView{till: t, receipt: r, note: widget.NewLabel("")}
	v.note.Wrapping = fyne.TextWrapWord
	text := widget.NewLabel(strings.TrimRight(r.Text(cols), "\n"))
	text.TextStyle.Monospace = true
	var qr fyne.CanvasObject = widget.NewLabel("")
	if code, err := qrcode.New(r.Sale.ReceiptNo, qrcode.Medium); err == nil {
		img := canvas.NewImageFromImage(code.Image(256))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(160, 160))
		qr = img
	}
	hint := lang.L("Esc: close")
	if r.Copy {
		hint = lang.L("Enter: print the copy · F9: save as PNG · Esc: close")
	} else if t.opt.ReceiptDir != "" {
		hint = lang.L("F9: save as PNG · Esc: close")
	}
	// The keys go to a field, so that a keyboard-wedge scan of the next customer's first item closes the
	// preview and is sold, as a device scan is.
	keys := t.sh.field()
	keys.SetPlaceHolder(lang.L("Scan the next item to go on"))
	keys.OnKey = func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			switch typed := strings.TrimSpace(keys.Text); {
			case typed != "": // a code typed by hand: sell it, as the scan field would
				v.dialog.Hide()
				t.sell(typed)
			case r.Copy:
				v.printCopy()
			default:
				v.dialog.Hide()
			}
		case fyne.KeyF9:
			v.savePNG()
		case fyne.KeyEscape:
			v.dialog.Hide()
		default:
			return false
		}
		return true
	}
	title := lang.L("Receipt {{.Receipt}}", map[string]any{"Receipt": r.Sale.ReceiptNo})
	if r.Copy {
		title = lang.L("Copy of receipt {{.Receipt}}", map[string]any{"Receipt": r.Sale.ReceiptNo})
	}
	receipt := container.NewVBox(text, container.NewCenter(qr))
	width := float32(cols)*9 + 40
	if t.opt.ReceiptImage != nil {
		// The receipt as the printer draws it, cell for cell, where a proportional screen font would put
		// Chinese and Latin text out of line.
		printed := t.opt.ReceiptImage.Image(r.Layout(cols), cols)
		img := canvas.NewImageFromImage(printed)
		img.FillMode = canvas.ImageFillContain
		width = float32(printed.Bounds().Dx())*0.75 + 40
		img.SetMinSize(fyne.NewSize(width-40, float32(printed.Bounds().Dy())*0.75))
		receipt = container.NewVBox(img)
	}
	body := container.NewVScroll(receipt)
	body.SetMinSize(fyne.NewSize(width, 420))
	content := container.NewBorder(nil, container.NewVBox(v.note,
		widget.NewLabelWithStyle(hint, fyne.TextAlignCenter, fyne.TextStyle{Italic: true}), keys), nil, nil, body)
	v.dialog = t.sh.open(title, content, keys)
}

// printCopy journals the reprint, then prints it. The journal comes first: a copy that leaves the till
// is always on record.
func (v *receiptView) printCopy() {
	t := v.till
	p := t.opt.Printer
	if p == nil {
		v.note.SetText(lang.L("No printer is set up. F9 saves the receipt as a PNG to show or send."))
		return
	}
	if !v.journal() {
		return
	}
	r := v.receipt
	v.note.SetText(lang.L("Printing…"))
	t.opt.Background(func() {
		err := p.PrintReceipt(r)
		onUI(func() {
			t.SetPrinterState(err)
			if err != nil {
				v.note.SetText(lang.L("Receipt not printed: {{.Problem}}. Fix it and press Enter again.", map[string]any{"Problem": printerProblem(err)}))
				return
			}
			v.note.SetText(lang.L("Copy printed."))
		})
	})
}

// journal records a copy leaving the till; false (with the problem shown) if it could not be recorded.
func (v *receiptView) journal() bool {
	t := v.till
	if !v.receipt.Copy || t.svc.Selling == nil {
		return true
	}
	err := t.svc.Selling.RecordReprint(context.Background(), app.Reprint{ReceiptNo: v.receipt.Sale.ReceiptNo,
		Till: t.co.Settings().Till, Cashier: t.co.Session().Name(), At: t.opt.Now()})
	if err != nil {
		v.note.SetText(errorMessage(err))
		return false
	}
	return true
}

// savePNG writes the receipt as a PNG into ReceiptDir.
func (v *receiptView) savePNG() {
	t := v.till
	if t.opt.ReceiptDir == "" {
		return
	}
	cols, _ := t.receiptLayout()
	render := t.opt.ReceiptImage
	if render == nil {
		r, err := receiptimage.New(receiptimage.Fonts{})
		if err != nil {
			v.note.SetText(errorMessage(err))
			return
		}
		render = r
	}
	b, err := render.PNG(v.receipt.Layout(cols), cols)
	if err == nil {
		err = os.MkdirAll(t.opt.ReceiptDir, 0o755)
	}
	name := "receipt-" + v.receipt.Sale.ReceiptNo
	if v.receipt.Copy {
		name += "-copy"
	}
	path := filepath.Join(t.opt.ReceiptDir, name+".png")
	if err == nil && v.journal() {
		err = os.WriteFile(path, b, 0o644)
	} else if err == nil {
		return // the journal refused: the problem is shown
	}
	if err != nil {
		v.note.SetText(errorMessage(err))
		return
	}
	v.note.SetText(lang.L("Saved as {{.Path}}", map[string]any{"Path": path}))
}

// openReprint asks for a receipt number (typed, or scanned from the receipt) and shows that sale's
// receipt marked COPY, ready to print.
func (t *Till) openReprint() {
	if t.sh.busy() || t.svc.Selling == nil {
		return
	}
	receipt := t.sh.field()
	receipt.SetPlaceHolder(lang.L("Scan or type the receipt number"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	find := func(code string) {
		receiptNo := t.input.ReceiptNo(code)
		sale, err := t.svc.Selling.SaleByReceipt(context.Background(), receiptNo)
		if err != nil {
			problem.SetText(lang.L("No sale with receipt {{.Receipt}}.", map[string]any{"Receipt": receiptNo}))
			receipt.SetText("")
			return
		}
		d.Hide()
		t.previewReceipt(t.receiptOf(sale, true, nil))
	}
	receipt.OnScan = find
	dialogKeys(receipt, func() dialog.Dialog { return d }, func() { find(receipt.Text) })
	d = t.sh.open(lang.L("Reprint a receipt"), container.NewVBox(receipt, problem,
		widget.NewLabelWithStyle(lang.L("Enter: find · Esc: close"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})), receipt)
	t.sh.takeScans(find)
}

// kickDrawer opens the cash drawer through the printer, for a no-sale; a problem is said.
func (t *Till) kickDrawer(done string) {
	p := t.opt.Printer
	if p == nil {
		t.say(done, widget.WarningImportance)
		return
	}
	t.opt.Background(func() {
		err := p.OpenDrawer()
		onUI(func() {
			if err != nil {
				t.say(done+"\n"+lang.L("The drawer did not open: {{.Problem}}.", map[string]any{"Problem": printerProblem(err)}), widget.DangerImportance)
				return
			}
			t.say(done, widget.WarningImportance)
		})
	})
}
