package app

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"checkout/app/money"
)

// MoveKind says why stock moved.
type MoveKind string

// Stock movement kinds. Sales and refunds move stock through their own lines, in their own transaction;
// the others are recorded by Inventory.
const (
	MoveSale       MoveKind = "sale"
	MoveRefund     MoveKind = "refund"
	MoveReceiving  MoveKind = "receiving"
	MoveAdjustment MoveKind = "adjustment"
	MoveCount      MoveKind = "count"
	MoveTransfer   MoveKind = "transfer"
)

// AdjustmentReasons are why stock is adjusted by hand.
var AdjustmentReasons = []string{"damage", "theft", "expiry", "found", "correction"}

// StockMove is one row of the stock ledger: Qty in (positive) or out (negative) of one product.
type StockMove struct {
	ProductID int64
	Kind      MoveKind
	Qty       Quantity
	Reason    string
	User      string
	Ref       string       // the sale, refund, delivery or count it belongs to
	UnitCost  money.Amount // receiving only
}

// LedgerEntry is a movement as the ledger shows it: sales and refunds too, by receipt.
type LedgerEntry struct {
	At     time.Time
	Kind   MoveKind
	Qty    Quantity
	Reason string
	User   string
	Ref    string
}

// StockLevel is a product's stock: on hand (the ledger's sum) against its reorder point.
type StockLevel struct {
	Product      Product
	OnHand       Quantity
	ReorderPoint Quantity
}

// Low reports whether the product should be reordered: it has a reorder point and is at or below it.
func (l StockLevel) Low() bool { return l.ReorderPoint > 0 && l.OnHand <= l.ReorderPoint }

// Negative reports stock below zero: sold beyond what the ledger has, so it needs counting.
func (l StockLevel) Negative() bool { return l.OnHand < 0 }

// SuggestedOrder is how much to order to be back at twice the reorder point (at zero, for stock below
// zero with no reorder point); 0 when neither Low nor Negative. Weighed products round up to whole
// kilograms, pieces are whole.
func (l StockLevel) SuggestedOrder() Quantity {
	if !l.Low() && !l.Negative() {
		return 0
	}
	need := 2*l.ReorderPoint - l.OnHand
	return (need + 999) / 1000 * 1000
}

// BelowZero reports whether the cart takes p, a product whose stock the shop tracks (it has a reorder
// point or stock), below zero. The till sells it anyway; the cashier is told so the shelf gets counted.
func (c *Checkout) BelowZero(p Product) bool {
	if p.ReorderPoint == 0 && p.OnHand == 0 {
		return false
	}
	var inCart Quantity
	for _, l := range c.cart.Lines() {
		if l.Product.ID == p.ID {
			inCart += l.Qty
		}
	}
	return inCart > p.OnHand
}

// StockLedger is where stock movements are kept; the store implements it.
type StockLedger interface {
	// RecordStock writes moves, all of kind, in one transaction with one journal entry under ref.
	RecordStock(ctx context.Context, at time.Time, kind MoveKind, ref string, moves []StockMove) error
	StockLevels(ctx context.Context, productIDs []int64) ([]StockLevel, error)
	// LowStock lists products at or below their reorder point, lowest cover first.
	LowStock(ctx context.Context, limit int) ([]StockLevel, error)
}

// Inventory records goods in, adjustments and counts.
type Inventory struct {
	ledger StockLedger
	now    func() time.Time
}

// NewInventory returns the inventory use cases over ledger.
func NewInventory(ledger StockLedger, now func() time.Time) *Inventory {
	return &Inventory{ledger: ledger, now: now}
}

// ReceiveLine is one product of a delivery.
type ReceiveLine struct {
	Product  Product
	Qty      Quantity
	UnitCost money.Amount
}

// Value is what the line cost: unit cost × quantity, rounded half to even.
func (l ReceiveLine) Value() money.Amount {
	v, _ := money.MulDiv(l.UnitCost.Minor(), int64(l.Qty), 1000) // a delivery line is far below overflow
	return money.New(v, l.UnitCost.Currency())
}

// DeliveryCost is what a delivery cost: its lines' values summed.
func DeliveryCost(lines []ReceiveLine) money.Amount {
	if len(lines) == 0 {
		return money.Amount{}
	}
	total := lines[0].Value()
	for _, l := range lines[1:] {
		total = total.Add(l.Value())
	}
	return total
}

// Receive records a delivery from supplier: every line in, with what a unit cost. Anyone signed in may
// receive goods; the ledger names them.
func (inv *Inventory) Receive(ctx context.Context, supplier string, by *Session, lines []ReceiveLine) error {
	if by == nil {
		return ErrNotSignedIn
	}
	user := by.Name()
	if len(lines) == 0 {
		return fmt.Errorf("%w: a delivery with no lines", ErrInvalidQuantity)
	}
	ref := "delivery " + NewID()[:8]
	if s := strings.TrimSpace(supplier); s != "" {
		ref += " from " + s
	}
	moves := make([]StockMove, 0, len(lines))
	for _, l := range lines {
		if err := l.Qty.check(); err != nil || l.Qty <= 0 {
			return fmt.Errorf("%w: %s: %d", ErrInvalidQuantity, l.Product.SKU, l.Qty)
		}
		if l.UnitCost.IsNegative() {
			return fmt.Errorf("%w: %s costs %s", ErrInvalidAmount, l.Product.SKU, l.UnitCost)
		}
		moves = append(moves, StockMove{ProductID: l.Product.ID, Kind: MoveReceiving, Qty: l.Qty, User: user, Ref: ref, UnitCost: l.UnitCost})
	}
	return inv.ledger.RecordStock(ctx, inv.now(), MoveReceiving, ref, moves)
}

