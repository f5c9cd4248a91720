-- Promotions from the head office, and coupon limits (issue 27).
--
-- The head office's promotions live in the same table as the till's own, so ActiveDeals, the journal and
-- the sale lines treat them alike: each row keeps the till's own id (sale lines name it), and hq_id is the
-- head office's id of a rule it sent down (NULL for the till's own), unique, so the next down-sync of the
-- rule updates the same row. The till never edits a row with an hq_id.
ALTER TABLE promotions ADD COLUMN hq_id INTEGER;
CREATE UNIQUE INDEX promotions_hq_id ON promotions (hq_id) WHERE hq_id IS NOT NULL;
-- coupon_limit: the sales of every till together that may use the coupon (0: no limit), which the head
-- office counts; coupon_till_limit: this till's offline allowance (0: coupon_limit's).
ALTER TABLE promotions ADD COLUMN coupon_limit INTEGER NOT NULL DEFAULT 0 CHECK (coupon_limit >= 0);
ALTER TABLE promotions ADD COLUMN coupon_till_limit INTEGER NOT NULL DEFAULT 0 CHECK (coupon_till_limit >= 0);

-- The head office's promotions have a high-water mark of their own: a till upgraded from a release that
-- did not know them has moved down_seq past them, and reads them all once from 0.
ALTER TABLE sync_state ADD COLUMN promo_seq INTEGER NOT NULL DEFAULT 0;

-- The coupons each sale used, written in the sale's transaction (the sale document's coupons): a coupon's
-- uses at this till are counted from here against its allowance. A sale voided before payment has no row.
CREATE TABLE coupon_uses (
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    code    TEXT    NOT NULL,
    PRIMARY KEY (sale_id, code)
) STRICT;
CREATE INDEX coupon_uses_code ON coupon_uses (code);
