package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app/money"
)

// A shift is one cashier's time at a till's drawer: it opens with a float, cash goes in and out of the
// drawer with a reason, and it closes with the drawer counted by denomination. What the count should have
// been is the float, plus the cash the period's sales, top-ups and refunds put in the drawer, plus cash
// in, less cash out; the difference is the shift's over/short.

// Shift errors.
var (
	ErrShiftOpen     = &Error{"shift_open", "a shift is already open at this till"}
	ErrNoShift       = &Error{"no_shift", "no shift is open at this till"}
	ErrInvalidCount  = &Error{"invalid_count", "invalid cash count"}
	ErrInvalidReason = &Error{"invalid_reason", "cash in or out needs a reason"}
)

// Shift is a cashier's shift at a till. While it is open, ClosedAt is zero and Expected is what the
// drawer should hold so far; CountedTotal and OverShort are set when it closes.
type Shift struct {
	ID       string // UUID
	Till     string
	Number   int64 // 1, 2, … per till
	User     string
	OpenedAt time.Time
	Float    money.Amount

	CashSales money.Amount // what the period's sales, top-ups and refunds did to the drawer (DaySummary.CashExpected)
	CashIn    money.Amount
	CashOut   money.Amount
	Expected  money.Amount // Float + CashSales + CashIn − CashOut

	ClosedAt     time.Time
	ClosedBy     string
	Counted      []DenominationCount
	CountedTotal money.Amount
	OverShort    money.Amount // CountedTotal − Expected: positive over, negative short
}

// Open reports whether the shift has not been closed.
func (s Shift) Open() bool { return s.ClosedAt.IsZero() }

// ExpectedCash is what a drawer should hold: the float, the cash the period took, and the cash put in
// less the cash taken out.
func ExpectedCash(float, cashSales, in, out money.Amount) money.Amount {
	return float.Add(cashSales).Add(in).Sub(out)
}

// Reckon fills in Expected from the shift's figures, and OverShort when it has been counted.
func (s *Shift) Reckon() {
	s.Expected = ExpectedCash(s.Float, s.CashSales, s.CashIn, s.CashOut)
	if !s.Open() {
		s.OverShort = s.CountedTotal.Sub(s.Expected)
	}
}

// CashMoveKind says whether cash went into the drawer or out of it.
type CashMoveKind string

// Cash moves.
const (
	CashIn  CashMoveKind = "in"
	CashOut CashMoveKind = "out"
)

// CashMove is cash put into or taken out of the drawer during a shift, other than by a sale.
type CashMove struct {
	ID      string
	ShiftID string
	Kind    CashMoveKind
	Amount  money.Amount // above zero
	Reason  string       // one of CashReasons, or "other: " and what it was
	User    string
	At      time.Time
}

// CashReasons are the reasons a cashier picks from; anything else is "other: …" with the cashier's words.
var CashReasons = []string{"change", "safe_drop", "bank_deposit", "supplier", "petty_cash", "other"}

// OtherReason is the prefix of a reason not in the list.
const OtherReason = "other: "

// CheckReason accepts one of CashReasons or "other: " followed by some text.
func CheckReason(reason string) error {
	for _, r := range CashReasons {
		if reason == r && r != "other" {
			return nil
		}
	}
	if text, ok := strings.CutPrefix(reason, OtherReason); ok && strings.TrimSpace(text) != "" {
		return nil
	}
	return fmt.Errorf("%w: %q", ErrInvalidReason, reason)
}

// Check refuses a cash move with no kind, an amount that is not above zero, or no reason.
func (m CashMove) Check() error {
	if m.Kind != CashIn && m.Kind != CashOut {
		return fmt.Errorf("%w: cash move %q", ErrInvalidAmount, m.Kind)
	}
	if m.Amount.Minor() <= 0 || m.Amount.Minor() > money.MaxMinor {
		return fmt.Errorf("%w: %s", ErrInvalidAmount, m.Amount)
	}
	return CheckReason(m.Reason)
}

// CheckFloat refuses a negative opening float (an empty drawer's float is zero).
func CheckFloat(float money.Amount) error {
	if float.IsNegative() || float.Minor() > money.MaxMinor {
		return fmt.Errorf("%w: float %s", ErrInvalidAmount, float)
	}
	return nil
}

// Denomination is a note or coin, in minor units of its currency. A currency the till has no list for
// is counted as one total: a single Denomination of one minor unit with Total set.
type Denomination struct {
	Minor int64
	Coin  bool
	Total bool
}

var denominations = map[string][]Denomination{
	// Notes ¥100 … ¥1, coins ¥1, 5 jiao, 1 jiao. ¥1 is both: counted once, whatever it is.
	"CNY": notesAndCoins([]int64{10000, 5000, 2000, 1000, 500, 100}, []int64{50, 10}),
	"USD": notesAndCoins([]int64{10000, 5000, 2000, 1000, 500, 100}, []int64{25, 10, 5, 1}),
	"EUR": notesAndCoins([]int64{50000, 20000, 10000, 5000, 2000, 1000, 500}, []int64{200, 100, 50, 20, 10, 5, 2, 1}),
}

func notesAndCoins(notes, coins []int64) []Denomination {
	var ds []Denomination
	for _, n := range notes {
		ds = append(ds, Denomination{Minor: n})
	}
	for _, c := range coins {
		ds = append(ds, Denomination{Minor: c, Coin: true})
	}
	return ds
}

// Denominations lists the notes and coins of c, largest first.
func Denominations(c money.Currency) []Denomination {
	if ds, ok := denominations[c.Code]; ok {
		return ds
	}
	return []Denomination{{Minor: 1, Total: true}}
}

