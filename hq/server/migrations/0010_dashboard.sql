-- The owner's web dashboard (issue 24 §2): its accounts, the shops a manager may see, and the signed-in
-- sessions, shared by every head office server on this database.
--
-- An account's password is kept as an argon2id hash (PHC string); its two-factor secret (RFC 6238) as
-- enrolled; totp_last_step is the 30-second step of the last code used, so a code is good once. Wrong
-- passwords and codes count in failed; the limit's worth locks the account until locked_until.
CREATE TABLE dash_users (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role           text        NOT NULL CHECK (role IN ('owner', 'manager')),
    password_hash  text        NOT NULL,
    totp_secret    text        NOT NULL,
    totp_last_step bigint      NOT NULL DEFAULT 0,
    failed         integer     NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The shops an area manager sees; an owner sees every shop without rows here.
CREATE TABLE dash_grants (
    user_id bigint NOT NULL REFERENCES dash_users (id) ON DELETE CASCADE,
    shop_id bigint NOT NULL REFERENCES shops (id),
    PRIMARY KEY (user_id, shop_id)
);

-- A session is known by the SHA-256 of its random ID (the cookie holds the ID): a leaked table signs
-- nobody in. Signing out deletes the row; idle and absolute expiry are checked against these times.
CREATE TABLE dash_sessions (
    id_sha256    bytea       PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES dash_users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dash_sessions_user ON dash_sessions (user_id);

-- The day's figures: a shop's sales in a time range read from the index alone, and its refunds likewise.
CREATE INDEX sales_shop_completed ON sales (shop_id, completed_at) INCLUDE (total, currency);
CREATE INDEX documents_refunds_at ON documents (shop_id, at) WHERE kind = 'refund' AND status = 'accepted';
