package app

import (
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"

	"checkout/app/barcode"
	"checkout/app/money"
)

// TaxMode says whether shelf prices include tax (China, EU) or tax is added at the till (US).
type TaxMode string

// Tax modes.
const (
	TaxInclusive TaxMode = "inclusive"
	TaxExclusive TaxMode = "exclusive"
)

// Settings are the shop's rules for a sale. They are read once when the till starts.
type Settings struct {
	Till     string // till identifier printed in receipt numbers, e.g. "T01"
	Currency money.Currency
	TaxMode  TaxMode
	// TaxRates maps a product's tax class to its rate in basis points (1300 = 13%).
	TaxRates map[string]int64
	// CashRounding is the smallest cash step in minor units: 0 (none), 5, 10 or 100. Only cash is rounded.
	CashRounding int64
	// BarcodeLayouts maps an in-store code prefix ("20") to its variable-measure layout (barcode.Layout).
	BarcodeLayouts map[string]string
	// MemberPrefix starts the codes on this shop's member cards.
	MemberPrefix string
	// Devices holds the hardware settings ("scanner.ports", "scanner.baud", …) as text: the device
	// packages read and check them, the domain only keeps them.
	Devices map[string]string
}

// Device returns a hardware setting, or "" when it is not set.
func (s Settings) Device(key string) string { return s.Devices[key] }

// DefaultSettings are those of a till in mainland China: CNY, prices include VAT at 13% (standard) or
// 9% (reduced: fresh produce), no cash rounding.
func DefaultSettings() Settings {
	return Settings{
		Till:     "T01",
		Currency: money.CNY,
		TaxMode:  TaxInclusive,
		TaxRates: map[string]int64{"standard": 1300, "reduced": 900, "zero": 0},
		BarcodeLayouts: func() map[string]string {
			m := map[string]string{}
			for _, l := range barcode.DefaultLayouts() {
				m[l.Prefix] = l.Pattern
			}
			return m
		}(),
		MemberPrefix: "M",
	}
}

// BarcodeRules returns how this shop reads scanned codes: its layouts and member prefix, the default
// wallet pay-code rules, and its currency's minor units for GS1 prices.
func (s Settings) BarcodeRules() barcode.Rules {
	r := barcode.Rules{PayCodes: barcode.DefaultPayCodes(), MemberPrefix: s.MemberPrefix, Exponent: s.Currency.Exponent}
	for _, prefix := range sortedKeys(s.BarcodeLayouts) {
		r.Layouts = append(r.Layouts, barcode.Layout{Prefix: prefix, Pattern: s.BarcodeLayouts[prefix]})
	}
	return r
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var tillPattern = regexp.MustCompile(`^[A-Z0-9]{1,8}$`)

// Validate reports the first setting a sale cannot be computed with.
func (s Settings) Validate() error {
	switch {
	case !tillPattern.MatchString(s.Till):
		return fmt.Errorf("%w: till %q: 1-8 capital letters or digits", ErrInvalidSetting, s.Till)
	case s.Currency.Code == "":
		return fmt.Errorf("%w: no currency", ErrInvalidSetting)
	case s.TaxMode != TaxInclusive && s.TaxMode != TaxExclusive:
		return fmt.Errorf("%w: tax mode %q: inclusive or exclusive", ErrInvalidSetting, s.TaxMode)
	}
	switch s.CashRounding {
	case 0, 1, 5, 10, 100:
	default:
		return fmt.Errorf("%w: cash rounding %d: 0, 5, 10 or 100 minor units", ErrInvalidSetting, s.CashRounding)
	}
	for class, bp := range s.TaxRates {
		if bp < 0 || bp > 10000 {
			return fmt.Errorf("%w: tax rate %s = %d basis points", ErrInvalidSetting, class, bp)
		}
	}
	if err := s.BarcodeRules().Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSetting, err)
	}
	return nil
}

// TaxClasses returns the configured classes in order.
func (s Settings) TaxClasses() []string { return sortedKeys(s.TaxRates) }

