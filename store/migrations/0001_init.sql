-- The till's first schema: catalog, completed sales, the hash-chained journal and the sync outbox.
-- Money is INTEGER minor units; quantities are INTEGER thousandths; times are UTC text
-- 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width, so text order is time order).

CREATE TABLE products (
    id        INTEGER PRIMARY KEY,
    sku       TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    name_zh   TEXT    NOT NULL DEFAULT '',
    category  TEXT    NOT NULL DEFAULT '',
    price     INTEGER NOT NULL CHECK (price >= 0),
    unit      TEXT    NOT NULL CHECK (unit IN ('piece', 'kg')),
    tax_class TEXT    NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE barcodes (
    code       TEXT    PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id)
) STRICT, WITHOUT ROWID;
CREATE INDEX barcodes_product ON barcodes (product_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- One database belongs to one till. A sale's id is its receipt number: the highest id + 1, taken inside
-- the sale's transaction, so a rolled-back sale leaves no gap. receipt_no is the number as printed.
CREATE TABLE sales (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT    NOT NULL UNIQUE,
    till         TEXT    NOT NULL,
    receipt_no   TEXT    NOT NULL,
    opened_at    TEXT    NOT NULL,
    completed_at TEXT    NOT NULL,
    currency     TEXT    NOT NULL,
    tax_mode     TEXT    NOT NULL CHECK (tax_mode IN ('inclusive', 'exclusive')),
    subtotal     INTEGER NOT NULL,
    discount     INTEGER NOT NULL,
    tax          INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    rounding     INTEGER NOT NULL,
    item_count   INTEGER NOT NULL
) STRICT;
CREATE INDEX sales_completed_at ON sales (completed_at);

CREATE TABLE sale_lines (
    sale_id     INTEGER NOT NULL REFERENCES sales (id),
    line_no     INTEGER NOT NULL,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    sku         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    name_zh     TEXT    NOT NULL,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    unit        TEXT    NOT NULL,
    unit_price  INTEGER NOT NULL,
    gross       INTEGER NOT NULL,
    discount    INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    tax_class   TEXT    NOT NULL,
    tax_rate_bp INTEGER NOT NULL,
    tax         INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE tenders (
    sale_id  INTEGER NOT NULL REFERENCES sales (id),
    seq      INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    amount   INTEGER NOT NULL,
    tendered INTEGER NOT NULL,
    change   INTEGER NOT NULL,
    PRIMARY KEY (sale_id, seq)
) STRICT, WITHOUT ROWID;

-- Every money-changing action, chained: hash = SHA-256(prev_hash, seq, at, kind, payload). A sale's
-- payload carries the SHA-256 of the sale's full document, so its rows above are bound to the chain too.
CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    payload   TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
) STRICT;
CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

-- Documents waiting for the head office; id is the idempotency key of the upload. The document itself is
-- the journal row's payload, kept once. Rows are removed once the head office has them, so the table
-- stays small and needs no index on sent_at.
CREATE TABLE outbox (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    journal_seq INTEGER NOT NULL REFERENCES journal (seq),
    created_at  TEXT    NOT NULL,
    sent_at     TEXT
) STRICT, WITHOUT ROWID;
