package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/app/signature"
)

func refundDocHash(r *app.Refund) string { return document.Digest(newRefundDoc(r)) }

// newRefundDoc builds a refund's document: what the journal hashes and the outbox uploads.
func newRefundDoc(r *app.Refund) document.Refund {
	d := document.Refund{ID: r.ID, Till: r.Till, Number: r.Number, ReceiptNo: r.ReceiptNo, SaleReceipt: r.SaleReceipt,
		At: timestamp(r.At), Currency: r.Currency.Code, Reason: r.Reason, Total: r.Total.Decimal(), Tax: r.Tax.Decimal(),
		Rounding: r.Rounding.Decimal(), Lines: []document.RefundLine{}, Cashier: r.Cashier, ApprovedBy: r.ApprovedBy,
		Tender: document.Tender{Kind: string(r.Tender.Kind), Amount: r.Tender.Amount.Decimal(), Tendered: r.Tender.Tendered.Decimal(),
			Change: r.Tender.Change.Decimal(), Reference: r.Tender.Reference, Approval: r.Tender.Approval,
			CardLast4: r.Tender.CardLast4, Wallet: r.Tender.Wallet}}
	for _, l := range r.Lines {
		d.Lines = append(d.Lines, document.RefundLine{LineNo: l.LineNo, Qty: int64(l.Qty), Total: l.Total.Decimal(), Tax: l.Tax.Decimal()})
	}
	if m := r.Member; m != nil {
		d.Member = &document.Member{Number: m.Number, PointsEarned: m.PointsEarned}
	}
	d.SignatureSHA256 = signatureDigest(r.Signature)
	return d
}

// signatureDigest is s's digest, or "" for no signature.
func signatureDigest(s signature.Signature) string {
	if s.Empty() {
		return ""
	}
	return s.Digest()
}

// storedSignature reads a signature column: empty for NULL (nobody signed). Written signatures were
// validated before they were stored; reading takes them as they are (signature.Decode).
func storedSignature(col sql.NullString) (signature.Signature, error) {
	if !col.Valid || col.String == "" {
		return nil, nil
	}
	return signature.Decode([]byte(col.String))
}

