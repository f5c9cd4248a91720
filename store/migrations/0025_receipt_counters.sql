-- Receipt numbers: one counter per kind, taken inside the document's transaction (a rolled-back
-- document gives its number back). A counter only grows, so the number of a deleted last document is
-- never taken again, and verify-journal names every number below it that has no row or no entry.
CREATE TABLE receipt_counters (
    kind TEXT    PRIMARY KEY CHECK (kind IN ('sale', 'refund', 'topup', 'zreport')),
    last INTEGER NOT NULL CHECK (last >= 0)
) STRICT, WITHOUT ROWID;
INSERT INTO receipt_counters (kind, last)
    SELECT 'sale', coalesce(max(id), 0) FROM sales
    UNION ALL SELECT 'refund', coalesce(max(id), 0) FROM refunds
    UNION ALL SELECT 'topup', coalesce(max(id), 0) FROM topups
    UNION ALL SELECT 'zreport', coalesce(max(id), 0) FROM zreports;
CREATE TRIGGER receipt_counters_grow BEFORE UPDATE ON receipt_counters
WHEN NEW.last < OLD.last OR NEW.kind IS NOT OLD.kind
BEGIN
    SELECT RAISE(ABORT, 'a receipt counter only grows');
END;
CREATE TRIGGER receipt_counters_no_delete BEFORE DELETE ON receipt_counters
BEGIN
    SELECT RAISE(ABORT, 'a receipt counter only grows');
END;
