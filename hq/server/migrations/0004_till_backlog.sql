-- What each till last said of its backlog: when its oldest unsent document was made (NULL: none waits)
-- and its last failure to sync, or the head office's last refusal of its upload. checkout-hq status
-- shows a till whose documents are stuck, not "0 pending".
ALTER TABLE tills ADD COLUMN oldest_pending_at timestamptz;
ALTER TABLE tills ADD COLUMN last_error text NOT NULL DEFAULT '';
