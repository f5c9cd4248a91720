package ui_test

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"

	"checkout/app"
)

// Devices failing in the middle of a sale leave it whole: the scanner unplugged and the card reader gone
// change only the status bar; the wallet provider not answering the charge is settled by asking it again
// (the order was paid: one tender, once); the printer out of paper leaves the sale stored and says so.
func TestDevicesFailingDuringASaleKeepItWhole(t *testing.T) {
	paper, _, withPrinterOpts := withPrinter(t)
	till, st := newTill(t, withGateway, withPrinterOpts)
	w := till.Window()
	scan(w, "5449000000996")
	scan(w, "6924743915763")
	till.SetDeviceState("Scanner /dev/ttyACM0", "reconnecting")
	till.SetCardReaderState("USB card reader", "absent")
	mustShow(t, w, "reconnecting", "Coca-Cola 330ml can", "Lay's chips 70g", "¥9.50")

	paper.SetPaperOut(true)
	press(w, fyne.KeyF12)
	till.ScanFromDevice("134567890123459999") // the simulated provider takes the money and does not answer
	mustShow(t, w, "Paid.", "Receipt not printed")
	sale := storedSale(t, st, "T01-000001")
	if len(sale.Tenders) != 1 || sale.Tenders[0].Kind != app.TenderWallet || sale.Tenders[0].Amount != cny(950) {
		t.Errorf("the sale's tenders: %+v", sale.Tenders)
	}
	if _, err := st.VerifyJournal(context.Background()); err != nil {
		t.Error(err)
	}
	if n := paper.Jobs(); n != 0 {
		t.Errorf("%d receipts printed with the paper out", n)
	}
}
