-- The release each till last named in its requests' User-Agent ("checkout/1.2.3": api.TillVersion), for
-- the owner's list of tills; '' until it names one. Written only when it changes.
ALTER TABLE tills ADD COLUMN version text NOT NULL DEFAULT '' CHECK (length(version) <= 40);
