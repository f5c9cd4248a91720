package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"checkout/app/money"
)

// The guard stops an action at the moment it is done when it looks like what a till's staff should not do
// alone, and waits for a supervisor's approval: the alarm is journaled whatever follows, and the
// approval (Session.Approve with PermAlarm) is journaled with both names. The owner is never stopped;
// a supervisor is, by another supervisor or the owner. The rules:
//
//   - refunds, voids after payment, no-sales and discounted sales by one person in the last Window,
//     this one included, at least AnomalyMinEvents of them and Factor times their usual rate (the
//     anomaly list's rule, at the moment rather than after the day);
//   - a line sold below what the product costs the shop, by a discount or a price override;
//   - a price override that changes the price by more than PriceChangeBP;
//   - a member's account (prepaid or points) paying at this till when another till of the shop used it
//     within AccountWindow: a copied card, or a shared one. Only the head office sees both tills
//     (AccountUses); offline the rule cannot be applied, and the offline spending limit stands in for it.

// PermAlarm is a supervisor's approval of an action the guard stopped.
const PermAlarm Permission = "alarm"

// GuardRules say when the guard stops an action (settings guard, guard.window_minutes, guard.factor,
// guard.price_change_percent).
type GuardRules struct {
	Off           bool          // no action is stopped
	Window        time.Duration // how far back the rate rules count
	Factor        int64         // how many times the usual rate stops an action
	PriceChangeBP int64         // the largest price override, up or down, in basis points of the price
	AccountWindow time.Duration // a member's account used on another till this recently stops it; 0: never
}

// DefaultGuardRules count the last four hours, stop at three times the usual rate, at a price changed by
// more than half, and at a member's account another till used in the last ten minutes.
func DefaultGuardRules() GuardRules {
	return GuardRules{Window: 4 * time.Hour, Factor: 3, PriceChangeBP: 5000, AccountWindow: 10 * time.Minute}
}

// AlarmKind is the rule an alarm fired by.
type AlarmKind string

// The guard's rules.
const (
	AlarmRefunds     AlarmKind = "refunds"
	AlarmVoidsPaid   AlarmKind = "voids_after_payment"
	AlarmNoSales     AlarmKind = "no_sales"
	AlarmDiscounts   AlarmKind = "discounts"
	AlarmBelowCost   AlarmKind = "below_cost"
	AlarmPriceChange AlarmKind = "price_change"
	// AlarmSharedAccount: a member's account pays here while another till (OtherTill) used it Ago.
	AlarmSharedAccount AlarmKind = "shared_account"
	// AlarmWrongPINs: wrong PINs locked a user (Cashier) or a member's account (Member) out. It
	// stops nothing the lock does not already; the owner sees it among the alarms.
	AlarmWrongPINs AlarmKind = "wrong_pins"
)

// Alarm is an action the guard stopped: who, where, when, by which rule and the figures that fired it.
type Alarm struct {
	Kind    AlarmKind
	Till    string
	Cashier string
	At      time.Time
	// The rate rules': events in the window with this one, the person's sales in it, and their usual
	// rate per 100 sales in hundredths.
	Count, Sales, UsualRate int64
	// The line rules': the product, the price it would sell at and its cost or catalog price.
	SKU string
	// Member is the member whose account wrong PINs locked (AlarmWrongPINs) or another till used
	// (AlarmSharedAccount); "" for a user's lock.
	Member string
	// OtherTill used Member's account Ago (AlarmSharedAccount).
	OtherTill    string
	Ago          time.Duration
	Price, Other money.Amount
	// ApprovedBy is who let the action go ahead ("" while nobody has).
	ApprovedBy string
}

// Action is what the journal's approval of a supervisor names: the rule and its figures.
func (a Alarm) Action() string {
	switch a.Kind {
	case AlarmBelowCost, AlarmPriceChange:
		return fmt.Sprintf("%s %s %s (%s)", a.Kind, a.SKU, a.Price.Decimal(), a.Other.Decimal())
	case AlarmSharedAccount:
		return fmt.Sprintf("%s %s (%s)", a.Kind, a.Member, a.OtherTill)
	}
	return fmt.Sprintf("%s %d in %d sales", a.Kind, a.Count, a.Sales)
}

// GuardBook is what the guard reads the rates from and journals its alarms in; the store implements it.
type GuardBook interface {
	CashierBook
	RecordAlarm(ctx context.Context, a Alarm) error
}

// AccountUses is the head office's record of which tills of the shop used a member's account lately;
// hq/client implements it. Its calls are short: a till that cannot reach the head office goes on without.
type AccountUses interface {
	// Use records that this till uses member's account now, and returns the other tills' latest uses
	// of it in the last hour, most recent first.
	Use(ctx context.Context, member string) ([]AccountUse, error)
}

