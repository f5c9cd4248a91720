package app

import (
	"slices"
	"strings"
	"time"

	"checkout/app/barcode"
	"checkout/app/magstripe"
)

// Keyboard-wedge timing (PROTOCOL-NOTES, Scanners). A wedge scanner types a code as keys a few ms apart
// and Enter; people leave 100–300 ms, the fastest 60 ms, between keys. On a busy machine the keys reach
// the till late and in clumps: a scan's gaps spread from almost nothing to 100 ms and more, and the
// slowest key of a scan can come a quarter of a second after the one before.
const (
	// DefaultWedgeGap is the typical gap between a wedge scanner's keys (keyboard.wedge_gap_ms).
	DefaultWedgeGap = 50 * time.Millisecond
	// WedgeSlowGap is the longest median gap of a scan on a busy till: a code whose shape says it was
	// scanned (WedgeScan) is a scan at up to this median gap, or the setting's if that is longer.
	WedgeSlowGap = 120 * time.Millisecond
	// WedgePause is the longest a scanner leaves between two keys: a longer gap ends any scan.
	WedgePause = 250 * time.Millisecond

	// wedgeMinLen is the fewest characters a scan has: a UPC-E sent without its number system and
	// check digit.
	wedgeMinLen = 6
	// typingFloor is a median gap no person keeps up over six keys: text with no code's shape is a scan
	// only at or under it.
	typingFloor = 50 * time.Millisecond
)

// WedgeScan says whether keys typed into one field and then Enter were a keyboard-wedge scanner's code,
// and at which key the code began (keys before it were typed into the field first). gaps[i] is the time
// from keys[i] to the next key, the last one's to Enter; typical is the scanner's typical gap
// (keyboard.wedge_gap_ms).
//
// Timing alone cannot tell a busy till's scan from a fast typist, so the content decides the borderline.
// A run shaped like a scanned code — a GTIN or scale label with a good check digit, a wallet pay code,
// a member card, a receipt, a GS1 element string, a code behind an AIM identifier, a card swipe — is a
// scan when its median gap is at most WedgeSlowGap (or typical, if longer) and no gap exceeds
// WedgePause. Any other text must come at scanner speed throughout: a median gap at most typical (and
// never over 50 ms, faster than anyone types) and no gap over twice that. Either way a scan has at
// least six characters.
//
// A scan may follow keys typed by hand: it begins at the first key or after a gap longer than typical,
// the earliest such start with a code's shape winning, then the earliest with scanner speed throughout.
func (c Classifier) WedgeScan(keys []rune, gaps []time.Duration, typical time.Duration) (start int, ok bool) {
	if len(gaps) != len(keys) || len(keys) < wedgeMinLen {
		return 0, false
	}
	if typical <= 0 {
		typical = DefaultWedgeGap
	}
	var starts []int
	for i := range len(keys) - wedgeMinLen + 1 {
		if i == 0 || gaps[i-1] > typical {
			starts = append(starts, i)
		}
	}
	slowMedian := max(WedgeSlowGap, typical)
	for _, s := range starts {
		if median, longest := gapSpread(gaps[s:]); median <= slowMedian && longest <= WedgePause && c.scanShaped(string(keys[s:])) {
			return s, true
		}
	}
	fast := min(typical, typingFloor)
	for _, s := range starts {
		if median, longest := gapSpread(gaps[s:]); median <= fast && longest <= 2*fast {
			return s, true
		}
	}
	return 0, false
}

// gapSpread returns the median of gaps (the upper one of an even count) and the longest.
func gapSpread(gaps []time.Duration) (median, longest time.Duration) {
	sorted := slices.Clone(gaps)
	slices.Sort(sorted)
	return sorted[len(sorted)/2], sorted[len(sorted)-1]
}

// scanShaped reports whether text has the shape of something only a scanner or a card reader sends
// whole: a code behind an AIM identifier, a card swipe, or a code that reads, check digit and all, as a
// trade item, a scale label, a pay code, a member card or a receipt. A quantity typed before '*' is not.
func (c Classifier) scanShaped(text string) bool {
	if sym, _ := barcode.StripAIM(text); sym != barcode.Unknown {
		return true
	}
	if magstripe.LooksLikeSwipe(text) {
		return true
	}
	if strings.ContainsAny(text, "* ") {
		return false
	}
	in := c.Classify(text)
	if in.Err != nil {
		return false
	}
	switch in.Kind {
	case InputPayCode, InputMember, InputReceipt:
		return true
	}
	return in.Code.Kind == barcode.Trade || in.Code.Kind == barcode.Variable
}
