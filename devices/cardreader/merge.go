package cardreader

import (
	"errors"
	"sync"
)

// Source is where card reader events come from: a USB or PC/SC reader, a simulated one, or several
// merged.
type Source interface {
	Events() <-chan Event
	Close() error
}

// merged is several card readers' events on one channel.
type merged struct {
	sources []Source
	events  chan Event
}

// Merge delivers the events of every source on one channel, which closes once every source's has.
func Merge(sources ...Source) Source {
	m := &merged{sources: sources, events: make(chan Event, 64)}
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range src.Events() {
				m.events <- ev
			}
		}()
	}
	go func() {
		wg.Wait()
		close(m.events)
	}()
	return m
}

// Events delivers every source's events, in the order they arrive.
func (m *merged) Events() <-chan Event { return m.events }

// Close closes every reader; Events closes once they have.
func (m *merged) Close() error {
	var errs []error
	for _, src := range m.sources {
		errs = append(errs, src.Close())
	}
	return errors.Join(errs...)
}
