-- A catalog import of many batches leaves its products' trigrams to one pass at its end (issue 26): a
-- batch at a time, FTS5 wrote a segment per batch and spent much of the import merging them. A
-- search_pending row with trigrams = 1 lists products whose trigrams are behind (not their words, which
-- have rows of their own), written in the transaction that adds the products, so an import killed before
-- its end has them indexed at the next start.
ALTER TABLE search_pending ADD COLUMN trigrams INTEGER NOT NULL DEFAULT 0 CHECK (trigrams IN (0, 1));
