package reportpdf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/money"
)

// busyDay is a realistic shop day: sales in most hours, every kind of tender, refunds, voids, Chinese
// and English names, costs on part of the catalogue. scale varies it, so last week's differs.
func busyDay(day time.Time, scale int64) app.DaySummary {
	from, to := app.DayBounds(day)
	s := app.NewDaySummary(from, to, money.CNY)
	hours := map[int]int64{7: 3, 8: 11, 9: 14, 10: 9, 11: 16, 12: 22, 13: 15, 14: 8, 15: 7, 16: 12, 17: 24, 18: 27, 19: 18, 20: 9, 21: 4}
	var revenue int64
	for h, n := range hours {
		n = n * scale / 10
		r := n * 4_321
		s.ByHour[h] = app.HourTotal{Sales: n, Revenue: cny(r)}
		s.Sales += n
		revenue += r
	}
	s.Revenue, s.Items, s.Tax = cny(revenue), s.Sales*3, cny(revenue*11/100)
	s.Discounts = cny(revenue / 40)
	s.TaxByRate = []app.RateTax{{RateBP: 900, Tax: cny(revenue * 2 / 100)}, {RateBP: 1300, Tax: cny(revenue*11/100 - revenue*2/100)}}
	cash, card, wallet, qr := revenue*30/100, revenue*25/100, revenue*30/100, revenue*10/100
	prepaid := revenue - cash - card - wallet - qr
	s.Tenders = []app.TenderTotal{
		{Kind: app.TenderCash, Count: s.Sales * 30 / 100, Amount: cny(cash)},
		{Kind: app.TenderCard, Count: s.Sales * 22 / 100, Amount: cny(card)},
		{Kind: app.TenderWallet, Count: s.Sales * 33 / 100, Amount: cny(wallet)},
		{Kind: app.TenderQR, Count: s.Sales * 10 / 100, Amount: cny(qr)},
		{Kind: app.TenderPrepaid, Count: s.Sales * 5 / 100, Amount: cny(prepaid)},
	}
	s.Refunds, s.RefundTotal = 3, cny(4_580*scale/10)
	s.RefundsByKind = []app.TenderTotal{{Kind: app.TenderCash, Count: 2, Amount: cny(1_280 * scale / 10)}, {Kind: app.TenderWallet, Count: 1, Amount: cny(3_300 * scale / 10)}}
	s.TopUps, s.TopUpTotal = 2, cny(80_000)
	s.TopUpsByKind = []app.TenderTotal{{Kind: app.TenderCash, Count: 1, Amount: cny(30_000)}, {Kind: app.TenderWallet, Count: 1, Amount: cny(50_000)}}
	s.Voids = 4
	s.CostedRevenue, s.Cost = cny(revenue*70/100), cny(revenue*70/100*68/100)
	s.MemberSales, s.MemberRevenue = s.Sales/3, cny(revenue/3)
	s.ByCategory = []app.CategoryTotal{
		{Category: "Drinks", CategoryZH: "饮料", Qty: 120_000, Revenue: cny(revenue * 34 / 100)},
		{Category: "Snacks", CategoryZH: "零食", Qty: 80_000, Revenue: cny(revenue * 22 / 100)},
		{Category: "Fruit", CategoryZH: "水果", Qty: 35_250, Revenue: cny(revenue * 18 / 100)},
		{Category: "Dairy", CategoryZH: "乳制品", Qty: 30_000, Revenue: cny(revenue * 14 / 100)},
		{Category: "Household", CategoryZH: "", Qty: 9_000, Revenue: cny(revenue * 8 / 100)},
		{Category: "", Qty: 4_000, Revenue: cny(revenue - revenue*96/100)},
	}
	s.TopProducts = []app.ProductTotal{
		{SKU: "DRK-002", Name: "Nongfu Spring 550ml", NameZH: "农夫山泉 550ml", Unit: app.UnitPiece, Qty: 64_000, Revenue: cny(12_800)},
		{SKU: "DRK-010", Name: "Coca-Cola 330ml can", NameZH: "可口可乐 330ml 罐装", Unit: app.UnitPiece, Qty: 41_000, Revenue: cny(14_350)},
		{SKU: "FRU-001", Name: "Bananas", NameZH: "香蕉", Unit: app.UnitKg, Qty: 12_450, Revenue: cny(8_093)},
		{SKU: "DAI-003", Name: "Mengniu pure milk 250ml × 12", NameZH: "蒙牛纯牛奶 250ml×12盒", Unit: app.UnitPiece, Qty: 9_000, Revenue: cny(53_100)},
		{SKU: "SNK-020", Name: "Lay's crisps original 70g", NameZH: "乐事薯片 原味 70g", Unit: app.UnitPiece, Qty: 22_000, Revenue: cny(15_400)},
		{SKU: "HH-004", Name: "Tissue 3-ply 10 packs", Unit: app.UnitPiece, Qty: 5_000, Revenue: cny(9_950)},
		{SKU: "FRU-007", Name: "Apples Fuji", NameZH: "红富士苹果", Unit: app.UnitKg, Qty: 8_730, Revenue: cny(10_476)},
	}
	li, wang, chen := app.NewCashierTotal("Li Na", money.CNY), app.NewCashierTotal("王芳", money.CNY), app.NewCashierTotal("", money.CNY)
	li.Sales, li.Revenue, li.Refunds, li.RefundTotal, li.Voids, li.NoSales, li.Discounted, li.DiscountTotal = s.Sales/2, cny(revenue/2), 1, cny(1_280), 1, 2, 6, cny(1_540)
	wang.Sales, wang.Revenue, wang.Refunds, wang.RefundTotal, wang.Voids, wang.VoidsPaid, wang.Discounted, wang.DiscountTotal = s.Sales-s.Sales/2-2, cny(revenue-revenue/2-8_000), 2, cny(3_300), 3, 1, 14, cny(12_345)
	chen.Sales, chen.Revenue = 2, cny(8_000)
	s.ByCashier = []app.CashierTotal{chen, li, wang}
	return s
}

