package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
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

// receipts prints each sale's receipt and opens the drawer through the printer when the till has one,
// shows receipts on screen, prints copies of past ones (journaled), and opens the drawer for a no-sale.
type receipts struct {
	sh      *shell
	co      *app.Checkout
	sale    saleView
	selling app.Selling       // a past sale's receipt, and the journal of copies
	members app.MemberService // the account of a sale's member as it now stands; asked only for a sale with one
	input   app.Classifier    // a receipt's number, typed or scanned

	printer      ReceiptPrinter // nil: the till has none
	preview      bool           // each sale's receipt is shown on screen
	dir          string         // where receipts are saved as PNG; "": not saved
	image        *receiptimage.Renderer
	language     string
	background   func(func())
	now          func() time.Time
	printerState func(err error) // shows the printer's state in the status bar
	sell         func(input string)
}

func newReceipts(sh *shell, co *app.Checkout, sale saleView, svc Services, input app.Classifier, opt Options) *receipts {
	return &receipts{sh: sh, co: co, sale: sale, selling: svc.Selling, members: svc.Members, input: input,
		printer: opt.Printer, preview: opt.PreviewReceipt, dir: opt.ReceiptDir, image: opt.ReceiptImage,
		language: opt.Language, background: opt.Background, now: opt.Now, printerState: func(error) {}, sell: func(string) {}}
}

// receiptLayout is how this till lays out receipts: its printer's width and language, else 80 mm in the
// screen's language.
func (rc *receipts) receiptLayout() (cols int, language string) {
	if p := rc.printer; p != nil {
		return p.Columns(), p.Lang()
	}
	return receiptColumns, rc.language
}

// receiptOf builds the receipt of a stored sale. After a sale, member is the member's account as it now
// stands; a reprint passes nil (today's balance is not the balance then).
func (rc *receipts) receiptOf(sale *app.Sale, isCopy bool, member *app.MemberAfterSale) app.Receipt {
	_, language := rc.receiptLayout()
	return app.Receipt{Sale: sale, Shop: rc.co.Settings().Shop, Lang: language, Copy: isCopy, Member: member}
}

// afterSale prints a just-stored sale's receipt and opens the drawer when cash was taken; a printer
// problem is said under the paid message, and the sale stays done. With PreviewReceipt the receipt is
// also shown on screen.
func (rc *receipts) afterSale(sale *app.Sale, paid string) {
	var member *app.MemberAfterSale
	if sale.Member != nil { // only a till with members puts one on a sale
		if m, err := rc.members.MemberByNumber(context.Background(), sale.Member.Number); err == nil {
			member = &app.MemberAfterSale{Points: m.Points, Balance: m.Balance}
		}
	}
	r := rc.receiptOf(sale, false, member)
	for _, tn := range sale.Tenders {
		if tn.Kind == app.TenderCash {
			r.OpenDrawer = true
		}
	}
	rc.printSigned(r, paid, !sale.Signature.Empty())
}

// printSigned prints r and, for a document the shopper signed for, the merchant's copy with the
// signature after it, which is also the one shown on screen; the drawer opens once.
func (rc *receipts) printSigned(r app.Receipt, done string, signed bool) {
	if !signed {
		rc.print(r, done)
		return
	}
	merchant := r
	merchant.Merchant, merchant.OpenDrawer = true, false
	rc.print(r, done, merchant)
}

// afterRefund prints a just-stored refund's receipt, opening the drawer for cash given back, and the
// merchant's copy when the shopper signed for it.
func (rc *receipts) afterRefund(f *app.Refund, done string) {
	_, language := rc.receiptLayout()
	r := app.Receipt{Refund: f, Shop: rc.co.Settings().Shop, Lang: language, OpenDrawer: f.Tender.Kind == app.TenderCash}
	rc.printSigned(r, done, !f.Signature.Empty())
}

// afterTopUp prints a just-stored top-up's receipt, opening the drawer for cash taken, and the merchant's
// copy when the shopper signed for it.
func (rc *receipts) afterTopUp(t *app.TopUp, done string) {
	_, language := rc.receiptLayout()
	r := app.Receipt{TopUp: t, Shop: rc.co.Settings().Shop, Lang: language, OpenDrawer: t.PaidBy.Kind == app.TenderCash}
	rc.printSigned(r, done, !t.Signature.Empty())
}

