package ui_test

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"checkout/app"
	"checkout/app/barcode"
	"checkout/app/money"
	"checkout/devices/sim"
	"checkout/store"
)

// withGateway gives the till the simulated wallet provider, answering at once.
func withGateway(s *setup) {
	s.svc.Payments.Gateway = sim.NewGateway(0)
	s.svc.Payments.Wait = app.PaymentWait{Poll: time.Millisecond, Timeout: 50 * time.Millisecond}
}

func storedSale(t *testing.T, st *store.Store, receipt string) *app.Sale {
	t.Helper()
	sale, err := st.SaleByReceipt(context.Background(), receipt)
	if err != nil {
		t.Fatalf("sale %s: %v", receipt, err)
	}
	return sale
}

func TestSplitPaymentCashThenCard(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	scan(w, "5449000000996") // cola ¥3.00
	scan(w, "6924743915763") // chips ¥6.50
	press(w, fyne.KeyF12)
	typeIn(w, "5")
	press(w, fyne.KeyF4) // ¥5.00 in cash now, the rest by card
	mustShow(t, w, "Paid: Cash ¥5.00", "¥4.50")

	press(w, fyne.KeyF6)
	mustShow(t, w, "Card payment", "Charge ¥4.50 on the card terminal")
	typeIn(w, "884211")
	press(w, fyne.KeyReturn)
	typeIn(w, "42")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "last four digits of the card.") // refused: not four digits; nothing taken
	typeIn(w, "42")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")

	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 2 || sale.Tenders[0].Kind != app.TenderCash || sale.Tenders[0].Amount.Minor() != 500 ||
		sale.Tenders[1].Kind != app.TenderCard || sale.Tenders[1].Amount.Minor() != 450 || sale.Tenders[1].CardLast4 != "4242" ||
		sale.Tenders[1].Approval != "884211" {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
}

func TestWalletPayCodeCompletesTheSale(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	wedgeScan(w, "134567890123456789") // the customer's WeChat pay code
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	mustShow(t, till.Display().Window(), "Thank you!")
	if shows(w, "134567890123456789") {
		t.Error("the pay code is on screen whole")
	}
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet || sale.Tenders[0].Wallet != "wechat" ||
		sale.Tenders[0].Approval == "" || sale.Tenders[0].Reference == "" {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
}

// An Alipay pay code whose last digit happens to be a good GS1 check digit reads as a 26… scale label
// too: in the payment dialog it is charged as the pay code it is.
func TestPayCodeLikeAScaleLabelPaysInThePaymentDialog(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	code := "26123456789012345" + string(barcode.CheckDigit("26123456789012345"))
	scan(w, "5449000000996")
	scan(w, code) // at the sale screen: no such item in the catalog, so a pay code, not a product
	mustShow(t, w, "This is a customer's payment code. Scan it when taking payment.")
	press(w, fyne.KeyF12)
	wedgeScan(w, code)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Lines) != 1 || len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet || sale.Tenders[0].Wallet != "alipay" {
		t.Fatalf("stored lines %d, tenders %+v", len(sale.Lines), sale.Tenders)
	}
}

func TestDeclinedPayCodeLeavesTheSaleUnpaid(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	till.ScanFromDevice("134567890123450000") // the simulated provider declines codes ending 0000
	mustShow(t, w, "The payment was declined.", "Take payment")
	mustShow(t, till.Display().Window(), "Payment not completed")
	if _, err := st.SaleByReceipt(context.Background(), "T01-000001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a declined payment stored a sale: %v", err)
	}
	press(w, fyne.KeyReturn) // the customer pays cash instead
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
}

func TestMerchantQROnTheCustomerDisplay(t *testing.T) {
	const payload = "00020101021226280012com.demo.pay0108DEMO00015204541153031565406" // the till's payload up to the amount
	var gotRef string
	till, st := newTill(t, func(s *setup) {
		s.svc.Payments.QR = func(amount money.Amount, ref string) (string, error) {
			gotRef = ref
			return payload + amount.Decimal() + "|" + ref, nil
		}
	})
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF7)
	mustShow(t, w, "QR code payment", "¥3.00")
	mustShow(t, till.Display().Window(), "Scan to pay", "¥3.00")
	img := till.Display().QRImage()
	if img == nil {
		t.Fatal("no QR code on the customer display")
	}
	if got := decodeQR(t, img); got != payload+"3.00|"+gotRef {
		t.Fatalf("the QR code reads %q", got)
	}
	if b := img.Bounds(); b.Dx() < 340 {
		t.Errorf("QR image %d px wide: too small to scan from 40 cm", b.Dx())
	}
	press(w, fyne.KeyReturn) // the customer's phone shows it paid
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if sale := storedSale(t, st, "T01-000001"); sale.Tenders[0].Kind != app.TenderQR || sale.Tenders[0].Reference != gotRef {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
	if till.Display().QRImage() != nil {
		t.Error("the QR code stayed on the display after the sale")
	}
}

