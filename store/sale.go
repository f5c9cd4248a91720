package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/app/signature"
)

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

func newSaleDoc(s *app.Sale) document.Sale {
	d := document.Sale{
		ID: s.ID, Till: s.Till, Number: s.Number, ReceiptNo: s.ReceiptNo,
		OpenedAt: timestamp(s.OpenedAt), CompletedAt: timestamp(s.CompletedAt),
		Currency: s.Currency.Code, TaxMode: string(s.TaxMode),
		Subtotal: s.Totals.Subtotal.Decimal(), Discount: s.Totals.Discount.Decimal(), Tax: s.Totals.Tax.Decimal(),
		Total: s.Totals.Total.Decimal(), Rounding: s.Rounding.Decimal(), ItemCount: s.Totals.ItemCount,
		Paid: s.Paid().Decimal(), Change: s.Change().Decimal(), Lines: []document.Line{}, Tenders: []document.Tender{}, Cashier: s.Cashier,
		SignatureSHA256: signatureDigest(s.Signature),
		Coupons:         slices.Sorted(slices.Values(s.Coupons)), // the order coupon_uses gives them back
	}
	for _, l := range s.Lines {
		p := l.Product
		d.Lines = append(d.Lines, document.Line{
			ProductID: p.ID, SKU: p.SKU, Name: p.Name, NameZH: p.NameZH, Qty: l.Qty.Format(p.Unit), Unit: string(p.Unit),
			UnitPrice: p.Price.Decimal(), PriceUnit: string(p.PriceUnit), Gross: l.Gross.Decimal(), Discount: l.DiscountAmount.Decimal(), Total: l.Total.Decimal(),
			TaxClass: p.TaxClass, TaxRateBP: l.TaxRateBP, Tax: l.Tax.Decimal(), Promotions: promotionsDoc(l),
		})
	}
	for _, t := range s.Tenders {
		d.Tenders = append(d.Tenders, document.Tender{Kind: string(t.Kind), Amount: t.Amount.Decimal(), Tendered: t.Tendered.Decimal(),
			Change: t.Change.Decimal(), Reference: t.Reference, Approval: t.Approval, CardLast4: t.CardLast4, Wallet: t.Wallet})
	}
	if m := s.Member; m != nil {
		d.Member = &document.Member{Number: m.Number, PointsEarned: m.PointsEarned, PointsRedeemed: m.PointsRedeemed}
	}
	return d
}

func newSaleEntry(s *app.Sale) document.SaleEntry {
	return document.SaleEntry{ID: s.ID, ReceiptNo: s.ReceiptNo, Total: s.Totals.Total.Decimal(), Currency: s.Currency.Code,
		Lines: len(s.Lines), DocSHA256: saleDocHash(s)}
}

// promotionsDoc is what the promotions saved on l, as the sale document (and its promotions column) say it.
func promotionsDoc(l app.Line) []document.Promotion {
	var out []document.Promotion
	for _, p := range l.Promotions {
		out = append(out, document.Promotion{Rule: p.Rule, Name: p.Name, NameZH: p.NameZH, Amount: p.Amount.Decimal()})
	}
	return out
}

