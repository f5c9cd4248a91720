package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/api"
)

// A document from a till is a claim to verify, not a fact: a till's token proves which till is talking,
// not that what it says is true. believe checks each document of a batch, in the till's order, against
// the document format (document.Check: it adds up) and against what the head office holds (the till it
// names is the one talking, a refund's sale and what was refunded of it before, the shop's top-up bonus,
// a member whose prepaid balance is spent). What fails is stored apart as rejected, with the reason,
// and never counted.

// verdict is what the head office makes of one document.
type verdict struct {
	doc    any    // the checked document (document.Sale, …) when accepted
	reason string // why it was rejected; "" when accepted
}

// believer checks a batch's documents one after another: a refund may be of a sale earlier in the same
// batch, and a prepaid sale may spend a top-up earlier in it.
type believer struct {
	ctx  context.Context
	tx   pgx.Tx
	till till

	sales   map[string]*document.Sale     // sales accepted earlier in the batch, by receipt number
	refunds map[string][]*document.Refund // refunds accepted earlier in the batch, by their sale's receipt
	members map[string]bool               // members a top-up earlier in the batch made known
	bonus   *app.Loyalty                  // the shop's top-up bonus rule, read once
}

func newBeliever(ctx context.Context, tx pgx.Tx, t till) *believer {
	return &believer{ctx: ctx, tx: tx, till: t, sales: map[string]*document.Sale{}, refunds: map[string][]*document.Refund{},
		members: map[string]bool{}}
}

// rejected builds a rejection's reason.
func rejected(format string, args ...any) verdict {
	return verdict{reason: fmt.Sprintf(format, args...)}
}

// believe returns the verdict on d; an error is the database failing, and fails the batch for a retry.
func (b *believer) believe(d api.Document) (verdict, error) {
	if d.Version > document.Version {
		return rejected("format v%d is newer than this head office's v%d: upgrade the head office", d.Version, document.Version), nil
	}
	doc, err := document.Check(d.Kind, d.Body)
	if err != nil {
		return verdict{reason: err.Error()}, nil
	}
	id, till := documentOwner(doc)
	switch {
	case id != "" && id != d.ID:
		return rejected("its body is document %s, not %s", id, d.ID), nil
	case till != "" && till != b.till.name:
		return rejected("it is till %s's, and till %s sent it", till, b.till.name), nil
	}
	var reason string
	switch v := doc.(type) {
	case *document.Sale:
		if reason, err = b.sale(v); reason == "" && err == nil {
			b.sales[v.ReceiptNo] = v
		}
	case *document.Refund:
		if reason, err = b.refund(v); reason == "" && err == nil {
			b.refunds[v.SaleReceipt] = append(b.refunds[v.SaleReceipt], v)
		}
	case *document.TopUp:
		if reason, err = b.topUp(v); reason == "" && err == nil {
			b.members[v.Member] = true
		}
	}
	if err != nil || reason != "" {
		return verdict{reason: reason}, err
	}
	return verdict{doc: doc}, nil
}

// documentOwner returns the ID and till a document names of itself, where it names them.
func documentOwner(doc any) (id, till string) {
	switch v := doc.(type) {
	case *document.Sale:
		return v.ID, v.Till
	case *document.Refund:
		return v.ID, v.Till
	case *document.TopUp:
		return v.ID, v.Till
	case *document.Stock:
		return v.ID, ""
	case *document.ShiftOpen:
		return v.ID, v.Till
	case *document.CashMove:
		return v.ID, ""
	case *document.ShiftClose:
		return v.CloseID, v.Till
	case *document.ZReport:
		return v.ID, v.Till
	}
	return "", ""
}

// knownMember reports whether the shop's head office holds the member (a prepaid balance is spent only
// from an account it knows of).
func (b *believer) knownMember(number string) (bool, error) {
	if b.members[number] {
		return true, nil
	}
	var ok bool
	err := b.tx.QueryRow(b.ctx, `SELECT EXISTS (SELECT 1 FROM members WHERE shop_id = $1 AND number = $2)`, b.till.shopID, number).Scan(&ok)
	return ok, err
}

func (b *believer) sale(s *document.Sale) (string, error) {
	for _, t := range s.Tenders {
		if t.Kind != "prepaid" {
			continue
		}
		ok, err := b.knownMember(s.Member.Number)
		if err != nil || !ok {
			return fmt.Sprintf("prepaid spent from member %s, whom the head office does not hold", s.Member.Number), err
		}
	}
	return "", nil
}

// refund checks a refund against its sale and the sale's earlier refunds: no line beyond what was sold,
// no money beyond what the sale took, none to a tender beyond what it paid, no points beyond those earned.
func (b *believer) refund(r *document.Refund) (string, error) {
	sale := b.sales[r.SaleReceipt]
	if sale == nil {
		var body []byte
		err := b.tx.QueryRow(b.ctx, `SELECT d.body FROM sales s JOIN document_keys k ON k.shop_id = s.shop_id AND k.id = s.id
			JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at WHERE s.shop_id = $1 AND s.receipt_no = $2`, b.till.shopID, r.SaleReceipt).Scan(&body)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Sprintf("a refund of sale %s, which the head office does not hold", r.SaleReceipt), nil
		}
		if err != nil {
			return "", err
		}
		if err := json.Unmarshal(body, &sale); err != nil {
			return "", fmt.Errorf("stored sale %s: %w", r.SaleReceipt, err)
		}
	}
	earlier := append([]*document.Refund(nil), b.refunds[r.SaleReceipt]...)
	rows, err := b.tx.Query(b.ctx, `SELECT body FROM documents WHERE shop_id = $1 AND kind = 'refund' AND status = 'accepted'
		AND body->>'sale_receipt_no' = $2`, b.till.shopID, r.SaleReceipt)
	if err != nil {
		return "", err
	}
	stored, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*document.Refund, error) {
		var body []byte
		if err := row.Scan(&body); err != nil {
			return nil, err
		}
		e := new(document.Refund)
		return e, json.Unmarshal(body, e)
	})
	if err != nil {
		return "", err
	}
	return checkRefundOfSale(r, sale, append(earlier, stored...)), nil
}

