package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

func TestShiftOpenSellMoveCashClose(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.CurrentShift(ctx, time.Now()); !errors.Is(err, app.ErrNoShift) {
		t.Fatalf("current shift before any = %v", err)
	}
	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashIn, cny(100), "change"); !errors.Is(err, app.ErrNoShift) {
		t.Fatalf("cash in with no shift = %v", err)
	}
	// Sold before the shift: not this drawer's.
	sellCash(t, s, "5449000000996")

	sh, err := s.OpenShift(ctx, time.Now(), "li", cny(50000))
	if err != nil {
		t.Fatal(err)
	}
	if sh.Number != 1 || sh.Till != "T01" || sh.User != "li" || sh.Expected != cny(50000) {
		t.Errorf("opened %+v", sh)
	}
	if _, err := s.OpenShift(ctx, time.Now(), "wang", cny(100)); !errors.Is(err, app.ErrShiftOpen) {
		t.Errorf("second open shift = %v", err)
	}

	// The drawer takes what cash tenders kept, gives back cash refunds, and does not see card sales.
	var cashTaken int64
	cash := sellCash(t, s, "5449000000996", "6924743915763") // 9.50
	cashTaken += cash.Tenders[0].Amount.Minor()
	co := ring(t, s, "6924743915763")
	if _, err := co.PayCard(co.Due(), "A1B2C3", "4242"); err != nil {
		t.Fatal(err)
	}
	complete(t, co)
	co = ring(t, s, "6924743915763")
	if _, err := co.PayCash(cny(2000)); err != nil { // 6.50 with 13.50 change
		t.Fatal(err)
	}
	withChange := complete(t, co)
	cashTaken += withChange.Totals.Total.Minor()
	stored, err := s.SaleByReceipt(ctx, cash.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	r, err := newCheckout(t, s).RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}},
		app.RefundTo{Kind: app.TenderCash}, "dented")
	if err != nil {
		t.Fatal(err)
	}
	cashTaken -= r.Tender.Amount.Minor()

	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashIn, cny(10000), "change"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashOut, cny(20000), "safe_drop"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashOut, cny(1250), "other: window cleaner"); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		amount money.Amount
		reason string
	}{{cny(0), "change"}, {cny(-100), "change"}, {cny(100), ""}, {money.New(100, money.USD), "change"}} {
		if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashOut, bad.amount, bad.reason); err == nil {
			t.Errorf("cash out %s for %q was taken", bad.amount, bad.reason)
		}
	}
	want := 50000 + cashTaken + 10000 - 20000 - 1250

	cur, err := s.CurrentShift(ctx, time.Now())
	if err != nil || cur.Expected.Minor() != want || cur.CashIn != cny(10000) || cur.CashOut != cny(21250) {
		t.Fatalf("current shift: expected %v (want %d), in %v, out %v, %v", cur.Expected, want, cur.CashIn, cur.CashOut, err)
	}
	x, err := s.XReport(ctx, time.Now())
	if err != nil || !x.Drawer.Open || x.Drawer.OpenExpected.Minor() != want || x.Drawer.Shifts != 0 {
		t.Fatalf("X report while open: %+v, %v", x.Drawer, err)
	}

	if _, err := s.CloseShift(ctx, time.Now(), "li", []app.DenominationCount{dc(10000, 1), dc(2500, 1)}); !errors.Is(err, app.ErrInvalidCount) {
		t.Errorf("a count with a 25 yuan note = %v", err)
	}
	// The count: 3 × 100, 1 × 50, the rest in 1-yuan pieces and jiao, then 0.30 short.
	rest := want - 35000 - 30
	counts := []app.DenominationCount{dc(10000, 3), dc(5000, 1), dc(100, rest/100), dc(10, rest%100/10)}
	if rest%10 != 0 {
		t.Fatalf("test arithmetic: %d fen left over", rest)
	}
	closed, err := s.CloseShift(ctx, time.Now(), "wang", counts)
	if err != nil {
		t.Fatal(err)
	}
	if closed.Expected.Minor() != want || closed.CountedTotal.Minor() != want-30 || closed.OverShort != cny(-30) || closed.ClosedBy != "wang" {
		t.Errorf("closed: expected %s (want %d), counted %s, over/short %s", closed.Expected, want, closed.CountedTotal, closed.OverShort)
	}
	if _, err := s.CurrentShift(ctx, time.Now()); !errors.Is(err, app.ErrNoShift) {
		t.Errorf("current shift after close = %v", err)
	}
	if _, err := s.CloseShift(ctx, time.Now(), "li", nil); !errors.Is(err, app.ErrNoShift) {
		t.Errorf("closing again = %v", err)
	}
	if _, err := s.MoveCash(ctx, time.Now(), "li", app.CashIn, cny(100), "change"); !errors.Is(err, app.ErrNoShift) {
		t.Errorf("cash in after close = %v", err)
	}
	got, err := s.ShiftsClosedBetween(ctx, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || len(got) != 1 || got[0].OverShort != cny(-30) || len(got[0].Counted) != 4 || got[0].Counted[0] != counts[0] {
		t.Fatalf("shifts closed: %+v, %v", got, err)
	}

	// The next shift is number 2; X and Z show the closed one's reconciliation.
	next, err := s.OpenShift(ctx, time.Now(), "wang", cny(30000))
	if err != nil || next.Number != 2 {
		t.Fatalf("next shift: %+v, %v", next, err)
	}
	z, err := s.CloseDay(ctx, time.Now(), "owner")
	if err != nil {
		t.Fatal(err)
	}
	d := z.Summary.Drawer
	if d.Shifts != 1 || d.Floats != cny(50000) || d.CashIn != cny(10000) || d.CashOut != cny(21250) || d.Expected.Minor() != want ||
		d.Counted.Minor() != want-30 || d.OverShort != cny(-30) || !d.Open || d.OpenExpected != cny(30000) {
		t.Errorf("Z drawer = %+v", d)
	}
	var doc string
	if err := s.r.QueryRow(`SELECT summary FROM zreports WHERE uuid = ?`, z.ID).Scan(&doc); err != nil || !strings.Contains(doc, `"over_short":"-0.30"`) {
		t.Errorf("Z document %s, %v", doc, err)
	}

	for _, kind := range []string{"shift_open", "cash_in", "cash_out", "shift_close"} {
		if n := count(t, s, "journal WHERE kind = '"+kind+"'"); n == 0 {
			t.Errorf("no %s in the journal", kind)
		}
		if n := count(t, s, "outbox WHERE kind = '"+kind+"'"); n == 0 {
			t.Errorf("no %s in the outbox", kind)
		}
	}
	var payload string
	if err := s.r.QueryRow(`SELECT payload FROM journal WHERE kind = 'cash_out' ORDER BY seq DESC LIMIT 1`).Scan(&payload); err != nil ||
		!strings.Contains(payload, `"reason":"other: window cleaner","user":"li"`) {
		t.Errorf("cash out journaled as %s, %v", payload, err)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("journal: %d rows, %v", n, err)
	}

	// A closed shift cannot change, nor be removed, nor take cash; an open one's opening cannot change.
	for _, q := range []string{`UPDATE shifts SET counted_total = counted_total + 30 WHERE number = 1`,
		`DELETE FROM shifts WHERE number = 1`, `UPDATE shifts SET float = 0 WHERE number = 2`,
		`INSERT INTO cash_moves (uuid, shift_id, kind, amount, reason, at) SELECT 'x', id, 'in', 5, 'change', '' FROM shifts WHERE number = 1`,
		`UPDATE cash_moves SET amount = 1`, `DELETE FROM cash_moves`} {
		if _, err := s.w.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	// Someone with sqlite3 drops the trigger and makes the short go away.
	if _, err := s.w.Exec(`DROP TRIGGER shifts_closed_update; UPDATE shifts SET counted_total = counted_total + 30, over_short = 0 WHERE number = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "shift T01 1") {
		t.Errorf("VerifyJournal after tampering with a closed shift = %v", err)
	}
}

func TestZReportFromBeforeShiftsStillVerifies(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sellCash(t, s, "5449000000996")
	// A Z report stored the way CloseDay stored them before shifts: its document has no drawer.
	old := document.ZReport{ID: app.NewID(), Number: 1, Till: "T01", No: "T01-Z0001", From: timestamp(time.Now().Add(-time.Hour)),
		To: timestamp(time.Now()), User: "owner", Currency: "CNY", Sales: 1, Revenue: 300, CashExpected: 300,
		Summary: `{"from":"x","to":"y","currency":"CNY","sales":1,"revenue":"3.00","items":1,"average_basket":"3.00",` +
			`"discounts":"0.00","tax":"0.35","rounding":"0.00","tax_by_rate_bp":{"1300":"0.35"},"tenders":[],"refunds":[],` +
			`"topups":[],"voids":0,"cash_expected":"3.00","by_hour_sales":[],"by_hour_revenue":[],"by_category":[],` +
			`"top_products":[],"member_sales":0,"member_revenue":"0.00"}`}
	if !json.Valid([]byte(old.Summary)) {
		t.Fatal("test document is not JSON")
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		n, err := s.nextNumber(ctx, tx, "zreport")
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO zreports (id, uuid, till, z_no, from_at, to_at, user, currency, sales, revenue, tax,
			refunds, refund_total, voids, cash_expected, summary, journal_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n, old.ID, old.Till, old.No, old.From, old.To, old.User, old.Currency, old.Sales, old.Revenue, old.Tax,
			old.Refunds, old.RefundTotal, old.Voids, old.CashExpected, old.Summary, seq); err != nil {
			return err
		}
		return s.journalAndSend(ctx, tx, time.Now(), "zreport", old.ID, document.ZEntry{ID: old.ID, No: old.No, From: old.From, To: old.To,
			Sales: 1, Revenue: "3.00", Currency: "CNY", DocSHA256: document.Digest(old)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenShift(ctx, time.Now(), "li", cny(10000)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseShift(ctx, time.Now(), "li", []app.DenominationCount{dc(10000, 1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseDay(ctx, time.Now(), "owner"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != count(t, s, "journal") {
		t.Fatalf("journal with a Z from before shifts: %d rows, %v", n, err)
	}
}

// dc is count notes or coins of minor units each.
func dc(minor, count int64) app.DenominationCount {
	return app.DenominationCount{Minor: minor, Count: count}
}
