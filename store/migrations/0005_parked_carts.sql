-- Carts put aside at the till, kept across restarts. Not money yet: no journal entry until they are sold.
CREATE TABLE parked_carts (
    id        TEXT    PRIMARY KEY, -- the sale ID the cart will complete under
    till      TEXT    NOT NULL,
    parked_at TEXT    NOT NULL,
    currency  TEXT    NOT NULL,
    total     INTEGER NOT NULL,
    lines     TEXT    NOT NULL     -- JSON: the lines as parked, prices included
) STRICT;
CREATE INDEX parked_carts_by_till ON parked_carts (till, parked_at);
