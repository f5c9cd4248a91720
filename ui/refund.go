package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/signature"
)

// refundView is the open refund screen: find the sale by its receipt (typed or scanned), say which lines
// go back, and give the money back in cash (Enter) or to the card that paid (F6, with the terminal's
// approval code).
type refundView struct {
	rs         *refunds
	body       *fyne.Container // laid out again once a sale is loaded: its labels grow
	receipt    *KeyEntry
	picks      *KeyEntry
	approval   *KeyEntry
	sale       *widget.Label
	lines      *widget.Label
	preview    *widget.Label
	problem    *widget.Label
	dialog     dialog.Dialog
	refundable *app.Refundable
	// pending is a refund whose storing failed after its money moved: Enter retries it, never a new one.
	pending   *app.Refund
	pendingTo app.RefundTo
	busy      bool // the provider is refunding a wallet payment
	// allConfirmed: the cashier asked for everything left (app.RefundAll) and was asked to confirm it;
	// the same key again refunds it. Typing anything clears it.
	allConfirmed bool
}

// refunds gives money back for a stored sale (F8, or its receipt scanned at an idle till): in cash, to the
// card or wallet that paid, or to the member's prepaid balance.
type refunds struct {
	sh         *shell
	co         *app.Checkout
	sale       saleView
	display    *CustomerDisplay
	sales      app.SaleHistory
	payments   app.Payments // gives wallet payments back
	receipts   *receipts    // prints the refund's receipt; nil: none is printed
	input      app.Classifier
	language   string
	background func(func())
}

func (rs *refunds) money(a money.Amount) string { return money.Format(a, rs.language) }

// open opens the refund screen, on the sale with receiptNo when it is not "".
func (rs *refunds) open(receiptNo string) {
	t := rs
	if t.sh.busy() {
		return
	}
	if len(t.co.Lines()) > 0 {
		t.sale.say(lang.L("Finish or void the sale in progress before a refund."), widget.WarningImportance)
		return
	}
	v := &refundView{rs: t, receipt: t.sh.field(), picks: t.sh.field(), approval: t.sh.field()}
	v.receipt.SetPlaceHolder(lang.L("Scan or type the receipt number"))
	v.picks.SetPlaceHolder(lang.L("Lines to refund, e.g. 1, 3x2, or * for everything left"))
	v.approval.SetPlaceHolder(lang.L("Card terminal approval code for the refund"))
	v.sale, v.preview = widget.NewLabel(""), widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.lines = widget.NewLabel("")
	v.lines.TextStyle.Monospace = true
	v.problem = widget.NewLabel("")
	v.problem.Importance = widget.DangerImportance
	v.problem.Wrapping = fyne.TextWrapWord
	v.receipt.OnScan = v.load
	v.receipt.OnKey = v.keys(func() { v.load(v.receipt.Text) })
	v.picks.OnScan = v.load
	v.picks.OnChanged = func(string) {
		v.allConfirmed = false
		v.showPreview()
	}
	v.picks.OnKey = v.keys(func() { v.refund(app.RefundTo{Kind: app.TenderCash}) })
	v.approval.OnKey = v.keys(func() { v.refund(app.RefundTo{Kind: app.TenderCard, Approval: v.approval.Text}) })
	v.approval.Hide()
	// The sale's lines scroll in a box of their own: a long receipt must not push the fields off the dialog,
	// nor may the fields be laid over the lines when they come.
	lines := container.NewVScroll(v.lines)
	lines.SetMinSize(fyne.NewSize(600, 200))
	content := container.NewVBox(v.receipt, v.sale, lines, v.picks, v.approval, v.preview, v.problem,
		widget.NewLabelWithStyle(lang.L("Enter: find / refund in cash · F6: to the card · F7: to the wallet · F9: to the member's prepaid balance · Esc: close"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true}))
	v.body = content
	v.dialog = t.sh.open(lang.L("Refund"), container.NewGridWrap(fyne.NewSize(640, content.MinSize().Height+80), content), v.receipt)
	t.sh.takeScans(v.load)
	if receiptNo != "" {
		v.load(receiptNo)
	}
}