// AccountUse is another till's use of a member's account, Ago before the head office was asked (its
// clock, so the tills' own clocks do not matter).
type AccountUse struct {
	Till string
	Ago  time.Duration
}

// Guard applies the rules to a till's actions.
type Guard struct {
	rules GuardRules
	till  string
	book  GuardBook
	uses  AccountUses // nil: the shared-account rule is not applied
	now   func() time.Time
	// usual is everyone's baseline (BaselinePeriod), read at most hourly: the rates change slowly and
	// reading four weeks costs tens of milliseconds.
	usual   baseline
	usualAt time.Time
}

// NewGuard returns the guard of till's actions.
func NewGuard(rules GuardRules, till string, book GuardBook, now func() time.Time) *Guard {
	return &Guard{rules: rules, till: till, book: book, now: now}
}

// SetAccountUses applies the shared-account rule through uses (the head office); nil: it is not applied.
func (g *Guard) SetAccountUses(uses AccountUses) {
	if g != nil {
		g.uses = uses
	}
}

// CheckAccount stops member's account paying at this till when another till of the shop used it within
// AccountWindow. The use is recorded at the head office whoever pays, the owner too, so the other tills
// see it; a head office that cannot be asked stops nothing (the till sells offline as it would anyway).
func (g *Guard) CheckAccount(ctx context.Context, s *Session, member string) error {
	if g == nil || g.rules.Off || g.rules.AccountWindow <= 0 || g.uses == nil || member == "" {
		return nil
	}
	uses, err := g.uses.Use(ctx, member)
	if err != nil || g.exempt(s) {
		return nil
	}
	for _, u := range uses {
		if u.Till != g.till && u.Ago < g.rules.AccountWindow {
			return g.stop(ctx, s, Alarm{Kind: AlarmSharedAccount, Member: member, OtherTill: u.Till, Ago: u.Ago.Truncate(time.Second)})
		}
	}
	return nil
}

// alarmCount is how many of the events a rate rule counts the row holds.
func (c CashierTotal) alarmCount(kind AlarmKind) int64 {
	switch kind {
	case AlarmRefunds:
		return c.Refunds
	case AlarmVoidsPaid:
		return c.VoidsPaid
	case AlarmNoSales:
		return c.NoSales
	case AlarmDiscounts:
		return c.Discounted
	}
	return 0
}

// CheckRate stops the action kind (a rate rule) by s when, with it, they would have done it Factor
// times more often than usual in the last Window.
func (g *Guard) CheckRate(ctx context.Context, s *Session, kind AlarmKind) error {
	if g.exempt(s) {
		return nil
	}
	now := g.now()
	current, err := g.book.CashierTotals(ctx, now.Add(-g.rules.Window), now)
	if err != nil {
		return fmt.Errorf("guard: %w", err)
	}
	if g.usualAt.IsZero() || now.Sub(g.usualAt) > time.Hour {
		from, to := BaselinePeriod(now)
		usual, err := g.book.CashierTotals(ctx, from, to)
		if err != nil {
			return fmt.Errorf("guard: %w", err)
		}
		g.usual, g.usualAt = newBaseline(usual), now
	}
	name := s.Name()
	mine := CashierTotal{Cashier: name}
	for _, c := range current {
		if c.Cashier == name {
			mine = c
		}
	}
	base, _ := g.usual.of(name)
	n, usualN := mine.alarmCount(kind)+1, base.alarmCount(kind)
	if !exceeds(n, mine.Sales, usualN, base.Sales, g.rules.Factor) {
		return nil
	}
	return g.stop(ctx, s, Alarm{Kind: kind, Count: n, Sales: mine.Sales, UsualRate: ShareBP(usualN, base.Sales)})
}

// CheckLine stops a line that a discount or a price override would sell below its cost, or an override
// that moves the price by more than PriceChangeBP. overridden is whether the price was typed.
func (g *Guard) CheckLine(ctx context.Context, s *Session, l Line, overridden bool) error {
	if g.exempt(s) {
		return nil
	}
	p, list := l.Product, l.ListPrice // an overridden line's Product.Price is the price typed
	if overridden && list.Minor() > 0 && g.rules.PriceChangeBP > 0 {
		delta := p.Price.Minor() - list.Minor()
		if delta*10_000 > g.rules.PriceChangeBP*list.Minor() || -delta*10_000 > g.rules.PriceChangeBP*list.Minor() {
			return g.stop(ctx, s, Alarm{Kind: AlarmPriceChange, SKU: p.SKU, Price: p.Price, Other: list})
		}
	}
	if p.Cost.Minor() > 0 && l.Qty > 0 {
		cost, _ := money.MulDiv(p.Cost.Minor(), int64(l.Qty), 1000)
		if l.Total.Minor() < cost {
			unit, _ := money.MulDiv(l.Total.Minor(), 1000, int64(l.Qty))
			return g.stop(ctx, s, Alarm{Kind: AlarmBelowCost, SKU: p.SKU, Price: money.New(unit, p.Cost.Currency()), Other: p.Cost})
		}
	}
	return nil
}

