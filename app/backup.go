package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Backup is where and how often the till copies its books off its own disk: a continuous replica of the
// database and encrypted snapshots, both in a folder on another drive.
type Backup struct {
	// Target is the owner's folder on another drive (a USB drive, a NAS share); "" for none.
	Target string
	// SnapshotEvery is how often an encrypted snapshot is taken besides the one at each Z report; 0 for
	// at Z reports only.
	SnapshotEvery time.Duration
	// Keep is which snapshots are kept.
	Keep Retention
}

// DefaultBackup takes a snapshot every 4 hours and keeps 7 daily, 4 weekly and 12 monthly ones.
func DefaultBackup() Backup {
	return Backup{SnapshotEvery: 4 * time.Hour, Keep: Retention{Daily: 7, Weekly: 4, Monthly: 12}}
}

// BackupWarnAfter is how long the till goes without a reachable backup target before it warns: it keeps
// selling, but the owner should know the books have one copy.
const BackupWarnAfter = 10 * time.Minute

// Retention keeps the newest snapshot of each of the Daily most recent days that have one, of each of the
// Weekly most recent ISO weeks, and of each of the Monthly most recent months; the newest of all always.
type Retention struct{ Daily, Weekly, Monthly int }

// ParseRetention reads "7d,4w,12m" (any order; a part left out keeps none of that kind).
func ParseRetention(s string) (Retention, error) {
	var r Retention
	seen := map[byte]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		unit := part[len(part)-1]
		n, err := strconv.Atoi(part[:len(part)-1])
		if err != nil || n < 0 || n > 1000 || seen[unit] {
			return Retention{}, fmt.Errorf("%w: backup.keep %q: such as 7d,4w,12m (days, weeks, months)", ErrInvalidSetting, s)
		}
		seen[unit] = true
		switch unit {
		case 'd':
			r.Daily = n
		case 'w':
			r.Weekly = n
		case 'm':
			r.Monthly = n
		default:
			return Retention{}, fmt.Errorf("%w: backup.keep %q: such as 7d,4w,12m (days, weeks, months)", ErrInvalidSetting, s)
		}
	}
	return r, nil
}

func (r Retention) String() string { return fmt.Sprintf("%dd,%dw,%dm", r.Daily, r.Weekly, r.Monthly) }

// Keep says which of the snapshots taken at the given times to keep (in the order given), by the shop's
// calendar in loc.
func (r Retention) Keep(taken []time.Time, loc *time.Location) []bool {
	order := make([]int, len(taken))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return taken[b].Compare(taken[a]) }) // newest first
	keep := make([]bool, len(taken))
	type bucket struct {
		limit int
		key   func(time.Time) string
		seen  map[string]bool
	}
	buckets := []bucket{
		{r.Daily, func(t time.Time) string { return t.Format("2006-01-02") }, map[string]bool{}},
		{r.Weekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) }, map[string]bool{}},
		{r.Monthly, func(t time.Time) string { return t.Format("2006-01") }, map[string]bool{}},
	}
	for n, i := range order {
		at := taken[i].In(loc)
		if n == 0 {
			keep[i] = true
		}
		for _, b := range buckets {
			k := b.key(at)
			if !b.seen[k] && len(b.seen) < b.limit {
				b.seen[k] = true
				keep[i] = true
			}
		}
	}
	return keep
}

// setBackup applies a backup.* setting to s; ok is false for a key that is not one.
func (s *Settings) setBackup(key, value string) (ok bool, err error) {
	switch key {
	case "backup.target":
		s.Backup.Target = value
	case "backup.snapshot_hours":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 24*7 {
			return true, fmt.Errorf("%w: backup.snapshot_hours %q: hours between snapshots, such as 4 (0: at Z reports only)", ErrInvalidSetting, value)
		}
		s.Backup.SnapshotEvery = time.Duration(n) * time.Hour
	case "backup.keep":
		r, err := ParseRetention(value)
		if err != nil {
			return true, err
		}
		s.Backup.Keep = r
	default:
		return false, nil
	}
	return true, nil
}

func (s Settings) backupValues() [][2]string {
	return [][2]string{{"backup.keep", s.Backup.Keep.String()},
		{"backup.snapshot_hours", strconv.Itoa(int(s.Backup.SnapshotEvery / time.Hour))},
		{"backup.target", s.Backup.Target}}
}

// BackupStatus is what the till shows of its off-disk copies.
type BackupStatus struct {
	Target string // the owner's folder; "" when none is set
	// Since is when the till began replicating: the clock for the warning before a first write.
	Since time.Time
	// Replicated is when the last successful replica write began: every sale committed before it is off
	// the till's disk. Zero until one succeeds.
	Replicated time.Time
	// ReplicatedReceipt is the last receipt committed before that write: the replica holds it and all
	// before it.
	ReplicatedReceipt string
	ReplicaError      string // why the last write failed; "" once one succeeds
	Snapshot          time.Time
	SnapshotFile      string
	// SnapshotError is why the last snapshot failed, or why none are taken (no passphrase set).
	SnapshotError string
}

// Warn reports a target set but not written to for BackupWarnAfter: the drive is gone or full.
func (s BackupStatus) Warn(now time.Time) bool {
	if s.Target == "" {
		return false
	}
	last := s.Replicated
	if last.IsZero() {
		last = s.Since
	}
	return now.Sub(last) > BackupWarnAfter
}
