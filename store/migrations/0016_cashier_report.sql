-- The anomaly list compares a day with each cashier's previous four weeks (≈ 40,000 sales at 500,000 a
-- year). This index covers what that grouped query reads, so it scans the index alone instead of
-- looking up every sale's row; it serves the day's range scans as sales_completed_at does.
CREATE INDEX sales_cashier_at ON sales (completed_at, cashier, discount, total);