// decodeQR reads the QR code image the display draws. It is a pure code (no photo, no perspective): read
// as such, since gozxing's finder-pattern search misses about 1 in 15 random payloads even on a perfect
// image.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestShopNameAndSecondCurrency(t *testing.T) {
	till, _ := newShopTill(t, [][2]string{{"shop_name", "Lin's Corner Shop"}, {"second_currency", "USD"}, {"second_rate", "0.1380"}})
	d := till.Display().Window()
	mustShow(t, d, "Welcome to Lin's Corner Shop")
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "5449000000996")
	scan(w, "6924743915763") // ¥12.50 ≈ $1.72 (1.725, half to even)
	mustShow(t, w, "¥12.50", "≈ $1.72")
	mustShow(t, d, "Total ¥12.50", "≈ $1.72")
}

func TestSplitPaymentCashThenQR(t *testing.T) {
	till, st := newTill(t, func(s *setup) {
		s.svc.Payments.QR = func(amount money.Amount, ref string) (string, error) {
			return "PAY " + amount.Decimal() + " " + ref, nil
		}
	})
	w := till.Window()
	scan(w, "6924743915763") // ¥6.50
	press(w, fyne.KeyF12)
	typeIn(w, "2")
	press(w, fyne.KeyF4) // ¥2.00 in cash
	press(w, fyne.KeyF7) // the rest, ¥4.50, by QR
	mustShow(t, till.Display().Window(), "Scan to pay", "¥4.50")
	if got := decodeQR(t, till.Display().QRImage()); !strings.HasPrefix(got, "PAY 4.50 ") {
		t.Fatalf("QR reads %q", got)
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 2 || sale.Tenders[0].Kind != app.TenderCash || sale.Tenders[1].Kind != app.TenderQR || sale.Tenders[1].Amount.Minor() != 450 {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
}

// The counter's case from issue 28: ¥3.18 of bananas at a 0.10 step dropping the small change (抹零).
// A cash part that is not whole jiao is refused and says why; ¥1.00 in cash and the card for the rest
// completes; cash settling the rest shows what was dropped, on screen and in the stored sale.
func TestSplitPaymentWithCashRounding(t *testing.T) {
	till, st := newShopTill(t, [][2]string{{"cash_rounding", "0.10"}, {"cash_rounding_mode", "down"}})
	w := till.Window()
	scan(w, "0.455*2000101000006") // bananas, 6.98 × 0.455 = ¥3.18
	press(w, fyne.KeyF12)
	mustShow(t, w, "¥3.10", "Rounded down -¥0.08", "card, QR: ¥3.18")
	typeIn(w, "1.59")
	press(w, fyne.KeyF4)
	mustShow(t, w, "Cash is taken in steps of 0.10: 1.59 cannot change hands.")
	for range 4 {
		press(w, fyne.KeyBackspace)
	}
	typeIn(w, "1")
	press(w, fyne.KeyF4)
	mustShow(t, w, "Paid: Cash ¥1.00", "¥2.10", "card, QR: ¥2.18")
	press(w, fyne.KeyF6)
	mustShow(t, w, "Charge ¥2.18 on the card terminal")
	typeIn(w, "884211")
	press(w, fyne.KeyReturn)
	typeIn(w, "4242")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if sale := storedSale(t, st, "T01-000001"); !sale.Rounding.IsZero() || sale.Paid().Minor() != 318 {
		t.Fatalf("card and cash: rounding %v, paid %v", sale.Rounding, sale.Paid())
	}

	scan(w, "0.455*2000101000006")
	press(w, fyne.KeyF12)
	typeIn(w, "5")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥1.90 · receipt T01-000002 · Rounded down -¥0.08")
	if sale := storedSale(t, st, "T01-000002"); sale.Rounding.Minor() != -8 || sale.Paid().Minor() != 310 {
		t.Fatalf("cash: rounding %v, paid %v", sale.Rounding, sale.Paid())
	}
}

// A pay code that lands in the amount field as typing (a scanner's keystrokes split by a busy machine)
// is charged as a pay code, never taken as cash; a product's code there is refused; and cash over 100
// times the amount due is taken only when Enter is pressed again.
func TestCodesInTheAmountFieldAreNeverCash(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	scan(w, "5449000000996") // cola ¥3.00
	press(w, fyne.KeyF12)
	typeIn(w, "134567890123456789")
	mustShow(t, w, "A code, not an amount: Enter charges it as the customer's pay code.")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet || sale.Tenders[0].Amount.Minor() != 300 {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}

	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	typeIn(w, "6924743915763") // the chips' barcode, typed where the cash goes
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Payment has started: the cart cannot change.")
	typeIn(w, "500")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "¥500.00 is more than 100 times the amount due. Enter again to take it, or correct it.")
	if _, err := st.SaleByReceipt(context.Background(), "T01-000002"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cash 166 times the amount due was taken at once: %v", err)
	}
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥497.00 · receipt T01-000002")
}

// The pay code tile, by touch, asks for the shopper's pay code; its digits typed and Enter charge the
// wallet, as a scan would.
func TestPayCodeTileAsksForTheCode(t *testing.T) {
	till, st := newTill(t, withGateway)
	w := till.Window()
	scan(w, "5449000000996") // cola ¥3.00
	press(w, fyne.KeyF12)
	test.Tap(findButton(t, w, "Pay code (F5)"))
	mustShow(t, w, "Scan the customer's pay code, or type its digits and press Enter.")
	typeIn(w, "134567890123456789")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	if sale := storedSale(t, st, "T01-000001"); len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
}

// A QR payment the provider confirms: the code it makes is on the customer display, and the sale
// completes when the provider says the shopper paid; the cashier presses nothing. The tender keeps the
// provider's transaction.
func TestQRPaymentConfirmedByTheProvider(t *testing.T) {
	gw := sim.NewGateway(0)
	till, st := newTill(t, func(s *setup) {
		s.svc.Payments = app.Payments{Gateway: gw, Presenter: gw, Wait: app.PaymentWait{Poll: time.Millisecond, Timeout: time.Second}}
	})
	w := till.Window()
	scan(w, "5449000000996") // cola ¥3.00
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF7)
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderQR || !strings.HasPrefix(sale.Tenders[0].Approval, "SIM") {
		t.Fatalf("stored tenders %+v", sale.Tenders)
	}
	if got := gw.Orders(); len(got) != 1 || got[sale.Tenders[0].Reference] != app.PaymentPaid { // the tender's order, paid
		t.Errorf("the provider's orders: %v", got)
	}
}

