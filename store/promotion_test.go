package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/promo"
)

// colaPair is 第二件半价 on the test catalog's cola; spendTen is 满10减1 on anything.
func promotionsFor(t *testing.T, s *Store) (colaPair, spendTen promo.Rule) {
	t.Helper()
	cola, err := s.ProductBySKU(context.Background(), "DRK-001")
	if err != nil {
		t.Fatal(err)
	}
	colaPair = promo.Rule{Name: "Second cola half price", NameZH: "可乐第二件半价", Kind: promo.BuyGet, Qty: 1, Free: 1,
		PercentBP: 5_000, Target: promo.Target{Products: []int64{cola.ID}},
		Window: promo.Window{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Days: 0x7f}}
	spendTen = promo.Rule{Name: "Spend 10 save 1", NameZH: "满10减1", Kind: promo.BasketSpend, Target: promo.Target{All: true},
		Tiers: []promo.Tier{{Threshold: 10_00, Off: 1_00}}}
	return colaPair, spendTen
}

func savePromotion(t *testing.T, s *Store, r promo.Rule, active bool) int64 {
	t.Helper()
	id, err := s.SavePromotion(context.Background(), app.Promotion{Rule: r, Active: active, UpdatedAt: time.Now(), UpdatedBy: "Olivia"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestPromotionsRoundTripAndAreJournaled(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	colaPair, spendTen := promotionsFor(t, s)
	colaPair.Coupon = "券-2026"
	a, b := savePromotion(t, s, colaPair, true), savePromotion(t, s, spendTen, false)
	list, err := s.PromotionList(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("PromotionList = %+v, %v", list, err)
	}
	colaPair.ID, spendTen.ID = a, b
	if !reflect.DeepEqual(list[0].Rule, colaPair) || !list[0].Active || list[1].Active || list[0].UpdatedBy != "Olivia" {
		t.Fatalf("stored\n %+v\nwant\n %+v", list[0], colaPair)
	}
	// A change keeps the id; the journal has both saves and the change, and verifies.
	colaPair.PercentBP = 10_000
	if id := savePromotion(t, s, colaPair, true); id != a {
		t.Fatalf("changed promotion got id %d", id)
	}
	if n := count(t, s, "journal WHERE kind = 'promotion'"); n != 3 {
		t.Fatalf("%d promotion journal rows", n)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	colaPair.ID = 999
	if _, err := s.SavePromotion(ctx, app.Promotion{Rule: colaPair, Active: true}); err == nil {
		t.Fatal("a change to a promotion that does not exist was saved")
	}
	if n := count(t, s, "promotions"); n != 2 {
		t.Fatalf("%d promotions after the refused change", n)
	}
}

func TestActiveDealsAreReadAgainOnlyWhenAPromotionChanges(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	colaPair, spendTen := promotionsFor(t, s)
	first, err := s.ActiveDeals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := s.ActiveDeals(ctx); again != first {
		t.Fatal("unchanged promotions were read again")
	}
	savePromotion(t, s, colaPair, true)
	withCola, _ := s.ActiveDeals(ctx)
	if withCola == first || !dealsSave(t, s, withCola) {
		t.Fatal("a new promotion was not seen")
	}
	// Another process (the command line) changes them: the till sees it at its next sale.
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	colaPair.ID = 1
	if _, err := other.SavePromotion(ctx, app.Promotion{Rule: colaPair, Active: false, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.SavePromotion(ctx, app.Promotion{Rule: spendTen, Active: false, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	other.Close()
	off, _ := s.ActiveDeals(ctx)
	if off == withCola || dealsSave(t, s, off) {
		t.Fatal("promotions turned off by another process still apply")
	}
}

// dealsSave reports whether d saves anything on two colas.
func dealsSave(t *testing.T, s *Store, d *app.Deals) bool {
	t.Helper()
	co := newCheckout(t, s)
	co.SetDeals(d)
	if _, err := co.Scan(context.Background(), "2*5449000000996"); err != nil {
		t.Fatal(err)
	}
	return !co.Totals().Promotions.IsZero()
}

func TestPromotedSaleIsStoredAsSoldAndBoundToTheJournal(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	colaPair, spendTen := promotionsFor(t, s)
	savePromotion(t, s, colaPair, true)
	savePromotion(t, s, spendTen, true)
	co := newCheckout(t, s)
	co.SetDealsSource(s)
	sale := sellWith(t, co, "5449000000996", "5449000000996", "6924743915763", "0.455*2000101000006")
	// Colas ¥6.00 − ¥1.50; chips ¥6.50; bananas ¥3.18: ¥14.18 ≥ ¥10 saves ¥1 more over the lines.
	if sale.Totals.Total.Minor() != 600-150+650+318-100 {
		t.Fatalf("total %v", sale.Totals.Total)
	}
	got, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range got.Lines {
		if !reflect.DeepEqual(l.Promotions, sale.Lines[i].Promotions) || l.Promotion != sale.Lines[i].Promotion {
			t.Errorf("line %d promotions stored %+v, sold %+v", i+1, l.Promotions, sale.Lines[i].Promotions)
		}
	}
	if got.Lines[0].Promotions[0].NameZH != "可乐第二件半价" {
		t.Fatalf("stored promotions %+v", got.Lines[0].Promotions)
	}
	// The document the head office gets says which rule gave what, and passes its checks.
	doc := newSaleDoc(got)
	body, _ := json.Marshal(doc)
	if _, err := document.Check(document.KindSale, body); err != nil {
		t.Fatalf("the promoted sale's document is refused: %v", err)
	}
	if !strings.Contains(string(body), `"promotions":[{"rule":1,"name":"Second cola half price","name_zh":"可乐第二件半价"`) {
		t.Fatalf("document: %s", body)
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
	// A saving rewritten after the sale is found: the journal binds the promotions column too.
	if _, err := s.w.Exec(`UPDATE sale_lines SET promotions = replace(promotions, '"rule":1', '"rule":2') WHERE line_no = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyJournal(ctx); err == nil || !strings.Contains(err.Error(), "stored rows differ") {
		t.Fatalf("VerifyJournal after tampering = %v", err)
	}
}

// A promoted sale refunded a piece at a time, from the stored sale, gives back exactly what its lines
// came to after the savings: the savings stay with the lines they were split over.
func TestPromotedSaleRefundedPieceByPieceGivesBackWhatItCameTo(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	colaPair, spendTen := promotionsFor(t, s)
	savePromotion(t, s, colaPair, true)
	savePromotion(t, s, spendTen, true)
	co := newCheckout(t, s)
	co.SetDealsSource(s)
	sale := sellWith(t, co, "3*5449000000996", "6924743915763", "0.455*2000101000006")
	stored, err := s.SaleByReceipt(ctx, sale.ReceiptNo)
	if err != nil {
		t.Fatal(err)
	}
	var given int64
	for {
		earlier, err := s.RefundsOfSale(ctx, stored.ID)
		if err != nil {
			t.Fatal(err)
		}
		left := app.RefundableOf(stored, earlier)
		var pick *app.RefundPick
		for _, l := range left.Lines {
			if l.Qty > 0 {
				qty := l.Qty
				if l.Line.Product.Unit == app.UnitPiece {
					qty = app.Pieces(1)
				}
				pick = &app.RefundPick{LineNo: l.LineNo, Qty: qty}
				break
			}
		}
		if pick == nil {
			break
		}
		r, err := co.RefundSale(ctx, stored, earlier, []app.RefundPick{*pick}, app.RefundTo{Kind: app.TenderCash}, "")
		if err != nil {
			t.Fatalf("refund %+v: %v", *pick, err)
		}
		given += r.Total.Minor()
	}
	// The lines' value given back is the sale's total after its savings (the cash each refund handed over
	// is that, rounded to the cash step: app's money properties hold it to the cent).
	if given != sale.Totals.Total.Minor() {
		t.Fatalf("refunds gave back lines worth %d of the %d the sale came to", given, sale.Totals.Total.Minor())
	}
	if _, err := s.VerifyJournal(ctx); err != nil {
		t.Fatal(err)
	}
}
