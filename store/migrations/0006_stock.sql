-- Stock: every movement is a row of the ledger. Sales and refunds are already rows (sale_lines,
-- refund_lines), so they are not written twice; stock_moves holds the rest (receiving, adjustments,
-- counts) and the view stock_ledger is all of it. products.on_hand caches the ledger's sum per product
-- and is kept by triggers in the same transaction as the movement, so the two cannot disagree.
-- Quantities are signed thousandths (pieces × 1000, or grams), like sale quantities.
ALTER TABLE products ADD COLUMN cost          INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0);
ALTER TABLE products ADD COLUMN reorder_point INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point >= 0);
ALTER TABLE products ADD COLUMN on_hand       INTEGER NOT NULL DEFAULT 0;

CREATE TABLE stock_moves (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    at         TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('receiving', 'adjustment', 'count', 'transfer')),
    qty        INTEGER NOT NULL CHECK (qty <> 0),
    reason     TEXT    NOT NULL DEFAULT '',
    user       TEXT    NOT NULL DEFAULT '',
    ref        TEXT    NOT NULL DEFAULT '', -- the delivery, adjustment or count it belongs to
    unit_cost  INTEGER                      -- receiving: what one unit cost
) STRICT;
CREATE INDEX stock_moves_by_product ON stock_moves (product_id, id);

CREATE TRIGGER stock_moves_keep_on_hand AFTER INSERT ON stock_moves
BEGIN
    UPDATE products SET on_hand = on_hand + NEW.qty WHERE id = NEW.product_id;
END;
CREATE TRIGGER stock_moves_append_only_update BEFORE UPDATE ON stock_moves
BEGIN
    SELECT RAISE(ABORT, 'stock_moves is append-only: record a correcting movement');
END;
CREATE TRIGGER stock_moves_append_only_delete BEFORE DELETE ON stock_moves
BEGIN
    SELECT RAISE(ABORT, 'stock_moves is append-only: record a correcting movement');
END;
CREATE TRIGGER sale_lines_keep_on_hand AFTER INSERT ON sale_lines
BEGIN
    UPDATE products SET on_hand = on_hand - NEW.qty WHERE id = NEW.product_id;
END;
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

-- Sales made before stock was kept count from now on: start each product's cache at its ledger's sum.
UPDATE products SET on_hand = coalesce((SELECT sum(qty) FROM stock_ledger WHERE product_id = products.id), 0);
