package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/hq/api"
)

// Changes gets one page of the shop's changes after sequence after (limit 0: the head office's page size).
func (c *Client) Changes(ctx context.Context, after int64, limit int) (api.Changes, error) {
	q := url.Values{"after": {strconv.FormatInt(after, 10)}, api.PriceUnitsParam: {"1"}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var page api.Changes
	err := c.do(ctx, http.MethodGet, api.ChangesPath(c.cfg.Shop)+"?"+q.Encode(), nil, &page)
	return page, err
}

// Downloader brings the head office's catalog and members down to the till: the changes after the
// till's high-water mark, page by page, each page applied in one store transaction. When the head office
// is away the till sells on its last copy.
type Downloader struct {
	Link     app.Downlink
	Client   *Client
	Currency money.Currency // the shop's: prices and balances come as decimals in it
	Page     int            // rows per page; the head office's maximum when zero
}

// DownloadChanges applies pages until the head office has no more, and returns what they did together.
func (d *Downloader) DownloadChanges(ctx context.Context) (app.HQApplied, error) {
	var total app.HQApplied
	for {
		after, err := d.Link.DownSeq(ctx)
		if err != nil {
			return total, err
		}
		page, err := d.Client.Changes(ctx, after, d.Page)
		if err != nil {
			return total, err
		}
		if page.Next <= after {
			return total, nil
		}
		ch, err := d.parse(page)
		if err != nil {
			return total, err
		}
		done, err := d.Link.ApplyChanges(ctx, ch, time.Now())
		if err != nil {
			return total, fmt.Errorf("apply the head office's changes: %w", err)
		}
		total.Products += done.Products
		total.Members += done.Members
		total.Overdrawn = append(total.Overdrawn, done.Overdrawn...)
		if !page.More {
			return total, nil
		}
	}
}

// parse turns a page of the wire's changes into the till's, checking every amount and every product's
// names (app.CheckProductNames) first: a page with one bad row is refused whole, as the store would.
func (d *Downloader) parse(page api.Changes) (app.HQChanges, error) {
	ch := app.HQChanges{Next: page.Next, Products: make([]app.CatalogEntry, 0, len(page.Products)),
		Members: make([]app.HQMember, 0, len(page.Members))}
	for _, p := range page.Products {
		price, err := money.Parse(p.Price, d.Currency)
		if err != nil || price.Minor() < 0 {
			return ch, fmt.Errorf("head office product %s: price %q", p.SKU, p.Price)
		}
		cost, err := money.Parse(p.Cost, d.Currency)
		if err != nil {
			return ch, fmt.Errorf("head office product %s: cost %q", p.SKU, p.Cost)
		}
		unit, per := app.Unit(p.Unit), app.PriceUnit(p.PriceUnit)
		if !unit.Valid() || !per.Valid() || (per != app.PerUnit && unit != app.UnitKg) {
			return ch, fmt.Errorf("head office product %s: unit %q priced per %q: this till sells by the piece or by weight priced per kg, jin or 100g (update the till)",
				p.SKU, p.Unit, p.PriceUnit)
		}
		product := app.Product{SKU: strings.TrimSpace(p.SKU), Name: p.Name, NameZH: p.NameZH, Category: p.Category,
			CategoryZH: p.CategoryZH, Price: price, Unit: unit, PriceUnit: per, TaxClass: p.TaxClass, Active: p.Active, Cost: cost,
			ReorderPoint: app.Quantity(p.ReorderPoint)}
		if err := app.CheckProductNames(product); err != nil {
			return ch, fmt.Errorf("head office product %q: %w", p.SKU, err)
		}
		ch.Products = append(ch.Products, app.CatalogEntry{Barcodes: p.Barcodes, Product: product})
	}
	for _, m := range page.Members {
		balance, err := money.Parse(m.Prepaid, d.Currency)
		if err != nil {
			return ch, fmt.Errorf("head office member %s: prepaid %q", m.Number, m.Prepaid)
		}
		ch.Members = append(ch.Members, app.HQMember{Number: m.Number, Name: m.Name, Phone: m.Phone, Tier: m.Tier,
			Balance: balance, Points: m.Points, Seq: m.Seq})
	}
	return ch, nil
}
