-- The till's own carts it offered to the shop and then resumed while the head office could not be told
-- (app.CartWithdrawals): the head office still offers them to the other tills until the till's next sync
-- claims them there. Kept here so that a restart in between forgets none.
CREATE TABLE cart_withdrawals (
    id TEXT PRIMARY KEY, -- the parked cart's ID
    at TEXT NOT NULL     -- when it was resumed here
) STRICT;
