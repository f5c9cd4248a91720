-- Merchant-presented payment orders the till gave up on (the shopper did not pay in time, the cashier
-- pressed Esc, or the payment came but could not be taken): a code may still be paid after that (Alipay
-- keeps an unscanned code payable for a while, WeChat cannot close an order in its first minutes), so
-- each is asked about until `until`, and reversed if it was paid. Rows go once settled.
CREATE TABLE payment_watch (
    reference  TEXT    PRIMARY KEY,
    amount     INTEGER NOT NULL,
    currency   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    until      TEXT    NOT NULL
);