// promotionsColumn is l's promotions column: the document's promotions as JSON, or NULL for none.
func promotionsColumn(l app.Line) (any, error) {
	doc := promotionsDoc(l)
	if len(doc) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// storedPromotions reads a line's promotions column back, with their sum.
func storedPromotions(col sql.NullString, c money.Currency) ([]app.PromoSaving, money.Amount, error) {
	sum := money.Zero(c)
	if !col.Valid {
		return nil, sum, nil
	}
	var doc []document.Promotion
	if err := json.Unmarshal([]byte(col.String), &doc); err != nil {
		return nil, sum, fmt.Errorf("promotions: %w", err)
	}
	out := make([]app.PromoSaving, 0, len(doc))
	for _, p := range doc {
		a, err := money.Parse(p.Amount, c)
		if err != nil {
			return nil, sum, fmt.Errorf("promotion %d: %w", p.Rule, err)
		}
		out = append(out, app.PromoSaving{Rule: p.Rule, Name: p.Name, NameZH: p.NameZH, Amount: a})
		sum = sum.Add(a)
	}
	return out, sum, nil
}

// saleDocHash returns the hex SHA-256 of the sale's canonical JSON document.
func saleDocHash(s *app.Sale) string { return document.Digest(newSaleDoc(s)) }

// CommitSale stores a completed sale in one transaction: header (its id is the receipt number, from the
// sales counter), lines, tenders, member ledger rows, journal entry and outbox row. It sets sale.Number and sale.ReceiptNo only once the transaction
// has committed.
func (s *Store) CommitSale(ctx context.Context, sale *app.Sale) error {
	if sale.ID == "" || len(sale.Lines) == 0 {
		return fmt.Errorf("commit sale: incomplete sale (id %q, %d lines)", sale.ID, len(sale.Lines))
	}
	stored := *sale
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if stored.Number, err = s.nextNumber(ctx, tx, "sale"); err != nil {
			return err
		}
		stored.ReceiptNo = app.ReceiptNo(stored.Till, stored.Number)
		if err := s.insertSale(ctx, tx, &stored); err != nil {
			return err
		}
		costs, err := s.insertLines(ctx, tx, stored.Number, stored.Lines)
		if err != nil {
			return err
		}
		if err := s.insertTenders(ctx, tx, stored.Number, stored.Tenders); err != nil {
			return err
		}
		if err := insertCouponUses(ctx, tx, stored.Number, stored.Coupons); err != nil {
			return err
		}
		if err := s.chargeMember(ctx, tx, &stored); err != nil {
			return err
		}
		if err := s.addSaleFacts(ctx, tx, &stored, costs); err != nil {
			return err
		}
		if err := s.dropEndedCart(ctx, tx, stored.ID); err != nil {
			return err
		}
		return s.journalAndSend(ctx, tx, stored.CompletedAt, "sale", stored.ID, newSaleEntry(&stored))
	})
	if err != nil {
		return fmt.Errorf("commit sale %s: %w", sale.ID, err)
	}
	sale.Number, sale.ReceiptNo = stored.Number, stored.ReceiptNo
	return nil
}

// journalAndSend records a committed document in the journal and queues it for sync under id, inside the
// transaction that stores it.
func (s *Store) journalAndSend(ctx context.Context, tx *sql.Tx, at time.Time, kind, id string, entry any) error {
	payload, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	seq, err := s.appendJournalJSON(ctx, tx, at, kind, string(payload))
	if err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, s.q.insertOutbox).ExecContext(ctx, id, kind, seq, timestamp(at)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

func (st *Store) insertSale(ctx context.Context, tx *sql.Tx, s *app.Sale) error {
	t := s.Totals
	_, err := tx.StmtContext(ctx, st.q.insertSale).ExecContext(ctx,
		s.Number, s.ID, s.Till, s.ReceiptNo, timestamp(s.OpenedAt), timestamp(s.CompletedAt), s.Currency.Code,
		string(s.TaxMode), t.Subtotal.Minor(), t.Discount.Minor(), t.Tax.Minor(), t.Total.Minor(), s.Rounding.Minor(),
		t.ItemCount, s.Cashier, signatureColumn(s.Signature))
	if err != nil {
		return fmt.Errorf("sale header: %w", err)
	}
	return nil
}

// signatureColumn is a signature as the sales table keeps it: its strokes, or NULL for none.
func signatureColumn(s signature.Signature) any {
	if s.Empty() {
		return nil
	}
	return string(s.JSON())
}

// insertLines writes the lines lineBatch at a time, and returns each line's category and unit cost as the
// insert took them from the catalog.
func (s *Store) insertLines(ctx context.Context, tx *sql.Tx, saleID int64, lines []app.Line) ([]lineCost, error) {
	costs := make([]lineCost, len(lines))
	scanLineCosts := func(rows *sql.Rows, err error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var no int
			var c lineCost
			if err := rows.Scan(&no, &c.category, &c.unitCost); err != nil {
				return err
			}
			if no < 1 || no > len(costs) {
				return fmt.Errorf("line %d of %d", no, len(costs))
			}
			costs[no-1] = c
		}
		return rows.Err()
	}
	for first := 0; first < len(lines); first += lineBatch {
		batch := lines[first:min(first+lineBatch, len(lines))]
		args := make([]any, 0, 17*len(batch))
		for i, l := range batch {
			p := l.Product
			promotions, err := promotionsColumn(l)
			if err != nil {
				return nil, err
			}
			args = append(args, saleID, first+i+1, p.ID, p.SKU, p.Name, p.NameZH, int64(l.Qty), string(p.Unit), p.Price.Minor(),
				l.Gross.Minor(), l.DiscountAmount.Minor(), l.Total.Minor(), p.TaxClass, l.TaxRateBP, l.Tax.Minor(), promotions,
				priceUnit(p.PriceUnit))
		}
		if err := scanLineCosts(tx.StmtContext(ctx, s.q.insertLines[len(batch)-1]).QueryContext(ctx, args...)); err != nil {
			return nil, fmt.Errorf("sale lines %d–%d: %w", first+1, first+len(batch), err)
		}
	}
	return costs, nil
}

