-- The shopper's signature on a top-up over signature.topup_over (电子签名): its strokes (app/signature),
-- written with the top-up; its SHA-256 is in the top-up's journal entry and document. NULL for top-ups
-- nobody signed.
ALTER TABLE topups ADD COLUMN signature TEXT CHECK (signature IS NULL OR (json_valid(signature) AND json_type(signature) = 'array'));