func (v *refundView) keys(enter func()) func(*fyne.KeyEvent) bool {
	return func(k *fyne.KeyEvent) bool {
		if v.busy {
			return true // the provider has not answered yet
		}
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			enter()
		case fyne.KeyEscape:
			v.dialog.Hide()
		case fyne.KeyF6:
			v.toCard()
		case fyne.KeyF9:
			v.refund(app.RefundTo{Kind: app.TenderPrepaid})
		case fyne.KeyF7:
			if refunder, err := v.rs.payments.Refunder(); err == nil {
				v.refund(app.RefundTo{Kind: app.TenderWallet, Refunder: refunder})
			} else {
				v.problem.SetText(errorMessage(err))
			}
		default:
			return false
		}
		return true
	}
}

// load finds the sale a receipt number (typed, or scanned from the printed receipt) names.
func (v *refundView) load(code string) {
	t := v.rs
	receiptNo := t.input.ReceiptNo(code)
	ctx := context.Background()
	sale, err := t.sales.SaleByReceipt(ctx, receiptNo)
	if err != nil {
		v.problem.SetText(lang.L("No sale with receipt {{.Receipt}}.", map[string]any{"Receipt": receiptNo}))
		return
	}
	earlier, err := t.sales.RefundsOfSale(ctx, sale.ID)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	r := app.RefundableOf(sale, earlier)
	v.refundable = &r
	v.receipt.SetText(sale.ReceiptNo)
	var paid []string
	for _, tn := range sale.Tenders {
		paid = append(paid, labels().Tender(tn)+" "+t.money(tn.Amount))
	}
	v.sale.SetText(lang.L("Receipt {{.Receipt}} · {{.When}} · paid {{.Paid}}", map[string]any{
		"Receipt": sale.ReceiptNo, "When": sale.CompletedAt.Local().Format("2006-01-02 15:04"), "Paid": strings.Join(paid, " · ")}))
	var rows []string
	for _, l := range r.Lines {
		p := l.Line.Product // quantities as sold, so a refund of 斤 is typed in 斤 (app.ParseSold)
		rows = append(rows, fmt.Sprintf("%2d  %s %8s  %s %8s  %10s", l.LineNo, column(p.DisplayName(t.language), 28),
			quantityText(l.Line), lang.L("left"), quantityText(app.Line{Product: p, Qty: l.Qty}), t.money(l.Total)))
	}
	v.lines.SetText(strings.Join(rows, "\n"))
	v.problem.SetText("")
	v.picks.SetText("")
	v.showPreview()
	v.body.Refresh()
	t.sh.canvas().Focus(v.picks)
}

func (v *refundView) showPreview() {
	if v.refundable == nil {
		return
	}
	if strings.TrimSpace(v.picks.Text) == "" { // nothing picked yet: nothing to say
		v.preview.SetText("")
		v.problem.SetText("")
		return
	}
	picks, err := v.refundable.ParsePicks(v.picks.Text)
	if err == nil {
		lines, total, perr := v.refundable.Pick(picks)
		if err = perr; err == nil {
			v.preview.SetText(lang.L("Refund {{.Amount}} for {{.Lines}} line(s)", map[string]any{"Amount": v.rs.money(total), "Lines": len(lines)}))
			v.problem.SetText("")
			return
		}
	}
	v.preview.SetText("")
	v.problem.SetText(errorMessage(err))
}

// toCard asks for the card terminal's approval code, when the sale was paid by card.
func (v *refundView) toCard() {
	if v.refundable == nil {
		return
	}
	for _, tn := range v.refundable.Sale.Tenders {
		if tn.Kind == app.TenderCard {
			v.approval.Show()
			v.rs.sh.canvas().Focus(v.approval)
			return
		}
	}
	v.problem.SetText(errorMessage(app.ErrRefundTender))
}

