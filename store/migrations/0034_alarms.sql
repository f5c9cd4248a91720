-- The alarms the owner's day page lists are journal rows: the guard's (kind 'alarm') and the locks wrong
-- PINs put on a user or a member's account. This index finds a day's as the others find the voids,
-- no-sales and approvals.
CREATE INDEX journal_alarms_at ON journal (at) WHERE kind IN ('alarm', 'user_locked', 'member_locked');
