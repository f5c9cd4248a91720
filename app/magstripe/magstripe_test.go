package magstripe

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

const testPAN = "4111111111111111"

func mustParse(t *testing.T, raw string) Card {
	t.Helper()
	c, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse(%q): %v", raw, err)
	}
	return c
}

// TestNumberNeverPrinted prints a card every way a log line or debug dump might and checks the number is
// never there, not even in hex.
func TestNumberNeverPrinted(t *testing.T) {
	c := mustParse(t, visaTrack1+visaTrack2)
	type holder struct {
		Card Card
		card Card
	}
	outputs := []string{c.String(), c.GoString()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%10.3v"} {
		outputs = append(outputs,
			fmt.Sprintf(verb, c),
			fmt.Sprintf(verb, &c),
			fmt.Sprintf(verb, []Card{c}),
			fmt.Sprintf(verb, holder{c, c}),
			fmt.Sprintf(verb, map[string]Card{"k": c}))
	}
	js, err := json.Marshal(holder{Card: c})
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js))
	hexPAN := fmt.Sprintf("%x", testPAN)
	for _, out := range outputs {
		if strings.Contains(out, testPAN) || strings.Contains(strings.ToLower(out), hexPAN) || strings.Contains(out, "4111111111") {
			t.Errorf("output shows the card number: %s", out)
		}
	}
	if got, want := c.String(), `card 411111******1111 "DOE/JOHN" exp 2030-12`; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestToken(t *testing.T) {
	key := []byte("till-secret")
	full := mustParse(t, visaTrack1+visaTrack2)
	// HMAC-SHA256("till-secret", "4111111111111111"), computed independently.
	const want = "e78066b35234726d6ec59be6bb3d96ca4cb1e52d2938ca7e5c5224ddaf32ce73"
	if got := full.Token(key); got != want {
		t.Fatalf("Token = %s, want %s", got, want)
	}
	if got := mustParse(t, visaTrack2).Token(key); got != want {
		t.Errorf("track 2 alone gives token %s: the same card must give the same token", got)
	}
	if got := full.Token([]byte("other-shop")); got == want {
		t.Error("a different key gave the same token")
	}
	if got := mustParse(t, mcTrack2).Token(key); got == want {
		t.Error("a different card gave the same token")
	}
	if got := (Card{}).Token(key); got != "" {
		t.Errorf("zero Card token %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("Token with an empty key did not panic")
		}
	}()
	full.Token(nil)
}

func TestZeroCard(t *testing.T) {
	var c Card
	if c.Masked() != "" || c.Last4() != "" || c.PassesLuhn() || c.String() != "card " {
		t.Errorf("zero Card: masked %q last4 %q luhn %v string %q", c.Masked(), c.Last4(), c.PassesLuhn(), c.String())
	}
}

func TestExpiry(t *testing.T) {
	exp := Expiry{Year: 2030, Month: 12}
	for _, tt := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2030, 12, 31, 23, 59, 0, 0, time.UTC), false}, // valid through the last day of the month
		{time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := exp.Expired(tt.now); got != tt.want {
			t.Errorf("%v.Expired(%v) = %v", exp, tt.now, got)
		}
	}
	if (Expiry{}).Expired(time.Now()) {
		t.Error("a card without expiry expired")
	}
	if exp.String() != "2030-12" || (Expiry{}).String() != "" {
		t.Errorf("String: %q %q", exp.String(), Expiry{}.String())
	}
}
