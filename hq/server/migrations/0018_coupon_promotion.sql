-- A coupon's uses belong to the promotion that had its code when the head office received them (review of
-- issue 27's accounting): a code a new promotion reuses starts the new one's count afresh, and only an
-- active promotion's limit is the coupon's. promotion_id is the shop's promotion with the code then, an
-- active one first (the one whose limit counts: the smallest), else the latest; NULL when no promotion of
-- the shop has the code (a till's own promotion's, another shop's, or never issued): counted for none.
ALTER TABLE coupon_uses ADD COLUMN promotion_id bigint REFERENCES promotions (id);

-- The uses held before: given the promotion the rule above gives them now (when they came is not known).
UPDATE coupon_uses u SET promotion_id = (
    SELECT p.id FROM promotions p WHERE p.shop_id = u.shop_id AND p.coupon = u.code
    ORDER BY p.active DESC, p.coupon_limit = 0, p.coupon_limit, p.id DESC LIMIT 1);

CREATE INDEX coupon_uses_promotion ON coupon_uses (promotion_id) WHERE promotion_id IS NOT NULL;