// CommitRefund stores a refund in one transaction — header, lines, journal entry, outbox row — after
// checking against what is stored that it gives back no more of any line than was sold and no more of the
// sale than was paid. It sets r.Number and r.ReceiptNo once committed.
func (s *Store) CommitRefund(ctx context.Context, r *app.Refund) error {
	if r.ID == "" || len(r.Lines) == 0 || r.Total.Minor() <= 0 {
		return fmt.Errorf("commit refund: incomplete refund (id %q, %d lines, total %s)", r.ID, len(r.Lines), r.Total)
	}
	if !r.Signature.Empty() {
		if err := r.Signature.Validate(); err != nil {
			return fmt.Errorf("commit refund against %s: %w", r.SaleReceipt, err)
		}
	}
	stored := *r
	err := s.write(ctx, func(tx *sql.Tx) error {
		var saleNo, saleTotal, salePaid, refunded, givenBack int64
		err := tx.QueryRowContext(ctx, `SELECT id, total, total + rounding,
			(SELECT coalesce(sum(total), 0) FROM refunds WHERE sale_id = sales.id),
			(SELECT coalesce(sum(tender_amount), 0) FROM refunds WHERE sale_id = sales.id)
			FROM sales WHERE uuid = ?`, r.SaleID).Scan(&saleNo, &saleTotal, &salePaid, &refunded, &givenBack)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: sale %s", ErrNotFound, r.SaleReceipt)
		}
		if err != nil {
			return err
		}
		switch {
		case refunded+r.Total.Minor() > saleTotal:
			return fmt.Errorf("%w: %s refunded of %s sold", app.ErrRefundTooLarge,
				money.New(refunded, r.Currency), money.New(saleTotal, r.Currency))
		case r.Tender.Amount.IsNegative() || givenBack+r.Tender.Amount.Minor() > salePaid:
			return fmt.Errorf("%w: %s given back of %s paid", app.ErrRefundTooLarge,
				money.New(givenBack, r.Currency), money.New(salePaid, r.Currency))
		}
		for _, l := range r.Lines {
			var sold, done int64
			err := tx.QueryRowContext(ctx, `SELECT qty, (SELECT coalesce(sum(qty), 0) FROM refund_lines WHERE sale_id = ? AND line_no = ?)
				FROM sale_lines WHERE sale_id = ? AND line_no = ?`, saleNo, l.LineNo, saleNo, l.LineNo).Scan(&sold, &done)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: line %d", app.ErrNoSuchLine, l.LineNo)
			}
			if err != nil {
				return err
			}
			if done+int64(l.Qty) > sold {
				return fmt.Errorf("%w: line %d", app.ErrRefundTooLarge, l.LineNo)
			}
		}
		if stored.Number, err = s.nextNumber(ctx, tx, "refund"); err != nil {
			return err
		}
		stored.ReceiptNo = app.RefundNo(stored.Till, stored.Number)
		t := stored.Tender
		if _, err := tx.ExecContext(ctx, `INSERT INTO refunds (id, uuid, till, receipt_no, sale_id, at, currency, reason, total, tax,
			rounding, tender_kind, tender_amount, approval, card_last4, reference, wallet, cashier, approved_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			stored.Number, stored.ID, stored.Till, stored.ReceiptNo, saleNo, timestamp(stored.At), stored.Currency.Code, stored.Reason,
			stored.Total.Minor(), stored.Tax.Minor(), stored.Rounding.Minor(), string(t.Kind), t.Amount.Minor(), t.Approval, t.CardLast4,
			t.Reference, t.Wallet, stored.Cashier, stored.ApprovedBy); err != nil {
			return fmt.Errorf("refund header: %w", err)
		}
		if err := s.addReportFacts(ctx, tx, "refund", stored.Number); err != nil {
			return err
		}
		if !stored.Signature.Empty() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO refund_signatures (refund_id, strokes) VALUES (?, ?)`,
				stored.Number, string(stored.Signature.JSON())); err != nil {
				return fmt.Errorf("refund signature: %w", err)
			}
		}
		if err := s.creditMember(ctx, tx, &stored); err != nil {
			return err
		}
		for _, l := range stored.Lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO refund_lines (refund_id, sale_id, line_no, qty, total, tax) VALUES (?, ?, ?, ?, ?, ?)`,
				stored.Number, saleNo, l.LineNo, int64(l.Qty), l.Total.Minor(), l.Tax.Minor()); err != nil {
				return fmt.Errorf("refund line %d: %w", l.LineNo, err)
			}
		}
		return s.journalAndSend(ctx, tx, stored.At, "refund", stored.ID, document.RefundEntry{ID: stored.ID, ReceiptNo: stored.ReceiptNo,
			SaleReceipt: stored.SaleReceipt, Total: stored.Total.Decimal(), Tender: string(t.Kind), Currency: stored.Currency.Code,
			DocSHA256: refundDocHash(&stored), SignatureSHA256: signatureDigest(stored.Signature)})
	})
	if err != nil {
		return fmt.Errorf("commit refund against %s: %w", r.SaleReceipt, err)
	}
	r.Number, r.ReceiptNo, r.Member = stored.Number, stored.ReceiptNo, stored.Member
	return nil
}

// RefundsOfSale returns the refunds made against the sale with the UUID saleID, oldest first.
func (s *Store) RefundsOfSale(ctx context.Context, saleID string) ([]app.Refund, error) {
	return s.readRefunds(ctx, `r.sale_id = (SELECT id FROM sales WHERE uuid = ?)`, saleID)
}

// readRefunds reads the refunds matching where (over refunds r), with their lines.
func (s *Store) readRefunds(ctx context.Context, where string, args ...any) ([]app.Refund, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT r.id, r.uuid, r.till, r.receipt_no, sa.uuid, sa.receipt_no, r.at, r.currency, r.reason,
		r.total, r.tax, r.rounding, r.tender_kind, r.tender_amount, r.approval, r.card_last4, r.reference, r.wallet,
		r.member_id, r.member_number, r.points_reversed, r.cashier, r.approved_by, coalesce(sg.strokes, '')
		FROM refunds r JOIN sales sa ON sa.id = r.sale_id LEFT JOIN refund_signatures sg ON sg.refund_id = r.id WHERE `+where+` ORDER BY r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Refund
	for rows.Next() {
		var r app.Refund
		var at, cur, kind string
		var total, tax, rounding, amount, reversed int64
		var memberID sql.NullInt64
		var memberNumber string
		var strokes sql.NullString
		if err := rows.Scan(&r.Number, &r.ID, &r.Till, &r.ReceiptNo, &r.SaleID, &r.SaleReceipt, &at, &cur, &r.Reason,
			&total, &tax, &rounding, &kind, &amount, &r.Tender.Approval, &r.Tender.CardLast4, &r.Tender.Reference, &r.Tender.Wallet,
			&memberID, &memberNumber, &reversed, &r.Cashier, &r.ApprovedBy, &strokes); err != nil {
			return nil, err
		}
		if r.Signature, err = storedSignature(strokes); err != nil {
			return nil, fmt.Errorf("refund %s: stored signature: %w", r.ReceiptNo, err)
		}
		if memberID.Valid {
			r.Member = &app.MemberOnSale{ID: memberID.Int64, Number: memberNumber, PointsEarned: -reversed}
		}
		if r.At, err = parseTimestamp(at); err != nil {
			return nil, err
		}
		if r.Currency, err = money.Lookup(cur); err != nil {
			return nil, err
		}
		c := r.Currency
		r.Total, r.Tax, r.Rounding = money.New(total, c), money.New(tax, c), money.New(rounding, c)
		r.Tender.Kind, r.Tender.Amount, r.Tender.Tendered, r.Tender.Change = app.TenderKind(kind), money.New(amount, c), money.New(amount, c), money.Zero(c)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	// The refunds' lines with one query, not one per refund (the outbox reads hundreds at a time).
	byNumber := make(map[int64]*app.Refund, len(out))
	for i := range out {
		byNumber[out[i].Number] = &out[i]
	}
	err = each(ctx, s.r, func(rows *sql.Rows) error {
		var refundID int64
		var l app.RefundLine
		var qty, total, tax int64
		var unit string
		var per sql.NullString
		if err := rows.Scan(&refundID, &l.LineNo, &qty, &total, &tax, &l.Product.ID, &l.Product.SKU, &l.Product.Name, &l.Product.NameZH,
			&unit, &per); err != nil {
			return err
		}
		l.Product.PriceUnit = app.PriceUnit(per.String)
		r := byNumber[refundID]
		l.Qty, l.Total, l.Tax, l.Product.Unit = app.Quantity(qty), money.New(total, r.Currency), money.New(tax, r.Currency), app.Unit(unit)
		r.Lines = append(r.Lines, l)
		return nil
	}, `SELECT rl.refund_id, rl.line_no, rl.qty, rl.total, rl.tax, sl.product_id, sl.sku, sl.name, sl.name_zh, sl.unit, sl.price_unit
		FROM refund_lines rl JOIN sale_lines sl ON sl.sale_id = rl.sale_id AND sl.line_no = rl.line_no
		WHERE rl.refund_id IN (SELECT r.id FROM refunds r JOIN sales sa ON sa.id = r.sale_id WHERE `+where+`)
		ORDER BY rl.refund_id, rl.line_no`, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// verifyRefund checks that the refund a journal entry names still has exactly the rows it was committed
// with, and returns it.
func (s *Store) verifyRefund(ctx context.Context, payload string) (*app.Refund, error) {
	var e document.RefundEntry
	if err := json.Unmarshal([]byte(payload), &e); err != nil || e.ID == "" {
		return nil, fmt.Errorf("unreadable refund entry")
	}
	refunds, err := s.readRefunds(ctx, `r.uuid = ?`, e.ID)
	if err != nil {
		return nil, err
	}
	if len(refunds) != 1 {
		return nil, fmt.Errorf("refund %s is missing from the refunds table", e.ReceiptNo)
	}
	if signatureDigest(refunds[0].Signature) != e.SignatureSHA256 {
		return nil, fmt.Errorf("refund %s: its stored signature differs from what was journaled", e.ReceiptNo)
	}
	if refundDocHash(&refunds[0]) != e.DocSHA256 {
		return nil, fmt.Errorf("refund %s: its stored rows differ from what was journaled", e.ReceiptNo)
	}
	return &refunds[0], nil
}
