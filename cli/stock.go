package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/till"
)

// stockCommand looks stock up and records deliveries and adjustments from the command line.
func stockCommand(ctx context.Context, st *till.Store, c *call) error {
	command, args, stdout := c.name, c.args, c.stdout
	inv := app.NewInventory(st, time.Now)
	by := cliSession()
	user := by.Name()
	product := func(code string) (app.Product, error) { return findProduct(ctx, st, code) }
	switch command {
	case "stock":
		if len(args) != 1 {
			return errors.New("stock takes a barcode or SKU")
		}
		p, err := product(args[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s: %s on hand, reorder at %s\n", p.SKU, p.Name, p.OnHand.Format(p.Unit), p.ReorderPoint.Format(p.Unit))
	case "low-stock":
		low, err := st.LowStock(ctx, 1000)
		if err != nil {
			return err
		}
		for _, l := range low {
			u := l.Product.Unit
			flag := ""
			if l.Negative() {
				flag = "  (below zero: count it)"
			}
			fmt.Fprintf(stdout, "%-12s %-32s on hand %8s  reorder at %8s  order %8s%s\n", l.Product.SKU, l.Product.Name,
				l.OnHand.Format(u), l.ReorderPoint.Format(u), l.SuggestedOrder().Format(u), flag)
		}
		fmt.Fprintf(stdout, "%d products low\n", len(low))
	case "receive":
		if len(args) < 3 || len(args) > 4 {
			return errors.New("receive takes CODE QTY UNIT_COST [SUPPLIER], e.g. receive 5449000000996 24 1.50 Acme")
		}
		p, err := product(args[0])
		if err != nil {
			return err
		}
		qty, err := app.ParseQuantity(args[1], p.Unit)
		if err != nil {
			return err
		}
		cost, err := money.Parse(args[2], p.Price.Currency())
		if err != nil {
			return fmt.Errorf("unit cost %q: %w", args[2], err)
		}
		supplier := ""
		if len(args) == 4 {
			supplier = args[3]
		}
		if err := inv.Receive(ctx, supplier, by, []app.ReceiveLine{{Product: p, Qty: qty, UnitCost: cost}}); err != nil {
			return err
		}
		return printStock(ctx, st, p, stdout)
	case "adjust", "transfer":
		// Both move one product's stock by a signed quantity: for a reason, or to or from another shop.
		if len(args) != 3 {
			if command == "adjust" {
				return fmt.Errorf("adjust takes CODE DELTA REASON (%s), e.g. adjust 5449000000996 -2 damage", strings.Join(app.AdjustmentReasons, ", "))
			}
			return errors.New("transfer takes CODE DELTA SHOP: -5 sent to SHOP, 5 received from it, e.g. transfer 5449000000996 -5 Riverside")
		}
		p, err := product(args[0])
		if err != nil {
			return err
		}
		delta, err := app.ParseSignedQuantity(args[1], p.Unit)
		if err != nil {
			return err
		}
		move := inv.Adjust
		if command == "transfer" {
			move = inv.Transfer
		}
		if err := move(ctx, p, delta, args[2], by); err != nil {
			return err
		}
		return printStock(ctx, st, p, stdout)
	case "set-price":
		if len(args) != 2 {
			return errors.New("set-price takes CODE PRICE, e.g. set-price 5449000000996 3.50")
		}
		p, err := product(args[0])
		if err != nil {
			return err
		}
		price, err := money.Parse(args[1], p.Price.Currency())
		if err != nil {
			return fmt.Errorf("price %q: %w", args[1], err)
		}
		if err := st.SetPrice(ctx, p.ID, price, user, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s: %s → %s (journaled)\n", p.SKU, p.Name, p.Price.Decimal(), price.Decimal())
	case "reorder-point":
		if len(args) != 2 {
			return errors.New("reorder-point takes CODE QTY, e.g. reorder-point 5449000000996 12")
		}
		p, err := product(args[0])
		if err != nil {
			return err
		}
		qty, err := app.ParseCounted(args[1], p.Unit)
		if err != nil {
			return fmt.Errorf("reorder point %q: a quantity of 0 or more", args[1])
		}
		if err := st.SetReorderPoint(ctx, p.ID, qty); err != nil {
			return err
		}
		return printStock(ctx, st, p, stdout)
	}
	return nil
}

func printStock(ctx context.Context, st *till.Store, p app.Product, stdout io.Writer) error {
	levels, err := st.StockLevels(ctx, []int64{p.ID})
	if err != nil || len(levels) != 1 {
		return err
	}
	l := levels[0]
	fmt.Fprintf(stdout, "%s %s: %s on hand, reorder at %s\n", p.SKU, p.Name, l.OnHand.Format(p.Unit), l.ReorderPoint.Format(p.Unit))
	return nil
}

// findProduct finds a product by barcode, else by exact SKU.
func findProduct(ctx context.Context, st *till.Store, code string) (app.Product, error) {
	p, err := st.ProductByBarcode(ctx, code)
	if err == nil || !errors.Is(err, app.ErrUnknownBarcode) {
		return p, err
	}
	found, serr := st.SearchProducts(ctx, code, 5)
	if serr != nil {
		return app.Product{}, serr
	}
	for _, f := range found {
		if strings.EqualFold(f.SKU, code) {
			return f, nil
		}
	}
	return app.Product{}, fmt.Errorf("no product with barcode or SKU %q", code)
}
