package app

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// OpenCarts keeps each till's open cart: the sale in progress, as a parked cart marked open, one per
// till, so that a crash or a power cut loses at most its last change. The store implements it; it
// deletes a sale's open cart in the transaction that completes, voids or parks the sale.
type OpenCarts interface {
	// SaveOpenCart makes p its till's open cart, in place of the one before. It does nothing when p's
	// sale was completed or parked already: an ended sale never comes back as an open cart.
	SaveOpenCart(ctx context.Context, p ParkedCart) error
	// DropOpenCart deletes the till's open cart, if it has one.
	DropOpenCart(ctx context.Context, till string) error
	// OpenCartAt returns the till's open cart; ok is false when it has none.
	OpenCartAt(ctx context.Context, till string) (p ParkedCart, ok bool, err error)
	// HoldOpenCart turns the till's open cart into a parked cart, payments and all.
	HoldOpenCart(ctx context.Context, till string) error
}

// MemberFinder finds a member by the number on their card; MemberService has it.
type MemberFinder interface {
	MemberByNumber(ctx context.Context, number string) (Member, error)
}

// CartKeeper writes a till's open cart as the sale changes, on a goroutine of its own: a scan never
// waits for the disk. Changes that come while a write is under way are coalesced, and only the latest
// is written next, so a crash loses at most the changes of the last few milliseconds. The Checkout
// settles the keeper before the transaction that ends a sale, so no older write can land after it.
type CartKeeper struct {
	carts  OpenCarts
	till   string
	failed func(error)

	mu      sync.Mutex
	changed sync.Cond   // signalled when a write ends
	next    *ParkedCart // the cart to write next; nil with pending: the open cart goes
	pending bool
	writing bool
	closed  bool
	wake    chan struct{}
	done    chan struct{}
}

// openCartTimeout bounds one write of the open cart (the store's busy timeout is shorter).
const openCartTimeout = 30 * time.Second

// NewCartKeeper starts keeping till's open cart in carts. failed, if not nil, is told of each write
// that failed, on the keeper's goroutine; the next change is written whole all the same. Close stops it.
func NewCartKeeper(carts OpenCarts, till string, failed func(error)) *CartKeeper {
	k := &CartKeeper{carts: carts, till: till, failed: failed, wake: make(chan struct{}, 1), done: make(chan struct{})}
	k.changed.L = &k.mu
	go k.run()
	return k
}

func (k *CartKeeper) run() {
	defer close(k.done)
	for range k.wake {
		k.mu.Lock()
		for k.pending {
			next := k.next
			k.next, k.pending, k.writing = nil, false, true
			k.mu.Unlock()
			err := k.write(next)
			if err != nil && k.failed != nil {
				k.failed(err)
			}
			k.mu.Lock()
			k.writing = false
			k.changed.Broadcast()
		}
		k.mu.Unlock()
	}
}

func (k *CartKeeper) write(p *ParkedCart) error {
	ctx, cancel := context.WithTimeout(context.Background(), openCartTimeout)
	defer cancel()
	if p == nil {
		if err := k.carts.DropOpenCart(ctx, k.till); err != nil {
			return fmt.Errorf("drop the open cart: %w", err)
		}
		return nil
	}
	if err := k.carts.SaveOpenCart(ctx, *p); err != nil {
		return fmt.Errorf("keep the open cart %s: %w", p.ID, err)
	}
	return nil
}

// put asks for p to be written (nil: the open cart to go), replacing a change not written yet. It
// never waits for the disk.
func (k *CartKeeper) put(p *ParkedCart) {
	if k == nil {
		return
	}
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return
	}
	k.next, k.pending = p, true
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default: // the goroutine is awake already and will see it
	}
}

// settle drops the change not written yet and waits for a write under way to end: what the caller
// writes next is the last word on the open cart.
func (k *CartKeeper) settle() {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.next, k.pending = nil, false
	for k.writing {
		k.changed.Wait()
	}
}

// Flush waits until every change so far is written.
func (k *CartKeeper) Flush() {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for k.pending || k.writing {
		k.changed.Wait()
	}
}

// Close writes what is waiting and stops the keeper. It is safe to call twice.
func (k *CartKeeper) Close() error {
	if k == nil {
		return nil
	}
	k.Flush()
	k.mu.Lock()
	closed := k.closed
	k.closed = true
	k.mu.Unlock()
	if !closed {
		close(k.wake)
	}
	<-k.done
	return nil
}

// SetKeeper makes k keep the sale in progress as the till's open cart from now on; nil: not kept.
func (c *Checkout) SetKeeper(k *CartKeeper) { c.keeper = k }

// kept hands the sale in progress to the keeper, after a change; an empty sale drops the open cart.
func (c *Checkout) kept() {
	if c.keeper == nil {
		return
	}
	if c.cart.Len() == 0 && len(c.tenders) == 0 {
		c.keeper.put(nil)
		return
	}
	c.keeper.put(&ParkedCart{ID: c.saleID, Till: c.settings.Till, ParkedAt: c.openedAt, Lines: c.cart.Lines(),
		Total: c.cart.Totals().Total, Member: c.memberNumber(), Coupons: c.cart.Coupons(), Tenders: append([]Tender(nil), c.tenders...)})
}

func (c *Checkout) memberNumber() string {
	if c.member == nil {
		return ""
	}
	return c.member.Number
}

// OpenCartResumed says what ResumeOpen found of the sale in progress when the till stopped.
type OpenCartResumed struct {
	Found bool
	Lines int
	// Held: payments had been taken on it, so it was parked for a supervisor instead of resumed.
	Held bool
	Paid []Tender
	// MemberLost: the member it was for could not be put back on it (scan their card again).
	MemberLost bool
}

// ResumeOpen brings back the sale that was in progress when the till stopped (a crash, a power cut),
// kept by the keeper: at sign-in, on an empty till. A sale on which payments were taken is not resumed:
// it is parked, payments and all, for a supervisor to resume (Resume) and complete or void. members, if
// not nil, puts the sale's member back on it.
func (c *Checkout) ResumeOpen(ctx context.Context, members MemberFinder) (OpenCartResumed, error) {
	if c.keeper == nil || c.cart.Len() > 0 || len(c.tenders) > 0 {
		return OpenCartResumed{}, nil
	}
	c.keeper.Flush()
	carts := c.keeper.carts
	p, ok, err := carts.OpenCartAt(ctx, c.settings.Till)
	if err != nil || !ok {
		return OpenCartResumed{}, err
	}
	r := OpenCartResumed{Found: true, Lines: len(p.Lines), Paid: p.Tenders}
	if len(p.Tenders) > 0 {
		if err := carts.HoldOpenCart(ctx, c.settings.Till); err != nil {
			return OpenCartResumed{}, fmt.Errorf("park the sale in progress when the till stopped: %w", err)
		}
		r.Held = true
		return r, nil
	}
	if err := c.restore(p); err != nil {
		// Not put back as it was: keep it for the cashier to see, parked, rather than lose it.
		if herr := carts.HoldOpenCart(ctx, c.settings.Till); herr != nil {
			return OpenCartResumed{}, fmt.Errorf("resume the sale in progress when the till stopped: %w (and parking it failed: %v)", err, herr)
		}
		return OpenCartResumed{}, fmt.Errorf("resume the sale in progress when the till stopped (it is parked): %w", err)
	}
	r.MemberLost = !c.restoreMember(ctx, p.Member, members)
	return r, nil
}
