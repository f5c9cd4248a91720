package promo

import (
	"errors"
	"fmt"
	"time"
)

// Target says which items a rule or a bundle group takes: the listed products, the items of the listed
// categories, or every item.
type Target struct {
	Products   []int64
	Categories []string
	All        bool
}

func (t Target) empty() bool { return !t.All && len(t.Products) == 0 && len(t.Categories) == 0 }

// Window is when a rule applies, on the shop's wall clock.
type Window struct {
	From, To time.Time // date range, zero = open-ended; To is exclusive
	Days     uint8     // bit per weekday (1<<time.Sunday …), 0 = every day
	// StartMinute and EndMinute are minutes into the local day, [start, end); equal means all day and
	// start > end wraps past midnight (an evening market until 02:00).
	StartMinute, EndMinute int
}

// minutesPerDay bounds StartMinute and EndMinute; EndMinute may be 1440 (midnight at the day's end).
const minutesPerDay = 24 * 60

// Contains reports whether the window is open at now, read on now's own clock (its Location). The part
// of a wrapping window after midnight belongs to the day it started: a Friday 22:00–02:00 window is open
// at 01:00 on Saturday and closed at 01:00 on Friday.
func (w Window) Contains(now time.Time) bool {
	if !w.From.IsZero() && now.Before(w.From) {
		return false
	}
	if !w.To.IsZero() && !now.Before(w.To) {
		return false
	}
	minute := now.Hour()*60 + now.Minute()
	day := now.Weekday()
	switch {
	case w.StartMinute == w.EndMinute:
	case w.StartMinute < w.EndMinute:
		if minute < w.StartMinute || minute >= w.EndMinute {
			return false
		}
	case minute >= w.StartMinute:
	case minute < w.EndMinute:
		day = (day + 6) % 7 // the tail of yesterday's window
	default:
		return false
	}
	return w.Days == 0 || w.Days&(1<<day) != 0
}

// Tier of a basket rule: a spend of at least Threshold saves Off.
type Tier struct{ Threshold, Off int64 }

// Kind is what a rule does.
type Kind string

// Kinds of rule. All but BasketSpend are item deals: each unit takes at most one of them.
const (
	PercentOff  Kind = "percent_off"  // PercentBP (basis points, 1000 = 10%) off each unit of Target
	AmountOff   Kind = "amount_off"   // Amount off each unit of Target, never below zero
	FixedPrice  Kind = "fixed_price"  // Qty units of Target (any mix) for Price ("any 3 for ¥10")
	BuyGet      Kind = "buy_get"      // buy Qty units of Target, get Free more at PercentBP off; the cheapest units are the discounted ones
	Bundle      Kind = "bundle"       // one unit from each of Groups for Price (meal deal)
	BasketSpend Kind = "basket_spend" // 满减: Tiers on the basket's spend after item deals; the highest tier met
	MemberPrice Kind = "member_price" // each unit of Target at Price for members (of MemberTier, or any member when empty)
)

// Rule is one promotion as the owner sets it up. Which fields count depends on Kind.
type Rule struct {
	ID           int64
	Name, NameZH string
	Kind         Kind
	Target       Target
	Groups       []Target
	PercentBP    int64
	Amount       int64
	Price        int64
	Qty          int64
	Free         int64
	Tiers        []Tier
	MemberTier   string
	Coupon       string // the code a shopper must present; empty: none needed
	Window       Window
}

// ErrInvalidRule is wrapped by every error NewSet returns for a rule it refuses.
var ErrInvalidRule = errors.New("invalid promotion")

// maxMoney bounds every amount in a rule (10 billion in major units, as the cart bounds a line) so that
// sums and products in the optimiser cannot overflow.
const maxMoney = 1_000_000_000_000

// Validate reports the first thing wrong with the rule, naming it.
func (r Rule) Validate() error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("%w %d %q: %s", ErrInvalidRule, r.ID, r.label(), err)
	}
	return nil
}

// label is the rule's name for an error, cut to 40 characters: an error must stay readable whatever the
// name (a rule from a file or the head office may not have been checked yet).
func (r Rule) label() string {
	name := r.Name
	if name == "" {
		name = r.NameZH
	}
	if n := []rune(name); len(n) > 40 {
		return string(n[:40]) + "…"
	}
	return name
}

