package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/signature"
)

// guarded is a checkout on s signed in as name (a supervisor, who may refund, void and open the drawer
// alone), watched by the guard with rules.
func guarded(t *testing.T, s *Store, auth *app.Auth, name, pin string, rules app.GuardRules) *app.Checkout {
	t.Helper()
	sess, err := auth.SignIn(context.Background(), name, pin)
	if err != nil {
		t.Fatal(err)
	}
	co := newCheckout(t, s)
	co.SetSession(sess)
	co.SetGuard(app.NewGuard(rules, "T01", s, time.Now))
	return co
}

// A supervisor refunding three sales in a row, with no history of refunds, is stopped at the third:
// the alarm is journaled, another supervisor approves it by name and PIN, the refund goes through, and
// the day's alarms say who approved it. The owner is never stopped.
func TestGuardStopsARunOfRefunds(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, owner := staff(t, s, time.Now)
	if _, err := auth.AddUser(ctx, owner, "Zhao", app.RoleSupervisor, "4444"); err != nil {
		t.Fatal(err)
	}
	co := guarded(t, s, auth, "Wang", "2222", app.DefaultGuardRules())
	refund := func() error {
		sale := sellWith(t, co, "5449000000996")
		stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
		if err != nil {
			t.Fatal(err)
		}
		_, err = co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "")
		return err
	}
	for i := 0; i < 2; i++ {
		if err := refund(); err != nil {
			t.Fatalf("refund %d: %v", i+1, err)
		}
	}
	err := refund()
	var pe *app.PermissionError
	if !errors.As(err, &pe) || pe.Permission != app.PermAlarm || pe.Alarm == nil || pe.Alarm.Kind != app.AlarmRefunds || pe.Alarm.Count != 3 {
		t.Fatalf("the third refund: %v", err)
	}
	if n := count(t, s, "refunds"); n != 2 {
		t.Fatalf("%d refunds stored; the stopped one went through", n)
	}
	sess := co.Session()
	if err := sess.Approve(ctx, "Wang", "2222", app.PermAlarm, pe.Alarm.Action()); !errors.Is(err, app.ErrCannotApprove) {
		t.Errorf("Wang approved his own alarm: %v", err)
	}
	if err := sess.Approve(ctx, "Zhao", "4444", app.PermAlarm, pe.Alarm.Action()); err != nil {
		t.Fatal(err)
	}
	stored, _ := s.SaleByReceipt(ctx, "T01-000003")
	if _, err := co.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
		t.Fatalf("the approved refund: %v", err)
	}
	from, to := app.DayBounds(time.Now())
	alarms, err := s.Alarms(ctx, from, to)
	if err != nil || len(alarms) != 1 || alarms[0].Cashier != "Wang" || alarms[0].ApprovedBy != "Zhao" || alarms[0].Sales != 3 {
		t.Fatalf("the day's alarms %+v, %v", alarms, err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Errorf("the journal: %v", err)
	}

	// The owner refunds as much as she likes.
	own := newCheckout(t, s)
	own.SetSession(owner)
	own.SetGuard(app.NewGuard(app.DefaultGuardRules(), "T01", s, time.Now))
	for i := 0; i < 4; i++ {
		sale := sellWith(t, own, "5449000000996")
		stored, _ := s.SaleByReceipt(ctx, sale.ReceiptNo)
		if _, err := own.RefundSale(ctx, stored, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
			t.Fatalf("the owner's refund %d: %v", i+1, err)
		}
	}
}

