-- Leaner search tables for catalog imports (issue 6); what they match is unchanged. product_trigrams
-- indexes products' own name columns (external content, no copy), without the per-row sizes FTS5 keeps
-- for ranking: search ranks in Go. product_words keeps no copy of the words (contentless; deletable, which
-- needs its row sizes). Its prefix indexes stay: without those of 4 to 6 characters, a prefix such as
-- "lemon" merged the rowids of every term it starts, 20-40 ms at a million products. Open refills both
-- for the products already there.
DROP TABLE product_trigrams;
DROP TABLE product_words;
CREATE VIRTUAL TABLE product_trigrams USING fts5(name, name_zh, tokenize = 'trigram', content = 'products', content_rowid = 'id', columnsize = 0);
CREATE VIRTUAL TABLE product_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6', detail = none, content = '', contentless_delete = 1);
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('automerge', 16);
INSERT INTO product_words (product_words, rank) VALUES ('automerge', 16);
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('hashsize', 67108864);
INSERT INTO product_words (product_words, rank) VALUES ('hashsize', 67108864);
