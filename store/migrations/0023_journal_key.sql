-- The journal's chain is keyed: HMAC-SHA256 with a key derived from till.key, which lives beside the
-- database and never in it or its backups, so re-chaining the journal needs the key. key_id names the
-- key without revealing it. The row is made once, when the till first opens with its key: the rows
-- before are keyed then too (the "journal_keyed" entry records whether their plain chain verified).
CREATE TABLE journal_key (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    key_id   TEXT    NOT NULL,
    keyed_at TEXT    NOT NULL
) STRICT;
