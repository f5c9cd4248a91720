-- A member's signed consent to the shop keeping their personal details (signature.member_consent,
-- 电子签名), given when they are first stored: its strokes (app/signature) and when. NULL for members who
-- joined before it was asked, or at a shop that does not ask.
ALTER TABLE members ADD COLUMN consent TEXT CHECK (consent IS NULL OR (json_valid(consent) AND json_type(consent) = 'array'));
ALTER TABLE members ADD COLUMN consent_at TEXT;
