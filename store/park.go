package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// parkedLine is a parked cart line as stored: the product as it was priced, and what the cashier set.
type parkedLine struct {
	ProductID int64  `json:"product_id"`
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	NameZH    string `json:"name_zh,omitempty"`
	Category  string `json:"category,omitempty"`
	Price     int64  `json:"price"`
	Unit      string `json:"unit"`
	PriceUnit string `json:"price_unit,omitempty"` // jin, 100g: what Price is for
	TaxClass  string `json:"tax_class"`
	Qty       int64  `json:"qty"`
	Label     *int64 `json:"label,omitempty"`
	Off       int64  `json:"discount_amount,omitempty"`
	OffBP     int64  `json:"discount_bp,omitempty"`
}

// parkedTender is a payment taken on a cart as stored (an open cart's; see app.ParkedCart.Tenders).
type parkedTender struct {
	Kind      string `json:"kind"`
	Amount    int64  `json:"amount"`
	Tendered  int64  `json:"tendered"`
	Change    int64  `json:"change,omitempty"`
	Reference string `json:"reference,omitempty"`
	Approval  string `json:"approval,omitempty"`
	CardLast4 string `json:"card_last4,omitempty"`
	Wallet    string `json:"wallet,omitempty"`
	Points    int64  `json:"points,omitempty"`
}

// parkedColumns are a parked cart's columns, as scanParked reads them.
const parkedColumns = `id, till, parked_at, currency, total, lines, member, tenders, coupons`

// Park stores a parked cart. The sale's open cart, if the till kept one, goes in the same transaction.
func (s *Store) Park(ctx context.Context, p app.ParkedCart) error {
	doc, tenders, coupons, err := parkedDocs(p)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM parked_carts WHERE id = ? AND open = 1`, p.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO parked_carts (`+parkedColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.Till, timestamp(p.ParkedAt), p.Total.Currency().Code, p.Total.Minor(), doc, p.Member, tenders, coupons)
		return err
	})
}

// parkedDocs returns a parked cart's lines, tenders and coupons as stored, in JSON.
func parkedDocs(p app.ParkedCart) (lines, tenders, coupons string, err error) {
	ls := make([]parkedLine, 0, len(p.Lines))
	for _, l := range p.Lines {
		pl := parkedLine{ProductID: l.Product.ID, SKU: l.Product.SKU, Name: l.Product.Name, NameZH: l.Product.NameZH,
			Category: l.Product.Category, Price: l.Product.Price.Minor(), Unit: string(l.Product.Unit), TaxClass: l.Product.TaxClass,
			PriceUnit: string(l.Product.PriceUnit), Qty: int64(l.Qty), Off: l.Discount.Amount.Minor(), OffBP: l.Discount.PercentBP}
		if l.Label != nil {
			v := l.Label.Minor()
			pl.Label = &v
		}
		ls = append(ls, pl)
	}
	ts := make([]parkedTender, 0, len(p.Tenders))
	for _, t := range p.Tenders {
		ts = append(ts, parkedTender{Kind: string(t.Kind), Amount: t.Amount.Minor(), Tendered: t.Tendered.Minor(), Change: t.Change.Minor(),
			Reference: t.Reference, Approval: t.Approval, CardLast4: t.CardLast4, Wallet: t.Wallet, Points: t.Points})
	}
	l, err := json.Marshal(ls)
	if err != nil {
		return "", "", "", err
	}
	t, err := json.Marshal(ts)
	if err != nil {
		return "", "", "", err
	}
	c, err := json.Marshal(append([]string{}, p.Coupons...)) // [] rather than null for none
	return string(l), string(t), string(c), err
}

// ParkedAt lists the till's parked carts, oldest first.
func (s *Store) ParkedAt(ctx context.Context, till string) ([]app.ParkedCart, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+parkedColumns+` FROM parked_carts WHERE till = ? AND open = 0 ORDER BY parked_at, id`, till)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.ParkedCart
	for rows.Next() {
		p, err := scanParked(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Unpark removes a parked cart and returns it.
func (s *Store) Unpark(ctx context.Context, id string) (app.ParkedCart, error) {
	var p app.ParkedCart
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanParked(tx.QueryRowContext(ctx, `DELETE FROM parked_carts WHERE id = ? AND open = 0 RETURNING `+parkedColumns, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("%w: %s", app.ErrNotParked, id)
	}
	return p, err
}

var _ app.CartWithdrawals = (*Store)(nil)

// Withdraw records that the parked cart id, resumed at at, is to be withdrawn from the head office.
func (s *Store) Withdraw(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO cart_withdrawals (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, id, timestamp(at))
		return err
	})
}

// Withdrawals lists the carts to withdraw from the head office, oldest first.
func (s *Store) Withdrawals(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM cart_withdrawals ORDER BY at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Withdrawn forgets the cart id's withdrawal.
func (s *Store) Withdrawn(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM cart_withdrawals WHERE id = ?`, id)
		return err
	})
}

func scanParked(row interface{ Scan(...any) error }) (app.ParkedCart, error) {
	var p app.ParkedCart
	var at, cur, doc, tenders, coupons string
	var total int64
	if err := row.Scan(&p.ID, &p.Till, &at, &cur, &total, &doc, &p.Member, &tenders, &coupons); err != nil {
		return p, err
	}
	var err error
	if p.ParkedAt, err = parseTimestamp(at); err != nil {
		return p, err
	}
	c, err := money.Lookup(cur)
	if err != nil {
		return p, err
	}
	p.Total = money.New(total, c)
	var lines []parkedLine
	if err := json.Unmarshal([]byte(doc), &lines); err != nil {
		return p, fmt.Errorf("parked cart %s: %w", p.ID, err)
	}
	for _, pl := range lines {
		l := app.Line{Product: app.Product{ID: pl.ProductID, SKU: pl.SKU, Name: pl.Name, NameZH: pl.NameZH, Category: pl.Category,
			Price: money.New(pl.Price, c), Unit: app.Unit(pl.Unit), PriceUnit: app.PriceUnit(pl.PriceUnit), TaxClass: pl.TaxClass, Active: true},
			Qty: app.Quantity(pl.Qty), Discount: app.Discount{Amount: money.New(pl.Off, c), PercentBP: pl.OffBP}}
		if pl.Label != nil {
			v := money.New(*pl.Label, c)
			l.Label = &v
		}
		p.Lines = append(p.Lines, l)
	}
	if err := json.Unmarshal([]byte(coupons), &p.Coupons); err != nil {
		return p, fmt.Errorf("parked cart %s: coupons: %w", p.ID, err)
	}
	var ts []parkedTender
	if err := json.Unmarshal([]byte(tenders), &ts); err != nil {
		return p, fmt.Errorf("parked cart %s: tenders: %w", p.ID, err)
	}
	for _, pt := range ts {
		p.Tenders = append(p.Tenders, app.Tender{Kind: app.TenderKind(pt.Kind), Amount: money.New(pt.Amount, c),
			Tendered: money.New(pt.Tendered, c), Change: money.New(pt.Change, c), Reference: pt.Reference,
			Approval: pt.Approval, CardLast4: pt.CardLast4, Wallet: pt.Wallet, Points: pt.Points})
	}
	return p, nil
}
