package app

import (
	"fmt"
	"strings"
	"time"

	"checkout/app/money"
)

// Labels names the till's enumerations as people read them: tender kinds and tenders, wallets, anomaly
// kinds and cashiers. The screens and the PDF report both use it, so a tender or an anomaly is called the
// same on the day page and on paper.
type Labels struct {
	// Translate turns an English label into the reader's language: Fyne's lang.L, which the caller passes
	// because app cannot import Fyne. Nil leaves the English.
	Translate func(key string, data ...any) string
}

// tr translates a label. Its keys are in assets/translations, checked by the assets tests. Untranslated,
// a template's {{.Name}} fields are filled in from data's map.
func (l Labels) tr(key string, data ...any) string {
	if l.Translate != nil {
		return l.Translate(key, data...)
	}
	if len(data) == 1 {
		if fields, ok := data[0].(map[string]any); ok {
			for name, v := range fields {
				key = strings.ReplaceAll(key, "{{."+name+"}}", fmt.Sprint(v))
			}
		}
	}
	return key
}

// TenderKind is a kind of tender as a report's line reads: "Cash", "Card".
func (l Labels) TenderKind(k TenderKind) string {
	switch k {
	case TenderCash:
		return l.tr("Cash")
	case TenderCard:
		return l.tr("Card")
	case TenderQR:
		return l.tr("QR code")
	case TenderWallet:
		return l.tr("Wallet")
	case TenderPrepaid:
		return l.tr("Prepaid")
	case TenderPoints:
		return l.tr("Points")
	}
	return string(k)
}

// Tender is one payment as the cashier and the customer read it: "Card ···4242", "WeChat Pay",
// "120 points", "Cash".
func (l Labels) Tender(t Tender) string {
	switch t.Kind {
	case TenderCard:
		return l.tr("Card") + " ···" + t.CardLast4
	case TenderWallet:
		return l.Wallet(t.Wallet)
	case TenderPoints:
		return l.tr("{{.Points}} points", map[string]any{"Points": t.Points})
	}
	return l.TenderKind(t.Kind)
}

// Wallet is a mobile wallet's name, as its pay code rule calls it ("wechat").
func (l Labels) Wallet(w string) string {
	switch w {
	case "wechat":
		return l.tr("WeChat Pay")
	case "alipay":
		return l.tr("Alipay")
	case "unionpay":
		return l.tr("UnionPay")
	}
	return w
}

// AnomalyKind names what an anomaly counts.
func (l Labels) AnomalyKind(k AnomalyKind) string {
	switch k {
	case AnomalyRefunds:
		return l.tr("Refunds")
	case AnomalyVoids:
		return l.tr("Voids")
	case AnomalyNoSales:
		return l.tr("No-sales")
	case AnomalyDiscounts:
		return l.tr("Discounts")
	}
	return string(k)
}

// AnomalyRates are an anomaly's rate and its usual rate per 100 sales as the day page and the PDF print
// them: "2.50", "—" for a cashier without sales, and the usual rate marked "*" when it is the shop's.
func (l Labels) AnomalyRates(a Anomaly) (rate, usual string) {
	rate, usual = "—", money.FormatFixed(a.UsualRate, 2)
	if a.Sales > 0 {
		rate = money.FormatFixed(a.Rate, 2)
	}
	if a.Shop {
		usual += "*"
	}
	return rate, usual
}

// Cashier is a cashier as the owner reads them: "" is what was done before the till had users.
func (l Labels) Cashier(name string) string {
	if name == "" {
		return l.tr("(before users)")
	}
	return name
}

// Weekday is a day of the week's short name, as a report's heading and a chart's day read it: "Sun", 周日.
func (l Labels) Weekday(d time.Weekday) string {
	switch d {
	case time.Monday:
		return l.tr("Mon")
	case time.Tuesday:
		return l.tr("Tue")
	case time.Wednesday:
		return l.tr("Wed")
	case time.Thursday:
		return l.tr("Thu")
	case time.Friday:
		return l.tr("Fri")
	case time.Saturday:
		return l.tr("Sat")
	}
	return l.tr("Sun")
}

