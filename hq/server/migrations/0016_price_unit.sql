-- Units as shops price them: what a product's price is for when not its unit, 'jin' (500 g) or '100g',
-- for a product sold by weight; '' for per piece and per kg. A constant default adds the column without
-- rewriting the table, and rows already there keep meaning what they did.
ALTER TABLE products ADD COLUMN price_unit text NOT NULL DEFAULT ''
    CONSTRAINT products_price_unit_check CHECK (price_unit = '' OR (price_unit IN ('jin', '100g') AND unit = 'kg'));
