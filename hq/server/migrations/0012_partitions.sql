-- Trading tables partitioned by month (issue 24 §1): documents by the time the till gave them (at), sales by
-- completed_at, each month a partition (documents_y2026m01, sales_y2026m01) and a DEFAULT partition
-- (documents_default, sales_default) for every other time: a till with its clock in 1970 or 2099. Months
-- are UTC months. Old months can be detached and archived (checkout-hq archive-before) without touching
-- the months in use.
--
-- The existing rows are copied into the new tables in this migration's transaction: it takes as long as
-- copying them, and holds both tables meanwhile.
SET LOCAL TimeZone = 'UTC'; -- month arithmetic on timestamptz is done in the session's zone

-- The idempotency key, (shop, document UUID), lives in a table of its own, never partitioned and never
-- archived: a partitioned table's unique key must include its partition key, and a till's time is a claim
-- (the same document sent again with another time must still be a duplicate), and a document of a month
-- archived since must still be answered as held, never stored twice. at finds the document's partition.
CREATE TABLE document_keys (
    shop_id bigint      NOT NULL REFERENCES shops (id),
    id      uuid        NOT NULL,
    at      timestamptz NOT NULL,
    PRIMARY KEY (shop_id, id)
);
INSERT INTO document_keys (shop_id, id, at) SELECT shop_id, id, at FROM documents;

ALTER TABLE documents RENAME TO documents_unpartitioned;
ALTER TABLE sales RENAME TO sales_unpartitioned;

CREATE TABLE documents (
    shop_id     bigint      NOT NULL,
    id          uuid        NOT NULL,
    till_id     bigint      NOT NULL,
    kind        text        NOT NULL,
    till_seq    bigint      NOT NULL,
    at          timestamptz NOT NULL,
    body        jsonb,
    received_at timestamptz NOT NULL DEFAULT now(),
    version     integer     NOT NULL DEFAULT 1,
    status      text        NOT NULL DEFAULT 'accepted' CONSTRAINT documents_status_check CHECK (status IN ('accepted', 'rejected')),
    reason      text        NOT NULL DEFAULT '',
    raw         bytea,
    CONSTRAINT documents_accepted_have_body CHECK ((status = 'accepted') = (body IS NOT NULL))
) PARTITION BY RANGE (at);
CREATE TABLE documents_default PARTITION OF documents DEFAULT;

CREATE TABLE sales (
    shop_id      bigint         NOT NULL,
    id           uuid           NOT NULL,
    till_id      bigint         NOT NULL,
    receipt_no   text           NOT NULL,
    completed_at timestamptz    NOT NULL,
    currency     text           NOT NULL,
    total        numeric(20, 4) NOT NULL
) PARTITION BY RANGE (completed_at);
CREATE TABLE sales_default PARTITION OF sales DEFAULT;

-- trading_month adds the month holding m (UTC) to both tables, if it has no partition yet: a table of
-- the parent's shape, the month's rows moved into it from the DEFAULT partition (a till's clock may have
-- put some there), attached. The head office calls it for the current month and the next few (server.go),
-- never for a time a till sent.
CREATE FUNCTION trading_month(m timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    lo   timestamptz := date_trunc('month', m, 'UTC');
    hi   timestamptz := (date_trunc('month', m, 'UTC') AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
    t    text;
    col  text;
    part text;
BEGIN
    FOREACH t IN ARRAY ARRAY['documents', 'sales'] LOOP
        part := t || to_char(lo AT TIME ZONE 'UTC', '"_y"YYYY"m"MM');
        IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = t::regclass AND c.relname = part) THEN
            CONTINUE;
        END IF;
        col := CASE t WHEN 'documents' THEN 'at' ELSE 'completed_at' END;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, t);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
            t || '_default', col, col, part) USING lo, hi;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', t, part, lo, hi);
    END LOOP;
END $$;

-- A month for every month the existing rows are in, within the last ten years and the next three months
-- (a till's clock gone wrong before this migration must not make hundreds of partitions: those rows go
-- to DEFAULT), and the current month and the next three.
SELECT trading_month(m) FROM (
    SELECT date_trunc('month', at, 'UTC') AS m FROM documents_unpartitioned
    UNION SELECT date_trunc('month', completed_at, 'UTC') FROM sales_unpartitioned
    UNION SELECT generate_series(date_trunc('month', now(), 'UTC'), date_trunc('month', now(), 'UTC') + interval '3 months', interval '1 month')
) months
WHERE m >= date_trunc('month', now(), 'UTC') - interval '10 years' AND m <= date_trunc('month', now(), 'UTC') + interval '3 months'
ORDER BY m;

INSERT INTO documents SELECT shop_id, id, till_id, kind, till_seq, at, body, received_at, version, status, reason, raw FROM documents_unpartitioned;
INSERT INTO sales SELECT shop_id, id, till_id, receipt_no, completed_at, currency, total FROM sales_unpartitioned;
DROP TABLE documents_unpartitioned;
DROP TABLE sales_unpartitioned;

-- Keys, foreign keys and indexes as before, on every partition (partitioned indexes): the keys now
-- include the partition key; (shop, id) alone is unique in document_keys.
ALTER TABLE documents ADD CONSTRAINT documents_pkey PRIMARY KEY (shop_id, id, at);
ALTER TABLE documents ADD CONSTRAINT documents_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES shops (id);
ALTER TABLE documents ADD CONSTRAINT documents_till_id_fkey FOREIGN KEY (till_id) REFERENCES tills (id);
CREATE INDEX documents_till_seq ON documents (till_id, till_seq);
CREATE INDEX documents_rejected ON documents (till_id, till_seq) WHERE status = 'rejected';
CREATE INDEX documents_refunds_of_sale ON documents (shop_id, (body->>'sale_receipt_no')) WHERE kind = 'refund' AND status = 'accepted';
CREATE INDEX documents_alarms ON documents (at DESC) WHERE kind = 'alarm' AND status = 'accepted';
CREATE INDEX documents_refunds_at ON documents (shop_id, at) WHERE kind = 'refund' AND status = 'accepted';

ALTER TABLE sales ADD CONSTRAINT sales_pkey PRIMARY KEY (shop_id, id, completed_at);
ALTER TABLE sales ADD CONSTRAINT sales_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES shops (id);
ALTER TABLE sales ADD CONSTRAINT sales_till_id_fkey FOREIGN KEY (till_id) REFERENCES tills (id);
CREATE INDEX sales_receipt ON sales (shop_id, receipt_no);
CREATE INDEX sales_shop_completed ON sales (shop_id, completed_at) INCLUDE (total, currency);
