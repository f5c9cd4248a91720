-- Parked carts a till offers the other tills of its shop (issue 23 §4): the cart as the till sent it
-- (document.Cart, checked by document.CheckCart), and which till claimed it. Claiming is one conditional
-- UPDATE (claimed_by IS NULL), so only one till can take a cart; the till that parked it claims it too
-- when it resumes it, so nobody else can after.
CREATE TABLE parked_carts (
    shop_id    bigint      NOT NULL REFERENCES shops (id),
    id         uuid        NOT NULL,
    till_id    bigint      NOT NULL REFERENCES tills (id), -- the till that parked it
    parked_at  timestamptz NOT NULL,
    offered_at timestamptz NOT NULL DEFAULT now(),
    body       jsonb       NOT NULL,
    claimed_by bigint      REFERENCES tills (id),
    claimed_at timestamptz,
    PRIMARY KEY (shop_id, id)
);

CREATE INDEX parked_carts_open ON parked_carts (shop_id, parked_at) WHERE claimed_by IS NULL;
