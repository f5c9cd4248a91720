package server

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

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

// shopFigures are one shop's figures in one currency on a day and on the same weekday a week before.
type shopFigures struct {
	Shop       string
	Day, Week  figures
	currencyOf money.Currency
}

// chainDay is the chain's day: a row per shop (and currency) and a total per currency.
type chainDay struct {
	Shops  []shopFigures
	Totals []shopFigures // Shop is empty
}

// dayRange is the local day of date (00:00 to 24:00 in loc) and the same weekday a week before.
type dayRange struct {
	from, to         time.Time
	weekFrom, weekTo time.Time
}

func newDayRange(date time.Time, loc *time.Location) dayRange {
	from := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, loc)
	return dayRange{from: from, to: from.AddDate(0, 0, 1), weekFrom: from.AddDate(0, 0, -7), weekTo: from.AddDate(0, 0, -6)}
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
		rows, err := d.s.reads().Query(ctx, sql, shops, from, to)
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

// chainDay reads the figures of shops on the day and the week before.
func (d *dashboard) chainDay(ctx context.Context, shops []shopRef, r dayRange) (chainDay, error) {
	ids := make([]int64, len(shops))
	for i, s := range shops {
		ids[i] = s.id
	}
	day, err := d.dayFigures(ctx, ids, r.from, r.to)
	if err != nil {
		return chainDay{}, err
	}
	week, err := d.dayFigures(ctx, ids, r.weekFrom, r.weekTo)
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
			row := shopFigures{Shop: s.code, Day: zeroFigures(cur), Week: zeroFigures(cur), currencyOf: cur}
			row.Day.add(day[k])
			row.Week.add(week[k])
			c.Shops = append(c.Shops, row)
			t := totals[code]
			if t == nil {
				t = &shopFigures{Day: zeroFigures(cur), Week: zeroFigures(cur), currencyOf: cur}
				totals[code] = t
			}
			t.Day.add(row.Day)
			t.Week.add(row.Week)
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

// hourly is a shop's revenue and sales per hour of a day, by hours since the day's start (a day with a
// clock change has 23 or 25).
type hourly struct {
	Revenue []money.Amount
	Sales   []int64
}

func (d *dashboard) hourly(ctx context.Context, shop int64, cur money.Currency, from, to time.Time) (hourly, error) {
	n := int(to.Sub(from) / time.Hour)
	h := hourly{Revenue: make([]money.Amount, n), Sales: make([]int64, n)}
	for i := range h.Revenue {
		h.Revenue[i] = money.Zero(cur)
	}
	rows, err := d.s.reads().Query(ctx, `SELECT floor(extract(epoch FROM completed_at - $2) / 3600)::int, count(*), sum(total)::text
		FROM sales WHERE shop_id = $1 AND completed_at >= $2 AND completed_at < $3 AND currency = $4 GROUP BY 1`,
		shop, from, to, cur.Code)
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var hour int
		var count int64
		var sum string
		if err := rows.Scan(&hour, &count, &sum); err != nil {
			return h, err
		}
		a, err := amountOf(sum, cur)
		if err != nil {
			return h, err
		}
		if hour >= 0 && hour < n {
			h.Revenue[hour], h.Sales[hour] = a, count
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
	rows, err := d.s.reads().Query(ctx, `SELECT t->>'kind', count(*), sum((t->>'amount')::numeric)::text
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

// productSum is what one product sold on a day.
type productSum struct {
	SKU, Name, NameZH string
	Qty               string // the lines' quantities summed: pieces, or kilograms to the gram
	Revenue           money.Amount
}

const topProducts = 10

func (d *dashboard) topProducts(ctx context.Context, shop int64, cur money.Currency, from, to time.Time) ([]productSum, error) {
	rows, err := d.s.reads().Query(ctx, `SELECT l->>'sku', max(l->>'name'), coalesce(max(l->>'name_zh'), ''),
			trim_scale(sum((l->>'qty')::numeric))::text, sum((l->>'total')::numeric)::text
		FROM sales s JOIN document_keys k ON k.shop_id = s.shop_id AND k.id = s.id
			JOIN documents d ON d.shop_id = k.shop_id AND d.id = k.id AND d.at = k.at, jsonb_array_elements(d.body->'lines') l
		WHERE s.shop_id = $1 AND s.completed_at >= $2 AND s.completed_at < $3 AND s.currency = $4
		GROUP BY 1 ORDER BY sum((l->>'total')::numeric) DESC, 1 LIMIT $5`, shop, from, to, cur.Code, topProducts)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (productSum, error) {
		var p productSum
		var sum string
		if err := row.Scan(&p.SKU, &p.Name, &p.NameZH, &p.Qty, &sum); err != nil {
			return p, err
		}
		var err error
		p.Revenue, err = amountOf(sum, cur)
		return p, err
	})
}
