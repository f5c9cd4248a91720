-- Product search at a million products. product_trigrams finds any substring of three or more characters
-- of a name (Latin or Chinese). product_words finds prefixes of words: Latin words, the SKU, the Chinese
-- name's pinyin (syllables, run together, and initials: 可口可乐 → ke kou ke le, kekoukele, kkkl) and its
-- one- and two-character pieces, which trigrams cannot match. Both are keyed by product id and written
-- by the store with the product (pinyin comes from Go); Open fills them for products added before them.
CREATE VIRTUAL TABLE product_trigrams USING fts5(name, name_zh, tokenize = 'trigram');
CREATE VIRTUAL TABLE product_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6', detail = none);
