package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/money"
)

// RecordAlarm journals an alarm and queues it for the head office in one transaction (app.GuardBook).
func (s *Store) RecordAlarm(ctx context.Context, a app.Alarm) error {
	d := document.Alarm{ID: app.NewID(), Till: a.Till, Rule: string(a.Kind), Cashier: a.Cashier, At: timestamp(a.At), Count: a.Count,
		Sales: a.Sales, UsualRateBP: a.UsualRate, SKU: a.SKU, Action: a.Action()}
	if a.SKU != "" {
		d.Price, d.Other, d.Currency = a.Price.Decimal(), a.Other.Decimal(), a.Price.Currency().Code
	}
	if a.Kind == app.AlarmSharedAccount {
		d.Member, d.OtherTill, d.SecondsAgo = a.Member, a.OtherTill, int64(a.Ago/time.Second)
	}
	return s.write(ctx, func(tx *sql.Tx) error { return s.journalAndSend(ctx, tx, a.At, document.KindAlarm, d.ID, d) })
}

// Alarms returns the alarms of [from, to), oldest first: the guard's, each with who approved the action it
// stopped (the first approval of the guard for that person and that action after it; "" for none), and
// the locks wrong PINs put on a user (Cashier) or a member's account (Member).
func (s *Store) Alarms(ctx context.Context, from, to time.Time) ([]app.Alarm, error) {
	c := s.currency()
	var alarms []app.Alarm
	var actions []string
	if err := each(ctx, s.r, func(rows *sql.Rows) error {
		var at, kind, payload string
		if err := rows.Scan(&at, &kind, &payload); err != nil {
			return err
		}
		when, err := parseTimestamp(at)
		if err != nil {
			return err
		}
		if kind != "alarm" { // wrong PINs locked a user out, or a member's account
			var d lockDoc
			if err := json.Unmarshal([]byte(payload), &d); err != nil {
				return fmt.Errorf("%s at %s: %w", kind, at, err)
			}
			alarms, actions = append(alarms, app.Alarm{Kind: app.AlarmWrongPINs, Cashier: d.Name, Member: d.Member, At: when}), append(actions, "")
			return nil
		}
		var d document.Alarm
		if err := json.Unmarshal([]byte(payload), &d); err != nil {
			return fmt.Errorf("alarm at %s: %w", at, err)
		}
		a := app.Alarm{Kind: app.AlarmKind(d.Rule), Till: d.Till, Cashier: d.Cashier, At: when, Count: d.Count, Sales: d.Sales,
			UsualRate: d.UsualRateBP, SKU: d.SKU, Member: d.Member, OtherTill: d.OtherTill, Ago: time.Duration(d.SecondsAgo) * time.Second}
		if d.SKU != "" {
			if a.Price, err = money.Parse(d.Price, c); err == nil {
				a.Other, err = money.Parse(d.Other, c)
			}
			if err != nil {
				return fmt.Errorf("alarm at %s: %w", at, err)
			}
		}
		alarms, actions = append(alarms, a), append(actions, d.Action)
		return nil
	}, `SELECT at, kind, payload FROM journal WHERE kind IN ('alarm', 'user_locked', 'member_locked') AND at >= ? AND at < ? ORDER BY seq`,
		timestamp(from), timestamp(to)); err != nil {
		return nil, fmt.Errorf("alarms: %w", err)
	}
	if len(alarms) == 0 {
		return nil, nil
	}
	// An approval is given after its alarm, within the day: look from the first alarm to a day after the last.
	err := each(ctx, s.r, func(rows *sql.Rows) error {
		var at, user, action, approver string
		if err := rows.Scan(&at, &user, &action, &approver); err != nil {
			return err
		}
		when, err := parseTimestamp(at)
		if err != nil {
			return err
		}
		for i := range alarms {
			if alarms[i].ApprovedBy == "" && actions[i] != "" && alarms[i].Cashier == user && actions[i] == action && !when.Before(alarms[i].At) {
				alarms[i].ApprovedBy = approver
				break
			}
		}
		return nil
	}, `SELECT at, coalesce(payload ->> 'user', ''), coalesce(payload ->> 'action', ''), coalesce(payload ->> 'approved_by', '')
		FROM journal WHERE kind = 'override' AND payload ->> 'permission' = 'alarm' AND at >= ? AND at < ? ORDER BY seq`,
		timestamp(alarms[0].At), timestamp(alarms[len(alarms)-1].At.Add(24*time.Hour)))
	if err != nil {
		return nil, fmt.Errorf("alarm approvals: %w", err)
	}
	return alarms, nil
}
