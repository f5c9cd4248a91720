-- Each till's journal chain, anchored at the head office. A till registers its journal key (derived from
-- its till.key) when it enrols, with the head of its journal then: the anchor. Every upload continues the
-- chain from the head the head office holds, each link checked with the key; a gap, a fork or a rewrite
-- is refused. The links are kept, so a till can ask for any of them to compare its own journal with.
ALTER TABLE tills ADD COLUMN journal_key bytea;
ALTER TABLE tills ADD COLUMN anchor_seq  bigint NOT NULL DEFAULT 0;
ALTER TABLE tills ADD COLUMN anchor_hash text   NOT NULL DEFAULT '';
ALTER TABLE tills ADD COLUMN head_seq    bigint NOT NULL DEFAULT 0;
ALTER TABLE tills ADD COLUMN head_hash   text   NOT NULL DEFAULT '';

CREATE TABLE journal_links (
    till_id   bigint NOT NULL REFERENCES tills (id),
    seq       bigint NOT NULL,
    at        text   NOT NULL,
    kind      text   NOT NULL,
    payload   text   NOT NULL,
    prev_hash text   NOT NULL,
    hash      text   NOT NULL,
    PRIMARY KEY (till_id, seq)
);
