package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
)

func TestRefundRoundTripAndLimits(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996", "5449000000996", "0.455*2000101000006")
	co := newCheckout(t, s)
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	r, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "dented can")
	if err != nil {
		t.Fatal(err)
	}
	if r.ReceiptNo != "T01-R000001" {
		t.Errorf("refund number %s", r.ReceiptNo)
	}
	got, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(got) != 1 {
		t.Fatalf("refunds of the sale: %+v, %v", got, err)
	}
	g := got[0]
	if g.ID != r.ID || g.Total != r.Total || g.Tender != r.Tender || g.Reason != "dented can" || len(g.Lines) != 1 ||
		g.Lines[0].Qty != app.Pieces(1) || g.Lines[0].Product.SKU != stored.Lines[0].Product.SKU || g.SaleReceipt != sale.ReceiptNo {
		t.Fatalf("stored refund %+v\nwant %+v", g, r)
	}

	// Bypassing the app's checks, the store still refuses what was not sold or not paid.
	over := *r
	over.ID, over.Lines = app.NewID(), []app.RefundLine{{LineNo: 1, Qty: app.Pieces(2), Total: r.Total, Tax: r.Tax}}
	if err := s.CommitRefund(ctx, &over); !errors.Is(err, app.ErrRefundTooLarge) {
		t.Errorf("refunding 3 of 2 cans = %v", err)
	}
	tooMuch := *r
	tooMuch.ID, tooMuch.Total = app.NewID(), stored.Totals.Total
	if err := s.CommitRefund(ctx, &tooMuch); !errors.Is(err, app.ErrRefundTooLarge) {
		t.Errorf("refunding more than was paid = %v", err)
	}
	if n := count(t, s, "refunds"); n != 1 {
		t.Errorf("refused refunds left %d rows", n)
	}
	if n := count(t, s, "outbox WHERE kind = 'refund'"); n != 1 {
		t.Errorf("outbox refund rows = %d", n)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 2 {
		t.Fatalf("journal = %d rows, %v", n, err)
	}
	// Someone edits the refund with sqlite3: the journal no longer matches.
	if _, err := s.w.Exec(`UPDATE refunds SET tender_amount = tender_amount * 10`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "T01-R000001") {
		t.Fatalf("VerifyJournal after tampering with a refund = %v", err)
	}
}

// A 抹零 sale split between cash and a card, stored and read back, then refunded in two parts from
// what is stored: the refunds give back exactly what was paid, and the store refuses, whatever the app
// says, a refund that would give back more than the sale took.
func TestRoundedSplitSaleRefundsWhatWasPaid(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for key, value := range map[string]string{"cash_rounding": "0.10", "cash_rounding_mode": "down"} {
		if _, err := s.SetSetting(ctx, key, value, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "0.455*2000101000006"} { // 3.00 + 3.18 = 6.18
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := co.PayCashPart(cny(159)); !errors.Is(err, app.ErrCashStep) {
		t.Fatalf("a cash part of 1.59 at a 0.10 step = %v", err)
	}
	if _, err := co.PayCashPart(cny(300)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCard(cny(200), "884211", "0005"); err != nil {
		t.Fatal(err)
	}
	if due, cash := co.Due(), co.CashDue(); due.Minor() != 118 || cash.Minor() != 110 {
		t.Fatalf("due %v, cash due %v", due, cash)
	}
	sale, err := co.SettleCash(ctx, cny(200))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Rounding.Minor() != -8 || stored.Paid().Minor() != 610 || stored.Change().Minor() != 90 {
		t.Fatalf("stored rounding %v paid %v change %v", stored.Rounding, stored.Paid(), stored.Change())
	}
	refund := func(line int) {
		t.Helper()
		earlier, err := s.RefundsOfSale(ctx, sale.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := co.RefundSale(ctx, stored, earlier, []app.RefundPick{{LineNo: line, Qty: stored.Lines[line-1].Qty}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
			t.Fatal(err)
		}
	}
	refund(2)
	// The cola's refund as the app makes it, but handing back 3.10 where 3.00 is left of what the sale
	// took: the lines pass, the money does not.
	earlier, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := co.PrepareRefund(stored, earlier, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "")
	if err != nil || forged.Tender.Amount.Minor() != 300 {
		t.Fatalf("the cola's refund %+v, %v", forged, err)
	}
	forged.Tender.Amount, forged.Tender.Tendered = cny(310), cny(310)
	if err := s.CommitRefund(ctx, forged); !errors.Is(err, app.ErrRefundTooLarge) {
		t.Errorf("a refund beyond what the sale took = %v", err)
	}
	refund(1)
	if earlier, err = s.RefundsOfSale(ctx, sale.ID); err != nil {
		t.Fatal(err)
	}
	if len(earlier) != 2 || earlier[0].Tender.Amount.Minor() != 310 || earlier[1].Tender.Amount.Minor() != 300 ||
		earlier[0].Rounding.Minor() != -8 || !earlier[1].Rounding.IsZero() {
		t.Fatalf("refunds %+v", earlier)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 5 { // two settings, the sale, two refunds
		t.Errorf("journal = %d rows, %v", n, err)
	}
}
