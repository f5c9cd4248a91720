-- Documents the head office rejected (they failed its checks): kept in the outbox with the reason, never
-- sent again, listed on the sync page. The pending index leaves them out.
ALTER TABLE outbox ADD COLUMN rejected_at TEXT;
ALTER TABLE outbox ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (journal_seq) WHERE sent_at IS NULL AND rejected_at IS NULL;
CREATE INDEX outbox_rejected ON outbox (journal_seq) WHERE rejected_at IS NOT NULL;
