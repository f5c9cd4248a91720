package app

import (
	"context"
	"sync"
	"testing"
	"time"
)

// slowShelf is a till's open carts where the test decides when each write lands: a write waits for
// the test to release it, as a slow disk would.
type slowShelf struct {
	mu      sync.Mutex
	open    *ParkedCart
	writes  int
	started chan int      // the number of each write as it starts
	release chan struct{} // one receive lets one write land
}

func newSlowShelf() *slowShelf {
	return &slowShelf{started: make(chan int, 100), release: make(chan struct{})}
}

func (s *slowShelf) land(f func()) {
	s.mu.Lock()
	s.writes++
	n := s.writes
	s.mu.Unlock()
	s.started <- n
	<-s.release
	s.mu.Lock()
	f()
	s.mu.Unlock()
}

func (s *slowShelf) SaveOpenCart(_ context.Context, p ParkedCart) error {
	s.land(func() { s.open = &p })
	return nil
}

func (s *slowShelf) DropOpenCart(context.Context, string) error {
	s.land(func() { s.open = nil })
	return nil
}

func (s *slowShelf) OpenCartAt(context.Context, string) (ParkedCart, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		return ParkedCart{}, false, nil
	}
	return *s.open, true, nil
}

func (s *slowShelf) HoldOpenCart(context.Context, string) error { return nil }

func (s *slowShelf) lines() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		return -1
	}
	return len(s.open.Lines)
}

// Scans never wait for the disk: while one write is under way, the changes that follow are coalesced
// into one write of the latest cart. A void waits for the write under way, so no older cart lands after
// it.
func TestCartKeeperCoalescesAndNeverBlocksAScan(t *testing.T) {
	ctx := context.Background()
	shelf := newSlowShelf()
	c, _ := newTestCheckout(t, DefaultSettings())
	k := NewCartKeeper(shelf, c.Settings().Till, func(err error) { t.Error(err) })
	c.SetKeeper(k)
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if n := <-shelf.started; n != 1 {
		t.Fatalf("write %d first", n)
	}
	done := make(chan struct{})
	go func() { // the first write hangs on the disk; scanning goes on
		defer close(done)
		for _, code := range []string{"2*6900000000014", "6900000000021", "0.455*2000101000006"} {
			if _, err := c.Scan(ctx, code); err != nil {
				t.Error(err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a scan waited for the disk")
	}
	shelf.release <- struct{}{} // the first write lands: one line
	if n := <-shelf.started; n != 2 {
		t.Fatalf("write %d second", n)
	}
	shelf.release <- struct{}{} // the second, coalesced: every line
	k.Flush()
	if got := shelf.lines(); got != len(c.Lines()) || shelf.writes != 2 {
		t.Fatalf("kept %d lines of %d in %d writes", got, len(c.Lines()), shelf.writes)
	}

	if err := c.RemoveLine(0); err != nil {
		t.Fatal(err)
	}
	<-shelf.started // a write of the cart less a line is under way
	voided := make(chan error)
	go func() { voided <- c.Void(ctx) }()
	select {
	case err := <-voided:
		t.Fatalf("the void did not wait for the write under way: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	shelf.release <- struct{}{}
	if err := <-voided; err != nil {
		t.Fatal(err)
	}
	if k.Flush(); shelf.writes != 3 {
		t.Errorf("%d writes: a write after the void", shelf.writes)
	}
	if err := k.Close(); err != nil || k.Close() != nil {
		t.Error("closing twice")
	}
}
