package store

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/signature"
)

// A signed refund keeps the shopper's strokes in its own transaction; its journal entry and its document
// name them by digest, they read back as signed, and editing them afterwards breaks the journal.
func TestSignedRefundIsStoredWithItsDigest(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996", "5449000000996")
	co := newCheckout(t, s)
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	r, err := co.PrepareRefund(stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "")
	if err != nil {
		t.Fatal(err)
	}

	// Strokes that are not a signature are refused, and nothing of the refund is stored.
	bad := *r
	bad.Signature = signature.Signature{{{1001, 5}}}
	if err := s.CommitRefund(ctx, &bad); !errors.Is(err, signature.ErrInvalid) {
		t.Fatalf("CommitRefund with a point off the box = %v", err)
	}
	if n := count(t, s, "refunds"); n != 0 {
		t.Fatalf("refused refund left %d rows", n)
	}

	r.Signature = signature.Signature{{{10, 20}, {30, 40}}, {{500, 500}}}
	const digest = "f738536b9310245beffec20dd4bf344e1c7205c8b5a19597efe6a49b705d52a2"
	if err := s.CommitRefund(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Signature, r.Signature) {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if n := count(t, s, "refund_signatures"); n != 1 {
		t.Errorf("%d signature rows", n)
	}

	links, err := s.JournalLinks(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var entry document.RefundEntry
	for _, l := range links {
		if l.Kind == "refund" {
			if err := json.Unmarshal([]byte(l.Payload), &entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	if entry.SignatureSHA256 != digest {
		t.Errorf("journal entry %+v", entry)
	}
	docs, err := s.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range docs {
		if d.Kind != "refund" {
			continue
		}
		doc, err := document.Check(document.KindRefund, d.Body)
		if err != nil || doc.(*document.Refund).SignatureSHA256 != digest {
			t.Errorf("refund document %s: %v", d.Body, err)
		}
		found = true
	}
	if !found {
		t.Error("no refund in the outbox")
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 2 {
		t.Fatalf("journal = %d rows, %v", n, err)
	}

	// Someone redraws the signature with sqlite3: the journal no longer matches.
	if _, err := s.w.Exec(`UPDATE refund_signatures SET strokes = '[[[10,20],[30,41]],[[500,500]]]'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("VerifyJournal after redrawing the signature = %v", err)
	}
}

// An unsigned refund stays as it was: no signature row, no digest in its entry or document.
func TestUnsignedRefundHasNoSignature(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996")
	co := newCheckout(t, s)
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
		t.Fatal(err)
	}
	links, err := s.JournalLinks(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		if strings.Contains(l.Payload, "signature") {
			t.Errorf("journal %s: %s", l.Kind, l.Payload)
		}
	}
	if n := count(t, s, "refund_signatures"); n != 0 {
		t.Errorf("%d signature rows", n)
	}
}
