package app

import (
	"context"
	"fmt"
	"image"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"checkout/app/money"
	"checkout/app/signature"
)

// Receipt is what a sale's printed receipt says: the one model both the ESC/POS printer and the on-screen
// preview (and its PNG) render, so they never disagree.
type Receipt struct {
	// Sale is the sale the receipt is for; Refund or TopUp, when set, print that document's receipt
	// instead (the money given back, or added to a member's prepaid balance).
	Sale   *Sale
	Refund *Refund
	TopUp  *TopUp
	Shop   Shop
	// Lang is the receipt's language: "zh-Hans" (or any "zh…") prints Chinese labels and product names,
	// anything else English.
	Lang string
	// Copy marks a reprint: the receipt says COPY at the top and bottom.
	Copy bool
	// Merchant marks the shop's copy of a signed document: it says so at the top and prints the shopper's
	// signature; the shopper's own receipt has neither.
	Merchant bool
	// Member is the member's account just after the sale, printed under the tenders; nil prints only the
	// points the sale earned and spent (a reprint: the balance now is not the balance then).
	Member *MemberAfterSale
	// Footer is the shop's closing line; "" prints a thank-you.
	Footer string
	// OpenDrawer kicks the cash drawer once the receipt is printed (a sale paid partly in cash).
	OpenDrawer bool
}

// MemberAfterSale is a member's account right after a sale, for the receipt.
type MemberAfterSale struct {
	Points  int64
	Balance money.Amount
}

// ReceiptWidth is how many columns of the printer's standard font (Font A, 12×24 dots) a paper width
// holds: 58 mm paper prints 32, 80 mm paper 48. A Chinese character takes two.
func ReceiptWidth(paperMM int) (int, error) {
	switch paperMM {
	case 58:
		return 32, nil
	case 80:
		return 48, nil
	}
	return 0, fmt.Errorf("%w: printer.width %d: 58 or 80 (mm)", ErrInvalidSetting, paperMM)
}

// Align is where a receipt row sits across the paper.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// RowKind says what a receipt row is.
type RowKind int

// Row kinds.
const (
	RowText  RowKind = iota // Text, in Style
	RowQR                   // a QR code of Text
	RowFeed                 // an empty line
	RowImage                // a black-and-white picture, Image (a signature); Text says what it is
)

// ReceiptRow is one line of a laid-out receipt. Text rows are already fitted to the width: a Wide row's
// Text is at most half the columns, since every character prints twice as wide.
type ReceiptRow struct {
	Kind  RowKind
	Text  string
	Align Align
	Bold  bool
	Wide  bool // double width
	Tall  bool // double height
	// Image is a RowImage's picture, drawn dot for dot: black where dark, no wider than the paper's
	// dots (384 on 58 mm paper).
	Image *image.Gray
}

// columns measures text as the printer lays it out: a Chinese character takes two columns, and so does
// nothing else; fixed, not the locale's guess.
var columns = &runewidth.Condition{EastAsianWidth: false}

// ReceiptColumns is how many columns s takes on the paper.
func ReceiptColumns(s string) int { return columns.StringWidth(s) }

