package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/till"

	"fyne.io/fyne/v2/lang"
)

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
			if p.HQID != 0 {
				fmt.Fprintf(c.stdout, "  (head office %d)", p.HQID)
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
		if err := app.CheckCouponLimits(p); err != nil {
			return fmt.Errorf("promotion %d of %d: %w", i+1, len(ps), err)
		}
	}
	saved, err := st.PromotionList(ctx)
	if err != nil {
		return err
	}
	changed := map[int64]bool{}
	for i, p := range ps {
		if id := p.Rule.ID; id != 0 {
			at := slices.IndexFunc(saved, func(s app.Promotion) bool { return s.Rule.ID == id })
			switch {
			case changed[id] || at < 0:
				return fmt.Errorf("promotion %d of %d: there is no promotion %d to change (or the file names it twice)", i+1, len(ps), id)
			case saved[at].HQID != 0:
				return fmt.Errorf("promotion %d of %d: %w", i+1, len(ps), app.ErrHQPromotion)
			}
			changed[id] = true
		}
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

// readPromotions reads a promotions file (app.ReadPromotions).
func readPromotions(path string) ([]app.Promotion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ps, err := app.ReadPromotions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}
