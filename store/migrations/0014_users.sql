-- Staff who sign in with a PIN, and who did what: a sale names its cashier, a refund its cashier and
-- the supervisor who approved it. Users are never deleted (their sales name them); they are made inactive.
CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 160),
    role         TEXT    NOT NULL CHECK (role IN ('cashier', 'supervisor', 'owner')),
    pin_hash     TEXT    NOT NULL CHECK (pin_hash LIKE '$argon2id$%'),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_pins  INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0),
    locked_until TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL
) STRICT;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, 'users are made inactive, never deleted');
END;

-- '' for sales and refunds made before users existed. Adding a column with a constant default rewrites
-- no rows.
ALTER TABLE sales ADD COLUMN cashier TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN cashier TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN approved_by TEXT NOT NULL DEFAULT '';

-- The anomaly list counts a day's no-sale drawer openings and approvals per cashier.
CREATE INDEX journal_staff_at ON journal (at) WHERE kind IN ('no_sale', 'override');