// receiptLabels are the receipt's words in its two languages. The receipt's language is the printer's
// setting, not the screen's, so these are not the UI's translations.
var receiptLabels = map[string]map[string]string{
	"en": {
		"receipt": "Receipt", "copy": "*** COPY ***", "merchant": "MERCHANT COPY", "signature": "Shopper's signature", "cashier": "Cashier", "discount": "Discount",
		"subtotal": "Subtotal", "before_tax": "Before tax", "total": "TOTAL", "refund": "Refund", "for_receipt": "For receipt",
		"refund_total": "REFUNDED", "topup": "Top-up", "topup_total": "ADDED", "bonus": "Bonus", "rounded_down": "Rounding", "rounded_up": "Rounding", "tax": "Tax", "tax_incl": "incl. tax",
		"tax_excl": "plus tax", "on": "on", "change": "Change", "member": "Member", "points_earned": "Points earned",
		"points_used": "Points used", "points": "Points balance", "balance": "Prepaid balance", "items": "Items",
		"thanks": "Thank you for shopping with us!", "promotions": "  of which promotions",
		"cash": "Cash", "card": "Card", "qr": "QR code", "wallet": "Wallet", "prepaid": "Prepaid", "pay_points": "Points",
		"wechat": "WeChat Pay", "alipay": "Alipay", "unionpay": "UnionPay",
		"unit_kg": "kg", "unit_jin": "jin", "unit_g": "g", "unit_100g": "100g",
	},
	"zh": {
		"receipt": "小票号", "copy": "*** 补打 ***", "merchant": "商户联", "signature": "顾客签名", "cashier": "收银员", "discount": "折扣",
		"subtotal": "小计", "before_tax": "税前金额", "total": "合计", "refund": "退款单号", "for_receipt": "原小票",
		"refund_total": "退款合计", "topup": "充值单号", "topup_total": "充值合计", "bonus": "赠送", "rounded_down": "抹零", "rounded_up": "现金进位", "tax": "税", "tax_incl": "含税",
		"tax_excl": "另加税", "on": "计税", "change": "找零", "member": "会员", "points_earned": "本次积分",
		"points_used": "使用积分", "points": "积分余额", "balance": "储值余额", "items": "件数",
		"thanks": "谢谢惠顾，欢迎再次光临！", "promotions": "  其中促销优惠",
		"cash": "现金", "card": "银行卡", "qr": "扫码支付", "wallet": "付款码", "prepaid": "储值卡", "pay_points": "积分",
		"wechat": "微信支付", "alipay": "支付宝", "unionpay": "云闪付",
		"unit_kg": "kg", "unit_jin": "斤", "unit_g": "克", "unit_100g": "100克",
	},
}

// Chinese reports whether the receipt is in Chinese.
func (r *Receipt) Chinese() bool { return strings.HasPrefix(r.Lang, "zh") }

func (r *Receipt) label(key string) string {
	if r.Chinese() {
		return receiptLabels["zh"][key]
	}
	return receiptLabels["en"][key]
}

// quantity is q of p as the receipt prints it: in the unit selling shows it in, named ("1.5 斤", "0.455 kg",
// "250 g"); pieces bare ("3").
func (r *Receipt) quantity(q Quantity, p Product) string {
	if in := p.SoldIn(); in != "" {
		return q.FormatSold(p) + " " + r.label("unit_"+in)
	}
	return q.FormatSold(p)
}

// amount is a as the receipt prints it: digits only ("12.50", "-0.70"), the currency named once by the
// total.
func (r *Receipt) amount(a money.Amount) string { return a.Decimal() }

// currencySign is how the total names the currency. GBK, the printer's Chinese character set, has no
// plain ¥ (U+00A5): a Chinese receipt prints the full-width ￥; an English one the ISO code, which every
// code page has.
func (r *Receipt) currencySign(c money.Currency) string {
	if r.Chinese() && (c.Code == "CNY" || c.Code == "JPY") {
		return "￥"
	}
	return c.Code + " "
}

// Layout lays the receipt out for a paper cols columns wide (ReceiptWidth): shop header, lines with their
// discounts, totals, tax breakdown, tenders and change, the member's points and balance, the receipt
// number as a QR code and a footer. It is pure: the same receipt always gives the same rows.
func (r *Receipt) Layout(cols int) []ReceiptRow {
	w := &receiptWriter{r: r, cols: cols}
	switch {
	case r.Refund != nil:
		r.refundBody(w)
	case r.TopUp != nil:
		r.topUpBody(w)
	default:
		r.saleBody(w)
	}
	w.rows = append(w.rows, ReceiptRow{Kind: RowFeed})
	w.rows = append(w.rows, ReceiptRow{Kind: RowQR, Text: r.Number(), Align: AlignCenter})
	w.text(r.Number(), AlignCenter)
	footer := r.Footer
	if footer == "" {
		footer = r.label("thanks")
	}
	for _, line := range wrap(footer, cols) {
		w.text(line, AlignCenter)
	}
	if r.Copy {
		w.rows = append(w.rows, ReceiptRow{Text: r.label("copy"), Align: AlignCenter, Bold: true})
	}
	return w.rows
}

// Number is the number of the document the receipt is for: "T01-000042", "T01-R000007", "T01-P000003".
func (r *Receipt) Number() string {
	switch {
	case r.Refund != nil:
		return r.Refund.ReceiptNo
	case r.TopUp != nil:
		return r.TopUp.Receipt
	}
	return r.Sale.ReceiptNo
}

// receiptWriter lays out a receipt's rows to its width.
type receiptWriter struct {
	r    *Receipt
	cols int
	rows []ReceiptRow
}