func (r Rule) validate() error {
	if r.ID <= 0 {
		return errors.New("the id must be above zero")
	}
	if r.Name == "" && r.NameZH == "" {
		return errors.New("no name")
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"percent", r.PercentBP}, {"amount", r.Amount}, {"price", r.Price}, {"quantity", r.Qty}, {"free quantity", r.Free}} {
		if f.v < 0 {
			return fmt.Errorf("the %s %d is below zero", f.name, f.v)
		}
		if f.v > maxMoney {
			return fmt.Errorf("the %s %d is too large", f.name, f.v)
		}
	}
	if err := r.Window.validate(); err != nil {
		return err
	}
	needTarget := func() error {
		if r.Target.empty() {
			return errors.New("it applies to nothing: no products, no categories and not all items")
		}
		return nil
	}
	percent := func() error {
		if r.PercentBP < 1 || r.PercentBP > 10_000 {
			return fmt.Errorf("the percent %d (basis points) is outside 1..10000", r.PercentBP)
		}
		return nil
	}
	switch r.Kind {
	case PercentOff:
		if err := percent(); err != nil {
			return err
		}
		return needTarget()
	case AmountOff:
		if r.Amount == 0 {
			return errors.New("the amount off is zero")
		}
		return needTarget()
	case MemberPrice:
		return needTarget()
	case FixedPrice:
		if r.Qty < 1 {
			return fmt.Errorf("the quantity %d is below 1", r.Qty)
		}
		if r.Qty > maxDealUnits {
			return fmt.Errorf("the quantity %d is above %d", r.Qty, maxDealUnits)
		}
		return needTarget()
	case BuyGet:
		if r.Qty < 1 || r.Free < 1 {
			return fmt.Errorf("buy %d get %d: both must be at least 1", r.Qty, r.Free)
		}
		if r.Qty+r.Free > maxDealUnits {
			return fmt.Errorf("buy %d get %d: above %d units in one deal", r.Qty, r.Free, maxDealUnits)
		}
		if err := percent(); err != nil {
			return err
		}
		return needTarget()
	case Bundle:
		if len(r.Groups) < 2 {
			return fmt.Errorf("a bundle needs at least 2 groups, it has %d", len(r.Groups))
		}
		if len(r.Groups) > maxDealUnits {
			return fmt.Errorf("a bundle of %d groups is above %d", len(r.Groups), maxDealUnits)
		}
		for i, g := range r.Groups {
			if g.empty() {
				return fmt.Errorf("bundle group %d takes nothing", i+1)
			}
		}
		return nil
	case BasketSpend:
		if !r.Target.All && !r.Target.empty() {
			return errors.New("a basket rule counts the whole basket: it takes no products or categories")
		}
		if len(r.Tiers) == 0 {
			return errors.New("no tiers")
		}
		for i, t := range r.Tiers {
			switch {
			case t.Threshold <= 0 || t.Off <= 0:
				return fmt.Errorf("tier %d: spend %d save %d, both must be above zero", i+1, t.Threshold, t.Off)
			case t.Threshold > maxMoney:
				return fmt.Errorf("tier %d: spend %d is too large", i+1, t.Threshold)
			case t.Off > t.Threshold:
				return fmt.Errorf("tier %d: saves %d, more than its spend %d", i+1, t.Off, t.Threshold)
			case i > 0 && (t.Threshold <= r.Tiers[i-1].Threshold || t.Off <= r.Tiers[i-1].Off):
				return fmt.Errorf("tier %d does not ascend: spend and saving must both be above tier %d's", i+1, i)
			}
		}
		return nil
	case "":
		return errors.New("no kind")
	default:
		return fmt.Errorf("unknown kind %q", r.Kind)
	}
}

// maxDealUnits bounds the units one application of a multi-unit deal takes: the optimiser enumerates
// the ways to fill one application, and no shop sells "any 40 for ¥10".
const maxDealUnits = 12

func (w Window) validate() error {
	switch {
	case !w.From.IsZero() && !w.To.IsZero() && !w.To.After(w.From):
		return fmt.Errorf("the window ends (%s) before or when it starts (%s)", w.To.Format(time.DateTime), w.From.Format(time.DateTime))
	case w.StartMinute < 0 || w.StartMinute >= minutesPerDay:
		return fmt.Errorf("the start minute %d is outside 0..1439", w.StartMinute)
	case w.EndMinute < 0 || w.EndMinute > minutesPerDay:
		return fmt.Errorf("the end minute %d is outside 0..1440", w.EndMinute)
	case w.Days >= 1<<7:
		return fmt.Errorf("the day mask %#x has bits beyond Saturday", w.Days)
	}
	return nil
}

// LowestUnitPrice returns the least one unit of a product at unitPrice can sell for under the rule, for
// warning an owner who saves a deal that sells below cost. Multi-unit deals are judged with every unit of
// the deal at unitPrice (then each unit's share is the same); a bundle's with every group's unit at
// unitPrice, since its other groups' prices are not known here. A basket rule is judged at the spend of
// its steepest tier, where its saving is the largest share of what is spent.
func (r Rule) LowestUnitPrice(unitPrice int64) int64 {
	if unitPrice <= 0 {
		return unitPrice
	}
	var low int64
	switch r.Kind {
	case PercentOff:
		low = unitPrice - percentOf(unitPrice, r.PercentBP)
	case AmountOff:
		low = unitPrice - r.Amount
	case MemberPrice:
		low = r.Price
	case FixedPrice:
		low = r.Price / max(r.Qty, 1) // the largest-remainder share of a unit is at least the floor
	case Bundle:
		low = r.Price / max(int64(len(r.Groups)), 1)
	case BuyGet:
		n := r.Qty + r.Free
		if n < 1 {
			return unitPrice
		}
		low = (n*unitPrice - r.Free*percentOf(unitPrice, r.PercentBP)) / n
	case BasketSpend:
		low = unitPrice
		for _, t := range r.Tiers {
			if t.Threshold > 0 {
				low = min(low, mulDiv(unitPrice, t.Threshold-t.Off, t.Threshold, false))
			}
		}
	default:
		return unitPrice
	}
	return max(0, min(low, unitPrice))
}
