package app

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"checkout/app/money"
)

// CashierTotal is what one cashier did in a period: a row of the day page's "By cashier" table, and the
// counts the anomaly list compares. Cashier "" is what was done before users existed.
type CashierTotal struct {
	Cashier     string
	Sales       int64        // completed sales
	Revenue     money.Amount // their totals
	Refunds     int64        // refunds they made
	RefundTotal money.Amount // what those refunds gave back
	Voids       int64        // sales they abandoned
	// VoidsPaid are the voids after payment had started: those a supervisor approved (the journal's
	// approved_by). A supervisor voiding a paid sale needs no approval and is not counted here.
	VoidsPaid     int64
	NoSales       int64        // cash drawer opened without a sale
	Discounted    int64        // sales with a discount on them
	DiscountTotal money.Amount // what those discounts took off
	Approvals     int64        // supervisor approvals they asked for (journal "override" naming them as user)
}

// NewCashierTotal returns cashier's empty row, every amount zero in c.
func NewCashierTotal(cashier string, c money.Currency) CashierTotal {
	z := money.Zero(c)
	return CashierTotal{Cashier: cashier, Revenue: z, RefundTotal: z, DiscountTotal: z}
}

// SortCashiers orders rows by name, ignoring case as user names do ("" first).
func SortCashiers(rows []CashierTotal) {
	slices.SortFunc(rows, func(a, b CashierTotal) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Cashier), strings.ToLower(b.Cashier)), cmp.Compare(a.Cashier, b.Cashier))
	})
}

// AnomalyKind is what an anomaly counts.
type AnomalyKind string

// What the anomaly list watches, in the order it lists them.
const (
	AnomalyRefunds   AnomalyKind = "refunds"
	AnomalyVoids     AnomalyKind = "voids"
	AnomalyNoSales   AnomalyKind = "no_sales"
	AnomalyDiscounts AnomalyKind = "discounts" // discounted sales
)

// AnomalyKinds returns the kinds the anomaly list watches, in order: a new slice each time, so no caller
// can change another's.
func AnomalyKinds() []AnomalyKind {
	return []AnomalyKind{AnomalyRefunds, AnomalyVoids, AnomalyNoSales, AnomalyDiscounts}
}

// Count returns how many events of kind the row holds.
func (c CashierTotal) Count(kind AnomalyKind) int64 {
	switch kind {
	case AnomalyRefunds:
		return c.Refunds
	case AnomalyVoids:
		return c.Voids
	case AnomalyNoSales:
		return c.NoSales
	case AnomalyDiscounts:
		return c.Discounted
	}
	return 0
}

// The anomaly rule's constants; see FindAnomalies.
const (
	// BaselineDays is how far back a cashier's usual rate looks: four whole weeks, so each weekday
	// weighs the same.
	BaselineDays = 28
	// AnomalyMinEvents is the fewest events that can be an anomaly: one or two refunds on a quiet day
	// are chance, whatever the rate says.
	AnomalyMinEvents = 3
	// AnomalyFactor is how many times the usual rate "well above" means.
	AnomalyFactor = 2
	// MinHistorySales is the fewest sales in the baseline that make a cashier's own rate usable; below
	// it (a new cashier) the shop's rate over the same days stands in.
	MinHistorySales = 20
)

// BaselinePeriod returns the BaselineDays before from, in from's location: where the usual rates of a
// period starting at from come from.
func BaselinePeriod(from time.Time) (time.Time, time.Time) {
	return from.AddDate(0, 0, -BaselineDays), from
}

// Anomaly is a cashier doing something much more often than usual.
type Anomaly struct {
	Cashier string
	Kind    AnomalyKind
	Count   int64 // events in the period
	Sales   int64 // the cashier's sales in the period
	// Rate is Count per 100 sales in hundredths (250 = 2.50 per 100 sales), rounded half to even;
	// meaningless when Sales is 0. It is ShareBP(Count, Sales).
	//
	// Rates are per 100 sales rather than per hour worked: sales are what a refund, a void or a discount
	// happens in, and the till knows them exactly per cashier, whereas sessions switch users inside a shift
	// and idle locks blur the hours.
	Rate int64
	// UsualCount and UsualSales are the baseline's: the cashier's own, or the shop's when Shop.
	UsualCount, UsualSales int64
	UsualRate              int64 // per 100 sales in hundredths, like Rate; 0 when UsualSales is 0
	Shop                   bool  // the cashier had too little history: the usual rate is the whole shop's
}

// FindAnomalies compares each cashier's refunds, voids, no-sale opens and discounted sales in a period
// (period, from the summary's ByCashier) with their usual rate over the BaselineDays before it (usual,
// the same rows for those days). The rule, per cashier and kind:
//
//   - Cashier "" (before users existed) is never flagged: nobody can be asked about it.
//   - Fewer than AnomalyMinEvents (3) events are never an anomaly.
//   - The usual rate is the cashier's own when they had at least MinHistorySales (20) sales in the
//     baseline, else the whole shop's (every row of usual summed, "" included).
//   - With no sales in the period, 3 events are flagged: events without sales have no rate to compare.
//   - Otherwise the events are flagged when their rate is at least AnomalyFactor (2) times the usual
//     rate, compared exactly as count × usualSales ≥ 2 × usualCount × sales; a usual count of 0 (never
//     before, or no history at all) makes any 3 events well above.
//
// The list is sorted by cashier, then by kind in AnomalyKinds order.
func FindAnomalies(period, usual []CashierTotal) []Anomaly {
	rows := slices.Clone(period)
	baselines := newBaseline(usual)
	SortCashiers(rows)
	var out []Anomaly
	for _, c := range rows {
		if c.Cashier == "" {
			continue
		}
		base, isShop := baselines.of(c.Cashier)
		for _, kind := range AnomalyKinds() {
			n, usualN := c.Count(kind), base.Count(kind)
			if !exceeds(n, c.Sales, usualN, base.Sales, AnomalyFactor) {
				continue
			}
			out = append(out, Anomaly{Cashier: c.Cashier, Kind: kind, Count: n, Sales: c.Sales, Rate: ShareBP(n, c.Sales),
				UsualCount: usualN, UsualSales: base.Sales, UsualRate: ShareBP(usualN, base.Sales), Shop: isShop})
		}
	}
	return out
}

// CashierBook gives per-cashier figures for any period; the store implements it.
type CashierBook interface {
	CashierTotals(ctx context.Context, from, to time.Time) ([]CashierTotal, error)
}

// Anomalies returns the anomalies of sum's period against the cashiers' rates over the BaselineDays
// before it.
func Anomalies(ctx context.Context, book CashierBook, sum DaySummary) ([]Anomaly, error) {
	from, to := BaselinePeriod(sum.From)
	usual, err := book.CashierTotals(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return FindAnomalies(sum.ByCashier, usual), nil
}