// print prints r, then the copies after it, when the till has a printer (a problem is said under done,
// the document staying stored), and shows the last of them on screen with PreviewReceipt.
func (rc *receipts) print(r app.Receipt, paid string, copies ...app.Receipt) {
	if p := rc.printer; p != nil {
		rc.background(func() {
			err := p.PrintReceipt(r)
			if err != nil && r.OpenDrawer {
				// Out of paper or with the cover open, the drawer still opens: the change must be given.
				_ = p.OpenDrawer()
			}
			for _, c := range copies {
				if err != nil {
					break
				}
				err = p.PrintReceipt(c)
			}
			onUI(func() { rc.printed(err, paid) })
		})
	}
	if rc.preview {
		if len(copies) > 0 {
			r = copies[len(copies)-1]
		}
		rc.show(r)
	}
}

// printed shows how printing went: the status bar names the printer's state, and a problem is said
// under the paid message, with how to get the receipt once it is fixed.
func (rc *receipts) printed(err error, paid string) {
	rc.printerState(err)
	if err != nil {
		rc.sale.say(paid+"\n"+lang.L("Receipt not printed: {{.Problem}}. The sale is saved: reprint it from the till menu (F1).",
			map[string]any{"Problem": printerProblem(err)}), widget.WarningImportance)
	}
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
	rc      *receipts
	receipt app.Receipt
	dialog  dialog.Dialog
	note    *widget.Label
}

