package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"checkout/app/money"
)

// DaySummary is what the till took in a period [From, To): the owner's daily dashboard and the body of
// X and Z reports. Every sum is in minor units of Currency; nothing here is a float.
type DaySummary struct {
	From, To time.Time
	Currency money.Currency

	Sales     int64        // completed sales
	Revenue   money.Amount // the sales' totals, tax included, before cash rounding
	Items     int64        // pieces sold, plus one per weighed line (Totals.ItemCount)
	Discounts money.Amount
	Tax       money.Amount
	Rounding  money.Amount // cash rounding: what cash tenders paid beyond (or short of) the totals
	TaxByRate []RateTax    // lowest rate first

	Tenders []TenderTotal // what each kind of tender paid of the sales, by kind

	Refunds       int64
	RefundTotal   money.Amount  // what left the till, all kinds
	RefundsByKind []TenderTotal // by the kind the money went back to

	Voids int64 // sales abandoned before payment (journal kind "void")

	TopUps       int64        // prepaid top-ups sold
	TopUpTotal   money.Amount // what the shoppers paid for them (bonus value excluded)
	TopUpsByKind []TenderTotal

	ByHour      [24]HourTotal // by the local hour of From's location
	ByDay       []DayTotal    // each local day of [From, To), days without sales included
	ByCategory  []CategoryTotal
	TopProducts []ProductTotal // at most TopProductsLimit, by revenue

	// CostedRevenue is the revenue, tax excluded, of the lines whose product had a cost when sold; Cost is
	// what those lines cost the shop at that cost (rounded half up per line).
	CostedRevenue, Cost money.Amount

	MemberSales   int64        // sales with a member on them
	MemberRevenue money.Amount // their totals

	// ByCashier is each cashier's sales, refunds, voids, no-sales, discounts and approvals, by name
	// (SortCashiers); "" is what was done before users existed.
	ByCashier []CashierTotal

	// Drawer reconciles the cash of the shifts closed in the period (and the one open at its end): filled
	// in by X and Z reports only.
	Drawer Drawer
}

// TopProductsLimit is how many products a summary ranks.
const TopProductsLimit = 10

// RateTax is the tax collected at one rate.
type RateTax struct {
	RateBP int64 // basis points: 1300 = 13%
	Tax    money.Amount
}

// TenderTotal is how many payments of one kind there were and what they came to.
type TenderTotal struct {
	Kind   TenderKind
	Count  int64
	Amount money.Amount
}

// HourTotal is the sales completed in one hour of the day.
type HourTotal struct {
	Sales   int64
	Revenue money.Amount
}

// DayTotal is the sales completed on one local day.
type DayTotal struct {
	Day time.Time // its midnight
	HourTotal
}

// CategoryTotal is the revenue of one product category (the product's category now, not when sold).
type CategoryTotal struct {
	Category   string
	CategoryZH string // its Chinese name, may be empty
	Qty        Quantity
	Revenue    money.Amount
}

// ProductTotal is how much of a product sold and what it brought in.
type ProductTotal struct {
	ProductID int64
	SKU       string
	Name      string
	NameZH    string // may be empty
	Unit      Unit
	PriceUnit PriceUnit // as the catalog prices it now: the quantity is shown in its unit (Product.SoldIn)
	Qty       Quantity
	Revenue   money.Amount
}

// NewDaySummary returns an empty summary of [from, to) in c, every amount zero in c.
func NewDaySummary(from, to time.Time, c money.Currency) DaySummary {
	z := money.Zero(c)
	s := DaySummary{From: from, To: to, Currency: c, Revenue: z, Discounts: z, Tax: z, Rounding: z, RefundTotal: z,
		TopUpTotal: z, MemberRevenue: z, CostedRevenue: z, Cost: z}
	for h := range s.ByHour {
		s.ByHour[h].Revenue = z
	}
	first, _ := DayBounds(from) // an X report starts at the last Z report's time, not at midnight
	for d := first; d.Before(to) && len(s.ByDay) < maxDays; d = d.AddDate(0, 0, 1) {
		s.ByDay = append(s.ByDay, DayTotal{Day: d, HourTotal: HourTotal{Revenue: z}})
	}
	return s
}

