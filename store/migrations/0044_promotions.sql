-- Promotions (issue 27): the rules an owner sets up, or the head office sends down. rule is the rule as
-- JSON (app/promo.Rule); name, kind and active are columns so the back office lists them without
-- decoding each one.
CREATE TABLE promotions (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    name_zh    TEXT    NOT NULL DEFAULT '',
    kind       TEXT    NOT NULL,
    rule       TEXT    NOT NULL CHECK (json_valid(rule)),
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL DEFAULT '',
    -- revision numbers the saves: the till reads its promotions again when the highest one has moved.
    revision   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX promotions_revision ON promotions (revision);

-- What the promotions saved on a sale line, as sold: a JSON array of {rule, name, name_zh, amount} (the
-- sale document's line.promotions), NULL for none, so a line without one costs nothing more to write.
-- The line's discount column already includes these savings.
ALTER TABLE sale_lines ADD COLUMN promotions TEXT;
