package scanner

import "sync"

// Set is several scanners read as one (a handheld and a presentation scanner on one till).
type Set struct {
	scanners []*Scanner
	events   chan Event
	wg       sync.WaitGroup
	once     sync.Once
}

// OpenAll opens every scanner in configs and merges their events, each scanner's in its own order.
func OpenAll(configs []Config) (*Set, error) {
	set := &Set{events: make(chan Event, 256)}
	for _, c := range configs {
		s, err := Open(c)
		if err != nil {
			set.Close()
			return nil, err
		}
		set.scanners = append(set.scanners, s)
		set.wg.Add(1)
		go func() {
			defer set.wg.Done()
			for ev := range s.Events() {
				set.events <- ev
			}
		}()
	}
	return set, nil
}

// Events delivers every scanner's events; it is closed after Close.
func (set *Set) Events() <-chan Event { return set.events }

// Close closes every scanner, then the merged channel. Events not yet received are discarded.
func (set *Set) Close() error {
	set.once.Do(func() {
		// Drain so the forwarders can finish while the scanners close.
		stop := make(chan struct{})
		go func() {
			for {
				select {
				case <-set.events:
				case <-stop:
					return
				}
			}
		}()
		for _, s := range set.scanners {
			s.Close()
		}
		set.wg.Wait()
		close(stop)
		close(set.events)
	})
	return nil
}
