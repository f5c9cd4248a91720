package document

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"checkout/app/money"
)

// Bounds of what a document may claim: far beyond any real shop, far within what sums of them can hold.
const (
	MaxAmount = 100_000_000_000 // minor units: a billion yuan
	MaxPoints = 1_000_000_000
	MaxQty    = 100_000_000 // thousandths: 100,000 pieces or 100 tonnes, as a till's line allows
	MaxLines  = 10_000
	MaxText   = 200 // runes of a name, a reason, a reference
	// MaxRounding bounds a sale's cash rounding: less than the largest cash step, ¥1.00.
	MaxRounding = 100
)

// ErrInvalid is what every check failure wraps: the document does not add up or is malformed.
var ErrInvalid = errors.New("invalid document")

// Check reads body as a document of kind and checks that it is well formed and adds up: amounts in range
// and of the right sign, lines summing to the totals, tax per line as the documented rule gives it,
// tenders covering the total with change only from cash, a shift's drawer arithmetic. It returns the
// parsed document (*Sale, *Refund, *TopUp, *Stock, *ShiftOpen, *CashMove, *ShiftClose or *ZReport), or an
// error wrapping ErrInvalid that says what is wrong. It knows nothing of other documents: the head
// office checks what needs them (a refund's sale, a member's balance).
func Check(kind string, body []byte) (any, error) {
	var c checker
	var doc any
	switch kind {
	case KindSale:
		doc = c.sale(decode[Sale](&c, body))
	case KindRefund:
		doc = c.refund(decode[Refund](&c, body))
	case KindTopUp:
		doc = c.topUp(decode[TopUp](&c, body))
	case KindStock:
		doc = c.stock(decode[Stock](&c, body))
	case KindShiftOpen:
		doc = c.shiftOpen(decode[ShiftOpen](&c, body))
	case KindCashIn, KindCashOut:
		doc = c.cashMove(decode[CashMove](&c, body))
	case KindShiftClose:
		doc = c.shiftClose(decode[ShiftClose](&c, body))
	case KindZReport:
		doc = c.zReport(decode[ZReport](&c, body))
	case KindAlarm:
		doc = c.alarm(decode[Alarm](&c, body))
	default:
		return nil, fmt.Errorf("%w: unknown kind %q", ErrInvalid, kind)
	}
	if c.err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, kind, c.err)
	}
	return doc, nil
}

// checker keeps the first problem found; every check after it does nothing.
type checker struct {
	err error
	cur money.Currency
}

// maxPromotionsPerLine bounds a line's promotions: a line takes an item deal and a basket's share.
const maxPromotionsPerLine = 8

// MaxCoupons bounds the coupons of one sale, and MaxCoupon a coupon code (app.CheckPromotion's bound).
const (
	MaxCoupons = 20
	MaxCoupon  = 64
)

// CouponOK reports whether code may be a coupon code, on a promotion or a sale: 1 to MaxCoupon printable
// ASCII characters without spaces (it is scanned: a barcode's or a QR code's worth).
func CouponOK(code string) bool {
	ok := code != "" && len(code) <= MaxCoupon
	for j := 0; ok && j < len(code); j++ {
		ok = code[j] > ' ' && code[j] < 0x7f
	}
	return ok
}

// coupons refuses more than MaxCoupons codes, one twice, and a code CouponOK refuses.
func (c *checker) coupons(codes []string) {
	if len(codes) > MaxCoupons {
		c.fail("%d coupons, more than %d", len(codes), MaxCoupons)
		return
	}
	seen := make(map[string]bool, len(codes))
	for i, code := range codes {
		switch {
		case !CouponOK(code):
			c.fail("coupon %d %.80q: 1 to %d printable ASCII characters without spaces", i+1, code, MaxCoupon)
			return
		case seen[code]:
			c.fail("coupon %q twice", code)
			return
		}
		seen[code] = true
	}
}

func (c *checker) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

func (c *checker) ok() bool { return c.err == nil }

func decode[T any](c *checker, body []byte) *T {
	doc := new(T)
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(doc); err != nil {
		c.fail("malformed: %v", err)
		return nil
	}
	if dec.More() {
		c.fail("malformed: data after the document")
	}
	return doc
}

