package store

import (
	"context"
	"errors"
	"strings"
	"testing"

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
