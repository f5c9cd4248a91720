package till

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"checkout/app"
	"checkout/app/emvqr"
	"checkout/app/money"
	"checkout/devices/cardreader"
)

// TestDemoTillShowsAPayableQR: on a first-run till, F7 puts an EMVCo payload on the customer display that
// a wallet can read: the sale's amount, its reference, the shop's name, a valid CRC.
func TestDemoTillShowsAPayableQR(t *testing.T) {
	m := demoTill(t)
	w := m.UI.Window()
	for _, r := range "5449000000996" {
		w.Canvas().Focused().TypedRune(r)
	}
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyF12, fyne.KeyF7} {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	img := m.UI.Display().QRImage()
	if img == nil {
		t.Fatal("no QR code on the customer display")
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	read, err := gozxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}) // see ui's decodeQR
	if err != nil {
		t.Fatal(err)
	}
	p, err := emvqr.Parse(read.GetText())
	if err != nil {
		t.Fatalf("the QR code is not a valid EMVCo payload: %v\n%s", err, read.GetText())
	}
	amount, err := p.AmountIn(money.CNY)
	if err != nil || amount.Minor() != 300 || !p.Dynamic || p.Reference == "" || p.Name != "Demo Corner Shop" {
		t.Fatalf("payload %+v, amount %v, %v", p, amount, err)
	}
}

// A first-run till has a demo member whose card, tapped on the simulated reader, puts them on the sale;
// they pay part from their prepaid balance and the rest in cash. The readers' states show in the status bar.
func TestDemoMemberCardTapPaysPartPrepaid(t *testing.T) {
	m := demoTill(t)
	ctx := context.Background()
	member, err := m.Store.MemberByNumber(ctx, "M000001")
	if err != nil {
		t.Fatal(err)
	}
	set, _ := m.Store.Settings(ctx)
	tu, _ := app.NewTopUp(set, member, money.New(500, money.CNY), app.Tender{Kind: app.TenderCash}, "", time.Now())
	if err := m.Store.CommitTopUp(ctx, tu); err != nil {
		t.Fatal(err)
	}
	if m.SimCards == nil {
		t.Fatal("a demo till has no simulated card reader")
	}
	m.SimCards.Tap(demoCardUID)
	// The events a Serve loop would hand over, here on the test's goroutine.
	for ev := range m.cards.Events() {
		showCardEvent(ev, m.UI)
		if ev.Kind == cardreader.CardPresent {
			break
		}
	}
	w := m.UI.Window()
	keys := func(names ...fyne.KeyName) {
		for _, k := range names {
			w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
		}
	}
	typed := func(s string) {
		for _, r := range s {
			w.Canvas().Focused().TypedRune(r)
		}
	}
	typed("2*5449000000996")
	keys(fyne.KeyReturn, fyne.KeyF12)
	typed("5")
	keys(fyne.KeyF8)     // ¥5.00 of ¥6.00 from the prepaid balance
	keys(fyne.KeyReturn) // the rest, ¥1.00, in cash
	var texts []string
	for _, o := range test.LaidOutObjects(w.Canvas().Content()) {
		if l, ok := o.(*widget.Label); ok && l.Visible() {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, " | ")
	if !strings.Contains(all, "Paid. Change ¥0.00 · receipt T01-000001") || !strings.Contains(all, "Card reader simulated: connected") {
		t.Fatalf("the till shows: %s", all)
	}
	sale, err := m.Store.SaleByReceipt(ctx, "T01-000001")
	if err != nil || sale.Member == nil || sale.Member.Number != "M000001" || len(sale.Tenders) != 2 ||
		sale.Tenders[0].Kind != app.TenderPrepaid || sale.Tenders[0].Amount.Minor() != 500 || sale.Tenders[1].Kind != app.TenderCash {
		t.Fatalf("stored sale: %+v, %v", sale, err)
	}
	if after, _ := m.Store.MemberByNumber(ctx, "M000001"); !after.Balance.IsZero() || after.Points != 6 {
		t.Errorf("the demo member after paying: %+v", after)
	}
}

// TestDemoTillPrintsToTheSimulatedPrinter: a demo till with no printer writes each receipt's ESC/POS bytes
// to receipts.escpos beside the database, kicks the drawer for cash and shows the receipt on screen.
func TestDemoTillPrintsToTheSimulatedPrinter(t *testing.T) {
	m := demoTill(t)
	if m.SimPrinter == nil || m.Printer == nil {
		t.Fatal("a demo till has no simulated printer")
	}
	w := m.UI.Window()
	for _, r := range "5449000000996" {
		w.Canvas().Focused().TypedRune(r)
	}
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyF12, fyne.KeyReturn} {
		w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: k})
	}
	path := filepath.Join(filepath.Dir(m.Store.Path()), "receipts.escpos")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("T01-000001")) || !bytes.Contains(b, []byte("Demo Corner Shop")) || m.SimPrinter.DrawerKicks() != 1 {
		t.Errorf("receipts.escpos: %d bytes, %d drawer kicks", len(b), m.SimPrinter.DrawerKicks())
	}
}

// A first-run till's demo catalog names every category in Chinese too, one Chinese name a category, so
// a till running under zh-Hans shows 饮料, not drinks.
func TestDemoCatalogCategoriesInChinese(t *testing.T) {
	ctx := context.Background()
	m, err := Open(ctx, Config{DBPath: filepath.Join(t.TempDir(), "checkout.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	zhOf := map[string]string{}
	n := 0
	for after := ""; ; {
		page, err := m.Store.ProductPage(ctx, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			n++
			zh := p.DisplayCategory("zh-Hans")
			if p.Category == "" || p.CategoryZH == "" || zh != p.CategoryZH || !unicode.Is(unicode.Han, []rune(zh)[0]) ||
				p.DisplayCategory("en") != p.Category {
				t.Errorf("%s: category %q, Chinese %q", p.SKU, p.Category, p.CategoryZH)
			}
			if other, ok := zhOf[p.Category]; ok && other != p.CategoryZH {
				t.Errorf("%s: %s is %q here and %q elsewhere", p.SKU, p.Category, p.CategoryZH, other)
			}
			zhOf[p.Category] = p.CategoryZH
		}
		after = page[len(page)-1].SKU
	}
	if n < 200 || len(zhOf) != 10 || zhOf["drinks"] != "饮料" || zhOf["produce"] != "生鲜果蔬" {
		t.Errorf("%d products, categories %q", n, zhOf)
	}
}
