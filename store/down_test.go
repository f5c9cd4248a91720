package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

func enrolled(t testing.TB, s *Store) {
	t.Helper()
	if err := s.SetSyncLink(context.Background(), SyncLink{URL: "https://hq.example", Shop: "north", Till: "T01", EnrolledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

func journalCount(t testing.TB, s *Store, kind string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM journal WHERE kind = ?`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A page of the head office's changes is applied in one transaction: a bad row anywhere in it leaves the
// catalog, the members and the high-water mark as they were. A good page changes prices, adds products
// with their barcodes (moving a barcode the head office gave another product), moves the mark and is
// journaled once; a page older than the mark changes nothing.
func TestApplyChangesOneTransaction(t *testing.T) {
	s, _ := openTestStore(t)
	enrolled(t, s)
	ctx := context.Background()
	newProduct := app.CatalogEntry{Product: app.Product{SKU: "TEA-001", Name: "Green tea", Price: cny(400), Unit: app.UnitPiece,
		TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915770"}} // SNK-001's second barcode
	dearer := app.CatalogEntry{Product: app.Product{SKU: "DRK-001", Name: "Coca-Cola 330ml can", Price: cny(350), Unit: app.UnitPiece,
		TaxClass: "standard", Active: true}, Barcodes: []string{"5449000000996"}}
	bad := []app.HQChanges{
		{Next: 7, Products: []app.CatalogEntry{dearer, newProduct, {Product: app.Product{SKU: "BAD-001", Name: "Bad",
			Price: money.New(100, money.USD), Unit: app.UnitPiece, TaxClass: "standard", Active: true}}}},
		{Next: 7, Products: []app.CatalogEntry{dearer, newProduct}, Members: []app.HQMember{{Number: "M000001", Name: "Li",
			Balance: money.New(100, money.USD), Seq: 7}}},
	}
	for i, page := range bad {
		if _, err := s.ApplyChanges(ctx, page, time.Now()); err == nil {
			t.Fatalf("bad page %d applied", i)
		}
		p, err := s.ProductByBarcode(ctx, "5449000000996")
		if err != nil || p.Price.Minor() != 300 {
			t.Fatalf("bad page %d: the price changed: %v %v", i, p.Price, err)
		}
		if p, err := s.ProductByBarcode(ctx, "6924743915770"); err != nil || p.SKU != "SNK-001" {
			t.Fatalf("bad page %d: barcode moved: %v %v", i, p.SKU, err)
		}
		if _, err := s.MemberByNumber(ctx, "M000001"); !errors.Is(err, app.ErrUnknownMember) {
			t.Fatalf("bad page %d: member stored: %v", i, err)
		}
		if seq, _ := s.DownSeq(ctx); seq != 0 || journalCount(t, s, "catalog_sync") != 0 {
			t.Fatalf("bad page %d: mark %d", i, seq)
		}
	}

	done, err := s.ApplyChanges(ctx, app.HQChanges{Next: 7, Products: []app.CatalogEntry{dearer, newProduct}}, time.Now())
	if err != nil || done.Products != 2 {
		t.Fatalf("applied %+v, %v", done, err)
	}
	if p, err := s.ProductByBarcode(ctx, "5449000000996"); err != nil || p.Price.Minor() != 350 {
		t.Fatalf("price %v, %v", p.Price, err)
	}
	if p, err := s.ProductByBarcode(ctx, "6924743915770"); err != nil || p.SKU != "TEA-001" {
		t.Fatalf("moved barcode finds %v, %v", p.SKU, err)
	}
	if p, err := s.ProductByBarcode(ctx, "6924743915763"); err != nil || p.SKU != "SNK-001" {
		t.Fatalf("SNK-001 kept its first barcode: %v, %v", p.SKU, err)
	}
	if found, err := s.SearchProducts(ctx, "green tea", 5); err != nil || len(found) != 1 {
		t.Fatalf("search finds %d, %v", len(found), err)
	}
	if seq, _ := s.DownSeq(ctx); seq != 7 || journalCount(t, s, "catalog_sync") != 1 {
		t.Fatalf("mark %d, %d entries", seq, journalCount(t, s, "catalog_sync"))
	}
	// A stale page (a retry after the mark moved) changes nothing.
	stale := dearer
	stale.Product.Price = cny(999)
	if done, err := s.ApplyChanges(ctx, app.HQChanges{Next: 5, Products: []app.CatalogEntry{stale}}, time.Now()); err != nil || done.Products != 0 {
		t.Fatalf("stale page: %+v, %v", done, err)
	}
	if p, _ := s.ProductByBarcode(ctx, "5449000000996"); p.Price.Minor() != 350 {
		t.Fatalf("a stale page changed the price to %s", p.Price)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// A member's balance after a down-sync is the head office's plus what this till has not uploaded yet; a
// card the head office holds below zero stops at zero here, and the head office's figure is kept to show.
// Members new to the till are created. The ledger still sums to the balance.
func TestApplyChangesMembers(t *testing.T) {
	s, _ := openTestStore(t)
	enrolled(t, s)
	ctx := context.Background()
	m := newMember(t, s, "Wang Fang", "13800000000")
	topUp(t, s, m, 10000) // not uploaded yet
	apply := func(next int64, members ...app.HQMember) app.HQApplied {
		t.Helper()
		done, err := s.ApplyChanges(ctx, app.HQChanges{Next: next, Members: members}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return done
	}
	balance := func(number string) app.Member {
		t.Helper()
		got, err := s.MemberByNumber(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// Another till topped the card up by 30.00: the head office knows that, not this till's 100.00.
	apply(1, app.HQMember{Number: m.Number, Balance: cny(3000), Seq: 1})
	if got := balance(m.Number); got.Balance.Minor() != 13000 || !got.HQKnown || got.HQBalance.Minor() != 3000 || got.Name != "Wang Fang" {
		t.Fatalf("after the first down-sync: %+v", got)
	}
	// The top-up is uploaded; another till spent 50.00.
	docs, _ := s.PendingOutbox(ctx, 10)
	ids := []string{}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	if err := s.MarkSent(ctx, ids, time.Now()); err != nil {
		t.Fatal(err)
	}
	apply(2, app.HQMember{Number: m.Number, Balance: cny(8000), Points: 12, Seq: 2})
	if got := balance(m.Number); got.Balance.Minor() != 8000 || got.Points != 12 || got.SpentSinceHQ.Minor() != 0 {
		t.Fatalf("after the second: %+v", got)
	}
	// This till spends 5.00 of it: counted since the down-sync.
	co := newCheckout(t, s)
	if _, err := co.Scan(ctx, "6924743915763"); err != nil {
		t.Fatal(err)
	}
	if err := co.SetMember(balance(m.Number)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(cny(500)); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayCash(co.CashDue()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if got := balance(m.Number); got.Balance.Minor() != 7500 || got.SpentSinceHQ.Minor() != 500 {
		t.Fatalf("after spending 5.00: %+v", got)
	}
	// Two other tills overdrew the card offline: it stops at zero here. A member new to this till arrives.
	done := apply(3, app.HQMember{Number: m.Number, Balance: cny(-1000), Seq: 3},
		app.HQMember{Number: "M900001", Name: "Li Lei", Phone: "139", Tier: "gold", Balance: cny(2500), Points: 40, Seq: 3})
	if len(done.Overdrawn) != 1 || done.Overdrawn[0] != m.Number || done.Members != 2 {
		t.Fatalf("applied %+v", done)
	}
	// The 5.00 sale is still unsent, so the head office's −10.00 does not hold it: −15.00, kept at 0.
	if got := balance(m.Number); got.Balance.Minor() != 0 || got.HQBalance.Minor() != -1000 {
		t.Fatalf("overdrawn card: %+v", got)
	}
	if got := balance("M900001"); got.Name != "Li Lei" || got.Tier != "gold" || got.Balance.Minor() != 2500 || got.Points != 40 {
		t.Fatalf("new member: %+v", got)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}

// Migration 0019 rebuilds member_ledger: on a till that already has members with movements, it keeps
// every row, the balances they sum to, and the triggers that keep the ledger append-only.
func TestMemberLedgerRebuildKeepsRows(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Wang Fang", "")
	topUp(t, s, m, 10000)
	co := newCheckout(t, s)
	if _, err := co.Scan(ctx, "5449000000996"); err != nil {
		t.Fatal(err)
	}
	m, _ = s.MemberByNumber(ctx, m.Number)
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	if _, err := co.PayPrepaid(co.Due()); err != nil {
		t.Fatal(err)
	}
	if _, err := co.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	before := count(t, s, "member_ledger")
	// Back to the schema before 0019 (its columns dropped; the ledger is rebuilt again from its rows).
	downgradeBindings(t, s)
	if _, err := s.w.ExecContext(ctx, `DELETE FROM schema_migrations WHERE version = 19;
		ALTER TABLE sync_state DROP COLUMN down_seq; ALTER TABLE sync_state DROP COLUMN last_down_at;
		ALTER TABLE members DROP COLUMN hq_balance; ALTER TABLE members DROP COLUMN hq_points;
		ALTER TABLE members DROP COLUMN hq_seq; ALTER TABLE members DROP COLUMN hq_ledger_id`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if after := count(t, s, "member_ledger"); after != before || before < 3 {
		t.Fatalf("ledger rows %d, then %d", before, after)
	}
	if got, _ := s.MemberByNumber(ctx, m.Number); got.Balance.Minor() != 10000-300 {
		t.Fatalf("balance %s", got.Balance)
	}
	if err := s.VerifyMembers(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.ExecContext(ctx, `DELETE FROM member_ledger`); err == nil {
		t.Fatal("the rebuilt ledger lets rows be deleted")
	}
	var fkProblems int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM pragma_foreign_key_check`).Scan(&fkProblems); err != nil || fkProblems != 0 {
		t.Errorf("foreign key check: %d, %v", fkProblems, err)
	}
	// A new movement still reaches the member's balance through the rebuilt trigger.
	topUp(t, s, m, 500)
	if got, _ := s.MemberByNumber(ctx, m.Number); got.Balance.Minor() != 10000-300+500 {
		t.Fatalf("balance after a top-up %s", got.Balance)
	}
}

// The head office's Chinese category names reach the till's products: new products get theirs, an
// existing product's is replaced, and a product the head office sends without one has none.
func TestApplyChangesCategoryZH(t *testing.T) {
	s, _ := openTestStore(t)
	enrolled(t, s)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `UPDATE products SET category_zh = '零食' WHERE sku = 'SNK-001'`); err != nil {
		t.Fatal(err)
	}
	banana := app.CatalogEntry{Product: app.Product{SKU: "PRO-001", Name: "Banana", NameZH: "香蕉", Category: "produce",
		CategoryZH: "生鲜果蔬", Price: cny(698), Unit: app.UnitKg, TaxClass: "reduced", Active: true}, Barcodes: []string{"2000101000006"}}
	tea := app.CatalogEntry{Product: app.Product{SKU: "TEA-001", Name: "Green tea", Category: "drinks", CategoryZH: "饮料",
		Price: cny(400), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6901234567892"}}
	chips := app.CatalogEntry{Product: app.Product{SKU: "SNK-001", Name: "Lay's chips original 70g", Category: "snacks",
		Price: cny(650), Unit: app.UnitPiece, TaxClass: "standard", Active: true}, Barcodes: []string{"6924743915763"}}
	if _, err := s.ApplyChanges(ctx, app.HQChanges{Next: 3, Products: []app.CatalogEntry{banana, tea, chips}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"2000101000006": "生鲜果蔬", "6901234567892": "饮料", "6924743915763": "",
		"5449000000996": ""} { // DRK-001: not in the page, as it was
		if p, err := s.ProductByBarcode(ctx, code); err != nil || p.CategoryZH != want {
			t.Errorf("%s: category_zh %q, %v; want %q", code, p.CategoryZH, err, want)
		}
	}
}
