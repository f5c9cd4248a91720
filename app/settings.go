package app

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

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
	// CashRounding is how the cash that changes hands is rounded; nothing else is.
	CashRounding CashRounding
	// BarcodeLayouts maps an in-store code prefix ("20") to its variable-measure layout (barcode.Layout).
	BarcodeLayouts map[string]string
	// MemberPrefix starts the codes on this shop's member cards.
	MemberPrefix string
	// Shop is who the shop is, for the customer display and the payment QR code.
	Shop Shop
	// PaymentQR is the shop's account for merchant-presented QR payments; its GUID is "" when it has none.
	PaymentQR PaymentQR
	// Provider is the wallet payment provider's endpoint and this shop's ID with it; URL is "" until one is
	// set up. Its signing secret is not a setting: it stays out of the database and the journal.
	Provider Provider
	// SecondCurrency, when set, is shown beside totals (see InSecondCurrency); its Code is "" when the
	// shop shows one currency.
	SecondCurrency money.Currency
	// SecondRate is how much 1 unit of Currency buys of SecondCurrency, in millionths (0.1380 → 138000).
	SecondRate int64
	// Loyalty is how members earn and spend points and the top-up bonus.
	Loyalty Loyalty
	// Security is how PINs, the idle lock and cashiers' discounts are guarded.
	Security Security
	// Backup is where the till copies its books off its own disk.
	Backup Backup
	// Display is the customer display's logo and slideshow.
	Display Display
	// Wallets are the wallet providers spoken to on their own protocols (Alipay, WeChat Pay).
	Wallets Wallets
	// Guard says when an action waits for a supervisor at the moment it is done (see Guard).
	Guard GuardRules
	// Signatures say when the shopper signs on the screen.
	Signatures Signatures
	// LineLimit is the most one line may come to, in minor units, before the cashier confirms it (a price
	// or quantity typed wrong); 0 for no limit.
	LineLimit int64
	// Devices holds the hardware settings ("scanner.ports", "scanner.baud", …) as text: the device
	// packages read and check them, the domain only keeps them.
	Devices map[string]string
}

// Shop names the shop.
type Shop struct {
	Name    string // ≤ 25 characters on the payment QR code; prefer Latin letters there
	City    string // ≤ 15 characters
	Country string // ISO 3166 alpha-2, "CN"
}

// PaymentQR is the merchant account a payment QR code pays into (EMVCo merchant account template).
type PaymentQR struct {
	GUID       string // globally unique ID of the payment network or acquirer (reverse domain or AID)
	MerchantID string // the shop's ID with that network
	MCC        string // merchant category code, "5411" (grocery)
	// Static is the shop's fixed collection code as printed by its wallet provider (an EMVCo payload or
	// a wallet's URL), used when there is no GUID: the shopper types the amount, the cashier confirms.
	Static string
}

// Provider is where wallet pay codes are charged.
type Provider struct {
	URL        string // "https://pay.example.com"
	MerchantID string
}

// rateScale is SecondRate's unit: millionths.
const rateScale = 1_000_000

// InSecondCurrency converts a to the second currency at SecondRate, rounded half to even; ok is false
// when no second currency is set.
func (s Settings) InSecondCurrency(a money.Amount) (money.Amount, bool) {
	if s.SecondCurrency.Code == "" || s.SecondRate <= 0 {
		return money.Amount{}, false
	}
	num := s.SecondRate * s.SecondCurrency.MinorPerMajor()
	den := int64(rateScale) * a.Currency().MinorPerMajor()
	v, ok := money.MulDiv(a.Minor(), num, den)
	if !ok {
		return money.Amount{}, false
	}
	return money.New(v, s.SecondCurrency), true
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
		Loyalty:      DefaultLoyalty(),
		Security:     DefaultSecurity(),
		LineLimit:    1_000_000, // ¥10,000.00
		Shop:         Shop{Country: "CN"},
		PaymentQR:    PaymentQR{MCC: "5411"},
		Backup:       DefaultBackup(),
		Display:      DefaultDisplay(),
		Guard:        DefaultGuardRules(),
	}
}