func (w *receiptWriter) text(t string, a Align) {
	w.rows = append(w.rows, ReceiptRow{Text: fit(t, w.cols), Align: a})
}
func (w *receiptWriter) pair(left, right string) {
	w.rows = append(w.rows, ReceiptRow{Text: spread(left, right, w.cols)})
}
func (w *receiptWriter) rule() {
	w.rows = append(w.rows, ReceiptRow{Text: strings.Repeat("-", w.cols)})
}

// total is a receipt's bold, tall total line, its currency named.
func (w *receiptWriter) total(label string, a money.Amount) {
	w.rows = append(w.rows, ReceiptRow{Text: spread(w.r.label(label), w.r.currencySign(a.Currency())+w.r.amount(a), w.cols), Bold: true, Tall: true})
}

// head is the shop, the document's title and number, when and by whom.
func (w *receiptWriter) head(title, number string, at time.Time, cashier string) {
	r := w.r
	if r.Shop.Name != "" {
		w.rows = append(w.rows, ReceiptRow{Text: fit(r.Shop.Name, w.cols/2), Align: AlignCenter, Bold: true, Wide: true, Tall: true})
	}
	if r.Shop.City != "" {
		w.text(r.Shop.City, AlignCenter)
	}
	if r.Copy {
		w.rows = append(w.rows, ReceiptRow{Text: r.label("copy"), Align: AlignCenter, Bold: true, Tall: true})
	}
	if r.Merchant {
		w.rows = append(w.rows, ReceiptRow{Text: r.label("merchant"), Align: AlignCenter, Bold: true})
	}
	w.rule()
	w.pair(r.label(title), number)
	when := at.In(time.Local).Format("2006-01-02 15:04:05")
	if cashier != "" {
		w.pair(when, r.label("cashier")+" "+cashier)
	} else {
		w.text(when, AlignLeft)
	}
}

// refundBody is a refund's receipt: the sale it is for, the lines given back and how the money went.
func (r *Receipt) refundBody(w *receiptWriter) {
	f := r.Refund
	w.head("refund", f.ReceiptNo, f.At, f.Cashier)
	w.pair(r.label("for_receipt"), f.SaleReceipt)
	w.rule()
	for _, l := range f.Lines {
		w.text(l.Product.DisplayName(r.Lang), AlignLeft)
		w.pair("  "+r.quantity(l.Qty, l.Product), r.amount(l.Total.Neg()))
	}
	w.rule()
	switch { // the lines' share of the sale's cash rounding, and a cash refund's own step
	case f.Rounding.IsNegative():
		w.pair(r.label("rounded_down"), r.amount(f.Rounding))
	case !f.Rounding.IsZero():
		w.pair(r.label("rounded_up"), "+"+r.amount(f.Rounding))
	}
	w.total("refund_total", f.Tender.Amount)
	if !f.Tax.IsZero() {
		w.pair(r.label("tax_incl"), r.amount(f.Tax))
	}
	w.rule()
	w.pair(r.tenderName(f.Tender), r.amount(f.Tender.Amount))
	if m := f.Member; m != nil && (m.PointsEarned != 0 || m.PointsRedeemed != 0) {
		w.rule()
		w.pair(r.label("member"), maskMember(m.Number))
		if m.PointsEarned != 0 {
			w.pair(r.label("points_earned"), "-"+strconv.FormatInt(m.PointsEarned, 10))
		}
		if m.PointsRedeemed != 0 {
			w.pair(r.label("points_used"), "+"+strconv.FormatInt(m.PointsRedeemed, 10))
		}
	}
	w.signature(f.Signature)
}

// SignatureDots is how wide a signature prints: 384 dots, the whole of 58 mm paper's print width and
// the middle two thirds of 80 mm paper's.
const SignatureDots = 384

// signature prints the shopper's signature on the merchant's copy, under a rule and its caption.
func (w *receiptWriter) signature(s signature.Signature) {
	if !w.r.Merchant || s.Empty() {
		return
	}
	w.rule()
	w.text(w.r.label("signature"), AlignLeft)
	w.rows = append(w.rows, ReceiptRow{Kind: RowImage, Text: w.r.label("signature"), Align: AlignCenter, Image: signature.Render(s, SignatureDots)})
}

