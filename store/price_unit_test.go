package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/barcode"
)

// undoPriceUnits takes a store back to before migration 0045, as a till upgraded with history has it.
const undoPriceUnits = `DROP TRIGGER products_price_unit_insert; DROP TRIGGER products_price_unit_update;
	DROP TRIGGER sale_lines_price_unit; ALTER TABLE products DROP COLUMN price_unit; ALTER TABLE sale_lines DROP COLUMN price_unit;
	DELETE FROM schema_migrations WHERE version = 45`

var rice = app.CatalogEntry{Product: app.Product{SKU: "RIC-001", Name: "Rice", NameZH: "大米", Category: "staples",
	Price: cny(699), Unit: app.UnitKg, PriceUnit: app.PerJin, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000202000004"}}

// Migration 0045 on a till that has products and sales: they read, reprint and verify as before; a
// product priced per 斤 then sells per 斤, and its sale says so after the product is repriced per kg.
func TestPriceUnitMigrationKeepsHistory(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	old := sellCash(t, s, "5449000000996", "0.455*2000101000006")
	if _, err := s.w.ExecContext(ctx, undoPriceUnits); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.VerifyJournal(ctx); err != nil || n != 1 {
		t.Fatalf("journal after the migration: %d rows, %v", n, err)
	}
	banana, err := s.ProductByBarcode(ctx, "2000101000006")
	if err != nil || banana.Unit != app.UnitKg || banana.PriceUnit != app.PerUnit || banana.PricedPer() != 1000 {
		t.Errorf("banana after the migration: %+v, %v", banana, err)
	}
	stored, err := s.SaleByReceipt(ctx, old.ReceiptNo)
	if err != nil || stored.Lines[1].Product.PriceUnit != app.PerUnit || stored.Lines[1].Gross != old.Lines[1].Gross {
		t.Fatalf("old sale after the migration: %+v, %v", stored, err)
	}

	id, err := s.SaveProduct(ctx, rice, "Olivia", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.ProductByBarcode(ctx, "2000202000004")
	if err != nil || got.PriceUnit != app.PerJin || got.Price != cny(699) {
		t.Fatalf("rice: %+v, %v", got, err)
	}
	sale := sellCash(t, s, "1.5*2000202000004", gs1label("200020200333"))
	if g := sale.Lines[0].Gross.Minor(); g != 1048 { // 750 g at 6.99/斤 = 10.485
		t.Errorf("1.5 斤 of rice: %d", g)
	}
	if g := sale.Lines[1].Gross.Minor(); g != 466 { // 333 g = 4.65534
		t.Errorf("333 g of rice: %d", g)
	}
	if n := count(t, s, "sale_lines WHERE price_unit = 'jin'"); n != 2 {
		t.Errorf("%d sale lines remember 斤", n)
	}
	prices := count(t, s, "journal WHERE kind = 'price'")
	perKg := rice
	perKg.Product.ID, perKg.Product.PriceUnit = id, app.PerUnit
	if _, err := s.SaveProduct(ctx, perKg, "Olivia", time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "journal WHERE kind = 'price' AND payload LIKE '%\"old_per\":\"jin\"%'"); n != 1 || count(t, s, "journal WHERE kind = 'price'") != prices+1 {
		t.Errorf("the change from 6.99/斤 to 6.99/kg journaled %d times", n)
	}
	stored, err = s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	if l := stored.Lines[0]; l.Product.PriceUnit != app.PerJin || l.Qty != 750 {
		t.Errorf("stored line: %+v", l)
	}
	text := (&app.Receipt{Sale: stored, Lang: "zh-Hans", Copy: true}).Text(32)
	if !strings.Contains(text, "1.5 斤 x 6.99/斤") || !strings.Contains(text, "0.666 斤 x 6.99/斤") {
		t.Errorf("the reprint does not say /斤:\n%s", text)
	}
	co := newCheckout(t, s)
	r, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: 250}}, app.RefundTo{Kind: app.TenderCash}, "half a 斤 bad")
	if err != nil {
		t.Fatal(err)
	}
	refunds, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(refunds) != 1 || refunds[0].Lines[0].Product.PriceUnit != app.PerJin || r.Total.Minor() != 349 { // 3.495 → 3.49
		t.Errorf("refund: %+v %v, total %s", refunds, err, r.Total)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n < 5 {
		t.Errorf("journal: %d rows, %v", n, err)
	}
	// The line's price unit is bound to the journal: a reprint made to say /kg is caught.
	if _, err := s.w.ExecContext(ctx, `UPDATE sale_lines SET price_unit = NULL WHERE price_unit = 'jin'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil {
		t.Error("verify-journal missed sale lines changed from 斤 to kg")
	}
}

// The columns refuse what no till prices by: an unknown price unit, or one on a product sold by the piece.
func TestPriceUnitColumnsRefuseNonsense(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.AddProducts(ctx, []app.CatalogEntry{rice}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE products SET unit = 'piece' WHERE sku = 'RIC-001'`,
		`UPDATE products SET price_unit = 'JIN' WHERE sku = 'RIC-001'`,
		`INSERT INTO products (sku, name, price, unit, tax_class, price_unit) VALUES ('X-1', 'x', 1, 'piece', 'standard', '100g')`,
		`INSERT INTO products (sku, name, price, unit, tax_class, price_unit) VALUES ('X-2', 'x', 1, 'kg', 'standard', '500g')`,
		`UPDATE products SET price_unit = 'jin' WHERE sku = 'DRK-001'`,
		`UPDATE products SET price_unit = '两' WHERE sku = 'PRO-001'`,
		`UPDATE products SET price_unit = '' WHERE sku = 'PRO-001'`,
	} {
		if _, err := s.w.ExecContext(ctx, q); err == nil {
			t.Errorf("%s: taken", q)
		}
	}
	piece := app.CatalogEntry{Product: rice.Product, Barcodes: []string{"96385074"}}
	piece.Product.SKU, piece.Product.Unit = "RIC-009", app.UnitPiece
	if _, err := s.SaveProduct(ctx, piece, "Olivia", time.Now()); err == nil || !strings.Contains(err.Error(), "price_unit") {
		t.Errorf("a piece priced per 斤: %v", err)
	}
	if n := count(t, s, "products WHERE price_unit IS NOT NULL"); n != 1 {
		t.Errorf("%d products with a price unit, want rice's", n)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET price_unit = '100g' WHERE sku = 'RIC-001'`); err != nil {
		t.Errorf("rice per 100 g: %v", err)
	}
}

// Every unit survives export and import: the file says jin and 100g, and reads back the same.
func TestPriceUnitsCatalogRoundTrip(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	olives := app.CatalogEntry{Product: app.Product{SKU: "DEL-001", Name: "Olives", NameZH: "橄榄", Price: cny(150), Unit: app.UnitKg,
		PriceUnit: app.Per100g, TaxClass: "reduced", Active: true, ReorderPoint: 1500}, Barcodes: []string{"2000303000002"}}
	if _, err := s.AddProducts(ctx, []app.CatalogEntry{rice, olives}); err != nil {
		t.Fatal(err)
	}
	var first strings.Builder
	if _, err := s.ExportCatalog(ctx, &first); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"DEL-001,2000303000002,Olives,橄榄,,,100g,1.50,0.00,1.500,reduced,yes\n",
		"RIC-001,2000202000004,Rice,大米,staples,,jin,6.99,0.00,0.000,reduced,yes\n",
		"PRO-001,2000101000006,Banana,香蕉,produce,,kg,6.98,",
	} {
		if !strings.Contains(first.String(), want) {
			t.Errorf("no %q in the export:\n%s", want, first.String())
		}
	}
	set, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := app.ReadCatalogCSV(strings.NewReader(first.String()), set)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, filepath.Join(t.TempDir(), "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.AddProducts(ctx, entries); err != nil {
		t.Fatal(err)
	}
	var second strings.Builder
	if _, err := other.ExportCatalog(ctx, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("the export changed in a round trip:\n%s\n---\n%s", first.String(), second.String())
	}
	for _, e := range []app.CatalogEntry{rice, olives} {
		p, err := other.ProductByBarcode(ctx, e.Barcodes[0])
		if err != nil || p.Unit != app.UnitKg || p.PriceUnit != e.Product.PriceUnit || p.Price != e.Product.Price {
			t.Errorf("%s after the round trip: %+v, %v", e.Product.SKU, p, err)
		}
	}
}

// gs1label is a GS1 variable-measure code with its check digit.
func gs1label(data string) string { return data + string(barcode.CheckDigit(data)) }

// A parked cart keeps what its weighed lines were priced per: unparked, 750 g of rice is still 6.99/斤.
func TestParkedCartKeepsPriceUnit(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.AddProducts(ctx, []app.CatalogEntry{rice}); err != nil {
		t.Fatal(err)
	}
	p, err := s.ProductByBarcode(ctx, rice.Barcodes[0])
	if err != nil {
		t.Fatal(err)
	}
	set, _ := s.Settings(ctx)
	cart := app.NewCart(set)
	if _, err := cart.Add(p, 750); err != nil {
		t.Fatal(err)
	}
	id := app.NewID()
	if err := s.Park(ctx, app.ParkedCart{ID: id, Till: "T01", ParkedAt: time.Now(), Lines: cart.Lines(), Total: cart.Totals().Total}); err != nil {
		t.Fatal(err)
	}
	back, err := s.Unpark(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	again := app.NewCart(set)
	if _, err := again.Add(back.Lines[0].Product, back.Lines[0].Qty); err != nil || back.Lines[0].Product.PriceUnit != app.PerJin ||
		again.Lines()[0].Gross.Minor() != 1048 {
		t.Errorf("unparked: %+v, gross %v, %v", back.Lines[0].Product, again.Lines()[0].Gross, err)
	}
}
