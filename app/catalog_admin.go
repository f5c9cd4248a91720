package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"checkout/app/barcode"
)

// ProductForm is a product as the owner edits it, every field as typed. It is checked by the same rules
// as a catalog file's row, so the screen and an import can never disagree on what a valid product is.
type ProductForm struct {
	ID                     int64 // 0 for a new product
	SKU, Name, NameZH      string
	Category, CategoryZH   string // the category and its Chinese name
	Unit, Price, Cost      string
	ReorderPoint, TaxClass string
	Barcodes               []string
	Active                 bool
}

// FormOf is the form showing an existing product and its barcodes.
func FormOf(e CatalogEntry) ProductForm {
	p := e.Product
	rp := ""
	if p.ReorderPoint != 0 {
		rp = p.ReorderPoint.Format(p.Unit)
	}
	return ProductForm{ID: p.ID, SKU: p.SKU, Name: p.Name, NameZH: p.NameZH, Category: p.Category,
		CategoryZH: p.CategoryZH, Unit: p.UnitCode(),
		Price: p.Price.Decimal(), Cost: p.Cost.Decimal(), ReorderPoint: rp, TaxClass: p.TaxClass,
		Barcodes: append([]string(nil), e.Barcodes...), Active: p.Active}
}

// Entry checks the form and returns the product it describes, or an error wrapping ErrInvalidProduct that
// says what is wrong.
func (f ProductForm) Entry(s Settings) (CatalogEntry, error) {
	active := "no"
	if f.Active {
		active = "yes"
	}
	row := productRow{f.SKU, strings.Join(f.Barcodes, "|"), f.Name, f.NameZH, f.Category, f.CategoryZH, f.Unit, f.Price,
		f.Cost, f.ReorderPoint, f.TaxClass, active}
	for c := range row {
		row[c] = strings.TrimSpace(row[c])
	}
	e, reason := row.entry(s)
	if reason != "" {
		return CatalogEntry{}, fmt.Errorf("%w: %s", ErrInvalidProduct, reason)
	}
	seen := map[string]bool{}
	for _, code := range e.Barcodes {
		gtin := barcode.NormalizeGTIN(code)
		if seen[gtin] {
			return CatalogEntry{}, fmt.Errorf("%w: barcode %s is listed twice", ErrInvalidProduct, code)
		}
		seen[gtin] = true
	}
	e.Product.ID = f.ID
	return e, nil
}

// CatalogEditor is where the owner's product changes are kept; the store implements it.
type CatalogEditor interface {
	// SaveProduct creates the product (ID 0) or replaces every field and barcode of it, journaling a
	// changed price with the old and the new, and returns its ID. A SKU or barcode another product has
	// fails it with ErrInvalidProduct, changing nothing.
	SaveProduct(ctx context.Context, e CatalogEntry, user string, at time.Time) (int64, error)
}

// SaveProduct checks form and saves it for by, who needs PermCatalogEdit; it returns the product as saved.
func SaveProduct(ctx context.Context, editor CatalogEditor, s Settings, form ProductForm, by *Session, at time.Time) (Product, error) {
	e, err := form.Entry(s)
	if err != nil {
		return Product{}, err
	}
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return Product{}, err
	}
	id, err := editor.SaveProduct(ctx, e, by.Name(), at)
	if err != nil {
		return Product{}, err
	}
	e.Product.ID = id
	return e.Product, nil
}
