-- Sync to the head office. The outbox is the till's permanent log of what it owes the head office: a row
-- is marked sent (sent_at) once the head office has acknowledged it, and is never deleted (0001's comment
-- said otherwise; the log now stays whole, so a lost or restored head office can be refilled from it).
-- The uploader reads the pending rows in journal order through this partial index, which holds only them,
-- so it stays small however long the log grows.
CREATE INDEX outbox_pending ON outbox (journal_seq) WHERE sent_at IS NULL;

-- The till's link to its head office: one row once enrolled (`checkout enrol URL CODE`). The till's
-- token is not kept here but in a file beside the database that only the till's user can read.
CREATE TABLE sync_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    hq_url       TEXT    NOT NULL,
    shop         TEXT    NOT NULL,
    till         TEXT    NOT NULL,
    enrolled_at  TEXT    NOT NULL,
    last_sync_at TEXT                 -- the last acknowledged upload
) STRICT;
