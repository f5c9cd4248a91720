package document

// ShiftOpen is a shift opened with a float in the drawer: its journal entry, which is also the document.
type ShiftOpen struct {
	ID       string `json:"id"`
	Till     string `json:"till"`
	Number   int64  `json:"number"`
	User     string `json:"user"`
	OpenedAt string `json:"opened_at"`
	Currency string `json:"currency"`
	Float    string `json:"float"`
}

// CashMove is cash put in or taken out of the drawer (kinds cash_in, cash_out).
type CashMove struct {
	ID       string `json:"id"`
	ShiftID  string `json:"shift_id"`
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
	User     string `json:"user"`
	At       string `json:"at"`
}

// ShiftClose is a shift's close: every column of the closed row.
type ShiftClose struct {
	ID           string              `json:"id"`
	CloseID      string              `json:"close_id"`
	Till         string              `json:"till"`
	Number       int64               `json:"number"`
	User         string              `json:"user"`
	OpenedAt     string              `json:"opened_at"`
	ClosedAt     string              `json:"closed_at"`
	ClosedBy     string              `json:"closed_by"`
	Currency     string              `json:"currency"`
	Float        string              `json:"float"`
	CashSales    string              `json:"cash_sales"`
	CashIn       string              `json:"cash_in"`
	CashOut      string              `json:"cash_out"`
	Expected     string              `json:"expected"`
	Counted      []DenominationCount `json:"counted"`
	CountedTotal string              `json:"counted_total"`
	OverShort    string              `json:"over_short"`
}

// DenominationCount is how many of one note or coin (in minor units) the drawer held.
type DenominationCount struct {
	Minor int64 `json:"minor"`
	Count int64 `json:"count"`
}
