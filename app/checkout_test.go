package app

import (
	"checkout/app/barcode"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"checkout/app/money"
	"checkout/app/signature"
)

// shelf is a Catalog over a map: the store's real catalog is tested in store/.
type shelf map[string]Product

func (s shelf) ProductByBarcode(_ context.Context, code string) (Product, error) {
	for k, p := range s {
		if barcode.NormalizeGTIN(k) == barcode.NormalizeGTIN(code) {
			return p, nil
		}
	}
	return Product{}, fmt.Errorf("%w: %s", ErrUnknownBarcode, code)
}

func (s shelf) SearchProducts(context.Context, string, int) ([]Product, error) { return nil, nil }

// ledger records what a SaleLog was given, and fails while failing is set.
type ledger struct {
	sales   []*Sale
	voids   []Void
	refunds []*Refund
	noSales []NoSale
	failing bool
}

func (l *ledger) CommitRefund(_ context.Context, r *Refund) error {
	if l.failing {
		return errors.New("disk full")
	}
	r.Number = int64(len(l.refunds) + 1)
	r.ReceiptNo = RefundNo(r.Till, r.Number)
	l.refunds = append(l.refunds, r)
	return nil
}

func (l *ledger) CommitSale(_ context.Context, s *Sale) error {
	if l.failing {
		return errors.New("disk full")
	}
	s.Number = int64(len(l.sales) + 1)
	s.ReceiptNo = ReceiptNo(s.Till, s.Number)
	l.sales = append(l.sales, s)
	return nil
}

func (l *ledger) RecordVoid(_ context.Context, v Void) error {
	if l.failing {
		return errors.New("disk full")
	}
	l.voids = append(l.voids, v)
	return nil
}

func (l *ledger) RecordNoSale(_ context.Context, n NoSale) error {
	l.noSales = append(l.noSales, n)
	return nil
}

var testShelf = shelf{"6900000000014": cola, "6900000000021": chips, "2000101000006": banana,
	"036000291452": upcItem, gs1("220012300000"): cake, gs1("260010100000"): banana}

func newTestCheckout(t *testing.T, s Settings) (*Checkout, *ledger) {
	t.Helper()
	log := &ledger{}
	clock := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	c, err := NewCheckout(s, testShelf, log, func() time.Time { clock = clock.Add(time.Second); return clock })
	if err != nil {
		t.Fatal(err)
	}
	c.SetSession(SystemSession("Olivia")) // the owner: permissions are tested in auth_test.go
	return c, log
}

func TestCheckoutSaleEndToEnd(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	for _, code := range []string{"6900000000014", " 6900000000021\r\n", "6900000000014", "3*6900000000021", "0.455*2000101000006"} {
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatalf("Scan(%q): %v", code, err)
		}
	}
	lines := c.Lines()
	if len(lines) != 3 || lines[0].Qty != Pieces(2) || lines[1].Qty != Pieces(4) || lines[2].Qty != Grams(455) {
		t.Fatalf("lines = %+v", lines)
	}
	// 6.00 + 26.00 + 6.98×0.455 (3.1759 → 3.18)
	total := c.Totals().Total
	if total.Minor() != 3518 {
		t.Fatalf("total = %v, want 35.18", total)
	}
	if _, err := c.Complete(ctx); !errors.Is(err, ErrNotPaid) {
		t.Fatalf("Complete before paying = %v", err)
	}
	if _, err := c.PayCash(cny(3000)); !errors.Is(err, ErrUnderpaid) {
		t.Fatalf("Pay 30.00 = %v, want ErrUnderpaid", err)
	}
	tender, err := c.PayCash(cny(5000))
	if err != nil || tender.Change.Minor() != 1482 {
		t.Fatalf("Pay 50.00 = %+v, %v; want change 14.82", tender, err)
	}
	if _, err := c.Scan(ctx, "6900000000014"); !errors.Is(err, ErrPaymentStarted) {
		t.Errorf("Scan after payment = %v, want ErrPaymentStarted", err)
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sale.ReceiptNo != "T01-000001" || sale.Paid().Minor() != 3518 || sale.Change().Minor() != 1482 || !sale.Rounding.IsZero() {
		t.Errorf("sale = %s paid %v change %v rounding %v", sale.ReceiptNo, sale.Paid(), sale.Change(), sale.Rounding)
	}
	if sale.ID == "" || !sale.OpenedAt.Before(sale.CompletedAt) || len(log.sales) != 1 {
		t.Errorf("sale ID %q opened %v completed %v, %d logged", sale.ID, sale.OpenedAt, sale.CompletedAt, len(log.sales))
	}
	if c.Totals().Lines != 0 || !c.CashDue().IsZero() {
		t.Error("cart not cleared after Complete")
	}
}

