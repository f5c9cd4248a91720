-- The low-stock list (Store.LowStock) is read after every sync to tell the head office (issue 24 §2), and
-- at 1,000,000 products a scan of the catalog takes 0.2-0.5 s. This partial index holds only the products
-- that list can name: its WHERE is the list's own, term for term, so SQLite knows it covers the query, and
-- a sale or a delivery moves a product in or out of it as on_hand crosses its reorder point.
CREATE INDEX products_low_stock ON products (sku)
    WHERE (on_hand < 0 OR reorder_point > 0 AND on_hand <= reorder_point) AND active = 1;
