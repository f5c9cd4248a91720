package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// Refund gives money back against a stored sale: some or all of its lines, to cash or to the card that
// paid. It is stored whole, once, like a sale.
type Refund struct {
	ID          string // UUID
	Till        string
	Number      int64  // per-till, gap-free; set by SaleLog.CommitRefund
	ReceiptNo   string // "T01-R000007"; set by SaleLog.CommitRefund
	SaleID      string // the original sale's UUID
	SaleReceipt string // the original sale's receipt number
	At          time.Time
	Currency    money.Currency
	Reason      string
	Lines       []RefundLine
	Total       money.Amount // the value of the lines given back, tax included
	Tax         money.Amount // the tax in Total
	// Rounding is Tender.Amount − Total: the lines' share of the sale's cash rounding (what the shopper
	// paid for them beyond or short of their value), and a cash refund's own rounding to the cash step.
	Rounding money.Amount
	Tender   Tender // how the money went back; Amount is what left the till
	// Member is the sale's member, with the points this refund takes back; nil when the sale had none.
	Member *MemberOnSale
	// Cashier made the refund; ApprovedBy is the supervisor who approved it when the cashier's role may not.
	Cashier, ApprovedBy string
	// Signature is the shopper's, confirming they got the money, when the shop asks for one
	// (Settings.Signatures); nil when none was asked.
	Signature signature.Signature
}

// RefundLine is part or all of one line of the original sale.
type RefundLine struct {
	LineNo  int // 1-based line number in the original sale
	Product Product
	Qty     Quantity
	Total   money.Amount // given back for this line, tax included
	Tax     money.Amount
}

// RefundNo formats a till's refund number n as printed: "T01-R000007".
func RefundNo(till string, n int64) string { return fmt.Sprintf("%s-R%06d", till, n) }

// RefundPick asks to refund qty of the original sale's line LineNo.
type RefundPick struct {
	LineNo int
	Qty    Quantity
}

// RefundableLine is what is left to refund of one line of a sale.
type RefundableLine struct {
	LineNo int
	Line   Line     // as sold
	Qty    Quantity // not yet refunded
	Total  money.Amount
	Tax    money.Amount
}

// Refundable is what is left to refund of a sale after its earlier refunds.
type Refundable struct {
	Sale  *Sale
	Lines []RefundableLine
	Total money.Amount // the value of all the lines left to refund
	// Refunded is the value of the lines the earlier refunds gave back; GivenBack is the money they gave
	// back for them, which the sale's cash rounding and their own made differ from it.
	Refunded, GivenBack money.Amount
}

// linePaid is what the shopper paid for a line: its total, plus its tax when prices exclude tax.
func linePaid(l Line, mode TaxMode) money.Amount {
	if mode == TaxExclusive {
		return l.Total.Add(l.Tax)
	}
	return l.Total
}

// RefundableOf works out what is left to refund of sale after the refunds already made against it.
func RefundableOf(sale *Sale, earlier []Refund) Refundable {
	z := money.Zero(sale.Currency)
	r := Refundable{Sale: sale, Total: z, Refunded: z, GivenBack: z}
	for _, e := range earlier {
		r.Refunded, r.GivenBack = r.Refunded.Add(e.Total), r.GivenBack.Add(e.Tender.Amount)
	}
	for i, l := range sale.Lines {
		rl := RefundableLine{LineNo: i + 1, Line: l, Qty: l.Qty, Total: linePaid(l, sale.TaxMode), Tax: l.Tax}
		for _, e := range earlier {
			for _, el := range e.Lines {
				if el.LineNo == rl.LineNo {
					rl.Qty -= el.Qty
					rl.Total = rl.Total.Sub(el.Total)
					rl.Tax = rl.Tax.Sub(el.Tax)
				}
			}
		}
		r.Lines = append(r.Lines, rl)
		r.Total = r.Total.Add(rl.Total)
	}
	return r
}

