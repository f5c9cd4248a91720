// Package promo picks the promotions that save a shopper the most, and says how much each saves on each
// line. It is pure: the rules and the basket come in, the savings go out, in int64 minor units.
//
// # When a rule applies
//
// Only inside its Window, read on the clock of Context.Now (its Location): From ≤ now < To, on a day whose
// bit is in Days, in [StartMinute, EndMinute) of the wall-clock day. A window that wraps midnight belongs
// to the day it starts on (Friday 22:00–02:00 is open at 01:00 on Saturday). On a DST night the wall clock
// is what counts: a 01:00–03:00 window loses the skipped hour and has the repeated one twice.
// A rule with a Coupon applies only when that code is among Context.Coupons; a coupon unlocks its rules for
// the basket, and presenting one code twice unlocks nothing more. A MemberPrice rule needs a member (of its
// MemberTier when one is set).
//
// # Item deals
//
// A piece line of Qty pieces is Qty units at UnitPrice. Each unit takes at most one item deal:
//   - PercentOff: round-half-even(price × PercentBP / 10000) off the unit.
//   - AmountOff: Amount off the unit, at most its price.
//   - MemberPrice: the unit at Price when that is below its price.
//   - FixedPrice: Qty units of the target, any mix, for Price; saves their prices' sum less Price.
//   - BuyGet: Qty+Free units of the target; the Free cheapest of them take PercentBP off (each rounded
//     half to even).
//   - Bundle: one unit from each group (a unit counts for one group only) for Price.
//
// Each deal may be applied as often as the basket allows, and an application that saves nothing is never
// chosen. A weighed line is one unit, its Gross, and takes only PercentOff (of Gross) and MemberPrice, whose
// Price is then per kilogram: the line saves Gross − round-half-even(Price × Grams / 1000), and takes no
// member price when Grams is unknown (0). A NoItemDeals line takes no item deal at all.
//
// # Basket rules
//
// After item deals at most one BasketSpend rule applies: on the spend left after item deals over every
// line (NoItemDeals lines included), each rule's highest tier met counts and the rule saving the most wins.
//
// # The choice
//
// Price maximises item savings plus the basket saving. Only rules indexed under the basket's products
// and categories (and those taking every item) are read. Lines that no multi-unit deal can take take
// their best per-unit deal. Multi-unit deals that share lines form a component; components are
// independent, and each is searched unit by unit, dearest first, memoised on a few counters per deal (see
// component): exact, and polynomial in the units, but exponential in the deals one component holds, so
// a component holds at most five (maxComponentDeals): a sixth deal sharing its lines is left out of that
// basket, the deals first in rule order staying; and a line of more than 100 pieces (maxDealLineUnits)
// takes only per-unit deals, so a bulk quantity cannot stall a scan. Ties go to the lower rule ID and to per-unit deals.
//
// When the best item deals drop the spend below a tier that would be worth more, Price looks for the least
// amount the item deals can give up that meets the tier: a subset sum over what each unit and component
// can give up (a unit may take a smaller deal, or none), bounded by the tier's saving. There the grouping
// of units into applications matters, and every application must save on its own, so each component is
// enumerated by its applications. That is exact for components of up to 4,096 states (counts left per
// line, per deal; fewer when the sets are wide), which every basket the tests brute-force is. A larger
// component enters the check as its best choice, where any application may be dropped (its units going
// back to their best per-unit deals) and any other unit may take a smaller deal or none; other groupings
// are not tried there, so a better answer that needs one can be missed. A give-up is looked for only
// below 1,048,576 minor units.
//
// # Who saves what
//
// A per-unit deal saves on its own line. Each application of a multi-unit deal has its saving
// split over the lines whose units it took in proportion to their units' gross, the basket's over every
// line in proportion to what it costs after item deals; both by largest remainder (ties to the earlier
// line), so the parts sum exactly to the saving and no line saves more than its Gross. A refund can give
// back each line's savings as they are.
package promo
