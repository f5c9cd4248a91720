package document

import (
	"errors"
	"strings"
	"testing"
)

const goodCart = `{"id":"0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a09","till":"T01","parked_at":"2026-12-06T09:00:00Z","currency":"CNY",
"total":"6.18","member":"M000001","lines":[{"sku":"DRK-001","name":"Cola","name_zh":"可乐","qty":"1","unit":"piece","price":"3.00"},
{"sku":"PRO-001","name":"Banana","qty":"0.455","unit":"kg","price":"6.98","discount":"0.10"},
{"sku":"MEAT-01","name":"Pork","qty":"1","unit":"piece","price":"0.00","label":"12.34","discount_bp":1000}]}`

func TestCheckCart(t *testing.T) {
	cart, err := CheckCart([]byte(goodCart))
	if err != nil || cart.ID != "0b7c0c53-4a0e-4d8e-9a43-1c9f0c7b9a09" || len(cart.Lines) != 3 || cart.Member != "M000001" {
		t.Fatalf("%+v, %v", cart, err)
	}
	line := func(f func(l map[string]any)) func(m map[string]any) {
		return func(m map[string]any) { f(m["lines"].([]any)[0].(map[string]any)) }
	}
	many := make([]any, MaxCartLines+1)
	for i := range many {
		many[i] = map[string]any{"sku": "DRK-001", "name": "Cola", "qty": "1", "unit": "piece", "price": "3.00"}
	}
	for name, f := range map[string]func(map[string]any){
		"id":             func(m map[string]any) { m["id"] = "42" },
		"till":           func(m map[string]any) { m["till"] = "t01; drop" },
		"time":           func(m map[string]any) { m["parked_at"] = "yesterday" },
		"currency":       func(m map[string]any) { m["currency"] = "XXX" },
		"total":          func(m map[string]any) { m["total"] = "1e9" },
		"negative total": func(m map[string]any) { m["total"] = "-1.00" },
		"member":         func(m map[string]any) { m["member"] = "m 1" },
		"no lines":       func(m map[string]any) { m["lines"] = []any{} },
		"too many lines": func(m map[string]any) { m["lines"] = many },
		"unknown field":  func(m map[string]any) { m["paid"] = "1.00" },
		"NUL in name":    line(func(l map[string]any) { l["name"] = "Co\x00la" }),
		"NUL in sku":     line(func(l map[string]any) { l["sku"] = "DRK\x00" }),
		"long name":      line(func(l map[string]any) { l["name"] = strings.Repeat("可", MaxText+1) }),
		"zero qty":       line(func(l map[string]any) { l["qty"] = "0" }),
		"huge qty":       line(func(l map[string]any) { l["qty"] = "1000000" }),
		"float qty":      line(func(l map[string]any) { l["qty"] = "1.5" }),
		"unit":           line(func(l map[string]any) { l["unit"] = "box" }),
		"price unit":     func(m map[string]any) { m["lines"].([]any)[1].(map[string]any)["price_unit"] = "两" },
		"piece per jin":  line(func(l map[string]any) { l["price_unit"] = "jin" }),
		"price":          line(func(l map[string]any) { l["price"] = "3" }),
		"huge price":     line(func(l map[string]any) { l["price"] = "99999999999.00" }),
		"negative price": line(func(l map[string]any) { l["price"] = "-3.00" }),
		"label":          line(func(l map[string]any) { l["label"] = "abc" }),
		"discount":       line(func(l map[string]any) { l["discount"] = "-0.01" }),
		"discount bp":    line(func(l map[string]any) { l["discount_bp"] = 10001 }),
	} {
		if _, err := CheckCart(edit(t, goodCart, f)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	for _, body := range []string{"", "null", "[]", goodCart + "{}", `{"id":1}`} {
		if _, err := CheckCart([]byte(body)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func FuzzCheckCart(f *testing.F) {
	f.Add([]byte(goodCart))
	f.Fuzz(func(t *testing.T, body []byte) {
		cart, err := CheckCart(body)
		if (err == nil) == (cart == nil) {
			t.Fatalf("cart %v with error %v", cart, err)
		}
	})
}
