-- The shopper's signature on a card payment over signature.card_over (电子签名): its strokes as compact
-- JSON (app/signature), written with the sale; its SHA-256 is in the sale's document, which the journal
-- entry's digest covers. NULL for the sales nobody signed: the column costs them nothing.
ALTER TABLE sales ADD COLUMN signature TEXT CHECK (signature IS NULL OR (json_valid(signature) AND json_type(signature) = 'array'));
