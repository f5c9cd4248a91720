package document

// Stock is a receiving, adjustment, count or transfer: its journal entry, which is also the document.
// ID (its outbox key) and Lines are omitted in entries from before sync.
type Stock struct {
	ID        string      `json:"id,omitempty"`
	Kind      string      `json:"kind"`
	Ref       string      `json:"ref"`
	Moves     int         `json:"moves"`
	DocSHA256 string      `json:"doc_sha256"`
	Lines     []StockLine `json:"lines,omitempty"`
}

// StockLine is one movement, by SKU, since product ids are the till's own.
type StockLine struct {
	SKU      string `json:"sku"`
	Qty      int64  `json:"qty"` // thousandths: grams, or pieces × 1000
	Reason   string `json:"reason,omitempty"`
	User     string `json:"user,omitempty"`
	UnitCost string `json:"unit_cost,omitempty"` // receiving only
}
