-- The price history shelf labels are printed from ("every price change since a date"): a row for every
-- price a product is given, written in the transaction that gives it — the product editor and set-price,
-- a catalog import's new products, the head office's down-sync. old_price NULL: the product was new.
-- The journal holds the same changes, but as JSON in a hash chain that only a scan of every kind of entry
-- could answer from; this table answers by the index on at.
CREATE TABLE price_changes (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    at         TEXT    NOT NULL,
    old_price  INTEGER,
    new_price  INTEGER NOT NULL CHECK (new_price >= 0),
    changed_by TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX price_changes_at ON price_changes (at);

-- The changes before this migration, from the journal's "price" entries (one scan, once): their prices
-- are decimals with exactly the currency's minor digits ("3.50"; money.Amount.Decimal), so dropping the
-- point gives the minor units without arithmetic. A SKU renamed since matches no product and is left
-- out; imports journaled no prices, so products imported before have no row.
INSERT INTO price_changes (product_id, at, old_price, new_price, changed_by)
SELECT p.id, j.at,
       CAST(nullif(replace(json_extract(j.payload, '$.old'), '.', ''), '') AS INTEGER),
       CAST(replace(json_extract(j.payload, '$.new'), '.', '') AS INTEGER),
       coalesce(json_extract(j.payload, '$.user'), '')
FROM journal j JOIN products p ON p.sku = json_extract(j.payload, '$.sku')
WHERE j.kind = 'price'
ORDER BY j.seq;
