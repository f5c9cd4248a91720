-- Refunds against stored sales. A refund is written whole in one transaction with its journal entry and
-- outbox row, like a sale. The store checks, inside that transaction, that no line is refunded beyond what
-- was sold and no sale beyond what was paid; refund_lines_by_sale makes those sums cheap.
CREATE TABLE refunds (
    id            INTEGER PRIMARY KEY,           -- the till's refund number
    uuid          TEXT    NOT NULL UNIQUE,
    till          TEXT    NOT NULL,
    receipt_no    TEXT    NOT NULL UNIQUE,
    sale_id       INTEGER NOT NULL REFERENCES sales (id),
    at            TEXT    NOT NULL,
    currency      TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    total         INTEGER NOT NULL CHECK (total > 0),
    tax           INTEGER NOT NULL,
    rounding      INTEGER NOT NULL,
    tender_kind   TEXT    NOT NULL CHECK (tender_kind IN ('cash', 'card', 'wallet')),
    tender_amount INTEGER NOT NULL,
    approval      TEXT    NOT NULL DEFAULT '',
    reference     TEXT    NOT NULL DEFAULT '', -- a wallet refund: the original charge's reference
    wallet        TEXT    NOT NULL DEFAULT '',
    card_last4    TEXT    NOT NULL DEFAULT '' CHECK (card_last4 = '' OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*'))
) STRICT;
CREATE INDEX refunds_by_sale ON refunds (sale_id);

CREATE TABLE refund_lines (
    refund_id INTEGER NOT NULL REFERENCES refunds (id),
    sale_id   INTEGER NOT NULL,
    line_no   INTEGER NOT NULL,
    qty       INTEGER NOT NULL CHECK (qty > 0),
    total     INTEGER NOT NULL CHECK (total >= 0),
    tax       INTEGER NOT NULL,
    PRIMARY KEY (refund_id, line_no),
    FOREIGN KEY (sale_id, line_no) REFERENCES sale_lines (sale_id, line_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX refund_lines_by_sale ON refund_lines (sale_id, line_no);
