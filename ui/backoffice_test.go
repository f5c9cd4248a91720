package ui_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/store"
	"checkout/ui"
)

// openBackOffice starts a till with a back office and opens it with F4 from the sale screen.
func openBackOffice(t *testing.T) (*ui.Till, *store.Store, fyne.Window) {
	t.Helper()
	till, st := newTill(t, withStock)
	if till.BackOffice() != nil {
		t.Fatal("the back office is open before F4")
	}
	press(till.Window(), fyne.KeyF4)
	office := till.BackOffice()
	if office == nil {
		t.Fatal("F4 did not open the back office")
	}
	return till, st, office.Window()
}

// entry returns the field w shows with the placeholder given.
func entry(t *testing.T, w fyne.Window, placeholder string) *ui.KeyEntry {
	t.Helper()
	var found *ui.KeyEntry
	visit(w, func(o fyne.CanvasObject) {
		if e, ok := o.(*ui.KeyEntry); ok && e.PlaceHolder == placeholder && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatalf("no field %q on screen: %s", placeholder, strings.Join(screen(w), " | "))
	}
	return found
}

// retype focuses the field with placeholder, clears it and types text as a person would.
func retype(t *testing.T, w fyne.Window, placeholder, text string) {
	t.Helper()
	e := entry(t, w, placeholder)
	w.Canvas().Focus(e)
	e.SetText("")
	typeIn(w, text)
}

func product(t *testing.T, st *store.Store, code string) app.Product {
	t.Helper()
	p, err := st.ProductByBarcode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBackOfficeFindsAndEditsAProduct(t *testing.T) {
	_, st, w := openBackOffice(t)
	mustShow(t, w, "Products (F2)", "DRK-001", "Coca-Cola 330ml can", "SNK-001", "4 products in the catalog")

	typeIn(w, "kkkl") // pinyin initials of 可口可乐
	mustShow(t, w, "Coca-Cola 330ml can")
	if shows(w, "Lay's chips") {
		t.Error("the search still lists the chips")
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Edit DRK-001", "5449000000996", "Save (Enter)")
	typeIn(w, "3.50") // the editor opens on the price, selected
	press(w, fyne.KeyReturn)
	if shows(w, "Edit DRK-001") {
		t.Fatalf("the editor stayed open: %s", strings.Join(screen(w), " | "))
	}
	mustShow(t, w, "Saved DRK-001 Coca-Cola 330ml can.")
	if p := product(t, st, "5449000000996"); p.Price != cny(350) {
		t.Errorf("price after editing: %v", p.Price)
	}
	if n, err := st.VerifyJournal(context.Background()); err != nil || n != 1 {
		t.Errorf("journal after a price change: %d rows, %v", n, err)
	}
}

func TestBackOfficeCreatesAProductFromAScan(t *testing.T) {
	till, st, w := openBackOffice(t)
	// An unknown code scanned on the product list starts a new product with it.
	wedgeScan(w, "6901234567892")
	mustShow(t, w, "New product")
	if got := entry(t, w, "Scan or type; several separated by spaces").Text; got != "6901234567892" {
		t.Fatalf("barcodes field = %q", got)
	}
	// A second code scanned into the barcodes field is added to it.
	w.Canvas().Focus(entry(t, w, "Scan or type; several separated by spaces"))
	wedgeScan(w, "96385074")
	retype(t, w, "ABC-001", "TEA-001")
	retype(t, w, "Name in English", "Jasmine tea")
	retype(t, w, "Name in Chinese", "茉莉花茶")
	// A bad price is refused with the reason and nothing is saved.
	retype(t, w, "0.00", "-1")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Not saved: negative price")
	if _, err := st.ProductByBarcode(context.Background(), "96385074"); err == nil {
		t.Fatal("a refused product was saved")
	}
	retype(t, w, "0.00", "18.50")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Saved TEA-001 Jasmine tea.", "5 products in the catalog")
	p := product(t, st, "96385074")
	if p.SKU != "TEA-001" || p.Price != cny(1850) || p.NameZH != "茉莉花茶" || !p.Active || p.TaxClass == "" {
		t.Errorf("created %+v", p)
	}
	// The till sells it at once.
	press(till.Window(), fyne.KeyEscape)
	scan(till.Window(), "6901234567892")
	mustShow(t, till.Window(), "Jasmine tea", "¥18.50")
}

func TestBackOfficeReceivesADelivery(t *testing.T) {
	_, st, w := openBackOffice(t)
	press(w, fyne.KeyF3)
	retype(t, w, "Supplier", "Swire")
	press(w, fyne.KeyReturn)
	wedgeScan(w, "5449000000996")
	mustShow(t, w, "Coca-Cola 330ml can  ·  DRK-001  ·  on hand 0")
	typeIn(w, "24")
	press(w, fyne.KeyReturn)
	typeIn(w, "1.25")
	press(w, fyne.KeyReturn)
	wedgeScan(w, "6924743915763")
	press(w, fyne.KeyReturn) // one bag,
	press(w, fyne.KeyReturn) // at the cost it had
	mustShow(t, w, "2 lines, cost ¥30.00")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Received 2 products into stock.")
	if p := product(t, st, "5449000000996"); p.OnHand != app.Pieces(24) || p.Cost != cny(125) {
		t.Errorf("cola after receiving: on hand %d, cost %v", p.OnHand, p.Cost)
	}
	if err := st.VerifyStock(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestBackOfficeCountsAdjustsAndListsLowStock(t *testing.T) {
	_, st, w := openBackOffice(t)
	ctx := context.Background()
	cola := product(t, st, "5449000000996")
	if err := app.NewInventory(st, time.Now).Receive(ctx, "", app.SystemSession("owner"), []app.ReceiveLine{{Product: cola, Qty: app.Pieces(5), UnitCost: cny(100)}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetReorderPoint(ctx, cola.ID, app.Pieces(2)); err != nil {
		t.Fatal(err)
	}
	// Count: three cans on the shelf, scanned one by one; the chips set by hand to 4.
	press(w, fyne.KeyF5)
	for range 3 {
		wedgeScan(w, "5449000000996")
	}
	mustShow(t, w, "Coca-Cola 330ml can: 3 counted.")
	wedgeScan(w, "6924743915763")
	retype(t, w, "Found on the shelf (sets the last product)", "4")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyF9)
	mustShow(t, w, "Variance report: 2 products counted.")
	report := strings.Join(screen(w), "\n")
	if !regexp.MustCompile(`SNK-001 +Lay's chips 70g +0 +4 +\+4\n`).MatchString(report) ||
		!regexp.MustCompile(`DRK-001 +Coca-Cola 330ml can +5 +3 +-2\n`).MatchString(report) {
		t.Errorf("variance report:\n%s", report)
	}
	press(w, fyne.KeyF12)
	mustShow(t, w, "Set the stock of the 2 products counted to what was counted?")
	if p := product(t, st, "5449000000996"); p.OnHand != app.Pieces(5) {
		t.Fatalf("the count applied before the owner said yes: %d", p.OnHand)
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Count applied: 2 of 2 products corrected.")
	if p := product(t, st, "5449000000996"); p.OnHand != app.Pieces(3) {
		t.Errorf("cola after the count: %d", p.OnHand)
	}

	// Adjust: two cans damaged, by SKU.
	press(w, fyne.KeyF4)
	typeIn(w, "drk-001")
	press(w, fyne.KeyReturn)
	typeIn(w, "-2")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Stock of Coca-Cola 330ml can: 3 → 1 (damage).")
	if p := product(t, st, "5449000000996"); p.OnHand != app.Pieces(1) {
		t.Errorf("cola after the adjustment: %d", p.OnHand)
	}

	// Transfer: two cans in from the other shop (the last reason), then one back out.
	typeIn(w, "DRK-001")
	press(w, fyne.KeyReturn)
	typeIn(w, "+2")
	for range 6 {
		press(w, fyne.KeyDown)
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Name the other shop of the transfer.")
	typeIn(w, "Riverside")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Stock of Coca-Cola 330ml can: 1 → 3 (Riverside).")
	typeIn(w, "DRK-001")
	press(w, fyne.KeyReturn)
	typeIn(w, "-2")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Stock of Coca-Cola 330ml can: 3 → 1 (Riverside).")
	history, err := st.StockHistory(ctx, cola.ID, 3)
	if err != nil || len(history) != 3 || history[0].Kind != app.MoveTransfer || history[0].Qty != app.Pieces(-2) ||
		history[0].Reason != "to Riverside" || history[1].Qty != app.Pieces(2) || history[2].Kind != app.MoveAdjustment {
		t.Errorf("the ledger's latest movements: %+v, %v", history, err)
	}
	mustShow(t, w, "transfer", "to Riverside")

	// Low stock: 1 can against a reorder point of 2: order 3 to be back at 4.
	press(w, fyne.KeyF6)
	mustShow(t, w, "1 products to reorder.")
	low := strings.Join(screen(w), "\n")
	if !regexp.MustCompile(`DRK-001 +Coca-Cola 330ml can +1 +2 +3\n`).MatchString(low) {
		t.Errorf("low stock list (on hand 1, reorder at 2, order 3):\n%s", low)
	}
	if err := st.VerifyStock(ctx); err != nil {
		t.Error(err)
	}
}

func TestBackOfficeImportsACatalogFile(t *testing.T) {
	_, st, w := openBackOffice(t)
	file := filepath.Join(t.TempDir(), "catalog.csv")
	if err := os.WriteFile(file, []byte("sku,barcode,name,unit,price,tax_class\n"+
		"NEW-001,6901234567892,Pen,piece,1.00,standard\n"+
		"NEW-002,5449000000996,Cola again,piece,3.00,standard\n"+
		"NEW-003,96385074,Gum,piece,-1,standard\n"+
		"NEW-004,96385075,Mint,piece,1.00,standard\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF7)
	typeIn(w, file)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "1 good rows, 3 bad. Nothing imported yet.", "line 3: barcode 5449000000996 is already on product DRK-001",
		"line 4: negative price", `line 5: barcode "96385075": wrong check digit (should be 4)`)
	if n, _ := st.CountProducts(context.Background()); n != 4 {
		t.Fatalf("the check imported: %d products", n)
	}
	findButton(t, w, "Import good rows (1)").OnTapped()
	mustShow(t, w, "Imported 1 products; 0 already in the catalog were kept.")
	if p := product(t, st, "6901234567892"); p.SKU != "NEW-001" {
		t.Errorf("imported %+v", p)
	}
	press(w, fyne.KeyF2)
	mustShow(t, w, "5 products in the catalog", "NEW-001")
}

// The product list reads the catalog a page at a time: scrolling to the end reads the next page, and the
// whole catalog is reachable without ever being read at once.
func TestProductListPagesAsItScrolls(t *testing.T) {
	_, st, w := openBackOffice(t)
	var more []app.CatalogEntry
	for i := range 250 {
		data := fmt.Sprintf("68%010d", i)
		more = append(more, app.CatalogEntry{Product: app.Product{SKU: fmt.Sprintf("ZZZ-%03d", i), Name: fmt.Sprintf("Item %d", i),
			Price: cny(100), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{data + string(barcode.CheckDigit(data))}})
	}
	if _, err := st.AddProducts(context.Background(), more); err != nil {
		t.Fatal(err)
	}
	if err := st.SearchIndexed(context.Background()); err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF2)
	typeIn(w, "x")
	press(w, fyne.KeyBackspace) // back to the whole list, read again
	list := productList(t, w)
	if n := list.Length(); n != 100 {
		t.Fatalf("first page: %d rows", n)
	}
	mustShow(t, w, "254 products in the catalog")
	for range 3 {
		list.ScrollToBottom()
		list.Refresh()
	}
	if n := list.Length(); n != 254 {
		t.Fatalf("after scrolling to the end: %d rows of 254", n)
	}
	mustShow(t, w, "ZZZ-249")
}

// productList is the back office's product list.
func productList(t *testing.T, w fyne.Window) *widget.List {
	t.Helper()
	var found *widget.List
	visit(w, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.List); ok && found == nil {
			found = l
		}
	})
	if found == nil {
		t.Fatal("no product list on screen")
	}
	return found
}

// The day page shows today's figures beside last week's, the hours and the top products; F11 shows the X
// report and F12 closes the day with a numbered Z report after asking.
func TestDayPageAndZReport(t *testing.T) {
	till, st := newTill(t, withStock, withReports)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn) // ¥6.00 cash
	scan(w, "6924743915763")
	press(w, fyne.KeyF12)
	typeIn(w, "10")
	press(w, fyne.KeyReturn) // ¥6.50, change ¥3.50
	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	text := strings.Join(screen(o), "\n")
	for _, want := range []string{"Revenue", "¥12.50", "none last week", "Average basket", "¥6.25", "Coca-Cola 330ml can", "Cash expected"} {
		if !strings.Contains(text, want) {
			t.Errorf("the day page does not show %q:\n%s", want, text)
		}
	}
	press(o, fyne.KeyF11)
	mustShow(t, o, "X report (nothing stored)")
	press(o, fyne.KeyF12)
	mustShow(t, o, "Close the day? The Z report is numbered")
	press(o, fyne.KeyReturn)
	mustShow(t, o, "Z report T01-Z0001 stored")
	if n, err := st.VerifyJournal(context.Background()); err != nil || n != 3 {
		t.Errorf("journal after two sales and a Z: %d rows, %v", n, err)
	}
	z, err := st.ZReportByNo(context.Background(), "T01-Z0001")
	if err != nil || z.Head.Seq != 3 {
		t.Fatalf("Z report %+v, %v", z.Head, err)
	}
	mustShow(t, o, "journal head "+z.Head.String())
}

// F9 on the day page saves the day shown as a PDF in the Documents folder and says where; a font that
// cannot be used is named in the message and leaves no file.
func TestDayPageSavesAPDF(t *testing.T) {
	home := t.TempDir()
	docs := filepath.Join(home, "Documents")
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	t.Setenv("XDG_DOCUMENTS_DIR", "")
	till, _ := newTill(t, withStock, withReports)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "6924743915763")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn) // ¥9.50 cash
	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	mustShow(t, o, "Save PDF (F9)")

	t.Setenv("CHECKOUT_PDF_FONT", filepath.Join(home, "missing.ttf"))
	press(o, fyne.KeyF9)
	mustShow(t, o, "The PDF was not saved: $CHECKOUT_PDF_FONT")
	t.Setenv("CHECKOUT_PDF_FONT", "")

	file := filepath.Join(docs, "checkout-"+time.Now().Format(time.DateOnly)+".pdf")
	if _, err := os.Stat(file); err == nil {
		t.Fatal("a failed save left a file")
	}
	press(o, fyne.KeyF9)
	mustShow(t, o, "PDF saved: "+file)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (poppler-utils) on the saved PDF: %v", err)
	}
	for _, want := range []string{"Sales report", "¥9.50", "Coca-Cola 330ml can", "Lay's chips 70g", "Cash expected"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the saved PDF does not say %q:\n%s", want, out)
		}
	}
}

// Esc, or the close button, takes the owner from the back office back to the till.
func TestEscClosesTheBackOffice(t *testing.T) {
	till, _ := newTill(t, withStock)
	press(till.Window(), fyne.KeyF4)
	o := till.BackOffice()
	if o == nil {
		t.Fatal("F4 opened no back office")
	}
	mustShow(t, o.Window(), "Back to the till (Esc)")
	press(o.Window(), fyne.KeyEscape)
	if till.BackOffice() != nil {
		t.Fatal("Esc left the back office open")
	}
}
