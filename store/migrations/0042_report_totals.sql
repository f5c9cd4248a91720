-- Report totals (issue 26): what the day page, the X and Z reports and the anomaly baselines add up, kept
-- per UTC hour in the same transaction as each sale, refund, top-up, void, no-sale and approval, so a day,
-- a week or a month is read from a few hundred rows whatever the history. A period that does not start
-- or end on the hour takes its whole hours from here and its partial hours from the rows (report_facts).
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
-- its time: the partial hours of a period are summed from here, and so is a rebuild.
CREATE VIEW report_facts (at, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost) AS
    SELECT completed_at, 'sales', '', 1, member_id IS NOT NULL, item_count, total,
        CASE WHEN member_id IS NOT NULL THEN total ELSE 0 END, discount, tax, rounding, 0 FROM sales
    UNION ALL
    SELECT completed_at, 'cashier', cashier, 1, discount <> 0, 0, total, 0, discount, 0, 0, 0 FROM sales
    UNION ALL
    SELECT s.completed_at, 'tender', t.kind, 1, 0, 0, t.amount, 0, 0, 0, 0, 0 FROM tenders t JOIN sales s ON s.id = t.sale_id
    UNION ALL
    SELECT s.completed_at, 'tax', CAST(l.tax_rate_bp AS TEXT), 0, 0, 0, 0, 0, 0, l.tax, 0, 0
    FROM sale_lines l JOIN sales s ON s.id = l.sale_id
    UNION ALL
    SELECT s.completed_at, 'category', l.category, 0, 0, l.qty, l.total,
        CASE WHEN l.unit_cost > 0 THEN l.total - CASE s.tax_mode WHEN 'inclusive' THEN l.tax ELSE 0 END ELSE 0 END, 0, 0, 0,
        CASE WHEN l.unit_cost > 0 THEN (l.unit_cost * l.qty + 500) / 1000 ELSE 0 END
    FROM sale_lines l JOIN sales s ON s.id = l.sale_id
    UNION ALL
    SELECT at, 'refund', tender_kind, 1, 0, 0, tender_amount, 0, 0, 0, 0, 0 FROM refunds
    UNION ALL
    SELECT at, 'cashier_refund', cashier, 1, 0, 0, tender_amount, 0, 0, 0, 0, 0 FROM refunds
    UNION ALL
    SELECT at, 'topup', tender_kind, 1, 0, 0, amount, 0, 0, 0, 0, 0 FROM topups
    UNION ALL
    SELECT at, 'void', coalesce(payload ->> 'cashier', ''), 1, coalesce(payload ->> 'approved_by', '') <> '', 0, 0, 0, 0, 0, 0, 0
    FROM journal WHERE kind = 'void'
    UNION ALL
    SELECT at, kind, coalesce(CASE kind WHEN 'override' THEN payload ->> 'user' ELSE payload ->> 'cashier' END, ''),
        1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM journal WHERE kind IN ('no_sale', 'override');

CREATE VIEW product_facts (at, product_id, qty, total) AS
    SELECT s.completed_at, l.product_id, l.qty, l.total FROM sale_lines l JOIN sales s ON s.id = l.sale_id;

INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost)
    SELECT substr(at, 1, 13), kind, key, sum(n), sum(n_subset), sum(qty), sum(amount), sum(amount_subset), sum(discount),
        sum(tax), sum(rounding), sum(cost)
    FROM report_facts GROUP BY 1, 2, 3;
INSERT INTO product_hours (hour, product_id, qty, total)
    SELECT substr(at, 1, 13), product_id, sum(qty), sum(total) FROM product_facts GROUP BY 1, 2;

-- The triggers below add each new row to its hour through this view, whose one trigger holds the upsert.
CREATE VIEW report_hours_add AS SELECT * FROM report_hours WHERE 0;
CREATE TRIGGER report_hours_add INSTEAD OF INSERT ON report_hours_add
BEGIN
    INSERT INTO report_hours (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding, cost)
    VALUES (NEW.hour, NEW.kind, NEW.key, coalesce(NEW.n, 0), coalesce(NEW.n_subset, 0), coalesce(NEW.qty, 0),
        coalesce(NEW.amount, 0), coalesce(NEW.amount_subset, 0), coalesce(NEW.discount, 0), coalesce(NEW.tax, 0),
        coalesce(NEW.rounding, 0), coalesce(NEW.cost, 0))
    ON CONFLICT (hour, kind, key) DO UPDATE SET n = n + excluded.n, n_subset = n_subset + excluded.n_subset,
        qty = qty + excluded.qty, amount = amount + excluded.amount, amount_subset = amount_subset + excluded.amount_subset,
        discount = discount + excluded.discount, tax = tax + excluded.tax, rounding = rounding + excluded.rounding,
        cost = cost + excluded.cost;