func TestCheckoutScanErrorsChangeNothing(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		input string
		want  error
	}{
		{"6999999999997", ErrUnknownBarcode},
		{"", ErrInvalidBarcode},
		{"   ", ErrInvalidBarcode},
		{"690000\x07000011", ErrInvalidBarcode},
		{"条码", ErrInvalidBarcode},
		{"2000101000006", ErrWeightRequired},
		{"1.5*6900000000014", ErrInvalidQuantity},
		{"0*6900000000014", ErrInvalidQuantity},
		{"x*6900000000014", ErrInvalidQuantity},
		{"3*", ErrInvalidBarcode},
		{"6900000000015", ErrInvalidBarcode},                     // wrong check digit: never looked up
		{"134567890123456789", ErrPayCodeScanned},                // WeChat pay code
		{"M00012345", ErrMemberScanned},                          // member card
		{"T01-000042", ErrReceiptScanned},                        // a receipt
		{"2*" + gs1("200010101234"), ErrInvalidQuantity},         // the label sets the quantity
		{"]C10106900000000014" + "3103000500", ErrLabelMismatch}, // a weight for cola, sold by the piece
		{"(01)02000101000006(37)2", ErrLabelMismatch},            // a count for bananas, sold by weight
	}
	for _, tt := range tests {
		added, err := c.Scan(ctx, tt.input)
		if !errors.Is(err, tt.want) {
			t.Errorf("Scan(%q) = %v, want %v", tt.input, err, tt.want)
		}
		if errors.Is(tt.want, ErrWeightRequired) && added.Product.SKU != banana.SKU {
			t.Errorf("weight required did not name the product: %+v", added)
		}
		if ErrorCode(err) == "" {
			t.Errorf("Scan(%q) error %v has no code for the UI", tt.input, err)
		}
	}
	if lines := c.Lines(); len(lines) != 1 || lines[0].Qty != Pieces(1) {
		t.Errorf("bad scans changed the cart: %+v", lines)
	}
}

func TestCheckoutCashRounding(t *testing.T) {
	ctx := context.Background()
	s := DefaultSettings()
	s.CashRounding.Step = 10
	c, _ := newTestCheckout(t, s)
	if _, err := c.Scan(ctx, "0.455*2000101000006"); err != nil { // 3.18
		t.Fatal(err)
	}
	if due := c.CashDue(); due.Minor() != 320 {
		t.Fatalf("cash due = %v, want 3.20", due)
	}
	tender, err := c.PayCash(cny(1000))
	if err != nil || tender.Change.Minor() != 680 {
		t.Fatalf("Pay = %+v, %v", tender, err)
	}
	sale, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sale.Rounding.Minor() != 2 || sale.Totals.Total.Minor() != 318 || sale.Paid().Minor() != 320 {
		t.Errorf("rounding %v total %v paid %v", sale.Rounding, sale.Totals.Total, sale.Paid())
	}
}

func TestCheckoutPayRefusesBadAmounts(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	if _, err := c.PayCash(cny(100)); !errors.Is(err, ErrEmptyCart) {
		t.Errorf("Pay on empty cart = %v", err)
	}
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		amt  money.Amount
		want error
	}{
		{cny(0), ErrInvalidAmount},
		{cny(-500), ErrInvalidAmount},
		{money.New(500, money.USD), ErrInvalidAmount},
		{cny(690_000_000), ErrInvalidAmount}, // a barcode in the amount field
	} {
		if _, err := c.PayCash(tt.amt); !errors.Is(err, tt.want) {
			t.Errorf("PayCash(%v) = %v, want %v", tt.amt, err, tt.want)
		}
	}
	if c.CashDue().Minor() != 300 {
		t.Errorf("refused payments changed what is due: %v", c.CashDue())
	}
}