// A discount that takes a line below its cost, and a price typed far from the catalog's, wait for another
// supervisor; the line stays as it was. With the guard off, neither is stopped.
func TestGuardStopsLinesBelowCostAndWildPrices(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET cost = 433 WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	auth, _ := staff(t, s, time.Now)
	co := guarded(t, s, auth, "Wang", "2222", app.DefaultGuardRules())
	if _, err := co.Scan(ctx, "6924743915763"); err != nil { // chips ¥6.50, cost ¥4.33
		t.Fatal(err)
	}
	if err := co.SetDiscount(0, app.Discount{PercentBP: 2000}); err != nil { // ¥5.20: above cost
		t.Fatalf("a 20%% discount: %v", err)
	}
	err := co.SetDiscount(0, app.Discount{PercentBP: 5000}) // ¥3.25: below cost
	var pe *app.PermissionError
	if !errors.As(err, &pe) || pe.Alarm == nil || pe.Alarm.Kind != app.AlarmBelowCost || pe.Alarm.Price.Minor() != 325 || pe.Alarm.Other.Minor() != 433 {
		t.Fatalf("half off below cost: %v", err)
	}
	if got := co.Lines()[0].Total.Minor(); got != 520 {
		t.Errorf("the line is %d after the stopped discount", got)
	}
	err = co.OverridePrice(0, cny(1500)) // from ¥6.50 to ¥15.00
	if !errors.As(err, &pe) || pe.Alarm == nil || pe.Alarm.Kind != app.AlarmPriceChange || pe.Alarm.Other.Minor() != 650 {
		t.Fatalf("a price more than doubled: %v", err)
	}
	if got := co.Lines()[0].Product.Price.Minor(); got != 650 {
		t.Errorf("the price is %d after the stopped override", got)
	}
	if n := len(journalOf(t, s, "alarm")); n != 2 {
		t.Errorf("%d alarms journaled", n)
	}
	// Each goes to the head office as a document it accepts.
	docs, err := s.PendingOutbox(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, d := range docs {
		if d.Kind != document.KindAlarm {
			continue
		}
		sent++
		if _, err := document.Check(d.Kind, d.Body); err != nil {
			t.Errorf("the alarm document %s: %v", d.Body, err)
		}
	}
	if sent != 2 {
		t.Errorf("%d alarms queued for the head office", sent)
	}

	off := app.DefaultGuardRules()
	off.Off = true
	co.SetGuard(app.NewGuard(off, "T01", s, time.Now))
	if err := co.SetDiscount(0, app.Discount{PercentBP: 5000}); err != nil {
		t.Errorf("with the guard off: %v", err)
	}
}

// sellWith rings up codes on co and pays exactly in cash.
func sellWith(t testing.TB, co *app.Checkout, codes ...string) *app.Sale {
	t.Helper()
	ctx := context.Background()
	for _, code := range codes {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatalf("scan %s: %v", code, err)
		}
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return sale
}

// Wrong PINs that lock a user out are among the day's alarms, approved by nobody.
func TestWrongPINLockIsAnAlarm(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, _ := staff(t, s, time.Now)
	for i := 0; i < app.DefaultSecurity().PINTries; i++ {
		if _, err := auth.SignIn(ctx, "Li", "0000"); err == nil {
			t.Fatal("a wrong PIN signed in")
		}
	}
	from, to := app.DayBounds(time.Now())
	alarms, err := s.Alarms(ctx, from, to)
	if err != nil || len(alarms) != 1 || alarms[0].Kind != app.AlarmWrongPINs || alarms[0].Cashier != "Li" {
		t.Fatalf("alarms %+v, %v", alarms, err)
	}
	if got := (app.Labels{}).ApprovedBy(alarms[0]); got != "—" {
		t.Errorf("a lock approved by %q", got)
	}
}

// A top-up the shopper signed for keeps the strokes with its row, their digest in its journal entry and
// its document (which the head office compares), and the journal still verifies; a redrawn signature
// does not.
func TestSignedTopUpIsBound(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "王芳", "13800138000")
	set, _ := s.Settings(ctx)
	tu, err := app.NewTopUp(set, m, cny(50000), app.Tender{Kind: app.TenderCash}, "Olivia", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tu.Signature = signature.Signature{{{100, 500}, {300, 400}, {600, 550}}}
	if err := s.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	docs, err := s.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var doc document.TopUp
	for _, d := range docs {
		if d.Kind == document.KindTopUp {
			if _, err := document.Check(d.Kind, d.Body); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(d.Body, &doc); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries := journalOf(t, s, "topup")
	if doc.SignatureSHA256 != tu.Signature.Digest() || len(entries) != 1 || entries[0]["signature_sha256"] != tu.Signature.Digest() {
		t.Fatalf("document %+v, entries %v", doc, entries)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatalf("the journal: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE topups SET signature = '[[[1,1],[999,999]]]'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil {
		t.Error("a redrawn signature verified")
	}
}

// A stored signature is read as it is: one over today's limits (written under others) never makes its
// sale unreadable.
func TestStoredSignatureReadsWhateverTheLimits(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996")
	points := make([]string, signature.MaxPoints+100)
	for i := range points {
		points[i] = fmt.Sprintf("[%d,%d]", i%1000, (i*7)%1000)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE sales SET signature = ? WHERE receipt_no = ?`, "[["+strings.Join(points, ",")+"]]", sale.ReceiptNo); err != nil {
		t.Fatal(err)
	}
	got, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil || len(got.Signature) != 1 || len(got.Signature[0]) != len(points) {
		t.Fatalf("the sale with a long signature: %v", err)
	}
}

// accountUseBook is the head office's record of account uses as the guard sees it: what it answers, and the
// members it was told of. (hq/client's tests run the rule against the real head office.)
type accountUseBook struct {
	uses  []app.AccountUse
	err   error
	asked []string
}

func (h *accountUseBook) Use(_ context.Context, member string) ([]app.AccountUse, error) {
	h.asked = append(h.asked, member)
	return h.uses, h.err
}

// A member's account that another till used minutes ago waits for another supervisor before it pays: the
// alarm is journaled and sent as a checked document, the approval lets it pay, and a second payment from
// it in the same sale asks nobody again. Used longer ago, or with the head office unreachable, it pays at
// once; the owner is never stopped, but her use is recorded for the other tills.
func TestGuardStopsAnAccountUsedOnAnotherTill(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	auth, owner := staff(t, s, time.Now)
	if _, err := auth.AddUser(ctx, owner, "Zhao", app.RoleSupervisor, "4444"); err != nil {
		t.Fatal(err)
	}
	m := newMember(t, s, "王芳", "")
	topUp(t, s, m, 10000)
	m, _ = s.MemberByNumber(ctx, m.Number)
	set, _ := s.Settings(ctx)
	desk := app.NewMemberDesk(set, s, testPINs(t), time.Now)
	hq := &accountUseBook{uses: []app.AccountUse{{Till: "T01", Ago: time.Second}, {Till: "T02", Ago: 3*time.Minute + 20*time.Second}}}
	co := guarded(t, s, auth, "Wang", "2222", app.DefaultGuardRules())
	co.SetAccountUses(hq)
	start := func(co *app.Checkout) {
		t.Helper()
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if err := co.SetMember(m); err != nil {
			t.Fatal(err)
		}
	}
	start(co)
	one := cny(100)
	_, err := desk.PayFromAccount(ctx, co, app.TenderPrepaid, &one)
	var pe *app.PermissionError
	if !errors.As(err, &pe) || pe.Alarm == nil || pe.Alarm.Kind != app.AlarmSharedAccount || pe.Alarm.OtherTill != "T02" ||
		pe.Alarm.Member != m.Number || pe.Alarm.Ago != 3*time.Minute+20*time.Second {
		t.Fatalf("paying from an account T02 used 3 minutes ago: %v", err)
	}
	if len(co.Tenders()) != 0 {
		t.Fatalf("the stopped payment was taken: %+v", co.Tenders())
	}
	if got := (app.Labels{}).Alarm(*pe.Alarm); got != "Member "+m.Number+"'s account was used at till T02 4 min ago" {
		t.Errorf("the reason reads %q", got)
	}
	if err := co.Session().Approve(ctx, "Zhao", "4444", app.PermAlarm, pe.Alarm.Action()); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.PayFromAccount(ctx, co, app.TenderPrepaid, &one); err != nil {
		t.Fatalf("the approved payment: %v", err)
	}
	if _, err := desk.PayFromAccount(ctx, co, app.TenderPrepaid, nil); err != nil {
		t.Fatalf("a second payment from the account, same sale: %v", err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	from, to := app.DayBounds(time.Now())
	alarms, err := s.Alarms(ctx, from, to)
	if err != nil || len(alarms) != 1 || alarms[0].Kind != app.AlarmSharedAccount || alarms[0].OtherTill != "T02" ||
		alarms[0].Member != m.Number || alarms[0].ApprovedBy != "Zhao" || alarms[0].Ago != 200*time.Second {
		t.Fatalf("the day's alarms %+v, %v", alarms, err)
	}
	var body string
	if err := s.r.QueryRowContext(ctx, `SELECT j.payload FROM outbox o JOIN journal j ON j.seq = o.journal_seq WHERE o.kind = 'alarm'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	if _, err := document.Check(document.KindAlarm, []byte(body)); err != nil {
		t.Errorf("the alarm document %s: %v", body, err)
	}

	// The next sale: the other till's use is older than the window, then the head office cannot be asked.
	for _, hq.uses = range [][]app.AccountUse{{{Till: "T02", Ago: 10 * time.Minute}}, nil} {
		hq.err = nil
		if hq.uses == nil {
			hq.err = errors.New("head office unreachable")
		}
		start(co)
		if _, err := desk.PayFromAccount(ctx, co, app.TenderPrepaid, nil); err != nil {
			t.Fatalf("uses %+v, err %v: %v", hq.uses, hq.err, err)
		}
		if _, err := co.Complete(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The owner pays from it with T02's use a minute old: not stopped, but the head office heard of it.
	hq.uses, hq.err, hq.asked = []app.AccountUse{{Till: "T02", Ago: time.Minute}}, nil, nil
	own := newCheckout(t, s)
	own.SetSession(owner)
	own.SetGuard(app.NewGuard(app.DefaultGuardRules(), "T01", s, time.Now))
	own.SetAccountUses(hq)
	start(own)
	if _, err := desk.PayFromAccount(ctx, own, app.TenderPrepaid, nil); err != nil {
		t.Fatalf("the owner: %v", err)
	}
	if len(hq.asked) != 1 || hq.asked[0] != m.Number {
		t.Errorf("the head office was told of %v", hq.asked)
	}
	if alarms, _ := s.Alarms(ctx, from, to); len(alarms) != 1 {
		t.Errorf("%d alarms after the owner's and the unstopped payments", len(alarms))
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Errorf("the journal: %v", err)
	}
}
