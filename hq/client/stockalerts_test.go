package client

import (
	"encoding/json"
	"strings"
	"testing"

	"checkout/app"
	"checkout/app/document"
)

// A low-stock list as the head office keeps it: quantities as the cashier reads them, a part piece
// rounded so the product stays low, names cut to what the head office takes, at most 500 products;
// and it passes the head office's check.
func TestStockAlertsDocument(t *testing.T) {
	level := func(sku string, unit app.Unit, onHand, point app.Quantity) app.StockLevel {
		return app.StockLevel{Product: app.Product{SKU: sku, Name: "Cola", Unit: unit}, OnHand: onHand, ReorderPoint: point}
	}
	levels := []app.StockLevel{
		level("A", app.UnitPiece, -500, 0),    // half a piece below zero: a piece short
		level("B", app.UnitPiece, 2500, 2500), // at a reorder point of two and a half pieces
		level("C", app.UnitKg, 455, 5000),     // 0.455 kg against 5 kg
		level("D", app.UnitPiece, 0, app.Pieces(6)),
	}
	levels[3].Product.Name = strings.Repeat("长", document.MaxText+5)
	d := StockAlertsDocument(levels)
	want := [][2]string{{"-1", "0"}, {"2", "3"}, {"0.455", "5.000"}, {"0", "6"}}
	for i, p := range d.Products {
		if p.OnHand != want[i][0] || p.ReorderPoint != want[i][1] {
			t.Errorf("%s: on hand %s, reorder point %s, want %v", p.SKU, p.OnHand, p.ReorderPoint, want[i])
		}
	}
	if n := len([]rune(d.Products[3].Name)); n != document.MaxText {
		t.Errorf("a long name is %d characters", n)
	}
	body, _ := json.Marshal(d)
	if _, err := document.CheckStockAlerts(body); err != nil {
		t.Error(err)
	}
	many := make([]app.StockLevel, 600)
	for i := range many {
		many[i] = level(strings.Repeat("S", 1+i%60)+string(rune('a'+i/60)), app.UnitPiece, 0, app.Pieces(1))
	}
	if d := StockAlertsDocument(many); len(d.Products) != document.MaxStockAlerts || d.Products[0].SKU != many[0].Product.SKU {
		t.Errorf("%d products from 600", len(d.Products))
	}
}