func TestCheckoutCompleteRetriesWithSameSaleAfterStoreFailure(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCash(cny(500)); err != nil {
		t.Fatal(err)
	}
	log.failing = true
	if _, err := c.Complete(ctx); err == nil {
		t.Fatal("Complete reported success while the store failed")
	}
	if c.Totals().Lines != 1 {
		t.Fatal("failed Complete lost the cart")
	}
	log.failing = false
	first, err := c.Complete(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.sales) != 1 || first.Change().Minor() != 200 {
		t.Errorf("retry stored %d sales, change %v", len(log.sales), first.Change())
	}
	// The next sale gets a new identity.
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCash(cny(300)); err != nil {
		t.Fatal(err)
	}
	second, err := c.Complete(ctx)
	if err != nil || second.ID == first.ID {
		t.Errorf("second sale ID %q = first %q (%v)", second.ID, first.ID, err)
	}
}

func TestCheckoutVoid(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	if err := c.Void(ctx); err != nil || len(log.voids) != 0 {
		t.Fatalf("void of nothing = %v, %d journaled", err, len(log.voids))
	}
	if _, err := c.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	log.failing = true
	if err := c.Void(ctx); err == nil || c.Totals().Lines != 1 {
		t.Fatal("a void that could not be journaled cleared the cart")
	}
	log.failing = false
	if err := c.Void(ctx); err != nil {
		t.Fatal(err)
	}
	if len(log.voids) != 1 || log.voids[0].Total.Minor() != 650 || c.Totals().Lines != 0 {
		t.Errorf("voids = %+v", log.voids)
	}
}

func TestNewIDIsTimeOrderedUUIDv7(t *testing.T) {
	before := time.Now().UnixMilli()
	a := NewID()
	time.Sleep(2 * time.Millisecond)
	b := NewID()
	if len(a) != 36 || a[14] != '7' || !strings.ContainsRune("89ab", rune(a[19])) || a == b || b <= a {
		t.Errorf("NewID = %q, then %q", a, b)
	}
	ms, err := strconv.ParseInt(strings.ReplaceAll(a[:13], "-", ""), 16, 64)
	if err != nil || ms < before || ms > before+1000 {
		t.Errorf("%q holds %d ms, made at %d", a, ms, before)
	}
}

func TestCheckoutCompletesAFreeSaleWithoutTender(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000021"); err != nil {
		t.Fatal(err)
	}
	if err := c.SetDiscount(0, Discount{PercentBP: 10000}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCash(cny(100)); !errors.Is(err, ErrInvalidAmount) {
		t.Errorf("paying for a free sale = %v", err)
	}
	sale, err := c.Complete(ctx)
	if err != nil || len(sale.Tenders) != 0 || !sale.Totals.Total.IsZero() || len(log.sales) != 1 {
		t.Fatalf("free sale = %+v, %v", sale, err)
	}

	// Cash rounding can take a small total to nothing.
	s := DefaultSettings()
	s.CashRounding.Step = 10
	c, _ = newTestCheckout(t, s)
	if _, err := c.Scan(ctx, "0.005*2000101000006"); err != nil { // 6.98 × 0.005 = 0.0349 → 0.03
		t.Fatal(err)
	}
	sale, err = c.Complete(ctx)
	if err != nil || sale.Rounding.Minor() != -3 || !sale.Paid().IsZero() {
		t.Fatalf("rounded-away sale = %+v, %v", sale, err)
	}
}

func TestSettleCashNeverTakesCashTwice(t *testing.T) {
	ctx := context.Background()
	c, log := newTestCheckout(t, DefaultSettings())
	if _, err := c.Scan(ctx, "6900000000021"); err != nil { // 6.50
		t.Fatal(err)
	}
	if _, err := c.SettleCash(ctx, cny(500)); !errors.Is(err, ErrUnderpaid) || ErrorCode(err) == "" {
		t.Fatalf("underpaid settle = %v", err)
	}
	log.failing = true
	if _, err := c.SettleCash(ctx, cny(1000)); err == nil || ErrorCode(err) != "" {
		t.Fatalf("settle with a failing store = %v, want a storage error", err)
	}
	log.failing = false
	sale, err := c.SettleCash(ctx, cny(2000)) // the retry: the 10.00 already taken stands
	if err != nil {
		t.Fatal(err)
	}
	if len(sale.Tenders) != 1 || sale.Tenders[0].Tendered != cny(1000) || sale.Change() != cny(350) || len(log.sales) != 1 {
		t.Errorf("tenders %+v change %v, %d stored", sale.Tenders, sale.Change(), len(log.sales))
	}
}

