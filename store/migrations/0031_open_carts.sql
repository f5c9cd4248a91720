-- The till's open cart: the sale in progress, kept as it changes so that a crash or a power cut loses at
-- most its last change. It is a parked cart marked open, one per till, resumed at the next sign-in; a
-- completed, voided or parked sale's open cart is deleted in the transaction that ends it. Parked carts
-- now keep the member put on the sale, and the payments taken (an open cart left with payments is parked
-- for a supervisor, never resumed without them).
ALTER TABLE parked_carts ADD COLUMN open    INTEGER NOT NULL DEFAULT 0 CHECK (open IN (0, 1));
ALTER TABLE parked_carts ADD COLUMN member  TEXT    NOT NULL DEFAULT '';
ALTER TABLE parked_carts ADD COLUMN tenders TEXT    NOT NULL DEFAULT '[]'; -- JSON: the payments taken
CREATE UNIQUE INDEX parked_carts_open ON parked_carts (till) WHERE open = 1;