// BarcodeRules returns how this shop reads scanned codes: its layouts and member prefix, the default
// wallet pay-code rules, and its currency's minor units and ISO 4217 numeric code for GS1 prices.
func (s Settings) BarcodeRules() barcode.Rules {
	r := barcode.Rules{PayCodes: barcode.DefaultPayCodes(), MemberPrefix: s.MemberPrefix, Exponent: s.Currency.Exponent,
		Currency: s.Currency.Numeric}
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
	switch s.CashRounding.Step {
	case 0, 1, 5, 10, 100:
	default:
		return fmt.Errorf("%w: cash rounding %d: 0, 5, 10 or 100 minor units", ErrInvalidSetting, s.CashRounding.Step)
	}
	switch s.CashRounding.Mode {
	case "", RoundNearest, RoundDown:
	default:
		return fmt.Errorf("%w: cash_rounding_mode %q: nearest or down", ErrInvalidSetting, s.CashRounding.Mode)
	}
	for class, bp := range s.TaxRates {
		if bp < 0 || bp > 10000 {
			return fmt.Errorf("%w: tax rate %s = %d basis points", ErrInvalidSetting, class, bp)
		}
	}
	if err := s.BarcodeRules().Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidSetting, err)
	}
	if err := s.Security.checkPINLock(); err != nil {
		return err
	}
	switch {
	case len([]rune(s.Shop.Name)) > 25:
		return fmt.Errorf("%w: shop_name: at most 25 characters (it goes on the payment QR code)", ErrInvalidSetting)
	case len([]rune(s.Shop.City)) > 15:
		return fmt.Errorf("%w: shop_city: at most 15 characters", ErrInvalidSetting)
	case !countryPattern.MatchString(s.Shop.Country):
		return fmt.Errorf("%w: shop_country %q: two capital letters such as CN", ErrInvalidSetting, s.Shop.Country)
	case !mccPattern.MatchString(s.PaymentQR.MCC):
		return fmt.Errorf("%w: qr_mcc %q: four digits", ErrInvalidSetting, s.PaymentQR.MCC)
	case len(s.PaymentQR.GUID) > 32 || len(s.PaymentQR.MerchantID) > 32:
		return fmt.Errorf("%w: qr_guid and qr_merchant_id: at most 32 characters each", ErrInvalidSetting)
	}
	return nil
}

var (
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	mccPattern     = regexp.MustCompile(`^[0-9]{4}$`)
)

// TaxClasses returns the configured classes in order.
func (s Settings) TaxClasses() []string { return sortedKeys(s.TaxRates) }

