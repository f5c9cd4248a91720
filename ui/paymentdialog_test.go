package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// sell puts n cans of cola on h's sale.
func (h *harness) sell(n int) {
	h.t.Helper()
	for range n {
		if _, err := h.co.Scan(context.Background(), "5449000000996"); err != nil {
			h.t.Fatal(err)
		}
	}
}

func newPaymentDialog(h *harness, payments app.Payments) *paymentDialog {
	display := newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings())
	receipts := newReceipts(h.sh, h.co, h.sale, Services{}, app.NewClassifier(h.co.Settings(), nil), h.opt)
	return &paymentDialog{sh: h.sh, co: h.co, sale: h.sale, display: display, payments: payments, receipts: receipts,
		language: "en", background: h.opt.Background}
}

// The payment dialog takes cash and stores the sale; a shop without a QR code or a pay-code provider
// (the zero app.Payments) says so, and nothing is taken.
func TestPaymentDialogWithoutQRCodeOrProvider(t *testing.T) {
	h := newHarness(t)
	h.sell(1)
	pd := newPaymentDialog(h, app.Payments{})
	pd.open()
	h.mustShow("Take payment", "Exact ¥3.00")
	h.press(fyne.KeyF7)
	h.mustShow("No payment QR code is set up.")
	pd.paying.scanned("134567890123456789")
	h.mustShow("No payment provider is set up for pay codes.")
	if len(h.co.Tenders()) != 0 {
		t.Fatalf("tenders taken: %v", h.co.Tenders())
	}
	h.typeIn("10")
	h.press(fyne.KeyReturn)
	if len(h.log.sales) != 1 || h.sale.last() != "Paid. Change ¥7.00 · receipt T01-000001" || h.sh.busy() {
		t.Errorf("after cash: %d sales stored, %q, dialog open %v", len(h.log.sales), h.sale.last(), h.sh.busy())
	}
}