// A shopper who never pays: the provider's order is reversed at the timeout, the payment dialog comes
// back saying so, and nothing is taken.
func TestQRPaymentNeverPaidIsReversed(t *testing.T) {
	gw := sim.NewGateway(time.Hour) // the shopper never confirms
	till, st := newTill(t, func(s *setup) {
		s.svc.Payments = app.Payments{Gateway: gw, Presenter: gw, Late: s.st, Wait: app.PaymentWait{Poll: time.Millisecond, Timeout: 20 * time.Millisecond}}
	})
	w := till.Window()
	scan(w, "5449000000996")
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF7)
	mustShow(t, w, "Take payment")
	if _, err := st.SaleByReceipt(context.Background(), "T01-000001"); err == nil {
		t.Fatal("a QR payment never paid was stored")
	}
	orders := gw.Orders()
	if len(orders) != 1 {
		t.Fatalf("the provider has %d orders", len(orders))
	}
	for ref, status := range orders {
		if status != app.PaymentDeclined {
			t.Errorf("order %s is %v, not reversed", ref, status)
		}
	}
	if till.Display().QRPayload != "" {
		t.Error("the code stayed on the customer display")
	}
	// The code given up on is watched: paid after all, the money goes back (app.SweepLatePayments).
	watched, err := st.WatchedPayments(context.Background())
	if err != nil || len(watched) != 1 || watched[0].Amount != cny(300) {
		t.Fatalf("watched %+v, %v", watched, err)
	}
	till.LatePaymentReversed(watched[0].Reference, watched[0].Amount)
	mustShow(t, w, "A QR payment of ¥3.00 made after the till gave up on it went back to the shopper")
}

// The status bar says when wallet payments are simulated, or why the provider cannot be used; a working
// provider needs no word.
func TestPaymentsStateInTheStatusBar(t *testing.T) {
	till, _ := newTill(t)
	w := till.Window()
	till.SetPaymentsState(app.Payments{Gateway: sim.NewGateway(0)})
	if shows(w, "Payments") {
		t.Error("a working provider is in the status bar")
	}
	till.SetPaymentsState(app.Payments{Gateway: sim.NewGateway(0), Simulated: true})
	mustShow(t, w, "Payments: simulated, no money moves")
	till.SetPaymentsState(app.Payments{Unusable: errors.New("alipay-app.pem: readable by others")})
	mustShow(t, w, "Payments: cannot be used: alipay-app.pem: readable by others")
}