// SaleHistory finds stored sales and their refunds; the store implements it.
type SaleHistory interface {
	SaleByReceipt(ctx context.Context, receiptNo string) (*Sale, error)
	RefundsOfSale(ctx context.Context, saleID string) ([]Refund, error)
}

// RefundAll is what the cashier types to refund everything left of a sale: an explicit choice, never
// an empty one.
const RefundAll = "*"

// IsRefundAll reports whether picks text asks for everything left: "*", "all" or 全部.
func IsRefundAll(text string) bool {
	switch strings.ToLower(strings.TrimSpace(text)) {
	case RefundAll, "all", "全部":
		return true
	}
	return false
}

// Errors of picking what to refund.
var (
	ErrNoLinesPicked       = &Error{"no_lines_picked", "no lines picked to refund"}
	ErrLineRefunded        = &Error{"line_refunded", "that line has been refunded in full already"}
	ErrNothingLeftToRefund = &Error{"nothing_left_to_refund", "everything on this sale has been refunded already"}
)

// ParsePicks reads which lines to refund as a cashier types them: "1, 3x2" is all that is left of line 1
// and 2 of line 3 ("3*0.5" for half a kilogram); RefundAll is everything left. An empty text picks
// nothing (ErrNoLinesPicked), and a line refunded in full already says so (ErrLineRefunded).
func (r Refundable) ParsePicks(text string) ([]RefundPick, error) {
	fields := strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ' ' || c == '，' })
	var picks []RefundPick
	switch {
	case len(fields) == 0: // a stray Enter refunds nothing
		return nil, ErrNoLinesPicked
	case IsRefundAll(text):
		for _, l := range r.Lines {
			if l.Qty > 0 {
				picks = append(picks, RefundPick{LineNo: l.LineNo, Qty: l.Qty})
			}
		}
		if len(picks) == 0 {
			return nil, ErrNothingLeftToRefund
		}
		return picks, nil
	}
	for _, f := range fields {
		lineText, qtyText, partial := strings.Cut(strings.ReplaceAll(strings.ToLower(f), "*", "x"), "x")
		n, err := strconv.Atoi(lineText)
		if err != nil || n < 1 || n > len(r.Lines) {
			return nil, fmt.Errorf("%w: %q", ErrNoSuchLine, f)
		}
		pick := RefundPick{LineNo: n, Qty: r.Lines[n-1].Qty}
		if partial {
			if pick.Qty, err = ParseSold(qtyText, r.Lines[n-1].Line.Product); err != nil {
				return nil, err
			}
		}
		picks = append(picks, pick)
	}
	return picks, nil
}

// Pick turns picks into refund lines, and returns what the shopper paid for them (Owed), as RefundSale
// would refund them.
func (r Refundable) Pick(picks []RefundPick) ([]RefundLine, money.Amount, error) {
	lines, err := r.lines(picks)
	if err != nil {
		return nil, money.Amount{}, err
	}
	return lines, r.Owed(valueOf(lines, r.Sale.Currency)), nil
}

// valueOf is the value of refund lines, tax included.
func valueOf(lines []RefundLine, c money.Currency) money.Amount {
	total := money.Zero(c)
	for _, l := range lines {
		total = total.Add(l.Total)
	}
	return total
}

// Owed is what the shopper paid for lines worth value beyond those refunded before, less what was given
// back for those beyond their own share. The sale's cash rounding is shared out over its value
// cumulatively (the first W of value refunded is owed W + rounding × W / total, half to even), so the
// shares never drift whatever the order of the refunds, and refunding every line owes exactly what
// the sale took, less what the earlier refunds gave back.
func (r Refundable) Owed(value money.Amount) money.Amount {
	paid := func(w money.Amount) money.Amount {
		total := r.Sale.Totals.Total.Minor()
		if total <= 0 {
			return w
		}
		share, _ := money.MulDiv(r.Sale.Rounding.Minor(), w.Minor(), total) // |rounding| < 100, w ≤ total: no overflow
		return w.Add(money.New(share, w.Currency()))
	}
	return paid(r.Refunded.Add(value)).Sub(r.GivenBack)
}

