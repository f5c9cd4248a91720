package app

import (
	"fmt"
	"time"

	"checkout/app/money"
)

// OfflineAfter is how long after its last successful down-sync an enrolled till counts as offline, even
// if its last attempt did not fail.
const OfflineAfter = 2 * time.Minute

// Offline reports whether an enrolled till is offline from its head office at now: its last attempt
// failed, or its last down-sync is older than OfflineAfter. A till not enrolled is never offline: its own
// balances are the only ones.
func (s SyncStatus) Offline(now time.Time) bool {
	return s.Enrolled && (!s.Online || now.Sub(s.LastDown) > OfflineAfter)
}

// CheckOfflineSpend checks a prepaid payment taking spend from member m (the sale's prepaid tenders so
// far included) at a till that is offline. The balance, the head office's last word plus this till's own
// movements since, is checked as always; while offline, limit (minor units; 0 for none) also caps what
// the card may spend here since the last down-sync, so two offline tills can overdraw a card by at most
// the limit each. Beyond it: ErrOfflineLimit.
func CheckOfflineSpend(m Member, spend money.Amount, limit int64) error {
	if limit <= 0 {
		return nil
	}
	spent := m.SpentSinceHQ.Minor()
	if spent+spend.Minor() > limit {
		left := money.New(max(0, limit-spent), spend.Currency())
		return fmt.Errorf("%w: %s left offline, %s asked", ErrOfflineLimit, left, spend)
	}
	return nil
}