// topUpBody is a top-up's receipt: the member, what was paid, the bonus and the balance after.
func (r *Receipt) topUpBody(w *receiptWriter) {
	t := r.TopUp
	w.head("topup", t.Receipt, t.At, t.User)
	w.pair(r.label("member"), maskMember(t.Member.Number))
	w.rule()
	w.pair(r.tenderName(t.PaidBy), r.amount(t.Amount))
	if !t.Bonus.IsZero() {
		w.pair(r.label("bonus"), "+"+r.amount(t.Bonus))
	}
	w.total("topup_total", t.Amount.Add(t.Bonus))
	w.rule()
	w.pair(r.label("balance"), r.amount(t.Balance))
	w.signature(r.TopUp.Signature)
}

// saleBody is a sale's receipt: its lines, totals, tenders and member.
func (r *Receipt) saleBody(w *receiptWriter) {
	s := r.Sale
	text, pair, rule := w.text, w.pair, w.rule
	w.head("receipt", s.ReceiptNo, s.CompletedAt, s.Cashier)
	rule()
	for _, l := range s.Lines {
		text(l.Product.DisplayName(r.Lang), AlignLeft)
		unit := l.Product.Price
		if l.Label != nil {
			unit = *l.Label
		}
		detail := "  " + r.quantity(l.Qty, l.Product) + " x " + r.amount(unit)
		if l.Label != nil {
			detail = "  " + r.quantity(l.Qty, l.Product)
		} else if per := l.Product.PricedIn(); per != "" {
			detail += "/" + r.label("unit_"+per) // 6.98/斤: the price is not per kilogram
		}
		pair(detail, r.amount(l.Gross))
		if manual := l.ManualDiscount(); !manual.IsZero() {
			what := "  " + r.label("discount")
			if l.Discount.PercentBP != 0 {
				what += " " + FormatRate(l.Discount.PercentBP) + "%"
			}
			pair(what, r.amount(manual.Neg()))
		}
		for _, p := range l.Promotions {
			pair("  "+p.DisplayName(r.Lang), r.amount(p.Amount.Neg()))
		}
	}
	rule()
	pair(r.label("items"), strconv.FormatInt(s.Totals.ItemCount, 10))
	if !s.Totals.Discount.IsZero() {
		pair(r.label("subtotal"), r.amount(s.Totals.BeforeDiscounts()))
		pair(r.label("discount"), r.amount(s.Totals.Discount.Neg()))
		if promoted := promotionsOf(s.Lines, s.Currency); !promoted.IsZero() && promoted != s.Totals.Discount {
			pair(r.label("promotions"), r.amount(promoted.Neg()))
		}
	}
	if s.TaxMode == TaxExclusive {
		// After the discounts and before tax: not called "Subtotal", which is before the discounts.
		pair(r.label("before_tax"), r.amount(s.Totals.Subtotal))
		pair(r.label("tax"), r.amount(s.Totals.Tax))
	}
	switch {
	case s.Rounding.IsNegative(): // the small change dropped: 抹零
		pair(r.label("rounded_down"), r.amount(s.Rounding))
	case !s.Rounding.IsZero():
		pair(r.label("rounded_up"), "+"+r.amount(s.Rounding))
	}
	w.total("total", s.Totals.Total.Add(s.Rounding))
	for _, b := range s.Totals.TaxBands {
		how := r.label("tax_incl")
		if s.TaxMode == TaxExclusive {
			how = r.label("tax_excl")
		}
		pair(fmt.Sprintf("%s %s%% %s %s", how, FormatRate(b.RateBP), r.label("on"), r.amount(b.Base)), r.amount(b.Tax))
	}
	rule()
	for _, t := range s.Tenders {
		pair(r.tenderName(t), r.amount(handed(t)))
	}
	if change := s.Change(); !change.IsZero() {
		w.rows = append(w.rows, ReceiptRow{Text: spread(r.label("change"), r.amount(change), w.cols), Bold: true})
	}
	if m := s.Member; m != nil {
		rule()
		pair(r.label("member"), maskMember(m.Number))
		if m.PointsEarned != 0 {
			pair(r.label("points_earned"), "+"+strconv.FormatInt(m.PointsEarned, 10))
		}
		if m.PointsRedeemed != 0 {
			pair(r.label("points_used"), "-"+strconv.FormatInt(m.PointsRedeemed, 10))
		}
		if r.Member != nil {
			pair(r.label("points"), strconv.FormatInt(r.Member.Points, 10))
			pair(r.label("balance"), r.amount(r.Member.Balance))
		}
	}
	w.signature(s.Signature)
}

