package app

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

type lowStockFake struct {
	levels []StockLevel
	looks  int
}

func (f *lowStockFake) LowStock(_ context.Context, limit int) ([]StockLevel, error) {
	f.looks++
	return f.levels[:min(limit, len(f.levels))], nil
}

type alertsFake struct {
	sent [][]StockLevel
	err  error
}

func (f *alertsFake) ReportLowStock(_ context.Context, levels []StockLevel) error {
	if f.err != nil {
		return f.err
	}
	f.sent = append(f.sent, slices.Clone(levels))
	return nil
}

// The reporter looks at most every ten minutes, sends only a list that changed, sends a list refused
// again at the next look, and at most Limit products.
func TestLowStockReporter(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	cola := StockLevel{Product: Product{SKU: "DRK-001", Name: "Cola", Unit: UnitPiece}, OnHand: Pieces(2), ReorderPoint: Pieces(6)}
	chips := StockLevel{Product: Product{SKU: "SNK-001", Name: "Chips", Unit: UnitPiece}, OnHand: Pieces(1), ReorderPoint: Pieces(6)}
	stock, to := &lowStockFake{levels: []StockLevel{cola}}, &alertsFake{}
	r := &LowStockReporter{Stock: stock, To: to, Now: func() time.Time { return now }, Limit: 1}
	report := func(wantSent int) {
		t.Helper()
		if err := r.Report(ctx); err != nil {
			t.Fatal(err)
		}
		if len(to.sent) != wantSent {
			t.Fatalf("sent %d lists, want %d", len(to.sent), wantSent)
		}
	}
	report(1) // the first look sends
	stock.levels = []StockLevel{chips, cola}
	now = now.Add(9 * time.Minute)
	report(1) // too soon to look
	if stock.looks != 1 {
		t.Fatalf("%d looks", stock.looks)
	}
	now = now.Add(time.Minute)
	report(2) // changed
	if got := to.sent[1]; len(got) != 1 || got[0].Product.SKU != "SNK-001" {
		t.Fatalf("sent %+v, want the lowest cover only", got)
	}
	now = now.Add(10 * time.Minute)
	report(2) // unchanged
	stock.levels[0].OnHand = 0
	now = now.Add(10 * time.Minute)
	to.err = errors.New("head office away")
	if err := r.Report(ctx); err == nil {
		t.Fatal("the failure was not returned")
	}
	to.err = nil
	now = now.Add(10 * time.Minute)
	report(3) // the list refused is sent again
	stock.levels = nil
	now = now.Add(10 * time.Minute)
	report(4) // nothing low: an empty list replaces the last
	if len(to.sent[3]) != 0 {
		t.Fatalf("sent %+v", to.sent[3])
	}
	now = now.Add(-time.Hour)
	stock.levels = []StockLevel{cola}
	report(5) // a clock set back looks again
}
