-- The product manager offers the categories in use, and shows a product's latest stock movements; at a
-- million products and a year of sales both must come from an index, not a scan.
CREATE INDEX products_category ON products (category);
CREATE INDEX sale_lines_by_product ON sale_lines (product_id);
