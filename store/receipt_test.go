package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app"
)

func TestReprintIsJournaled(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996")
	if err := s.RecordReprint(ctx, app.Reprint{ReceiptNo: sale.ReceiptNo, Till: "T01", Cashier: "Li", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	got := journalOf(t, s, "reprint")
	if len(got) != 1 || got[0]["receipt_no"] != sale.ReceiptNo || got[0]["sale_id"] != sale.ID || got[0]["cashier"] != "Li" {
		t.Errorf("reprint journal %v", got)
	}
	if err := s.RecordReprint(ctx, app.Reprint{ReceiptNo: "T01-999999", Till: "T01", At: time.Now()}); !errors.Is(err, ErrNotFound) {
		t.Errorf("reprint of no sale: %v", err)
	}
	if n := len(journalOf(t, s, "reprint")); n != 1 {
		t.Errorf("%d reprint rows", n)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Errorf("journal with a reprint: %v", err)
	}
}
