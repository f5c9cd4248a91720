-- Down-sync from the head office: its catalog and members, pulled by change sequence and applied a page
-- in one transaction.

-- The highest head-office change sequence applied, and when the last down-sync succeeded.
ALTER TABLE sync_state ADD COLUMN down_seq     INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN last_down_at TEXT;

-- A member as the head office last told: its authoritative prepaid balance (minor units, negative after
-- tills overdrew the card offline) and points, the change sequence they are valid at, and the last
-- member_ledger row the till had then: prepaid spent here since is what the offline limit counts.
-- hq_balance is NULL for a member the head office has not told of.
ALTER TABLE members ADD COLUMN hq_balance   INTEGER;
ALTER TABLE members ADD COLUMN hq_points    INTEGER;
ALTER TABLE members ADD COLUMN hq_seq       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN hq_ledger_id INTEGER NOT NULL DEFAULT 0;

-- The ledger gains the kind 'hq': a down-sync's correction, so that the member's balance and points are
-- the head office's plus what this till has not uploaded yet (other tills' top-ups and spends). SQLite
-- cannot change a CHECK, so the table is rebuilt with its rows, index and triggers. No table references it.
CREATE TABLE member_ledger_new (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    at        TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('earn', 'redeem', 'topup', 'bonus', 'pay', 'refund', 'reverse', 'hq')),
    points    INTEGER NOT NULL DEFAULT 0,
    amount    INTEGER NOT NULL DEFAULT 0,       -- prepaid value, minor units
    ref       TEXT    NOT NULL,                 -- the sale, refund or top-up receipt; "hq:SEQ" for a down-sync
    user      TEXT    NOT NULL DEFAULT '',
    CHECK (points <> 0 OR amount <> 0)
) STRICT;
INSERT INTO member_ledger_new (id, member_id, at, kind, points, amount, ref, user)
    SELECT id, member_id, at, kind, points, amount, ref, user FROM member_ledger;
DROP TABLE member_ledger;
ALTER TABLE member_ledger_new RENAME TO member_ledger;
CREATE INDEX member_ledger_by_member ON member_ledger (member_id, id);

CREATE TRIGGER member_ledger_keeps_account AFTER INSERT ON member_ledger
BEGIN
    UPDATE members SET points = points + NEW.points, balance = balance + NEW.amount WHERE id = NEW.member_id;
END;
CREATE TRIGGER member_ledger_append_only_update BEFORE UPDATE ON member_ledger
BEGIN
    SELECT RAISE(ABORT, 'member_ledger is append-only: record a correcting row');
END;
CREATE TRIGGER member_ledger_append_only_delete BEFORE DELETE ON member_ledger
BEGIN
    SELECT RAISE(ABORT, 'member_ledger is append-only: record a correcting row');
END;
