package server

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"checkout/app"
	"checkout/app/money"
)

// The dashboard's figures, read from what the tills uploaded and the head office accepted: the sales
// table (one row per accepted sale, its total as the document says) and the accepted refund documents.
// A day is local midnight to midnight in the server's time zone (TZ). Every query names the shops the
// user sees and a time range, which the indexes sales_shop_completed and documents_refunds_at serve, in
// the month's partition (migration 0012). A sale's document is found through document_keys, whose at
// names the document's partition.

// figures are a shop's (or the chain's) takings in one currency over one period.
type figures struct {
	Sales   int64
	Revenue money.Amount
	Refunds int64
	Refund  money.Amount // what the refunds' lines were worth
}

// Basket is the average sale, rounded half-even; zero with no sales.
func (f figures) Basket() money.Amount {
	if f.Sales == 0 {
		return f.Revenue
	}
	avg, _ := money.MulDiv(f.Revenue.Minor(), 1, f.Sales)
	return money.New(avg, f.Revenue.Currency())
}

func (f *figures) add(g figures) {
	f.Sales += g.Sales
	f.Revenue = f.Revenue.Add(g.Revenue)
	f.Refunds += g.Refunds
	f.Refund = f.Refund.Add(g.Refund)
}

func zeroFigures(c money.Currency) figures {
	return figures{Revenue: money.Zero(c), Refund: money.Zero(c)}
}

// shopFigures are one shop's figures in one currency in a period (Now) and in the period it is set
// against (Then: app.ComparedPeriod, up to the same moment while the period is under way).
type shopFigures struct {
	Shop       string
	Now, Then  figures
	currencyOf money.Currency
}

// chainDay is the chain's period: a row per shop (and currency) and a total per currency.
type chainDay struct {
	Shops  []shopFigures
	Totals []shopFigures // Shop is empty
}

// span is the period a page shows, [From, To), and the period it is set against, [CFrom, CTo), by the
// till's own rules (app.Period, app.ComparedPeriod, app.SameMomentIn): a day against the same weekday a
// week before, a week against the week before, a month against the month before. While the period is
// under way, its figures are set against the compared period up to the same moment (CSoFar); after it,
// CSoFar is CTo.
type span struct {
	Period             app.Period
	From, To           time.Time
	CFrom, CTo, CSoFar time.Time
}

// newSpan is the period p holding date (in date's location), seen at now.
func newSpan(p app.Period, date, now time.Time) span {
	s := span{Period: p}
	s.From, s.To = p.Bounds(date)
	s.CFrom, s.CTo = app.ComparedPeriod(s.From, s.To)
	s.CSoFar = s.CTo
	if now.After(s.From) && now.Before(s.To) {
		s.CSoFar = app.SameMomentIn(s.From, now, s.CFrom, s.CTo)
	}
	return s
}

// UnderWay reports whether the period had not ended when the page was read.
func (s span) UnderWay() bool { return s.CSoFar.Before(s.CTo) }

// bounds are the chart's bars over [from, to): hours for a day (a day with a clock change has 23 or
// 25), local days for a week or a month. They run from from to to, both included.
func (s span) bounds(from, to time.Time) []time.Time {
	b := []time.Time{from}
	for t := from; t.Before(to); {
		if s.Period == app.PeriodDay {
			t = t.Add(time.Hour)
		} else {
			t = t.AddDate(0, 0, 1)
		}
		if t.After(to) {
			t = to
		}
		b = append(b, t)
	}
	return b
}

// amountOf reads a sum PostgreSQL gave as numeric text ("12.5000") as an amount of c: the sum of amounts
// each with c's decimals has no more, so the zeros past them are dropped, never rounded.
func amountOf(sum string, c money.Currency) (money.Amount, error) {
	if whole, frac, ok := strings.Cut(sum, "."); ok {
		frac = strings.TrimRight(frac, "0")
		if len(frac) < c.Exponent {
			frac += strings.Repeat("0", c.Exponent-len(frac))
		}
		sum = whole
		if frac != "" {
			sum += "." + frac
		}
	}
	return money.Parse(sum, c)
}

type figureKey struct {
	shop     int64
	currency string
}

