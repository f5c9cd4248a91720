package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/app/barcode"
)

// The sale screen dispatches on what the classifier says an input is: products are sold, a weighed one
// asks its weight, member cards and a receipt at an idle till go where the composer connected them, and
// without anything connected they are refused as not products.
func TestSaleScreenDispatchesOnTheClassifier(t *testing.T) {
	h := newHarness(t)
	display := newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings())
	s := newSaleScreen(h.sh, h.co, app.NewClassifier(h.co.Settings(), nil), display, h.opt)
	h.win.SetContent(s.build())

	s.sell("M000042")
	if s.message.Text != "This is a member card, not a product." {
		t.Errorf("a member card at a till without members: %q", s.message.Text)
	}
	var member, receipt string
	var weighed app.Product
	var swiped app.Input
	s.member = func(number string) { member = number }
	s.receipt = func(no string) { receipt = no }
	s.weigh = func(p app.Product) { weighed = p }
	s.cards = func(in app.Input) { swiped = in }

	s.sell("M000042")
	s.sell("T01-000123")
	s.sell(";1234567890123?")
	s.sell("2000101000006")
	if member != "M000042" || receipt != "T01-000123" || weighed.SKU != banana.SKU || swiped.Kind != app.InputCard ||
		app.ErrorCode(swiped.Err) != app.ErrNoCardKey.Code {
		t.Fatalf("member %q, receipt %q, weighed %q, swiped %+v", member, receipt, weighed.SKU, swiped)
	}
	s.sell("5449000000996")
	if s.message.Text != "Coca-Cola 330ml can" || len(h.co.Lines()) != 1 || s.selected != 0 {
		t.Fatalf("a can sold: %q, %d lines", s.message.Text, len(h.co.Lines()))
	}
	receipt = ""
	s.sell("T01-000123") // not at an idle till: the cashier is selling
	if receipt != "" || s.message.Text != "This is a receipt, not a product." {
		t.Errorf("a receipt during a sale: %q, %q", receipt, s.message.Text)
	}
	mustShowIn(t, h.win, "¥3.00", "1 (1 lines)")
	mustShowIn(t, display.Window(), "Coca-Cola 330ml can  × 1", "Total ¥3.00")
}

// A GS1 label priced in another currency than the shop's (AI 393n) is refused with the reason, and sells
// nothing; in the shop's currency the label's price is charged.
func TestSaleScreenGS1PriceCurrency(t *testing.T) {
	h := newHarness(t)
	display := newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings())
	s := newSaleScreen(h.sh, h.co, app.NewClassifier(h.co.Settings(), nil), display, h.opt)
	h.win.SetContent(s.build())

	s.sell("(01)05449000000996(3932)8401499")
	if want := "This GS1 code cannot be read: not a barcode: GS1 price in another currency than the shop's: AI 3932 is in currency 840, the shop's is 156"; s.message.Text != want || len(h.co.Lines()) != 0 {
		t.Fatalf("a label in US dollars: %q, %d lines", s.message.Text, len(h.co.Lines()))
	}
	s.sell("(01)05449000000996(3932)1561499")
	if len(h.co.Lines()) != 1 || h.co.Lines()[0].Gross.Minor() != 1499 {
		t.Fatalf("a label in yuan: %q, lines %+v", s.message.Text, h.co.Lines())
	}
}

// An Alipay pay code that happens to read as a 26… scale label is a pay code at the sale screen unless
// the catalog has the label's item: the cashier is told to scan it when taking payment.
func TestSaleScreenPayCodeLikeAScaleLabel(t *testing.T) {
	h := newHarness(t)
	display := newCustomerDisplay(fyne.CurrentApp(), "en", h.co.Settings())
	s := newSaleScreen(h.sh, h.co, app.NewClassifier(h.co.Settings(), nil), display, h.opt)
	h.win.SetContent(s.build())

	code := "26123456789012345" + string(barcode.CheckDigit("26123456789012345"))
	if in := s.input.Classify(code); in.Code.Kind != barcode.Variable || in.Code.Wallet != "alipay" {
		t.Fatalf("%s is not both a label and a pay code: %+v", code, in.Code)
	}
	s.sell(code)
	if s.message.Text != "This is a customer's payment code. Scan it when taking payment." || len(h.co.Lines()) != 0 {
		t.Errorf("a pay code like a scale label: %q, %d lines", s.message.Text, len(h.co.Lines()))
	}
	if got := describeCode(h.co.Settings().BarcodeRules(), code); strings.Contains(got, code) {
		t.Errorf("the scanner test shows the whole pay code: %q", got)
	}
}
