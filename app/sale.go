package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// Sale is a completed sale as it is stored: a snapshot of the lines and money at the moment of payment.
type Sale struct {
	ID          string // UUID, the idempotency key when the sale is synced
	Till        string
	Number      int64  // per-till, gap-free; set by SaleLog.CommitSale
	ReceiptNo   string // e.g. "T01-000123"; set by SaleLog.CommitSale
	OpenedAt    time.Time
	CompletedAt time.Time
	Currency    money.Currency
	TaxMode     TaxMode
	Lines       []Line
	Totals      Totals
	Rounding    money.Amount // cash rounding: what was paid − Totals.Total
	Tenders     []Tender
	// Member is who the sale was for, with the points it earned and spent; nil for none.
	Member *MemberOnSale
	// Cashier is who was signed in when the sale completed; "" for sales before users existed.
	Cashier string
	// Signature is the shopper's, for a card payment the shop wants signed (Settings.CardSigned); empty
	// when none was asked.
	Signature signature.Signature
	// Coupons are the coupon codes presented for the sale (Checkout.AddCoupon); each is a use of it.
	Coupons []string
}

// Paid returns what the tenders pay of the sale.
func (s *Sale) Paid() money.Amount {
	sum := money.Zero(s.Currency)
	for _, t := range s.Tenders {
		sum = sum.Add(t.Amount)
	}
	return sum
}

// Change returns the change handed back.
func (s *Sale) Change() money.Amount {
	sum := money.Zero(s.Currency)
	for _, t := range s.Tenders {
		sum = sum.Add(t.Change)
	}
	return sum
}

// Void records a sale abandoned before it was paid, for the journal.
type Void struct {
	SaleID string
	Till   string
	At     time.Time
	Lines  int
	Total  money.Amount
	// Cashier voided it; ApprovedBy is the supervisor who allowed voiding a sale already partly paid.
	Cashier, ApprovedBy string
}

// NoSale is the cash drawer opened without a sale (to give change for a note, say), for the journal.
type NoSale struct {
	Till       string
	At         time.Time
	Cashier    string
	ApprovedBy string
	Reason     string
}

// SaleLog is where completed sales go. The store implements it.
type SaleLog interface {
	// CommitSale stores the sale in one durable transaction (header, lines, tenders, journal entry, outbox
	// row), assigning s.Number and s.ReceiptNo inside it. When it returns nil the sale is on disk; when it
	// returns an error nothing of it is.
	CommitSale(ctx context.Context, s *Sale) error
	// RecordVoid journals an abandoned sale.
	RecordVoid(ctx context.Context, v Void) error
	// RecordNoSale journals the cash drawer opened without a sale.
	RecordNoSale(ctx context.Context, n NoSale) error
	// CommitRefund stores a refund in one durable transaction (header, lines, journal entry, outbox row),
	// assigning r.Number and r.ReceiptNo. It refuses, storing nothing, a refund that together with the
	// sale's earlier refunds gives back more of a line than was sold or more than was paid.
	CommitRefund(ctx context.Context, r *Refund) error
}

// ReceiptNo formats a till's receipt number n as printed: "T01-000123".
func ReceiptNo(till string, n int64) string { return fmt.Sprintf("%s-%06d", till, n) }

// NewID returns a time-ordered UUID (version 7, RFC 9562): the Unix time in milliseconds, then 74 random
// bits. IDs made later sort later, so the indexes keyed by them (sales.uuid, the outbox, the head office's
// documents) take each new one at their right edge rather than on a random page: a page less to write per
// sale.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails on supported platforms
	ms := uint64(time.Now().UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