func TestCheckoutScansLabelsAndEveryGTINForm(t *testing.T) {
	ctx := context.Background()
	c, _ := newTestCheckout(t, DefaultSettings())
	scans := []struct {
		code    string
		sku     string
		qty     Quantity
		gross   int64
		expired bool
	}{
		{"0036000291452", upcItem.SKU, Pieces(1), 350, false},                // stored as UPC-A, scanned as EAN-13
		{"]E00036000291452", upcItem.SKU, Pieces(2), 700, false},             // with its AIM identifier: merges
		{gs1("200010101234"), banana.SKU, Grams(1234), 861, false},           // 1.234 kg × 6.98 = 8.61332
		{gs1("220012300599"), cake.SKU, Pieces(1), 599, false},               // priced label
		{gs1("220012300599"), cake.SKU, Pieces(1), 599, false},               // each label its own line
		{gs1("26001010069802000"), banana.SKU, Grams(2000), 698, false},      // scale: 2 kg, label says 6.98
		{"(01)02000101000006(3922)0349", banana.SKU, Grams(500), 349, false}, // price only: the weight it buys
		{"]C10106900000000014" + "17261122" + "10L42", cola.SKU, Pieces(1), 300, true},
	}
	for i, s := range scans {
		added, err := c.Scan(ctx, s.code)
		if err != nil {
			t.Fatalf("Scan(%q): %v", s.code, err)
		}
		l := c.Lines()[added.Line]
		if l.Product.SKU != s.sku || l.Qty != s.qty || l.Gross.Minor() != s.gross || added.Expired != s.expired {
			t.Errorf("scan %d %q: line %s qty %d gross %d expired %v; want %s %d %d %v",
				i, s.code, l.Product.SKU, l.Qty, l.Gross.Minor(), added.Expired, s.sku, s.qty, s.gross, s.expired)
		}
	}
	if n := len(c.Lines()); n != 7 {
		t.Errorf("%d lines, want 7", n)
	}
	// A labelled line keeps its label: the quantity cannot change, a discount can.
	if err := c.SetQuantity(2, Grams(2000)); !errors.Is(err, ErrInvalidQuantity) {
		t.Errorf("SetQuantity on a label = %v", err)
	}
	if err := c.SetDiscount(3, Discount{PercentBP: 5000}); err != nil || c.Lines()[3].Total.Minor() != 299 {
		t.Errorf("discount on a label: %v %+v", err, c.Lines()[3])
	}
}

func TestCheckoutBarcodeLayoutsFromSettings(t *testing.T) {
	s := DefaultSettings()
	if err := s.Set("barcode_layout.20", "none"); err != nil {
		t.Fatal(err)
	}
	c, _ := newTestCheckout(t, s)
	// With prefix 20 read as plain GTINs, a weighed banana label is an unknown product.
	if _, err := c.Scan(context.Background(), gs1("200010101234")); !errors.Is(err, ErrUnknownBarcode) {
		t.Errorf("without the layout: %v", err)
	}
	if err := s.Set("barcode_layout.20", "PPIIIIIWWWWW"); !errors.Is(err, ErrInvalidSetting) {
		t.Errorf("a layout without a check digit was accepted: %v", err)
	}
	if got := s.Value("barcode_layout.22"); got != "PPIIIIIMMMMMC" {
		t.Errorf("Value(barcode_layout.22) = %q", got)
	}
}

// gs1 appends the GS1 check digit.
func gs1(data string) string { return data + string(barcode.CheckDigit(data)) }

// Another cashier may not go on with the sale a cashier left in the cart; she herself and a supervisor may.
func TestTakeOverRefusesAnotherCashier(t *testing.T) {
	c, _ := newTestCheckout(t, DefaultSettings())
	li := &Session{user: User{Name: "Li", Role: RoleCashier, Active: true}}
	c.SetSession(li)
	if _, err := c.Scan(context.Background(), "6900000000014"); err != nil {
		t.Fatal(err)
	}
	zhao := &Session{user: User{Name: "Zhao", Role: RoleCashier, Active: true}}
	var held *SaleHeldError
	if err := c.TakeOver(zhao); !errors.As(err, &held) || held.Cashier != "Li" {
		t.Fatalf("another cashier took over Li's sale: %v", err)
	}
	if c.Session() != li {
		t.Fatalf("the refused cashier is signed in: %q", c.Session().Name())
	}
	if err := c.TakeOver(&Session{user: User{Name: "li", Role: RoleCashier, Active: true}}); err != nil {
		t.Fatalf("Li could not go on with her own sale: %v", err)
	}
	wang := &Session{user: User{Name: "Wang", Role: RoleSupervisor, Active: true}}
	if err := c.TakeOver(wang); err != nil || c.Session() != wang {
		t.Fatalf("a supervisor could not take over the sale: %v", err)
	}
	if len(c.Lines()) != 1 {
		t.Errorf("the sale changed hands with %d lines, want 1", len(c.Lines()))
	}
}

