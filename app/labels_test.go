package app

import (
	"fmt"
	"testing"
)

func TestLabels(t *testing.T) {
	en := Labels{}
	pair := func(rate, usual string) string { return rate + " " + usual }
	upper := Labels{Translate: func(key string, data ...any) string { return fmt.Sprint("<", key, ">") }}
	for got, want := range map[string]string{
		en.TenderKind(TenderCard):                                            "Card",
		en.TenderKind("voucher"):                                             "voucher",
		en.Tender(Tender{Kind: TenderCard, CardLast4: "4242"}):               "Card ···4242",
		en.Tender(Tender{Kind: TenderWallet, Wallet: "alipay"}):              "Alipay",
		en.Tender(Tender{Kind: TenderPrepaid}):                               "Prepaid",
		en.AnomalyKind(AnomalyNoSales):                                       "No-sales",
		en.Cashier(""):                                                       "(before users)",
		pair(en.AnomalyRates(Anomaly{Sales: 0, UsualRate: 150, Shop: true})): "— 1.50*",
		pair(en.AnomalyRates(Anomaly{Sales: 40, Rate: 250, UsualRate: 100})): "2.50 1.00",
		en.Cashier("Li"):                                                     "Li",
		upper.TenderKind(TenderQR):                                           "<QR code>",
		upper.Tender(Tender{Kind: TenderPoints, Points: 120}):                "<{{.Points}} points>",
		en.Tender(Tender{Kind: TenderPoints, Points: 120}):                   "120 points",
		upper.Tender(Tender{Kind: TenderWallet, Wallet: "other"}):            "other",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