// Set changes one setting by name from text, as the `checkout set` command takes it:
// till (T01), currency (CNY), tax_mode (inclusive|exclusive), cash_rounding (0, 0.05, 0.10 or 1.00 in
// the currency), cash_rounding_mode (nearest, or down: 抹零, the small change dropped), tax_rate.CLASS (a percentage: 13, 8.25), barcode_layout.PREFIX (a barcode.Layout
// pattern such as PPIIIIIWWWWWC, or "none" to read that prefix as ordinary GTINs), member_prefix,
// shop_name, shop_city, shop_country, qr_guid, qr_merchant_id, qr_mcc (the payment QR account),
// second_currency (a code, or "none") and second_rate (how much 1 of the currency buys of it: 0.1380),
// line_limit (what one line may come to before the cashier confirms it), backup.target,
// backup.snapshot_hours and backup.keep (Backup), display.logo, display.slideshow and
// display.slideshow_seconds (Display), payment_provider, payment_sandbox, alipay.* and wechat.* (Wallets),
// guard, guard.window_minutes, guard.factor and guard.price_change_percent (GuardRules),
// signature.refunds and signature.card_over (Signatures).
// The result is validated; on error s is unchanged.
func (s *Settings) Set(key, value string) error {
	next := *s
	next.TaxRates = maps.Clone(s.TaxRates)
	next.BarcodeLayouts = maps.Clone(s.BarcodeLayouts)
	if next.BarcodeLayouts == nil {
		next.BarcodeLayouts = map[string]string{}
	}
	next.Loyalty.Tiers = maps.Clone(s.Loyalty.Tiers)
	if next.Loyalty.Tiers == nil {
		next.Loyalty.Tiers = map[string]int64{}
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
		next.CashRounding.Step = a.Minor()
	case key == "cash_rounding_mode":
		next.CashRounding.Mode = RoundingMode(strings.ToLower(value))
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
	case key == "shop_name":
		next.Shop.Name = value
	case key == "shop_city":
		next.Shop.City = value
	case key == "shop_country":
		next.Shop.Country = strings.ToUpper(value)
	case key == "qr_guid":
		next.PaymentQR.GUID = value
	case key == "qr_merchant_id":
		next.PaymentQR.MerchantID = value
	case key == "qr_mcc":
		next.PaymentQR.MCC = value
	case key == "qr_static":
		if len(value) > 512 {
			return fmt.Errorf("%w: qr_static: at most 512 characters", ErrInvalidSetting)
		}
		next.PaymentQR.Static = value
	case key == "payment_url":
		if value != "" && !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://localhost") && !strings.HasPrefix(value, "http://127.0.0.1") {
			return fmt.Errorf("%w: payment_url %q: https:// (plain http only to this machine)", ErrInvalidSetting, value)
		}
		next.Provider.URL = value
	case key == "payment_merchant_id":
		next.Provider.MerchantID = value
	case key == "second_currency":
		if value == "none" || value == "" {
			next.SecondCurrency, next.SecondRate = money.Currency{}, 0
			break
		}
		c, err := money.Lookup(value)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidSetting, err)
		}
		next.SecondCurrency = c
	case key == "second_rate":
		r, err := money.ParseFixed(value, 6)
		if err != nil || r <= 0 {
			return fmt.Errorf("%w: second_rate %q: a positive number such as 0.1380", ErrInvalidSetting, value)
		}
		next.SecondRate = r
	case key == "points_per_unit":
		v, err := money.ParseFixed(value, 3)
		if err != nil || v < 0 {
			return fmt.Errorf("%w: points_per_unit %q: points earned per unit of currency, such as 1 or 0.5", ErrInvalidSetting, value)
		}
		next.Loyalty.PointsPerUnit = v
	case key == "point_value":
		a, err := money.Parse(value, next.Currency)
		if err != nil || a.Minor() <= 0 {
			return fmt.Errorf("%w: point_value %q: what a point pays, such as 0.01", ErrInvalidSetting, value)
		}
		next.Loyalty.PointValue = a.Minor()
	case key == "points_exclude":
		next.Loyalty.Exclude = nil
		for _, c := range strings.Split(value, ",") {
			if c = strings.TrimSpace(c); c != "" {
				next.Loyalty.Exclude = append(next.Loyalty.Exclude, c)
			}
		}
	case strings.HasPrefix(key, "tier.") && len(key) > len("tier."):
		tier := strings.TrimPrefix(key, "tier.")
		if value == "" || value == "none" {
			delete(next.Loyalty.Tiers, tier)
			break
		}
		v, err := money.ParseFixed(value, 0)
		if err != nil || v <= 0 || v > 1000 {
			return fmt.Errorf("%w: %s %q: the tier's earning rate in percent, such as 150", ErrInvalidSetting, key, value)
		}
		next.Loyalty.Tiers[tier] = v
	case key == "topup_bonus":
		steps, err := parseBonusSteps(value, next.Currency)
		if err != nil {
			return fmt.Errorf("%w: topup_bonus %q: %v (e.g. 100:10,500:80)", ErrInvalidSetting, value, err)
		}
		next.Loyalty.BonusSteps = steps
	case key == "prepaid_offline_limit":
		a, err := money.Parse(value, next.Currency)
		if err != nil || a.Minor() < 0 {
			return fmt.Errorf("%w: prepaid_offline_limit %q: what a card may spend at this till while offline, such as 50 (0: up to its balance)", ErrInvalidSetting, value)
		}
		next.Loyalty.OfflineLimit = a.Minor()
	case key == "line_limit":
		a, err := money.Parse(value, next.Currency)
		if err != nil || a.Minor() < 0 {
			return fmt.Errorf("%w: line_limit %q: the most one line may come to before the cashier confirms it, such as 10000 (0: no limit)", ErrInvalidSetting, value)
		}
		next.LineLimit = a.Minor()
	case key == "discount_limit":
		bp, err := money.ParseFixed(strings.TrimSuffix(value, "%"), 2)
		if err != nil || bp < 0 || bp > 10_000 {
			return fmt.Errorf("%w: discount_limit %q: the percentage a cashier may take off a line, such as 10", ErrInvalidSetting, value)
		}
		next.Security.DiscountLimitBP = bp
	case key == "idle_lock_minutes", key == "pin_lock_minutes", key == "pin_tries":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 1440 { // Validate holds the PIN lock to its own bounds

			return fmt.Errorf("%w: %s %q: a whole number such as 5", ErrInvalidSetting, key, value)
		}
		switch key {
		case "idle_lock_minutes":
			next.Security.IdleLock = time.Duration(n) * time.Minute
		case "pin_lock_minutes":
			next.Security.PINLock = time.Duration(n) * time.Minute
		default:
			next.Security.PINTries = n
		}
	case isDeviceKey(key):
		if value == "" {
			delete(next.Devices, key)
		} else {
			next.Devices[key] = value
		}
	default:
		ok, err := next.setBackup(key, value)
		if !ok {
			ok, err = next.setDisplay(key, value)
		}
		if !ok {
			ok, err = next.setWallets(key, value)
		}
		if !ok {
			ok, err = next.setGuard(key, value)
		}
		if !ok {
			ok, err = next.setSignatures(key, value)
		}
		if !ok {
			return fmt.Errorf("%w: unknown setting %q", ErrInvalidSetting, key)
		} else if err != nil {
			return err
		}
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*s = next
	return nil
}

