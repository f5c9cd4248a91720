package app

import (
	"strings"
	"testing"
	"time"
)

func TestRetentionKeepsNewestOfEachDayWeekAndMonth(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC() // stored in UTC; the calendar is the shop's
	}
	// Every 4 hours for 100 days, plus a Z snapshot at 22:00, shuffled by taking them out of order.
	var taken []time.Time
	start := at("2026-08-28 00:00")
	for h := 0; h < 100*24; h += 4 {
		taken = append(taken, start.Add(time.Duration(h)*time.Hour))
	}
	for d := range 100 {
		taken = append(taken, start.Add(time.Duration(d*24+22)*time.Hour))
	}
	for i, j := 0, len(taken)-1; i < j; i, j = i+2, j-2 {
		taken[i], taken[j] = taken[j], taken[i]
	}
	keep := Retention{Daily: 7, Weekly: 4, Monthly: 12}.Keep(taken, shanghai)
	var kept []string
	for i, k := range keep {
		if k {
			kept = append(kept, taken[i].In(shanghai).Format("2006-01-02 15:04"))
		}
	}
	// The last day is 2026-12-05: its last snapshot is 22:00 (local), 23:59's would be newer if any.
	want := map[string]bool{
		// 7 days
		"2026-12-05 22:00": true, "2026-12-04 22:00": true, "2026-12-03 22:00": true, "2026-12-02 22:00": true,
		"2026-12-01 22:00": true, "2026-11-30 22:00": true, "2026-11-29 22:00": true,
		// 4 ISO weeks: 2026-W49 (Nov 30 - Dec 6) is the 5th's; W48 ends Sun Nov 29; W47 Nov 22; W46 Nov 15
		"2026-11-22 22:00": true, "2026-11-15 22:00": true,
		// months: Dec → 12-05, Nov → 11-30, Oct, Sep, Aug (its last: the 31st)
		"2026-10-31 22:00": true, "2026-09-30 22:00": true, "2026-08-31 22:00": true,
	}
	if len(kept) != len(want) {
		t.Fatalf("kept %d: %v", len(kept), kept)
	}
	for _, k := range kept {
		if !want[k] {
			t.Errorf("kept %s, not in the rule", k)
		}
	}
}

func TestRetentionAlwaysKeepsTheNewest(t *testing.T) {
	now := time.Now()
	keep := Retention{}.Keep([]time.Time{now.Add(-time.Hour), now, now.Add(-2 * time.Hour)}, time.UTC)
	if keep[0] || !keep[1] || keep[2] {
		t.Fatalf("keep = %v", keep)
	}
	if got := (Retention{}).Keep(nil, time.UTC); len(got) != 0 {
		t.Fatalf("nothing to keep: %v", got)
	}
}

func TestBackupSettings(t *testing.T) {
	s := DefaultSettings()
	if s.Value("backup.keep") != "7d,4w,12m" || s.Value("backup.snapshot_hours") != "4" || s.Value("backup.target") != "" {
		t.Fatalf("defaults: %v %v", s.Value("backup.keep"), s.Value("backup.snapshot_hours"))
	}
	for key, value := range map[string]string{"backup.target": "/media/usb", "backup.snapshot_hours": "0", "backup.keep": "30d, 12m"} {
		if err := s.Set(key, value); err != nil {
			t.Fatal(err)
		}
	}
	if s.Backup.Target != "/media/usb" || s.Backup.SnapshotEvery != 0 || s.Backup.Keep != (Retention{Daily: 30, Monthly: 12}) {
		t.Fatalf("after set: %+v", s.Backup)
	}
	for key, value := range map[string]string{"backup.snapshot_hours": "-1", "backup.keep": "7x", "backup.snapshot_hours ": "2"} {
		before := s.Backup
		if err := s.Set(key, value); err == nil {
			t.Errorf("Set(%q, %q) took it", key, value)
		}
		if s.Backup != before {
			t.Errorf("a refused %s changed the settings", key)
		}
	}
	for _, bad := range []string{"7d,7d", "d", "-1d", "1001m", "7d;4w", "７d"} {
		if _, err := ParseRetention(bad); err == nil || !strings.Contains(err.Error(), "such as 7d,4w,12m") {
			t.Errorf("ParseRetention(%q) = %v", bad, err)
		}
	}
}

func TestBackupWarnsAfterTenMinutesWithoutATarget(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		st   BackupStatus
		warn bool
	}{
		{BackupStatus{}, false},
		{BackupStatus{Target: "/media/usb", Since: now.Add(-time.Minute)}, false},
		{BackupStatus{Target: "/media/usb", Since: now.Add(-11 * time.Minute)}, true},
		{BackupStatus{Target: "/media/usb", Since: now.Add(-time.Hour), Replicated: now.Add(-9 * time.Minute)}, false},
		{BackupStatus{Target: "/media/usb", Since: now.Add(-time.Hour), Replicated: now.Add(-11 * time.Minute), ReplicaError: "gone"}, true},
	} {
		if got := c.st.Warn(now); got != c.warn {
			t.Errorf("%+v: warn %v", c.st, got)
		}
	}
}