// A UPC-E that a scanner sends as 6 or 7 digits sells the product under its UPC-A, unless a product has
// those digits as its own code (a PLU or in-house code): the code as typed wins.
func TestCheckoutScansShortUPCE(t *testing.T) {
	ctx := context.Background()
	soup := Product{ID: 6, SKU: "IMP-002", Name: "Soup, UPC-E 04252614", Price: cny(420), Unit: UnitPiece, TaxClass: "standard", Active: true}
	catalog := shelf{"042100005264": soup, "1234565": cola, "012345000065": chips}
	for _, tt := range []struct {
		code string
		sku  string
		qty  Quantity
		err  error
	}{
		{"4252614", soup.SKU, Pieces(1), nil},       // number system dropped
		{"425261", soup.SKU, Pieces(1), nil},        // number system and check digit dropped
		{"0425261", soup.SKU, Pieces(1), nil},       // check digit dropped; the other reading 004252000061 is unknown
		{"]E04252614", soup.SKU, Pieces(1), nil},    // with the EAN/UPC AIM identifier
		{"3*4252614", soup.SKU, Pieces(3), nil},     // a quantity first
		{"1234565", cola.SKU, Pieces(1), nil},       // an in-house code of 7 digits, though 012345000065 is chips
		{"9999999", "", 0, ErrUnknownBarcode},       // no product, no UPC-E reading
		{"0000000", "", 0, ErrUnknownBarcode},       // a UPC-E reading that no product has
		{"]C04252614", "", 0, ErrUnknownBarcode},    // a Code 128 of 7 digits is an in-house code only
		{"42526", "", 0, ErrUnknownBarcode},         // 5 digits: a PLU, never a UPC-E
		{"04252614", soup.SKU, Pieces(1), nil},      // the full UPC-E as before
		{"0425261\r\n", soup.SKU, Pieces(1), nil},   // a scanner's terminator
		{" 425261 ", soup.SKU, Pieces(1), nil},      // typed with spaces
		{"2*0425261", soup.SKU, Pieces(2), nil},     // quantity and a dropped check digit
		{"]E0425261", soup.SKU, Pieces(1), nil},     // six digits with the AIM identifier
		{"]E09999999", "", 0, ErrInvalidBarcode},    // the AIM identifier says UPC-E, but it is none
		{"]E00425261", soup.SKU, Pieces(1), nil},    // AIM, check digit dropped: the second reading
		{"0123457", "", 0, ErrUnknownBarcode},       // both readings unknown
		{"1234565", cola.SKU, Pieces(1), nil},       // again: never the UPC-E reading
		{"4011", "", 0, ErrUnknownBarcode},          // a PLU
		{"0042100005264", soup.SKU, Pieces(1), nil}, // the UPC-A as EAN-13
	} {
		c, err := NewCheckout(DefaultSettings(), catalog, &ledger{}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		c.SetSession(SystemSession("Olivia"))
		added, err := c.Scan(ctx, tt.code)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Scan(%q) = %v, want %v", tt.code, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Scan(%q): %v", tt.code, err)
			continue
		}
		if l := c.Lines()[added.Line]; l.Product.SKU != tt.sku || l.Qty != tt.qty {
			t.Errorf("Scan(%q) sold %s × %d, want %s × %d", tt.code, l.Product.SKU, l.Qty, tt.sku, tt.qty)
		}
	}
}