// previewReceipt shows r as it prints, with its QR code. Enter prints a copy (a reprint), F9 saves it as
// a PNG; both are journaled for a copy. Esc closes; a scan closes it and sells.
func (rc *receipts) show(r app.Receipt) {
	if rc.sh.busy() {
		return
	}
	cols, _ := rc.receiptLayout()
	v := &receiptView{rc: rc, receipt: r, note: widget.NewLabel("")}
	v.note.Wrapping = fyne.TextWrapWord
	text := widget.NewLabel(strings.TrimRight(r.Text(cols), "\n"))
	text.TextStyle.Monospace = true
	var qr fyne.CanvasObject = widget.NewLabel("")
	if code, err := qrcode.New(r.Number(), qrcode.Medium); err == nil {
		img := canvas.NewImageFromImage(code.Image(256))
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(160, 160))
		qr = img
	}
	hint := lang.L("Esc: close")
	if r.Copy {
		hint = lang.L("Enter: print the copy · F9: save as PNG · Esc: close")
	} else if rc.dir != "" {
		hint = lang.L("F9: save as PNG · Esc: close")
	}
	// The keys go to a field, so that a keyboard-wedge scan of the next customer's first item closes the
	// preview and is sold, as a device scan is.
	keys := rc.sh.field()
	keys.SetPlaceHolder(lang.L("Scan the next item to go on"))
	keys.OnKey = func(k *fyne.KeyEvent) bool {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			switch typed := strings.TrimSpace(keys.Text); {
			case typed != "": // a code typed by hand: sell it, as the scan field would
				v.dialog.Hide()
				rc.sell(typed)
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
	title := lang.L("Receipt {{.Receipt}}", map[string]any{"Receipt": r.Number()})
	if r.Copy {
		title = lang.L("Copy of receipt {{.Receipt}}", map[string]any{"Receipt": r.Number()})
	}
	receipt := container.NewVBox(text)
	for _, row := range r.Layout(cols) {
		if row.Kind == app.RowImage && row.Image != nil { // the shopper's signature, as it prints
			pic := canvas.NewImageFromImage(row.Image)
			pic.FillMode = canvas.ImageFillContain
			pic.ScaleMode = canvas.ImageScalePixels
			b := row.Image.Bounds()
			pic.SetMinSize(fyne.NewSize(float32(b.Dx())*0.75, float32(b.Dy())*0.75))
			receipt.Add(container.NewCenter(pic))
		}
	}
	receipt.Add(container.NewCenter(qr))
	width := float32(cols)*9 + 40
	if rc.image != nil {
		// The receipt as the printer draws it, cell for cell, where a proportional screen font would put
		// Chinese and Latin text out of line.
		printed := rc.image.Image(r.Layout(cols), cols)
		img := canvas.NewImageFromImage(printed)
		img.FillMode = canvas.ImageFillContain
		width = float32(printed.Bounds().Dx())*0.75 + 40
		img.SetMinSize(fyne.NewSize(width-40, float32(printed.Bounds().Dy())*0.75))
		receipt = container.NewVBox(img)
	}
	body := container.NewVScroll(receipt)
	body.SetMinSize(fyne.NewSize(width, 420))
	closeButton := touchSized(widget.NewButtonWithIcon(lang.L("Close")+" (Esc)", theme.CancelIcon(), func() { v.dialog.Hide() }))
	content := container.NewBorder(nil, container.NewVBox(v.note,
		widget.NewLabelWithStyle(hint, fyne.TextAlignCenter, fyne.TextStyle{Italic: true}), keys, closeButton), nil, nil, body)
	v.dialog = rc.sh.open(title, content, keys)
}

// printCopy journals the reprint, then prints it. The journal comes first: a copy that leaves the till
// is always on record.
func (v *receiptView) printCopy() {
	rc := v.rc
	p := rc.printer
	if p == nil {
		v.note.SetText(lang.L("No printer is set up. F9 saves the receipt as a PNG to show or send."))
		return
	}
	if !v.journal() {
		return
	}
	r := v.receipt
	v.note.SetText(lang.L("Printing…"))
	rc.background(func() {
		err := p.PrintReceipt(r)
		onUI(func() {
			rc.printerState(err)
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
	rc := v.rc
	if !v.receipt.Copy { // copies are only made at a till that keeps its sales (reprint)
		return true
	}
	err := rc.selling.RecordReprint(context.Background(), app.Reprint{ReceiptNo: v.receipt.Sale.ReceiptNo,
		Till: rc.co.Settings().Till, Cashier: rc.co.Session().Name(), At: rc.now()})
	if err != nil {
		v.note.SetText(errorMessage(err))
		return false
	}
	return true
}

// savePNG writes the receipt as a PNG into ReceiptDir.
func (v *receiptView) savePNG() {
	rc := v.rc
	if rc.dir == "" {
		return
	}
	cols, _ := rc.receiptLayout()
	render := rc.image
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
		err = os.MkdirAll(rc.dir, 0o755)
	}
	name := "receipt-" + v.receipt.Number() // a refund's receipt has no Sale
	if v.receipt.Copy {
		name += "-copy"
	}
	path := filepath.Join(rc.dir, name+".png")
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
func (rc *receipts) openReprint() {
	if rc.sh.busy() {
		return
	}
	receipt := rc.sh.field()
	receipt.SetPlaceHolder(lang.L("Scan or type the receipt number"))
	problem := widget.NewLabel("")
	problem.Importance = widget.DangerImportance
	var d dialog.Dialog
	find := func(code string) {
		receiptNo := rc.input.ReceiptNo(code)
		sale, err := rc.selling.SaleByReceipt(context.Background(), receiptNo)
		if err != nil {
			problem.SetText(lang.L("No sale with receipt {{.Receipt}}.", map[string]any{"Receipt": receiptNo}))
			receipt.SetText("")
			return
		}
		d.Hide()
		rc.show(rc.receiptOf(sale, true, nil))
	}
	receipt.OnScan = find
	dialogKeys(receipt, func() dialog.Dialog { return d }, func() { find(receipt.Text) })
	d = rc.sh.open(lang.L("Reprint a receipt"), container.NewVBox(receipt, problem,
		widget.NewLabelWithStyle(lang.L("Enter: find · Esc: close"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})), receipt)
	rc.sh.takeScans(find)
}

// noSale opens the cash drawer without a sale, after asking; it needs a supervisor for a cashier and is
// journaled either way.
func (rc *receipts) noSale() {
	var open func()
	open = func() {
		err := rc.co.NoSale(context.Background(), "")
		if askApproval(rc.sh, rc.co.Session(), err, "", open, nil) {
			return
		}
		if err != nil {
			rc.sale.fail(err)
			return
		}
		rc.kickDrawer(lang.L("Drawer opened: no sale, recorded."))
	}
	rc.sh.confirm(lang.L("No sale"), lang.L("Open the drawer without a sale? It is recorded. Enter: yes · Esc: no"), open)
}

// kickDrawer opens the cash drawer through the printer, for a no-sale; a problem is said.
func (rc *receipts) kickDrawer(done string) {
	p := rc.printer
	if p == nil {
		rc.sale.say(done, widget.WarningImportance)
		return
	}
	rc.background(func() {
		err := p.OpenDrawer()
		onUI(func() {
			if err != nil {
				rc.sale.say(done+"\n"+lang.L("The drawer did not open: {{.Problem}}.", map[string]any{"Problem": printerProblem(err)}), widget.DangerImportance)
				return
			}
			rc.sale.say(done, widget.WarningImportance)
		})
	})
}
