package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"checkout/app"
	"checkout/app/document"
	"checkout/app/signature"
	"checkout/ui"
)

// findPad returns the signature pad w shows, or nil.
func findPad(w fyne.Window) *ui.SignaturePad {
	var pad *ui.SignaturePad
	visit(w, func(o fyne.CanvasObject) {
		if p, ok := o.(*ui.SignaturePad); ok && pad == nil {
			pad = p
		}
	})
	return pad
}

// drawStroke drags across pad as a finger does, from from by moves, then lifts the finger.
func drawStroke(pad *ui.SignaturePad, from fyne.Position, moves ...fyne.Delta) {
	at := from
	for _, d := range moves {
		at = at.Add(fyne.NewPos(d.DX, d.DY))
		pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at}, Dragged: d})
	}
	pad.DragEnd()
}

// signOnPad signs the pad w shows with one stroke and returns what it holds.
func signOnPad(t *testing.T, w fyne.Window) signature.Signature {
	t.Helper()
	pad := findPad(w)
	if pad == nil {
		t.Fatal("no signature pad on screen")
	}
	drawStroke(pad, fyne.NewPos(pad.Size().Width*0.2, pad.Size().Height*0.6), fyne.Delta{DX: 30, DY: -20}, fyne.Delta{DX: 40, DY: 30},
		fyne.Delta{DX: 50, DY: -10})
	return pad.Signature()
}