// A GS1 label's price with a currency (AI 393n) is what the line charges when the currency is the shop's;
// in another currency the label is refused and the cart is left as it was.
func TestCheckoutScansGS1PriceWithCurrency(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		code  string
		qty   Quantity
		gross int64
		err   error
	}{
		// 1.250 kg of bananas at 6.98/kg would be 8.73: the label says 9.99.
		{"(01)02000101000006(3103)001250(3932)1560999", Grams(1250), 999, nil},
		{"]C10102000101000006" + "3103001250" + "3932" + "1560999", Grams(1250), 999, nil},
		// Price only: the weight that price buys at 6.98/kg.
		{"(01)02000101000006(3932)1560349", Grams(500), 349, nil},
		{"(01)02000101000006(3930)1565", Grams(716), 500, nil},
		{"(01)02000101000006(3103)001250(3932)8400999", 0, 0, barcode.ErrCurrency},
		{"(01)02000101000006(3103)001250(3932)3440999", 0, 0, barcode.ErrCurrency},
		{"(01)02000101000006(3103)001250(3933)1569999", 0, 0, barcode.ErrAIValue},
	} {
		c, _ := newTestCheckout(t, DefaultSettings())
		added, err := c.Scan(ctx, tt.code)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !errors.Is(err, ErrInvalidBarcode) || len(c.Lines()) != 0 {
				t.Errorf("Scan(%q) = %v with %d lines, want %v", tt.code, err, len(c.Lines()), tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Scan(%q): %v", tt.code, err)
			continue
		}
		if l := c.Lines()[added.Line]; l.Product.SKU != banana.SKU || l.Qty != tt.qty || l.Gross.Minor() != tt.gross {
			t.Errorf("Scan(%q): %s qty %d gross %d, want qty %d gross %d", tt.code, l.Product.SKU, l.Qty, l.Gross.Minor(), tt.qty, tt.gross)
		}
	}
	// A shop in US dollars takes a label priced in dollars and refuses one in yuan.
	s := DefaultSettings()
	if err := s.Set("currency", "USD"); err != nil {
		t.Fatal(err)
	}
	c, _ := newTestCheckout(t, s)
	if _, err := c.Scan(ctx, "(01)02000101000006(3103)001250(3932)1560999"); !errors.Is(err, barcode.ErrCurrency) {
		t.Errorf("a yuan label in a dollar shop: %v", err)
	}
	if added, err := c.Scan(ctx, "(01)02000101000006(3103)001250(3932)8400999"); err != nil || c.Lines()[added.Line].Gross.Minor() != 999 {
		t.Errorf("a dollar label in a dollar shop: %v", err)
	}
}

// scaleShelf is a catalog that has the 26… scale label template of every even item reference (half of
// them), each a weighed product, and nothing else.
type scaleShelf struct{}

func (scaleShelf) ProductByBarcode(_ context.Context, code string) (Product, error) {
	g := barcode.NormalizeGTIN(code)
	if len(g) == 14 && g[:3] == "026" && g[8:13] == "00000" && (g[7]-'0')%2 == 0 {
		return scaleItem(g[3:8]), nil
	}
	return Product{}, fmt.Errorf("%w: %s", ErrUnknownBarcode, code)
}

func (scaleShelf) SearchProducts(context.Context, string, int) ([]Product, error) { return nil, nil }

func scaleItem(item string) Product {
	return Product{ID: 100, SKU: "SCALE-" + item, Name: "Weighed " + item, Price: cny(1990), Unit: UnitKg, TaxClass: "reduced", Active: true}
}

