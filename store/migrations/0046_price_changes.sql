-- The price history shelf labels are printed from ("every price change since a date"): a row for every
-- price a product is given, written in the transaction that gives it — the product editor and set-price,
-- a catalog import's new products, the head office's down-sync. old_price NULL: the product was new.
-- The journal holds the same changes, but as JSON in a hash chain that only a scan of every kind of entry
-- could answer from; this table answers by the index on at. History starts with this migration.
CREATE TABLE price_changes (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    at         TEXT    NOT NULL,
    old_price  INTEGER,
    new_price  INTEGER NOT NULL CHECK (new_price >= 0),
    changed_by TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX price_changes_at ON price_changes (at);
