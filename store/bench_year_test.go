package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"checkout/app"
	"checkout/app/document"
	"checkout/cmd/benchtable/idle"
)

// Benchmarks over a generated year of sales: the day's summary, the X and Z reports, verify-journal.

// benchSales is the size of the generated year of sales: 500,000 (≈ 1,370 a day, 3,000,000 lines), or
// CHECKOUT_BENCH_SALES for a quick run.
func benchSales(b *testing.B) int {
	if v := os.Getenv("CHECKOUT_BENCH_SALES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < benchDays {
			b.Fatalf("CHECKOUT_BENCH_SALES=%q: a sale count of at least %d", v, benchDays)
		}
		return n
	}
	return 500_000
}

const (
	benchDays     = 365
	benchProducts = 5_000
)

var (
	yearOnce  sync.Once
	yearDir   string
	yearErr   error
	yearStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.Local)
)

// yearStore returns a store holding a generated year of sales from yearStart, built once per run.
func yearStore(b *testing.B) *Store {
	n := benchSales(b)
	yearOnce.Do(func() {
		if yearDir, yearErr = os.MkdirTemp("", "checkout-year-"); yearErr != nil {
			return
		}
		var s *Store
		if s, yearErr = Open(context.Background(), filepath.Join(yearDir, "year.db")); yearErr != nil {
			return
		}
		defer s.Close()
		start := time.Now()
		yearErr = generateYear(context.Background(), s, n)
		fmt.Fprintf(os.Stderr, "generated %d sales over %d days in %v\n", n, benchDays, time.Since(start).Round(time.Millisecond))
	})
	if yearErr != nil {
		b.Fatal(yearErr)
	}
	s, err := Open(context.Background(), filepath.Join(yearDir, "year.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// generateYear writes n sales spread evenly over benchDays shop days (8:00 to 22:00 local), about six
// lines each, one tender each (half cash with change, card, wallet, prepaid), four cashiers
// (benchCashier), a discount on every 10th sale, a refund of every 250th sale, a void every 100th (every
// 5th of them approved after payment) and a no-sale every 300th (every other one an approval instead).
// Rows are made by SQLite itself from recursive counters, 20,000 sales to a transaction: going through
// CommitSale would take an hour of fsyncs. The journal rows are not chained: the benchmark store's
// journal does not verify.
func generateYear(ctx context.Context, s *Store, n int) error {
	perDay := (n + benchDays - 1) / benchDays
	epoch := yearStart.Unix()
	// completed_at of sale id: its day, then evenly over the 14 open hours.
	at := fmt.Sprintf(`strftime('%%Y-%%m-%%dT%%H:%%M:%%S', %d + ((id - 1) / %d) * 86400 + 28800 + ((id - 1) %% %d) * 50400 / %d, 'unixepoch') || '.000000Z'`,
		epoch, perDay, perDay, perDay)
	setup := fmt.Sprintf(`
		INSERT INTO products (id, sku, name, category, price, cost, unit, tax_class)
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
		SELECT i, 'YR-' || i, 'Product ' || i, '["drinks","snacks","dairy","produce","bakery","household","frozen","tobacco"]' ->> (i %% 8),
			100 + (i * 37) %% 2000, CASE WHEN i %% 5 = 0 THEN 0 ELSE (100 + (i * 37) %% 2000) * 7 / 10 END, 'piece',
			CASE WHEN i %% 8 = 3 THEN 'reduced' ELSE 'standard' END FROM c;
		INSERT INTO members (id, number, name, created_at) VALUES (1, 'M0001', 'Bench member', '2025-01-01T00:00:00.000000Z');`,
		benchProducts)
	if err := s.write(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, setup); return err }); err != nil {
		return fmt.Errorf("products: %w", err)
	}
	const batch = 20_000
	for lo := 1; lo <= n; lo += batch {
		hi := min(lo+batch-1, n)
		err := s.write(ctx, func(tx *sql.Tx) error {
			for _, q := range []string{
				`INSERT INTO sales (id, uuid, till, receipt_no, opened_at, completed_at, currency, tax_mode, subtotal, discount, tax,
					total, rounding, item_count, member_id, member_number, cashier)
				WITH RECURSIVE c(id) AS (SELECT ?1 UNION ALL SELECT id + 1 FROM c WHERE id < ?2)
				SELECT id, 'bench-' || id, 'T01', printf('T01-%06d', id), ` + at + `, ` + at + `, 'CNY', 'inclusive', 0,
					CASE WHEN id % 10 = 0 THEN 50 ELSE 0 END, 0, 0, 0, 0,
					CASE WHEN id % 5 = 0 THEN 1 END, CASE WHEN id % 5 = 0 THEN 'M0001' ELSE '' END, ` + benchCashier + ` FROM c`,
				`INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, name_zh, qty, unit, unit_price, gross, discount, total,
					tax_class, tax_rate_bp, tax, category, unit_cost)
				WITH RECURSIVE c(id) AS (SELECT ?1 UNION ALL SELECT id + 1 FROM c WHERE id < ?2),
					j(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM j WHERE n < 11),
					l(sale_id, line_no, product_id, qty) AS (SELECT id, n, 1 + (id * 131 + n * 977) % ` + strconv.Itoa(benchProducts) + `,
						CASE WHEN (id + n) % 4 = 0 THEN 2000 ELSE 1000 END FROM c JOIN j ON n <= 1 + (id * 7) % 11)
				SELECT l.sale_id, l.line_no, p.id, p.sku, p.name, '', l.qty, 'piece', p.price, p.price * l.qty / 1000, 0,
					p.price * l.qty / 1000, p.tax_class, CASE p.tax_class WHEN 'reduced' THEN 900 ELSE 1300 END,
					p.price * l.qty / 1000 * CASE p.tax_class WHEN 'reduced' THEN 900 ELSE 1300 END
						/ (10000 + CASE p.tax_class WHEN 'reduced' THEN 900 ELSE 1300 END), p.category, p.cost
				FROM l JOIN products p ON p.id = l.product_id`,
				`UPDATE sales SET subtotal = l.total, total = l.total, tax = l.tax, item_count = l.items
				FROM (SELECT sale_id, sum(total) AS total, sum(tax) AS tax, sum(qty) / 1000 AS items FROM sale_lines
					WHERE sale_id BETWEEN ?1 AND ?2 GROUP BY sale_id) AS l WHERE sales.id = l.sale_id`,
				`INSERT INTO tenders (sale_id, seq, kind, amount, tendered, change)
				SELECT id, 1, k, total, CASE k WHEN 'cash' THEN (total / 5000 + 1) * 5000 ELSE total END,
					CASE k WHEN 'cash' THEN (total / 5000 + 1) * 5000 - total ELSE 0 END
				FROM (SELECT id, total, CASE WHEN id % 20 < 10 THEN 'cash' WHEN id % 20 < 16 THEN 'card'
					WHEN id % 20 < 19 THEN 'wallet' ELSE 'prepaid' END AS k FROM sales WHERE id BETWEEN ?1 AND ?2)`,
				`INSERT INTO refunds (id, uuid, till, receipt_no, sale_id, at, currency, reason, total, tax, rounding, tender_kind, tender_amount,
					cashier)
				SELECT s.id / 250, 'bench-r' || s.id, 'T01', printf('T01-R%06d', s.id / 250), s.id, s.completed_at, 'CNY', 'bench',
					l.total, l.tax, 0, CASE WHEN s.id % 500 = 0 THEN 'card' ELSE 'cash' END, l.total, s.cashier
				FROM sales s JOIN sale_lines l ON l.sale_id = s.id AND l.line_no = 1 WHERE s.id BETWEEN ?1 AND ?2 AND s.id % 250 = 0`,
				`INSERT INTO refund_lines (refund_id, sale_id, line_no, qty, total, tax)
				SELECT s.id / 250, s.id, 1, l.qty, l.total, l.tax
				FROM sales s JOIN sale_lines l ON l.sale_id = s.id AND l.line_no = 1 WHERE s.id BETWEEN ?1 AND ?2 AND s.id % 250 = 0`,
				`INSERT INTO journal (seq, at, kind, payload, prev_hash, hash)
				SELECT coalesce((SELECT max(seq) FROM journal), 0) + row_number() OVER (ORDER BY id), completed_at, 'void',
					json_object('cashier', cashier, 'approved_by', CASE WHEN id % 500 = 0 THEN 'Owner' END), '', ''
				FROM sales WHERE id BETWEEN ?1 AND ?2 AND id % 100 = 0`,
				`INSERT INTO journal (seq, at, kind, payload, prev_hash, hash)
				SELECT coalesce((SELECT max(seq) FROM journal), 0) + row_number() OVER (ORDER BY id), completed_at,
					CASE WHEN id % 600 = 0 THEN 'override' ELSE 'no_sale' END,
					CASE WHEN id % 600 = 0 THEN json_object('user', cashier, 'approved_by', 'Owner')
						ELSE json_object('cashier', cashier, 'reason', 'change') END, '', ''
				FROM sales WHERE id BETWEEN ?1 AND ?2 AND id % 300 = 0`,
			} {
				if _, err := tx.ExecContext(ctx, q, lo, hi); err != nil {
					return fmt.Errorf("%.60s…: %w", strings.TrimSpace(q), err)
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sales %d–%d: %w", lo, hi, err)
		}
	}
	// The sales were written with no total and then updated: the report totals are rebuilt from the rows.
	if _, err := s.RebuildReportTotals(ctx); err != nil {
		return err
	}
	// The rows were numbered here, not by the counters: bring them up to the numbers used.
	_, err := s.w.ExecContext(ctx, `UPDATE receipt_counters SET last = (SELECT coalesce(max(id), 0) FROM sales) WHERE kind = 'sale';
		UPDATE receipt_counters SET last = (SELECT coalesce(max(id), 0) FROM refunds) WHERE kind = 'refund'; ANALYZE`)
	return err
}

// benchCashier names a generated sale's cashier: four, taking turns in runs of seven sales.
const benchCashier = `'["Ann","Bob","Cai","Dee"]' ->> ((id / 7) % 4)`

// benchDay returns the local bounds of the generated year's day d.
func benchDay(d int) (time.Time, time.Time) { return app.DayBounds(yearStart.AddDate(0, 0, d)) }

func millis(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// BenchmarkDaySummary measures the owner's dashboard for one day over a year of sales (500,000 sales,
// 3,000,000 lines), a different day each time, from the report totals (whole hours) and the rows (partial
// ones). Target (issue 26): p95 < 30 ms.
func BenchmarkDaySummary(b *testing.B) {
	s := yearStore(b)
	ctx := context.Background()
	lat := make(latencies, 0, b.N)
	var sales int64
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from, to := benchDay((i * 97) % benchDays)
		start := time.Now()
		sum, err := s.DaySummary(ctx, from, to)
		lat = append(lat, time.Since(start))
		if err != nil || sum.Sales == 0 || len(sum.TopProducts) != app.TopProductsLimit {
			b.Fatalf("day %v: %d sales, %d top products, %v", from, sum.Sales, len(sum.TopProducts), err)
		}
		sales += sum.Sales
	}
	b.ReportMetric(millis(lat.quantile(0.5)), "p50-ms")
	b.ReportMetric(millis(lat.quantile(0.95)), "p95-ms")
	b.ReportMetric(millis(lat.quantile(0.99)), "p99-ms")
	b.ReportMetric(float64(sales)/float64(b.N), "sales/day")
}

// BenchmarkDaySummaryPage measures what the back office's day page loads for one day (DayPage): the day's
// summary (with its figures by cashier), the same weekday last week's, and the anomaly list (four weeks
// of each cashier's figures), read at once. Target (issue 26): p95 < 30 ms. anomalies-* time the anomaly
// list on its own, as the X report reads it.
func BenchmarkDaySummaryPage(b *testing.B) {
	s := yearStore(b)
	ctx := context.Background()
	lat, unusual := make(latencies, 0, b.N), make(latencies, 0, b.N)
	var flagged int
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from, to := benchDay(35 + (i*97)%(benchDays-35)) // days with four weeks of history
		start := time.Now()
		page, err := s.DayPage(ctx, from, to)
		lat = append(lat, time.Since(start))
		if err != nil || len(page.Day.ByCashier) != 4 || page.Day.ByCashier[0].Cashier != "Ann" || page.Compared.Sales == 0 {
			b.Fatalf("day %v: %+v, %v", from, page.Day.ByCashier, err)
		}
		b.StopTimer()
		started := time.Now()
		anomalies, err := s.Anomalies(ctx, page.Day)
		unusual = append(unusual, time.Since(started))
		if err != nil || !reflect.DeepEqual(anomalies, page.Anomalies) {
			b.Fatalf("day %v: anomalies %+v, on the page %+v, %v", from, anomalies, page.Anomalies, err)
		}
		b.StartTimer()
		flagged += len(anomalies)
	}
	b.ReportMetric(millis(lat.quantile(0.5)), "p50-ms")
	b.ReportMetric(millis(lat.quantile(0.95)), "p95-ms")
	b.ReportMetric(millis(lat.quantile(0.99)), "p99-ms")
	b.ReportMetric(millis(unusual.quantile(0.5)), "anomalies-p50-ms")
	b.ReportMetric(millis(unusual.quantile(0.95)), "anomalies-p95-ms")
	b.ReportMetric(float64(flagged)/float64(b.N), "anomalies/day")
}

// BenchmarkZReport closes the generated year day by day: the X report at the day's end (the Z's figures,
// nothing stored), then the Z report itself (figures, row, journal entry, outbox row, one durable
// transaction). Each run continues from the last day closed; the year allows 365 in all, so make bench
// runs it at 100x: -count 3 closes 3 × 101 days (go test first runs every benchmark once with b.N 1).
// Target (issue 26): p95 < 30 ms each.
func BenchmarkZReport(b *testing.B) {
	s := yearStore(b)
	ctx := context.Background()
	first := int(count(b, s, "zreports"))
	if first+b.N > benchDays {
		b.Fatalf("%d days closed already: the year has %d", first, benchDays)
	}
	xs, zs := make(latencies, 0, b.N), make(latencies, 0, b.N)
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, end := benchDay(first + i)
		start := time.Now()
		x, err := s.XReport(ctx, end)
		xs = append(xs, time.Since(start))
		if err != nil || x.Sales == 0 {
			b.Fatalf("X report to %v: %d sales, %v", end, x.Sales, err)
		}
		start = time.Now()
		z, err := s.CloseDay(ctx, end, "bench")
		zs = append(zs, time.Since(start))
		if err != nil || z.Summary.Sales != x.Sales || z.Summary.Revenue != x.Revenue {
			b.Fatalf("Z report to %v: %+v, %v (X said %d sales)", end, z, err, x.Sales)
		}
	}
	b.ReportMetric(millis(xs.quantile(0.5)), "x-p50-ms")
	b.ReportMetric(millis(xs.quantile(0.95)), "x-p95-ms")
	b.ReportMetric(millis(zs.quantile(0.5)), "z-p50-ms")
	b.ReportMetric(millis(zs.quantile(0.95)), "z-p95-ms")
}

var (
	journaledOnce sync.Once
	journaledDir  string
	journaledErr  error
)

// journaledYearStore returns a keyed store holding the generated year (generateYear) as the till would
// have journaled it: every sale and refund with its entry, chained, and each member sale earning points
// (total / 100) with its ledger row. Built once per run; it takes about as long as verifying it.
func journaledYearStore(b *testing.B) *Store {
	n := benchSales(b)
	journaledOnce.Do(func() {
		if journaledDir, journaledErr = os.MkdirTemp("", "checkout-journaled-"); journaledErr != nil {
			return
		}
		ctx := context.Background()
		var s *Store
		if s, journaledErr = Open(ctx, filepath.Join(journaledDir, "year.db"), WithJournalKey(tillJournalKey, true)); journaledErr != nil {
			return
		}
		defer s.Close()
		start := time.Now()
		if journaledErr = generateYear(ctx, s, n); journaledErr == nil {
			journaledErr = journalYear(ctx, s, n)
		}
		if journaledErr == nil { // the voids and no-sales journalYear dropped are out of the report totals too
			_, journaledErr = s.RebuildReportTotals(ctx)
		}
		fmt.Fprintf(os.Stderr, "generated and journaled %d sales in %v\n", n, time.Since(start).Round(time.Millisecond))
	})
	if journaledErr != nil {
		b.Fatal(journaledErr)
	}
	s, err := Open(context.Background(), filepath.Join(journaledDir, "year.db"), WithJournalKey(tillJournalKey, false))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// journalYear journals the generated year's n sales and their refunds in order, 5,000 sales to a
// transaction, starting the journal again (generateYear's voids and no-sales are not chained).
func journalYear(ctx context.Context, s *Store, n int) error {
	if _, err := s.w.ExecContext(ctx, `DROP TRIGGER journal_append_only_delete; DELETE FROM journal;
		CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
		UPDATE sales SET points_earned = total / 100 WHERE member_id IS NOT NULL`); err != nil {
		return err
	}
	const batch = 5_000
	for lo := 1; lo <= n; lo += batch {
		err := s.write(ctx, func(tx *sql.Tx) error {
			hi := min(lo+batch-1, n)
			sales, err := s.readSales(ctx, `id BETWEEN ? AND ?`, lo, hi)
			if err != nil {
				return err
			}
			refunds, err := s.readRefunds(ctx, `r.sale_id BETWEEN ? AND ?`, lo, hi)
			if err != nil {
				return err
			}
			for _, sale := range sales {
				seq, err := s.nextSeq(ctx, tx)
				if err != nil {
					return err
				}
				if err := postMember(ctx, tx, seq, saleLedger(sale)); err != nil {
					return err
				}
				if err := s.appendJournal(ctx, tx, sale.CompletedAt, "sale", newSaleEntry(sale)); err != nil {
					return err
				}
				for ; len(refunds) > 0 && refunds[0].SaleID == sale.ID; refunds = refunds[1:] {
					r := refunds[0]
					if err := s.appendJournal(ctx, tx, r.At, "refund", document.RefundEntry{ID: r.ID, ReceiptNo: r.ReceiptNo,
						SaleReceipt: r.SaleReceipt, Total: r.Total.Decimal(), Tender: string(r.Tender.Kind), Currency: r.Currency.Code,
						DocSHA256: refundDocHash(&r)}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("journal sales %d–: %w", lo, err)
		}
	}
	return nil
}

// BenchmarkVerifyJournal verifies the journaled year whole (journaledYearStore): the keyed chain, every
// sale's and refund's document rebuilt from its rows, the rows bound to the journal and the receipt
// numbers.
func BenchmarkVerifyJournal(b *testing.B) {
	s := journaledYearStore(b)
	ctx := context.Background()
	rows := count(b, s, "journal")
	lat := make(latencies, 0, b.N)
	idle.Wait(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		n, err := s.VerifyJournal(ctx)
		lat = append(lat, time.Since(start))
		if err != nil || n != rows {
			b.Fatalf("verified %d of %d rows: %v", n, rows, err)
		}
	}
	b.ReportMetric(lat.quantile(0.5).Seconds(), "verify-s")
	b.ReportMetric(float64(rows)/lat.quantile(0.5).Seconds(), "rows/s")
}