func (s *Store) insertTenders(ctx context.Context, tx *sql.Tx, saleID int64, tenders []app.Tender) error {
	insert := tx.StmtContext(ctx, s.q.insertTender)
	for i, t := range tenders {
		if _, err := insert.ExecContext(ctx, saleID, i+1, string(t.Kind), t.Amount.Minor(), t.Tendered.Minor(), t.Change.Minor(),
			t.Reference, t.Approval, t.CardLast4, t.Wallet); err != nil {
			return fmt.Errorf("tender %d: %w", i+1, err)
		}
	}
	return nil
}

// voidDoc is an abandoned sale as the journal records it.
type voidDoc struct {
	SaleID   string `json:"sale_id"`
	Till     string `json:"till"`
	Lines    int    `json:"lines"`
	Total    string `json:"total"`
	Currency string `json:"currency"`
	Cashier  string `json:"cashier,omitempty"`
	Approver string `json:"approved_by,omitempty"` // the supervisor who let a paid sale be voided
}

// RecordVoid journals a sale abandoned before payment.
func (s *Store) RecordVoid(ctx context.Context, v app.Void) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := s.dropEndedCart(ctx, tx, v.SaleID); err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, v.At, "void", voidDoc{SaleID: v.SaleID, Till: v.Till, Lines: v.Lines,
			Total: v.Total.Decimal(), Currency: v.Total.Currency().Code, Cashier: v.Cashier, Approver: v.ApprovedBy})
	})
}

