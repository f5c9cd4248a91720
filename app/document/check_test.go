package document

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// goodSale is a sale that adds up: two lines, 13% and 9% tax included, a member, cash rounding 抹零
// of 0.08 on the cash part after a card.
const goodSale = `{"id":"0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a01","till":"T01","number":42,"receipt_no":"T01-000042",
"opened_at":"2026-12-06T09:00:00Z","completed_at":"2026-12-06T09:01:00Z","currency":"CNY","tax_mode":"inclusive",
"subtotal":"6.18","discount":"0.00","tax":"0.61","total":"6.18","rounding":"-0.08","item_count":2,"paid":"6.10","change":"0.90",
"lines":[{"product_id":1,"sku":"DRK-001","name":"Cola","name_zh":"可乐","qty":"1","unit":"piece","unit_price":"3.00","gross":"3.00","discount":"0.00","total":"3.00","tax_class":"standard","tax_rate_bp":1300,"tax":"0.35"},
{"product_id":3,"sku":"PRO-001","name":"Banana","qty":"0.455","unit":"kg","unit_price":"6.98","gross":"3.18","discount":"0.00","total":"3.18","tax_class":"reduced","tax_rate_bp":900,"tax":"0.26"}],
"tenders":[{"kind":"card","amount":"2.00","tendered":"2.00","change":"0.00","approval":"884211","card_last4":"4242"},
{"kind":"cash","amount":"4.10","tendered":"5.00","change":"0.90"}],
"member":{"number":"M000001","points_earned":6,"points_redeemed":0},"cashier":"Olivia"}`

const goodTopUp = `{"id":"0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a02","till":"T01","receipt_no":"T01-P000003","member":"M000001",
"at":"2026-12-06T09:00:00Z","currency":"CNY","amount":"100.00","bonus":"10.00","tender":"cash","tendered":"100.00","change":"0.00"}`

const goodRefund = `{"id":"0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a03","till":"T01","number":7,"receipt_no":"T01-R000007",
"sale_receipt_no":"T01-000042","at":"2026-12-06T10:00:00Z","currency":"CNY","reason":"","total":"3.18","tax":"0.26",
"rounding":"-0.08","tender":{"kind":"cash","amount":"3.10","tendered":"3.10","change":"0.00"},
"lines":[{"line_no":2,"qty":455,"total":"3.18","tax":"0.26"}],"member":{"number":"M000001","points_earned":-3,"points_redeemed":0}}`

