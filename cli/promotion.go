package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/till"

	"fyne.io/fyne/v2/lang"
)

// maxPromotionFile bounds a promotions file: thousands of rules are a few hundred kilobytes.
const maxPromotionFile = 16 << 20

// promotionCommand lists the promotions, or saves those a JSON file holds.
func promotionCommand(ctx context.Context, st *till.Store, c *call) error {
	language := lang.SystemLocale().LanguageString()
	switch c.name {
	case "promotions":
		ps, err := st.PromotionList(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			state := "on "
			if !p.Active {
				state = "off"
			}
			r := p.Rule
			fmt.Fprintf(c.stdout, "%6d %s %-13s %s", r.ID, state, r.Kind, app.InLanguage(language, r.Name, r.NameZH))
			if r.Coupon != "" {
				fmt.Fprintf(c.stdout, "  (coupon %s)", r.Coupon)
			}
			fmt.Fprintln(c.stdout)
		}
		fmt.Fprintf(c.stdout, "%d promotions\n", len(ps))
		return nil
	}
	if len(c.args) != 1 {
		return errors.New("promotion-save takes a JSON file of promotions")
	}
	ps, err := readPromotions(c.args[0])
	if err != nil {
		return err
	}
	// Every rule is checked before any is saved: a file with one bad rule changes nothing.
	for i, p := range ps {
		if err := app.CheckPromotion(p.Rule); err != nil {
			return fmt.Errorf("promotion %d of %d: %w", i+1, len(ps), err)
		}
	}
	if _, err := app.NewDeals(withIDs(ps)); err != nil {
		return err
	}
	by := cliSession()
	for _, p := range ps {
		saved, low, err := app.SavePromotion(ctx, st, st, p, by, time.Now())
		if err != nil {
			return fmt.Errorf("promotion %q: %w", p.Rule.Name, err)
		}
		fmt.Fprintf(c.stdout, "saved promotion %d %s\n", saved.Rule.ID, app.InLanguage(language, saved.Rule.Name, saved.Rule.NameZH))
		for _, b := range low {
			fmt.Fprintf(c.stdout, "  warning: sells %s %s at %s, below its cost %s\n", b.Product.SKU, b.Product.DisplayName(language),
				money.Format(b.Lowest, language), money.Format(b.Product.Cost, language))
		}
	}
	return nil
}

// readPromotions reads a JSON array of promotions ({"Active": true, "Rule": {…}}); a field the format
// does not have is an error, so a misspelt one is not silently a rule that gives nothing.
func readPromotions(path string) ([]app.Promotion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxPromotionFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxPromotionFile {
		return nil, fmt.Errorf("%s: more than %d MB", path, maxPromotionFile>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var ps []app.Promotion
	if err := dec.Decode(&ps); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more after the list of promotions", path)
	}
	return ps, nil
}

// withIDs gives the new promotions of ps stand-in ids, so they can be checked together before the store
// gives them theirs.
func withIDs(ps []app.Promotion) []app.Promotion {
	out := make([]app.Promotion, len(ps))
	next := int64(1 << 50)
	for i, p := range ps {
		if p.Rule.ID == 0 {
			p.Rule.ID, next = next, next+1
		}
		out[i] = p
	}
	return out
}
