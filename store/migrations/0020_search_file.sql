-- The word index (product_words) moves to a file of its own beside the database, PATH-search, written by
-- a connection of its own: a catalog import indexes one batch's words on one core while the next batch's
-- products, barcodes and trigrams are written on the other (issue 6: a million rows at ≥ 50,000 rows/s).
-- The two files commit apart, so the database keeps what the word index may lack: search_pending lists
-- product ids whose words are behind, written in the same transaction as the products, and cleared once
-- the words are committed; the till catches up at its next start. search_file holds the generation the
-- word index was built for: a missing or other index (a restored backup, a copied database) is rebuilt.
DROP TABLE product_words;
CREATE TABLE search_pending (
	first_id INTEGER NOT NULL,
	last_id  INTEGER NOT NULL
) STRICT;
CREATE TABLE search_file (generation TEXT NOT NULL) STRICT;

-- product_trigrams without positions (detail=none): a third less to write in an import. Search finds
-- the names holding every trigram of the query and keeps those holding the query itself (has_text).
DROP TABLE product_trigrams;
CREATE VIRTUAL TABLE product_trigrams USING fts5(name, name_zh, tokenize = 'trigram', content = 'products', content_rowid = 'id', columnsize = 0, detail = none);
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('automerge', 16);
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('hashsize', 67108864);