// dayFigures sums the shops' accepted sales and refunds in [from, to) by shop and currency.
func (d *dashboard) dayFigures(ctx context.Context, shops []int64, from, to time.Time) (map[figureKey]figures, error) {
	out := map[figureKey]figures{}
	scan := func(sql string, add func(f *figures, n int64, sum money.Amount)) error {
		rows, err := d.figures.Query(ctx, sql, shops, from, to)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k figureKey
			var n int64
			var sum string
			if err := rows.Scan(&k.shop, &k.currency, &n, &sum); err != nil {
				return err
			}
			cur, err := money.Lookup(k.currency)
			if err != nil {
				return err
			}
			a, err := amountOf(sum, cur)
			if err != nil {
				return fmt.Errorf("shop %d: %w", k.shop, err)
			}
			f, ok := out[k]
			if !ok {
				f = zeroFigures(cur)
			}
			add(&f, n, a)
			out[k] = f
		}
		return rows.Err()
	}
	err := scan(`SELECT shop_id, currency, count(*), sum(total)::text FROM sales
		WHERE shop_id = ANY ($1) AND completed_at >= $2 AND completed_at < $3 GROUP BY shop_id, currency`,
		func(f *figures, n int64, sum money.Amount) { f.Sales, f.Revenue = n, sum })
	if err != nil {
		return nil, err
	}
	err = scan(`SELECT shop_id, body->>'currency', count(*), sum((body->>'total')::numeric)::text FROM documents
		WHERE shop_id = ANY ($1) AND kind = 'refund' AND status = 'accepted' AND at >= $2 AND at < $3 GROUP BY 1, 2`,
		func(f *figures, n int64, sum money.Amount) { f.Refunds, f.Refund = n, sum })
	return out, err
}

// chainDay reads the figures of shops in the period and in the one it is set against.
func (d *dashboard) chainDay(ctx context.Context, shops []shopRef, r span) (chainDay, error) {
	ids := shopIDs(shops)
	day, err := d.dayFigures(ctx, ids, r.From, r.To)
	if err != nil {
		return chainDay{}, err
	}
	week, err := d.dayFigures(ctx, ids, r.CFrom, r.CSoFar)
	if err != nil {
		return chainDay{}, err
	}
	var c chainDay
	totals := map[string]*shopFigures{}
	for _, s := range shops {
		currencies := map[string]bool{}
		for k := range day {
			if k.shop == s.id {
				currencies[k.currency] = true
			}
		}
		for k := range week {
			if k.shop == s.id {
				currencies[k.currency] = true
			}
		}
		if len(currencies) == 0 {
			currencies[money.CNY.Code] = true // a shop that sold nothing either day is shown with zeros
		}
		codes := make([]string, 0, len(currencies))
		for code := range currencies {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			cur, _ := money.Lookup(code)
			k := figureKey{s.id, code}
			row := shopFigures{Shop: s.code, Now: zeroFigures(cur), Then: zeroFigures(cur), currencyOf: cur}
			row.Now.add(day[k])
			row.Then.add(week[k])
			c.Shops = append(c.Shops, row)
			t := totals[code]
			if t == nil {
				t = &shopFigures{Now: zeroFigures(cur), Then: zeroFigures(cur), currencyOf: cur}
				totals[code] = t
			}
			t.Now.add(row.Now)
			t.Then.add(row.Then)
		}
	}
	codes := make([]string, 0, len(totals))
	for code := range totals {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		c.Totals = append(c.Totals, *totals[code])
	}
	return c, nil
}

// bars are a shop's revenue and sales per bar of a chart (span.bounds): bar i is [bounds[i], bounds[i+1]).
type bars struct {
	Revenue []money.Amount
	Sales   []int64
}

// bars sums the shop's sales in cur into the bars between bounds. The bounds are computed here, in the
// server's time zone, so the database's own time zone setting never moves a sale to another day.
func (d *dashboard) bars(ctx context.Context, shop int64, cur money.Currency, bounds []time.Time) (bars, error) {
	n := len(bounds) - 1
	h := bars{Revenue: make([]money.Amount, n), Sales: make([]int64, n)}
	for i := range h.Revenue {
		h.Revenue[i] = money.Zero(cur)
	}
	rows, err := d.figures.Query(ctx, `SELECT width_bucket(completed_at, $2::timestamptz[]), count(*), sum(total)::text
		FROM sales WHERE shop_id = $1 AND completed_at >= $3 AND completed_at < $4 AND currency = $5 GROUP BY 1`,
		shop, bounds, bounds[0], bounds[n], cur.Code)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var bar int
		var count int64
		var sum string
		if err := rows.Scan(&bar, &count, &sum); err != nil {
			return h, err
		}
		a, err := amountOf(sum, cur)
		if err != nil {
			return h, err
		}
		if i := bar - 1; i >= 0 && i < n {
			h.Revenue[i], h.Sales[i] = a, count
		}
	}
	return h, rows.Err()
}

