-- Reports. A day's refunds, voids and top-ups are found by time, like sales by sales_completed_at. The
-- journal's index holds its voids only: a partial index is not written when a sale is journaled, so the
-- sale's commit stays as cheap as it was.
CREATE INDEX refunds_at ON refunds (at);
CREATE INDEX topups_at ON topups (at);
CREATE INDEX journal_voids_at ON journal (at) WHERE kind = 'void';

-- Z reports: a till's day closed, numbered per till. A row is the report as printed; its document's
-- SHA-256 is journaled with it, and rows can be neither changed nor removed.
CREATE TABLE zreports (
    id            INTEGER PRIMARY KEY,             -- the till's Z number
    uuid          TEXT    NOT NULL UNIQUE,
    till          TEXT    NOT NULL,
    z_no          TEXT    NOT NULL UNIQUE,
    from_at       TEXT    NOT NULL,
    to_at         TEXT    NOT NULL CHECK (to_at >= from_at),
    user          TEXT    NOT NULL DEFAULT '',
    currency      TEXT    NOT NULL,
    sales         INTEGER NOT NULL,
    revenue       INTEGER NOT NULL,
    tax           INTEGER NOT NULL,
    refunds       INTEGER NOT NULL,
    refund_total  INTEGER NOT NULL,
    voids         INTEGER NOT NULL,
    cash_expected INTEGER NOT NULL,
    summary       TEXT    NOT NULL                 -- JSON: every figure of the report
) STRICT;
CREATE TRIGGER zreports_append_only_update BEFORE UPDATE ON zreports
BEGIN
    SELECT RAISE(ABORT, 'zreports is append-only');
END;
CREATE TRIGGER zreports_append_only_delete BEFORE DELETE ON zreports
BEGIN
    SELECT RAISE(ABORT, 'zreports is append-only');
END;
