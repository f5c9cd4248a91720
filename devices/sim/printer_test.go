package sim

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"checkout/devices/printer"
)

func TestSimulatedPrinter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "receipts.escpos")
	s := NewPrinter(path)
	p := printer.NewWith(printer.Config{Paper: 58}, s.Open)
	job := []byte("hello\n")
	if err := p.Send(job); err != nil {
		t.Fatal(err)
	}
	if err := p.OpenDrawer(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if want := append(append([]byte(nil), job...), 0x1B, 'p', 0, 25, 250); !bytes.Equal(got, want) {
		t.Errorf("file % X, want % X (status requests are answered, not printed)", got, want)
	}
	if s.Jobs() != 2 || s.DrawerKicks() != 1 {
		t.Errorf("jobs %d, kicks %d", s.Jobs(), s.DrawerKicks())
	}
	s.SetPaperOut(true)
	if err := p.Send(job); !errors.Is(err, printer.ErrPaperOut) {
		t.Errorf("paper out: %v", err)
	}
	s.SetPaperOut(false)
	s.SetCoverOpen(true)
	if err := p.Send(job); !errors.Is(err, printer.ErrCoverOpen) {
		t.Errorf("cover open: %v", err)
	}
	s.SetCoverOpen(false)
	s.SetUnplugged(true)
	if err := p.Send(job); !errors.Is(err, printer.ErrOffline) {
		t.Errorf("unplugged: %v", err)
	}
	s.SetUnplugged(false)
	if st, err := p.Status(); err != nil || !st.OK() {
		t.Errorf("plugged back in: %+v, %v", st, err)
	}
}
