-- Search tables tuned for catalog imports (FTS5 keeps these in its config table). automerge 16 (from 4):
-- a level's segments are merged 16 at a time, so a million products are rewritten fewer times on their
-- way to the larger segments. hashsize 64 MiB (from 1 MiB): pending terms go to disk once per import
-- batch, at its commit, rather than in many small segments that are merged at once.
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('automerge', 16);
INSERT INTO product_words (product_words, rank) VALUES ('automerge', 16);
INSERT INTO product_trigrams (product_trigrams, rank) VALUES ('hashsize', 67108864);
INSERT INTO product_words (product_words, rank) VALUES ('hashsize', 67108864);
