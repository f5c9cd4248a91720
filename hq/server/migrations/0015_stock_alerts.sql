-- Each till's low-stock list (issue 24 §2): the products its own ledger has at or below their reorder
-- point, as the till last put them (document.StockAlerts' products, checked by document.CheckStockAlerts).
-- The head office cannot work out stock itself, so this is what the till says, kept one row per till and
-- replaced whole by one statement, with when it came.
CREATE TABLE stock_alerts (
    till_id     bigint      PRIMARY KEY REFERENCES tills (id) ON DELETE CASCADE,
    shop_id     bigint      NOT NULL REFERENCES shops (id),
    received_at timestamptz NOT NULL DEFAULT now(),
    products    jsonb       NOT NULL CHECK (jsonb_typeof(products) = 'array')
);

CREATE INDEX stock_alerts_shop ON stock_alerts (shop_id);
