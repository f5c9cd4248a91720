package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// receiptSale is a sale of three lines (one discounted, one weighed at the reduced rate), paid part by
// card and the rest in cash with change, by a member who earned points.
func receiptSale(t *testing.T) *Sale {
	t.Helper()
	set := DefaultSettings()
	c := NewCart(set)
	cny := func(minor int64) money.Amount { return money.New(minor, money.CNY) }
	add := func(p Product, q Quantity) int {
		i, err := c.Add(p, q)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	add(Product{ID: 1, Name: "Coca-Cola 330ml", NameZH: "可口可乐 330毫升", Price: cny(350), Unit: UnitPiece, TaxClass: "standard", Active: true}, 2000)
	i := add(Product{ID: 2, Name: "Oolong tea 500ml", NameZH: "乌龙茶 500毫升", Price: cny(600), Unit: UnitPiece, TaxClass: "standard", Active: true}, 1000)
	if err := c.SetDiscount(i, Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	add(Product{ID: 3, Name: "Bananas", NameZH: "香蕉", Price: cny(598), Unit: UnitKg, TaxClass: "reduced", Active: true}, 750)
	tot := c.Totals()
	card := cny(1000)
	cash := tot.Total.Sub(card)
	at := time.Date(2026, 11, 30, 13, 45, 7, 0, time.Local)
	return &Sale{ID: "0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a01", Till: "T01", Number: 42, ReceiptNo: "T01-000042",
		OpenedAt: at.Add(-time.Minute), CompletedAt: at, Currency: money.CNY, TaxMode: TaxInclusive,
		Lines: c.Lines(), Totals: tot, Cashier: "Lin",
		Tenders: []Tender{
			{Kind: TenderCard, Amount: card, Tendered: card, CardLast4: "4242", Approval: "123456"},
			{Kind: TenderCash, Amount: cash, Tendered: cny(2000), Change: cny(2000).Sub(cash)},
		},
		Member: &MemberOnSale{ID: 7, Number: "M000123", PointsEarned: 18},
	}
}

func TestReceiptLayoutEnglish58mm(t *testing.T) {
	r := Receipt{Sale: receiptSale(t), Shop: Shop{Name: "Lin's Corner Shop", City: "Shanghai"}, Lang: "en",
		Member: &MemberAfterSale{Points: 118, Balance: money.New(5000, money.CNY)}}
	want := `Lin's Corner Sho
            Shanghai
--------------------------------
Receipt               T01-000042
2026-11-30 13:45:07  Cashier Lin
--------------------------------
Coca-Cola 330ml
  2 x 3.50                  7.00
Oolong tea 500ml
  1 x 6.00                  6.00
  Discount 10%             -0.60
Bananas
  0.750 kg x 5.98/kg        4.48
--------------------------------
Items                          4
Subtotal                   17.48
Discount                   -0.60
TOTAL                  CNY 16.88
incl. tax 9% on 4.11        0.37
incl. tax 13% on 10.97      1.43
--------------------------------
Card ****4242              10.00
Cash                       20.00
Change                     13.12
--------------------------------
Member                   ***0123
Points earned                +18
Points balance               118
Prepaid balance            50.00

        [QR: T01-000042]
           T01-000042
Thank you for shopping with us!
`
	if got := r.Text(32); got != want {
		t.Errorf("receipt:\n%s\nwant:\n%s", got, want)
	}
}

func TestReceiptLayoutChineseCopy80mm(t *testing.T) {
	r := Receipt{Sale: receiptSale(t), Shop: Shop{Name: "林记便利店", City: "上海"}, Lang: "zh-Hans", Copy: true}
	rows := r.Layout(48)
	text := r.Text(48)
	for _, want := range []string{"林记便利店", "可口可乐 330毫升", "折扣 10%", "合计", "￥16.88", "找零", "银行卡 ****4242",
		"本次积分", "[QR: T01-000042]", "谢谢惠顾"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "¥") {
		t.Errorf("a Chinese receipt prints ￥, never ¥ (GBK has none):\n%s", text)
	}
	if n := strings.Count(text, "*** 补打 ***"); n != 2 {
		t.Errorf("a copy says so twice, got %d:\n%s", n, text)
	}
	if strings.Contains(text, "积分余额") {
		t.Errorf("a reprint without the account after the sale prints no balance:\n%s", text)
	}
	for _, row := range rows {
		limit := 48
		if row.Wide {
			limit = 24
		}
		if w := ReceiptColumns(row.Text); row.Kind == RowText && w > limit {
			t.Errorf("row %q is %d columns, more than %d", row.Text, w, limit)
		}
	}
}

// Cash rounding prints as the shop says it: 抹零 when the small change was dropped, with a plus sign
// when cash rounded up; the total is what was paid.
func TestReceiptShowsTheCashRounding(t *testing.T) {
	for _, tt := range []struct {
		rounding     int64
		lang         string
		label, shown string
		total        string
	}{
		{-8, "zh-Hans", "抹零", "-0.08", "￥16.80"},
		{2, "zh-Hans", "现金进位", "+0.02", "￥16.90"},
		{-8, "en", "Rounding", "-0.08", "CNY 16.80"},
	} {
		s := receiptSale(t)
		s.Rounding = money.New(tt.rounding, money.CNY)
		var found, total bool
		for _, row := range (&Receipt{Sale: s, Lang: tt.lang}).Layout(32) {
			found = found || strings.Join(strings.Fields(row.Text), " ") == tt.label+" "+tt.shown
			total = total || strings.HasSuffix(row.Text, tt.total)
		}
		if !found || !total {
			t.Errorf("rounding %d in %s: no row %q %q, or no total %q", tt.rounding, tt.lang, tt.label, tt.shown, tt.total)
		}
	}
}

func TestReceiptWidth(t *testing.T) {
	for mm, cols := range map[int]int{58: 32, 80: 48} {
		if got, err := ReceiptWidth(mm); err != nil || got != cols {
			t.Errorf("ReceiptWidth(%d) = %d, %v; want %d", mm, got, err, cols)
		}
	}
	if _, err := ReceiptWidth(76); err == nil {
		t.Error("76 mm accepted")
	}
}

func TestReceiptWrapsAndCutsToTheWidth(t *testing.T) {
	if got := wrap("谢谢惠顾，欢迎再次光临！", 10); strings.Join(got, "|") != "谢谢惠顾，|欢迎再次光|临！" {
		t.Errorf("wrap = %q", got)
	}
	if got := spread("一个很长很长的商品名称", "12.50", 16); got != "一个很长很 12.50" || ReceiptColumns(got) != 16 {
		t.Errorf("spread = %q (%d columns)", got, ReceiptColumns(got))
	}
}

// "Subtotal" is before the discounts in either tax mode; with prices excluding tax, the amount after the
// discounts is "Before tax", and the rows add up to the total.
func TestReceiptSubtotalIsBeforeDiscountsInEitherTaxMode(t *testing.T) {
	set := DefaultSettings()
	if err := set.Set("tax_mode", "exclusive"); err != nil {
		t.Fatal(err)
	}
	c := NewCart(set)
	i, err := c.Add(Product{ID: 2, Name: "Oolong tea 500ml", Price: money.New(600, money.CNY), Unit: UnitPiece, TaxClass: "standard", Active: true}, 2000)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetDiscount(i, Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	tot := c.Totals()
	s := &Sale{ReceiptNo: "T01-000043", Currency: money.CNY, TaxMode: TaxExclusive, Lines: c.Lines(), Totals: tot,
		Tenders: []Tender{{Kind: TenderCash, Amount: tot.Total, Tendered: tot.Total, Change: money.Zero(money.CNY)}}}
	rows := map[string]string{}
	for _, row := range (&Receipt{Sale: s, Lang: "en"}).Layout(32) {
		if f := strings.Fields(row.Text); len(f) >= 2 {
			rows[strings.Join(f[:len(f)-1], " ")] = f[len(f)-1]
		}
	}
	// 2 × 6.00 = 12.00, less 10% = 10.80, plus 13% tax = 1.40: 12.20
	if rows["Subtotal"] != "12.00" || rows["Discount"] != "-1.20" || rows["Before tax"] != "10.80" || rows["Tax"] != "1.40" || rows["TOTAL CNY"] != "12.20" {
		t.Fatalf("rows %v", rows)
	}
}

// A refund prints its own receipt: the sale it is for, the lines given back, how the money went back.
func TestRefundReceipt(t *testing.T) {
	cola := Product{ID: 1, Name: "Coca-Cola 330ml", NameZH: "可口可乐 330毫升", Price: money.New(350, money.CNY), Unit: UnitPiece}
	f := &Refund{ReceiptNo: "T01-R000007", SaleReceipt: "T01-000042", At: time.Date(2026, 12, 6, 14, 5, 0, 0, time.Local),
		Currency: money.CNY, Cashier: "Lin", Total: money.New(700, money.CNY), Tax: money.New(81, money.CNY),
		Lines:  []RefundLine{{LineNo: 1, Product: cola, Qty: Pieces(2), Total: money.New(700, money.CNY), Tax: money.New(81, money.CNY)}},
		Tender: Tender{Kind: TenderCash, Amount: money.New(700, money.CNY)}}
	got := (&Receipt{Refund: f, Shop: Shop{Name: "Lin's", City: "Shanghai"}, Lang: "en"}).Text(32)
	want := `           Lin's
            Shanghai
--------------------------------
Refund               T01-R000007
2026-12-06 14:05:00  Cashier Lin
For receipt           T01-000042
--------------------------------
Coca-Cola 330ml
  2                        -7.00
--------------------------------
REFUNDED                CNY 7.00
incl. tax                   0.81
--------------------------------
Cash                        7.00

       [QR: T01-R000007]
          T01-R000007
Thank you for shopping with us!
`
	if got != want {
		t.Errorf("refund receipt:\n%s\nwant:\n%s", got, want)
	}
}

// A signed refund's merchant copy says so and carries the shopper's signature as a 384-dot picture under
// the tenders; the shopper's own receipt has neither.
func TestSignedRefundMerchantCopy(t *testing.T) {
	cola := Product{ID: 1, Name: "Coca-Cola 330ml", Price: money.New(350, money.CNY), Unit: UnitPiece}
	f := &Refund{ReceiptNo: "T01-R000007", SaleReceipt: "T01-000042", At: time.Date(2026, 12, 6, 14, 5, 0, 0, time.Local),
		Currency: money.CNY, Total: money.New(350, money.CNY), Tax: money.Zero(money.CNY),
		Lines:     []RefundLine{{LineNo: 1, Product: cola, Qty: Pieces(1), Total: money.New(350, money.CNY), Tax: money.Zero(money.CNY)}},
		Tender:    Tender{Kind: TenderCash, Amount: money.New(350, money.CNY)},
		Signature: signature.Signature{{{0, 100}, {500, 0}, {1000, 200}}}}
	merchant := &Receipt{Refund: f, Lang: "en", Merchant: true}
	text := merchant.Text(32)
	for _, want := range []string{"MERCHANT COPY", "Shopper's signature\n", "[Shopper's signature]\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("merchant copy lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Cash") > strings.Index(text, "[Shopper's signature]") {
		t.Errorf("the signature is above the tender:\n%s", text)
	}
	var pictures []ReceiptRow
	for _, row := range merchant.Layout(32) {
		if row.Kind == RowImage {
			pictures = append(pictures, row)
		}
	}
	if len(pictures) != 1 || pictures[0].Image.Bounds().Dx() != SignatureDots ||
		!bytes.Equal(pictures[0].Image.Pix, signature.Render(f.Signature, SignatureDots).Pix) {
		t.Fatalf("pictures %+v", pictures)
	}
	zh := (&Receipt{Refund: f, Lang: "zh-Hans", Merchant: true}).Text(32)
	if !strings.Contains(zh, "商户联") || !strings.Contains(zh, "[顾客签名]") {
		t.Errorf("Chinese merchant copy:\n%s", zh)
	}
	shopper := (&Receipt{Refund: f, Lang: "en"}).Text(32)
	if strings.Contains(shopper, "signature") || strings.Contains(shopper, "MERCHANT") {
		t.Errorf("the shopper's receipt shows the merchant's parts:\n%s", shopper)
	}
}

// A top-up prints a receipt in the printer's language: the member masked, paid, bonus, balance after.
func TestTopUpReceipt(t *testing.T) {
	tu := &TopUp{Receipt: "T01-P000003", Member: Member{Number: "M000123"}, Amount: money.New(10000, money.CNY),
		Bonus: money.New(1000, money.CNY), PaidBy: Tender{Kind: TenderCash, Amount: money.New(10000, money.CNY)},
		At: time.Date(2026, 12, 6, 9, 30, 0, 0, time.Local), User: "Lin", Balance: money.New(25000, money.CNY)}
	got := (&Receipt{TopUp: tu, Lang: "zh-Hans"}).Text(32)
	for _, want := range []string{"充值单号", "T01-P000003", "会员", "现金", "100.00", "赠送", "+10.00", "充值合计", "￥110.00", "储值余额", "250.00", "[QR: T01-P000003]"} {
		if !strings.Contains(got, want) {
			t.Errorf("top-up receipt lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "M000123") {
		t.Errorf("the member's number is printed whole:\n%s", got)
	}
}