// exempt: nobody stops the owner, and a guard that is off stops nobody.
func (g *Guard) exempt(s *Session) bool {
	return g == nil || g.rules.Off || s == nil || s.User().Role == RoleOwner
}

// stop lets the action go ahead on a supervisor's approval given for it; otherwise it journals the
// alarm and returns the *PermissionError the screens ask a supervisor with.
func (g *Guard) stop(ctx context.Context, s *Session, a Alarm) error {
	a.Till, a.Cashier, a.At = g.till, s.Name(), g.now()
	if _, ok := s.approved[PermAlarm]; ok {
		delete(s.approved, PermAlarm) // the approval, journaled with both names, is used up
		return nil
	}
	if err := g.book.RecordAlarm(ctx, a); err != nil {
		return fmt.Errorf("guard: %w", err)
	}
	return &PermissionError{Permission: PermAlarm, Alarm: &a}
}

// baseline is the usual rates over BaselinePeriod: each cashier's own, and the whole shop's, summed once.
type baseline struct {
	own  map[string]CashierTotal
	shop CashierTotal
}

func newBaseline(usual []CashierTotal) baseline {
	b := baseline{own: make(map[string]CashierTotal, len(usual))}
	for _, u := range usual {
		b.own[u.Cashier] = u
		b.shop.Sales += u.Sales
		b.shop.Refunds, b.shop.Voids, b.shop.VoidsPaid = b.shop.Refunds+u.Refunds, b.shop.Voids+u.Voids, b.shop.VoidsPaid+u.VoidsPaid
		b.shop.NoSales, b.shop.Discounted = b.shop.NoSales+u.NoSales, b.shop.Discounted+u.Discounted
	}
	return b
}

// of is cashier's usual rates: their own when they had MinHistorySales sales in the baseline, else the
// whole shop's (shop true).
func (b baseline) of(cashier string) (base CashierTotal, shop bool) {
	if own := b.own[cashier]; own.Sales >= MinHistorySales {
		return own, false
	}
	return b.shop, true
}

// exceeds is the anomaly rule: at least AnomalyMinEvents events, and with sales, a rate at least factor
// times the usual one (n × usualSales ≥ factor × usualN × sales, exactly); without sales any such count.
func exceeds(n, sales, usualN, usualSales, factor int64) bool {
	return n >= AnomalyMinEvents && (sales == 0 || n*usualSales >= factor*usualN*sales)
}

// setGuard applies a guard setting to s; ok is false for a key that is not one.
func (s *Settings) setGuard(key, value string) (ok bool, err error) {
	number := func(min, max int64) (int64, error) {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < min || n > max {
			return 0, fmt.Errorf("%w: %s %q: a whole number from %d to %d", ErrInvalidSetting, key, value, min, max)
		}
		return n, nil
	}
	g := &s.Guard
	switch key {
	case "guard":
		switch value {
		case "on", "off":
			g.Off = value == "off"
		default:
			return true, fmt.Errorf("%w: guard %q: on or off", ErrInvalidSetting, value)
		}
	case "guard.window_minutes":
		n, err := number(15, 24*60)
		if err != nil {
			return true, err
		}
		g.Window = time.Duration(n) * time.Minute
	case "guard.factor":
		if g.Factor, err = number(2, 100); err != nil {
			return true, err
		}
	case "guard.price_change_percent":
		n, err := number(0, 1000)
		if err != nil {
			return true, err
		}
		g.PriceChangeBP = n * 100
	case "guard.account_minutes":
		n, err := number(0, 24*60)
		if err != nil {
			return true, err
		}
		g.AccountWindow = time.Duration(n) * time.Minute
	default:
		return false, nil
	}
	return true, nil
}

func (s Settings) guardValues() [][2]string {
	on := "on"
	if s.Guard.Off {
		on = "off"
	}
	return [][2]string{{"guard", on}, {"guard.account_minutes", strconv.FormatInt(int64(s.Guard.AccountWindow/time.Minute), 10)},
		{"guard.factor", strconv.FormatInt(s.Guard.Factor, 10)},
		{"guard.price_change_percent", strconv.FormatInt(s.Guard.PriceChangeBP/100, 10)},
		{"guard.window_minutes", strconv.FormatInt(int64(s.Guard.Window/time.Minute), 10)}}
}
