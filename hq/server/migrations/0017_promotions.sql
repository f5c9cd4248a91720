-- Promotions the owner sets at the head office for a shop's tills (issue 27), and the coupons the tills'
-- sales used.
--
-- rule is the rule as the tills' promotion files have it (app/promo.Rule), checked by the tills' rules
-- (app.CheckHQPromotion) and as a set with the shop's other active ones (app.NewDeals) before it is
-- stored. seq comes from the down-sync's change sequence, taken under the shop's change lock, so a till
-- asks for the promotions changed after the highest it has applied as it does for products. coupon is
-- the rule's coupon code, a column so an uploaded use finds its rule by an index.
CREATE TABLE promotions (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id           bigint      NOT NULL REFERENCES shops (id),
    rule              jsonb       NOT NULL CHECK (jsonb_typeof(rule) = 'object'),
    active            boolean     NOT NULL DEFAULT true,
    coupon            text        NOT NULL DEFAULT '',
    coupon_limit      bigint      NOT NULL DEFAULT 0 CHECK (coupon_limit >= 0),
    coupon_till_limit bigint      NOT NULL DEFAULT 0 CHECK (coupon_till_limit >= 0),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    seq               bigint      NOT NULL DEFAULT nextval('change_seq')
);
CREATE INDEX promotions_changes ON promotions (shop_id, seq);
CREATE INDEX promotions_coupon ON promotions (shop_id, coupon) WHERE coupon <> '';

-- Each coupon each accepted sale used, once: a sale uploaded again (a retry, a replay) adds nothing, by
-- the key. A code no promotion of the head office's has (a till's own coupon, or a forged one) is kept
-- too, and counts against no limit.
CREATE TABLE coupon_uses (
    shop_id     bigint      NOT NULL REFERENCES shops (id),
    code        text        NOT NULL,
    document_id uuid        NOT NULL,
    till_id     bigint      NOT NULL REFERENCES tills (id),
    at          timestamptz NOT NULL, -- when the sale completed, by the till's clock
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, code, document_id)
);

-- A use past its coupon's limit across the tills (they sell offline, each within its own allowance): the
-- sale stands, the owner is told among the alarms. One row per use over, by the use's key; uses is how
-- many the head office then held, limit_uses the limit.
CREATE TABLE coupon_overuses (
    shop_id      bigint      NOT NULL,
    code         text        NOT NULL,
    document_id  uuid        NOT NULL,
    till_id      bigint      NOT NULL REFERENCES tills (id),
    promotion_id bigint      NOT NULL REFERENCES promotions (id),
    uses         bigint      NOT NULL,
    limit_uses   bigint      NOT NULL,
    at           timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, code, document_id) -- a use of coupon_uses
);
CREATE INDEX coupon_overuses_at ON coupon_overuses (at);