// calendarDays is how many calendar days from's date is before to's, counted by dates, not hours: a
// daylight-saving day is 23 or 25 hours long.
func calendarDays(from, to time.Time) int {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	return int(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC).Sub(time.Date(fy, fm, fd, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
}

// maxDays bounds ByDay: a period longer than a year is not charted by day.
const maxDays = 400

// Day returns the ByDay entry of the local day holding t; nil when t is outside the period.
func (s *DaySummary) Day(t time.Time) *DayTotal {
	t = t.In(s.From.Location())
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	if len(s.ByDay) == 0 {
		return nil
	}
	i := calendarDays(s.ByDay[0].Day, day)
	if i < 0 || i >= len(s.ByDay) || !s.ByDay[i].Day.Equal(day) {
		return nil
	}
	return &s.ByDay[i]
}

// Margin is the costed revenue less its cost, and its share of the costed revenue in basis points;
// known is false when no line sold had a cost.
func (s DaySummary) Margin() (margin money.Amount, bp int64, known bool) {
	if s.CostedRevenue.IsZero() && s.Cost.IsZero() {
		return money.Zero(s.Currency), 0, false
	}
	m := s.CostedRevenue.Sub(s.Cost)
	return m, ShareBP(m.Minor(), s.CostedRevenue.Minor()), true
}

// AverageBasket returns Revenue / Sales rounded half to even; zero when there were no sales.
func (s DaySummary) AverageBasket() money.Amount {
	if s.Sales == 0 {
		return money.Zero(s.Currency)
	}
	avg, _ := money.MulDiv(s.Revenue.Minor(), 1, s.Sales) // cannot overflow: the quotient is below Revenue
	return money.New(avg, s.Currency)
}

// ItemsPerBasket returns Items / Sales in hundredths (350 = 3.50 items), rounded half to even.
func (s DaySummary) ItemsPerBasket() int64 { return ratio(s.Items, 100, s.Sales) }

// MemberShareBP returns the share of sales that had a member on them, in basis points (2500 = 25%).
func (s DaySummary) MemberShareBP() int64 { return ratio(s.MemberSales, 10_000, s.Sales) }

// MemberRevenueShareBP returns the members' share of revenue in basis points.
func (s DaySummary) MemberRevenueShareBP() int64 {
	return ratio(s.MemberRevenue.Minor(), 10_000, s.Revenue.Minor())
}

// ShareBP is part's share of whole in basis points (1250 = 12.50%), rounded half to even; 0 when whole is 0.
func ShareBP(part, whole int64) int64 { return ratio(part, 10_000, whole) }

// ratio returns x*scale/of rounded half to even, 0 when of is 0.
func ratio(x, scale, of int64) int64 {
	r, ok := money.MulDiv(x, scale, of)
	if !ok {
		return 0
	}
	return r
}

// Tender returns the total of one tender kind (zero with Count 0 when none was taken).
func (s DaySummary) Tender(kind TenderKind) TenderTotal {
	return findTender(s.Tenders, kind, s.Currency)
}

// RefundsTo returns the refunds that went back to one kind of tender.
func (s DaySummary) RefundsTo(kind TenderKind) TenderTotal {
	return findTender(s.RefundsByKind, kind, s.Currency)
}

func findTender(ts []TenderTotal, kind TenderKind, c money.Currency) TenderTotal {
	for _, t := range ts {
		if t.Kind == kind {
			return t
		}
	}
	return TenderTotal{Kind: kind, Amount: money.Zero(c)}
}

// CashExpected returns the cash the period put in the drawer: what cash tenders paid of sales (a cash
// tender's Amount already leaves out the change handed back), plus cash top-ups, less cash refunds. The
// opening float is not in it: it comes with shifts.
func (s DaySummary) CashExpected() money.Amount {
	cash := s.Tender(TenderCash).Amount
	cash = cash.Add(findTender(s.TopUpsByKind, TenderCash, s.Currency).Amount)
	return cash.Sub(s.RefundsTo(TenderCash).Amount)
}

// NetRevenue returns Revenue less what refunds gave back.
func (s DaySummary) NetRevenue() money.Amount { return s.Revenue.Sub(s.RefundTotal) }

// ComparedPeriod returns the period a report of [from, to) is set against: seven days earlier for a day
// or a week (the same weekdays), the month before for anything longer. Calendar arithmetic in from's
// location, so a period across a daylight-saving change still starts at midnight.
func ComparedPeriod(from, to time.Time) (time.Time, time.Time) {
	if to.Sub(from) <= 8*24*time.Hour {
		return from.AddDate(0, 0, -7), to.AddDate(0, 0, -7)
	}
	return from.AddDate(0, -1, 0), to.AddDate(0, -1, 0)
}

// SameMomentIn is the moment of the compared period [cfrom, cto) that matches now in the period starting
// at from: as many calendar days in, at the same clock time (so a daylight-saving change or a shorter
// month does not shift it), and never past cto (the 31st of March matches the end of February).
func SameMomentIn(from, now, cfrom, cto time.Time) time.Time {
	now = now.In(from.Location())
	day := cfrom.AddDate(0, 0, calendarDays(from, now))
	y, m, d := day.Date()
	at := time.Date(y, m, d, now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), cfrom.Location())
	if at.After(cto) {
		return cto
	}
	return at
}

// Period is how much of the calendar the owner's page shows.
type Period int

const (
	PeriodDay   Period = iota
	PeriodWeek         // Monday to Sunday, as weeks run in China and under ISO 8601
	PeriodMonth        // a calendar month
)

// Bounds returns the period holding t: from its first midnight to the next period's, in t's location.
func (p Period) Bounds(t time.Time) (time.Time, time.Time) {
	from, _ := DayBounds(t)
	switch p {
	case PeriodWeek:
		from = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7))
	case PeriodMonth:
		from = from.AddDate(0, 0, 1-from.Day())
	}
	return from, p.Step(from, 1)
}

