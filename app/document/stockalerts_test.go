package document

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestCheckStockAlerts(t *testing.T) {
	item := func(sku, name, unit, onHand, point string) string {
		return fmt.Sprintf(`{"sku":%q,"name":%q,"unit":%q,"on_hand":%q,"reorder_point":%q}`, sku, name, unit, onHand, point)
	}
	list := func(items ...string) string { return `{"products":[` + strings.Join(items, ",") + `]}` }
	many := make([]string, MaxStockAlerts+1)
	for i := range many {
		many[i] = item(fmt.Sprintf("SKU-%05d", i), "Cola", "piece", "0", "6")
	}
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"empty", `{"products":[]}`, true},
		{"low pieces and kilograms", list(item("DRK-001", "Cola", "piece", "2", "6"), `{"sku":"PRO-001","name":"Banana","name_zh":"香蕉","unit":"kg","on_hand":"0.455","reorder_point":"5.000"}`), true},
		{"at the reorder point", list(item("DRK-001", "Cola", "piece", "6", "6")), true},
		{"below zero with no reorder point", list(item("DRK-001", "Cola", "piece", "-3", "0")), true},
		{"the most", list(many[:MaxStockAlerts]...), true},
		{"no list", `{}`, false},
		{"one too many", list(many...), false},
		{"unknown field", `{"products":[],"till":"T01"}`, false},
		{"twice", list(item("DRK-001", "Cola", "piece", "2", "6"), item("DRK-001", "Cola", "piece", "2", "6")), false},
		{"not low", list(item("DRK-001", "Cola", "piece", "7", "6")), false},
		{"no reorder point, not below zero", list(item("DRK-001", "Cola", "piece", "0", "0")), false},
		{"negative reorder point", list(item("DRK-001", "Cola", "piece", "-5", "-1")), false},
		{"control character in a name", list(item("DRK-001", "Cola\u0007", "piece", "2", "6")), false},
		{"newline in an SKU", list(item("DRK\n001", "Cola", "piece", "2", "6")), false},
		{"blank SKU", list(item("", "Cola", "piece", "2", "6")), false},
		{"invalid UTF-8", `{"products":[{"sku":"DRK-001","name":"Co` + "\xff" + `la","unit":"piece","on_hand":"2","reorder_point":"6"}]}`, false},
		{"huge name", list(item("DRK-001", strings.Repeat("可", MaxText+1), "piece", "2", "6")), false},
		{"pieces with decimals", list(item("DRK-001", "Cola", "piece", "2.5", "6")), false},
		{"kilograms not to the gram", list(item("PRO-001", "Banana", "kg", "0.5", "5.000")), false},
		{"unknown unit", list(item("DRK-001", "Cola", "box", "2", "6")), false},
		{"beyond MaxQty", list(item("DRK-001", "Cola", "piece", "-100001", "6")), false},
		{"pieces that overflow thousandths", list(item("DRK-001", "Cola", "piece", "-9223372036854776", "6")), false},
		{"minus zero", list(item("DRK-001", "Cola", "piece", "-0", "6")), false},
	}
	for _, tt := range tests {
		a, err := CheckStockAlerts([]byte(tt.body))
		if tt.ok && (err != nil || a == nil) {
			t.Errorf("%s: %v", tt.name, err)
		}
		if !tt.ok && (err == nil || !errors.Is(err, ErrInvalid)) {
			t.Errorf("%s: accepted (%v)", tt.name, err)
		}
	}
}

// A line's quantity of pieces so large that its thousandths overflow is out of range, not negative.
func TestQtyPiecesDoNotOverflow(t *testing.T) {
	var c checker
	if n := c.qty("9223372036854776", "piece"); c.ok() {
		t.Errorf("qty = %d, accepted", n)
	}
}
