-- The shopper's signature on a refund (signature.refunds, 电子签名): its strokes as compact JSON, a list of
-- strokes each a list of [x,y] in a 0..1000 box (app/signature), written in the refund's transaction.
-- Its SHA-256 is in the refund's document and journal entry. The picture printed on the merchant's copy
-- is drawn from the strokes whenever it is needed, not kept: drawing is deterministic and cheap, and a
-- stored picture would be a second copy the digest does not cover.
CREATE TABLE refund_signatures (
    refund_id INTEGER PRIMARY KEY REFERENCES refunds (id),
    strokes   TEXT    NOT NULL CHECK (json_valid(strokes) AND json_type(strokes) = 'array')
);
