package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
	"checkout/hq/api"
)

// PutStockAlerts replaces the till's low-stock list at the head office with a.
func (c *Client) PutStockAlerts(ctx context.Context, a document.StockAlerts) (api.StockAlertsReply, error) {
	var reply api.StockAlertsReply
	err := c.do(ctx, http.MethodPut, api.StockAlertsPath(c.cfg.Shop), a, &reply)
	return reply, err
}

// StockAlerts is the head office as the till reports its low stock to it (app.StockAlerts).
type StockAlerts struct {
	Client *Client
}

var _ app.StockAlerts = (*StockAlerts)(nil)

// ReportLowStock puts levels as the till's low-stock list, checked first as the head office will check
// it: a list it would refuse is not sent, and the error says why.
func (s *StockAlerts) ReportLowStock(ctx context.Context, levels []app.StockLevel) error {
	doc := StockAlertsDocument(levels)
	body, err := json.Marshal(doc)
	if err == nil {
		_, err = document.CheckStockAlerts(body)
	}
	if err != nil {
		return fmt.Errorf("low-stock list: %w", err)
	}
	_, err = s.Client.PutStockAlerts(ctx, doc)
	return err
}

// StockAlertsDocument is a low-stock list as the head office keeps it, at most document.MaxStockAlerts
// products (the first: LowStock lists the lowest cover first). Quantities are written as the cashier
// reads them, kilograms to the gram and whole pieces: stock down (a part piece below zero is a piece
// short), a reorder point up, so a product low in thousandths is low in pieces too. Names are cut to
// document.MaxText characters.
func StockAlertsDocument(levels []app.StockLevel) document.StockAlerts {
	levels = levels[:min(len(levels), document.MaxStockAlerts)]
	d := document.StockAlerts{Products: make([]document.LowStock, 0, len(levels))}
	for _, l := range levels {
		p := document.LowStock{SKU: l.Product.SKU, Name: cut(l.Product.Name), NameZH: cut(l.Product.NameZH), Unit: string(l.Product.Unit)}
		if l.Product.Unit == app.UnitKg {
			p.OnHand, p.ReorderPoint = money.FormatFixed(int64(l.OnHand), 3), money.FormatFixed(int64(l.ReorderPoint), 3)
		} else {
			p.OnHand, p.ReorderPoint = money.FormatFixed(floorDiv(int64(l.OnHand), 1000), 0), money.FormatFixed(-floorDiv(-int64(l.ReorderPoint), 1000), 0)
		}
		d.Products = append(d.Products, p)
	}
	return d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// cut cuts s to document.MaxText characters.
func cut(s string) string {
	if utf8.RuneCountInString(s) <= document.MaxText {
		return s
	}
	return string([]rune(s)[:document.MaxText])
}