// tenderSum is what one kind of tender took on a day.
type tenderSum struct {
	Kind   string
	Count  int64
	Amount money.Amount
}

func (d *dashboard) tenders(ctx context.Context, shop int64, cur money.Currency, from, to time.Time) ([]tenderSum, error) {
	rows, err := d.figures.Query(ctx, `SELECT t->>'kind', count(*), sum((t->>'amount')::numeric)::text
		FROM sales s JOIN document_keys k ON k.shop_id = s.shop_id AND k.id = s.id
			JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at, jsonb_array_elements(d.body->'tenders') t
		WHERE s.shop_id = $1 AND s.completed_at >= $2 AND s.completed_at < $3 AND s.currency = $4
		GROUP BY 1 ORDER BY sum((t->>'amount')::numeric) DESC, 1`, shop, from, to, cur.Code)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (tenderSum, error) {
		var t tenderSum
		var sum string
		if err := row.Scan(&t.Kind, &t.Count, &sum); err != nil {
			return t, err
		}
		var err error
		t.Amount, err = amountOf(sum, cur)
		return t, err
	})
}

// productSum is what one product (by SKU, the chain's key for it) sold in a period, in how many shops.
type productSum struct {
	SKU, Name, NameZH string
	Qty               string // the lines' quantities summed: pieces, or kilograms to the gram
	Revenue           money.Amount
	Shops             int64
}

const topProducts = 10

// topProducts ranks the products the shops sold in cur in [from, to) by revenue, at most limit. The
// sales are found by the index sales_shop_completed (shop and time), their documents by primary key;
// only those documents' lines are unpacked.
func (d *dashboard) topProducts(ctx context.Context, shops []int64, cur money.Currency, from, to time.Time, limit int) ([]productSum, error) {
	rows, err := d.figures.Query(ctx, `SELECT l->>'sku', max(l->>'name'), coalesce(max(l->>'name_zh'), ''),
			trim_scale(sum((l->>'qty')::numeric))::text, sum((l->>'total')::numeric)::text, count(DISTINCT s.shop_id)
		FROM sales s JOIN document_keys k ON k.shop_id = s.shop_id AND k.id = s.id
			JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at, jsonb_array_elements(d.body->'lines') l
		WHERE s.shop_id = ANY ($1) AND s.completed_at >= $2 AND s.completed_at < $3 AND s.currency = $4
		GROUP BY 1 ORDER BY sum((l->>'total')::numeric) DESC, 1 LIMIT $5`, shops, from, to, cur.Code, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (productSum, error) {
		var p productSum
		var sum string
		if err := row.Scan(&p.SKU, &p.Name, &p.NameZH, &p.Qty, &sum, &p.Shops); err != nil {
			return p, err
		}
		var err error
		p.Revenue, err = amountOf(sum, cur)
		return p, err
	})
}

// rejectedDoc is a document the head office refused to count: kept as it came, with the reason.
type rejectedDoc struct {
	Shop, Till, Kind, ID string
	Seq                  int64
	At, Received         time.Time
	Reason               string
}

// rejectedOf lists the shops' rejected documents received since since, newest first, at most limit. The
// partial index documents_rejected holds only rejected documents, so this reads no accepted one.
func (d *dashboard) rejectedOf(ctx context.Context, shops []int64, since time.Time, limit int) ([]rejectedDoc, error) {
	rows, err := d.figures.Query(ctx, `SELECT s.code, t.name, d.kind, d.id::text, d.till_seq, d.at, d.received_at, d.reason
		FROM documents d JOIN shops s ON s.id = d.shop_id JOIN tills t ON t.id = d.till_id
		WHERE d.status = 'rejected' AND d.shop_id = ANY ($1) AND d.received_at >= $2
		ORDER BY d.received_at DESC, d.till_seq DESC LIMIT $3`, shops, since, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[rejectedDoc])
}
