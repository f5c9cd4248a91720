package ui_test

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/devices/sim"
)

func TestRefundOneLineInCash(t *testing.T) {
	till, st := newTill(t) // its store is the till's sale history
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "5449000000996")
	scan(w, "6924743915763") // 3.00 × 2 + 6.50 = 12.50
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "receipt T01-000001")

	press(w, fyne.KeyF8)
	mustShow(t, w, "Refund", "Scan or type the receipt number")
	typeIn(w, "t01-000001")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Receipt T01-000001", "Coca-Cola 330ml can")
	press(w, fyne.KeyReturn) // a stray Enter refunds nothing
	mustShow(t, w, "Type the lines to refund (e.g. 1, 3x2), or * for everything left.")
	typeIn(w, "*")
	mustShow(t, w, "Refund ¥12.50 for 2 line(s)")
	press(w, fyne.KeyBackspace)
	typeIn(w, "1x3")
	mustShow(t, w, "That is more than is left to refund of this sale.")
	press(w, fyne.KeyBackspace)
	typeIn(w, "1")
	mustShow(t, w, "Refund ¥3.00 for 1 line(s)")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Refunded ¥3.00 in cash · T01-R000001")
	mustShow(t, till.Display().Window(), "Refunded ¥3.00")

	refunds, err := st.RefundsOfSale(context.Background(), storedSale(t, st, "T01-000001").ID)
	if err != nil || len(refunds) != 1 || refunds[0].Lines[0].LineNo != 1 || refunds[0].Total.Minor() != 300 {
		t.Fatalf("stored refunds %+v, %v", refunds, err)
	}

	// Scanning the receipt at an idle till opens the refund on it: one can is left on line 1.
	wedgeScan(w, "T01-000001")
	mustShow(t, w, "Receipt T01-000001")
	typeIn(w, "*")
	mustShow(t, w, "Refund ¥9.50 for 2 line(s)")
	press(w, fyne.KeyF6) // paid in cash: it cannot go to a card
	mustShow(t, w, "the sale was not paid like that")
	press(w, fyne.KeyEscape)
}

func TestParkServeAnotherAndResume(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "6924743915763")
	press(w, fyne.KeyF7)
	mustShow(t, w, "Cart parked (¥9.50)")
	if shows(w, "Lay's chips 70g") {
		t.Error("the parked cart is still on screen")
	}
	scan(w, "6921168509256") // the next customer: water
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "receipt T01-000001")

	press(w, fyne.KeyF7)
	mustShow(t, w, "Parked carts", "¥9.50", "Coca-Cola 330ml can, Lay's chips 70g")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Parked cart resumed.", "Lay's chips 70g", "¥9.50")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "receipt T01-000002")
	if sale := storedSale(t, st, "T01-000002"); len(sale.Lines) != 2 {
		t.Fatalf("resumed sale stored %d lines", len(sale.Lines))
	}
}

func TestRefundToTheWalletThatPaid(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	wedgeScan(w, "134567890123456789")
	mustShow(t, w, "receipt T01-000001")
	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "*")
	press(w, fyne.KeyF7)
	mustShow(t, w, "Refund everything left, ¥3.00? Press the same key again to refund it all.")
	press(w, fyne.KeyF7)
	mustShow(t, w, "Refunded ¥3.00 WeChat Pay · T01-R000001")
	// The same line again: refused, saying why.
	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "1")
	mustShow(t, w, "That line has been refunded in full already: nothing of it is left to refund.")
	typeIn(w, "")
	press(w, fyne.KeyBackspace)
	typeIn(w, "*")
	mustShow(t, w, "Everything on this sale has been refunded already.")
	press(w, fyne.KeyEscape)
	refunds, err := st.RefundsOfSale(context.Background(), storedSale(t, st, "T01-000001").ID)
	if err != nil || len(refunds) != 1 || refunds[0].Tender.Wallet != "wechat" || refunds[0].Tender.Reference == "" {
		t.Fatalf("stored refunds %+v, %v", refunds, err)
	}
}

func TestSellingBelowZeroIsFlagged(t *testing.T) {
	till, st := newTill(t)
	ctx := context.Background()
	cola, err := st.ProductByBarcode(ctx, "5449000000996")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.NewInventory(st, time.Now).Receive(ctx, "", app.SystemSession("owner"), []app.ReceiveLine{{Product: cola, Qty: app.Pieces(1), UnitCost: cny(150)}}); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	scan(w, "5449000000996")
	if shows(w, "stock records show none left") {
		t.Fatal("flagged the one can in stock")
	}
	scan(w, "5449000000996")
	mustShow(t, w, "Coca-Cola 330ml can: the stock records show none left.", "¥6.00")
	scan(w, "6924743915763") // never stocked: the shop does not track it
	if shows(w, "Lay's chips 70g: the stock records") {
		t.Error("flagged an untracked product")
	}
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn)
	if p, _ := st.ProductByBarcode(ctx, "5449000000996"); p.OnHand != app.Pieces(-1) {
		t.Errorf("on hand after selling 2 of 1: %d", p.OnHand)
	}
}

// A cashier's refund goes on in its own dialog once a supervisor approves it: when the provider then
// refuses it, the cashier sees why (the approval had hidden the refund dialog, and the reason with it).
func TestApprovedRefundShowsWhyItFailed(t *testing.T) {
	gateway := sim.NewGateway(0)
	till, st := newTill(t, func(s *setup) {
		withGateway(s)
		s.svc.Payments.Gateway = gateway
	})
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	wedgeScan(w, "134567890123456789")
	mustShow(t, w, "receipt T01-000001")
	withStaff(t, till, st)
	signInAs(t, w, "Li", "3333")
	// The provider no longer holds the payment as paid: its refund will be refused.
	if err := gateway.Reverse(context.Background(), storedSale(t, st, "T01-000001").Tenders[0].Reference); err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "1")
	press(w, fyne.KeyF7)
	mustShow(t, w, "Supervisor approval")
	typeIn(w, "2222") // Wang's PIN: the supervisor named first

	press(w, fyne.KeyReturn)
	mustShow(t, w, "Receipt T01-000001", "The payment provider did not confirm the refund. Nothing was refunded")
	if refunds, err := st.RefundsOfSale(context.Background(), storedSale(t, st, "T01-000001").ID); err != nil || len(refunds) != 0 {
		t.Errorf("stored refunds %+v, %v", refunds, err)
	}
}
