-- Members, their cards and their ledger. member_ledger is append-only: every change to a member's points
-- or prepaid balance is a row, written in the same transaction as the sale, refund or top-up it belongs
-- to. members.points and members.balance cache the ledger's sums, kept by a trigger in that transaction;
-- their CHECKs make a row that would take either below zero fail, and the whole transaction with it, so
-- no two payments can spend the same money.
CREATE TABLE members (
    id         INTEGER PRIMARY KEY,
    number     TEXT    NOT NULL UNIQUE,          -- on the member's barcode card: member prefix + digits
    name       TEXT    NOT NULL,
    phone      TEXT    NOT NULL DEFAULT '',
    tier       TEXT    NOT NULL DEFAULT '',
    birthday   TEXT    NOT NULL DEFAULT '',
    notes      TEXT    NOT NULL DEFAULT '',
    points     INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    balance    INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    pin_hash   TEXT    NOT NULL DEFAULT '',     -- argon2id of the PIN guarding account payments; '' for none
    created_at TEXT    NOT NULL
) STRICT;
CREATE INDEX members_by_phone ON members (phone);

-- A card's token is a contactless UID or the keyed hash of a magnetic-stripe number, never the number.
CREATE TABLE member_cards (
    token      TEXT    PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    label      TEXT    NOT NULL,
    added_at   TEXT    NOT NULL,
    blocked_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX member_cards_by_member ON member_cards (member_id);

CREATE TABLE member_ledger (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    at        TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('earn', 'redeem', 'topup', 'bonus', 'pay', 'refund', 'reverse')),
    points    INTEGER NOT NULL DEFAULT 0,
    amount    INTEGER NOT NULL DEFAULT 0,       -- prepaid value, minor units
    ref       TEXT    NOT NULL,                 -- the sale, refund or top-up receipt
    user      TEXT    NOT NULL DEFAULT '',
    CHECK (points <> 0 OR amount <> 0)
) STRICT;
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

-- A sale's member, and the points it earned and spent (its prepaid payments are its tenders).
ALTER TABLE sales ADD COLUMN member_id       INTEGER REFERENCES members (id);
ALTER TABLE sales ADD COLUMN member_number   TEXT    NOT NULL DEFAULT '';
ALTER TABLE sales ADD COLUMN points_earned   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sales ADD COLUMN points_redeemed INTEGER NOT NULL DEFAULT 0;

-- Prepaid top-ups: a till's receipt sequence of their own, like refunds.
CREATE TABLE topups (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    till        TEXT    NOT NULL,
    receipt_no  TEXT    NOT NULL UNIQUE,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    at          TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    bonus       INTEGER NOT NULL CHECK (bonus >= 0),
    tender_kind TEXT    NOT NULL CHECK (tender_kind IN ('cash', 'card', 'qr')),
    tendered    INTEGER NOT NULL,
    change      INTEGER NOT NULL,
    approval    TEXT    NOT NULL DEFAULT '',
    card_last4  TEXT    NOT NULL DEFAULT '',
    reference   TEXT    NOT NULL DEFAULT '',
    user        TEXT    NOT NULL DEFAULT ''
) STRICT;
