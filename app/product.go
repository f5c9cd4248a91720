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

// PriceUnit is the weight a weighed product's price is for, when not a kilogram. A product so priced
// is still UnitKg: its quantities stay grams, so stock, counts, GS1 weights, refunds and reports work
// as they do for any weighed product, and only the price (and how selling shows the weight) differs.
type PriceUnit string

// Price units. The zero value prices a product per its Unit: per piece, or per kilogram.
const (
	PerUnit PriceUnit = ""
	PerJin  PriceUnit = "jin"  // 斤, 500 g: how markets in China price fruit, vegetables and meat
	Per100g PriceUnit = "100g" // delicatessen counters and bulk sweets
)

// Grams returns how many grams the price is for (0 for PerUnit).
func (pu PriceUnit) Grams() int64 {
	switch pu {
	case PerJin:
		return 500
	case Per100g:
		return 100
	}
	return 0
}

// Valid reports whether pu is a known price unit.
func (pu PriceUnit) Valid() bool { return pu == PerUnit || pu.Grams() > 0 }

// unitNames are the ways catalog files and the product editor write how a product is sold, in lower
// case: ours first (what export writes back), and as shops in China write them. 斤 and 100 g are prices
// per weight, so they are kg with a price unit.
var unitNames = map[string]struct {
	Unit
	PriceUnit
}{
	"piece": {UnitPiece, PerUnit}, "件": {UnitPiece, PerUnit}, "个": {UnitPiece, PerUnit},
	"kg": {UnitKg, PerUnit}, "千克": {UnitKg, PerUnit}, "公斤": {UnitKg, PerUnit},
	"jin": {UnitKg, PerJin}, "斤": {UnitKg, PerJin}, "500g": {UnitKg, PerJin},
	"100g": {UnitKg, Per100g}, "100克": {UnitKg, Per100g},
}

// UnitChoices are the units export writes and the product editor offers, in that order.
var UnitChoices = []string{"piece", "kg", "jin", "100g"}

// ParseUnit reads a unit as a catalog file or the product editor gives it: piece (件, 个), kg (千克, 公斤),
// jin (斤, 500g) or 100g (100克), in any case; jin and 100g are sold by weight (UnitKg) priced per pu.
func ParseUnit(s string) (u Unit, pu PriceUnit, ok bool) {
	n, ok := unitNames[strings.ToLower(strings.TrimSpace(s))]
	return n.Unit, n.PriceUnit, ok
}

// UnitCode is the product's unit as catalog files write it (UnitChoices): ParseUnit reads it back.
func (p Product) UnitCode() string {
	if p.PriceUnit != PerUnit {
		return string(p.PriceUnit)
	}
	return string(p.Unit)
}

// PricedPer is the quantity, in thousandths, that the product's price is for: 1000 (a piece, a
// kilogram), 500 (a 斤) or 100 (100 g). A line's gross is price × quantity / PricedPer, rounded once.
func (p Product) PricedPer() int64 {
	if g := p.PriceUnit.Grams(); g > 0 && p.Unit == UnitKg {
		return g
	}
	return 1000
}

// PerKg returns the product's price for a kilogram in minor units, rounded half to even where that is
// not exact (never for the price units there are: 斤 is ×2, 100 g ×10); exact reports whether it was,
// and ok is false when it would not fit in int64.
func (p Product) PerKg() (minor int64, exact, ok bool) {
	per := p.PricedPer()
	minor, ok = money.MulDiv(p.Price.Minor(), 1000, per)
	// Exact when per divides 1000 (it does for every price unit), else when it divides price × 1000.
	return minor, ok && (1000%per == 0 || p.Price.Minor()%per*(1000%per)%per == 0), ok
}

// Product is an item the shop sells. Price is per piece, or for UnitKg per kilogram or per its PriceUnit.
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
	// PriceUnit is the weight Price is for when not a kilogram; PerUnit for pieces.
	PriceUnit PriceUnit
	TaxClass  string
	Active    bool
	Cost      money.Amount // what one unit (a piece, a kilogram whatever the price unit) costs the shop, last received
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
