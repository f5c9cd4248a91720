-- Cashier shifts (issue 8): a shift opens with a float, cash moves in and out of the drawer with a
-- reason, and it closes with the drawer counted by denomination. One shift is open per till at a time
-- (a partial unique index). Opening a shift's row cannot change; closing it sets its close columns once,
-- and a closed shift cannot change at all. Cash moves are append-only. Every row is journaled.
CREATE TABLE shifts (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT    NOT NULL UNIQUE,
    till          TEXT    NOT NULL,
    number        INTEGER NOT NULL CHECK (number > 0),
    user          TEXT    NOT NULL DEFAULT '',
    opened_at     TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    float         INTEGER NOT NULL CHECK (float >= 0),
    -- Set when the shift closes, all together.
    close_uuid    TEXT    UNIQUE,                   -- the close's outbox key
    closed_at     TEXT    CHECK (closed_at >= opened_at),
    closed_by     TEXT,
    cash_sales    INTEGER,
    cash_in       INTEGER,
    cash_out      INTEGER,
    expected      INTEGER,
    counted       TEXT,                             -- JSON: [{"minor": 10000, "count": 3}, …]
    counted_total INTEGER CHECK (counted_total >= 0),
    over_short    INTEGER,
    UNIQUE (till, number),
    CHECK ((closed_at IS NULL) = (close_uuid IS NULL) AND (closed_at IS NULL) = (counted_total IS NULL)
        AND (closed_at IS NULL) = (expected IS NULL) AND (closed_at IS NULL) = (over_short IS NULL)
        AND (closed_at IS NULL) = (counted IS NULL) AND (closed_at IS NULL) = (closed_by IS NULL)
        AND (closed_at IS NULL) = (cash_sales IS NULL) AND (closed_at IS NULL) = (cash_in IS NULL)
        AND (closed_at IS NULL) = (cash_out IS NULL))
) STRICT;
CREATE UNIQUE INDEX shifts_one_open ON shifts (till) WHERE closed_at IS NULL;
CREATE INDEX shifts_closed_at ON shifts (closed_at) WHERE closed_at IS NOT NULL;
CREATE TRIGGER shifts_closed_update BEFORE UPDATE ON shifts WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed shift cannot change');
END;
CREATE TRIGGER shifts_opening_update BEFORE UPDATE ON shifts
WHEN NEW.uuid IS NOT OLD.uuid OR NEW.till IS NOT OLD.till OR NEW.number IS NOT OLD.number OR NEW.user IS NOT OLD.user
    OR NEW.opened_at IS NOT OLD.opened_at OR NEW.currency IS NOT OLD.currency OR NEW.float IS NOT OLD.float
BEGIN
    SELECT RAISE(ABORT, 'a shift''s opening cannot change');
END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN
    SELECT RAISE(ABORT, 'shifts are kept');
END;

CREATE TABLE cash_moves (
    id       INTEGER PRIMARY KEY,
    uuid     TEXT    NOT NULL UNIQUE,
    shift_id INTEGER NOT NULL REFERENCES shifts (id),
    kind     TEXT    NOT NULL CHECK (kind IN ('in', 'out')),
    amount   INTEGER NOT NULL CHECK (amount > 0),
    reason   TEXT    NOT NULL CHECK (reason <> ''),
    user     TEXT    NOT NULL DEFAULT '',
    at       TEXT    NOT NULL
) STRICT;
CREATE INDEX cash_moves_shift ON cash_moves (shift_id);
CREATE TRIGGER cash_moves_closed_shift BEFORE INSERT ON cash_moves
WHEN (SELECT closed_at FROM shifts WHERE id = NEW.shift_id) IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'the shift is closed');
END;
CREATE TRIGGER cash_moves_append_only_update BEFORE UPDATE ON cash_moves
BEGIN
    SELECT RAISE(ABORT, 'cash_moves is append-only');
END;
CREATE TRIGGER cash_moves_append_only_delete BEFORE DELETE ON cash_moves
BEGIN
    SELECT RAISE(ABORT, 'cash_moves is append-only');
END;
