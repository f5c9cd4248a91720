-- Refunds to a member's prepaid balance, and the points a refund takes back. SQLite cannot widen a
-- CHECK, so refunds is rebuilt inside this migration's transaction, where foreign keys stay on: the
-- refund lines are set aside while the old table goes (a parent row dropped under its children would
-- fail the commit), then put back with the stock trigger off, since their stock moved when first
-- written. The view that reads refunds is dropped and made again.
DROP VIEW stock_ledger;
CREATE TABLE refunds_new (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT    NOT NULL UNIQUE,
    till            TEXT    NOT NULL,
    receipt_no      TEXT    NOT NULL UNIQUE,
    sale_id         INTEGER NOT NULL REFERENCES sales (id),
    at              TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    total           INTEGER NOT NULL CHECK (total > 0),
    tax             INTEGER NOT NULL,
    rounding        INTEGER NOT NULL,
    tender_kind     TEXT    NOT NULL CHECK (tender_kind IN ('cash', 'card', 'wallet', 'prepaid')),
    tender_amount   INTEGER NOT NULL,
    approval        TEXT    NOT NULL DEFAULT '',
    reference       TEXT    NOT NULL DEFAULT '',
    wallet          TEXT    NOT NULL DEFAULT '',
    card_last4      TEXT    NOT NULL DEFAULT '' CHECK (card_last4 = '' OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*')),
    member_id       INTEGER REFERENCES members (id),
    member_number   TEXT    NOT NULL DEFAULT '',
    points_reversed INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO refunds_new (id, uuid, till, receipt_no, sale_id, at, currency, reason, total, tax, rounding, tender_kind,
    tender_amount, approval, reference, wallet, card_last4)
    SELECT id, uuid, till, receipt_no, sale_id, at, currency, reason, total, tax, rounding, tender_kind,
    tender_amount, approval, reference, wallet, card_last4 FROM refunds;
CREATE TEMP TABLE refund_lines_kept AS SELECT * FROM refund_lines;
DELETE FROM refund_lines;
DROP TABLE refunds;
ALTER TABLE refunds_new RENAME TO refunds;
CREATE INDEX refunds_by_sale ON refunds (sale_id);
DROP TRIGGER refund_lines_keep_on_hand;
INSERT INTO refund_lines SELECT * FROM temp.refund_lines_kept;
DROP TABLE temp.refund_lines_kept;
CREATE TRIGGER refund_lines_keep_on_hand AFTER INSERT ON refund_lines
BEGIN
    UPDATE products SET on_hand = on_hand + NEW.qty
    WHERE id = (SELECT product_id FROM sale_lines WHERE sale_id = NEW.sale_id AND line_no = NEW.line_no);
END;

CREATE VIEW stock_ledger (product_id, at, kind, qty, reason, user, ref) AS
    SELECT product_id, at, kind, qty, reason, user, ref FROM stock_moves
    UNION ALL
    SELECT l.product_id, s.completed_at, 'sale', -l.qty, '', '', s.receipt_no
    FROM sale_lines l JOIN sales s ON s.id = l.sale_id
    UNION ALL
    SELECT l.product_id, r.at, 'refund', rl.qty, r.reason, '', r.receipt_no
    FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
    JOIN sale_lines l ON l.sale_id = rl.sale_id AND l.line_no = rl.line_no;
