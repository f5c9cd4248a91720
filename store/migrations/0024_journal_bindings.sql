-- Every row that moves money, points or stock names the journal entry that made it (journal_seq), set in
-- the entry's own transaction: the till's one writer knows the entry's sequence (the journal's head + 1)
-- before it writes the rows. verify-journal rebuilds each entry's figures from the rows that name it, and
-- names any row that names no entry, or an entry that did not make it.
ALTER TABLE member_ledger ADD COLUMN journal_seq INTEGER;
ALTER TABLE stock_moves ADD COLUMN journal_seq INTEGER;
ALTER TABLE cash_moves ADD COLUMN journal_seq INTEGER;
ALTER TABLE topups ADD COLUMN journal_seq INTEGER;
ALTER TABLE shifts ADD COLUMN journal_seq INTEGER;       -- the opening
ALTER TABLE shifts ADD COLUMN close_journal_seq INTEGER; -- the close
ALTER TABLE zreports ADD COLUMN journal_seq INTEGER;

-- Rows from before this migration name no entry. journal_bound records, per table, the highest row id and
-- the number of rows there were: only those may lack a journal_seq. The till journals these figures at
-- its next start with its key ("journal_bound", and journal_seq here says where), and verify-journal reads
-- them from the journal, where they cannot be raised to cover a row slipped in later.
CREATE TABLE journal_bound (
    tbl         TEXT    PRIMARY KEY,
    upto_id     INTEGER NOT NULL,
    row_count   INTEGER NOT NULL,
    journal_seq INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO journal_bound (tbl, upto_id, row_count)
    SELECT 'member_ledger', coalesce(max(id), 0), count(*) FROM member_ledger
    UNION ALL SELECT 'stock_moves', coalesce(max(id), 0), count(*) FROM stock_moves
    UNION ALL SELECT 'cash_moves', coalesce(max(id), 0), count(*) FROM cash_moves
    UNION ALL SELECT 'topups', coalesce(max(id), 0), count(*) FROM topups
    UNION ALL SELECT 'shifts', coalesce(max(id), 0), count(*) FROM shifts
    UNION ALL SELECT 'zreports', coalesce(max(id), 0), count(*) FROM zreports;
CREATE TRIGGER journal_bound_kept BEFORE UPDATE ON journal_bound
WHEN OLD.journal_seq IS NOT NULL OR NEW.tbl IS NOT OLD.tbl OR NEW.upto_id IS NOT OLD.upto_id OR NEW.row_count IS NOT OLD.row_count
BEGIN
    SELECT RAISE(ABORT, 'journal_bound is kept as the migration made it');
END;
CREATE TRIGGER journal_bound_no_delete BEFORE DELETE ON journal_bound
BEGIN
    SELECT RAISE(ABORT, 'journal_bound is kept as the migration made it');
END;

-- A new row must name the entry its transaction is about to append: the journal's head + 1. (Someone
-- with sqlite3 can drop these triggers; verify-journal still finds the row.)
CREATE TRIGGER member_ledger_bound BEFORE INSERT ON member_ledger
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'member_ledger: a row names the journal entry written with it (journal_seq)');
END;
CREATE TRIGGER stock_moves_bound BEFORE INSERT ON stock_moves
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'stock_moves: a row names the journal entry written with it (journal_seq)');
END;
CREATE TRIGGER cash_moves_bound BEFORE INSERT ON cash_moves
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'cash_moves: a row names the journal entry written with it (journal_seq)');
END;
CREATE TRIGGER topups_bound BEFORE INSERT ON topups
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'topups: a row names the journal entry written with it (journal_seq)');
END;
CREATE TRIGGER shifts_bound BEFORE INSERT ON shifts
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'shifts: a row names the journal entry written with it (journal_seq)');
END;
CREATE TRIGGER shifts_close_bound BEFORE UPDATE ON shifts
WHEN NEW.journal_seq IS NOT OLD.journal_seq
    OR (OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL
        AND NEW.close_journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1)
BEGIN
    SELECT RAISE(ABORT, 'shifts: a close names the journal entry written with it (close_journal_seq)');
END;
CREATE TRIGGER zreports_bound BEFORE INSERT ON zreports
WHEN NEW.journal_seq IS NOT coalesce((SELECT max(seq) FROM journal), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'zreports: a row names the journal entry written with it (journal_seq)');
END;