END;

CREATE TRIGGER sales_report AFTER INSERT ON sales
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n, n_subset, qty, amount, amount_subset, discount, tax, rounding)
    VALUES (substr(NEW.completed_at, 1, 13), 'sales', '', 1, NEW.member_id IS NOT NULL, NEW.item_count, NEW.total,
        CASE WHEN NEW.member_id IS NOT NULL THEN NEW.total ELSE 0 END, NEW.discount, NEW.tax, NEW.rounding);
    INSERT INTO report_hours_add (hour, kind, key, n, n_subset, amount, discount)
    VALUES (substr(NEW.completed_at, 1, 13), 'cashier', NEW.cashier, 1, NEW.discount <> 0, NEW.total, NEW.discount);
END;

-- A sale's member is set after its row is written (Store.chargeMember).
CREATE TRIGGER sales_member_report AFTER UPDATE OF member_id ON sales
WHEN (OLD.member_id IS NULL) <> (NEW.member_id IS NULL)
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n_subset, amount_subset)
    VALUES (substr(NEW.completed_at, 1, 13), 'sales', '', CASE WHEN NEW.member_id IS NULL THEN -1 ELSE 1 END,
        CASE WHEN NEW.member_id IS NULL THEN -NEW.total ELSE NEW.total END);
END;

CREATE TRIGGER tenders_report AFTER INSERT ON tenders
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n, amount)
    SELECT substr(s.completed_at, 1, 13), 'tender', NEW.kind, 1, NEW.amount FROM sales s WHERE s.id = NEW.sale_id;
END;

CREATE TRIGGER sale_lines_report AFTER INSERT ON sale_lines
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, tax)
    SELECT substr(s.completed_at, 1, 13), 'tax', CAST(NEW.tax_rate_bp AS TEXT), NEW.tax FROM sales s WHERE s.id = NEW.sale_id;
    INSERT INTO report_hours_add (hour, kind, key, qty, amount, amount_subset, cost)
    SELECT substr(s.completed_at, 1, 13), 'category', NEW.category, NEW.qty, NEW.total,
        CASE WHEN NEW.unit_cost > 0 THEN NEW.total - CASE s.tax_mode WHEN 'inclusive' THEN NEW.tax ELSE 0 END ELSE 0 END,
        CASE WHEN NEW.unit_cost > 0 THEN (NEW.unit_cost * NEW.qty + 500) / 1000 ELSE 0 END
    FROM sales s WHERE s.id = NEW.sale_id;
END;

CREATE TRIGGER sale_lines_product_report AFTER INSERT ON sale_lines
BEGIN
    INSERT INTO product_hours (hour, product_id, qty, total)
    SELECT substr(s.completed_at, 1, 13), NEW.product_id, NEW.qty, NEW.total FROM sales s WHERE s.id = NEW.sale_id
    ON CONFLICT (hour, product_id) DO UPDATE SET qty = qty + excluded.qty, total = total + excluded.total;
END;

CREATE TRIGGER refunds_report AFTER INSERT ON refunds
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n, amount)
    VALUES (substr(NEW.at, 1, 13), 'refund', NEW.tender_kind, 1, NEW.tender_amount),
        (substr(NEW.at, 1, 13), 'cashier_refund', NEW.cashier, 1, NEW.tender_amount);
END;

CREATE TRIGGER topups_report AFTER INSERT ON topups
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n, amount) VALUES (substr(NEW.at, 1, 13), 'topup', NEW.tender_kind, 1, NEW.amount);
END;

CREATE TRIGGER journal_report AFTER INSERT ON journal WHEN NEW.kind IN ('void', 'no_sale', 'override')
BEGIN
    INSERT INTO report_hours_add (hour, kind, key, n, n_subset)
    VALUES (substr(NEW.at, 1, 13), NEW.kind,
        coalesce(CASE NEW.kind WHEN 'override' THEN NEW.payload ->> 'user' ELSE NEW.payload ->> 'cashier' END, ''), 1,
        NEW.kind = 'void' AND coalesce(NEW.payload ->> 'approved_by', '') <> '');
END;

-- The anomaly baselines read the cashier totals now: this covering index only served them, and every sale paid
-- for it (one more b-tree page per commit). sales_completed_at serves the partial hours.
DROP INDEX sales_cashier_at;

-- A category's Chinese name for the reports, read from the index alone (max over the category's entries)
-- rather than from every product of the category.
DROP INDEX products_category;
CREATE INDEX products_category ON products (category, category_zh);
