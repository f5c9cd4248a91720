-- A category's Chinese name, as the tills' products have it (their migration 0032): imported with the
-- catalog and sent down with each product.
ALTER TABLE products ADD COLUMN category_zh text NOT NULL DEFAULT '';
