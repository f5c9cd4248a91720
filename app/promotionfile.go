package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// MaxPromotionFile bounds a promotions file: thousands of rules are a few hundred kilobytes.
const MaxPromotionFile = 16 << 20

// ReadPromotions reads a promotions file, a JSON array of promotions ({"Active": true, "Rule": {…},
// "CouponLimit": 100, "CouponTillLimit": 10}), as both the till's promotion-save and the head office's
// read it. A field the format does not have is an error, so a misspelt one is not silently a rule that
// gives nothing. The rules are not checked here: CheckPromotion is.
func ReadPromotions(r io.Reader) ([]Promotion, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxPromotionFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxPromotionFile {
		return nil, fmt.Errorf("more than %d MB", MaxPromotionFile>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var ps []Promotion
	if err := dec.Decode(&ps); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("more after the list of promotions")
	}
	return ps, nil
}
