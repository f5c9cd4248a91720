-- Units as shops price them: a weighed product (unit 'kg', quantities in grams) may be priced per 斤
-- (500 g) or per 100 g. A nullable column, NULL meaning "per the unit" (a piece, a kilogram): ADD COLUMN
-- only changes the schema, where rebuilding products to widen 0001's CHECK on unit would rewrite a
-- million rows and their indexes. The rule is kept by triggers rather than a CHECK on the added column:
-- SQLite checks such a CHECK against every existing row as it adds it (1.2–1.7 s per million rows,
-- measured), for products and again for a year of sale lines, where triggers cost nothing to add. They
-- refuse an unknown price unit, and one on a product not sold by weight, so a store can never hold a
-- price it would charge per the wrong amount.
ALTER TABLE products ADD COLUMN price_unit TEXT;

CREATE TRIGGER products_price_unit_insert BEFORE INSERT ON products
WHEN NEW.price_unit IS NOT NULL AND NOT (NEW.price_unit IN ('jin', '100g') AND NEW.unit = 'kg')
BEGIN
    SELECT RAISE(ABORT, 'price_unit: jin or 100g, of a product sold by weight');
END;

CREATE TRIGGER products_price_unit_update BEFORE UPDATE OF price_unit, unit ON products
WHEN NEW.price_unit IS NOT NULL AND NOT (NEW.price_unit IN ('jin', '100g') AND NEW.unit = 'kg')
BEGIN
    SELECT RAISE(ABORT, 'price_unit: jin or 100g, of a product sold by weight');
END;

-- A sale line remembers the unit its unit_price was for, so reprinted receipts, refunds, exports and the
-- documents rebuilt from the rows say /斤 whatever the product is priced per today. The till writes a
-- line's price_unit once, with the line, and never changes it.
ALTER TABLE sale_lines ADD COLUMN price_unit TEXT;

CREATE TRIGGER sale_lines_price_unit BEFORE INSERT ON sale_lines
WHEN NEW.price_unit IS NOT NULL AND NOT (NEW.price_unit IN ('jin', '100g') AND NEW.unit = 'kg')
BEGIN
    SELECT RAISE(ABORT, 'price_unit: jin or 100g, of a line sold by weight');
END;
