-- Two-factor sign-in (TOTP) for the back office: the secret sealed under the till's key, and the last
-- code's time step so no code is taken twice.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
