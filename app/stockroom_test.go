package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// stockShelf is the part of a CatalogManager that finding a product reads.
type stockShelf struct {
	CatalogManager // nil: the rest is not called
	shelf          shelf
}

func (s stockShelf) ProductByBarcode(ctx context.Context, code string) (Product, error) {
	return s.shelf.ProductByBarcode(ctx, code)
}

func (s stockShelf) SearchCatalog(_ context.Context, query string, _ int) ([]Product, error) {
	var found []Product
	for _, p := range s.shelf {
		if strings.Contains(strings.ToLower(p.SKU+" "+p.Name), strings.ToLower(query)) {
			found = append(found, p)
		}
	}
	return found, nil
}

// The back office finds a product by its barcode, else by its SKU exactly; a name or part of an SKU is
// not a code.
func TestStockroomFindsByBarcodeOrSKU(t *testing.T) {
	ctx := context.Background()
	r := NewStockroom(DefaultSettings(), stockShelf{shelf: shelf{"6900000000014": cola}}, time.Now)
	for code, ok := range map[string]bool{"6900000000014": true, " " + strings.ToLower(cola.SKU) + " ": true, cola.Name: false, "6900000000021": false} {
		p, err := r.FindProduct(ctx, code)
		if ok && (err != nil || p.SKU != cola.SKU) || !ok && !errors.Is(err, ErrUnknownBarcode) {
			t.Errorf("FindProduct(%q) = %v, %v", code, p.SKU, err)
		}
	}
}