// Adjust moves p's stock by delta for one of AdjustmentReasons (damage, theft, …); it needs PermCatalogEdit.
func (inv *Inventory) Adjust(ctx context.Context, p Product, delta Quantity, reason string, by *Session) error {
	if !slices.Contains(AdjustmentReasons, reason) {
		return fmt.Errorf("%w: reason %q: one of %s", ErrInvalidStockMove, reason, strings.Join(AdjustmentReasons, ", "))
	}
	if delta == 0 {
		return fmt.Errorf("%w: an adjustment of nothing", ErrInvalidQuantity)
	}
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return err
	}
	user := by.Name()
	ref := "adjustment " + NewID()[:8]
	return inv.ledger.RecordStock(ctx, inv.now(), MoveAdjustment, ref,
		[]StockMove{{ProductID: p.ID, Kind: MoveAdjustment, Qty: delta, Reason: reason, User: user, Ref: ref}})
}

// Transfer moves p's stock to (delta < 0) or from (delta > 0) another of the owner's shops; it needs
// PermCatalogEdit.
func (inv *Inventory) Transfer(ctx context.Context, p Product, delta Quantity, shop string, by *Session) error {
	shop = strings.TrimSpace(shop)
	if shop == "" {
		return fmt.Errorf("%w: a transfer names the other shop", ErrInvalidStockMove)
	}
	if delta == 0 {
		return fmt.Errorf("%w: a transfer of nothing", ErrInvalidQuantity)
	}
	reason := "from " + shop
	if delta < 0 {
		reason = "to " + shop
	}
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return err
	}
	user := by.Name()
	ref := "transfer " + NewID()[:8] + " " + reason
	return inv.ledger.RecordStock(ctx, inv.now(), MoveTransfer, ref,
		[]StockMove{{ProductID: p.ID, Kind: MoveTransfer, Qty: delta, Reason: reason, User: user, Ref: ref}})
}

// Count is a stock count in progress: products scanned or typed with what was found on the shelf.
type Count struct {
	ID      string
	counted map[int64]Quantity
	product map[int64]Product
}

// NewCount starts a stock count.
func (inv *Inventory) NewCount() *Count {
	return &Count{ID: "count " + NewID()[:8], counted: map[int64]Quantity{}, product: map[int64]Product{}}
}

// Add counts qty more of p (each scan of a piece adds one).
func (c *Count) Add(p Product, qty Quantity) error {
	if err := qty.check(); err != nil {
		return err
	}
	c.counted[p.ID] += qty
	c.product[p.ID] = p
	return nil
}

// Set records that exactly qty of p was found, replacing what was counted so far.
func (c *Count) Set(p Product, qty Quantity) error {
	if qty < 0 {
		return fmt.Errorf("%w: %d", ErrInvalidQuantity, qty)
	}
	c.counted[p.ID] = qty
	c.product[p.ID] = p
	return nil
}

// Variance is a counted product against its ledger.
type Variance struct {
	Product Product
	OnHand  Quantity
	Counted Quantity
}

// Diff is what the count changes: counted − on hand.
func (v Variance) Diff() Quantity { return v.Counted - v.OnHand }

// Variances compares the count with the ledger now, largest differences first.
func (inv *Inventory) Variances(ctx context.Context, c *Count) ([]Variance, error) {
	ids := make([]int64, 0, len(c.counted))
	for id := range c.counted {
		ids = append(ids, id)
	}
	levels, err := inv.ledger.StockLevels(ctx, ids)
	if err != nil {
		return nil, err
	}
	onHand := map[int64]Quantity{}
	for _, l := range levels {
		onHand[l.Product.ID] = l.OnHand
	}
	out := make([]Variance, 0, len(ids))
	for _, id := range ids {
		out = append(out, Variance{Product: c.product[id], OnHand: onHand[id], Counted: c.counted[id]})
	}
	sort.Slice(out, func(i, j int) bool {
		di, dj := abs(out[i].Diff()), abs(out[j].Diff())
		if di != dj {
			return di > dj
		}
		return out[i].Product.SKU < out[j].Product.SKU
	})
	return out, nil
}

func abs(q Quantity) Quantity {
	if q < 0 {
		return -q
	}
	return q
}

// ApplyCount sets every counted product's stock to what was counted, as one journaled action, and
// returns the variances it applied. Products that matched need no movement. It needs PermCatalogEdit.
func (inv *Inventory) ApplyCount(ctx context.Context, c *Count, by *Session) ([]Variance, error) {
	if _, err := by.Allow(PermCatalogEdit); err != nil {
		return nil, err
	}
	user := by.Name()
	vs, err := inv.Variances(ctx, c)
	if err != nil {
		return nil, err
	}
	var moves []StockMove
	for _, v := range vs {
		if d := v.Diff(); d != 0 {
			moves = append(moves, StockMove{ProductID: v.Product.ID, Kind: MoveCount, Qty: d, Reason: "count", User: user, Ref: c.ID})
		}
	}
	if len(moves) > 0 {
		if err := inv.ledger.RecordStock(ctx, inv.now(), MoveCount, c.ID, moves); err != nil {
			return nil, err
		}
	}
	return vs, nil
}
