package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"checkout/app/money"
)

func TestCheckOfflineSpend(t *testing.T) {
	cny := func(minor int64) money.Amount { return money.New(minor, money.CNY) }
	tests := []struct {
		name         string
		spentSinceHQ int64
		spend, limit int64
		ok           bool
	}{
		{"no limit: the balance alone bounds it", 0, 1_000_000, 0, true},
		{"within the limit", 0, 6000, 6000, true},
		{"one cent over the limit", 0, 6001, 6000, false},
		{"earlier spends since the down-sync count", 4000, 2000, 6000, true},
		{"earlier spends leave less", 4000, 2001, 6000, false},
		{"already past the limit", 7000, 1, 6000, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckOfflineSpend(Member{SpentSinceHQ: cny(tc.spentSinceHQ)}, cny(tc.spend), tc.limit)
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, ErrOfflineLimit) {
				t.Fatalf("got %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestSyncStatusOffline(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		st   SyncStatus
		want bool
	}{
		{"not enrolled: never offline", SyncStatus{}, false},
		{"online, fresh down-sync", SyncStatus{Enrolled: true, Online: true, LastDown: now.Add(-time.Minute)}, false},
		{"last attempt failed", SyncStatus{Enrolled: true, Online: false, LastDown: now.Add(-time.Second)}, true},
		{"down-sync too old", SyncStatus{Enrolled: true, Online: true, LastDown: now.Add(-OfflineAfter - time.Second)}, true},
		{"never down-synced", SyncStatus{Enrolled: true, Online: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.st.Offline(now); got != tc.want {
				t.Fatalf("Offline = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPrepaidOfflineLimitSetting(t *testing.T) {
	s := DefaultSettings()
	if err := s.Set("prepaid_offline_limit", "60"); err != nil || s.Loyalty.OfflineLimit != 6000 {
		t.Fatalf("set: %v, %d", err, s.Loyalty.OfflineLimit)
	}
	if got := s.Value("prepaid_offline_limit"); got != "60.00" {
		t.Fatalf("value %q", got)
	}
	for _, bad := range []string{"-1", "abc", "0.001"} {
		if err := s.Set("prepaid_offline_limit", bad); !errors.Is(err, ErrInvalidSetting) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

// An offline checkout holds a prepaid payment to the offline limit, counting the sale's earlier prepaid
// tenders; online, the balance alone bounds it.
func TestPayPrepaidOffline(t *testing.T) {
	s := DefaultSettings()
	s.Till = "T01"
	if err := s.Set("prepaid_offline_limit", "10"); err != nil {
		t.Fatal(err)
	}
	c, _ := newTestCheckout(t, s)
	for range 5 {
		if _, err := c.Scan(context.Background(), "3*6900000000021"); err != nil {
			t.Fatal(err)
		}
	}
	m := Member{ID: 1, Number: "M000001", Balance: money.New(100_00, money.CNY), SpentSinceHQ: money.New(3_00, money.CNY)}
	if err := c.SetMember(m); err != nil {
		t.Fatal(err)
	}
	offline := true
	c.SetOffline(func() bool { return offline })
	if _, err := c.PayPrepaid(money.New(5_00, money.CNY)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayPrepaid(money.New(2_01, money.CNY)); !errors.Is(err, ErrOfflineLimit) {
		t.Fatalf("3.00 before, 5.00 on this sale, 2.01 more of a 10.00 limit: %v", err)
	}
	offline = false
	if _, err := c.PayPrepaid(money.New(2_01, money.CNY)); err != nil {
		t.Fatalf("online: %v", err)
	}
}
