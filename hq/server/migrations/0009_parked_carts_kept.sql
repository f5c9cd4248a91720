-- Carts are kept for api.CartsKept after they were last offered or claimed: offerCart deletes the shop's
-- older ones, found by this index. A claim is never older than the offer it claims (an offer clears it).
CREATE INDEX parked_carts_offered ON parked_carts (shop_id, offered_at);
