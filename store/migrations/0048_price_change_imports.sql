-- A catalog import's new products enter the price history as one row per batch, the range of ids it
-- added (SQLite gives new rows the ids after the largest, so a batch's are consecutive), not a row each:
-- those rows were a tenth of a million-product import's work. A new product has no old price, and its
-- price is the product's own until a change writes a price_changes row.
CREATE TABLE price_change_imports (
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL CHECK (last_id >= first_id),
    at       TEXT    NOT NULL
) STRICT;
CREATE INDEX price_change_imports_at ON price_change_imports (at);
