package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"checkout/app"
)

// userDoc is what the journal records of a user added or changed: never the PIN hash, only that it changed.
type userDoc struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	Active     bool   `json:"active"`
	PINChanged bool   `json:"pin_changed,omitempty"`
	TwoFactor  bool   `json:"two_factor,omitempty"`
	By         string `json:"by"`
}

const userColumns = `id, name, role, pin_hash, active, failed_pins, locked_until, totp_secret, totp_step`

func scanUser(row interface{ Scan(...any) error }) (app.User, error) {
	var u app.User
	var role, locked string
	if err := row.Scan(&u.ID, &u.Name, &role, &u.PINHash, &u.Active, &u.FailedPINs, &locked, &u.TOTPSecret, &u.TOTPStep); err != nil {
		return app.User{}, err
	}
	u.Role = app.Role(role)
	u.LockedUntil = parseLock(locked)
	return u, nil
}

// Users returns every user, by name.
func (s *Store) Users(ctx context.Context) ([]app.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UserByName finds a user by name, ignoring case.
func (s *Store) UserByName(ctx context.Context, name string) (app.User, error) {
	u, err := scanUser(s.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return app.User{}, fmt.Errorf("%w: %s", app.ErrUnknownUser, name)
	}
	return u, err
}

// AddUser stores a new user and journals it.
func (s *Store) AddUser(ctx context.Context, u app.User, by string, at time.Time) (app.User, error) {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)`, u.Name).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%w: %s", app.ErrUserExists, u.Name)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, pin_hash, active, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Name, string(u.Role), u.PINHash, u.Active, timestamp(at))
		if err != nil {
			return fmt.Errorf("add user %s: %w", u.Name, err)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.appendJournal(ctx, tx, at, "user_add", userDoc{Name: u.Name, Role: string(u.Role), Active: u.Active, By: by})
	})
	return u, err
}

// UpdateUser stores a user's role, PIN hash, active flag and lock, and journals the change.
func (s *Store) UpdateUser(ctx context.Context, u app.User, by string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var oldHash string
		err := tx.QueryRowContext(ctx, `SELECT pin_hash FROM users WHERE id = ?`, u.ID).Scan(&oldHash)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %s", app.ErrUnknownUser, u.Name)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, pin_hash = ?, active = ?, failed_pins = ?, locked_until = ?,
			totp_secret = ?, totp_step = ? WHERE id = ?`, string(u.Role), u.PINHash, u.Active, u.FailedPINs, lockText(u.PINLock),
			u.TOTPSecret, u.TOTPStep, u.ID); err != nil {
			return fmt.Errorf("change user %s: %w", u.Name, err)
		}
		return s.appendJournal(ctx, tx, at, "user_change", userDoc{Name: u.Name, Role: string(u.Role), Active: u.Active,
			PINChanged: oldHash != u.PINHash, TwoFactor: u.TwoFactor(), By: by})
	})
}

// lockText is how locked_until keeps a lock: "" for none.
func lockText(l app.PINLock) string {
	if l.LockedUntil.IsZero() {
		return ""
	}
	return timestamp(l.LockedUntil)
}

// parseLock reads locked_until.
func parseLock(text string) time.Time {
	t, _ := parseTimestamp(text) // "" (no lock) reads as the zero time
	return t
}

// lockDoc journals a user (by name) or a member's account (by number) locked by wrong PINs.
type lockDoc struct {
	Name   string `json:"name,omitempty"`
	Member string `json:"member,omitempty"`
	Until  string `json:"until"`
}

// RecordPINs stores a user's wrong-PIN count, lock and two-factor step, and their PIN hash if the stored
// one is still checked (see recordPINs); a new lock is journaled.
func (s *Store) RecordPINs(ctx context.Context, u app.User, checked string, at time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_step = ? WHERE id = ?`, u.TOTPStep, u.ID); err != nil {
			return err
		}
		return s.recordPINs(ctx, tx, "users", u.ID, u.PINLock, checked, u.PINHash, at, "user_locked", lockDoc{Name: u.Name})
	})
}

// recordPINs stores what a PIN check changed of the row id of table (users or members), inside tx: its
// wrong PINs and lock, and its PIN hash if the stored one is still checked, so that the upgrade of a PIN
// just checked never overwrites a PIN changed meanwhile. A lock is journaled as kind with doc.
func (s *Store) recordPINs(ctx context.Context, tx *sql.Tx, table string, id int64, l app.PINLock, checked, hash string,
	at time.Time, kind string, doc lockDoc) error {
	if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET failed_pins = ?, locked_until = ?,
		pin_hash = CASE pin_hash WHEN ? THEN ? ELSE pin_hash END WHERE id = ?`, l.FailedPINs, lockText(l), checked, hash, id); err != nil {
		return err
	}
	if !l.Locked(at) {
		return nil
	}
	doc.Until = timestamp(l.LockedUntil)
	return s.appendJournal(ctx, tx, at, kind, doc)
}

// overrideDoc is a supervisor's approval as the journal records it, with both names.
type overrideDoc struct {
	Till       string `json:"till"`
	Permission string `json:"permission"`
	Action     string `json:"action"`
	User       string `json:"user"`
	Approver   string `json:"approved_by"`
}

// RecordOverride journals a supervisor's approval of one action.
func (s *Store) RecordOverride(ctx context.Context, o app.Override) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return s.appendJournal(ctx, tx, o.At, "override", overrideDoc{Till: o.Till, Permission: string(o.Permission),
			Action: o.Action, User: o.User, Approver: o.Approver})
	})
}