// left is what the sale took that no refund has given back yet: no refund may give back more.
func (r Refundable) left() money.Amount { return r.Sale.Paid().Sub(r.GivenBack) }

// giveBack is what a refund of lines to kind hands over: what is owed for them, to the fen, or for the
// refund that leaves nothing of value to refund, exactly what is left of what the sale took. Cash goes
// back in whole steps, to the nearest, and its rounding is carried into the next refund's Owed; what
// the last one cannot hand over in cash (a sale paid partly to the fen another way) stays with the
// shop, less than a step. Never below nothing, never more than is left.
func (r Refundable) giveBack(lines []RefundLine, kind TenderKind, rounding CashRounding) money.Amount {
	value, left := valueOf(lines, r.Sale.Currency), r.left()
	back := r.Owed(value)
	if value == r.Total {
		back = left
	}
	if kind == TenderCash {
		back = CashRounding{Step: rounding.Step, Mode: RoundNearest}.Round(back)
		if back.Cmp(left) > 0 {
			back = money.TruncateToIncrement(left, rounding.Step)
		}
	}
	back = minAmount(back, left)
	if back.IsNegative() {
		return money.Zero(back.Currency())
	}
	return back
}

// lines turns picks into refund lines. A part of a line gets its share of the line's amount, rounded half
// to even; the last part of a line gets exactly what is left, so parts always add up to what was paid.
func (r Refundable) lines(picks []RefundPick) ([]RefundLine, error) {
	seen := map[int]bool{}
	var out []RefundLine
	for _, p := range picks {
		if p.LineNo < 1 || p.LineNo > len(r.Lines) {
			return nil, fmt.Errorf("%w: line %d", ErrNoSuchLine, p.LineNo)
		}
		if seen[p.LineNo] {
			return nil, fmt.Errorf("%w: line %d picked twice", ErrInvalidQuantity, p.LineNo)
		}
		seen[p.LineNo] = true
		rl := r.Lines[p.LineNo-1]
		switch {
		case rl.Qty == 0: // it is too large a refund, and the cashier is told why
			return nil, fmt.Errorf("%w: %w: line %d", ErrLineRefunded, ErrRefundTooLarge, p.LineNo)
		case p.Qty <= 0:
			return nil, fmt.Errorf("%w: %d", ErrInvalidQuantity, p.Qty)
		case p.Qty > rl.Qty:
			return nil, fmt.Errorf("%w: line %d has %s left to refund", ErrRefundTooLarge, p.LineNo, rl.Qty.FormatSold(rl.Line.Product))
		}
		total, tax := rl.Total, rl.Tax
		if p.Qty < rl.Qty {
			// Line amounts are bounded (maxLineTotal), so these products fit and ok is always true.
			sold := int64(rl.Line.Qty)
			t, _ := money.MulDiv(linePaid(rl.Line, r.Sale.TaxMode).Minor(), int64(p.Qty), sold)
			x, _ := money.MulDiv(rl.Line.Tax.Minor(), int64(p.Qty), sold)
			total = minAmount(money.New(t, r.Sale.Currency), rl.Total)
			if total != rl.Total { // a part that takes all the value left takes all the tax in it
				tax = minAmount(money.New(x, r.Sale.Currency), rl.Tax)
			}
		}
		out = append(out, RefundLine{LineNo: p.LineNo, Product: rl.Line.Product, Qty: p.Qty, Total: total, Tax: tax})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no line picked", ErrNoSuchLine)
	}
	return out, nil
}

func minAmount(a, b money.Amount) money.Amount {
	if a.Cmp(b) > 0 {
		return b
	}
	return a
}

