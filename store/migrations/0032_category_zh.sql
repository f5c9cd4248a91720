-- A category's Chinese name, beside its key: the day page, the PDF and the Z report show it under
-- zh-Hans. Empty until a catalog file or the head office gives one; the key is shown then.
ALTER TABLE products ADD COLUMN category_zh TEXT NOT NULL DEFAULT '';