// checkRefundOfSale says what is wrong with refund r of sale after the earlier refunds, or "".
func checkRefundOfSale(r *document.Refund, sale *document.Sale, earlier []*document.Refund) string {
	cur, err := money.Lookup(sale.Currency)
	if err != nil || sale.Currency != r.Currency {
		return fmt.Sprintf("a refund in %s of a sale in %s", r.Currency, sale.Currency)
	}
	minor := func(v string) int64 { a, _ := money.Parse(v, cur); return a.Minor() } // both documents passed their checks
	paid, total := minor(sale.Paid), minor(sale.Total)
	tenderPaid := map[string]int64{}
	for _, t := range sale.Tenders {
		tenderPaid[t.Kind] += minor(t.Amount)
	}
	sold := make([]int64, len(sale.Lines))
	for i, l := range sale.Lines {
		sold[i] = lineQty(l)
	}
	var given, value, points int64
	givenTo := map[string]int64{}
	refunded := make([]int64, len(sale.Lines))
	for _, e := range append(earlier, r) {
		given += minor(e.Tender.Amount)
		value += minor(e.Total)
		givenTo[e.Tender.Kind] += minor(e.Tender.Amount)
		if e.Member != nil {
			points -= e.Member.PointsEarned
		}
		for _, l := range e.Lines {
			if l.LineNo > len(sold) {
				return fmt.Sprintf("line %d of sale %s, which has %d lines", l.LineNo, sale.ReceiptNo, len(sold))
			}
			refunded[l.LineNo-1] += l.Qty
		}
	}
	for i := range sold {
		if refunded[i] > sold[i] {
			return fmt.Sprintf("refunds give back more of line %d than sale %s sold", i+1, sale.ReceiptNo)
		}
	}
	switch k := r.Tender.Kind; {
	case value > total:
		return fmt.Sprintf("refunds of %s worth more than the %s it sold", sale.ReceiptNo, sale.Total)
	case given > paid:
		return fmt.Sprintf("refunds give back %s of the %s sale %s took", money.New(given, cur).Decimal(), sale.Paid, sale.ReceiptNo)
	case k != "cash" && givenTo[k] > tenderPaid[k]:
		return fmt.Sprintf("refunds give back %s to %s, which paid %s of sale %s", money.New(givenTo[k], cur).Decimal(), k,
			money.New(tenderPaid[k], cur).Decimal(), sale.ReceiptNo)
	case r.Member != nil && (sale.Member == nil || sale.Member.Number != r.Member.Number):
		return fmt.Sprintf("a refund for member %s of a sale that was not theirs", r.Member.Number)
	case sale.Member != nil && points > sale.Member.PointsEarned:
		return fmt.Sprintf("refunds take back %d points of the %d sale %s earned", points, sale.Member.PointsEarned, sale.ReceiptNo)
	}
	return ""
}

// lineQty is a sale line's quantity in thousandths, as refund lines count it.
func lineQty(l document.Line) int64 {
	if l.Unit == "kg" {
		n, _ := money.ParseFixed(l.Qty, 3)
		return n
	}
	n, _ := money.ParseFixed(l.Qty, 0)
	return n * 1000
}

// topUp checks a top-up's bonus against the shop's rule, as the head office holds it.
func (b *believer) topUp(t *document.TopUp) (string, error) {
	if b.bonus == nil {
		var rule string
		if err := b.tx.QueryRow(b.ctx, `SELECT topup_bonus FROM shops WHERE id = $1`, b.till.shopID).Scan(&rule); err != nil {
			return "", err
		}
		set := app.DefaultSettings()
		cur, err := money.Lookup(t.Currency)
		if err != nil {
			return "", err
		}
		set.Currency = cur
		if err := set.Set("topup_bonus", rule); err != nil {
			return "", fmt.Errorf("shop %s's top-up bonus rule %q: %w", b.till.shop, rule, err)
		}
		b.bonus = &set.Loyalty
	}
	cur, _ := money.Lookup(t.Currency)
	amount, _ := money.Parse(t.Amount, cur)
	if want := b.bonus.TopUpBonus(amount); want.Decimal() != t.Bonus {
		return fmt.Sprintf("a bonus of %s on a top-up of %s, where the shop's rule gives %s", t.Bonus, t.Amount, want.Decimal()), nil
	}
	return "", nil
}

// ShopSetTopUpBonus sets the shop's top-up bonus rule ("100:10,500:80": ¥10 on ¥100 or more, ¥80 on ¥500
// or more; "none"), which top-ups from its tills are checked against.
func (s *Server) ShopSetTopUpBonus(ctx context.Context, shop, rule string) error {
	set := app.DefaultSettings()
	if err := set.Set("topup_bonus", rule); err != nil {
		return err
	}
	tag, err := s.db.Exec(ctx, `UPDATE shops SET topup_bonus = $2 WHERE code = $1`, shop, strings.TrimSpace(set.Value("topup_bonus")))
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("no shop %q", shop)
	}
	return nil
}
