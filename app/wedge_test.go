package app

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"checkout/app/barcode"
)

const ms = time.Millisecond

// evenly returns a gap of d after each of text's characters (the last is the gap before Enter).
func evenly(text string, d time.Duration) []time.Duration {
	gaps := make([]time.Duration, len([]rune(text)))
	for i := range gaps {
		gaps[i] = d
	}
	return gaps
}

// jittered returns a gap after each of text's characters drawn uniformly from [lo, hi].
func jittered(r *rand.Rand, text string, lo, hi time.Duration) []time.Duration {
	gaps := make([]time.Duration, len([]rune(text)))
	for i := range gaps {
		gaps[i] = lo + time.Duration(r.Int64N(int64(hi-lo)+1))
	}
	return gaps
}

// randomDigits returns n random decimal digits.
func randomDigits(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// randomScans returns n codes a shop's scanner reads, in turn a WeChat pay code, an Alipay pay code (of
// any length its rule allows), a GTIN-13 and a GTIN-8, drawn from r.
func randomScans(r *rand.Rand, n int) []string {
	codes := make([]string, 0, n)
	for i := range n {
		switch i % 4 {
		case 0: // WeChat: 18 digits starting 10–15
			codes = append(codes, "1"+string(byte('0'+r.IntN(6)))+randomDigits(r, 16))
		case 1: // Alipay: 16 to 24 digits starting 25–30
			prefix := []string{"25", "26", "27", "28", "29", "30"}[r.IntN(6)]
			codes = append(codes, prefix+randomDigits(r, 14+r.IntN(9)))
		case 2: // GTIN-13 with a Chinese GS1 prefix
			d := "69" + randomDigits(r, 10)
			codes = append(codes, d+string(barcode.CheckDigit(d)))
		default: // GTIN-8
			d := "69" + randomDigits(r, 5)
			codes = append(codes, d+string(barcode.CheckDigit(d)))
		}
	}
	return codes
}

// The busy two-core till: a scanner's keys arrive with gaps anywhere from 5 to 120 ms. Every
// pay code and GTIN is still a scan, whole, at the default and at the Bluetooth setting.
func TestWedgeScanOnABusyMachine(t *testing.T) {
	c := NewClassifier(DefaultSettings(), nil)
	r := rand.New(rand.NewPCG(22, 4))
	codes := randomScans(r, 200)
	for _, typical := range []time.Duration{DefaultWedgeGap, 150 * ms} {
		scans := 0
		for _, code := range codes {
			gaps := jittered(r, code, 5*ms, 120*ms)
			start, ok := c.WedgeScan([]rune(code), gaps, typical)
			if !ok || start != 0 {
				t.Errorf("typical %v: %s with gaps %v: start %d, scan %v; want the whole code as a scan", typical, code, gaps, start, ok)
				continue
			}
			scans++
		}
		t.Logf("typical gap %v: %d of %d jittered scans taken whole", typical, scans, len(codes))
	}
}

// A fast typist — 60 to 200 ms between keys — typing approval codes, amounts, quantities and names is
// never a scanner, whatever the setting.
func TestWedgeTypingIsNeverAScan(t *testing.T) {
	c := NewClassifier(DefaultSettings(), nil)
	r := rand.New(rand.NewPCG(22, 5))
	typed := []string{"884211", "A1B2C3", "Z9Y8X7", "100", "58.5", "3", "0.455", "Banana", "Zhang Wei",
		"Coca-Cola", "chips", "A1B2C3 4242", "138001", "water 550"}
	for _, typical := range []time.Duration{10 * ms, DefaultWedgeGap, 150 * ms} {
		runs := 0
		for range 100 {
			for _, text := range typed {
				gaps := jittered(r, text, 60*ms, 200*ms)
				if start, ok := c.WedgeScan([]rune(text), gaps, typical); ok {
					t.Errorf("typical %v: %q typed with gaps %v was taken for a scan from %d", typical, text, gaps, start)
				}
				runs++
			}
		}
		t.Logf("typical gap %v: %d typed runs, none a scan", typical, runs)
	}
}

func TestWedgeScan(t *testing.T) {
	c := NewClassifier(DefaultSettings(), nil)
	lay := "200010101234"
	lay += string(barcode.CheckDigit(lay))
	for _, tc := range []struct {
		name    string
		text    string
		gaps    []time.Duration
		typical time.Duration
		start   int
		scan    bool
	}{
		{"a GTIN-13 at scanner speed", "5449000000996", evenly("5449000000996", 4*ms), DefaultWedgeGap, 0, true},
		{"a GTIN-13 on a busy machine", "5449000000996", evenly("5449000000996", 110*ms), DefaultWedgeGap, 0, true},
		{"a GTIN with one long stall", "5449000000996", []time.Duration{5 * ms, 5 * ms, 240 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms}, DefaultWedgeGap, 0, true},
		{"a GTIN at a person's pace", "5449000000996", evenly("5449000000996", 150*ms), DefaultWedgeGap, 0, false},
		// After a pause longer than any scanner's, what came before was typed: what follows is the code.
		{"a stall longer than any scanner's", "5449000000996", []time.Duration{5 * ms, 5 * ms, 300 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms}, DefaultWedgeGap, 3, true},
		{"a shaped code after a stall", "12" + "5449000000996", append([]time.Duration{5 * ms, 300 * ms}, evenly("5449000000996", 100*ms)...), DefaultWedgeGap, 2, true},
		{"Enter long after the code", "5449000000996", append(evenly("544900000099", 5*ms), 400*ms), DefaultWedgeGap, 0, false},
		{"a wrong check digit is not a code's shape", "5449000000997", evenly("5449000000997", 80*ms), DefaultWedgeGap, 0, false},
		{"a wrong check digit at scanner speed", "5449000000997", evenly("5449000000997", 4*ms), DefaultWedgeGap, 0, true},
		{"a scale label", lay, evenly(lay, 100*ms), DefaultWedgeGap, 0, true},
		{"a WeChat pay code", "134567890123456789", evenly("134567890123456789", 100*ms), DefaultWedgeGap, 0, true},
		{"a member card", "M00012345", evenly("M00012345", 100*ms), DefaultWedgeGap, 0, true},
		{"a receipt", "T01-000007", evenly("T01-000007", 100*ms), DefaultWedgeGap, 0, true},
		{"an AIM identifier", "]C1ABC-123", evenly("]C1ABC-123", 100*ms), DefaultWedgeGap, 0, true},
		{"a GS1 element string", "]C10105449000000996172001011", evenly("]C10105449000000996172001011", 90*ms), DefaultWedgeGap, 0, true},
		{"a card swipe", ";1234567890123?", evenly(";1234567890123?", 90*ms), DefaultWedgeGap, 0, true},
		{"an in-house code at scanner speed", "+A123BJC5D6E71", evenly("+A123BJC5D6E71", 4*ms), DefaultWedgeGap, 0, true},
		{"an in-house code on a busy machine", "+A123BJC5D6E71", evenly("+A123BJC5D6E71", 90*ms), DefaultWedgeGap, 0, false},
		{"an in-house code with a hiccup", "ABC12345", []time.Duration{5 * ms, 5 * ms, 90 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms, 5 * ms}, DefaultWedgeGap, 0, true},
		{"six letters typed fast with a few quick keys", "Banana", []time.Duration{40 * ms, 45 * ms, 130 * ms, 40 * ms, 150 * ms, 45 * ms}, DefaultWedgeGap, 0, false},
		{"six letters at the Bluetooth setting", "A1B2C3", evenly("A1B2C3", 70*ms), 150 * ms, 0, false},
		{"too short to be a code", "12345", evenly("12345", 2*ms), DefaultWedgeGap, 0, false},
		{"a quantity typed, then a code scanned", "3*5449000000996",
			append([]time.Duration{150 * ms, 200 * ms}, evenly("5449000000996", 5*ms)...), DefaultWedgeGap, 2, true},
		{"a quantity and a code, all scanned", "3*5449000000996", evenly("3*5449000000996", 4*ms), DefaultWedgeGap, 0, true},
		{"letters typed, then a GTIN scanned on a busy machine", "ab5449000000996",
			append([]time.Duration{150 * ms, 200 * ms}, evenly("5449000000996", 100*ms)...), DefaultWedgeGap, 2, true},
		{"a typed pay code shape at a slow pace", "134567890123456789", evenly("134567890123456789", 180*ms), DefaultWedgeGap, 0, false},
		{"the Bluetooth setting lets a slower shaped code through", "5449000000996", evenly("5449000000996", 140*ms), 150 * ms, 0, true},
	} {
		start, ok := c.WedgeScan([]rune(tc.text), tc.gaps, tc.typical)
		if ok != tc.scan || (ok && start != tc.start) {
			t.Errorf("%s: WedgeScan(%q) = %d, %v; want %d, %v", tc.name, tc.text, start, ok, tc.start, tc.scan)
		}
	}
}

// WedgeScan never panics and never starts a scan outside the keys, whatever it is given.
func FuzzWedgeScan(f *testing.F) {
	f.Add("5449000000996", int64(5), int64(120), int64(50))
	f.Add("Banana", int64(60), int64(200), int64(150))
	f.Add("", int64(0), int64(0), int64(0))
	c := NewClassifier(DefaultSettings(), nil)
	f.Fuzz(func(t *testing.T, text string, lo, hi, typical int64) {
		keys := []rune(text)
		r := rand.New(rand.NewPCG(uint64(lo), uint64(hi)))
		gaps := make([]time.Duration, len(keys))
		for i := range gaps {
			gaps[i] = time.Duration(lo) + time.Duration(r.Int64N(max(hi-lo, 0)+1))
		}
		if start, ok := c.WedgeScan(keys, gaps, time.Duration(typical)); ok && (start < 0 || len(keys)-start < 6) {
			t.Fatalf("WedgeScan(%q) = %d, %v", text, start, ok)
		}
	})
}
