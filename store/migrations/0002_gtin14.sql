-- Barcodes that are GTINs are kept in their 14-digit form (app/barcode.NormalizeGTIN), so a product
-- stored as UPC-A is found when scanned as EAN-13 with a leading 0, or as GTIN-14 from a GS1 code.
-- The catalog import refused GTINs with a bad check digit, so every 8, 12 and 13-digit code here is one.
UPDATE OR IGNORE barcodes SET code = substr('000000', 1, 14 - length(code)) || code
WHERE length(code) IN (8, 12, 13) AND code NOT GLOB '*[^0-9]*';
