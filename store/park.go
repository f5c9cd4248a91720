package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

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
	TaxClass  string `json:"tax_class"`
	Qty       int64  `json:"qty"`
	Label     *int64 `json:"label,omitempty"`
	Off       int64  `json:"discount_amount,omitempty"`
	OffBP     int64  `json:"discount_bp,omitempty"`
}

// Park stores a parked cart.
func (s *Store) Park(ctx context.Context, p app.ParkedCart) error {
	lines := make([]parkedLine, 0, len(p.Lines))
	for _, l := range p.Lines {
		pl := parkedLine{ProductID: l.Product.ID, SKU: l.Product.SKU, Name: l.Product.Name, NameZH: l.Product.NameZH,
			Category: l.Product.Category, Price: l.Product.Price.Minor(), Unit: string(l.Product.Unit), TaxClass: l.Product.TaxClass,
			Qty: int64(l.Qty), Off: l.Discount.Amount.Minor(), OffBP: l.Discount.PercentBP}
		if l.Label != nil {
			v := l.Label.Minor()
			pl.Label = &v
		}
		lines = append(lines, pl)
	}
	doc, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO parked_carts (id, till, parked_at, currency, total, lines) VALUES (?, ?, ?, ?, ?, ?)`,
			p.ID, p.Till, timestamp(p.ParkedAt), p.Total.Currency().Code, p.Total.Minor(), string(doc))
		return err
	})
}

// ParkedAt lists the till's parked carts, oldest first.
func (s *Store) ParkedAt(ctx context.Context, till string) ([]app.ParkedCart, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, till, parked_at, currency, total, lines FROM parked_carts WHERE till = ? ORDER BY parked_at, id`, till)
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
		p, err = scanParked(tx.QueryRowContext(ctx, `DELETE FROM parked_carts WHERE id = ? RETURNING id, till, parked_at, currency, total, lines`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("%w: %s", app.ErrNotParked, id)
	}
	return p, err
}

func scanParked(row interface{ Scan(...any) error }) (app.ParkedCart, error) {
	var p app.ParkedCart
	var at, cur, doc string
	var total int64
	if err := row.Scan(&p.ID, &p.Till, &at, &cur, &total, &doc); err != nil {
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
			Price: money.New(pl.Price, c), Unit: app.Unit(pl.Unit), TaxClass: pl.TaxClass, Active: true},
			Qty: app.Quantity(pl.Qty), Discount: app.Discount{Amount: money.New(pl.Off, c), PercentBP: pl.OffBP}}
		if pl.Label != nil {
			v := money.New(*pl.Label, c)
			l.Label = &v
		}
		p.Lines = append(p.Lines, l)
	}
	return p, nil
}