// deviceKeyPattern matches hardware settings: a device kind and an option, "scanner.ports".
var deviceKeyPattern = regexp.MustCompile(`^(scanner|keyboard|cardreader|printer|scale|labels)\.[a-z_]+$`)

func isDeviceKey(key string) bool { return deviceKeyPattern.MatchString(key) }

// Values returns every setting as Set takes it, keys sorted.
func (s Settings) Values() [][2]string {
	rounding := money.New(s.CashRounding.Step, s.Currency).Decimal()
	v := [][2]string{{"cash_rounding", rounding}, {"cash_rounding_mode", string(cmp.Or(s.CashRounding.Mode, RoundNearest))},
		{"currency", s.Currency.Code}}
	for _, prefix := range sortedKeys(s.BarcodeLayouts) {
		v = append(v, [2]string{"barcode_layout." + prefix, s.BarcodeLayouts[prefix]})
	}
	v = append(v, [2]string{"member_prefix", s.MemberPrefix},
		[2]string{"shop_name", s.Shop.Name}, [2]string{"shop_city", s.Shop.City}, [2]string{"shop_country", s.Shop.Country},
		[2]string{"payment_url", s.Provider.URL}, [2]string{"payment_merchant_id", s.Provider.MerchantID},
		[2]string{"qr_guid", s.PaymentQR.GUID}, [2]string{"qr_merchant_id", s.PaymentQR.MerchantID}, [2]string{"qr_mcc", s.PaymentQR.MCC}, [2]string{"qr_static", s.PaymentQR.Static})
	if s.SecondCurrency.Code != "" {
		v = append(v, [2]string{"second_currency", s.SecondCurrency.Code}, [2]string{"second_rate", money.FormatFixed(s.SecondRate, 6)})
	}
	for _, key := range sortedKeys(s.Devices) {
		v = append(v, [2]string{key, s.Devices[key]})
	}
	l := s.Loyalty
	v = append(v, [2]string{"points_per_unit", strings.TrimSuffix(strings.TrimRight(money.FormatFixed(l.PointsPerUnit, 3), "0"), ".")},
		[2]string{"point_value", money.New(l.PointValue, s.Currency).Decimal()},
		[2]string{"points_exclude", strings.Join(l.Exclude, ",")}, [2]string{"topup_bonus", formatBonusSteps(l.BonusSteps, s.Currency)},
		[2]string{"prepaid_offline_limit", money.New(l.OfflineLimit, s.Currency).Decimal()})
	sec := s.Security
	v = append(v, [2]string{"line_limit", money.New(s.LineLimit, s.Currency).Decimal()})
	v = append(v, [2]string{"discount_limit", FormatRate(sec.DiscountLimitBP)},
		[2]string{"idle_lock_minutes", strconv.Itoa(int(sec.IdleLock / time.Minute))},
		[2]string{"pin_lock_minutes", strconv.Itoa(int(sec.PINLock / time.Minute))}, [2]string{"pin_tries", strconv.Itoa(sec.PINTries)})
	for _, tier := range sortedKeys(l.Tiers) {
		v = append(v, [2]string{"tier." + tier, fmt.Sprint(l.Tiers[tier])})
	}
	for _, class := range s.TaxClasses() {
		v = append(v, [2]string{"tax_rate." + class, money.FormatFixed(s.TaxRates[class], 2)})
	}
	v = append(v, s.backupValues()...)
	v = append(v, s.displayValues()...)
	v = append(v, s.walletValues()...)
	v = append(v, s.guardValues()...)
	v = append(v, s.signatureValues()...)
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

// parseBonusSteps reads top-up bonus steps "100:10,500:80": a top-up of at least 100 gets 10 more.
func parseBonusSteps(value string, c money.Currency) ([]BonusStep, error) {
	var steps []BonusStep
	for _, part := range strings.Split(value, ",") {
		if part = strings.TrimSpace(part); part == "" || part == "none" {
			continue
		}
		minText, bonusText, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("%q is not TOPUP:BONUS", part)
		}
		lo, err := money.Parse(strings.TrimSpace(minText), c)
		if err != nil || lo.Minor() <= 0 {
			return nil, fmt.Errorf("top-up %q", minText)
		}
		bonus, err := money.Parse(strings.TrimSpace(bonusText), c)
		if err != nil || bonus.Minor() < 0 {
			return nil, fmt.Errorf("bonus %q", bonusText)
		}
		steps = append(steps, BonusStep{Min: lo.Minor(), Bonus: bonus.Minor()})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].Min < steps[j].Min })
	return steps, nil
}

func formatBonusSteps(steps []BonusStep, c money.Currency) string {
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = money.New(s.Min, c).Decimal() + ":" + money.New(s.Bonus, c).Decimal()
	}
	return strings.Join(parts, ",")
}