// With signature.refunds on, a refund waits for the shopper's signature: an empty pad cannot be Done,
// Esc refunds nothing, and a signature drawn across the pad completes the refund with the signature
// stored, its digest journaled, and the merchant's copy printed with it as a raster image.
func TestRefundSignedOnThePad(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, st := newShopTill(t, [][2]string{{"signature.refunds", "on"}}, opt)
	w := till.Window()
	scan(w, "5449000000996")
	payCash(w, "3")
	mustShow(t, w, "receipt T01-000001")
	ctx := context.Background()
	sale := storedSale(t, st, "T01-000001")

	press(w, fyne.KeyF8)
	typeIn(w, "T01-000001")
	press(w, fyne.KeyReturn)
	typeIn(w, "1")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Refund ¥3.00: please sign to confirm you received it.")
	if findButton(t, w, "Done (Enter)").Disabled() == false {
		t.Error("Done is enabled on an empty pad")
	}
	press(w, fyne.KeyReturn) // nothing signed: Enter does nothing
	mustShow(t, w, "please sign to confirm")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Not refunded: the shopper did not sign.")
	if refunds, err := st.RefundsOfSale(ctx, sale.ID); err != nil || len(refunds) != 0 {
		t.Fatalf("a refund the shopper did not sign for was stored: %+v, %v", refunds, err)
	}
	jobs := s.Jobs()

	press(w, fyne.KeyReturn) // the same refund again: the pad comes back
	pad := findPad(w)
	if pad == nil {
		t.Fatal("no signature pad on screen")
	}
	size := pad.Size()
	// Two strokes as a finger makes them: a drag of small moves, then the finger lifted.
	drawStroke(pad, fyne.NewPos(size.Width*0.1, size.Height*0.7), fyne.Delta{DX: 20, DY: -30}, fyne.Delta{DX: 25, DY: 10},
		fyne.Delta{DX: 30, DY: -40}, fyne.Delta{DX: 40, DY: 60}, fyne.Delta{DX: 60, DY: -20})
	drawStroke(pad, fyne.NewPos(size.Width*0.6, size.Height*0.2), fyne.Delta{DX: 5, DY: 40}, fyne.Delta{DX: 80, DY: 10})
	if pad.Empty() || len(pad.Signature()) != 2 {
		t.Fatalf("the drags drew %v", pad.Signature())
	}
	signed := pad.Signature()
	test.Tap(findButton(t, w, "Done (Enter)"))
	mustShow(t, w, "Refunded ¥3.00 in cash · T01-R000001")

	refunds, err := st.RefundsOfSale(ctx, sale.ID)
	if err != nil || len(refunds) != 1 || len(refunds[0].Signature) != 2 || refunds[0].Signature.Digest() != signed.Digest() {
		t.Fatalf("stored refunds %+v, %v", refunds, err)
	}
	links, err := st.JournalLinks(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var entry document.RefundEntry
	for _, l := range links {
		if l.Kind == "refund" {
			if err := json.Unmarshal([]byte(l.Payload), &entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	if entry.ReceiptNo != "T01-R000001" || entry.SignatureSHA256 != signed.Digest() {
		t.Errorf("journal entry %+v, want signature %s", entry, signed.Digest())
	}

	// Two receipts: the shopper's, then the merchant's copy with the signature as a GS v 0 raster image,
	// 384 dots (48 bytes) across.
	if got := s.Jobs() - jobs; got != 2 {
		t.Errorf("%d receipts printed for the signed refund, want 2", got)
	}
	printed := printedBytes(t, s)
	merchant := bytes.Index(printed, []byte("MERCHANT COPY"))
	raster := bytes.Index(printed, []byte{0x1D, 0x76, 0x30, 0, 48, 0})
	if merchant < 0 || raster < merchant {
		t.Errorf("merchant copy at %d, raster image at %d", merchant, raster)
	}
	if bytes.Count(printed, []byte{0x1D, 0x76, 0x30}) != 1 {
		t.Error("the signature is printed on more than the merchant's copy")
	}
}

// A card payment over signature.card_over waits for the shopper's signature: not signed, nothing is
// taken; signed, the sale is stored with it, its digest in the sale's document, and the merchant's copy
// prints it.
func TestCardPaymentSignedOverTheSetting(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, st := newShopTill(t, [][2]string{{"signature.card_over", "5"}}, opt)
	w := till.Window()
	scan(w, "6924743915763") // chips ¥6.50: over ¥5.00
	press(w, fyne.KeyF12)
	press(w, fyne.KeyF6)
	typeIn(w, "A1B2C3")
	press(w, fyne.KeyReturn)
	typeIn(w, "4242")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Card payment ¥6.50: please sign.")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Not paid: the shopper did not sign.")
	if _, err := st.SaleByReceipt(context.Background(), "T01-000001"); err == nil {
		t.Fatal("a card payment nobody signed for was stored")
	}
	jobs := s.Jobs()
	press(w, fyne.KeyReturn) // the card details are still there: on to the last four digits,
	press(w, fyne.KeyReturn) // and the pad comes back
	signed := signOnPad(t, w)
	press(w, fyne.KeyReturn) // Enter, the pen lifted: done
	mustShow(t, w, "Paid. Change ¥0.00 · receipt T01-000001")
	sale := storedSale(t, st, "T01-000001")
	if sale.Signature.Digest() != signed.Digest() || len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderCard {
		t.Fatalf("stored sale: signature %v, tenders %+v", sale.Signature, sale.Tenders)
	}
	if got := s.Jobs() - jobs; got != 2 {
		t.Errorf("%d receipts printed for the signed card payment, want 2", got)
	}
	if printed := printedBytes(t, s); !bytes.Contains(printed, []byte{0x1D, 0x76, 0x30, 0, 48, 0}) {
		t.Error("the merchant's copy has no signature")
	}
	// The next sale starts unsigned.
	scan(w, "5449000000996")
	payCash(w, "3")
	if sale := storedSale(t, st, "T01-000002"); !sale.Signature.Empty() {
		t.Error("the next sale kept the signature")
	}
}

// A top-up over signature.topup_over waits for the shopper's signature: cancelled, nothing is stored;
// signed, the top-up keeps it and the merchant's copy prints it.
func TestTopUpSignedOverTheSetting(t *testing.T) {
	s, _, opt := withPrinter(t)
	till, st := newShopTill(t, [][2]string{{"signature.topup_over", "50"}}, opt, withMembers)
	w := till.Window()
	ctx := context.Background()
	m, err := st.SaveMember(ctx, app.Member{Name: "王芳", Phone: "13800138000"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF6)
	wedgeScan(w, m.Number)
	press(w, fyne.KeyF3)
	typeIn(w, "100")
	press(w, fyne.KeyReturn)
	press(w, fyne.KeyReturn) // the amount said back, and taken
	mustShow(t, w, "Top-up ¥100.00: please sign.")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Not topped up: the shopper did not sign.")
	if got, _ := st.MemberByNumber(ctx, m.Number); !got.Balance.IsZero() {
		t.Fatalf("a top-up nobody signed for was stored: balance %s", got.Balance)
	}
	jobs := s.Jobs()
	press(w, fyne.KeyReturn)
	signOnPad(t, w)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Topped up ¥100.00 (bonus ¥0.00) · receipt T01-P000001 · balance ¥100.00")
	if got := s.Jobs() - jobs; got != 2 {
		t.Errorf("%d receipts printed for the signed top-up, want 2", got)
	}
	if printed := printedBytes(t, s); !bytes.Contains(printed, []byte{0x1D, 0x76, 0x30, 0, 48, 0}) {
		t.Error("the merchant's copy has no signature")
	}
}

// With signature.member_consent on, a new member signs their consent before their details are stored:
// cancelled, nobody is stored; signed, the consent is kept with them. Editing them later asks nothing.
func TestNewMemberSignsConsent(t *testing.T) {
	till, st := newShopTill(t, [][2]string{{"signature.member_consent", "on"}}, withMembers)
	w := till.Window()
	ctx := context.Background()
	press(w, fyne.KeyF6)
	press(w, fyne.KeyF2)
	typeIn(w, "王芳")
	press(w, fyne.KeyF12)
	mustShow(t, w, "Please sign: you agree to the shop keeping your name and phone number")
	press(w, fyne.KeyEscape)
	mustShow(t, w, "Not saved: the member did not sign their consent.")
	if _, err := st.MemberByNumber(ctx, "M000001"); err == nil {
		t.Fatal("a member who did not consent was stored")
	}
	press(w, fyne.KeyF12)
	signed := signOnPad(t, w)
	press(w, fyne.KeyReturn)
	mustShow(t, w, "王芳 · M000001", "Added.")
	m, err := st.MemberByNumber(ctx, "M000001")
	if err != nil {
		t.Fatal(err)
	}
	consent, when, err := st.MemberConsent(ctx, m.ID)
	if err != nil || consent.Digest() != signed.Digest() || when.IsZero() {
		t.Fatalf("consent %v at %v, %v", consent, when, err)
	}
	press(w, fyne.KeyF5) // edit: no second consent
	typeIn(w, " 女士")
	press(w, fyne.KeyF12)
	if findPad(w) != nil {
		t.Error("editing a member asks for consent again")
	}
}