// Date is a day with its weekday: "2026-12-06 Sun".
func (l Labels) Date(t time.Time) string {
	return t.Format(time.DateOnly) + " " + l.Weekday(t.Weekday())
}

// Versus names the period a report of [from, to) is compared with (ComparedPeriod): Than follows a
// change ("vs last week"), None stands for a figure that period did not have ("none last week").
type Versus struct{ Than, None string }

// Versus is how a report of [from, to) names the period it is compared with; soFar when that period is
// taken only up to the same point (DayPage.ComparedSoFar).
func (l Labels) Versus(from, to time.Time, soFar bool) Versus {
	span := to.Sub(from)
	switch {
	case span > 8*24*time.Hour && soFar:
		return Versus{l.tr("vs the same days last month"), l.tr("none last month")}
	case span > 8*24*time.Hour:
		return Versus{l.tr("vs last month"), l.tr("none last month")}
	case span > 25*time.Hour && soFar:
		return Versus{l.tr("vs the same days the week before"), l.tr("none the week before")}
	case span > 25*time.Hour:
		return Versus{l.tr("vs the week before"), l.tr("none the week before")}
	case soFar:
		return Versus{l.tr("vs last week by this time"), l.tr("none last week by this time")}
	}
	return Versus{l.tr("vs last week"), l.tr("none last week")} // the same weekday
}

// AlarmKind names the rule an alarm fired by, as the day page's list says it.
func (l Labels) AlarmKind(k AlarmKind) string {
	switch k {
	case AlarmRefunds:
		return l.tr("Refunds")
	case AlarmVoidsPaid:
		return l.tr("Voids after payment")
	case AlarmNoSales:
		return l.tr("No-sales")
	case AlarmDiscounts:
		return l.tr("Discounted sales")
	case AlarmBelowCost:
		return l.tr("Below cost")
	case AlarmPriceChange:
		return l.tr("Price change")
	case AlarmWrongPINs:
		return l.tr("Wrong PINs")
	case AlarmSharedAccount:
		return l.tr("Account used on two tills")
	}
	return string(k)
}

// Alarm says why the guard stopped an action, with its figures.
func (l Labels) Alarm(a Alarm) string {
	switch a.Kind {
	case AlarmBelowCost:
		return l.tr("{{.SKU}} would sell at {{.Price}}, below its cost {{.Cost}}",
			map[string]any{"SKU": a.SKU, "Price": a.Price.Decimal(), "Cost": a.Other.Decimal()})
	case AlarmPriceChange:
		return l.tr("{{.SKU}}'s price would go from {{.Old}} to {{.New}}",
			map[string]any{"SKU": a.SKU, "Old": a.Other.Decimal(), "New": a.Price.Decimal()})
	case AlarmWrongPINs:
		if a.Member != "" {
			return l.tr("Wrong PINs locked member {{.Member}}'s account", map[string]any{"Member": a.Member})
		}
		return l.tr("Wrong PINs locked {{.Name}} out", map[string]any{"Name": a.Cashier})
	case AlarmSharedAccount:
		return l.tr("Member {{.Member}}'s account was used at till {{.Till}} {{.Minutes}} min ago",
			map[string]any{"Member": a.Member, "Till": a.OtherTill, "Minutes": int64((a.Ago + time.Minute - 1) / time.Minute)})
	}
	return l.tr("{{.What}}: {{.Count}} in {{.Sales}} sales lately, well above the usual {{.Usual}} per 100 sales",
		map[string]any{"What": l.AlarmKind(a.Kind), "Count": a.Count, "Sales": a.Sales, "Usual": money.FormatFixed(a.UsualRate, 2)})
}

// ApprovedBy says who let an alarm's action go ahead: their name, "not approved", or "—" for a lock,
// which nobody approves.
func (l Labels) ApprovedBy(a Alarm) string {
	switch {
	case a.Kind == AlarmWrongPINs:
		return "—"
	case a.ApprovedBy == "":
		return l.tr("not approved")
	}
	return a.ApprovedBy
}
