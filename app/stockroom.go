package app

import (
	"context"
	"errors"
	"strings"
	"time"
)

// CatalogManager is the catalog and stock the back office works on; the store implements it.
type CatalogManager interface {
	Catalog
	CatalogEditor
	CatalogWriter
	StockLedger
	// ProductPage is a page of the product list in SKU order, after the SKU after; SearchCatalog finds
	// products as SearchProducts does, inactive ones too.
	ProductPage(ctx context.Context, after string, limit int) ([]Product, error)
	SearchCatalog(ctx context.Context, query string, limit int) ([]Product, error)
	ProductDetail(ctx context.Context, id int64) (CatalogEntry, error)
	Categories(ctx context.Context) ([]string, error)
	CountProducts(ctx context.Context) (int64, error)
	// StockHistory is a product's latest stock movements, newest first.
	StockHistory(ctx context.Context, productID int64, limit int) ([]LedgerEntry, error)
}

// Stockroom is the back office's catalog and stock use cases over a CatalogManager: finding products,
// saving them (PermCatalogEdit), receiving, adjusting and counting stock (Inventory), and importing a
// catalog file (CheckCatalog, then CatalogCheck.Apply).
type Stockroom struct {
	*Inventory
	catalog  CatalogManager
	settings Settings
	now      func() time.Time
}

var _ StockService = (*Stockroom)(nil)

// NewStockroom returns the stock use cases of a till with settings s over catalog. now is the clock.
func NewStockroom(s Settings, catalog CatalogManager, now func() time.Time) *Stockroom {
	return &Stockroom{Inventory: NewInventory(catalog, now), catalog: catalog, settings: s, now: now}
}

// FindProduct returns the product a code names: a barcode, else an SKU, active or not.
func (r *Stockroom) FindProduct(ctx context.Context, code string) (Product, error) {
	code = strings.TrimSpace(code)
	p, err := r.catalog.ProductByBarcode(ctx, code)
	if err == nil || !errors.Is(err, ErrUnknownBarcode) {
		return p, err
	}
	found, ferr := r.catalog.SearchCatalog(ctx, code, 1)
	if ferr != nil {
		return Product{}, ferr
	}
	if len(found) == 1 && strings.EqualFold(found[0].SKU, code) {
		return found[0], nil
	}
	return Product{}, err
}

// ProductPage is a page of the product list in SKU order, after the SKU after.
func (r *Stockroom) ProductPage(ctx context.Context, after string, limit int) ([]Product, error) {
	return r.catalog.ProductPage(ctx, after, limit)
}

// SearchCatalog finds products by name, pinyin initials, SKU or barcode, inactive ones too.
func (r *Stockroom) SearchCatalog(ctx context.Context, query string, limit int) ([]Product, error) {
	return r.catalog.SearchCatalog(ctx, query, limit)
}

// ProductDetail is a product with its barcodes, for the editor.
func (r *Stockroom) ProductDetail(ctx context.Context, id int64) (CatalogEntry, error) {
	return r.catalog.ProductDetail(ctx, id)
}

// Categories lists the categories products are in.
func (r *Stockroom) Categories(ctx context.Context) ([]string, error) {
	return r.catalog.Categories(ctx)
}

// CountProducts counts the catalog's products.
func (r *Stockroom) CountProducts(ctx context.Context) (int64, error) {
	return r.catalog.CountProducts(ctx)
}

// StockHistory is a product's latest stock movements, newest first.
func (r *Stockroom) StockHistory(ctx context.Context, productID int64, limit int) ([]LedgerEntry, error) {
	return r.catalog.StockHistory(ctx, productID, limit)
}

// LowStock lists products at or below their reorder point, lowest cover first.
func (r *Stockroom) LowStock(ctx context.Context, limit int) ([]StockLevel, error) {
	return r.catalog.LowStock(ctx, limit)
}

// SaveProduct checks form and saves it for s, who needs PermCatalogEdit (see the function SaveProduct).
func (r *Stockroom) SaveProduct(ctx context.Context, s *Session, form ProductForm) (Product, error) {
	return SaveProduct(ctx, r.catalog, r.settings, form, s, r.now())
}

// CheckCatalog reads a catalog file through once without importing it (see the function CheckCatalog).
func (r *Stockroom) CheckCatalog(ctx context.Context, file CatalogFile, progress func(ImportProgress)) (*CatalogCheck, error) {
	return CheckCatalog(ctx, r.catalog, r.settings, file, progress)
}