func (v *refundView) refund(to app.RefundTo) {
	t := v.rs
	if v.pending != nil {
		v.complete(v.pending, v.pendingTo)
		return
	}
	if v.refundable == nil {
		v.load(v.receipt.Text)
		return
	}
	picks, err := v.refundable.ParsePicks(v.picks.Text)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	if app.IsRefundAll(v.picks.Text) && !v.allConfirmed {
		// Everything left is asked for by name and confirmed: never one stray key.
		v.allConfirmed = true
		_, total, _ := v.refundable.Pick(picks)
		v.problem.SetText(lang.L("Refund everything left, {{.Amount}}? Press the same key again to refund it all.", map[string]any{"Amount": t.money(total)}))
		return
	}
	earlier, err := t.sales.RefundsOfSale(context.Background(), v.refundable.Sale.ID)
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	r, err := t.co.PrepareRefund(v.refundable.Sale, earlier, picks, to, "")
	action := "refund " + v.refundable.Sale.ReceiptNo // for the journal, in the shop's own words
	if askApproval(t.sh, t.co.Session(), err, action, func() {
		// The refund goes on in its own dialog, so what becomes of it (a refusal, a retry) is seen there.
		t.sh.reopen(v.dialog, v.load, v.picks)
		r, err := t.co.PrepareRefund(v.refundable.Sale, earlier, picks, to, "")
		if err != nil {
			v.problem.SetText(errorMessage(err))
			return
		}
		v.sign(r, to)
	}, nil) {
		return
	}
	if err != nil {
		v.problem.SetText(errorMessage(err))
		return
	}
	v.sign(r, to)
}

// sign asks the shopper to sign for the money, when the shop wants refunds signed for, then completes
// the refund with the signature. If the shopper does not sign, nothing is given back or stored.
func (v *refundView) sign(r *app.Refund, to app.RefundTo) {
	t := v.rs
	if !t.co.Settings().RefundSigned() {
		v.complete(r, to)
		return
	}
	prompt := lang.L("Refund {{.Amount}}: please sign to confirm you received it.", map[string]any{"Amount": t.money(r.Tender.Amount)})
	askSignature(t.sh, prompt, func(s signature.Signature) {
		t.sh.reopen(v.dialog, v.load, v.picks)
		r.Signature = s
		v.complete(r, to)
	}, func() {
		t.sh.reopen(v.dialog, v.load, v.picks)
		v.problem.SetText(lang.L("Not refunded: the shopper did not sign."))
	})
}

// complete gives the money back and stores the refund; a wallet refund waits for its provider off the
// UI goroutine.
func (v *refundView) complete(r *app.Refund, to app.RefundTo) {
	t := v.rs
	v.busy = true
	if r.Tender.Kind == app.TenderWallet {
		v.preview.SetText(lang.L("Refunding {{.Amount}} to {{.Wallet}}…", map[string]any{"Amount": t.money(r.Tender.Amount), "Wallet": labels().Wallet(r.Tender.Wallet)}))
	}
	t.background(func() {
		err := t.co.CompleteRefund(context.Background(), r, to)
		onUI(func() {
			v.busy = false
			if err != nil {
				msg := errorMessage(err)
				if storingFailed(err) { // the money moved but the refund is not stored: retry the same one
					v.pending, v.pendingTo = r, to
					msg += "\n" + lang.L("The refund is NOT saved. Press Enter to try again.")
				}
				v.problem.SetText(msg)
				return
			}
			v.done(r)
		})
	})
}

func (v *refundView) done(r *app.Refund) {
	t := v.rs
	v.dialog.Hide()
	t.display.refunded(r)
	how := lang.L("in cash")
	switch r.Tender.Kind {
	case app.TenderCard:
		how = lang.L("to card ···{{.Last4}}", map[string]any{"Last4": r.Tender.CardLast4})
	case app.TenderWallet:
		how = labels().Wallet(r.Tender.Wallet)
	case app.TenderPrepaid:
		how = lang.L("to the member's prepaid balance")
	}
	done := lang.L("Refunded {{.Amount}} {{.How}} · {{.Receipt}}", map[string]any{
		"Amount": t.money(r.Tender.Amount), "How": how, "Receipt": r.ReceiptNo})
	t.sale.say(done, widget.SuccessImportance)
	if t.receipts != nil {
		t.receipts.afterRefund(r, done)
	}
}
