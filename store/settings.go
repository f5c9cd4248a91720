package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"checkout/app"
)

// Settings returns the shop's settings: the defaults, overridden by what the owner has set.
func (s *Store) Settings(ctx context.Context) (app.Settings, error) {
	set := app.DefaultSettings()
	rows, err := s.r.QueryContext(ctx, `SELECT key, value FROM settings ORDER BY key = 'currency' DESC, key`)
	if err != nil {
		return set, err
	}
	defer rows.Close()
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return set, err
		}
		if err := set.Set(key, value); err != nil {
			return set, fmt.Errorf("stored setting %s=%q: %w", key, value, err)
		}
	}
	return set, rows.Err()
}

// settingDoc is a settings change as the journal records it.
type settingDoc struct {
	Key string `json:"key"`
	Old string `json:"old"`
	New string `json:"new"`
}

// SetSetting changes one setting (see app.Settings.Set) and journals the change: tax and rounding
// change what shoppers pay. The currency can change only before the first sale, and prices are not
// converted.
func (s *Store) SetSetting(ctx context.Context, key, value string, at time.Time) (app.Settings, error) {
	var next app.Settings
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if next, err = s.Settings(ctx); err != nil {
			return err
		}
		old := next.Value(key)
		if err := next.Set(key, value); err != nil {
			return err
		}
		if key == "currency" && next.Currency != s.currency() {
			var sales int64
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sales`).Scan(&sales); err != nil {
				return err
			}
			if sales > 0 {
				return fmt.Errorf("%w: the currency cannot change after the first sale", app.ErrInvalidSetting)
			}
		}
		stored := next.Value(key)
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, stored); err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, at, "setting", settingDoc{Key: key, Old: old, New: stored})
	})
	if err != nil {
		return app.Settings{}, fmt.Errorf("set %s: %w", key, err)
	}
	s.cur.Store(&next.Currency)
	return next, nil
}
