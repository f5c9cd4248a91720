-- Units as shops price them: a weighed product (unit 'kg', quantities in grams) may be priced per 斤
-- (500 g) or per 100 g. Added as nullable columns, NULL meaning "per the unit" (a piece, a kilogram): ADD
-- COLUMN only changes the schema, where rebuilding products to widen 0001's CHECK on unit would rewrite a
-- million rows and their indexes. The CHECKs reject an unknown price unit, and one on a product not sold
-- by weight, so a store can never hold a price it would charge per the wrong amount.
ALTER TABLE products ADD COLUMN price_unit TEXT CHECK (price_unit IS NULL OR (price_unit IN ('jin', '100g') AND unit = 'kg'));

-- A sale line remembers the unit its unit_price was for, so reprinted receipts, refunds, exports and the
-- documents rebuilt from the rows say /斤 whatever the product is priced per today.
ALTER TABLE sale_lines ADD COLUMN price_unit TEXT CHECK (price_unit IS NULL OR (price_unit IN ('jin', '100g') AND unit = 'kg'));
