package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// The head office cannot work out a shop's stock (movements from before a till was enrolled never reach
// it, counts reach it as differences, and each till keeps its own ledger), so each till tells it what its
// own ledger says is low: the owner's dashboard shows the lists.

// StockAlerts is the head office as a till reports its low stock to it; hq/client implements it.
type StockAlerts interface {
	// ReportLowStock replaces the till's low-stock list at the head office with levels.
	ReportLowStock(ctx context.Context, levels []StockLevel) error
}

// LowStockLister lists the products at or below their reorder point, lowest cover first (StockLedger's
// LowStock).
type LowStockLister interface {
	LowStock(ctx context.Context, limit int) ([]StockLevel, error)
}

// Defaults of a LowStockReporter.
const (
	LowStockReportEvery = 10 * time.Minute
	LowStockReportLimit = 500 // the head office takes no more (document.MaxStockAlerts)
)

// LowStockReporter sends the till's low-stock list to the head office: Report looks at most every Every
// (LowStockReportEvery when zero), and sends the list, its first Limit products (LowStockReportLimit when
// zero), only when it differs from the last list the head office took. What was sent is kept in memory:
// a restarted till sends its list again at its first look. It is not safe for concurrent use: the till's
// sync goroutine alone calls Report, after each sync.
type LowStockReporter struct {
	Stock LowStockLister
	To    StockAlerts
	Now   func() time.Time // time.Now when nil
	Every time.Duration
	Limit int

	looked time.Time
	sent   [sha256.Size]byte
	any    bool // sent holds a list the head office took
}

// Report sends the low-stock list if it is time to look and the list changed. A failure is returned and
// the list is sent again at the next look.
func (r *LowStockReporter) Report(ctx context.Context) error {
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	every, limit := r.Every, r.Limit
	if every <= 0 {
		every = LowStockReportEvery
	}
	if limit <= 0 {
		limit = LowStockReportLimit
	}
	if since := now.Sub(r.looked); !r.looked.IsZero() && since >= 0 && since < every {
		return nil // (a clock set back looks again rather than never)
	}
	r.looked = now
	levels, err := r.Stock.LowStock(ctx, limit)
	if err != nil {
		return err
	}
	sum := lowStockSum(levels)
	if r.any && sum == r.sent {
		return nil
	}
	if err := r.To.ReportLowStock(ctx, levels); err != nil {
		return err
	}
	r.sent, r.any = sum, true
	return nil
}

// lowStockSum is a digest of what a low-stock list says of each product, in its order.
func lowStockSum(levels []StockLevel) [sha256.Size]byte {
	h := sha256.New()
	var n [8]byte
	put := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	text := func(s string) {
		put(int64(len(s)))
		h.Write([]byte(s))
	}
	put(int64(len(levels)))
	for _, l := range levels {
		text(l.Product.SKU)
		text(l.Product.Name)
		text(l.Product.NameZH)
		text(string(l.Product.Unit))
		put(int64(l.OnHand))
		put(int64(l.ReorderPoint))
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}
