package document

// TopUp is prepaid value added to a member's account: every column of its row.
type TopUp struct {
	ID        string `json:"id"`
	Till      string `json:"till"`
	ReceiptNo string `json:"receipt_no"`
	Member    string `json:"member"`
	At        string `json:"at"`
	Currency  string `json:"currency"`
	Amount    string `json:"amount"`
	Bonus     string `json:"bonus"`
	Tender    string `json:"tender"`
	Tendered  string `json:"tendered"`
	Change    string `json:"change"`
	Approval  string `json:"approval,omitempty"`
	CardLast4 string `json:"card_last4,omitempty"`
	Reference string `json:"reference,omitempty"`
	User      string `json:"user,omitempty"`
	// SignatureSHA256 is the shopper's signature's digest when the top-up was signed for.
	SignatureSHA256 string `json:"signature_sha256,omitempty"`
}

// TopUpEntry is what the journal records of a top-up.
type TopUpEntry struct {
	ID        string `json:"id"`
	ReceiptNo string `json:"receipt_no"`
	Member    string `json:"member"`
	Amount    string `json:"amount"`
	Bonus     string `json:"bonus"`
	Currency  string `json:"currency"`
	Tender    string `json:"tender"`
	User      string `json:"user,omitempty"`
	// SignatureSHA256 is as in the document; omitted when unsigned.
	SignatureSHA256 string `json:"signature_sha256,omitempty"`
}
