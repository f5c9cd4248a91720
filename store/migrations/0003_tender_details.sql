-- Card, QR and wallet tenders carry what identifies the payment: the till's reference (unique per
-- attempt), the terminal's approval code or the provider's transaction ID, the card's last four digits
-- (never the card number) and the wallet. Cash leaves them empty.
ALTER TABLE tenders ADD COLUMN reference  TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN approval   TEXT NOT NULL DEFAULT '';
ALTER TABLE tenders ADD COLUMN card_last4 TEXT NOT NULL DEFAULT '' CHECK (card_last4 = '' OR (length(card_last4) = 4 AND card_last4 NOT GLOB '*[^0-9]*'));
ALTER TABLE tenders ADD COLUMN wallet     TEXT NOT NULL DEFAULT '';
