package hqtest

import (
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// requestBytes is how much a client must have sent since the server last wrote for the server's next
// write to count as the reply to an upload: more than a TLS handshake flight, less than any upload batch.
const requestBytes = 4096

// FaultProxy is a TCP proxy between a till and the head office that misbehaves like a bad network, per
// request on each connection (keep-alive or not), below TLS:
//   - Drop: the connection is closed part-way through the request (or the handshake);
//   - Delay: the reply is held back up to MaxDelay (past the client's timeout, the reply is lost after the
//     server committed);
//   - Cut: the request reaches the server whole, and the connection is closed as the reply starts, so the
//     server has committed and the till hears nothing.
type FaultProxy struct {
	Addr                string // where the till connects
	Drop, Delay, Cut    float64
	MaxDelay            time.Duration
	Drops, Delays, Cuts atomic.Int64 // what happened

	ln     net.Listener
	target atomic.Value // string
	mu     sync.Mutex
	rng    *rand.Rand
	conns  map[net.Conn]bool
	off    atomic.Bool
	cut    chan struct{} // closed while partitioned; nil otherwise
}

// NewFaultProxy starts a proxy to target; it stops with the test.
func NewFaultProxy(t testing.TB, target string, seed uint64) *FaultProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{Addr: ln.Addr().String(), ln: ln, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		conns: map[net.Conn]bool{}, MaxDelay: 500 * time.Millisecond}
	p.target.Store(target)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

// Partition cuts the network between the till and the head office (true) or heals it (false): the
// connections open are cut, and new ones are taken and never answered (a black hole, so the till's
// timeout fires) until it heals.
func (p *FaultProxy) Partition(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case on && p.cut == nil:
		p.cut = make(chan struct{})
		for c := range p.conns {
			c.Close()
		}
	case !on && p.cut != nil:
		close(p.cut)
		p.cut = nil
	}
}

func (p *FaultProxy) partitioned() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// SetFaults turns the faults off (false) or back on.
func (p *FaultProxy) SetFaults(on bool) { p.off.Store(!on) }

func (p *FaultProxy) roll(prob float64) bool {
	if p.off.Load() {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64() < prob
}

func (p *FaultProxy) intN(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.IntN(n)
}

func (p *FaultProxy) close() {
	p.ln.Close()
	p.Partition(false)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
	}
}

func (p *FaultProxy) track(c net.Conn, add bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if add {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *FaultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.relay(c)
	}
}

// relay carries one connection. sinceReply counts the client's bytes since the server last wrote.
func (p *FaultProxy) relay(client net.Conn) {
	if cut := p.partitioned(); cut != nil {
		p.track(client, true)
		<-cut // held unanswered until the partition heals (or the proxy closes), then dropped
		p.track(client, false)
		client.Close()
		return
	}
	server, err := net.Dial("tcp", p.target.Load().(string))
	if err != nil {
		client.Close()
		return
	}
	p.track(client, true)
	p.track(server, true)
	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			client.Close()
			server.Close()
			p.track(client, false)
			p.track(server, false)
		})
	}
	defer closeBoth()
	var sinceReply atomic.Int64
	go func() { // client → server
		defer closeBoth()
		buf := make([]byte, 32<<10)
		dropAt := int64(-1)
		for {
			n, err := client.Read(buf)
			if n > 0 {
				if sinceReply.Load() == 0 && p.roll(p.Drop) {
					dropAt = int64(p.intN(2 * requestBytes))
				}
				total := sinceReply.Add(int64(n))
				if dropAt >= 0 && total > dropAt {
					p.Drops.Add(1)
					return
				}
				if _, err := server.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	for { // server → client
		n, err := server.Read(buf)
		if n > 0 {
			if sinceReply.Swap(0) > requestBytes {
				if p.roll(p.Cut) {
					p.Cuts.Add(1)
					return
				}
				if p.roll(p.Delay) {
					p.Delays.Add(1)
					time.Sleep(time.Duration(p.intN(int(p.MaxDelay) + 1)))
				}
			}
			if _, err := client.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
