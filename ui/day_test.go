package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"checkout/app"
	"checkout/app/money"
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
	row := func(prefix string) string {
		for _, line := range screen(o) {
			if strings.HasPrefix(line, prefix) {
				return strings.Join(strings.Fields(line), " ")
			}
		}
		t.Fatalf("no line starts with %q: %s", prefix, strings.Join(screen(o), " | "))
		return ""
	}
	if got, want := row("Ann "), "Ann 3 ¥19.50 3 · ¥19.50 0 0 0 0 · ¥0.00 0"; got != want {
		t.Errorf("Ann's row: %q, want %q", got, want)
	}
	if got, want := row("Olivia "), "Olivia 1 ¥3.00 0 · ¥0.00 0 0 0 0 · ¥0.00 0"; got != want {
		t.Errorf("Olivia's row: %q, want %q", got, want)
	}
	// Ann's anomaly: 3 refunds in 3 sales, 100 per 100 sales; no history, so the shop's usual (none).
	var flagged []string
	for _, line := range screen(o) {
		if strings.HasPrefix(line, "Ann ") && strings.Contains(line, "Refunds") {
			flagged = append(flagged, strings.Join(strings.Fields(line), " "))
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
