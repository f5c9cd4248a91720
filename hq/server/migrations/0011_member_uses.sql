-- Which till used a member's account when (issue 23 §3): a till paying from a member's account asks
-- whether another till of the shop used it minutes ago (a copied card, or one card shared), so each use
-- is kept an hour or so; older rows are pruned as the member's next use is recorded.
CREATE TABLE member_uses (
    shop_id bigint      NOT NULL REFERENCES shops (id),
    member  text        NOT NULL,
    till_id bigint      NOT NULL REFERENCES tills (id),
    at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, member, till_id)
);

CREATE INDEX member_uses_at ON member_uses (at);
