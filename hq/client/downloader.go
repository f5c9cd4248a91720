package client

import (
	"bytes"
	"context"
	"encoding/json"
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

// Changes gets one page of the shop's changes after sequence after, and of its promotions after
// promotionsAfter (limit 0: the head office's page size).
func (c *Client) Changes(ctx context.Context, after, promotionsAfter int64, limit int) (api.Changes, error) {
	q := url.Values{"after": {strconv.FormatInt(after, 10)}, api.PriceUnitsParam: {"1"},
		"promotions_after": {strconv.FormatInt(promotionsAfter, 10)}}
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
// Promotions this till refuses are held back (HQApplied.PromotionsHeld, the last reason) while the
// pages' products and members are applied: a rule from a newer head office must not stop the prices.
func (d *Downloader) DownloadChanges(ctx context.Context) (app.HQApplied, error) {
	var total app.HQApplied
	for {
		after, err := d.Link.DownSeq(ctx)
		if err != nil {
			return total, err
		}
		promoAfter, err := d.Link.PromotionsSeq(ctx)
		if err != nil {
			return total, err
		}
		page, err := d.Client.Changes(ctx, after, promoAfter, d.Page)
		if err != nil {
			return total, err
		}
		if page.Next <= after && page.PromotionsNext <= promoAfter {
			return total, nil
		}
		ch, held, err := d.parse(page)
		if err != nil {
			return total, err
		}
		if held != nil {
			ch.Promotions, ch.PromotionsNext = nil, promoAfter
		}
		done, err := d.Link.ApplyChanges(ctx, ch, time.Now())
		if err != nil {
			return total, fmt.Errorf("apply the head office's changes: %w", err)
		}
		total.Products += done.Products
		total.Members += done.Members
		total.Promotions += done.Promotions
		total.Overdrawn = append(total.Overdrawn, done.Overdrawn...)
		if held == nil {
			held = done.PromotionsHeld
		}
		if held != nil {
			total.PromotionsHeld = held
		}
		// Held promotions come again on every page: once the products' mark stops moving, nothing will.
		if !page.More || (held != nil && page.Next <= after) {
			return total, nil
		}
	}
}

// parse turns a page of the wire's changes into the till's, checking every amount and every product's
// names (app.CheckProductNames) first: a page with one bad product or member is refused whole, as the
// store would. A promotion the till cannot read is held, why, and the page's promotions with it.
func (d *Downloader) parse(page api.Changes) (ch app.HQChanges, held error, err error) {
	ch = app.HQChanges{Next: page.Next, PromotionsNext: page.PromotionsNext, Products: make([]app.CatalogEntry, 0, len(page.Products)),
		Members: make([]app.HQMember, 0, len(page.Members))}
	for _, p := range page.Products {
		price, err := money.Parse(p.Price, d.Currency)
		if err != nil || price.Minor() < 0 {
			return ch, nil, fmt.Errorf("head office product %s: price %q", p.SKU, p.Price)
		}
		cost, err := money.Parse(p.Cost, d.Currency)
		if err != nil {
			return ch, nil, fmt.Errorf("head office product %s: cost %q", p.SKU, p.Cost)
		}
		unit, per := app.Unit(p.Unit), app.PriceUnit(p.PriceUnit)
		if !unit.Valid() || !per.Valid() || (per != app.PerUnit && unit != app.UnitKg) {
			return ch, nil, fmt.Errorf("head office product %s: unit %q priced per %q: this till sells by the piece or by weight priced per kg, jin or 100g (update the till)",
				p.SKU, p.Unit, p.PriceUnit)
		}
		product := app.Product{SKU: strings.TrimSpace(p.SKU), Name: p.Name, NameZH: p.NameZH, Category: p.Category,
			CategoryZH: p.CategoryZH, Price: price, Unit: unit, PriceUnit: per, TaxClass: p.TaxClass, Active: p.Active, Cost: cost,
			ReorderPoint: app.Quantity(p.ReorderPoint)}
		if err := app.CheckProductNames(product); err != nil {
			return ch, nil, fmt.Errorf("head office product %q: %w", p.SKU, err)
		}
		ch.Products = append(ch.Products, app.CatalogEntry{Barcodes: p.Barcodes, Product: product})
	}
	for _, m := range page.Members {
		balance, err := money.Parse(m.Prepaid, d.Currency)
		if err != nil {
			return ch, nil, fmt.Errorf("head office member %s: prepaid %q", m.Number, m.Prepaid)
		}
		ch.Members = append(ch.Members, app.HQMember{Number: m.Number, Name: m.Name, Phone: m.Phone, Tier: m.Tier,
			Balance: balance, Points: m.Points, Seq: m.Seq})
	}
	for _, p := range page.Promotions {
		promotion, err := parsePromotion(p)
		if err != nil {
			return ch, err, nil
		}
		ch.Promotions = append(ch.Promotions, promotion)
	}
	return ch, nil, nil
}

// parsePromotion reads a promotion of the head office by the till's rules: its rule strictly (a field
// this till does not know is a rule it cannot apply as meant), then app.CheckHQPromotion. The store
// checks them again, as a set, before it writes any.
func parsePromotion(p api.Promotion) (app.Promotion, error) {
	out := app.Promotion{HQID: p.ID, Active: p.Active, CouponLimit: p.CouponLimit, CouponTillLimit: p.CouponTillLimit}
	if p.ID <= 0 {
		return out, fmt.Errorf("head office promotion: id %d", p.ID)
	}
	dec := json.NewDecoder(bytes.NewReader(p.Rule))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out.Rule); err != nil {
		return out, fmt.Errorf("head office promotion %d: %w", p.ID, err)
	}
	if dec.More() {
		return out, fmt.Errorf("head office promotion %d: more after its rule", p.ID)
	}
	out.Rule.ID = 0 // the till gives its own
	if err := app.CheckHQPromotion(out); err != nil {
		return out, fmt.Errorf("head office promotion %d: %w", p.ID, err)
	}
	return out, nil
}
