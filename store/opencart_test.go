package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"checkout/app"
)

// keptCheckout returns a checkout on s whose sale in progress is kept as the till's open cart.
func keptCheckout(t testing.TB, s *Store) (*app.Checkout, *app.CartKeeper) {
	t.Helper()
	co := newCheckout(t, s)
	k := app.NewCartKeeper(s, co.Settings().Till, func(err error) { t.Errorf("keeping the open cart: %v", err) })
	t.Cleanup(func() { k.Close() })
	co.SetKeeper(k)
	return co, k
}

func scanAll(t testing.TB, co *app.Checkout, codes ...string) {
	t.Helper()
	for _, code := range codes {
		if _, err := co.Scan(context.Background(), code); err != nil {
			t.Fatalf("scan %s: %v", code, err)
		}
	}
}

// The sale in progress is on disk as it changes: the store opened again (as after a crash) finds it, and
// the next sign-in resumes it whole, under its ID, with its member.
func TestOpenCartSurvivesReopening(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	m := newMember(t, s, "Zhang Wei", "13800000001")
	co, k := keptCheckout(t, s)
	scanAll(t, co, "5449000000996", "3*6924743915763", "0.455*2000101000006")
	if err := co.SetDiscount(1, app.Discount{PercentBP: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := co.RemoveLine(2); err != nil {
		t.Fatal(err)
	}
	if err := co.SetMember(m); err != nil {
		t.Fatal(err)
	}
	before := co.Totals()
	k.Flush()
	k.Close()
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if parked, err := s2.ParkedAt(ctx, co.Settings().Till); err != nil || len(parked) != 0 {
		t.Fatalf("the open cart is listed as parked: %+v, %v", parked, err)
	}
	co2, _ := keptCheckout(t, s2)
	r, err := co2.ResumeOpen(ctx, s2)
	if err != nil || !r.Found || r.Held || r.Lines != 2 || r.MemberLost {
		t.Fatalf("resumed %+v, %v", r, err)
	}
	if after := co2.Totals(); after.Total != before.Total || after.Discount != before.Discount || after.Lines != 2 {
		t.Fatalf("resumed totals %+v, before the restart %+v", after, before)
	}
	if got, ok := co2.Member(); !ok || got.ID != m.ID {
		t.Errorf("member after the restart: %+v, %v", got, ok)
	}
	if _, err := co2.PayCash(co2.CashDue()); err != nil {
		t.Fatal(err)
	}
	sale, err := co2.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := s2.OpenCartAt(ctx, sale.Till); ok || err != nil {
		t.Errorf("the completed sale's open cart is still there (%v)", err)
	}
	// A write that comes late (the keeper's goroutine, a retry) does not bring the sale back.
	if err := s2.SaveOpenCart(ctx, app.ParkedCart{ID: sale.ID, Till: sale.Till, ParkedAt: sale.OpenedAt, Lines: sale.Lines, Total: sale.Totals.Total}); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s2.OpenCartAt(ctx, sale.Till); ok || err != nil {
		t.Errorf("a completed sale came back as the open cart: %+v, %v", p, err)
	}
	if r, err := newKept(t, s2).ResumeOpen(ctx, s2); err != nil || r.Found {
		t.Errorf("a completed sale resumed: %+v, %v", r, err)
	}
}

func newKept(t testing.TB, s *Store) *app.Checkout {
	co, _ := keptCheckout(t, s)
	return co
}

// An open cart whose sale is stored as completed (left by an older till, or written by hand) is
// deleted when it is looked for, never resumed.
func TestLeftoverOpenCartOfACompletedSaleIsDropped(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	sale := sellCash(t, s, "5449000000996")
	if _, err := s.w.ExecContext(ctx, `INSERT INTO parked_carts (id, till, parked_at, currency, total, lines, open) VALUES (?, ?, ?, 'CNY', 300, '[]', 1)`,
		sale.ID, sale.Till, timestamp(sale.OpenedAt)); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.OpenCartAt(ctx, sale.Till); ok || err != nil {
		t.Fatalf("leftover open cart of %s: %+v, %v", sale.ID, p, err)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM parked_carts`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows left in parked_carts (%v)", n, err)
	}
}

// Parking and voiding end the open cart in their own transaction; a late write of it changes nothing.
func TestParkAndVoidEndTheOpenCart(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	co, k := keptCheckout(t, s)
	till := co.Settings().Till
	scanAll(t, co, "5449000000996", "6924743915763")
	k.Flush()
	open, ok, err := s.OpenCartAt(ctx, till)
	if err != nil || !ok || len(open.Lines) != 2 {
		t.Fatalf("open cart: %+v, %v, %v", open, ok, err)
	}
	parked, err := co.Park(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	k.Flush()
	if _, ok, err := s.OpenCartAt(ctx, till); ok || err != nil {
		t.Fatalf("the parked sale is still the open cart (%v)", err)
	}
	if err := s.SaveOpenCart(ctx, open); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.OpenCartAt(ctx, till); ok {
		t.Error("a late write made the parked sale the open cart again")
	}
	if list, err := s.ParkedAt(ctx, till); err != nil || len(list) != 1 || list[0].ID != parked.ID || len(list[0].Lines) != 2 {
		t.Fatalf("parked: %+v, %v", list, err)
	}

	if _, err := co.Resume(ctx, s, parked.ID, nil); err != nil {
		t.Fatal(err)
	}
	k.Flush()
	if p, ok, err := s.OpenCartAt(ctx, till); !ok || err != nil || p.ID != parked.ID {
		t.Fatalf("a resumed parked cart is the open cart again: %+v, %v, %v", p, ok, err)
	}
	if err := co.Void(ctx); err != nil {
		t.Fatal(err)
	}
	k.Flush()
	if _, ok, err := s.OpenCartAt(ctx, till); ok || err != nil {
		t.Fatalf("the voided sale is still the open cart (%v)", err)
	}

	scanAll(t, co, "5449000000996")
	if err := co.RemoveLine(0); err != nil {
		t.Fatal(err)
	}
	k.Flush()
	if _, ok, err := s.OpenCartAt(ctx, till); ok || err != nil {
		t.Fatalf("an emptied cart is still the open cart (%v)", err)
	}
}

// A sale on which a payment was taken before the till stopped is not resumed: it is parked with its
// payments, and only a supervisor brings it back (with them).
func TestOpenCartWithAPaymentIsParkedForASupervisor(t *testing.T) {
	s, path := openTestStore(t)
	ctx := context.Background()
	co, k := keptCheckout(t, s)
	scanAll(t, co, "5449000000996", "6924743915763") // ¥9.50
	if _, err := co.PayCashPart(cny(500)); err != nil {
		t.Fatal(err)
	}
	k.Flush()
	k.Close()
	s.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	co2, _ := keptCheckout(t, s2)
	co2.SetSession(nil)
	r, err := co2.ResumeOpen(ctx, s2)
	if err != nil || !r.Found || !r.Held || len(r.Paid) != 1 || r.Paid[0].Amount != cny(500) {
		t.Fatalf("resumed %+v, %v", r, err)
	}
	if len(co2.Lines()) != 0 {
		t.Fatalf("a sale with a payment taken was resumed: %d lines", len(co2.Lines()))
	}
	list, err := s2.ParkedAt(ctx, co2.Settings().Till)
	if err != nil || len(list) != 1 || len(list[0].Tenders) != 1 {
		t.Fatalf("parked: %+v, %v", list, err)
	}
	if _, err := co2.Resume(ctx, s2, list[0].ID, nil); !errors.Is(err, app.ErrNotSignedIn) {
		t.Fatalf("resumed without a supervisor: %v", err)
	}
	if again, _ := s2.ParkedAt(ctx, co2.Settings().Till); len(again) != 1 {
		t.Fatalf("a refused resume lost the cart: %+v", again)
	}
	co2.SetSession(app.SystemSession("Olivia"))
	if _, err := co2.Resume(ctx, s2, list[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	if due := co2.CashDue(); due != cny(450) {
		t.Fatalf("due after resuming with the payment: %s", due)
	}
	if _, err := co2.PayCash(cny(450)); err != nil {
		t.Fatal(err)
	}
	sale, err := co2.Complete(ctx)
	if err != nil || sale.ID != list[0].ID || len(sale.Tenders) != 2 {
		t.Fatalf("completed %+v, %v", sale, err)
	}
}

const openCartChild = "CHECKOUT_OPEN_CART_CHILD"

// TestOpenCartChild is the till killed by TestOpenCartSurvivesSIGKILL: it scans, says what is on disk,
// and waits to be killed.
func TestOpenCartChild(t *testing.T) {
	path := os.Getenv(openCartChild)
	if path == "" {
		t.Skip("run by TestOpenCartSurvivesSIGKILL")
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	co := newCheckout(t, s)
	k := app.NewCartKeeper(s, co.Settings().Till, nil)
	co.SetKeeper(k)
	for i, code := range []string{"5449000000996", "6924743915763", "2*5449000000996"} {
		if _, err := co.Scan(context.Background(), code); err != nil {
			t.Fatal(err)
		}
		k.Flush()
		fmt.Printf("kept %d\n", i+1)
	}
	for i := 0; ; i++ { // go on scanning, unflushed, until killed
		if _, err := co.Scan(context.Background(), "5449000000996"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			fmt.Println("scanning")
		}
		time.Sleep(time.Millisecond)
	}
}

// A till killed with SIGKILL (a crash, a power cut as far as the process goes) while a sale is in
// progress: the next start resumes the sale with at least every change the till had written.
func TestOpenCartSurvivesSIGKILL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "till.db")
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddProducts(ctx, testCatalog); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenCartChild$")
	cmd.Env = append(os.Environ(), openCartChild+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "scanning") {
	}
	time.Sleep(20 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	co := newKept(t, s2)
	r, err := co.ResumeOpen(ctx, s2)
	if err != nil || !r.Found || r.Held {
		t.Fatalf("after SIGKILL: %+v, %v", r, err)
	}
	// Three flushed scans: a can, chips, two cans (added to the first line), then more cans unflushed.
	l := co.Lines()
	if len(l) != 2 || l[0].Qty < app.Pieces(3) || l[1].Qty != app.Pieces(1) {
		t.Fatalf("resumed lines %+v", l)
	}
	t.Logf("resumed with %d cans", l[0].Qty/app.Pieces(1))
}