// noSaleDoc is the drawer opened without a sale, as the journal records it.
type noSaleDoc struct {
	Till     string `json:"till"`
	Cashier  string `json:"cashier"`
	Approver string `json:"approved_by,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// RecordNoSale journals the drawer opened without a sale.
func (s *Store) RecordNoSale(ctx context.Context, n app.NoSale) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.appendJournal(ctx, tx, n.At, "no_sale", noSaleDoc{Till: n.Till, Cashier: n.Cashier, Approver: n.ApprovedBy, Reason: n.Reason})
	})
}

// SaleByReceipt reads a stored sale back by its receipt number.
func (s *Store) SaleByReceipt(ctx context.Context, receiptNo string) (*app.Sale, error) {
	i := strings.LastIndexByte(receiptNo, '-')
	number, err := strconv.ParseInt(receiptNo[i+1:], 10, 64)
	if i < 0 || err != nil {
		return nil, fmt.Errorf("sale %s: %w", receiptNo, ErrNotFound)
	}
	return s.readSale(ctx, receiptNo, `id = ? AND receipt_no = ?`, number, receiptNo)
}

// readSale reads the one sale matching where, with its lines and tenders; name says which for errors.
func (s *Store) readSale(ctx context.Context, name, where string, args ...any) (*app.Sale, error) {
	sales, err := s.readSales(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	if len(sales) != 1 {
		return nil, fmt.Errorf("sale %s: %w", name, ErrNotFound)
	}
	return sales[0], nil
}

// readSales reads the sales matching where (over sales), with their lines, tenders and members, in
// number order: three queries however many there are.
func (s *Store) readSales(ctx context.Context, where string, args ...any) ([]*app.Sale, error) {
	var sales []*app.Sale
	byNumber := map[int64]*app.Sale{}
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var sale app.Sale
		var opened, completed, cur, mode string
		var sub, disc, tax, total, rounding, items int64
		var m app.MemberOnSale
		var memberID sql.NullInt64
		var strokes sql.NullString
		if err := rows.Scan(&sale.Number, &sale.ID, &sale.Till, &sale.ReceiptNo, &opened, &completed, &cur, &mode, &sub, &disc, &tax,
			&total, &rounding, &items, &sale.Cashier, &memberID, &m.Number, &m.PointsEarned, &m.PointsRedeemed, &strokes); err != nil {
			return err
		}
		var err error
		if sale.Signature, err = storedSignature(strokes); err != nil {
			return fmt.Errorf("sale %s's signature: %w", sale.ReceiptNo, err)
		}
		c, err := money.Lookup(cur)
		if err != nil {
			return err
		}
		sale.Currency, sale.TaxMode = c, app.TaxMode(mode)
		sale.OpenedAt, _ = parseTimestamp(opened)
		sale.CompletedAt, _ = parseTimestamp(completed)
		sale.Totals = app.Totals{Subtotal: money.New(sub, c), Discount: money.New(disc, c), Tax: money.New(tax, c),
			Total: money.New(total, c), ItemCount: items}
		sale.Rounding = money.New(rounding, c)
		if memberID.Valid {
			m.ID = memberID.Int64
			sale.Member = &m
		}
		sales = append(sales, &sale)
		byNumber[sale.Number] = &sale
		return nil
	}, `SELECT id, uuid, till, receipt_no, opened_at, completed_at, currency, tax_mode, subtotal, discount, tax, total, rounding,
		item_count, cashier, member_id, member_number, points_earned, points_redeemed, signature FROM sales WHERE `+where+` ORDER BY id`, args...)
	if err != nil || len(sales) == 0 {
		return sales, err
	}
	err = each(ctx, s.r, func(rows *sql.Rows) error {
		var saleID int64
		var l app.Line
		var unit string
		var per sql.NullString
		var qty, price, gross, disc, total, tax int64
		var promotions sql.NullString
		if err := rows.Scan(&saleID, &l.Product.ID, &l.Product.SKU, &l.Product.Name, &l.Product.NameZH, &qty, &unit, &price,
			&gross, &disc, &total, &l.Product.TaxClass, &l.TaxRateBP, &tax, &promotions, &per); err != nil {
			return err
		}
		sale := byNumber[saleID]
		c := sale.Currency
		l.Qty, l.Product.Unit, l.Product.Price, l.Product.Active = app.Quantity(qty), app.Unit(unit), money.New(price, c), true
		l.Product.PriceUnit = app.PriceUnit(per.String)
		l.Gross, l.DiscountAmount, l.Total, l.Tax = money.New(gross, c), money.New(disc, c), money.New(total, c), money.New(tax, c)
		var err error
		if l.Promotions, l.Promotion, err = storedPromotions(promotions, c); err != nil {
			return fmt.Errorf("sale %s line %s: %w", sale.ReceiptNo, l.Product.SKU, err)
		}
		sale.Lines = append(sale.Lines, l)
		sale.Totals.Lines = len(sale.Lines)
		return nil
	}, `SELECT sale_id, product_id, sku, name, name_zh, qty, unit, unit_price, gross, discount, total, tax_class, tax_rate_bp, tax,
		promotions, price_unit FROM sale_lines WHERE sale_id IN (SELECT id FROM sales WHERE `+where+`) ORDER BY sale_id, line_no`, args...)
	if err != nil {
		return nil, err
	}
	err = each(ctx, s.r, func(rows *sql.Rows) error {
		var saleID int64
		var kind string
		var amount, tendered, change int64
		var t app.Tender
		if err := rows.Scan(&saleID, &kind, &amount, &tendered, &change, &t.Reference, &t.Approval, &t.CardLast4, &t.Wallet); err != nil {
			return err
		}
		sale := byNumber[saleID]
		c := sale.Currency
		t.Kind, t.Amount, t.Tendered, t.Change = app.TenderKind(kind), money.New(amount, c), money.New(tendered, c), money.New(change, c)
		sale.Tenders = append(sale.Tenders, t)
		return nil
	}, `SELECT sale_id, kind, amount, tendered, change, reference, approval, card_last4, wallet
		FROM tenders WHERE sale_id IN (SELECT id FROM sales WHERE `+where+`) ORDER BY sale_id, seq`, args...)
	if err != nil {
		return nil, err
	}
	err = each(ctx, s.r, func(rows *sql.Rows) error {
		var saleID int64
		var code string
		if err := rows.Scan(&saleID, &code); err != nil {
			return err
		}
		sale := byNumber[saleID]
		sale.Coupons = append(sale.Coupons, code)
		return nil
	}, `SELECT sale_id, code FROM coupon_uses WHERE sale_id IN (SELECT id FROM sales WHERE `+where+`) ORDER BY sale_id, code`, args...)
	if err != nil {
		return nil, err
	}
	return sales, nil
}

// SalesSummary is a count of stored sales and their total.
type SalesSummary struct {
	Count int64
	Total int64 // minor units
}

// SummariseSales counts the sales completed in [from, to).
func (s *Store) SummariseSales(ctx context.Context, from, to time.Time) (SalesSummary, error) {
	var sum SalesSummary
	err := s.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(total), 0) FROM sales WHERE completed_at >= ? AND completed_at < ?`,
		timestamp(from), timestamp(to)).Scan(&sum.Count, &sum.Total)
	return sum, err
}
