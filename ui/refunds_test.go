package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// saleHistory is an app.SaleHistory over the sales and refunds of h's log.
type saleHistory struct{ log *saleLog }

func (s saleHistory) SaleByReceipt(_ context.Context, no string) (*app.Sale, error) {
	for _, sale := range s.log.sales {
		if sale.ReceiptNo == no {
			return sale, nil
		}
	}
	return nil, app.ErrUnknownBarcode
}

func (s saleHistory) RefundsOfSale(_ context.Context, id string) ([]app.Refund, error) {
	var out []app.Refund
	for _, r := range s.log.refunds {
		if r.SaleID == id {
			out = append(out, *r)
		}
	}
	return out, nil
}

// A refund finds the sale by its receipt and gives the money back in cash.
func TestRefundsInCash(t *testing.T) {
	h := newHarness(t)
	h.sell(2)
	if _, err := h.co.SettleCash(context.Background(), cny(600)); err != nil {
		t.Fatal(err)
	}
	rs := &refunds{sh: h.sh, co: h.co, sale: h.sale, display: newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings()),
		sales: saleHistory{h.log}, input: app.NewClassifier(h.co.Settings(), nil), language: "en", background: h.opt.Background}
	rs.open("T01-000009")
	h.mustShow("No sale with receipt T01-000009.")
	h.sh.modal.Hide()
	rs.open("t01-000001")
	h.mustShow("Receipt T01-000001")
	h.typeIn("1x1")
	h.mustShow("Refund ¥3.00 for 1 line(s)")
	h.press(fyne.KeyReturn)
	if len(h.log.refunds) != 1 || h.sale.last() != "Refunded ¥3.00 in cash · T01-R000001" {
		t.Errorf("refunds %d, %q", len(h.log.refunds), h.sale.last())
	}
}
