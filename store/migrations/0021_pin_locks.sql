-- A member's account PIN locks as a user's does: the wrong PINs in a row since the last right one, and
-- until when they lock it. They are kept with the member, not the sale in progress, so another member on
-- the sale, a new sale or a restart of the till starts nothing afresh.
ALTER TABLE members ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0 CHECK (failed_pins >= 0);
ALTER TABLE members ADD COLUMN locked_until TEXT NOT NULL DEFAULT '';

-- pin_tries outside 3–10 and pin_lock_minutes below 1 all but switch the lock off, and are refused from
-- now on (app.Security). A till that had one keeps the nearest allowed value: a stored setting the till
-- refuses would stop it from opening.
UPDATE settings SET value = CAST(min(max(CAST(value AS INTEGER), 3), 10) AS TEXT) WHERE key = 'pin_tries';
UPDATE settings SET value = '1' WHERE key = 'pin_lock_minutes' AND CAST(value AS INTEGER) < 1;