// Step returns the first midnight of the period n periods after the one starting at from.
func (p Period) Step(from time.Time, n int) time.Time {
	switch p {
	case PeriodWeek:
		return from.AddDate(0, 0, 7*n)
	case PeriodMonth:
		return from.AddDate(0, n, 0)
	}
	return from.AddDate(0, 0, n)
}

// DayPage is the owner's page of a period (a day, a week, a month): its summary, the compared period's
// (ComparedPeriod) and the period's anomalies.
type DayPage struct {
	Day, Compared DaySummary
	// ComparedSoFar is, while the period is under way, the compared period up to the same point: what
	// the headline figures are set against, so that a morning is not set against a whole day. Nil once
	// the period is over.
	ComparedSoFar *DaySummary
	Anomalies     []Anomaly
	Alarms        []Alarm // what the guard stopped in the period
}

// DayFigures is what ReadDayPage reads from.
type DayFigures interface {
	DaySummary(ctx context.Context, from, to time.Time) (DaySummary, error)
	CashierBook
	// Alarms are the actions the guard stopped in [from, to), with who approved them.
	Alarms(ctx context.Context, from, to time.Time) ([]Alarm, error)
}

// ReadDayPage reads the page of [from, to) at now: its reads (the period, the compared period, the
// cashiers' usual rates, and while the period is under way the compared period so far) run at once, each
// on a reader connection of its own; one after another they took 70–100 ms over a year of sales.
func ReadDayPage(ctx context.Context, book DayFigures, from, to, now time.Time) (DayPage, error) {
	var page DayPage
	var usual []CashierTotal
	lastFrom, lastTo := ComparedPeriod(from, to)
	baseFrom, baseTo := BaselinePeriod(from)
	errs := make([]error, 5)
	var wg sync.WaitGroup
	wg.Go(func() { page.Day, errs[0] = book.DaySummary(ctx, from, to) })
	wg.Go(func() { page.Alarms, errs[4] = book.Alarms(ctx, from, to) })
	wg.Go(func() { page.Compared, errs[1] = book.DaySummary(ctx, lastFrom, lastTo) })
	wg.Go(func() { usual, errs[2] = book.CashierTotals(ctx, baseFrom, baseTo) })
	if now.After(from) && now.Before(to) {
		wg.Go(func() {
			sofar, err := book.DaySummary(ctx, lastFrom, SameMomentIn(from, now, lastFrom, lastTo))
			page.ComparedSoFar, errs[3] = &sofar, err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return DayPage{}, err
	}
	page.Anomalies = FindAnomalies(page.Day.ByCashier, usual)
	return page, nil
}

// DayBounds returns the local day holding t: [midnight, next midnight) in t's location.
func DayBounds(t time.Time) (time.Time, time.Time) {
	y, m, d := t.Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, t.Location())
	return from, from.AddDate(0, 0, 1)
}

// Change compares a figure with the one it is measured against.
type Change struct {
	Now, Then int64
	Delta     int64 // Now − Then
	// PercentBP is Delta / Then in basis points (1250 = +12.50%), rounded half to even; valid only when
	// HasPercent (Then is not zero).
	PercentBP  int64
	HasPercent bool
}

// NewChange compares now with then.
func NewChange(now, then int64) Change {
	c := Change{Now: now, Then: then, Delta: now - then}
	if then != 0 { // against its size: a margin can be below zero
		c.PercentBP, c.HasPercent = money.MulDiv(c.Delta, 10_000, max(then, -then))
	}
	return c
}

// Comparison sets a summary's headline figures against another period's (ComparedPeriod).
type Comparison struct {
	Revenue, Sales, AverageBasket, Refunds, Margin Change
}

// Compare compares s with earlier.
func (s DaySummary) Compare(earlier DaySummary) Comparison {
	return Comparison{
		Revenue:       NewChange(s.Revenue.Minor(), earlier.Revenue.Minor()),
		Sales:         NewChange(s.Sales, earlier.Sales),
		AverageBasket: NewChange(s.AverageBasket().Minor(), earlier.AverageBasket().Minor()),
		Refunds:       NewChange(s.RefundTotal.Minor(), earlier.RefundTotal.Minor()),
		Margin:        NewChange(margin(s), margin(earlier)),
	}
}

// margin is s's margin in minor units (DaySummary.Margin), 0 when no line had a cost.
func margin(s DaySummary) int64 {
	m, _, _ := s.Margin()
	return m.Minor()
}

// ZReport closes the till's day: the summary of everything since the previous Z report, stored once and
// never changed. Its number runs per till.
type ZReport struct {
	ID      string // UUID, the outbox's idempotency key
	Till    string
	Number  int64  // 1, 2, … per till
	No      string // "T01-Z0001"
	At      time.Time
	User    string
	Summary DaySummary // From is the previous Z's To (or the first recorded sale); To is At
	// Head is the journal's head at the Z report: its own journal row. Printed, it anchors the journal on
	// paper.
	Head ChainHead
}

// ChainHead names one row of the till's journal: its sequence number and its hash (Seq 0: the journal
// is empty). A journal rewritten or cut short after it no longer has that row with that hash.
type ChainHead struct {
	Seq  int64
	Hash string
}

// NewChainHead is the row seq with its hex hash.
func NewChainHead(seq int64, hash string) ChainHead { return ChainHead{Seq: seq, Hash: hash} }

// String formats the head as printed, with the first 16 hex digits of the hash: "1234 · 0123456789abcdef".
func (h ChainHead) String() string {
	return fmt.Sprintf("%d · %s", h.Seq, h.Hash[:min(16, len(h.Hash))])
}

// ZNo formats a till's Z report number n as printed: "T01-Z0001".
func ZNo(till string, n int64) string { return fmt.Sprintf("%s-Z%04d", till, n) }

// ErrZBeforePrevious is returned for a Z report that would end before the previous one did.
var ErrZBeforePrevious = &Error{"z_before_previous", "a Z report cannot end before the previous one"}

// CheckPeriod refuses an empty or inverted period.
func CheckPeriod(from, to time.Time) error {
	if !from.Before(to) {
		return errors.New("the period must end after it starts")
	}
	return nil
}

// SoldLine is one line of a stored sale as the sales export writes it.
type SoldLine struct {
	ReceiptNo string
	At        time.Time
	SKU       string
	Name      string
	Unit      Unit
	PriceUnit PriceUnit // what UnitPrice was for when not the unit: jin, 100g
	Qty       Quantity
	UnitPrice money.Amount
	Total     money.Amount
	Tax       money.Amount
	Tenders   string // the sale's tender kinds in payment order, joined by "+": "cash", "prepaid+card"
}

// ReportBook is where the figures come from; the store implements it.
type ReportBook interface {
	DaySummary(ctx context.Context, from, to time.Time) (DaySummary, error)
	// XReport sums up everything since the last Z report; CloseDay stores the next Z report.
	XReport(ctx context.Context, at time.Time) (DaySummary, error)
	CloseDay(ctx context.Context, at time.Time, user string) (*ZReport, error)
	CashierBook
	Alarms(ctx context.Context, from, to time.Time) ([]Alarm, error)
}

// GuardedReports hands the figures only to a session with PermReports, and closes the day in the
// signed-in user's name. A supervisor's approval of reports for a cashier lasts until they sign out
// (see Session.Allow): the day page reads several periods to show one day.
type GuardedReports struct {
	Book    ReportBook
	Session func() *Session
}

// DaySummary sums up [from, to).
func (g GuardedReports) DaySummary(ctx context.Context, from, to time.Time) (DaySummary, error) {
	if _, err := g.Session().Allow(PermReports); err != nil {
		return DaySummary{}, err
	}
	return g.Book.DaySummary(ctx, from, to)
}

// CashierTotals returns each cashier's figures for [from, to).
func (g GuardedReports) CashierTotals(ctx context.Context, from, to time.Time) ([]CashierTotal, error) {
	if _, err := g.Session().Allow(PermReports); err != nil {
		return nil, err
	}
	return g.Book.CashierTotals(ctx, from, to)
}

// DayPage reads the day page of [from, to) (see ReadDayPage).
func (g GuardedReports) DayPage(ctx context.Context, from, to time.Time) (DayPage, error) {
	if _, err := g.Session().Allow(PermReports); err != nil {
		return DayPage{}, err
	}
	return ReadDayPage(ctx, g.Book, from, to, time.Now())
}

// Anomalies lists the cashiers doing something much more often than usual in sum's period (see
// FindAnomalies).
func (g GuardedReports) Anomalies(ctx context.Context, sum DaySummary) ([]Anomaly, error) {
	return Anomalies(ctx, g, sum)
}

// XReport sums up everything since the last Z report.
func (g GuardedReports) XReport(ctx context.Context, at time.Time) (DaySummary, error) {
	if _, err := g.Session().Allow(PermReports); err != nil {
		return DaySummary{}, err
	}
	return g.Book.XReport(ctx, at)
}

// CloseDay stores the next Z report under the signed-in user's name (user is ignored).
func (g GuardedReports) CloseDay(ctx context.Context, at time.Time, _ string) (*ZReport, error) {
	s := g.Session()
	if _, err := s.Allow(PermReports); err != nil {
		return nil, err
	}
	return g.Book.CloseDay(ctx, at, s.Name())
}
