package document

// ZReport is a stored Z report, every column; money in minor units, as stored. Summary is its Summary's
// JSON, kept as text exactly as made.
type ZReport struct {
	ID           string `json:"id"`
	Number       int64  `json:"number"`
	Till         string `json:"till"`
	No           string `json:"z_no"`
	From         string `json:"from"`
	To           string `json:"to"`
	User         string `json:"user"`
	Currency     string `json:"currency"`
	Sales        int64  `json:"sales"`
	Revenue      int64  `json:"revenue"`
	Tax          int64  `json:"tax"`
	Refunds      int64  `json:"refunds"`
	RefundTotal  int64  `json:"refund_total"`
	Voids        int64  `json:"voids"`
	CashExpected int64  `json:"cash_expected"`
	Summary      string `json:"summary"`
}

// ZEntry is what the journal records of a Z report.
type ZEntry struct {
	ID        string `json:"id"`
	No        string `json:"z_no"`
	From      string `json:"from"`
	To        string `json:"to"`
	Sales     int64  `json:"sales"`
	Revenue   string `json:"revenue"`
	Currency  string `json:"currency"`
	DocSHA256 string `json:"doc_sha256"`
}

// Summary is a day's (or any period's) figures as the Z report keeps them.
type Summary struct {
	From          string            `json:"from"`
	To            string            `json:"to"`
	Currency      string            `json:"currency"`
	Sales         int64             `json:"sales"`
	Revenue       string            `json:"revenue"`
	Items         int64             `json:"items"`
	AverageBasket string            `json:"average_basket"`
	Discounts     string            `json:"discounts"`
	Tax           string            `json:"tax"`
	Rounding      string            `json:"rounding"`
	TaxByRate     map[string]string `json:"tax_by_rate_bp"`
	Tenders       []TenderTotal     `json:"tenders"`
	Refunds       []TenderTotal     `json:"refunds"`
	TopUps        []TenderTotal     `json:"topups"`
	Voids         int64             `json:"voids"`
	CashExpected  string            `json:"cash_expected"`
	ByHourSales   [24]int64         `json:"by_hour_sales"`
	ByHourRevenue [24]string        `json:"by_hour_revenue"`
	ByCategory    [][3]string       `json:"by_category"`  // category, qty (thousandths), revenue
	TopProducts   [][4]string       `json:"top_products"` // sku, name, qty (thousandths), revenue
	MemberSales   int64             `json:"member_sales"`
	MemberRevenue string            `json:"member_revenue"`
	// Drawer is left out when the period had no shift, so a Z report's document reads as it did before
	// shifts existed. (Stored Z reports keep their documents as text: their digests never depend on this.)
	Drawer *Drawer `json:"drawer,omitempty"`
	// ByCashier is left out when empty, for the same reason.
	ByCashier []CashierTotal `json:"by_cashier,omitempty"`
}

// CashierTotal is one cashier's figures in a Summary.
type CashierTotal struct {
	Cashier       string `json:"cashier"`
	Sales         int64  `json:"sales"`
	Revenue       string `json:"revenue"`
	Refunds       int64  `json:"refunds"`
	RefundTotal   string `json:"refund_total"`
	Voids         int64  `json:"voids"`
	VoidsPaid     int64  `json:"voids_after_payment"`
	NoSales       int64  `json:"no_sales"`
	Discounted    int64  `json:"discounted_sales"`
	DiscountTotal string `json:"discount_total"`
	Approvals     int64  `json:"approvals"`
}

// Drawer is the cash drawer's figures in a Summary.
type Drawer struct {
	Shifts       int64  `json:"shifts"`
	Floats       string `json:"floats"`
	CashIn       string `json:"cash_in"`
	CashOut      string `json:"cash_out"`
	Expected     string `json:"expected"`
	Counted      string `json:"counted"`
	OverShort    string `json:"over_short"`
	Open         bool   `json:"open_shift"`
	OpenExpected string `json:"open_expected"`
}

// TenderTotal is the count and sum of one tender kind in a Summary.
type TenderTotal struct {
	Kind   string `json:"kind"`
	Count  int64  `json:"count"`
	Amount string `json:"amount"`
}