// An 18-digit Alipay pay code starting 26 whose last digit happens to be a good GS1 check digit (1 in 10)
// reads as a 26… scale label too. Where a pay code is expected (the payment dialog) it is a pay code;
// at the sale screen it is the label only when the label's item is in the catalog, else a pay code.
func TestAlipayCodeThatLooksLikeAScaleLabel(t *testing.T) {
	ctx := context.Background()
	newCheckout := func(t *testing.T) *Checkout {
		c, err := NewCheckout(DefaultSettings(), scaleShelf{}, &ledger{}, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		c.SetSession(SystemSession("Olivia"))
		if _, err := c.AddProduct(cola, Pieces(1)); err != nil { // something to pay for
			t.Fatal(err)
		}
		return c
	}
	t.Run("table", func(t *testing.T) {
		for _, tt := range []struct {
			name  string
			code  string
			sells string // the SKU the sale screen sells, "" for a pay code
		}{
			{"label of an item in the catalog", gs1("26001020139602000"), "SCALE-00102"},
			{"label of an item not in the catalog", gs1("26001010139602000"), ""},
			{"bad check digit: only a pay code", "261234567890123455", ""},
			{"good check digit, item not in the catalog", "261234567890123450", ""},
			{"good check digit, item in the catalog", gs1("26123467890123456"), "SCALE-12346"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c := newCheckout(t)
				req, err := c.StartCodePayment(tt.code, cny(100))
				if err != nil || req.Wallet != "alipay" || req.Code != tt.code {
					t.Errorf("StartCodePayment(%q) = %+v, %v", tt.code, req, err)
				}
				added, err := c.Scan(ctx, tt.code)
				if tt.sells == "" {
					if !errors.Is(err, ErrPayCodeScanned) || len(c.Lines()) != 1 {
						t.Errorf("Scan(%q) = %v, %d lines; want a pay code", tt.code, err, len(c.Lines()))
					}
					return
				}
				if err != nil || added.Product.SKU != tt.sells || len(c.Lines()) != 2 {
					t.Errorf("Scan(%q) = %+v, %v; want %s sold", tt.code, added.Product, err, tt.sells)
				}
			})
		}
	})
	t.Run("1000 random codes", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(22, 4))
		var labels, sold int
		for range 1000 {
			code := "26"
			for range 16 {
				code += string(rune('0' + rng.IntN(10)))
			}
			c := newCheckout(t)
			req, err := c.StartCodePayment(code, cny(100))
			if err != nil || req.Wallet != "alipay" || req.Code != code {
				t.Fatalf("payment dialog: StartCodePayment(%q) = %+v, %v", code, req, err)
			}
			isLabel := code[17] == barcode.CheckDigit(code[:17])
			inCatalog := isLabel && (code[6]-'0')%2 == 0 // the item reference is code[2:7]
			if isLabel {
				labels++
			}
			added, err := c.Scan(ctx, code)
			switch {
			case inCatalog:
				sold++
				if errors.Is(err, ErrPayCodeScanned) || added.Product.SKU != scaleItem(code[2:7]).SKU {
					t.Fatalf("sale screen: Scan(%q) = %+v, %v; want the label's item", code, added.Product, err)
				}
			case !errors.Is(err, ErrPayCodeScanned) || len(c.Lines()) != 1:
				t.Fatalf("sale screen: Scan(%q) = %v, %d lines; want a pay code", code, err, len(c.Lines()))
			}
		}
		// About 1 in 10 has a good check digit, and half of those name an item in the catalog.
		if labels < 60 || labels > 140 || sold < 20 || sold == labels {
			t.Errorf("%d of 1000 read as labels, %d of them sold: the sample does not test both sides", labels, sold)
		}
	})
}

// Over signature.card_over a card payment needs the shopper's signature first; it goes with the sale,
// and the next sale starts unsigned. Under the amount none is asked.
func TestCardPaymentOverTheAmountIsSigned(t *testing.T) {
	ctx := context.Background()
	set := DefaultSettings()
	if err := set.Set("signature.card_over", "5"); err != nil {
		t.Fatal(err)
	}
	c, log := newTestCheckout(t, set)
	if _, err := c.Scan(ctx, "6900000000014"); err != nil { // cola ¥3.00: under
		t.Fatal(err)
	}
	if _, err := c.PayCard(c.Due(), "A1B2", "4242"); err != nil {
		t.Fatalf("a card payment under the amount: %v", err)
	}
	if _, err := c.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"6900000000014", "6900000000014"} { // ¥6.00: over
		if _, err := c.Scan(ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.PayCard(c.Due(), "A1B2", "4242"); !errors.Is(err, ErrUnsigned) {
		t.Fatalf("an unsigned card payment over the amount: %v", err)
	}
	if err := c.SignSale(nil); !errors.Is(err, ErrUnsigned) {
		t.Errorf("an empty signature: %v", err)
	}
	sig := signature.Signature{{{100, 500}, {300, 400}, {600, 550}}}
	if err := c.SignSale(sig); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCard(c.Due(), "A1B2", "4242"); err != nil {
		t.Fatal(err)
	}
	sale, err := c.Complete(ctx)
	if err != nil || sale.Signature.Digest() != sig.Digest() {
		t.Fatalf("the signed sale: %v, %v", sale, err)
	}
	if len(log.sales) != 2 || !log.sales[0].Signature.Empty() {
		t.Error("the first sale is signed")
	}
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Scan(ctx, "6900000000014"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PayCard(c.Due(), "A1B2", "4242"); !errors.Is(err, ErrUnsigned) {
		t.Errorf("the next sale kept the signature: %v", err)
	}
}
