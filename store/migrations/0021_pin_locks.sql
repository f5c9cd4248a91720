-- A member's account PIN locks as a user's does: the wrong PINs in a row since the last right one, and
-- until when they lock it. They are kept with the member, not the sale in progress, so another member on
-- the sale, a new sale or a restart of the till starts nothing afresh.
ALTER TABLE members ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0);
ALTER TABLE members ADD COLUMN locked_until TEXT NOT NULL DEFAULT '';
