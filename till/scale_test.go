package till

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"github.com/creack/pty"

	"checkout/app"
)

// sellBanana scans the demo banana without a label and hands the scale's events to the screens, on the
// test's goroutine (the UI's), until the banana is in the cart; it returns the line's grams and how many
// readings came before.
func sellBanana(t *testing.T, m *Till) (grams int64, readings int) {
	t.Helper()
	w := m.UI.Window()
	for _, r := range "2000101000006" {
		w.Canvas().Focused().TypedRune(r)
	}
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-m.scale.Events():
			showScaleEvent(ev, m.UI)
			readings++
			if lines := m.Checkout.Lines(); len(lines) == 1 {
				if lines[0].Product.Unit != app.UnitKg {
					t.Fatalf("line %+v", lines[0])
				}
				return int64(lines[0].Qty), readings
			}
		case <-deadline:
			t.Fatalf("no banana in the cart after %d scale events", readings)
		}
	}
}

// A demo till weighs on the simulated scale: the banana gets a plausible weight after a wobble.
func TestDemoTillWeighsOnTheSimulatedScale(t *testing.T) {
	m := demoTill(t)
	if m.SimScale == nil || m.scale == nil {
		t.Fatal("a demo till without the simulated scale")
	}
	grams, readings := sellBanana(t, m)
	if grams < 300 || grams >= 1500 || readings < 5 {
		t.Fatalf("sold %d g after %d scale events", grams, readings)
	}
}

// A till not started as a demo, with no scale set, has none: weights are typed, never simulated.
func TestNoScaleUnlessSetOrDemo(t *testing.T) {
	m, err := Open(context.Background(), Config{DBPath: filepath.Join(t.TempDir(), "checkout.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.scale != nil || m.SimScale != nil {
		t.Fatal("a scale at a till that has none set")
	}
}

// A till with scale.port set reads that serial scale, not the simulated one, even with no scanner.
func TestSerialScaleSellsThroughTill(t *testing.T) {
	ctx := context.Background()
	scaleEnd, tillEnd, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer scaleEnd.Close()
	port := tillEnd.Name()
	tillEnd.Close()
	db := filepath.Join(t.TempDir(), "checkout.db")
	st, err := OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{"scale.port", port}, {"scale.protocol", "stream"}} {
		if _, err := st.SetSetting(ctx, kv[0], kv[1], time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	m := demoTillAt(t, db)
	if m.SimScale != nil {
		t.Fatal("the simulated scale was opened beside a serial one")
	}
	go func() { // the scale: moving, then settled on 455 g, ten times a second
		lines := []string{"US,GS,+000.610kg\r\n", "US,GS,+000.447kg\r\n", "ST,GS,+000.455kg\r\n"}
		for i := 0; ; i++ {
			if _, err := scaleEnd.Write([]byte(lines[min(i, 2)])); errors.Is(err, os.ErrClosed) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	if grams, _ := sellBanana(t, m); grams != 455 {
		t.Fatalf("sold %d g, want the stable 455", grams)
	}
}

func TestCheckScaleSettings(t *testing.T) {
	if err := CheckSetting("scale.protocol", "sics"); err != nil {
		t.Error(err)
	}
	if err := CheckSetting("scale.protocol", "w"); !errors.Is(err, app.ErrInvalidSetting) {
		t.Errorf("scale.protocol w: %v", err)
	}
}
