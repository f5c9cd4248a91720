package app

import (
	"errors"
	"slices"
	"testing"
	"time"

	"checkout/app/document"
)

// The guard's settings: on by default with four hours, three times the usual rate and half the price;
// the shared-account rule ten minutes; each can change within its bounds (0 minutes: that rule off), and reads back as set.
func TestGuardSettings(t *testing.T) {
	s := DefaultSettings()
	if s.Guard != DefaultGuardRules() || s.Value("guard") != "on" || s.Value("guard.window_minutes") != "240" ||
		s.Value("guard.account_minutes") != "10" {
		t.Fatalf("default guard %+v", s.Guard)
	}
	for _, kv := range [][2]string{{"guard.window_minutes", "90"}, {"guard.factor", "4"}, {"guard.price_change_percent", "30"}, {"guard.account_minutes", "0"}, {"guard", "off"}} {
		if err := s.Set(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if s.Guard != (GuardRules{Off: true, Window: 90 * time.Minute, Factor: 4, PriceChangeBP: 3000, AccountWindow: 0}) {
		t.Errorf("set %+v", s.Guard)
	}
	for _, bad := range [][2]string{{"guard", "maybe"}, {"guard.window_minutes", "5"}, {"guard.factor", "1"}, {"guard.factor", "x"},
		{"guard.price_change_percent", "-1"}, {"guard.account_minutes", "-5"}, {"guard.account_minutes", "1441"}} {
		if err := s.Set(bad[0], bad[1]); !errors.Is(err, ErrInvalidSetting) {
			t.Errorf("%s=%s: %v", bad[0], bad[1], err)
		}
	}
	if again := readBack(t, s.guardValues()); again.Guard != s.Guard {
		t.Errorf("read back %+v, set %+v", again.Guard, s.Guard)
	}
}

// The rate rule at the moment: the action about to happen counts; fewer than three never stop; a usual
// rate of nothing makes three stop; factor times the usual rate, exactly, stops.
func TestExceeds(t *testing.T) {
	for _, tt := range []struct {
		n, sales, usualN, usualSales, factor int64
		want                                 bool
	}{
		{2, 10, 0, 100, 3, false},
		{3, 10, 0, 100, 3, true},
		{3, 100, 1, 100, 3, true},  // 3 per 100 against 1 per 100
		{3, 101, 1, 100, 3, false}, // just under three times
		{3, 0, 5, 100, 3, true},    // no sales to set them against
	} {
		if got := exceeds(tt.n, tt.sales, tt.usualN, tt.usualSales, tt.factor); got != tt.want {
			t.Errorf("%+v: %v", tt, got)
		}
	}
}

// Every rule the guard fires by is one the head office accepts in an alarm document: a rule added here
// and not there would have every such alarm refused.
func TestAlarmRulesAreTheDocumentsRules(t *testing.T) {
	rules := []AlarmKind{AlarmRefunds, AlarmVoidsPaid, AlarmNoSales, AlarmDiscounts, AlarmBelowCost, AlarmPriceChange, AlarmSharedAccount}
	if len(rules) != len(document.AlarmRules) {
		t.Fatalf("the guard has %d rules, the document %d", len(rules), len(document.AlarmRules))
	}
	for _, r := range rules {
		if !slices.Contains(document.AlarmRules, string(r)) {
			t.Errorf("rule %s is not in document.AlarmRules", r)
		}
	}
}