// RefundTo is where a refund's money goes.
type RefundTo struct {
	Kind     TenderKind // TenderCash; TenderCard, TenderWallet or TenderPrepaid when the sale was paid that way
	Approval string     // the card terminal's approval code for the refund
	// Refunder gives a wallet payment back through its provider; needed for TenderWallet.
	Refunder PaymentRefunder
}

// PaymentRefunder is a payment provider that can refund a paid order, in part or whole. A refund
// reference is refunded at most once, so a retry after a lost reply is safe.
type PaymentRefunder interface {
	Refund(ctx context.Context, req RefundRequest) error
}

// RefundRequest asks a provider to give back Amount of the order Reference.
type RefundRequest struct {
	Reference       string // the original charge's reference
	RefundReference string // unique per refund: the refund's ID
	Amount          money.Amount
}

// RefundSale refunds picks of sale, given the refunds already made against it, and stores the refund:
// PrepareRefund then CompleteRefund.
func (c *Checkout) RefundSale(ctx context.Context, sale *Sale, earlier []Refund, picks []RefundPick, to RefundTo, reason string) (*Refund, error) {
	r, err := c.PrepareRefund(sale, earlier, picks, to, reason)
	if err != nil {
		return nil, err
	}
	return r, c.CompleteRefund(ctx, r, to)
}

// PrepareRefund works out a refund of picks of sale to cash, to the card or to the wallet that paid. A
// refund can never give back more of a line than was sold, more in all than was paid, or to a card or
// wallet more than it paid; the store checks again inside its transaction. Nothing moves yet.
// A refund needs PermRefund: a cashier's needs a supervisor's approval, which the refund names.
func (c *Checkout) PrepareRefund(sale *Sale, earlier []Refund, picks []RefundPick, to RefundTo, reason string) (*Refund, error) {
	ref, err := c.prepareRefund(sale, earlier, picks, to, reason)
	if err != nil {
		return nil, err
	}
	approver, err := c.session.Allow(PermRefund)
	if err == nil && approver == "" { // what a supervisor approved, they have looked at
		err = c.guard.CheckRate(context.Background(), c.session, AlarmRefunds)
	}
	if err != nil {
		return nil, err
	}
	ref.Cashier, ref.ApprovedBy = c.session.Name(), approver
	return ref, nil
}