// busyMonth is November 2026 with sales every day, fewer on Mondays.
func busyMonth() app.DaySummary {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local)
	day := busyDay(from, 10)
	s := app.NewDaySummary(from, from.AddDate(0, 1, 0), money.CNY)
	var revenue, sales int64
	for i := range s.ByDay {
		d := &s.ByDay[i]
		n := 180 + int64(i*37%60)
		if d.Day.Weekday() == time.Saturday || d.Day.Weekday() == time.Sunday {
			n += 90
		}
		if d.Day.Weekday() == time.Monday {
			n -= 70
		}
		d.Sales, d.Revenue = n, cny(n*4_321)
		revenue += n * 4_321
		sales += n
	}
	day.From, day.To, day.ByDay = s.From, s.To, s.ByDay
	day.Sales, day.Revenue = sales, cny(revenue)
	return day
}

// TestWriteShots writes PDFs to look at into $PDF_SHOTS: a busy day beside last week in English and
// Chinese, and a month.
func TestWriteShots(t *testing.T) {
	dir := os.Getenv("PDF_SHOTS")
	if dir == "" {
		t.Skip("PDF_SHOTS is not set")
	}
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.Local)
	sum, last := busyDay(day, 10), busyDay(day.AddDate(0, 0, -7), 8)
	anomalies := []app.Anomaly{{Cashier: "王芳", Kind: app.AnomalyDiscounts, Count: 14, Sales: 95, Rate: 1474, UsualRate: 420},
		{Cashier: "Li Na", Kind: app.AnomalyNoSales, Count: 2, Sales: 96, Rate: 208, UsualRate: 50, Shop: true}}
	month := busyMonth()
	for name, r := range map[string]Report{
		"day-en":   {Shop: "Corner Shop", Summary: sum, Compare: &last, Anomalies: anomalies, Language: "en"},
		"day-zh":   {Shop: "街角小店", Summary: sum, Compare: &last, Anomalies: anomalies, Language: "zh-Hans", Translate: zhHans(t)},
		"month-en": {Shop: "Corner Shop", Summary: month, Language: "en"},
		"month-zh": {Shop: "街角小店", Summary: month, Language: "zh-Hans", Translate: zhHans(t)},
	} {
		r = withFonts(t, r)
		if strings.HasPrefix(name, "day") {
			r.BoldFont, _ = LoadBoldFont() // the day in a real bold face, the month stroked
		}
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
