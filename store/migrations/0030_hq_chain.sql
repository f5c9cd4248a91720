-- What the head office holds of this till's journal: the last row it acknowledged (its head), and
-- whether the till's journal key is registered with it (at enrolment, or afterwards for a till enrolled
-- before keys). The uploader sends the journal's rows after that head with the documents they record.
ALTER TABLE sync_state ADD COLUMN hq_head_seq    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN hq_head_hash   TEXT    NOT NULL DEFAULT '';
ALTER TABLE sync_state ADD COLUMN key_registered INTEGER NOT NULL DEFAULT 0;
