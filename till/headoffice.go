package till

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"checkout/app"
	"checkout/app/money"
	"checkout/app/tillkey"
	"checkout/hq/api"
	"checkout/hq/client"
	"checkout/store"
)

// The till's link to the head office: enrolment, uploads and down-sync once or in the background, and
// the journal compared with the head office's copy.

// Enrolment is what joining a head office takes: `checkout enrol [-ca FILE] [-force] URL CODE`.
type Enrolment struct {
	URL, Code string
	CAFile    string // a CA certificate (PEM) to trust for the head office, besides the system's
	Force     bool   // enrol a till that is enrolled already
}

// Enrol trades a one-time code from `checkout-hq enrol-code` for the till's token and records the link.
// A till enrolled already needs -force: into the same shop it only takes a new token; into another, that
// shop's catalog and members replace the old shop's (MoveToShop). The till sells under the name the
// head office enrolled it as, which its documents must carry. What it did is said on stdout.
func (st *Store) Enrol(ctx context.Context, e Enrolment, stdout io.Writer) error {
	url, code := e.URL, e.Code
	old, err := st.SyncLink(ctx)
	enrolled := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if enrolled && !e.Force {
		return fmt.Errorf("enrol: this till is enrolled already, as till %s of shop %s at %s: enrol -force to enrol it again "+
			"(into another shop, that shop's catalog and members replace %s's, and what is not sent to %s yet never will be)",
			old.Till, old.Shop, old.URL, old.Shop, old.Shop)
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	pending, err := st.PendingCount(ctx)
	if err != nil {
		return err
	}
	var pem []byte
	if e.CAFile != "" {
		var err error
		if pem, err = os.ReadFile(e.CAFile); err != nil {
			return fmt.Errorf("enrol: %w", err)
		}
	}
	// The head office anchors the till's journal at its head now, and checks every row after it with the
	// till's journal key.
	secret, _, err := st.Secrets.TillKey()
	if err != nil {
		return err
	}
	head, err := st.ChainAnchor(ctx)
	if err != nil {
		return err
	}
	reply, err := client.Enrol(ctx, url, pem, api.EnrolRequest{Code: code, JournalKey: hex.EncodeToString(secret.Derive(tillkey.JournalChain)),
		Head: api.Head{Seq: head.Seq, Hash: head.Hash}})
	if err != nil {
		return err
	}
	moving := enrolled && reply.Shop != old.Shop
	if reply.Till != set.Till && pending > 0 && !moving {
		return fmt.Errorf("enrol: the head office enrolled this till as %s, but it sells as %s and has %d documents to send under that name: "+
			"ask for an enrol code for till %s (nothing was changed here)", reply.Till, set.Till, pending, set.Till)
	}
	if err := st.Secrets.setHeadOffice([]byte(reply.Token), pem); err != nil {
		return err
	}
	if moving {
		if err := st.MoveToShop(ctx, old.Shop, reply.Shop, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "left shop %s: its catalog and members are withdrawn from this till; %s's come at the next sync\n", old.Shop, reply.Shop)
	}
	if reply.Till != set.Till {
		// The head office knows the till by the name it enrolled: its receipts must carry it.
		if _, err := st.SetSetting(ctx, "till", reply.Till, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "this till now sells as %s (it sold as %s)\n", reply.Till, set.Till)
	}
	if err := st.SetSyncLink(ctx, store.SyncLink{URL: url, Shop: reply.Shop, Till: reply.Till, EnrolledAt: time.Now()}); err != nil {
		return err
	}
	if err := st.SetHQHead(ctx, head); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolled as till %s of shop %s at %s\n", reply.Till, reply.Shop, url)
	return nil
}

// newClient returns the head office client of an enrolled till, or an error wrapping store.ErrNotFound.
func newClient(ctx context.Context, st *Store) (*client.Client, error) {
	link, err := st.SyncLink(ctx)
	if err != nil {
		return nil, err
	}
	token, pem, err := st.Secrets.headOffice()
	if err != nil {
		return nil, err
	}
	return client.New(client.Config{URL: link.URL, Shop: link.Shop, Token: string(token), CAPEM: pem, Version: st.Version})
}

// CompareWithHQ compares the till's journal with the head office's copy of it (for an enrolled till),
// so a rewrite or a truncation of anything already uploaded is found: it names the first row that
// differs. When the head office cannot be asked, it compares with the head the head office last
// acknowledged, as the till recorded it. It returns what it compared, for the report.
func (st *Store) CompareWithHQ(ctx context.Context) (string, error) {
	c, err := newClient(ctx, st)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	defer c.Close()
	head, err := st.JournalHead(ctx)
	if err != nil {
		return "", err
	}
	differs := func(seq int64, hqHash string) (bool, error) {
		local, err := st.JournalRow(ctx, seq)
		if errors.Is(err, store.ErrNotFound) {
			return true, nil
		}
		return local != hqHash, err
	}
	ch, err := c.Chain(ctx)
	if err != nil {
		hq, registered, herr := st.HQHead(ctx)
		if herr != nil || !registered || hq.Seq == 0 {
			return fmt.Sprintf("the head office could not be asked (%v)", err), herr
		}
		if bad, err := differs(hq.Seq, hq.Hash); err != nil || bad {
			return "", errors.Join(err, fmt.Errorf("journal row %d is not the one the head office acknowledged: the journal was rewritten or cut after it was uploaded", hq.Seq))
		}
		return fmt.Sprintf("matches up to row %d the head office acknowledged (it could not be asked now: %v)", hq.Seq, err), nil
	}
	if !ch.Registered || ch.Head.Seq == 0 {
		return "the head office holds none of this journal yet", nil
	}
	if head.Seq < ch.Head.Seq {
		return "", fmt.Errorf("the journal ends at row %d, and the head office holds it up to row %d: rows were removed after they were uploaded", head.Seq, ch.Head.Seq)
	}
	bad, err := differs(ch.Head.Seq, ch.Head.Hash)
	if err != nil || !bad {
		return fmt.Sprintf("matches the head office's copy from row %d to row %d", ch.Anchor.Seq, ch.Head.Seq), err
	}
	// The chain makes the first differing row the boundary between rows that match and rows that do not.
	lo, hi := ch.Anchor.Seq, ch.Head.Seq // hi differs; lo matches unless it too differs
	if bad, err := differs(lo, ch.Anchor.Hash); lo > 0 && (err != nil || bad) {
		return "", errors.Join(err, fmt.Errorf("journal row %d differs from the head office's copy, where it anchored the chain: the journal was rewritten", lo))
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		l, err := c.JournalLink(ctx, mid)
		if err != nil {
			return "", err
		}
		if bad, err := differs(mid, l.Hash); err != nil {
			return "", err
		} else if bad {
			hi = mid
		} else {
			lo = mid
		}
	}
	return "", fmt.Errorf("journal row %d differs from the head office's copy: the journal was rewritten after it was uploaded", hi)
}

// newUploader returns the uploader of an enrolled till, with its downloader of the head office's changes
// in cur, the shop's currency, or an error wrapping store.ErrNotFound.
func newUploader(ctx context.Context, st *Store, cur money.Currency) (*client.Uploader, error) {
	c, err := newClient(ctx, st)
	if err != nil {
		return nil, err
	}
	secret, _, err := st.Secrets.TillKey()
	if err != nil {
		return nil, err
	}
	u := &client.Uploader{Outbox: st, Client: c, Down: &client.Downloader{Link: st, Client: c, Currency: cur},
		JournalKey: secret.Derive(tillkey.JournalChain)}
	return u, nil
}

// SyncOnce uploads everything pending once, then applies the head office's changes, and says what it did
// on stdout.
func (st *Store) SyncOnce(ctx context.Context, stdout io.Writer) error {
	set, err := st.Settings(ctx)
	if err != nil {
		return err
	}
	u, err := newUploader(ctx, st, set.Currency)
	if errors.Is(err, store.ErrNotFound) {
		return errors.New("sync: this till is not enrolled (checkout enrol URL CODE)")
	}
	if err != nil {
		return err
	}
	defer u.Client.Close()
	n, applied, err := u.Sync(ctx)
	pending, perr := st.PendingCount(ctx)
	if perr != nil {
		return perr
	}
	fmt.Fprintf(stdout, "uploaded %d documents; %d pending\n", n, pending)
	if err == nil {
		fmt.Fprintf(stdout, "downloaded %d products and %d members\n", applied.Products, applied.Members)
		if len(applied.Overdrawn) > 0 {
			fmt.Fprintf(stdout, "overdrawn at the head office (spent offline at two tills): %s\n", strings.Join(applied.Overdrawn, ", "))
		}
		if applied.PromotionsHeld != nil {
			err = fmt.Errorf("the head office's promotions are held back (its prices and members were applied): %w", applied.PromotionsHeld)
		}
	}
	return err
}

// wakingLog is the till's sale log that, after each committed sale or refund, wakes the uploader, so the
// head office has it within moments rather than at the uploader's next idle look, and tells the backups
// its receipt, so the replica has it within moments too and can say through which receipt it holds.
type wakingLog struct {
	app.SaleLog
	wake      atomic.Pointer[func()]
	committed atomic.Pointer[func(receipt string)]
}

func (l *wakingLog) poke(receipt string) {
	if f := l.wake.Load(); f != nil {
		(*f)()
	}
	if f := l.committed.Load(); f != nil {
		(*f)(receipt)
	}
}

// CommitSale commits the sale, then wakes the uploader and the backups.
func (l *wakingLog) CommitSale(ctx context.Context, s *app.Sale) error {
	err := l.SaleLog.CommitSale(ctx, s)
	if err == nil {
		l.poke(s.ReceiptNo)
	}
	return err
}

// CommitRefund commits the refund, then wakes the uploader and the backups.
func (l *wakingLog) CommitRefund(ctx context.Context, r *app.Refund) error {
	err := l.SaleLog.CommitRefund(ctx, r)
	if err == nil {
		l.poke(r.ReceiptNo)
	}
	return err
}

// startSync runs the uploader of an enrolled till in the background until the returned stop is called,
// reporting its status to show; sales wakes it. The checkout co shares its parked carts with the shop's
// other tills through the same link, and after each sync the carts parked while the head office was away
// are offered, and the till's low-stock list is sent when it changed (at most every 10 minutes). A till
// not enrolled sells as before.
func startSync(st *Store, co *app.Checkout, sales *wakingLog, cur money.Currency, show func(app.SyncStatus)) (stop func(), err error) {
	ctx, cancel := context.WithCancel(context.Background())
	u, err := newUploader(ctx, st, cur)
	if errors.Is(err, store.ErrNotFound) {
		cancel()
		return func() {}, nil
	}
	if err != nil {
		cancel()
		return nil, err
	}
	u.OnStatus = show
	carts := &client.Carts{Client: u.Client, Currency: cur}
	till := co.Settings().Till
	co.SetShopCarts(carts, st, st)
	co.SetAccountUses(&client.AccountUses{Client: u.Client})
	low := &app.LowStockReporter{Stock: st, To: &client.StockAlerts{Client: u.Client}}
	u.AfterSync = func(ctx context.Context) {
		if err := app.OfferParked(ctx, carts, st, st, till); err != nil {
			slog.Warn("offer parked carts", "err", err)
		}
		if err := low.Report(ctx); err != nil {
			slog.Warn("report low stock", "err", err)
		}
	}
	wake := u.Wake
	sales.wake.Store(&wake)
	done := make(chan struct{})
	go func() {
		defer close(done)
		u.Run(ctx)
	}()
	return func() {
		sales.wake.Store(nil)
		cancel()
		<-done
		u.Client.Close()
	}, nil
}
