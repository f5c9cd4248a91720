package document

import (
	"fmt"
	"unicode/utf8"
)

// StockAlerts is a till's products at or below their reorder point, as its own stock ledger has them,
// lowest cover first: a snapshot the till sends its head office after a sync, replacing the one it sent
// before, so the owner sees what each shop is running out of. Like a Cart it is not a journal document:
// the head office keeps the latest alone, and checks it with CheckStockAlerts, for what a till says of its
// stock is a claim, not a fact. An empty list says nothing is low.
type StockAlerts struct {
	Products []LowStock `json:"products"`
}

// LowStock is one product of a till's low-stock list, by SKU (the shop's tills share the catalog).
type LowStock struct {
	SKU    string `json:"sku"`
	Name   string `json:"name"`
	NameZH string `json:"name_zh,omitempty"`
	Unit   string `json:"unit"`
	// OnHand is the till's ledger's stock of it as the cashier reads a quantity (whole pieces, or
	// kilograms to the gram), below zero when sold beyond what the ledger has.
	OnHand string `json:"on_hand"`
	// ReorderPoint is the stock at or below which it is low, the same way; "0" for a product listed
	// only because its stock is below zero.
	ReorderPoint string `json:"reorder_point"`
}

// MaxStockAlerts bounds a low-stock list: the till sends the lowest cover first, this many at most.
const MaxStockAlerts = 500

// CheckStockAlerts reads body as a till's low-stock list and checks it is well formed: at most
// MaxStockAlerts products, each once, in valid UTF-8, with an SKU and names without control characters, quantities
// written as the till writes them and within MaxQty, a reorder point not below zero, and each product
// low indeed (at or below its reorder point, or below zero). It returns the list, or an error wrapping
// ErrInvalid that says what is wrong.
func CheckStockAlerts(body []byte) (*StockAlerts, error) {
	var c checker
	if !utf8.Valid(body) {
		// encoding/json would read the bytes as U+FFFD: a list that is not UTF-8 is refused whole.
		c.fail("not UTF-8")
	}
	a := c.stockAlerts(decode[StockAlerts](&c, body))
	if c.err != nil {
		return nil, fmt.Errorf("%w: stock alerts: %v", ErrInvalid, c.err)
	}
	return a, nil
}

func (c *checker) stockAlerts(a *StockAlerts) *StockAlerts {
	if a == nil {
		return nil
	}
	if a.Products == nil {
		c.fail("no products list")
	}
	if len(a.Products) > MaxStockAlerts {
		c.fail("%d products, at most %d", len(a.Products), MaxStockAlerts)
	}
	seen := make(map[string]bool, len(a.Products))
	for i, p := range a.Products {
		if !c.ok() {
			break
		}
		field := fmt.Sprintf("product %d", i+1)
		c.text(field+" sku", p.SKU)
		if !skuPattern.MatchString(p.SKU) {
			c.fail("%s sku %q", field, p.SKU)
		}
		if seen[p.SKU] {
			c.fail("%s sku %q is listed twice", field, p.SKU)
		}
		seen[p.SKU] = true
		c.text(field+" name", p.Name)
		c.text(field+" name_zh", p.NameZH)
		onHand := c.quantity(field+" on_hand", p.OnHand, p.Unit, -MaxQty)
		point := c.quantity(field+" reorder_point", p.ReorderPoint, p.Unit, 0)
		if c.ok() && onHand >= 0 && (point == 0 || onHand > point) {
			c.fail("%s: %s on hand is not low against a reorder point of %s", field, p.OnHand, p.ReorderPoint)
		}
	}
	return a
}
