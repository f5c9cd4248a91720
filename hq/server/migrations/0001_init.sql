-- The head office's first schema: shops, their tills, one-time enrolment codes, and every document the
-- tills upload, stored once per shop under its UUID.

CREATE TABLE shops (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       text        NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A till's token is never stored, only its SHA-256: a leaked table does not let anyone upload.
CREATE TABLE tills (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shop_id      bigint      NOT NULL REFERENCES shops (id),
    name         text        NOT NULL CHECK (name <> ''),
    token_sha256 bytea       NOT NULL UNIQUE,
    enrolled_at  timestamptz NOT NULL,
    last_seen_at timestamptz,
    last_pending bigint      NOT NULL DEFAULT 0, -- what the till still held unsent at its last upload
    UNIQUE (shop_id, name)
);

CREATE TABLE enrol_codes (
    code_sha256 bytea       PRIMARY KEY,
    shop_id     bigint      NOT NULL REFERENCES shops (id),
    till        text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- The idempotency key is (shop, id): a retried upload finds its documents here and stores nothing twice.
CREATE TABLE documents (
    shop_id     bigint      NOT NULL REFERENCES shops (id),
    id          uuid        NOT NULL,
    till_id     bigint      NOT NULL REFERENCES tills (id),
    kind        text        NOT NULL,
    till_seq    bigint      NOT NULL,
    at          timestamptz NOT NULL,
    body        jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, id)
);
CREATE INDEX documents_till_seq ON documents (till_id, till_seq);

-- Sales, one row each, for the head office's figures; written with the sale's document.
CREATE TABLE sales (
    shop_id      bigint         NOT NULL REFERENCES shops (id),
    id           uuid           NOT NULL,
    till_id      bigint         NOT NULL REFERENCES tills (id),
    receipt_no   text           NOT NULL,
    completed_at timestamptz    NOT NULL,
    currency     text           NOT NULL,
    total        numeric(20, 4) NOT NULL,
    PRIMARY KEY (shop_id, id)
);

-- Members' points and prepaid value, one movement per document that moved them (a sale paid from the
-- balance or earning points, a refund giving them back, a top-up), written with the document: the head
-- office's ledger of every card, each movement once however often its document was sent.
CREATE TABLE member_movements (
    shop_id     bigint         NOT NULL REFERENCES shops (id),
    document_id uuid           NOT NULL,
    member      text           NOT NULL,
    kind        text           NOT NULL,
    prepaid     numeric(20, 4) NOT NULL, -- + into the balance, − spent from it
    points      bigint         NOT NULL,
    at          timestamptz    NOT NULL,
    PRIMARY KEY (shop_id, document_id)
);
CREATE INDEX member_movements_member ON member_movements (shop_id, member);