func (c *Checkout) prepareRefund(sale *Sale, earlier []Refund, picks []RefundPick, to RefundTo, reason string) (*Refund, error) {
	refundable := RefundableOf(sale, earlier)
	lines, err := refundable.lines(picks)
	if err != nil {
		return nil, err
	}
	ref := &Refund{ID: NewID(), Till: c.settings.Till, SaleID: sale.ID, SaleReceipt: sale.ReceiptNo, At: c.now(),
		Currency: sale.Currency, Reason: strings.TrimSpace(reason), Lines: lines, Total: valueOf(lines, sale.Currency), Tax: money.Zero(sale.Currency)}
	for _, l := range lines {
		ref.Tax = ref.Tax.Add(l.Tax)
	}
	if ref.Total.Minor() <= 0 {
		return nil, fmt.Errorf("%w: the lines picked were free: nothing to refund", ErrInvalidAmount)
	}
	if m := sale.Member; m != nil {
		// The points the sale earned go back in proportion to the value refunded, rounded down, counted
		// over all its refunds so that refunding everything takes back exactly what it earned.
		total := max(sale.Totals.Total.Minor(), 1)
		before, _ := money.MulDivFloor(m.PointsEarned, refundable.Refunded.Minor(), total)
		after, _ := money.MulDivFloor(m.PointsEarned, refundable.Refunded.Add(ref.Total).Minor(), total)
		ref.Member = &MemberOnSale{ID: m.ID, Number: m.Number, PointsEarned: -max(after-before, 0)}
	}
	back := refundable.giveBack(lines, to.Kind, c.settings.CashRounding)
	ref.Rounding = back.Sub(ref.Total)
	zero := money.Zero(sale.Currency)
	switch to.Kind {
	case TenderCash:
		ref.Tender = Tender{Kind: TenderCash, Amount: back, Tendered: back, Change: zero}
		return ref, nil
	case TenderCard, TenderWallet, TenderPrepaid:
	default:
		return nil, fmt.Errorf("%w: to %s", ErrRefundTender, to.Kind)
	}
	paid, ok := tenderOf(sale, to.Kind)
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: the sale was not paid by %s", ErrRefundTender, to.Kind)
	case paid.Amount.Sub(refundedTo(earlier, to.Kind, sale.Currency)).Cmp(ref.Total) < 0:
		return nil, fmt.Errorf("%w: more than the %s paid", ErrRefundTooLarge, to.Kind)
	}
	// The lines' share of the sale's cash rounding goes back with them, but never more than the tender
	// took: what it cannot carry stays owed to the next refund.
	back = minAmount(back, paid.Amount.Sub(refundedTo(earlier, to.Kind, sale.Currency)))
	ref.Rounding = back.Sub(ref.Total)
	ref.Tender = Tender{Kind: to.Kind, Amount: back, Tendered: back, Change: zero}
	if to.Kind == TenderPrepaid {
		ref.Tender.Reference = paid.Reference // the member's number
		return ref, nil
	}
	if to.Kind == TenderCard {
		approval := strings.ToUpper(strings.TrimSpace(to.Approval))
		if !validApproval(approval) {
			return nil, fmt.Errorf("%w: approval code %q", ErrInvalidCardDetails, approval)
		}
		ref.Tender.Approval, ref.Tender.CardLast4 = approval, paid.CardLast4
		return ref, nil
	}
	if to.Refunder == nil {
		return nil, fmt.Errorf("%w: no payment provider to refund through", ErrRefundTender)
	}
	ref.Tender.Reference, ref.Tender.Wallet = paid.Reference, paid.Wallet
	return ref, nil
}

// CompleteRefund gives the money back — through the provider for a wallet — and stores the refund. If
// storing fails it may be called again with the same refund: the provider refunds a refund ID once. When
// the shop asks for signatures on refunds (signature.refunds), one without the shopper's is refused
// (ErrUnsigned) before any money moves.
func (c *Checkout) CompleteRefund(ctx context.Context, r *Refund, to RefundTo) error {
	if c.settings.RefundSigned() && r.Signature.Empty() {
		return fmt.Errorf("%w: refund %s", ErrUnsigned, r.SaleReceipt)
	}
	if !r.Signature.Empty() {
		if err := r.Signature.Validate(); err != nil {
			return fmt.Errorf("%w: %v", ErrUnsigned, err)
		}
	}
	if r.Tender.Kind == TenderWallet {
		if to.Refunder == nil {
			return fmt.Errorf("%w: no payment provider to refund through", ErrRefundTender)
		}
		err := to.Refunder.Refund(ctx, RefundRequest{Reference: r.Tender.Reference, RefundReference: r.ID, Amount: r.Tender.Amount})
		if err != nil {
			return fmt.Errorf("%w: %v", ErrRefundFailed, err)
		}
	}
	if err := c.log.CommitRefund(ctx, r); err != nil {
		return fmt.Errorf("store refund: %w", err)
	}
	return nil
}

func tenderOf(s *Sale, kind TenderKind) (Tender, bool) {
	for _, t := range s.Tenders {
		if t.Kind == kind {
			return t, true
		}
	}
	return Tender{}, false
}

func refundedTo(refunds []Refund, kind TenderKind, c money.Currency) money.Amount {
	sum := money.Zero(c)
	for _, r := range refunds {
		if r.Tender.Kind == kind {
			sum = sum.Add(r.Tender.Amount)
		}
	}
	return sum
}
