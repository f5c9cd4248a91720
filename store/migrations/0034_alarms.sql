-- The guard's alarms are journal rows (kind 'alarm'): the day page lists a day's by this index, as it
-- reads the voids, no-sales and approvals by theirs.
CREATE INDEX journal_alarms_at ON journal (at) WHERE kind = 'alarm';
