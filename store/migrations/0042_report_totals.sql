-- Report totals (issue 26): what the day page, the X and Z reports and the anomaly baselines add up, kept
-- per UTC hour in the same transaction as each sale, refund, top-up, void, no-sale and approval (each adds
-- its own facts from report_facts with one grouped upsert: Store.addReportFacts), so a day, a week or a
-- month is read from a few hundred rows whatever the history. A period that does not start or end on the
-- hour takes its whole hours from here and its partial hours from the rows (report_facts).
-- Store.RebuildReportTotals rebuilds both tables from the rows; verify-journal checks they agree.

-- A line's category and unit cost as they were when it was sold: a product moved to another category or
-- received at a new cost later does not rewrite past days' margins. Lines sold before this migration take
-- the product's as it is now, which is what the reports showed for them until now.
ALTER TABLE sale_lines ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE sale_lines ADD COLUMN unit_cost INTEGER NOT NULL DEFAULT 0;
UPDATE sale_lines SET category = p.category, unit_cost = p.cost FROM products p WHERE p.id = sale_lines.product_id;

-- One row per UTC hour ('2026-12-06T09', as substr of the stored timestamps), kind and key. What the
-- columns hold depends on kind (0 where a kind has no such figure):
--   sales          key ''           n sales, n_subset of them members', qty items, amount total,
--                                   amount_subset members' total, discount, tax, rounding
--   cashier        key cashier      n sales, n_subset of them discounted, amount total, discount
--   tender         key tender kind  n tenders, amount
--   tax            key rate (bp)    tax
--   category       key category     qty, amount (line totals), amount_subset the net of the lines with a
--                                   cost, cost of those lines (each line rounded half up, as before)
--   refund         key tender kind  n refunds, amount refunded
--   cashier_refund key cashier      n refunds, amount refunded
--   topup          key tender kind  n top-ups, amount
--   void           key cashier      n voids, n_subset of them approved after payment
--   no_sale        key cashier      n
--   override       key user         n approvals
CREATE TABLE report_hours (
    hour          TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    n             INTEGER NOT NULL DEFAULT 0,
    n_subset      INTEGER NOT NULL DEFAULT 0,
    qty           INTEGER NOT NULL DEFAULT 0,
    amount        INTEGER NOT NULL DEFAULT 0,
    amount_subset INTEGER NOT NULL DEFAULT 0,
    discount      INTEGER NOT NULL DEFAULT 0,
    tax           INTEGER NOT NULL DEFAULT 0,
    rounding      INTEGER NOT NULL DEFAULT 0,
    cost          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, kind, key)
) STRICT, WITHOUT ROWID;

-- The products sold per UTC hour: the top products of any period.
CREATE TABLE product_hours (
    hour       TEXT    NOT NULL,
    product_id INTEGER NOT NULL,
    qty        INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    PRIMARY KEY (hour, product_id)
) STRICT, WITHOUT ROWID;

-- The rows the totals add up, one per event (sale, tender, line, refund, top-up, journal entry), with
-- its time and the document it belongs to (source and ref: the sale's, refund's or top-up's number, the
-- journal entry's sequence number): the partial hours of a period are summed from here, a new document's
-- facts are added from here, and so is a rebuild.
CREATE VIEW report_facts (source, ref, at, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost) AS
    SELECT 'sale', id, completed_at, 'sales', '', 1, member_id IS NOT NULL, item_count, total,
        CASE WHEN member_id IS NOT NULL THEN total ELSE 0 END, discount, tax, rounding, 0 FROM sales
    UNION ALL
    SELECT 'sale', id, completed_at, 'cashier', cashier, 1, discount <> 0, 0, total, 0, discount, 0, 0, 0 FROM sales
    UNION ALL
    SELECT 'sale', s.id, s.completed_at, 'tender', t.kind, 1, 0, 0, t.amount, 0, 0, 0, 0, 0 FROM tenders t JOIN sales s ON s.id = t.sale_id
    UNION ALL
    SELECT 'sale', s.id, s.completed_at, 'tax', CAST(l.tax_rate_bp AS TEXT), 0, 0, 0, 0, 0, 0, l.tax, 0, 0
    FROM sale_lines l JOIN sales s ON s.id = l.sale_id
    UNION ALL
    SELECT 'sale', s.id, s.completed_at, 'category', l.category, 0, 0, l.qty, l.total,
        CASE WHEN l.unit_cost > 0 THEN l.total - CASE s.tax_mode WHEN 'inclusive' THEN l.tax ELSE 0 END ELSE 0 END, 0, 0, 0,
        CASE WHEN l.unit_cost > 0 THEN (l.unit_cost * l.qty + 500) / 1000 ELSE 0 END
    FROM sale_lines l JOIN sales s ON s.id = l.sale_id
    UNION ALL
    SELECT 'refund', id, at, 'refund', tender_kind, 1, 0, 0, tender_amount, 0, 0, 0, 0, 0 FROM refunds
    UNION ALL
    SELECT 'refund', id, at, 'cashier_refund', cashier, 1, 0, 0, tender_amount, 0, 0, 0, 0, 0 FROM refunds
    UNION ALL
    SELECT 'topup', id, at, 'topup', tender_kind, 1, 0, 0, amount, 0, 0, 0, 0, 0 FROM topups
    UNION ALL
    SELECT 'journal', seq, at, 'void', coalesce(payload ->> 'cashier', ''), 1, coalesce(payload ->> 'approved_by', '') <> '',
        0, 0, 0, 0, 0, 0, 0
    FROM journal WHERE kind = 'void'
    UNION ALL
    SELECT 'journal', seq, at, kind, coalesce(CASE kind WHEN 'override' THEN payload ->> 'user' ELSE payload ->> 'cashier' END, ''),
        1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM journal WHERE kind IN ('no_sale', 'override');

CREATE VIEW product_facts (sale_id, at, product_id, qty, total) AS
    SELECT s.id, s.completed_at, l.product_id, l.qty, l.total FROM sale_lines l JOIN sales s ON s.id = l.sale_id;

INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost)
    SELECT substr(at, 1, 13), kind, key, sum(n), sum(n_subset), sum(qty), sum(amount), sum(amount_subset), sum(discount),
        sum(tax), sum(rounding), sum(cost)
    FROM report_facts GROUP BY 1, 2, 3;
INSERT INTO product_hours (hour, product_id, qty, total)
    SELECT substr(at, 1, 13), product_id, sum(qty), sum(total) FROM product_facts GROUP BY 1, 2;

-- The anomaly baselines read the cashier totals now: this covering index only served them, and every sale paid
-- for it (one more b-tree page per commit). sales_completed_at serves the partial hours.
DROP INDEX sales_cashier_at;

-- A category's Chinese name for the reports, read from the index alone (max over the category's entries)
-- rather than from every product of the category.
DROP INDEX products_category;
CREATE INDEX products_category ON products (category, category_zh);