// Label is the denomination as counted: "100", "0.5"; "total" for a whole-drawer count.
func (d Denomination) Label(c money.Currency) string {
	if d.Total {
		return "total"
	}
	s := money.FormatFixed(d.Minor, c.Exponent)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// DenominationCount is how many of one denomination (in minor units) the drawer held.
type DenominationCount struct {
	Minor int64 `json:"minor"`
	Count int64 `json:"count"`
}

// CountedTotal adds up a drawer count in c. Every denomination must be one of c's, listed at most once,
// and every count at least zero; the total must stay within money.MaxMinor.
func CountedTotal(counts []DenominationCount, c money.Currency) (money.Amount, error) {
	known := map[int64]bool{}
	for _, d := range Denominations(c) {
		known[d.Minor] = true
	}
	seen := map[int64]bool{}
	var total int64
	for _, n := range counts {
		switch {
		case !known[n.Minor]:
			return money.Amount{}, fmt.Errorf("%w: %s is not a %s denomination", ErrInvalidCount, money.FormatFixed(n.Minor, c.Exponent), c.Code)
		case seen[n.Minor]:
			return money.Amount{}, fmt.Errorf("%w: %s counted twice", ErrInvalidCount, money.FormatFixed(n.Minor, c.Exponent))
		case n.Count < 0:
			return money.Amount{}, fmt.Errorf("%w: %d of %s", ErrInvalidCount, n.Count, money.FormatFixed(n.Minor, c.Exponent))
		case n.Count > (money.MaxMinor-total)/n.Minor: // n.Minor ≥ 1: the product and the sum stay in range
			return money.Amount{}, fmt.Errorf("%w: the count is too large", ErrInvalidCount)
		}
		seen[n.Minor] = true
		total += n.Count * n.Minor
	}
	return money.New(total, c), nil
}

// ParseCount reads a count as the CLI takes it: "100x3" is three ¥100 notes, "0.5x4" four 5-jiao coins.
// A bare amount ("123.45") is a whole-drawer total, for a currency counted as one total.
func ParseCount(s string, c money.Currency) (DenominationCount, error) {
	value, n, ok := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "x")
	if !ok {
		total, err := money.ParseFixed(value, c.Exponent)
		if err != nil || total < 0 {
			return DenominationCount{}, fmt.Errorf("%w: %q", ErrInvalidCount, s)
		}
		return DenominationCount{Minor: 1, Count: total}, nil
	}
	minor, err := money.ParseFixed(value, c.Exponent)
	if err != nil {
		return DenominationCount{}, fmt.Errorf("%w: %q: %v", ErrInvalidCount, s, err)
	}
	count, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return DenominationCount{}, fmt.Errorf("%w: %q: the count after x is a whole number", ErrInvalidCount, s)
	}
	return DenominationCount{Minor: minor, Count: count}, nil
}

// ShiftBook keeps the till's shifts and cash moves; the store implements it. Every change is stored,
// journaled and queued for the head office in one transaction. user is the name of the person signed in.
type ShiftBook interface {
	// OpenShift opens the till's next shift with float in the drawer; ErrShiftOpen if one is open.
	OpenShift(ctx context.Context, at time.Time, user string, float money.Amount) (*Shift, error)
	// CurrentShift returns the open shift with what its drawer should hold at at; ErrNoShift if none is.
	CurrentShift(ctx context.Context, at time.Time) (*Shift, error)
	// MoveCash records cash in or out of the open shift's drawer; ErrNoShift if none is open.
	MoveCash(ctx context.Context, at time.Time, user string, kind CashMoveKind, amount money.Amount, reason string) (*CashMove, error)
	// CloseShift closes the open shift with its drawer counted, and returns it with its over/short.
	CloseShift(ctx context.Context, at time.Time, user string, counts []DenominationCount) (*Shift, error)
	// ShiftsClosedBetween returns the shifts closed in [from, to), oldest first.
	ShiftsClosedBetween(ctx context.Context, from, to time.Time) ([]Shift, error)
}

// Drawer is the cash reconciliation of the shifts a report covers: those closed in its period, and the
// shift still open at its end (counted only in OpenExpected).
type Drawer struct {
	Shifts       int64 // shifts closed in the period
	Floats       money.Amount
	CashIn       money.Amount
	CashOut      money.Amount
	Expected     money.Amount
	Counted      money.Amount
	OverShort    money.Amount
	Open         bool         // a shift is open at the period's end
	OpenExpected money.Amount // what its drawer should hold then
}

// NewDrawer sums up closed shifts and, if open is not nil, the shift still open, in c.
func NewDrawer(closed []Shift, open *Shift, c money.Currency) Drawer {
	z := money.Zero(c)
	d := Drawer{Floats: z, CashIn: z, CashOut: z, Expected: z, Counted: z, OverShort: z, OpenExpected: z}
	for _, s := range closed {
		d.Shifts++
		d.Floats, d.CashIn, d.CashOut = d.Floats.Add(s.Float), d.CashIn.Add(s.CashIn), d.CashOut.Add(s.CashOut)
		d.Expected, d.Counted, d.OverShort = d.Expected.Add(s.Expected), d.Counted.Add(s.CountedTotal), d.OverShort.Add(s.OverShort)
	}
	if open != nil {
		d.Open, d.OpenExpected = true, open.Expected
	}
	return d
}

// Any reports whether there was a shift to reconcile.
func (d Drawer) Any() bool { return d.Shifts > 0 || d.Open }