// Set changes one setting by name from text, as the `checkout set` command takes it:
// till (T01), currency (CNY), tax_mode (inclusive|exclusive), cash_rounding (0, 0.05, 0.10 or 1.00 in
// the currency), tax_rate.CLASS (a percentage: 13, 8.25), barcode_layout.PREFIX (a barcode.Layout
// pattern such as PPIIIIIWWWWWC, or "none" to read that prefix as ordinary GTINs) and member_prefix.
// The result is validated; on error s is unchanged.
func (s *Settings) Set(key, value string) error {
	next := *s
	next.TaxRates = maps.Clone(s.TaxRates)
	next.BarcodeLayouts = maps.Clone(s.BarcodeLayouts)
	if next.BarcodeLayouts == nil {
		next.BarcodeLayouts = map[string]string{}
	}
	next.Devices = maps.Clone(s.Devices)
	if next.Devices == nil {
		next.Devices = map[string]string{}
	}
	value = strings.TrimSpace(value)
	switch {
	case key == "till":
		next.Till = strings.ToUpper(value)
	case key == "currency":
		c, err := money.Lookup(value)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidSetting, err)
		}
		next.Currency = c
	case key == "tax_mode":
		next.TaxMode = TaxMode(value)
	case key == "cash_rounding":
		a, err := money.Parse(value, next.Currency)
		if err != nil {
			return fmt.Errorf("%w: cash_rounding: %v", ErrInvalidSetting, err)
		}
		next.CashRounding = a.Minor()
	case strings.HasPrefix(key, "tax_rate.") && len(key) > len("tax_rate."):
		bp, err := ParsePercent(value)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalidSetting, key, err)
		}
		next.TaxRates[strings.TrimPrefix(key, "tax_rate.")] = bp
	case strings.HasPrefix(key, "barcode_layout.") && len(key) > len("barcode_layout."):
		prefix := strings.TrimPrefix(key, "barcode_layout.")
		if value == "none" || value == "" {
			delete(next.BarcodeLayouts, prefix)
		} else {
			next.BarcodeLayouts[prefix] = strings.ToUpper(value)
		}
	case key == "member_prefix":
		next.MemberPrefix = value
	case isDeviceKey(key):
		if value == "" {
			delete(next.Devices, key)
		} else {
			next.Devices[key] = value
		}
	default:
		return fmt.Errorf("%w: unknown setting %q", ErrInvalidSetting, key)
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*s = next
	return nil
}

// deviceKeyPattern matches hardware settings: a device kind and an option, "scanner.ports".
var deviceKeyPattern = regexp.MustCompile(`^(scanner|keyboard)\.[a-z_]+$`)

func isDeviceKey(key string) bool { return deviceKeyPattern.MatchString(key) }

// Values returns every setting as Set takes it, keys sorted.
func (s Settings) Values() [][2]string {
	rounding := money.New(s.CashRounding, s.Currency).Decimal()
	v := [][2]string{{"cash_rounding", rounding}, {"currency", s.Currency.Code}}
	for _, prefix := range sortedKeys(s.BarcodeLayouts) {
		v = append(v, [2]string{"barcode_layout." + prefix, s.BarcodeLayouts[prefix]})
	}
	v = append(v, [2]string{"member_prefix", s.MemberPrefix})
	for _, key := range sortedKeys(s.Devices) {
		v = append(v, [2]string{key, s.Devices[key]})
	}
	for _, class := range s.TaxClasses() {
		v = append(v, [2]string{"tax_rate." + class, money.FormatFixed(s.TaxRates[class], 2)})
	}
	v = append(v, [2]string{"tax_mode", string(s.TaxMode)}, [2]string{"till", s.Till})
	sort.Slice(v, func(i, j int) bool { return v[i][0] < v[j][0] })
	return v
}

// Value returns one setting as Set takes it, or "" for an unknown key.
func (s Settings) Value(key string) string {
	for _, kv := range s.Values() {
		if kv[0] == key {
			return kv[1]
		}
	}
	return ""
}
