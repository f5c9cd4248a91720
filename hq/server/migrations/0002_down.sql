-- Down-sync: what the head office keeps for each shop's tills to copy (its catalog and its members), each
-- row stamped with a change sequence from one sequence, taken anew on every change. A till asks for the
-- rows changed after the highest sequence it has applied. Writers of a shop's rows take the shop's
-- advisory lock first, so a shop's sequence numbers commit in order and no reader skips a row.
CREATE SEQUENCE change_seq;

CREATE TABLE products (
    shop_id       bigint         NOT NULL REFERENCES shops (id),
    sku           text           NOT NULL CHECK (sku <> ''),
    barcodes      text[]         NOT NULL DEFAULT '{}',
    name          text           NOT NULL DEFAULT '',
    name_zh       text           NOT NULL DEFAULT '',
    category      text           NOT NULL DEFAULT '',
    unit          text           NOT NULL,
    price         numeric(20, 4) NOT NULL CHECK (price >= 0),
    cost          numeric(20, 4) NOT NULL DEFAULT 0,
    reorder_point bigint         NOT NULL DEFAULT 0, -- thousandths of the unit
    tax_class     text           NOT NULL,
    active        boolean        NOT NULL DEFAULT true,
    seq           bigint         NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (shop_id, sku)
);
CREATE INDEX products_changes ON products (shop_id, seq);

-- A shop's members as the head office knows them: prepaid and points are what member_movements sum to
-- (kept with every new movement, in the upload's transaction), so they may be negative after two tills
-- spent the same money offline: the conflict is recorded below and the tills are told.
CREATE TABLE members (
    shop_id bigint         NOT NULL REFERENCES shops (id),
    number  text           NOT NULL,
    name    text           NOT NULL DEFAULT '',
    phone   text           NOT NULL DEFAULT '',
    tier    text           NOT NULL DEFAULT '',
    prepaid numeric(20, 4) NOT NULL DEFAULT 0,
    points  bigint         NOT NULL DEFAULT 0,
    seq     bigint         NOT NULL DEFAULT nextval('change_seq'),
    PRIMARY KEY (shop_id, number)
);
CREATE INDEX members_changes ON members (shop_id, seq);

INSERT INTO members (shop_id, number, prepaid, points)
SELECT shop_id, member, sum(prepaid), sum(points) FROM member_movements GROUP BY shop_id, member;

-- A spend the head office stored although it took a card below zero (sales that happened are never
-- refused): over is how far below zero it took the card, at most the spend itself.
CREATE TABLE conflicts (
    id          bigint         GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id     bigint         NOT NULL REFERENCES shops (id),
    member      text           NOT NULL,
    document_id uuid           NOT NULL,
    till_id     bigint         NOT NULL REFERENCES tills (id),
    spent       numeric(20, 4) NOT NULL,
    over        numeric(20, 4) NOT NULL,
    balance     numeric(20, 4) NOT NULL, -- the card's balance after it
    at          timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX conflicts_shop ON conflicts (shop_id, id);
