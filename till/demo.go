package till

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
	"checkout/assets"
)

// A first-run till is a demo shop: the demo catalog, a member with a contactless card, a shop name and a
// clearly fake QR account, so everything can be tried before the owner sets the real ones.

// SeedDemo adds the embedded demo catalog; products already there are kept. It returns how many it added.
func (st *Store) SeedDemo(ctx context.Context) (int, error) {
	set, err := st.Settings(ctx)
	if err != nil {
		return 0, err
	}
	entries, err := app.ReadCatalogCSV(bytes.NewReader(assets.DemoCatalog), set)
	if err != nil {
		return 0, fmt.Errorf("demo catalog: %w", err)
	}
	n, err := st.AddProducts(ctx, entries)
	if err != nil {
		return n, err
	}
	return n, st.SearchIndexed(ctx)
}

// nameDemoShop gives a first-run till a shop name and a clearly fake QR account, so the customer display
// and QR payments can be tried before the owner sets the real ones (checkout set shop_name …).
func nameDemoShop(ctx context.Context, st *Store) error {
	for _, kv := range [][2]string{{"shop_name", "Demo Corner Shop"}, {"shop_city", "Shanghai"},
		{"qr_guid", "com.example.demo"}, {"qr_merchant_id", "DEMO0001"}} {
		if _, err := st.SetSetting(ctx, kv[0], kv[1], time.Now()); err != nil {
			return err
		}
	}
	return nil
}

// seedDemoStock receives a first-run till's opening delivery, one journaled receiving: 24 of each piece
// and 10 kg of each product sold by weight, at 60% of its price, so the demo's first sales find stock
// on the shelf and the stock pages have something to show.
func seedDemoStock(ctx context.Context, st *Store) error {
	var moves []app.StockMove
	for after := ""; ; {
		page, err := st.ProductPage(ctx, after, 500)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			qty, price := app.Pieces(24), p.Price.Minor()
			if p.Unit == app.UnitKg {
				qty = app.Grams(10_000)
				price, _, _ = p.PerKg() // costs are per kg, whatever the price unit
			}
			moves = append(moves, app.StockMove{ProductID: p.ID, Kind: app.MoveReceiving, Qty: qty, Reason: "demo",
				User: "demo", Ref: "demo opening stock", UnitCost: money.New(price*6/10, p.Price.Currency())})
		}
		after = page[len(page)-1].SKU
	}
	if len(moves) == 0 {
		return nil
	}
	return st.RecordStock(ctx, time.Now(), app.MoveReceiving, "demo opening stock", moves)
}

// demoCardUID is the demo member's contactless card; the simulated reader taps it in the F11 sequence.
const demoCardUID = "04D3E0A1B2C3D4"

// seedDemoMember gives a first-run till a member with the demo card, so tapping it (F11) shows a member.
func seedDemoMember(ctx context.Context, st *Store) error {
	m, err := st.SaveMember(ctx, app.Member{Name: "Demo Member", Phone: "13800000000"}, time.Now())
	if err != nil {
		return err
	}
	return st.AddCard(ctx, m.ID, app.MemberCard{Token: demoCardUID, Label: demoCardUID}, time.Now())
}

// demoCodes are what the simulated scanner scans in turn, from the demo catalog: a can of cola, a
// weighed-banana scale label (0.750 kg), the cola as a GS1 DataBar with an expiry date, and with its
// AIM identifier.
var demoCodes = []string{
	"5449000000996",
	withCheck("200010100750"),
	"]e00105449000000996" + "17" + time.Now().AddDate(0, 6, 0).Format("060102"),
	"]E05449000000996",
}

func withCheck(data string) string { return data + string(barcode.CheckDigit(data)) }
