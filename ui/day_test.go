package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/app/money"
	"checkout/ui"
)

// The day page lists what each cashier did and flags Ann, who refunded all three of her sales with no
// history to compare with (three events are enough then); the owner's one sale is no anomaly.
func TestDayPageShowsCashiersAndAnomalies(t *testing.T) {
	till, st := newTill(t, withStock, withReports)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn) // Olivia: ¥3.00 cash

	ctx := context.Background()
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ann, err := app.NewCheckout(set, st, st, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ann.SetSession(app.SystemSession("Ann"))
	for range 3 {
		if _, err := ann.Scan(ctx, "6924743915763"); err != nil {
			t.Fatal(err)
		}
		if _, err := ann.PayCash(ann.CashDue()); err != nil {
			t.Fatal(err)
		}
		sale, err := ann.Complete(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := st.SaleByReceipt(ctx, sale.ReceiptNo)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ann.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}},
			app.RefundTo{Kind: app.TenderCash}, "changed mind"); err != nil {
			t.Fatal(err)
		}
	}

	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	mustShow(t, o, "By cashier", "After payment", "Anomalies", "Per 100 sales", "* the shop's usual rate")
	mustShow(t, o, "¥22.50", "none last week") // the revenue tile: nothing sold on last week's same day
	rows := func(first string) []string {
		var found []string
		for _, r := range ui.GridRows(o) {
			if r[0] == first {
				found = append(found, strings.Join(r, " "))
			}
		}
		return found
	}
	row := func(first string) string {
		if found := rows(first); len(found) > 0 {
			return found[0]
		}
		t.Fatalf("no row starts with %q: %q", first, ui.GridRows(o))
		return ""
	}
	if got, want := row("Ann"), "Ann 3 ¥19.50 3 · ¥19.50 0 0 0 0 · ¥0.00 0"; got != want {
		t.Errorf("Ann's row: %q, want %q", got, want)
	}
	if got, want := row("Olivia"), "Olivia 1 ¥3.00 0 · ¥0.00 0 0 0 0 · ¥0.00 0"; got != want {
		t.Errorf("Olivia's row: %q, want %q", got, want)
	}
	// Ann's anomaly: 3 refunds in 3 sales, 100 per 100 sales; no history, so the shop's usual (none).
	var flagged []string
	for _, r := range rows("Ann") {
		if strings.Contains(r, "Refunds") {
			flagged = append(flagged, r)
		}
	}
	if len(flagged) != 1 || flagged[0] != "Ann Refunds 3 3 100.00 0.00*" {
		t.Errorf("anomalies shown: %q", flagged)
	}
	if shows(o, "No anomalies") {
		t.Error("the page says no anomalies")
	}
	if shows(o, "Floats") {
		t.Error("a day's page shows drawer figures")
	}

	// The X report shows the drawer of the shift open at the till.
	if _, err := st.OpenShift(ctx, time.Now(), "Olivia", money.New(20000, money.CNY)); err != nil {
		t.Fatal(err)
	}
	press(o, fyne.KeyF11)
	mustShow(t, o, "X report (nothing stored)", "Drawer", "Open shift expected", "By cashier")
	if got := row("Floats"); got != "Floats ¥0.00" {
		t.Errorf("floats of closed shifts: %q", got)
	}
}

// The owner reads the page in Chinese, switches to the week and the month with the arrow keys and steps
// back a month: the chart then goes by day, the tiles compare with the week or the month before, and the
// margin is the costed lines'.
func TestDayPageWeekMonthAndChinese(t *testing.T) {
	ctx := context.Background()
	till, st := newTill(t, withStock, withReports, func(s *setup) { s.opt.Language = "zh-Hans" })
	if _, err := st.AddProducts(ctx, []app.CatalogEntry{{Product: app.Product{SKU: "TEA-001", Name: "Oolong tea 500ml",
		NameZH: "乌龙茶 500ml", Category: "drinks", Price: cny(500), Cost: cny(300), Unit: app.UnitPiece, TaxClass: "standard",
		Active: true}, Barcodes: []string{"6901234567892"}}}); err != nil {
		t.Fatal(err)
	}
	w := till.Window()
	scan(w, "6901234567892")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyReturn)

	press(w, fyne.KeyF4)
	o := till.BackOffice().Window()
	press(o, fyne.KeyF10)
	mustShow(t, o, "Sales by hour", "none last week")
	found := false
	for _, r := range ui.GridRows(o) {
		found = found || (len(r) == 4 && r[0] == "1" && r[1] == "乌龙茶 500ml" && r[3] == "¥5.00")
	}
	if !found {
		t.Errorf("top products without the tea's Chinese name: %q", ui.GridRows(o))
	}
	// ¥5.00 with 13% tax in it is ¥4.42 net; it cost ¥3.00: ¥1.42, 32.13%.
	mustShow(t, o, "¥1.42", "32.13%")

	press(o, fyne.KeyDown)
	mustShow(t, o, "Sales by day", "none the week before", "Mon", "Sun")
	from, to := app.PeriodWeek.Bounds(time.Now())
	mustShow(t, o, from.Format(time.DateOnly)+" Mon to "+to.AddDate(0, 0, -1).Format(time.DateOnly)+" Sun")

	press(o, fyne.KeyDown)
	mustShow(t, o, "Sales by day", "none last month", "¥5.00")
	press(o, fyne.KeyPageUp)
	monthFrom, _ := app.PeriodMonth.Bounds(time.Now())
	mustShow(t, o, monthFrom.AddDate(0, -1, 0).Format(time.DateOnly))
	if shows(o, "¥5.00") {
		t.Error("last month shows this month's sale")
	}
	press(o, fyne.KeyUp)
	press(o, fyne.KeyUp)
	mustShow(t, o, "Sales by hour")
}
