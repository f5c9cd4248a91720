-- The coupons presented for a parked (or open) cart, a JSON array of codes: a cart resumed, or brought
-- back after a crash, is priced with them again, as it was when put aside.
ALTER TABLE parked_carts ADD COLUMN coupons TEXT NOT NULL DEFAULT '[]';
