-- The product manager offers the categories in use; at a million products that list must come from an
-- index, not a scan.
CREATE INDEX products_category ON products (category);