// Text is the laid-out receipt as plain lines, aligned with spaces: the on-screen preview in a monospace
// font, and what tests read. A QR row shows as [QR: text], a picture as [what it is].
func (r *Receipt) Text(cols int) string {
	var b strings.Builder
	for _, row := range r.Layout(cols) {
		line := row.Text
		switch row.Kind {
		case RowQR:
			line = "[QR: " + row.Text + "]"
		case RowImage:
			line = "[" + row.Text + "]"
		case RowFeed:
			line = ""
		}
		w := columns.StringWidth(line)
		if row.Wide {
			w *= 2
		}
		switch row.Align {
		case AlignCenter:
			line = strings.Repeat(" ", max(cols-w, 0)/2) + line
		case AlignRight:
			line = strings.Repeat(" ", max(cols-w, 0)) + line
		}
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

func (r *Receipt) tenderName(t Tender) string {
	name := r.label(string(t.Kind))
	switch t.Kind {
	case TenderPoints:
		name = r.label("pay_points") + " " + strconv.FormatInt(t.Points, 10)
	case TenderCard:
		if t.CardLast4 != "" {
			name += " ****" + t.CardLast4
		}
	case TenderWallet:
		if w := r.label(t.Wallet); w != "" {
			name = w
		}
	}
	if name == "" {
		name = string(t.Kind)
	}
	return name
}

// handed is what a tender's shopper handed over: the cash given, or what a card or wallet paid.
func handed(t Tender) money.Amount {
	if t.Tendered.Currency().Code != "" && t.Tendered.Cmp(t.Amount) > 0 {
		return t.Tendered
	}
	return t.Amount
}

// maskMember hides all but the last four characters of a member number: the receipt may be thrown away.
func maskMember(number string) string {
	rs := []rune(number)
	if len(rs) <= 4 {
		return number
	}
	return strings.Repeat("*", len(rs)-4) + string(rs[len(rs)-4:])
}

// fit cuts s to cols columns, a Chinese character counting two.
func fit(s string, cols int) string {
	if columns.StringWidth(s) <= cols {
		return s
	}
	return columns.Truncate(s, cols, "")
}

// spread puts left at the left and right at the right of a cols-wide line; a left too long for both is cut.
func spread(left, right string, cols int) string {
	rw := columns.StringWidth(right)
	left = fit(left, max(cols-rw-1, 0))
	gap := cols - columns.StringWidth(left) - rw
	return left + strings.Repeat(" ", max(gap, 1)) + right
}

// wrap breaks s into lines of at most cols columns, at spaces where it has them (Chinese text has none,
// and breaks anywhere).
func wrap(s string, cols int) []string {
	var lines []string
	line, w := "", 0
	for _, word := range strings.SplitAfter(s, " ") {
		for word != "" {
			ww := columns.StringWidth(word)
			if w+ww <= cols {
				line, w = line+word, w+ww
				break
			}
			if w > 0 {
				lines = append(lines, strings.TrimRight(line, " "))
				line, w = "", 0
				continue
			}
			head := columns.Truncate(word, cols, "")
			lines = append(lines, head)
			word = word[len(head):]
		}
	}
	if strings.TrimSpace(line) != "" {
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// Reprint is a receipt printed again (marked COPY), for the journal: who reprinted which sale's receipt.
type Reprint struct {
	ReceiptNo string
	Till      string
	Cashier   string
	At        time.Time
}

// ReprintLog journals reprinted receipts. The store implements it.
type ReprintLog interface {
	// RecordReprint journals r; it fails, recording nothing, when no sale has r.ReceiptNo.
	RecordReprint(ctx context.Context, r Reprint) error
}

// What stops a receipt printer, as the printer reports it. None of them loses a sale: it is stored before
// anything is printed, and its receipt can be printed again.
var (
	ErrPrinterPaperOut  = &Error{"printer_paper_out", "printer: paper out"}
	ErrPrinterCoverOpen = &Error{"printer_cover_open", "printer: cover open"}
	ErrPrinterFault     = &Error{"printer_fault", "printer: error (cutter jam or overheated head)"}
	ErrPrinterOffline   = &Error{"printer_offline", "printer: offline (unplugged, switched off or unreachable)"}
)
