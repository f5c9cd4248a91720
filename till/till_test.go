package till

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/creack/pty"

	"checkout/app"
	"checkout/devices/scanner"
)

func TestTillEndToEnd(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shop", "checkout.db")

	m, err := Open(ctx, Config{DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	n, err := m.Store.CountProducts(ctx)
	if err != nil || n < 150 {
		t.Fatalf("first run loaded %d demo products, %v", n, err)
	}
	// The demo shop has its shelves stocked, so the first sales are not warned as selling stock that is not
	// there: 24 of each piece, 10 kg of each product sold by weight, at a cost below the price.
	page, err := m.Store.ProductPage(ctx, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page {
		want := app.Pieces(24)
		if p.Unit == app.UnitKg {
			want = app.Grams(10_000)
		}
		if p.OnHand != want || p.Cost.Minor() <= 0 || p.Cost.Minor() >= p.Price.Minor() {
			t.Fatalf("demo %s %s: on hand %d, cost %s, price %s", p.SKU, p.Unit, p.OnHand, p.Cost, p.Price)
		}
	}
	test.NewTempApp(t)
	m.Background = func(f func()) { f() } // print in place
	m.Start(fyne.CurrentApp())
	createOwner(t, m)
	w := m.UI.Window()
	for _, r := range "5449000000996" { // Coca-Cola in the demo catalog
		w.Canvas().Focused().TypedRune(r)
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyF12})
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // exact cash
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	// A second start is not a first run: the catalog is not loaded again.
	m, err = Open(ctx, Config{DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := m.Store.CountProducts(ctx); again != n {
		t.Errorf("restart changed the catalog from %d to %d products", n, again)
	}
	if sale, err := m.Store.SaleByReceipt(ctx, "T01-000001"); err != nil || len(sale.Lines) != 1 || sale.Lines[0].Product.SKU == "" ||
		sale.Cashier != "Olivia" {
		t.Errorf("the sale rung up on screen is not in the store after a restart: %+v, %v", sale, err)
	}
	// Four demo shop settings, the demo delivery, the owner made on first run, then the sale.
	if rows, err := m.Store.VerifyJournal(ctx); err != nil || rows != 7 {
		t.Errorf("verify-journal = %d rows, %v", rows, err)
	}
	if added, err := m.Store.SeedDemo(ctx); err != nil || added != 0 {
		t.Errorf("seed-demo on a seeded catalog added %d, %v", added, err)
	}
	m.Close()

	// Someone edits the journal with sqlite3: verify-journal names the row and fails.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER journal_append_only_update`, `UPDATE journal SET payload = replace(payload, '"total":"3.00"', '"total":"0.30"') WHERE kind = 'sale'`} {
		if res, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); q[0] == 'U' && n != 1 {
			t.Fatal("tampering changed no row")
		}
	}
	raw.Close()
	st, err := OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "journal row 7:") {
		t.Errorf("verify-journal after tampering: %v", err)
	}
}

// TestSerialScannerSellsThroughTill: a code framed on a serial port (a pty here) becomes a line in the
// cart — the way a USB-CDC scanner at the counter works.
func TestSerialScannerSellsThroughTill(t *testing.T) {
	ctx := context.Background()
	scannerEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer scannerEnd.Close()
	port := tillEnd.Name()
	tillEnd.Close()

	db := filepath.Join(t.TempDir(), "checkout.db")
	st, err := OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.SetSetting(ctx, "scanner.terminator", "crlf", time.Now())
	if err := errors.Join(err, st.Close()); err != nil {
		t.Fatal(err)
	}
	m, err := Open(ctx, Config{DBPath: db, Scanners: port, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Sim != nil {
		t.Fatal("a simulated scanner was opened beside a serial one")
	}
	test.NewTempApp(t)
	m.Start(fyne.CurrentApp())
	createOwner(t, m)

	// The events are handed over here rather than by Serve, so the test's goroutine is the UI's.
	await := func(kind scanner.EventKind) scanner.Event {
		t.Helper()
		for {
			select {
			case ev := <-m.ScannerEvents():
				showScannerEvent(ev, m.UI)
				if ev.Kind == kind {
					return ev
				}
			case <-time.After(3 * time.Second):
				t.Fatalf("no scanner event of kind %v", kind)
			}
		}
	}
	if ev := await(scanner.StatusChange); ev.Status != scanner.Connected || ev.Scanner != port {
		t.Fatalf("first status %+v", ev)
	}
	banana := withCheck("200010100750") // the demo scale label: bananas, 0.750 kg
	if _, err := scannerEnd.Write([]byte("]E05449000000996\r\n" + banana + "\r\n")); err != nil {
		t.Fatal(err)
	}
	await(scanner.Scan)
	await(scanner.Scan)
	lines := m.Checkout.Lines()
	if len(lines) != 2 || !strings.Contains(lines[0].Product.Name, "Coca") || lines[1].Qty.Format(lines[1].Product.Unit) != "0.750" {
		t.Fatalf("cart after two serial scans: %+v", lines)
	}
	if _, err := scannerEnd.Write([]byte("54490\x0700000996\r\n")); err != nil {
		t.Fatal(err)
	}
	if ev := await(scanner.FrameError); !errors.Is(ev.Err, scanner.ErrControlByte) {
		t.Fatalf("garbled frame: %+v", ev)
	}
	if n := len(m.Checkout.Lines()); n != 2 {
		t.Fatalf("a garbled frame changed the cart to %d lines", n)
	}
}

// demoTill starts a first-run till on a temp database with Fyne's test driver.
func demoTill(t *testing.T) *Till {
	t.Helper()
	return demoTillAt(t, filepath.Join(t.TempDir(), "checkout.db"))
}

// demoTillAt starts the till on db with the demo catalog, with Fyne's test driver, the owner signed in.
func demoTillAt(t *testing.T, db string) *Till {
	t.Helper()
	m, err := Open(context.Background(), Config{DBPath: db, Demo: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	test.NewTempApp(t)
	m.Background = func(f func()) { f() }
	m.Start(fyne.CurrentApp())
	createOwner(t, m)
	return m
}

// createOwner does what the first run asks of the shop: it types the owner's name and PIN twice into the
// sign-in screen, which then gives way to the sale screen.
func createOwner(t *testing.T, m *Till) {
	t.Helper()
	c := m.UI.Window().Canvas()
	steps := []string{"Olivia", "1234", "1234"}
	if shop := m.Checkout.Settings().Shop; shop.Name == "" || shop.City == "" {
		steps = append([]string{"Lin's Corner Shop", "Shanghai"}, steps...) // the first run names the shop
	}
	for _, step := range steps {
		for _, r := range step {
			c.Focused().TypedRune(r)
		}
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	if s := m.Checkout.Session(); s == nil || s.Name() != "Olivia" || s.User().Role != app.RoleOwner {
		t.Fatalf("after creating the owner the session is %+v", s)
	}
}

// What Open and Start set up is undone last first, once, however often Close is called; every error is
// reported.
func TestCleanupsRunLastFirstOnce(t *testing.T) {
	var c cleanups
	var order []string
	for _, name := range []string{"store", "scanners", "sync"} {
		c.push(func() error {
			order = append(order, name)
			if name == "store" {
				return errors.New("store: closed badly")
			}
			return nil
		})
	}
	if err := c.run(); err == nil || err.Error() != "store: closed badly" {
		t.Errorf("first run: %v", err)
	}
	if err := c.run(); err != nil {
		t.Errorf("second run: %v", err)
	}
	if got := strings.Join(order, " "); got != "sync scanners store" {
		t.Errorf("undone in the order %s", got)
	}
}