var (
	uuidPattern    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	tillPattern    = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)
	receiptPattern = regexp.MustCompile(`^[A-Z0-9]{1,8}-[0-9]{6,}$`)
	skuPattern     = regexp.MustCompile(`^\S.{0,63}$`)
	sha256Pattern  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func (c *checker) id(field, v string) {
	if !uuidPattern.MatchString(v) {
		c.fail("%s %q is not a lower-case UUID", field, v)
	}
}

// IsControl reports the characters no text may hold, on the till or in a document: C0 (NUL, tab, LF, CR,
// ESC …), DEL and C1; the line and paragraph separators (U+2028, U+2029); and the bidirectional
// embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069), which reorder what the cashier, the
// receipt and the head office's pages show ("Pen \u202egpj.exe").
func IsControl(r rune) bool {
	return r < ' ' || (r >= 0x7f && r < 0xa0) || (r >= 0x2028 && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// text refuses control characters, invalid UTF-8 and more than MaxText runes.
func (c *checker) text(field, v string) {
	switch {
	case !utf8.ValidString(v):
		c.fail("%s is not UTF-8", field)
	case utf8.RuneCountInString(v) > MaxText:
		c.fail("%s is over %d characters", field, MaxText)
	case strings.IndexFunc(v, IsControl) >= 0:
		c.fail("%s has a control character", field)
	}
}

func (c *checker) till(v string) {
	if !tillPattern.MatchString(v) {
		c.fail("till %q: 1 to 8 capital letters or digits", v)
	}
}

// receipt checks a receipt number of till with its marker ("", "R", "P", "Z") and number, when number > 0.
func (c *checker) receipt(field, v, till, marker string, number int64) {
	want := fmt.Sprintf("%s-%s%06d", till, marker, number)
	if marker == "Z" {
		want = fmt.Sprintf("%s-Z%04d", till, number)
	}
	switch {
	case number > 0 && v != want:
		c.fail("%s %q is not %s", field, v, want)
	case number <= 0 && !strings.HasPrefix(v, till+"-"):
		c.fail("%s %q is not one of till %s", field, v, till)
	}
}

// numbered checks a numbered document's ID, till, number and receipt number (marker "" for a sale, "R",
// "Z": see receipt).
func (c *checker) numbered(id, till string, number int64, field, receipt, marker string) {
	c.id("id", id)
	c.till(till)
	if number <= 0 {
		c.fail("number %d", number)
	}
	c.receipt(field, receipt, till, marker, number)
}

// period checks two times of a document, the second not before the first.
func (c *checker) period(startField, start, endField, end, backwards string) {
	from, to := c.time(startField, start), c.time(endField, end)
	if c.ok() && to.Before(from) {
		c.fail("%s", backwards)
	}
}

func (c *checker) time(field, v string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		c.fail("%s %q is not a time", field, v)
	}
	return t
}

func (c *checker) currency(code string) {
	cur, err := money.Lookup(code)
	if err != nil || cur.Code != code {
		c.fail("currency %q", code)
		return
	}
	c.cur = cur
}

// amount parses v in the document's currency, to its exact digits, within ±MaxAmount.
func (c *checker) amount(field, v string) int64 {
	if !c.ok() {
		return 0
	}
	a, err := money.Parse(v, c.cur)
	switch {
	case err != nil || a.Decimal() != v:
		c.fail("%s %q is not an amount in %s", field, v, c.cur.Code)
	case a.Minor() > MaxAmount || a.Minor() < -MaxAmount:
		c.fail("%s %s is out of range", field, v)
	}
	return a.Minor()
}

// nonNegative parses an amount that cannot be below zero.
func (c *checker) nonNegative(field, v string) int64 {
	a := c.amount(field, v)
	if a < 0 {
		c.fail("%s %s is below zero", field, v)
	}
	return a
}

func (c *checker) equal(field string, got, want int64) {
	if got != want {
		c.fail("%s is %s, its parts make %s", field, money.New(got, c.cur).Decimal(), money.New(want, c.cur).Decimal())
	}
}

func (c *checker) points(field string, v int64, sign int) {
	switch {
	case v > MaxPoints || v < -MaxPoints:
		c.fail("%s %d is out of range", field, v)
	case sign > 0 && v < 0, sign < 0 && v > 0:
		c.fail("%s %d has the wrong sign", field, v)
	}
}

// MemberNumberOK reports whether n is a member number as the tills write it: normalised (upper case, no
// spaces), at most 32 bytes of UTF-8 with no control characters.
func MemberNumberOK(n string) bool {
	return n != "" && n == strings.ToUpper(n) && len(n) <= 32 && utf8.ValidString(n) &&
		!strings.ContainsFunc(n, func(r rune) bool { return unicode.IsSpace(r) || IsControl(r) })
}

func (c *checker) member(m *Member, earnedSign int) {
	if m == nil {
		return
	}
	if !MemberNumberOK(m.Number) {
		c.fail("member number %q is not normalised", m.Number)
	}
	c.text("member number", m.Number)
	c.points("points_earned", m.PointsEarned, earnedSign)
	c.points("points_redeemed", m.PointsRedeemed, 1)
}

// priceUnit checks what a line's price is for: "" (its unit), or for a weighed line "jin" (500 g) or
// "100g", app.PriceUnit's values. Anything else is refused: a reader that took an unknown unit as per
// kilogram would price the line wrong.
func (c *checker) priceUnit(field, per, unit string) {
	switch {
	case per == "":
	case per != "jin" && per != "100g":
		c.fail("%s price_unit %q", field, per)
	case unit != "kg":
		c.fail("%s price_unit %q of a %s", field, per, unit)
	}
}

// qty reads a line's quantity as the cashier reads it: whole pieces, or kilograms to the gram.
func (c *checker) qty(v, unit string) int64 { return c.quantity("quantity", v, unit, 1) }

// quantity reads v as the cashier reads it (whole pieces, or kilograms to the gram, written as
// money.FormatFixed writes them) into thousandths: at least least, and within MaxQty either way. The
// range is checked before pieces become thousandths, so no count of pieces overflows into range.
func (c *checker) quantity(field, v, unit string, least int64) int64 {
	digits, scale := 0, int64(1000)
	if unit == "kg" {
		digits, scale = 3, 1
	} else if unit != "piece" {
		c.fail("unit %q", unit)
		return 0
	}
	n, err := money.ParseFixed(v, digits)
	if err != nil || money.FormatFixed(n, digits) != v {
		c.fail("%s %q of a %s", field, v, unit)
		return 0
	}
	if n > MaxQty/scale || n < -MaxQty/scale {
		c.fail("%s %s is out of range", field, v)
		return 0
	}
	if n *= scale; n < least {
		c.fail("%s %q of a %s", field, v, unit)
		return 0
	}
	return n
}

// lineTax is the documented rule: tax per line, half to even; inclusive total × r / (1 + r), exclusive
// total × r.
func lineTax(total, rateBP int64, inclusive bool) int64 {
	den := int64(10_000)
	if inclusive {
		den += rateBP
	}
	num := new(big.Int).Mul(big.NewInt(total), big.NewInt(rateBP))
	q, r := new(big.Int).QuoRem(num, big.NewInt(den), new(big.Int))
	switch new(big.Int).Lsh(r.Abs(r), 1).Cmp(big.NewInt(den)) {
	case 1:
		q.Add(q, big.NewInt(int64(num.Sign())))
	case 0:
		if q.Bit(0) == 1 {
			q.Add(q, big.NewInt(int64(num.Sign())))
		}
	}
	return q.Int64()
}

var tenderKinds = map[string]bool{"cash": true, "card": true, "qr": true, "wallet": true, "prepaid": true, "points": true}

func (c *checker) tender(t Tender, field string) (amount, change int64) {
	if !tenderKinds[t.Kind] {
		c.fail("%s kind %q", field, t.Kind)
	}
	amount = c.amount(field+" amount", t.Amount)
	tendered, change := c.amount(field+" tendered", t.Tendered), c.amount(field+" change", t.Change)
	switch {
	case !c.ok():
	case amount < 0 || tendered < 0 || change < 0:
		c.fail("%s %s of %s is below zero", field, t.Kind, t.Amount)
	case change != tendered-amount:
		c.fail("%s change %s is not %s tendered less %s", field, t.Change, t.Tendered, t.Amount)
	case t.Kind != "cash" && change != 0:
		c.fail("%s: only cash has change, not %s", field, t.Kind)
	}
	for name, v := range map[string]string{"reference": t.Reference, "approval": t.Approval, "card_last4": t.CardLast4, "wallet": t.Wallet} {
		c.text(field+" "+name, v)
	}
	if t.CardLast4 != "" && (len(t.CardLast4) != 4 || strings.Trim(t.CardLast4, "0123456789") != "") {
		c.fail("%s card_last4 %q: four digits, never more of the card number", field, t.CardLast4)
	}
	return amount, change
}

func (c *checker) sale(s *Sale) *Sale {
	if s == nil {
		return nil
	}
	c.signature(s.SignatureSHA256)
	c.numbered(s.ID, s.Till, s.Number, "receipt_no", s.ReceiptNo, "")
	c.period("opened_at", s.OpenedAt, "completed_at", s.CompletedAt, "completed before it was opened")
	c.currency(s.Currency)
	if s.TaxMode != "inclusive" && s.TaxMode != "exclusive" {
		c.fail("tax_mode %q", s.TaxMode)
	}
	c.text("cashier", s.Cashier)
	c.coupons(s.Coupons)
	if len(s.Lines) == 0 || len(s.Lines) > MaxLines {
		c.fail("%d lines", len(s.Lines))
	}
	var sub, disc, tax int64
	for i, l := range s.Lines {
		field := fmt.Sprintf("line %d", i+1)
		c.text(field+" sku", l.SKU)
		c.text(field+" name", l.Name)
		c.text(field+" name_zh", l.NameZH)
		c.text(field+" tax_class", l.TaxClass)
		c.qty(l.Qty, l.Unit)
		c.priceUnit(field, l.PriceUnit, l.Unit)
		c.nonNegative(field+" unit_price", l.UnitPrice)
		gross, off := c.nonNegative(field+" gross", l.Gross), c.nonNegative(field+" discount", l.Discount)
		total, lt := c.nonNegative(field+" total", l.Total), c.nonNegative(field+" tax", l.Tax)
		var promoted int64
		for j, p := range l.Promotions {
			pf := fmt.Sprintf("%s promotion %d", field, j+1)
			c.text(pf+" name", p.Name)
			c.text(pf+" name_zh", p.NameZH)
			if p.Rule <= 0 {
				c.fail("%s rule %d", pf, p.Rule)
			}
			promoted += c.nonNegative(pf+" amount", p.Amount)
		}
		switch {
		case !c.ok():
		case len(l.Promotions) > maxPromotionsPerLine:
			c.fail("%s has %d promotions", field, len(l.Promotions))
		case promoted > off:
			c.fail("%s promotions save %s, more than its discount %s", field, money.New(promoted, c.cur).Decimal(), l.Discount)
		case off > gross:
			c.fail("%s discount %s is more than its %s", field, l.Discount, l.Gross)
		case total != gross-off:
			c.fail("%s total %s is not %s less %s", field, l.Total, l.Gross, l.Discount)
		case l.TaxRateBP < 0 || l.TaxRateBP > 10_000:
			c.fail("%s tax rate %d basis points", field, l.TaxRateBP)
		case lt != lineTax(total, l.TaxRateBP, s.TaxMode == "inclusive"):
			c.fail("%s tax %s is not %s at %d basis points", field, l.Tax, money.New(lineTax(total, l.TaxRateBP, s.TaxMode == "inclusive"), c.cur).Decimal(), l.TaxRateBP)
		}
		sub, disc, tax = sub+total, disc+off, tax+lt
	}
	c.equal("subtotal", c.nonNegative("subtotal", s.Subtotal), sub)
	c.equal("discount", c.nonNegative("discount", s.Discount), disc)
	c.equal("tax", c.nonNegative("tax", s.Tax), tax)
	if s.TaxMode == "exclusive" {
		sub += tax
	}
	total := c.nonNegative("total", s.Total)
	c.equal("total", total, sub)
	rounding := c.amount("rounding", s.Rounding)
	if rounding >= MaxRounding || rounding <= -MaxRounding {
		c.fail("rounding %s is a step or more", s.Rounding)
	}
	if s.ItemCount < 0 || s.ItemCount > MaxQty {
		c.fail("item_count %d", s.ItemCount)
	}
	var paid, change, points int64
	for i, t := range s.Tenders {
		a, ch := c.tender(t, fmt.Sprintf("tender %d", i+1))
		if c.ok() && a == 0 {
			c.fail("tender %d pays nothing", i+1)
		}
		paid, change = paid+a, change+ch
		if t.Kind == "points" {
			points += a
		}
	}
	c.equal("paid", c.amount("paid", s.Paid), paid)
	c.equal("change", c.amount("change", s.Change), change)
	c.equal("paid", paid, total+rounding) // the tenders cover the total exactly, after cash rounding
	c.member(s.Member, 1)
	switch {
	case !c.ok():
	case s.Member == nil && points > 0:
		c.fail("points paid with no member")
	case s.Member != nil && (s.Member.PointsRedeemed > 0) != (points > 0):
		c.fail("%d points redeemed, %s paid with points", s.Member.PointsRedeemed, money.New(points, c.cur).Decimal())
	}
	for _, t := range s.Tenders {
		if t.Kind == "prepaid" && s.Member == nil {
			c.fail("prepaid tender with no member")
		}
	}
	return s
}

func (c *checker) refund(r *Refund) *Refund {
	if r == nil {
		return nil
	}
	c.numbered(r.ID, r.Till, r.Number, "receipt_no", r.ReceiptNo, "R")
	if !receiptPattern.MatchString(r.SaleReceipt) {
		c.fail("sale_receipt_no %q", r.SaleReceipt)
	}
	c.time("at", r.At)
	c.currency(r.Currency)
	c.text("reason", r.Reason)
	c.text("cashier", r.Cashier)
	c.text("approved_by", r.ApprovedBy)
	if len(r.Lines) == 0 || len(r.Lines) > MaxLines {
		c.fail("%d lines", len(r.Lines))
	}
	var total, tax int64
	seen := map[int]bool{}
	for i, l := range r.Lines {
		field := fmt.Sprintf("line %d", i+1)
		t, x := c.nonNegative(field+" total", l.Total), c.nonNegative(field+" tax", l.Tax)
		switch {
		case l.LineNo < 1 || l.LineNo > MaxLines || seen[l.LineNo]:
			c.fail("%s: line_no %d", field, l.LineNo)
		case l.Qty <= 0 || l.Qty > MaxQty:
			c.fail("%s: qty %d", field, l.Qty)
		case x > t:
			c.fail("%s: tax %s is more than its total %s", field, l.Tax, l.Total)
		}
		seen[l.LineNo] = true
		total, tax = total+t, tax+x
	}
	sum := c.nonNegative("total", r.Total)
	c.equal("total", sum, total)
	c.equal("tax", c.nonNegative("tax", r.Tax), tax)
	if sum == 0 && c.ok() {
		c.fail("a refund of nothing")
	}
	if k := r.Tender.Kind; k != "cash" && k != "card" && k != "wallet" && k != "prepaid" {
		c.fail("a refund to %q", k)
	}
	back, _ := c.tender(r.Tender, "tender")
	c.equal("rounding", c.amount("rounding", r.Rounding), back-sum)
	// The lines' share of the sale's rounding and a cash refund's own rounding: under two steps.
	if c.ok() && (back-sum >= 2*MaxRounding || sum-back >= 2*MaxRounding) {
		c.fail("gives back %s for lines worth %s", r.Tender.Amount, r.Total)
	}
	c.member(r.Member, -1)
	if c.ok() && r.Member != nil && r.Member.PointsRedeemed != 0 {
		c.fail("a refund redeems no points")
	}
	if r.Tender.Kind == "prepaid" && r.Member == nil {
		c.fail("a prepaid refund with no member")
	}
	c.signature(r.SignatureSHA256)
	return r
}

func (c *checker) topUp(t *TopUp) *TopUp {
	if t == nil {
		return nil
	}
	c.signature(t.SignatureSHA256)
	c.id("id", t.ID)
	c.till(t.Till)
	c.receipt("receipt_no", t.ReceiptNo, t.Till, "P", 0)
	c.member(&Member{Number: t.Member}, 1)
	c.time("at", t.At)
	c.currency(t.Currency)
	c.text("user", t.User)
	amount, bonus := c.amount("amount", t.Amount), c.nonNegative("bonus", t.Bonus)
	if c.ok() && amount <= 0 {
		c.fail("amount %s: a top-up adds value", t.Amount)
	}
	if t.Tender != "cash" && t.Tender != "card" && t.Tender != "qr" {
		c.fail("paid by %q: cash, card or QR pay a top-up", t.Tender)
	}
	// The tender that paid it: what was handed over covers the amount, and only cash has change.
	c.tender(Tender{Kind: t.Tender, Amount: t.Amount, Tendered: t.Tendered, Change: t.Change, Reference: t.Reference,
		Approval: t.Approval, CardLast4: t.CardLast4}, "tender")
	if c.ok() && bonus > amount {
		c.fail("bonus %s is more than the %s paid", t.Bonus, t.Amount)
	}
	return t
}

var moveKinds = map[string]bool{"receiving": true, "adjustment": true, "count": true, "transfer": true}

func (c *checker) stock(s *Stock) *Stock {
	if s == nil {
		return nil
	}
	c.id("id", s.ID)
	if !moveKinds[s.Kind] {
		c.fail("stock kind %q", s.Kind)
	}
	c.text("ref", s.Ref)
	if len(s.Lines) == 0 || len(s.Lines) > MaxLines || s.Moves != len(s.Lines) {
		c.fail("%d lines for %d moves", len(s.Lines), s.Moves)
	}
	if len(s.DocSHA256) != 64 {
		c.fail("doc_sha256 %q", s.DocSHA256)
	}
	for i, l := range s.Lines {
		field := fmt.Sprintf("line %d", i+1)
		if !skuPattern.MatchString(l.SKU) {
			c.fail("%s sku %q", field, l.SKU)
		}
		c.text(field+" sku", l.SKU)
		c.text(field+" reason", l.Reason)
		c.text(field+" user", l.User)
		if l.Qty == 0 || l.Qty > MaxQty || l.Qty < -MaxQty {
			c.fail("%s qty %d", field, l.Qty)
		}
		if l.UnitCost != "" {
			if s.Kind != "receiving" {
				c.fail("%s: a unit cost on a %s", field, s.Kind)
			}
			if _, err := money.ParseFixed(l.UnitCost, 4); err != nil || strings.HasPrefix(l.UnitCost, "-") {
				c.fail("%s unit_cost %q", field, l.UnitCost)
			}
		}
	}
	return s
}

func (c *checker) shiftOpen(s *ShiftOpen) *ShiftOpen {
	if s == nil {
		return nil
	}
	c.id("id", s.ID)
	c.till(s.Till)
	if s.Number <= 0 {
		c.fail("number %d", s.Number)
	}
	c.text("user", s.User)
	c.time("opened_at", s.OpenedAt)
	c.currency(s.Currency)
	c.nonNegative("float", s.Float)
	return s
}

func (c *checker) cashMove(m *CashMove) *CashMove {
	if m == nil {
		return nil
	}
	c.id("id", m.ID)
	c.id("shift_id", m.ShiftID)
	c.time("at", m.At)
	c.currency(m.Currency)
	c.text("reason", m.Reason)
	c.text("user", m.User)
	if a := c.amount("amount", m.Amount); c.ok() && a <= 0 {
		c.fail("amount %s: cash moved is more than nothing", m.Amount)
	}
	return m
}

// signature checks a signature's digest, when there is one: 64 lower-case hex digits.
func (c *checker) signature(digest string) {
	if digest != "" && !sha256Pattern.MatchString(digest) {
		c.fail("signature_sha256 %q: 64 lower-case hex digits", digest)
	}
}

func (c *checker) alarm(a *Alarm) *Alarm {
	if a == nil {
		return nil
	}
	c.id("id", a.ID)
	c.till(a.Till)
	c.time("at", a.At)
	c.text("cashier", a.Cashier)
	c.text("action", a.Action)
	if a.Cashier == "" || a.Action == "" {
		c.fail("an alarm names who and what")
	}
	if !slices.Contains(AlarmRules, a.Rule) {
		c.fail("rule %q", a.Rule)
	}
	if a.Rule == "shared_account" || a.Member != "" || a.OtherTill != "" {
		c.till(a.OtherTill)
		if !MemberNumberOK(a.Member) || a.OtherTill == a.Till {
			c.fail("a shared account names a member (%q) and another till", a.Member)
		}
	}
	for field, n := range map[string]int64{"count": a.Count, "sales": a.Sales, "usual_rate_bp": a.UsualRateBP, "seconds_ago": a.SecondsAgo} {
		if n < 0 || n > 1_000_000_000 {
			c.fail("%s %d", field, n)
		}
	}
	if a.SKU != "" || a.Price != "" || a.Other != "" || a.Currency != "" { // a line rule's figures, all or none
		c.text("sku", a.SKU)
		c.currency(a.Currency)
		c.amount("price", a.Price)
		c.amount("other", a.Other)
	}
	return a
}

func (c *checker) shiftClose(s *ShiftClose) *ShiftClose {
	if s == nil {
		return nil
	}
	c.id("id", s.ID)
	c.id("close_id", s.CloseID)
	c.till(s.Till)
	if s.Number <= 0 {
		c.fail("number %d", s.Number)
	}
	c.text("user", s.User)
	c.text("closed_by", s.ClosedBy)
	c.period("opened_at", s.OpenedAt, "closed_at", s.ClosedAt, "closed before it opened")
	c.currency(s.Currency)
	float, sales := c.nonNegative("float", s.Float), c.amount("cash_sales", s.CashSales)
	in, out := c.nonNegative("cash_in", s.CashIn), c.nonNegative("cash_out", s.CashOut)
	c.equal("expected", c.amount("expected", s.Expected), float+sales+in-out)
	var counted int64
	for _, d := range s.Counted {
		if d.Minor <= 0 || d.Minor > MaxAmount || d.Count < 0 || d.Count > MaxQty {
			c.fail("counted %d of %d", d.Count, d.Minor)
			break
		}
		counted += d.Minor * d.Count
	}
	total := c.nonNegative("counted_total", s.CountedTotal)
	c.equal("counted_total", total, counted)
	c.equal("over_short", c.amount("over_short", s.OverShort), total-c.amount("expected", s.Expected))
	return s
}

func (c *checker) zReport(z *ZReport) *ZReport {
	if z == nil {
		return nil
	}
	c.numbered(z.ID, z.Till, z.Number, "z_no", z.No, "Z")
	c.period("from", z.From, "to", z.To, "ends before it starts")
	c.text("user", z.User)
	c.currency(z.Currency)
	for name, v := range map[string]int64{"sales": z.Sales, "refunds": z.Refunds, "voids": z.Voids} {
		if v < 0 || v > MaxAmount {
			c.fail("%s %d", name, v)
		}
	}
	for name, v := range map[string]int64{"revenue": z.Revenue, "tax": z.Tax, "refund_total": z.RefundTotal, "cash_expected": z.CashExpected} {
		if v > MaxAmount || v < -MaxAmount {
			c.fail("%s %d", name, v)
		}
	}
	var sum Summary
	if err := json.Unmarshal([]byte(z.Summary), &sum); err != nil {
		c.fail("summary: %v", err)
	} else if sum.Sales != z.Sales || sum.Currency != z.Currency {
		c.fail("summary of %d sales in %s, the report says %d in %s", sum.Sales, sum.Currency, z.Sales, z.Currency)
	} else if rev := c.amount("summary revenue", sum.Revenue); c.ok() && rev != z.Revenue {
		c.fail("summary revenue %s, the report says %s", sum.Revenue, strconv.FormatInt(z.Revenue, 10))
	}
	return z
}
