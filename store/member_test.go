package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app"
)

func newMember(t testing.TB, s *Store, name, phone string) app.Member {
	t.Helper()
	m, err := s.SaveMember(context.Background(), app.Member{Name: name, Phone: phone}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func topUp(t testing.TB, s *Store, m app.Member, amount int64) *app.TopUp {
	t.Helper()
	set, _ := s.Settings(context.Background())
	tu, err := app.NewTopUp(set, m, cny(amount), app.Tender{Kind: app.TenderCash}, "owner", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CommitTopUp(context.Background(), tu); err != nil {
		t.Fatal(err)
	}
	return tu
}

func TestMembersCardsAndLookup(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	wang := newMember(t, s, "Wang Fang", "138-0013-8000")
	li := newMember(t, s, "Li Lei", "13900139000")
	if wang.Number != "M000001" || li.Number != "M000002" || wang.Phone != "13800138000" {
		t.Fatalf("numbers %s %s, phone %s", wang.Number, li.Number, wang.Phone)
	}
	if _, err := s.SaveMember(ctx, app.Member{Name: " "}, time.Now()); !errors.Is(err, app.ErrInvalidMember) {
		t.Errorf("a member with no name: %v", err)
	}
	if err := s.AddCard(ctx, wang.ID, app.MemberCard{Token: "04A1B2C3D4", Label: "04A1B2C3D4"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.AddCard(ctx, li.ID, app.MemberCard{Token: "04A1B2C3D4"}, time.Now()); !errors.Is(err, app.ErrCardInUse) {
		t.Errorf("the same card to another member: %v", err)
	}
	if m, err := s.MemberByCard(ctx, "04A1B2C3D4"); err != nil || m.ID != wang.ID || len(m.Cards) != 1 {
		t.Errorf("by card: %+v, %v", m, err)
	}
	for _, q := range []string{"38000", "wang", "M000001"} {
		if found, err := s.FindMembers(ctx, q, 5); err != nil || len(found) != 1 || found[0].ID != wang.ID {
			t.Errorf("find %q: %+v, %v", q, found, err)
		}
	}
	if found, _ := s.FindMembers(ctx, "%", 5); len(found) != 0 {
		t.Errorf("a LIKE wildcard matched %d members", len(found))
	}
	// A lost card is blocked, and a replacement finds the member.
	if err := s.BlockCard(ctx, "04A1B2C3D4", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MemberByCard(ctx, "04A1B2C3D4"); !errors.Is(err, app.ErrCardBlocked) {
		t.Errorf("a blocked card: %v", err)
	}
	if err := s.AddCard(ctx, wang.ID, app.MemberCard{Token: "04FFEE", Label: "04FFEE"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MemberByCard(ctx, "04FFEE"); err != nil || m.ID != wang.ID {
		t.Errorf("replacement card: %+v, %v", m, err)
	}
	if _, err := s.MemberByCard(ctx, "0000"); !errors.Is(err, app.ErrUnknownMember) {
		t.Errorf("an unknown card: %v", err)
	}
}

// The member dialog's fields are one line of bounded text: a control character or a huge name is refused
// naming the field, and nothing is saved.
func TestSaveMemberRefusesControlCharactersAndHugeFields(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	for _, tt := range []struct {
		m    app.Member
		want string
	}{
		{app.Member{Name: "Wang\x00Fang"}, "name: control character U+0000"},
		{app.Member{Name: "Wang\rFang"}, "name: control character U+000D"},
		{app.Member{Name: "Wang \x7f"}, "name: control character U+007F"},
		{app.Member{Name: strings.Repeat("王", 201)}, "name: 201 characters, at most 200"},
		{app.Member{Name: "Wang", Tier: "gold\tplus"}, "tier: control character U+0009"},
		{app.Member{Name: "Wang", Tier: strings.Repeat("g", 65)}, "tier: 65 characters, at most 64"},
		{app.Member{Name: "Wang", Notes: "likes tea\x1b[2J"}, "notes: control character U+001B"},
		{app.Member{Name: "Wang", Notes: strings.Repeat("n", 1001)}, "notes: 1001 characters, at most 1000"},
	} {
		if _, err := s.SaveMember(ctx, tt.m, time.Now()); !errors.Is(err, app.ErrInvalidMember) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("want %q: %v", tt.want, err)
		}
	}
	if found, _ := s.FindMembers(ctx, "Wang", 5); len(found) != 0 {
		t.Errorf("refused members were saved: %+v", found)
	}
}

func TestTopUpThenPayPartPrepaidRestCash(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	if _, err := s.SetSetting(ctx, "topup_bonus", "100:10,500:80", time.Now()); err != nil {
		t.Fatal(err)
	}
	m := newMember(t, s, "Wang Fang", "13800138000")
	tu := topUp(t, s, m, 10000)
	if tu.Bonus != cny(1000) || tu.Balance != cny(11000) || tu.Receipt != "T01-P000001" {
		t.Fatalf("top-up: bonus %v balance %v receipt %s", tu.Bonus, tu.Balance, tu.Receipt)
	}
	m, _ = s.MemberByNumber(ctx, m.Number)

	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "6924743915763", "6924743915763"} { // 3.00 + 6.50 × 2
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(cny(1000)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(cny(1000)); err != nil { // 16.00 − 10.00 = 6.00 due, 10.00 handed over
		t.Fatal(err)
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sale.Member == nil || sale.Member.PointsEarned != 16 {
		t.Fatalf("sale member %+v", sale.Member)
	}
	after, _ := s.MemberByNumber(ctx, m.Number)
	if after.Balance != cny(10000) || after.Points != 16 {
		t.Errorf("after the sale: balance %v, points %d", after.Balance, after.Points)
	}
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil || stored.Member == nil || stored.Member.Number != m.Number || stored.Member.PointsEarned != 16 {
		t.Fatalf("stored sale member %+v, %v", stored.Member, err)
	}
	if n, err := s.VerifyJournal(ctx); err != nil || n != 3 {
		t.Errorf("journal: %d rows, %v", n, err)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
	if n := count(t, s, "outbox"); n != 2 {
		t.Errorf("%d outbox rows for a top-up and a sale", n)
	}

	// Points pay: 16 points × ¥0.01 against a ¥3.00 can.
	co = newCheckout(t, s)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	if _, err := co.RedeemPoints(17); !errors.Is(err, app.ErrNoMember) {
		t.Errorf("points with no member: %v", err)
	}
	_ = co.SetMember(after)
	if _, err := co.RedeemPoints(17); !errors.Is(err, app.ErrInsufficientPoints) {
		t.Errorf("17 of 16 points: %v", err)
	}
	if tn, err := co.RedeemPoints(16); err != nil || tn.Amount != cny(16) {
		t.Fatalf("16 points pay %v, %v", tn.Amount, err)
	}
	if _, err := co.PayPrepaid(co.Due()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	final, _ := s.MemberByNumber(ctx, m.Number)
	// Earned on 3.00 − 0.16 paid with points: 2 points.
	if final.Points != 2 || final.Balance != cny(10000-284) {
		t.Errorf("after paying with points: %d points, balance %v", final.Points, final.Balance)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
}

// Two tills loaded the same member with ¥100 and each pays ¥80 from it: one sale commits, the other is
// refused whole, and the balance is never below zero.
func TestConcurrentPrepaidPaymentsNeverOverdraw(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Wang Fang", "")
	topUp(t, s, m, 10000)
	m, _ = s.MemberByNumber(ctx, m.Number)
	sales := count(t, s, "sales")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		co := newCheckout(t, s)
		for range 27 { // 27 × 3.00 = 81.00
			if _, err := co.Scan(ctx, "5449000000996"); err != nil {
				t.Fatal(err)
			}
		}
		_ = co.SetMember(m)
		if _, err := co.PayPrepaid(cny(8000)); err != nil {
			t.Fatal(err)
		}
		if _, err := co.PayCash(co.CashDue()); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = co.Complete(ctx)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, app.ErrInsufficientBalance):
			t.Errorf("a refused payment: %v", err)
		}
	}
	after, _ := s.MemberByNumber(ctx, m.Number)
	if ok != 1 || after.Balance != cny(2000) || count(t, s, "sales") != sales+1 {
		t.Errorf("%d payments went through, balance %v, %d sales stored", ok, after.Balance, count(t, s, "sales")-sales)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
}

// Random top-ups and prepaid payments: the balance always equals the ledger's sum and never goes below
// zero; a payment beyond it is refused and changes nothing.
func TestPrepaidBalanceIsTheLedgerSum(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Li Lei", "")
	rng := rand.New(rand.NewPCG(7, 11))
	want := int64(0)
	for range 60 {
		if rng.IntN(3) == 0 {
			amount := int64(100 * (1 + rng.IntN(50)))
			topUp(t, s, m, amount)
			want += amount
			continue
		}
		cur, _ := s.MemberByNumber(ctx, m.Number)
		stale := cur
		stale.Balance = cny(cur.Balance.Minor() + 300) // a till whose view of the balance is out of date
		co := newCheckout(t, s)
		if _, err := co.Scan(ctx, "5449000000996"); err != nil {
			t.Fatal(err)
		}
		_ = co.SetMember(stale)
		pay := min(int64(300), stale.Balance.Minor())
		if pay == 0 {
			continue
		}
		if _, err := co.PayPrepaid(cny(pay)); err != nil {
			t.Fatal(err)
		}
		if due := co.CashDue(); due.Minor() > 0 {
			if _, err := co.PayCash(due); err != nil {
				t.Fatal(err)
			}
		}
		_, err := co.Complete(ctx)
		switch {
		case pay <= want && err != nil:
			t.Fatalf("a payment of %d from %d refused: %v", pay, want, err)
		case pay > want && !errors.Is(err, app.ErrInsufficientBalance):
			t.Fatalf("a payment of %d from %d: %v", pay, want, err)
		case err == nil:
			want -= pay
		}
		if err := s.VerifyMembers(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := s.MemberByNumber(ctx, m.Number); after.Balance != cny(want) {
		t.Errorf("balance %v, want %d", after.Balance, want)
	}
}

// A refund of a member's sale gives prepaid value back to their balance and takes back the points the
// refunded part earned.
func TestRefundToPrepaidReversesPoints(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Wang Fang", "")
	topUp(t, s, m, 10000)
	m, _ = s.MemberByNumber(ctx, m.Number)
	co := newCheckout(t, s)
	for _, code := range []string{"5449000000996", "6924743915763", "6924743915763"} { // 3.00 + 13.00
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	_ = co.SetMember(m)
	if _, err := co.PayPrepaid(co.Due()); err != nil {
		t.Fatal(err)
	}
	sale, err := co.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The chips (line 2, ¥13.00) go back to the prepaid balance: 13 of the 16 points go with them.
	r, err := co.RefundSale(ctx, sale, nil, []app.RefundPick{{LineNo: 2, Qty: app.Pieces(2)}}, app.RefundTo{Kind: app.TenderPrepaid}, "stale")
	if err != nil {
		t.Fatal(err)
	}
	if r.Member == nil || r.Member.PointsEarned != -13 || r.Tender.Amount != cny(1300) {
		t.Fatalf("refund member %+v tender %v", r.Member, r.Tender.Amount)
	}
	after, _ := s.MemberByNumber(ctx, m.Number)
	if after.Balance != cny(10000-1600+1300) || after.Points != 3 {
		t.Errorf("after the refund: balance %v points %d", after.Balance, after.Points)
	}
	stored, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(stored) != 1 || stored[0].Member == nil || stored[0].Member.PointsEarned != -13 {
		t.Fatalf("stored refund %+v, %v", stored, err)
	}
	// The points are spent before the rest is refunded: the reversal stops at what is left.
	co = newCheckout(t, s)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	_ = co.SetMember(after)
	if _, err := co.RedeemPoints(3); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(co.Due()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	earlier, _ := s.RefundsOfSale(ctx, sale.ID)
	// 3 points left after the first refund, all spent; the new sale earned 2 (on ¥2.97 paid otherwise).
	r, err = co.RefundSale(ctx, sale, earlier, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, "")
	if err != nil {
		t.Fatal(err)
	}
	if final, _ := s.MemberByNumber(ctx, m.Number); final.Points != 0 || r.Member.PointsEarned != -2 {
		t.Errorf("after refunding the can: %d points, refund took %d", final.Points, -r.Member.PointsEarned)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Error(err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
	// A sale with no member cannot be refunded to prepaid.
	plain := sellCash(t, s, "5449000000996")
	if _, err := co.RefundSale(ctx, plain, nil, []app.RefundPick{{LineNo: 1, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderPrepaid}, ""); !errors.Is(err, app.ErrRefundTender) {
		t.Errorf("prepaid refund of a cash sale: %v", err)
	}
}

// Migration 0011 rebuilds refunds: on a till that already has refunds and their lines, it keeps them
// and what the journal binds.
func TestRefundsRebuildKeepsEarlierRefunds(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	co := newCheckout(t, s)
	co.SetSession(app.SystemSession("")) // as before users: the rollback below drops the cashier columns
	for _, code := range []string{"5449000000996", "6924743915763"} {
		if _, err := co.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	sale, err := co.SettleCash(ctx, co.CashDue())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := co.RefundSale(ctx, sale, nil, []app.RefundPick{{LineNo: 2, Qty: app.Pieces(1)}}, app.RefundTo{Kind: app.TenderCash}, ""); err != nil {
		t.Fatal(err)
	}
	// Back to the schema before 0011: undo the later migrations that touch refunds (0014's columns) and
	// 0016's index on sales.cashier; users goes whole (0017 adds to it); 0042's report totals read the
	// cashier columns.
	if _, err := s.w.ExecContext(ctx, undoReportTotals+`; DELETE FROM schema_migrations WHERE version IN (11, 14, 16, 17);
		DROP TRIGGER users_no_delete; DROP TABLE users; DROP INDEX journal_staff_at; ALTER TABLE sales DROP COLUMN cashier;
		ALTER TABLE refunds DROP COLUMN cashier; ALTER TABLE refunds DROP COLUMN approved_by`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	refunds, err := s.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(refunds) != 1 || len(refunds[0].Lines) != 1 {
		t.Fatalf("refunds after the rebuild: %+v, %v", refunds, err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Error(err)
	}
	if err := s.VerifyStock(ctx); err != nil {
		t.Error(err)
	}
	var fkProblems int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&fkProblems); err != nil || fkProblems != 0 {
		t.Errorf("foreign key check: %d, %v", fkProblems, err)
	}
}

// undoReportTotals takes a store back to before migration 0042 (the report totals), which Open applies again,
// but for the index 0042 drops: migration 0016 must be applied again too.
const undoReportTotals = `DELETE FROM schema_migrations WHERE version = 42;
	DROP VIEW report_facts; DROP VIEW product_facts;
	DROP TABLE report_hours; DROP TABLE product_hours;
	ALTER TABLE sale_lines DROP COLUMN category; ALTER TABLE sale_lines DROP COLUMN unit_cost;
	DROP INDEX products_category; CREATE INDEX products_category ON products (category)`
