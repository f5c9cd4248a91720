-- Quarantine: a document that fails the head office's checks is kept as it came (raw bytes: it may hold
-- what jsonb cannot, a NUL), marked rejected with the reason, and never counted in sales or members'
-- balances. Its ID is held like any other, so the till's retries are answered, not stored twice.
ALTER TABLE documents ALTER COLUMN body DROP NOT NULL;
ALTER TABLE documents ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE documents ADD COLUMN status text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'rejected'));
ALTER TABLE documents ADD COLUMN reason text NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN raw bytea;
ALTER TABLE documents ADD CONSTRAINT documents_accepted_have_body CHECK ((status = 'accepted') = (body IS NOT NULL));
CREATE INDEX documents_rejected ON documents (till_id, till_seq) WHERE status = 'rejected';
-- A refund is checked against its sale and the sale's other refunds.
CREATE INDEX documents_refunds_of_sale ON documents (shop_id, (body->>'sale_receipt_no')) WHERE kind = 'refund' AND status = 'accepted';
CREATE INDEX sales_receipt ON sales (shop_id, receipt_no);

-- The shop's prepaid top-up bonus rule ("100:10,500:80"), the one the head office checks top-ups against.
ALTER TABLE shops ADD COLUMN topup_bonus text NOT NULL DEFAULT '';
