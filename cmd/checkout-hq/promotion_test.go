package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"checkout/hq/hqtest"
)

// promotion-save takes the till's promotions file; a file with one bad rule stores none, and promotions
// lists what is stored with its coupon's limits.
func TestPromotionCommands(t *testing.T) {
	db := hqtest.PostgresURL(t)
	hq("-db", db, "shop-add", "north")
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := `{"Active": true, "CouponLimit": 100, "CouponTillLimit": 5, "Rule": {"Name": "Spring coupon", "NameZH": "春季券",
		"Kind": "basket_spend", "Target": {"All": true}, "Tiers": [{"Threshold": 5000, "Off": 500}], "Coupon": "SPRING"}}`
	bad := `{"Active": true, "Rule": {"Name": "Too much", "Kind": "percent_off", "PercentBP": 1000100, "Target": {"All": true}}}`
	for _, tt := range []struct{ name, body, want string }{
		{"bad.json", "[" + good + "," + bad + "]", "percent"},
		{"typo.json", `[{"Active": true, "Rul": {}}]`, "unknown field"},
		{"limit.json", `[{"Active": true, "CouponLimit": 3, "Rule": {"Name": "x", "Kind": "basket_spend", "Target": {"All": true},
			"Tiers": [{"Threshold": 1, "Off": 1}]}}]`, "without a coupon"},
	} {
		if c, out, errOut := hq("-db", db, "promotion-save", "north", write(tt.name, tt.body)); c != 1 || !strings.Contains(errOut, tt.want) {
			t.Fatalf("%s: %d %s %s", tt.name, c, out, errOut)
		}
	}
	if c, out, _ := hq("-db", db, "promotions", "north"); c != 0 || strings.Contains(out, "Spring") {
		t.Fatalf("a refused file stored something: %d %s", c, out)
	}
	if c, out, errOut := hq("-db", db, "promotion-save", "north", write("good.json", "["+good+"]")); c != 0 || !strings.Contains(out, "north promotion 1 saved: Spring coupon") {
		t.Fatalf("promotion-save: %d %s %s", c, out, errOut)
	}
	c, out, _ := hq("-db", db, "promotions", "north")
	if c != 0 || !strings.Contains(out, "SPRING") || !strings.Contains(out, "100") || !strings.Contains(out, "basket_spend") {
		t.Fatalf("promotions: %d %s", c, out)
	}
	if c, _, errOut := hq("-db", db, "promotion-save", "south", write("again.json", "["+good+"]")); c != 1 || !strings.Contains(errOut, "no shop") {
		t.Fatalf("unknown shop: %d %s", c, errOut)
	}
}