// edit returns doc with its JSON changed by f.
func edit(t *testing.T, doc string, f func(map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A refund the shopper signed for names the signature by its digest, and passes.
func TestSignedRefundPasses(t *testing.T) {
	body := edit(t, goodRefund, func(m map[string]any) { m["signature_sha256"] = strings.Repeat("0a", 32) })
	doc, err := Check(KindRefund, body)
	if err != nil || doc.(*Refund).SignatureSHA256 != strings.Repeat("0a", 32) {
		t.Errorf("%v, %v", doc, err)
	}
}

// A weighed line priced per 斤 or per 100 g passes, in a sale and in a parked cart.
func TestPriceUnitsPass(t *testing.T) {
	for _, per := range []string{"jin", "100g"} {
		body := edit(t, goodSale, func(m map[string]any) { m["lines"].([]any)[1].(map[string]any)["price_unit"] = per })
		if doc, err := Check(KindSale, body); err != nil || doc.(*Sale).Lines[1].PriceUnit != per {
			t.Errorf("sale per %s: %v", per, err)
		}
		cart := edit(t, goodCart, func(m map[string]any) { m["lines"].([]any)[1].(map[string]any)["price_unit"] = per })
		if c, err := CheckCart(cart); err != nil || c.Lines[1].PriceUnit != per {
			t.Errorf("cart per %s: %v", per, err)
		}
	}
}

func TestGoodDocumentsPass(t *testing.T) {
	for kind, body := range map[string]string{KindSale: goodSale, KindTopUp: goodTopUp, KindRefund: goodRefund} {
		doc, err := Check(kind, []byte(body))
		if err != nil || doc == nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}

// The forgeries the head office stored and applied before it checked anything, and their cousins: each
// is refused with a reason.
func TestForgedDocumentsAreRefused(t *testing.T) {
	sub := func(m map[string]any, key string) map[string]any { return m[key].(map[string]any) }
	item := func(m map[string]any, key string, i int) map[string]any { return m[key].([]any)[i].(map[string]any) }
	for _, tt := range []struct {
		name, kind, base string
		forge            func(map[string]any)
		why              string
	}{
		{"a top-up of 100,000 with a 900,000 bonus", KindTopUp, goodTopUp, func(m map[string]any) {
			m["amount"], m["bonus"], m["tendered"] = "100000.00", "900000.00", "100000.00"
		}, "bonus"},
		{"a top-up nobody paid", KindTopUp, goodTopUp, func(m map[string]any) { m["tender"] = "" }, "paid by"},
		{"a top-up paid with less than it adds", KindTopUp, goodTopUp, func(m map[string]any) { m["tendered"], m["change"] = "1.00", "-99.00" }, "below zero"},
		{"a negative top-up", KindTopUp, goodTopUp, func(m map[string]any) {
			m["amount"], m["bonus"], m["tendered"] = "-100.00", "0.00", "-100.00"
		}, "amount"},
		{"a prepaid tender of -5,000", KindSale, goodSale, func(m map[string]any) {
			item(m, "tenders", 0)["kind"], item(m, "tenders", 0)["amount"], item(m, "tenders", 0)["tendered"] = "prepaid", "-5000.00", "-5000.00"
		}, "below zero"},
		{"-99,999 points redeemed", KindSale, goodSale, func(m map[string]any) { sub(m, "member")["points_redeemed"] = -99999 }, "wrong sign"},
		{"points earned near the int64 maximum", KindSale, goodSale, func(m map[string]any) {
			sub(m, "member")["points_earned"] = 9223372036854775000
		}, "out of range"},
		{"a sale of 5 paid 99,999 cash with no lines", KindSale, `{"id":"0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a01","till":"T01","number":1,
			"receipt_no":"T01-000001","opened_at":"2026-12-06T09:00:00Z","completed_at":"2026-12-06T09:00:00Z","currency":"CNY",
			"tax_mode":"inclusive","subtotal":"5.00","discount":"0.00","tax":"0.00","total":"5.00","rounding":"0.00","item_count":0,
			"paid":"99999.00","change":"0.00","lines":[],"tenders":[{"kind":"cash","amount":"99999.00","tendered":"99999.00","change":"0.00"}]}`,
			func(map[string]any) {}, "0 lines"},
		{"tenders that do not cover the total", KindSale, goodSale, func(m map[string]any) {
			item(m, "tenders", 1)["amount"], item(m, "tenders", 1)["tendered"], item(m, "tenders", 1)["change"] = "1.00", "1.00", "0.00"
			m["paid"], m["change"] = "3.00", "0.00"
		}, "paid"},
		{"change from a card", KindSale, goodSale, func(m map[string]any) {
			item(m, "tenders", 0)["tendered"], item(m, "tenders", 0)["change"] = "3.00", "1.00"
		}, "only cash has change"},
		{"lines that do not sum to the subtotal", KindSale, goodSale, func(m map[string]any) { m["subtotal"] = "60.18" }, "subtotal"},
		{"a discount beyond the line", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["discount"] = "4.00" }, "discount"},
		{"a promotion saving more than the line's discount", KindSale, goodSale, func(m map[string]any) {
			item(m, "lines", 0)["promotions"] = []any{map[string]any{"rule": 1, "name": "满20减3", "amount": "0.50"}}
		}, "more than its discount"},
		{"a negative promotion", KindSale, goodSale, func(m map[string]any) {
			item(m, "lines", 0)["promotions"] = []any{map[string]any{"rule": 1, "name": "x", "amount": "-0.50"}}
		}, "below zero"},
		{"a promotion without a rule", KindSale, goodSale, func(m map[string]any) {
			item(m, "lines", 0)["promotions"] = []any{map[string]any{"rule": 0, "name": "x", "amount": "0.00"}}
		}, "rule 0"},
		{"a promotion named with a NUL", KindSale, goodSale, func(m map[string]any) {
			item(m, "lines", 0)["promotions"] = []any{map[string]any{"rule": 1, "name": "a\x00b", "amount": "0.00"}}
		}, "name"},
		{"tax off the rule", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["tax"] = "0.01"; m["tax"] = "0.27" }, "tax"},
		{"a whole card number", KindSale, goodSale, func(m map[string]any) { item(m, "tenders", 0)["card_last4"] = "4111111111111111" }, "card_last4"},
		{"a NUL in a name", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["name"] = "Co\x00la" }, "control character"},
		{"a name reversed by a bidi override", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["name"] = "Pen \u202egpj.exe" }, "control character"},
		{"a name with a line separator", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["name"] = "Cola\u2028Total 0.00" }, "control character"},
		{"a 1 MB name", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["name"] = strings.Repeat("可", 1<<20) }, "over 200"},
		{"a member number not normalised", KindSale, goodSale, func(m map[string]any) { sub(m, "member")["number"] = " m000001" }, "normalised"},
		{"a receipt number of another till", KindSale, goodSale, func(m map[string]any) { m["receipt_no"] = "T05-000042" }, "receipt_no"},
		{"an amount with more digits than the currency", KindSale, goodSale, func(m map[string]any) { m["rounding"] = "-0.080" }, "rounding"},
		{"a field the format does not have", KindSale, goodSale, func(m map[string]any) { m["bonus"] = "1000.00" }, "unknown field"},
		{"a price unit no till knows", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 1)["price_unit"] = "liang" }, `price_unit "liang"`},
		{"a piece priced per 斤", KindSale, goodSale, func(m map[string]any) { item(m, "lines", 0)["price_unit"] = "jin" }, "of a piece"},
		{"a refund that earns points", KindRefund, goodRefund, func(m map[string]any) { sub(m, "member")["points_earned"] = 50 }, "wrong sign"},
		{"a refund with a short signature digest", KindRefund, goodRefund, func(m map[string]any) { m["signature_sha256"] = "abc123" }, "signature_sha256"},
		{"a refund with an upper-case signature digest", KindRefund, goodRefund, func(m map[string]any) {
			m["signature_sha256"] = strings.Repeat("AB", 32)
		}, "signature_sha256"},
		{"a refund with a signature digest not hex", KindRefund, goodRefund, func(m map[string]any) {
			m["signature_sha256"] = strings.Repeat("zz", 32)
		}, "signature_sha256"},
		{"a refund to points", KindRefund, goodRefund, func(m map[string]any) { sub(m, "tender")["kind"] = "points" }, "refund to"},
		{"a refund whose rounding is not its tender less its lines", KindRefund, goodRefund, func(m map[string]any) {
			sub(m, "tender")["amount"], sub(m, "tender")["tendered"] = "31.00", "31.00"
		}, "rounding"},
	} {
		_, err := Check(tt.kind, edit(t, tt.base, tt.forge))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("%s: %v, want a refusal naming %q", tt.name, err, tt.why)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, body := range []string{goodSale, goodTopUp, goodRefund, `{}`, `[]`, `{"lines":null}`} {
		for _, kind := range Kinds() {
			f.Add(kind, []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, kind string, body []byte) {
		doc, err := Check(kind, body)
		if (err == nil) == (doc == nil) {
			t.Fatalf("Check(%q) = %v, %v", kind, doc, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
	})
}

// An alarm document names a known rule, a till, a time and whole figures; a line rule's prices are
// amounts in a currency; a shared account's, a member and a till other than the alarm's.
func TestCheckAlarm(t *testing.T) {
	good := `{"id":"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a19","till":"T01","rule":"below_cost","cashier":"王芳","at":"2026-12-06T07:30:00.000000Z",` +
		`"sku":"SNK-001","price":"3.25","other":"4.33","currency":"CNY","action":"below_cost SNK-001 3.25 (4.33)"}`
	if _, err := Check(KindAlarm, []byte(good)); err != nil {
		t.Fatalf("a good alarm: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(good, `"below_cost"`, `"free_money"`, 1),
		strings.Replace(good, `"3.25"`, `"3.2x"`, 1),
		strings.Replace(good, `"T01"`, `""`, 1),
		strings.Replace(good, `"王芳"`, `"王\u0000芳"`, 1),
		strings.Replace(good, `"at":"2026-12-06T07:30:00.000000Z",`, `"count":-3,"at":"2026-12-06T07:30:00.000000Z",`, 1),
		`{"id":"x"}`,
		strings.Replace(good, `"cashier":"王芳"`, `"cashier":""`, 1),
		// a rate rule carrying a price that is not one
		`{"id":"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a19","till":"T01","rule":"refunds","cashier":"王芳","at":"2026-12-06T07:30:00.000000Z",` +
			`"count":3,"sales":9,"price":"lots","action":"refunds 3 in 9 sales"}`,
	} {
		if _, err := Check(KindAlarm, []byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}

	shared := `{"id":"0b9a2c1e-6a0f-4c36-9a57-1f0c7e8d1a19","till":"T01","rule":"shared_account","cashier":"王芳","at":"2026-12-06T07:30:00.000000Z",` +
		`"member":"M000777","other_till":"T02","seconds_ago":200,"action":"shared_account M000777 (T02)"}`
	if _, err := Check(KindAlarm, []byte(shared)); err != nil {
		t.Fatalf("a good shared-account alarm: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(shared, `"member":"M000777",`, ``, 1),
		strings.Replace(shared, `"M000777"`, `"m 777"`, 1),
		strings.Replace(shared, `"other_till":"T02"`, `"other_till":"T01"`, 1), // itself
		strings.Replace(shared, `"other_till":"T02"`, `"other_till":"t2; drop"`, 1),
		strings.Replace(shared, `"seconds_ago":200`, `"seconds_ago":-1`, 1),
	} {
		if _, err := Check(KindAlarm, []byte(bad)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// A sale's coupons are held to a coupon's rules: at most MaxCoupons, none twice, each 1 to MaxCoupon
// printable ASCII characters without spaces; a sale with good ones passes.
func TestCheckSaleCoupons(t *testing.T) {
	many := make([]any, MaxCoupons+1)
	for i := range many {
		many[i] = "C" + strings.Repeat("1", i+1)
	}
	for _, tt := range []struct {
		name    string
		coupons []any
		why     string
	}{
		{"two good ones", []any{"SPRING-10", "QR:abc/123"}, ""},
		{"the most", many[:MaxCoupons], ""},
		{"one too many", many, "coupons, more than"},
		{"one twice", []any{"A1", "A1"}, "twice"},
		{"empty", []any{""}, "printable ASCII"},
		{"a space", []any{"A 1"}, "printable ASCII"},
		{"a NUL", []any{"A\x001"}, "printable ASCII"},
		{"Chinese", []any{"优惠"}, "printable ASCII"},
		{"a megabyte", []any{strings.Repeat("X", 1<<20)}, "printable ASCII"},
	} {
		body := edit(t, goodSale, func(m map[string]any) { m["coupons"] = tt.coupons })
		_, err := Check(KindSale, body)
		switch {
		case tt.why == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.why != "" && (err == nil || !strings.Contains(err.Error(), tt.why) || len(err.Error()) > 400):
			t.Errorf("%s: %.300v, want an error with %q", tt.name, err, tt.why)
		}
	}
}
