package app

import (
	"context"
	"strings"

	"checkout/app/money"
)

// Unit is how a product is sold.
type Unit string

// Units.
const (
	UnitPiece Unit = "piece"
	UnitKg    Unit = "kg" // priced per kilogram, quantity in grams
)

// Valid reports whether u is a known unit.
func (u Unit) Valid() bool { return u == UnitPiece || u == UnitKg }

// unitNames are the ways catalog files write the units, in lower case: ours, and as shops in China
// write them. 斤 (half a kilogram) and 克 (a gram) are not here: they are other units, not other names.
var unitNames = map[string]Unit{
	"piece": UnitPiece, "件": UnitPiece, "个": UnitPiece,
	"kg": UnitKg, "千克": UnitKg, "公斤": UnitKg,
}

// ParseUnit reads a unit as a catalog file or the product editor gives it: piece or kg in any case, or
// 件, 个 (piece), 千克, 公斤 (kg).
func ParseUnit(s string) (Unit, bool) {
	u, ok := unitNames[strings.ToLower(strings.TrimSpace(s))]
	return u, ok
}

// Product is an item the shop sells. Price is per piece, or per kilogram for UnitKg.
type Product struct {
	ID       int64
	SKU      string
	Name     string // Latin-script name
	NameZH   string // Chinese name, may be empty
	Category string
	// CategoryZH is the category's Chinese name, may be empty.
	CategoryZH string
	Price      money.Amount
	Unit       Unit
	TaxClass   string
	Active     bool
	Cost       money.Amount // what one unit costs the shop, last received
	// ReorderPoint is the stock at or below which the product is low (0: never).
	ReorderPoint Quantity
	// OnHand is the stock when the product was read: the stock ledger's sum, kept by the store.
	OnHand Quantity
}

// DisplayName returns the product's name in the UI language (a BCP 47 tag such as "zh-Hans" or "en").
func (p Product) DisplayName(language string) string {
	return InLanguage(language, p.Name, p.NameZH)
}

// DisplayCategory returns the product's category in the UI language, as DisplayName does its name.
func (p Product) DisplayCategory(language string) string {
	return InLanguage(language, p.Category, p.CategoryZH)
}

// InLanguage picks the Chinese of a name under a zh language when there is one, and the other name
// otherwise (or the Chinese when the other is empty).
func InLanguage(language, name, zh string) string {
	if zh != "" && (name == "" || strings.HasPrefix(language, "zh")) {
		return zh
	}
	return name
}

// Catalog finds products. The store implements it with indexed queries.
type Catalog interface {
	// ProductByBarcode returns the product with the code, or an error wrapping ErrUnknownBarcode. A GTIN
	// matches in any of its lengths (barcode.NormalizeGTIN); any other code matches exactly.
	ProductByBarcode(ctx context.Context, code string) (Product, error)
	// SearchProducts returns up to limit active products whose name, SKU or barcode matches query.
	SearchProducts(ctx context.Context, query string, limit int) ([]Product, error)
}
